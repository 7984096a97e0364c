"""List items: a step (a bold lead over links), resources (links with their text), or
neither; and the check that makes a resource of a link or reports why it cannot."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import TypeAdapter, ValidationError

from roadmap_cli.importer.emit import kind_named
from roadmap_cli.importer.hours import _find_hours, _strip_phrase, stated_basis
from roadmap_cli.importer.inline import (
    _SEPARATORS,
    _has_link_list,
    _join,
    _line,
    _line_text,
    _pieces,
    _quote,
    _short,
    _split_dash,
    _text_of,
    _title_from_url,
    _without_numbering,
)
from roadmap_cli.importer.markdown import _LISTS, _Node
from roadmap_cli.importer.model import _Context, _Estimate, _Phrase, _Piece, _Resource, _Step
from roadmap_cli.models import Url
from roadmap_cli.records import PLACEHOLDER_HOSTS

_URL: TypeAdapter[str] = TypeAdapter(Url)
# What may stand between a link and its description: "[A](url) – text", "https://a.org. Text".
_LEADING = _SEPARATORS + " .;"
_TASK = re.compile(r"\[([ xX])\](?:\s|$)")
_PLACEHOLDER_REMARK = re.compile(
    r"replace|placeholder|actual link|link (?:coming|pending|tbd)|\btbd\b|\btodo\b", re.I
)
# "[Video]", "(course)": a kind named in brackets after a link.
_KIND_MARKER = re.compile(r"[\[(]\s*([\w][\w ]{0,24}?)\s*[\])]")
_GENERIC_LINK_TEXT = {"link", "here", "this", "click here", "website", "site", "url", "source"}


def _has_step_items(blocks: list[_Node]) -> bool:
    """Whether an item of any list among the blocks is a step (a lead over links)."""
    for block in blocks:
        if block.type not in _LISTS:
            continue
        for item in block.children:
            nested = [c for c in item.children if c.type in _LISTS]
            if _is_step(_item_pieces(item)[0], has_nested=_has_link_list(nested)):
                return True
    return False


def _list_entries(ctx: _Context, node: _Node, parent: _Resource | None) -> list[_Step | _Resource]:
    entries: list[_Step | _Resource] = []
    for item in node.children:
        entries.extend(_item_entries(ctx, item, parent))
    return entries


def _item_entries(ctx: _Context, item: _Node, parent: _Resource | None) -> list[_Step | _Resource]:
    """Read a list item as a step (a lead and links), resources (links) or neither."""
    pieces, done = _item_pieces(item)
    line = _line(item)
    links = [i for i, piece in enumerate(pieces) if piece.kind == "link"]
    ends = [*links[1:], len(pieces)][: len(links)]
    own = [
        r
        for k, (i, end) in enumerate(zip(links, ends, strict=True))
        if (r := _link_resource(ctx, pieces, i, end, line, first=k == 0)) is not None
    ]
    sublists = [sub for sub in item.children if sub.type in _LISTS]
    nested: list[_Resource] = []
    for sub in sublists:
        nested.extend(_resources_of(_list_entries(ctx, sub, own[-1] if own else None)))
    for resource in own:
        resource.done = done
    for resource in nested:
        resource.done = resource.done or done
    nested_links = _has_link_list(sublists)
    if _is_step(pieces, has_nested=nested_links):
        return [_lead_step(pieces, line, [*own, *nested])]
    if links or nested_links:
        return [*own, *nested]
    text = _line_text(_text_of(pieces))
    if parent is not None and text:
        parent.description = _join(parent.description, text)
    elif any(p.url for p in pieces):
        pass  # a badge, an image, an #anchor or mailto: link: not a resource, nothing lost
    elif text or not sublists:
        ctx.problem(line, f"a list item without a link: {_quote(text)}; not imported")
    return []


def _is_step(pieces: list[_Piece], *, has_nested: bool) -> bool:
    """Whether an item is a step: a bold lead or text over links, not a link of its own."""
    first_link = next((p for p in pieces if p.kind == "link"), None)
    lead = _lead(pieces)
    if first_link is None:
        return has_nested and bool(_text_of(lead).strip())
    bold_lead = bool(lead) and next(p for p in lead if p.text.strip()).kind == "strong"
    # "**Book:** [Title](url)" names the link's kind, not a step.
    marker = kind_named(_text_of(lead)) is not None
    return bold_lead and (has_nested or not (first_link.bare or marker))


def _lead(pieces: list[_Piece]) -> list[_Piece]:
    """Return the pieces before the first link, if they hold any text."""
    end = next((i for i, p in enumerate(pieces) if p.kind == "link"), len(pieces))
    lead = pieces[:end]
    return lead if any(p.text.strip() for p in lead) else []


def _lead_step(pieces: list[_Piece], line: int, resources: list[_Resource]) -> _Step:
    """Make a step from an item's lead: "**Title** – description" or "Title: description"."""
    lead = _lead(pieces)
    first = next((p for p in lead if p.text.strip()), None)
    if first is not None and first.kind == "strong":
        title = first.text
        rest = _text_of(lead[lead.index(first) + 1 :])
    else:
        title, rest = _split_dash(_text_of(lead))
    title = _without_numbering(_line_text(title).rstrip(":").strip())
    description = _line_text(rest.lstrip().lstrip(_SEPARATORS))
    hours = _find_hours(description, days=True)
    context = description
    if hours is None and (hours := _find_hours(title)) is not None:
        context = title
        title = _strip_phrase(title, hours)
    _default_kind(resources, title)
    return _Step(title or "Untitled step", line, description or None, resources, hours, context)


def _default_kind(resources: list[_Resource], category: str) -> None:
    """Give the kind a category names ("Books", "Courses") to its links that name none."""
    kind = kind_named(category)
    for resource in resources:
        resource.kind = resource.kind or kind


def _item_pieces(item: _Node) -> tuple[list[_Piece], bool]:
    """Return the inline pieces of an item's first paragraph and whether it is ticked."""
    paragraph = next((c for c in item.children if c.type == "paragraph"), None)
    if paragraph is None or not paragraph.children:
        return [], False
    inline = paragraph.children[0]
    pieces = _pieces(inline)
    task = _TASK.match(inline.content)
    if task is None or not pieces or pieces[0].kind != "text":
        return pieces, False
    # The raw content decides, so an escaped "\[x\]" stays text.
    rest = pieces[0].text[task.end() :].lstrip()
    return [_Piece("text", rest), *pieces[1:]], task.group(1) in "xX"


def _resources_of(entries: list[_Step | _Resource]) -> list[_Resource]:
    """Return the resources of entries, with those of nested steps in their place."""
    out: list[_Resource] = []
    for entry in entries:
        out.extend(entry.resources if isinstance(entry, _Step) else [entry])
    return out


def _link_resource(
    ctx: _Context, pieces: list[_Piece], index: int, end: int, line: int, *, first: bool
) -> _Resource | None:
    """Make a resource of the link at `index`, with the text up to the next link (at `end`).

    Only the `first` link of an item takes the text before it as a lead.
    """
    link = pieces[index]
    after = pieces[index + 1 : end]
    remarks = [p for p in after if p.kind == "em" and _PLACEHOLDER_REMARK.search(p.text)]
    tail = _line_text(_text_of([p for p in after if p not in remarks]))
    lead = _line_text(_text_of(pieces[:index])).strip(_SEPARATORS + " ") if first else ""
    title = _line_text(link.text)
    if link.bare or not title or title.lower() in _GENERIC_LINK_TEXT:
        title = lead
    hours = _find_hours(tail, days=True)
    description = _strip_phrase(tail, hours) if hours else tail
    context = tail.lstrip(_LEADING)
    if hours is None and (hours := _find_hours(title)) is not None:
        context = title
    description = description.lstrip(_LEADING)
    kind = kind_named(lead) if lead else None
    marker = _KIND_MARKER.search(description)
    if marker is not None and (named := kind_named(marker.group(1))) is not None:
        kind = kind or named
        description = (description[: marker.start()] + description[marker.end() :]).strip()
        description = description.strip(_LEADING)
    elif (named := kind_named(description)) is not None:
        kind, description = kind or named, ""
    remark = " ".join(_line_text(p.text).strip("()") for p in remarks)
    if remark:
        description = _join(description, f"The source gives a placeholder link (“{remark}”).")
    resource = _make_resource(
        ctx,
        title,
        link.url,
        line,
        description=description,
        hours=hours,
        context=context,
        placeholder=bool(remark),
    )
    if resource is not None:
        resource.kind = kind
    return resource


def _make_resource(
    ctx: _Context,
    title: str,
    url: str,
    line: int,
    *,
    description: str = "",
    hours: _Phrase | None = None,
    context: str = "",
    placeholder: bool = False,
) -> _Resource | None:
    """Check the URL and make a resource, or report why the link cannot be used."""
    url = url.strip()
    if not urlsplit(url).scheme:
        shown = _quote(title) if title else _short(url)
        ctx.problem(
            line,
            f"the link {shown} ({_short(url)}) is relative: it points to a file beside the "
            "Markdown, not to a web page; not imported",
        )
        return None
    try:
        url = _URL.validate_python(url)
    except ValidationError as exc:
        reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        shown = _quote(title) if title else _short(url)
        ctx.problem(line, f"the link {shown} ({_short(url)}): the URL {reason}; not imported")
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    resource = _Resource(
        title=_line_text(title) or _title_from_url(url),
        url=url,
        line=line,
        placeholder=placeholder or host in PLACEHOLDER_HOSTS,
        description=_line_text(description) if re.search(r"\w", description) else None,
    )
    if hours is not None:
        resource.estimate = _Estimate(hours.low, hours.high, stated_basis(context, hours))
    ctx.count_resource(line)
    return resource
