"""A roadmap's body: its summary and note, its steps (headings, nested headings, bold leads)
and resources (lists and tables of links), each URL once; and the prose around them, whose
links are reported as not imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from roadmap_cli.importer.hours import _without_hours, prose_total
from roadmap_cli.importer.inline import (
    _block_name,
    _end_sentence,
    _has_link_list,
    _inlines,
    _item_text,
    _join,
    _line,
    _line_text,
    _pieces,
    _plain,
    _quote,
    _short,
)
from roadmap_cli.importer.items import (
    _default_kind,
    _list_entries,
    _make_resource,
    _resources_of,
)
from roadmap_cli.importer.markdown import _LISTS, _Node
from roadmap_cli.importer.model import _Context, _Piece, _Resource, _Roadmap, _Section, _Step
from roadmap_cli.importer.tables import _table_resources

_OTHER_RESOURCES = "Other resources"


def _flatten_titled(sections: list[_Section], over: str = "") -> Iterator[tuple[_Section, str]]:
    """Yield each section with its step title: "Web: Frameworks" under "## Web"."""
    for section in sections:
        title = f"{over}: {section.title}" if over else section.title
        yield section, title
        yield from _flatten_titled(section.children, title)


def _report_links(ctx: _Context, block: _Node, where: str) -> bool:
    """Report each link in a block as not imported; return whether there was one."""
    found = False
    for inline in _inlines(block):
        for piece in _pieces(inline):
            if piece.kind == "link":
                found = True
                ctx.problem(
                    _line(inline),
                    f"the link {_quote(piece.text)} ({_short(piece.url)}) {where}; not imported",
                )
    return found


def _prose(ctx: _Context, block: _Node) -> list[str]:
    """Return the paragraphs of a block as plain text; links in them are reported.

    A line of nothing but #anchor links ("⬆ back to top") is navigation, and is left out.
    """
    _report_links(ctx, block, "is in running text, not in a list of links")
    paragraphs = [_line_text(_plain(n)) for n in _inlines(block) if not _is_navigation(n)]
    return [text for text in paragraphs if text]


def _is_navigation(inline: _Node) -> bool:
    """Whether every word of a line is in an #anchor link."""
    pieces = _pieces(inline)
    return any(p.url.startswith("#") for p in pieces) and all(
        p.url.startswith("#") or not re.search(r"\w", p.text) for p in pieces
    )


def _fill_roadmap(
    ctx: _Context,
    roadmap: _Roadmap,
    blocks: list[_Node],
    step_sections: list[_Section],
    *,
    intro: bool = False,
) -> None:
    """Read a roadmap's summary, note, steps and resources from its blocks and subsections.

    With `intro` (a whole document as one roadmap) the first paragraph (or quote) is the
    summary and the rest of the prose the note.
    """
    entries = _body(ctx, blocks, roadmap.summary, roadmap.notes, quote_leads=intro)
    if roadmap.stated is None and (total := prose_total(roadmap.summary + roadmap.notes)):
        roadmap.stated = total[0]
    if intro and len(roadmap.summary) > 1:
        roadmap.notes[:0] = roadmap.summary[1:]
        del roadmap.summary[1:]
    for section, title in _flatten_titled(step_sections):
        if _has_link_list(section.blocks):
            entries.extend(_heading_steps(ctx, section, title))
        elif (resource := _heading_resource(ctx, section, title)) is not None:
            entries.append(resource)
        elif section.blocks:
            roadmap.notes.extend(_prose_of(ctx, section.blocks))
        elif not section.children:
            ctx.problem(section.line, f"the heading {_quote(section.title)} has nothing under it")
    if roadmap.summary:
        roadmap.summary[-1] = _end_sentence(roadmap.summary[-1])
    _drop_repeats(ctx, entries)
    steps = _group_steps(entries)
    if steps is None:
        roadmap.resources = [e for e in entries if isinstance(e, _Resource)]
    else:
        for step in steps:
            if not step.resources:
                ctx.problem(
                    step.line, f"the step {_quote(step.title)} has no usable link; not imported"
                )
        roadmap.steps = [step for step in steps if step.resources]
    if not roadmap.steps and not roadmap.resources:
        ctx.problem(roadmap.line, f"{_quote(roadmap.title)} holds no usable link; no roadmap made")


# The words of a link that stands for the thing its heading names: "🔗 Link to Course".
_STANDS_FOR_HEADING = re.compile(
    r"(?:link|links|here|website|site|homepage|url|watch|watch it|course|playlist|videos?"
    r"|lectures?|materials?|notes|slides|book)"
    r"(?:\s+(?:to|for|of))?(?:\s+the)?"
    r"(?:\s+(?:course|playlist|videos?|lectures?|website|site|book|materials?|series))?",
    re.IGNORECASE,
)


def _stands_for_heading(inline: _Node, link: _Piece) -> bool:
    """Whether a link stands for what its heading names: generic words, or alone on a line."""
    return _links_alone(inline) or bool(_STANDS_FOR_HEADING.fullmatch(link.text.strip()))


def _links_alone(inline: _Node) -> bool:
    """Whether a line holds links and nothing else but symbols ("🔗 Course 🔗 Slides")."""
    rest = [p.text for p in _pieces(inline) if p.kind != "link"]
    return not re.search(r"\w", " ".join(rest))


def _heading_resource(ctx: _Context, section: _Section, full_title: str) -> _Resource | None:
    """Read a heading over prose with one link that stands for it ("## Stanford CS229", its
    description, and "🔗 [Link to Course](url)") as one resource, titled by the heading.

    Its first paragraph is the description, and the items of a list without links (the
    lectures or topics it covers) follow it; hours come from the heading or its prose.
    """
    if section.children:
        return None
    links = [
        (inline, piece)
        for block in section.blocks
        for inline in _inlines(block)
        for piece in _pieces(inline)
        if piece.kind == "link"
    ]
    if not links or not all(_stands_for_heading(inline, link) for inline, link in links):
        return None
    if (
        len(links) > 1
        and len({inline for inline, _ in links}) != 1
        and not all(_links_alone(inline) for inline, _ in links)
    ):
        return None
    inline, link = links[0]
    for _, other in links[1:]:
        ctx.problem(
            _line(inline),
            f"the link {_quote(other.text)} ({_short(other.url)}) is another link of "
            f"{_quote(full_title)}, which is imported with its first; not imported",
        )
    title, hours = _without_hours(full_title)
    paragraphs = [
        text
        for block in section.blocks
        if block.type == "paragraph" and block.children
        if not any(block.children[0] is line for line, _ in links)
        if (text := _line_text(_plain(block)))
    ]
    covered = [
        text
        for block in section.blocks
        if block.type in _LISTS
        for item in block.children
        if re.search(r"\w", text := _item_text(item))  # not "..." for "and more"
    ]
    context = full_title
    if hours is None and (total := prose_total(paragraphs)):
        hours, context = total
    description = paragraphs[0] if paragraphs else ""
    if covered:
        description = _join(_end_sentence(description), "Covers: " + "; ".join(covered) + ".")
    return _make_resource(
        ctx,
        title,
        link.url,
        _line(inline),
        description=description,
        hours=hours,
        context=context,
    )


def _drop_repeats(ctx: _Context, entries: list[_Step | _Resource]) -> None:
    """Keep one resource per URL in a roadmap: the first, with what the others add to it."""
    first: dict[str, _Resource] = {}

    def kept(resource: _Resource) -> bool:
        parts = urlsplit(resource.url)
        key = parts._replace(netloc=parts.netloc.lower(), path=parts.path.rstrip("/")).geturl()
        earlier = first.setdefault(key, resource)
        if earlier is resource:
            return True
        earlier.done = earlier.done or resource.done
        earlier.estimate = earlier.estimate or resource.estimate
        earlier.description = earlier.description or resource.description
        ctx.problem(
            resource.line,
            f"the link {_quote(resource.title)} ({_short(resource.url)}) is in this roadmap "
            f"already (line {earlier.line}); imported once",
        )
        return False

    kept_entries: list[_Step | _Resource] = []
    for entry in entries:
        if isinstance(entry, _Step):
            entry.resources = [r for r in entry.resources if kept(r)]
            kept_entries.append(entry)
        elif kept(entry):
            kept_entries.append(entry)
    entries[:] = kept_entries


def _body(
    ctx: _Context,
    blocks: list[_Node],
    before: list[str],
    after: list[str],
    *,
    quote_leads: bool = False,
) -> list[_Step | _Resource]:
    """Read lists and tables into steps and resources; prose before them into `before`.

    Quotes go to `after`, but with `quote_leads` a quote that comes first goes to `before`.
    """
    entries: list[_Step | _Resource] = []
    for block in blocks:
        if block.type in _LISTS:
            entries.extend(_list_entries(ctx, block, None))
        elif block.type == "table":
            entries.extend(_table_resources(ctx, block))
        elif block.type == "paragraph":
            (after if entries else before).extend(_prose(ctx, block))
        elif block.type == "blockquote":
            first = quote_leads and not entries and not before
            (before if first else after).extend(_prose(ctx, block))
        elif block.type not in ("hr", "html_block"):
            ctx.problem(_line(block), f"a {_block_name(block)} in a roadmap; not imported")
    return entries


def _prose_of(ctx: _Context, blocks: list[_Node]) -> list[str]:
    before: list[str] = []
    after: list[str] = []
    _body(ctx, blocks, before, after)  # no entries: these blocks hold no links
    return before + after


def _group_steps(entries: list[_Step | _Resource]) -> list[_Step] | None:
    """Return the steps, with resources between them as steps of their own; None if flat."""
    if not any(isinstance(entry, _Step) for entry in entries):
        return None
    steps: list[_Step] = []
    loose: list[_Resource] = []
    for entry in [*entries, None]:
        if isinstance(entry, _Resource):
            loose.append(entry)
            continue
        if loose:
            steps.append(_Step(_OTHER_RESOURCES, loose[0].line, resources=loose))
            loose = []
        if entry is not None:
            steps.append(entry)
    return steps


def _heading_steps(ctx: _Context, section: _Section, full_title: str) -> list[_Step]:
    """Make a step of a heading under a roadmap heading: its title, prose and links.

    A heading whose list has steps of its own (bold leads, or categories over nested links)
    gives those steps, titled "Heading: Lead", with its loose links as a step of its own.
    """
    title, hours = _without_hours(full_title)
    hours_text = full_title
    before: list[str] = []
    after: list[str] = []
    entries = _body(ctx, section.blocks, before, after)
    _default_kind(_resources_of(entries), _without_hours(section.title)[0])
    description = "\n\n".join([*before, *after]) or None
    steps = _group_steps(entries)
    if hours is None and steps is None and (total := prose_total(before + after)):
        hours, hours_text = total
    if steps is None or hours is not None:
        return [_Step(title, section.line, description, _resources_of(entries), hours, hours_text)]
    for step in steps:
        step.title = title if step.title == _OTHER_RESOURCES else f"{title}: {step.title}"
    if description:
        steps[0].description = _join(description, steps[0].description or "")
    return steps
