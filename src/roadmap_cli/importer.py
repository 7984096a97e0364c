"""Import roadmaps written in Markdown: headings, lists of links, tables and hour phrases.

The structure comes from markdown-it's syntax tree, which knows the line of every block, so
whatever cannot be placed is reported with its line instead of being dropped in silence.
A heading that holds a list (or a table) of links is a roadmap. Under it, list items with a
bold lead and a nested list of links are its steps, a flat list of links its resources, and
deeper headings its steps. Hour phrases ("80–100+ hours", "45 min", "~6 weeks at 10 h/week")
give the roadmap's stated total and per-resource estimates; a resource without one gets a
share of what the stated total leaves, so the estimates add up to the total.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

import ftfy
import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from pydantic import TypeAdapter, ValidationError

from roadmap_cli.errors import InputError, RoadmapError
from roadmap_cli.models import PLACEHOLDER_HOSTS, Url
from roadmap_cli.safetext import escape_unsafe, unsafe_chars

ID_LENGTH = 40
MAX_HOURS = 100_000.0
NO_ESTIMATE_BASIS = "No estimate in the source; set one."

_MD = MarkdownIt("commonmark").enable("table")
# Quotes stay curly as written, and line breaks stay where they are so that line numbers hold.
_FIXER = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_line_breaks=False, unescape_html=False, explain=False
)
_URL: TypeAdapter[str] = TypeAdapter(Url)

_LISTS = ("bullet_list", "ordered_list")
_SEPARATORS = "-–—:|,·"
# What may stand between a link and its description: "[A](url) – text", "https://a.org. Text".
_LEADING = _SEPARATORS + " .;"

_NUM = r"(\d+(?:\.\d+)?)"
_START = r"(?<![\w.])"
_TO = r"\s*(?:-|–|—|to)\s*"
_HOUR = r"(?:hours?|hrs?|h)"
_MINUTE = r"(?:minutes?|mins?|m)"
_WEEKS = re.compile(
    rf"{_START}{_NUM}(?:{_TO}{_NUM})?\s*weeks?\b[^\d\n]{{0,12}}?"
    rf"{_NUM}(?:{_TO}{_NUM})?\s*{_HOUR}\s*(?:/|per\b|a\b)\s*(?:week|wk)\b",
    re.IGNORECASE,
)
_HOURS_AND_MINUTES = re.compile(rf"{_START}{_NUM}\s*{_HOUR}\s*(\d+)\s*{_MINUTE}\b", re.IGNORECASE)
# "10 h/week" is a pace, not an estimate: the lookahead leaves it alone.
_SPAN = re.compile(
    rf"{_START}{_NUM}(?:{_TO}{_NUM})?\s*(\+)?(?:\s*-\s*|\s*)(hours?|hrs?|h|minutes?|mins?|m)\b"
    r"(?!\s*(?:/|per\b))",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(rf"\s*~?\s*{_NUM}(?:{_TO}{_NUM})?\s*(\+)?\s*")
_APPROX = re.compile(r"(?:~|≈|about|around|approx\.?|approximately|roughly|ca\.)\s*$", re.I)

_BARE_URL = re.compile(r"https?://[^\s<>\"'`\[\]{}|\\^]+", re.IGNORECASE)
_TASK = re.compile(r"\[([ xX])\](?:\s|$)")
_OVERVIEW = re.compile(
    r"\W*(overview|introduction|intro|about|background|preface|motivation)\W*", re.I
)
_ROADMAP_WORD = re.compile(
    r"\b(roadmaps?|paths?|pathways?|tracks?|curriculum|syllabus|plans?)\b", re.IGNORECASE
)
_PLACEHOLDER_REMARK = re.compile(
    r"replace|placeholder|actual link|link (?:coming|pending|tbd)|\btbd\b|\btodo\b", re.I
)
_GENERIC_LINK_TEXT = {"link", "here", "this", "click here", "website", "site", "url", "source"}
_COLUMNS = {
    "title": ("title", "course", "name", "resource", "topic", "what"),
    "link": ("link", "url", "where", "website"),
    "hours": ("duration", "effort", "hours", "time", "length", "estimate"),
    "description": ("description", "notes", "note", "why", "details", "summary", "about"),
}
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")
_COURSE_HOSTS = (
    "coursera.org",
    "edx.org",
    "udemy.com",
    "udacity.com",
    "khanacademy.org",
    "datacamp.com",
    "codecademy.com",
    "pluralsight.com",
)
_POST_HOSTS = ("medium.com", "substack.com", "github.io", "dev.to", "hashnode.dev")
_COURSE_WORDS = re.compile(
    r"\b(course|courses|specialization|specialisation|mooc|nanodegree)\b|\bcs\s?\d+", re.I
)


class Problem(NamedTuple):
    """Something in the Markdown that the importer could not place, and its 1-based line."""

    line: int
    message: str


@dataclass(frozen=True)
class ImportResult:
    """Roadmap-file data ready for `to_yaml`, what could not be placed, and ticked items.

    `progress` maps the REF of each resource ticked in the source (`- [x]`) to "done".
    """

    data: dict[str, Any]
    problems: list[Problem]
    progress: dict[str, str]


@dataclass(frozen=True)
class _Phrase:
    """An hour phrase found in text: its range, an open end ("100+"), and where it stands."""

    low: float
    high: float
    plus: bool
    start: int
    end: int


@dataclass(frozen=True)
class _Piece:
    """A run of inline text: plain text, a link (or bare URL), or bold or italic text."""

    kind: Literal["text", "link", "strong", "em"]
    text: str
    url: str = ""
    bare: bool = False


@dataclass
class _Estimate:
    low: float
    high: float
    basis: str


@dataclass
class _Resource:
    title: str
    url: str
    line: int
    placeholder: bool = False
    description: str | None = None
    estimate: _Estimate | None = None
    done: bool = False


@dataclass
class _Step:
    title: str
    line: int
    description: str | None = None
    resources: list[_Resource] = field(default_factory=list)
    hours: _Phrase | None = None
    hours_text: str = ""


@dataclass
class _Roadmap:
    title: str
    line: int
    stated: _Phrase | None
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    steps: list[_Step] = field(default_factory=list)
    resources: list[_Resource] = field(default_factory=list)


@dataclass
class _Section:
    """A heading, the blocks right under it, and the deeper headings that follow it."""

    level: int
    title: str
    line: int
    blocks: list[SyntaxTreeNode] = field(default_factory=list)
    children: list[_Section] = field(default_factory=list)


@dataclass
class _Context:
    source: str
    problems: list[Problem] = field(default_factory=list)
    overview: list[str] = field(default_factory=list)
    roadmaps: list[_Roadmap] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))


# --- the public functions -------------------------------------------------------------------


def import_markdown(text: str, *, source: str, taken_ids: set[str]) -> ImportResult:
    """Turn a Markdown roadmap into roadmap-file data, or raise InputError if it holds none.

    `source` names the input in messages; `taken_ids` are roadmap ids already in use, which
    the new roadmaps' ids avoid.
    """
    ctx = _Context(source)
    root = SyntaxTreeNode(_MD.parse(repair_text(text)))
    preamble, sections = _sections(root.children)
    guide_title = sections[0].title if sections and sections[0].level == 1 else None
    _read_preamble(ctx, preamble, has_headings=bool(sections))
    for index, section in enumerate(sections):
        _walk(ctx, section, is_guide=index == 0 and guide_title is not None)
    for roadmap in ctx.roadmaps:
        _estimate(ctx, roadmap)
    roadmaps, progress = _assemble(ctx.roadmaps, taken_ids)
    if not roadmaps:
        raise InputError(
            f"{escape_unsafe(source)}: found no roadmap. Expected a heading followed by a list "
            "of links, e.g. '## Rust' and then '- [The Book](https://doc.rust-lang.org/book/)'."
        )
    data: dict[str, Any] = {"version": 1}
    overview = "\n\n".join(ctx.overview)
    if guide_title or overview:
        data["guide"] = {"title": guide_title or _source_title(source)}
        if overview:
            data["guide"]["overview"] = overview
    data["roadmaps"] = roadmaps
    problems = sorted(ctx.problems, key=lambda p: p.line)
    return ImportResult(data, problems, progress)


def to_yaml(data: Mapping[str, Any]) -> str:
    """Write roadmap-file data as a readable YAML document."""
    return yaml.dump(
        _for_yaml(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,  # one value a line: easier to edit than folded lines
    )


def repair_text(text: str) -> str:
    """Repair UTF-8 text that was once read as Windows-1252 ("itâ€™s" becomes "it’s")."""
    return ftfy.fix_text(text, _FIXER)


def guess_kind(title: str, url: str) -> str:
    """Guess a resource's kind (video, course, post, ...) from its title and URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.lower()
    words = title.lower()
    if _on_host(host, _VIDEO_HOSTS):
        return "video"
    if "workshop" in words:
        return "workshop"
    if (
        _on_host(host, _COURSE_HOSTS)
        or _COURSE_WORDS.search(words)
        or (host.endswith(".edu") and re.search(r"/(class|course)", path))
    ):
        return "course"
    if _on_host(host, _POST_HOSTS) or "blog" in host or "/blog" in path or "blog" in words:
        return "post"
    for kind, pattern in (
        ("video", r"\b(video|lecture|talk|webinar)s?\b"),
        ("tutorial", r"\btutorials?\b"),
        ("book", r"\bbooks?\b"),
        ("article", r"\b(article|paper)s?\b"),
    ):
        if re.search(pattern, words):
            return kind
    return "other"


def slugify(text: str, limit: int = ID_LENGTH) -> str:
    """Make a lowercase id from text: ASCII letters and digits joined by single hyphens."""
    folded = unicodedata.normalize("NFKD", text.replace("'", "").replace("’", ""))
    words = re.findall(r"[a-z0-9]+", folded.encode("ascii", "ignore").decode().lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


# --- sections and the walk over them ---------------------------------------------------------


def _sections(blocks: Sequence[SyntaxTreeNode]) -> tuple[list[SyntaxTreeNode], list[_Section]]:
    """Nest the blocks under their headings; return the blocks before any heading too."""
    preamble: list[SyntaxTreeNode] = []
    roots: list[_Section] = []
    stack: list[_Section] = []
    for node in blocks:
        if node.type != "heading":
            (stack[-1].blocks if stack else preamble).append(node)
            continue
        section = _Section(int(node.tag[1:]), _heading_text(node), _line(node))
        while stack and stack[-1].level >= section.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
    return preamble, roots


def _read_preamble(ctx: _Context, blocks: list[SyntaxTreeNode], *, has_headings: bool) -> None:
    """Read the text before the first heading: the overview, or a roadmap with no heading."""
    if not has_headings and _has_link_list(blocks):
        roadmap = _Roadmap(_source_title(ctx.source), _line(blocks[0]), None)
        _fill_roadmap(ctx, roadmap, blocks, [])
        ctx.roadmaps.append(roadmap)
        return
    _read_overview(ctx, blocks)


def _walk(ctx: _Context, section: _Section, *, is_guide: bool) -> None:
    """Find the roadmaps in a section and the sections under it."""
    steps = _children_are_steps(section)
    if _OVERVIEW.fullmatch(section.title) and not is_guide:
        _read_overview(ctx, section.blocks)
    elif steps or _has_link_list(section.blocks):
        title, stated = _without_hours(section.title)
        roadmap = _Roadmap(title, section.line, stated)
        _fill_roadmap(ctx, roadmap, section.blocks, section.children if steps else [])
        ctx.roadmaps.append(roadmap)
        if steps:
            return
    elif is_guide:
        _read_overview(ctx, section.blocks)
    else:
        _report_stray(ctx, section)
    if not section.blocks and not section.children:
        ctx.problem(section.line, f"the heading {_quote(section.title)} has nothing under it")
    for child in section.children:
        _walk(ctx, child, is_guide=False)


def _children_are_steps(section: _Section) -> bool:
    """Whether the deeper headings under this one are the steps of one roadmap.

    They are when each of them holds a plain list of links (no nested steps or headings) and
    this heading states hours, holds links itself, or calls itself a roadmap while they do not
    ("## Learning Roadmaps" over "### Long Roadmap (80 hours)" is a group of roadmaps).
    """
    kids = [kid for kid in section.children if _links_below(kid)]
    if not kids or _OVERVIEW.fullmatch(section.title):
        return False
    if any(_has_step_items(k.blocks) or any(_links_below(g) for g in k.children) for k in kids):
        return False
    if _find_hours(section.title) is not None:
        return True
    kids_look_like_roadmaps = any(_ROADMAP_WORD.search(k.title) for k in kids)
    if _has_link_list(section.blocks):
        return not kids_look_like_roadmaps
    return bool(_ROADMAP_WORD.search(section.title)) and not (
        kids_look_like_roadmaps or any(_find_hours(k.title) for k in kids)
    )


def _links_below(section: _Section) -> bool:
    return _has_link_list(section.blocks) or any(_links_below(k) for k in section.children)


def _flatten(sections: list[_Section]) -> Iterator[_Section]:
    for section in sections:
        yield section
        yield from _flatten(section.children)


def _read_overview(ctx: _Context, blocks: list[SyntaxTreeNode]) -> None:
    """Add the prose of blocks to the guide's overview; links there belong to no roadmap."""
    for block in blocks:
        if block.type in ("paragraph", "blockquote"):
            ctx.overview.extend(_prose(ctx, block))
        elif block.type in _LISTS and not _has_link_list([block]):
            ctx.overview.append("\n".join(f"- {_item_text(item)}" for item in block.children))
        elif _report_links(ctx, block, "is not under a roadmap heading"):
            continue
        elif block.type not in ("hr", "html_block"):
            ctx.problem(_line(block), f"a {_block_name(block)} outside any roadmap; not imported")


def _report_stray(ctx: _Context, section: _Section) -> None:
    """Report the blocks under a heading that is neither a roadmap nor the overview."""
    prose = False
    for block in section.blocks:
        if _report_links(ctx, block, "is outside any roadmap"):
            continue
        prose = prose or block.type not in ("hr", "html_block")
    if prose:
        ctx.problem(
            _line(section.blocks[0]),
            f"the text under {_quote(section.title)} holds no list of links and is not part "
            "of a roadmap; not imported",
        )


def _report_links(ctx: _Context, block: SyntaxTreeNode, where: str) -> bool:
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


# --- a roadmap's body ------------------------------------------------------------------------


def _fill_roadmap(
    ctx: _Context,
    roadmap: _Roadmap,
    blocks: list[SyntaxTreeNode],
    step_sections: list[_Section],
) -> None:
    """Read a roadmap's summary, note, steps and resources from its blocks and subsections."""
    entries = _body(ctx, blocks, roadmap.summary, roadmap.notes)
    for section in _flatten(step_sections):
        if _has_link_list(section.blocks):
            entries.append(_heading_step(ctx, section))
        elif section.blocks:
            roadmap.notes.extend(_prose_of(ctx, section.blocks))
        elif not section.children:
            ctx.problem(section.line, f"the heading {_quote(section.title)} has nothing under it")
    if roadmap.summary:
        roadmap.summary[-1] = _end_sentence(roadmap.summary[-1])
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


def _body(
    ctx: _Context, blocks: list[SyntaxTreeNode], before: list[str], after: list[str]
) -> list[_Step | _Resource]:
    """Read lists and tables into steps and resources; prose before them into `before`."""
    entries: list[_Step | _Resource] = []
    for block in blocks:
        if block.type in _LISTS:
            entries.extend(_list_entries(ctx, block, None))
        elif block.type == "table":
            entries.extend(_table_resources(ctx, block))
        elif block.type == "paragraph":
            (after if entries else before).extend(_prose(ctx, block))
        elif block.type == "blockquote":
            after.extend(_prose(ctx, block))
        elif block.type not in ("hr", "html_block"):
            ctx.problem(_line(block), f"a {_block_name(block)} in a roadmap; not imported")
    return entries


def _prose_of(ctx: _Context, blocks: list[SyntaxTreeNode]) -> list[str]:
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
            steps.append(_Step("Other resources", loose[0].line, resources=loose))
            loose = []
        if entry is not None:
            steps.append(entry)
    return steps


def _heading_step(ctx: _Context, section: _Section) -> _Step:
    """Make a step of a heading under a roadmap heading: its title, prose and links."""
    title, hours = _without_hours(section.title)
    before: list[str] = []
    after: list[str] = []
    entries = _body(ctx, section.blocks, before, after)
    description = "\n\n".join([*before, *after]) or None
    return _Step(title, section.line, description, _resources_of(entries), hours, section.title)


def _list_entries(
    ctx: _Context, node: SyntaxTreeNode, parent: _Resource | None
) -> list[_Step | _Resource]:
    entries: list[_Step | _Resource] = []
    for item in node.children:
        entries.extend(_item_entries(ctx, item, parent))
    return entries


def _item_entries(
    ctx: _Context, item: SyntaxTreeNode, parent: _Resource | None
) -> list[_Step | _Resource]:
    """Read a list item as a step (a lead and links), resources (links) or neither."""
    pieces, done = _item_pieces(item)
    line = _line(item)
    links = [i for i, piece in enumerate(pieces) if piece.kind == "link"]
    own = [r for i in links if (r := _link_resource(ctx, pieces, i, line)) is not None]
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
    return bold_lead and (has_nested or not first_link.bare)


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
    title = _line_text(title).rstrip(":").strip()
    description = _line_text(rest.lstrip().lstrip(_SEPARATORS))
    hours = _find_hours(description)
    context = description
    if hours is None and (hours := _find_hours(title)) is not None:
        context = title
        title = _strip_phrase(title, hours)
    return _Step(title or "Untitled step", line, description or None, resources, hours, context)


def _item_pieces(item: SyntaxTreeNode) -> tuple[list[_Piece], bool]:
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


def _link_resource(ctx: _Context, pieces: list[_Piece], index: int, line: int) -> _Resource | None:
    """Make a resource of the link at `index`, with the text up to the next link after it."""
    link = pieces[index]
    end = next((i for i in range(index + 1, len(pieces)) if pieces[i].kind == "link"), None)
    after = pieces[index + 1 : end]
    remarks = [p for p in after if p.kind == "em" and _PLACEHOLDER_REMARK.search(p.text)]
    tail = _line_text(_text_of([p for p in after if p not in remarks]))
    before = pieces[:index]
    first = all(p.kind != "link" for p in before)
    lead = _line_text(_text_of(before)).strip(_SEPARATORS + " ") if first else ""
    title = _line_text(link.text)
    if link.bare or not title or title.lower() in _GENERIC_LINK_TEXT:
        title = lead
    hours = _find_hours(tail)
    description = _strip_phrase(tail, hours) if hours else tail
    context = tail.lstrip(_LEADING)
    if hours is None and (hours := _find_hours(title)) is not None:
        context = title
    description = description.lstrip(_LEADING)
    remark = " ".join(_line_text(p.text).strip("()") for p in remarks)
    if remark:
        description = _join(description, f"The source gives a placeholder link (“{remark}”).")
    return _make_resource(
        ctx,
        title,
        link.url,
        line,
        description=description,
        hours=hours,
        context=context,
        placeholder=bool(remark),
    )


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
        basis = f"Stated in the source: “{_clip(context)}”."
        resource.estimate = _Estimate(hours.low, hours.high, basis)
    return resource


# --- tables ----------------------------------------------------------------------------------


def _table_resources(ctx: _Context, table: SyntaxTreeNode) -> list[_Resource]:
    """Read each row of a table with a link as a resource; its header names the columns."""
    rows = [node for node in table.walk() if node.type == "tr"]
    if not rows:
        return []
    roles = _column_roles([_plain(cell).lower() for cell in rows[0].children])
    resources: list[_Resource] = []
    for row in rows[1:]:
        cells = [_pieces(cell.children[0]) if cell.children else [] for cell in row.children]
        resource = _row_resource(ctx, cells, roles, _line(row))
        if resource is not None:
            resources.append(resource)
    return resources


def _column_roles(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for role, names in _COLUMNS.items():
        for index, name in enumerate(header):
            if index not in roles.values() and any(word in name for word in names):
                roles[role] = index
                break
    return roles


def _row_resource(
    ctx: _Context, cells: list[list[_Piece]], roles: dict[str, int], line: int
) -> _Resource | None:
    def cell(role: str) -> list[_Piece]:
        index = roles.get(role)
        return cells[index] if index is not None and index < len(cells) else []

    links = [p for p in cell("link") + cell("title") if p.kind == "link"]
    links += [p for row_cell in cells for p in row_cell if p.kind == "link"]
    if not links:
        row_text = " | ".join(text for c in cells if (text := _line_text(_text_of(c))))
        ctx.problem(line, f"a table row without a link: {_quote(row_text)}; not imported")
        return None
    title = _line_text(_text_of(cell("title"))) or _line_text(links[0].text)
    if links[0].bare and title == links[0].url:
        title = ""
    duration = _line_text(_text_of(cell("hours")))
    hours = _find_hours(duration) or _bare_hours(duration)
    if duration and hours is None:
        ctx.problem(line, f"no hour estimate could be read from {_quote(duration)}")
    return _make_resource(
        ctx,
        title,
        links[0].url,
        line,
        description=_text_of(cell("description")),
        hours=hours,
        context=duration,
    )


# --- hours -----------------------------------------------------------------------------------


def _find_hours(text: str) -> _Phrase | None:
    """Find the first hour phrase in text: "2–3 hours", "45 min", "~6 weeks at 10 h/week"."""
    found = [m for m in (p.search(text) for p in (_WEEKS, _HOURS_AND_MINUTES, _SPAN)) if m]
    for match in sorted(found, key=lambda m: (m.start(), -m.end())):
        phrase = _phrase(match)
        if phrase is not None:
            return phrase
    return None


def _phrase(match: re.Match[str]) -> _Phrase | None:
    groups = match.groups()
    plus = False
    if match.re is _WEEKS:
        weeks_low, weeks_high, rate_low, rate_high = (_number(g) for g in groups)
        low = weeks_low * rate_low
        high = (weeks_high or weeks_low) * (rate_high or rate_low)
    elif match.re is _HOURS_AND_MINUTES:
        low = high = _number(groups[0]) + _number(groups[1]) / 60
    else:
        low = _number(groups[0])
        high = _number(groups[1]) or low
        plus = groups[2] is not None
        if groups[3].lower().startswith("m"):
            low, high = low / 60, high / 60
    low, high = sorted((round(low, 2), round(high, 2)))
    if not (math.isfinite(low) and math.isfinite(high)) or high > MAX_HOURS:
        return None
    return _Phrase(low, high, plus, match.start(), match.end())


def _bare_hours(text: str) -> _Phrase | None:
    """Read a plain number ("12", "10-12") in a column of hours."""
    match = _BARE_NUMBER.fullmatch(text)
    if match is None:
        return None
    low = _number(match.group(1))
    high = _number(match.group(2)) or low
    if not math.isfinite(high) or high > MAX_HOURS or low > high:
        return None
    return _Phrase(low, high, match.group(3) is not None, 0, len(text))


def _number(text: str | None) -> float:
    return float(text) if text else 0.0


def _without_hours(text: str) -> tuple[str, _Phrase | None]:
    """Split a heading into its title and its hour phrase, if it has one."""
    phrase = _find_hours(text)
    if phrase is None:
        return text or "Untitled", None
    return _strip_phrase(text, phrase) or text, phrase


def _strip_phrase(text: str, phrase: _Phrase) -> str:
    """Remove an hour phrase that stands apart: "(2 h)", "Title – 2 h", "2 h"; keep others."""
    before, after = text[: phrase.start], text[phrase.end :]
    approx = _APPROX.search(before)
    if approx is not None:
        before = before[: approx.start()]
    head, tail = before.rstrip(), after.lstrip()
    if head.endswith("(") and tail.startswith(")"):
        return _line_text(f"{head[:-1]} {tail[1:]}")
    if not tail.strip(" .") and (not head or head[-1] in _SEPARATORS):
        return _line_text(head.rstrip(_SEPARATORS + " "))
    if not head and (not tail or tail[0] in _SEPARATORS):
        return _line_text(tail.lstrip(_SEPARATORS + " "))
    return text


def _estimate(ctx: _Context, roadmap: _Roadmap) -> None:
    """Give every resource of a roadmap an estimate: its own, its step's, or a share."""
    for step in roadmap.steps:
        if step.hours is None or all(r.estimate for r in step.resources):
            continue
        context = _clip(step.hours_text)
        several = sum(r.estimate is None for r in step.resources) > 1
        basis = (
            f"Split evenly from the step’s stated hours (“{context}”)."
            if several
            else f"Stated in the source: “{context}”."
        )
        if not _apportion(step.resources, step.hours, basis):
            ctx.problem(
                step.line, f"the estimates in {_quote(step.title)} do not fit its stated hours"
            )
    resources = roadmap.resources + [r for step in roadmap.steps for r in step.resources]
    unknown = [r for r in resources if r.estimate is None]
    if not unknown:
        return
    stated = roadmap.stated
    if stated is None:
        for resource in unknown:
            resource.estimate = _Estimate(1, 1, NO_ESTIMATE_BASIS)
        ctx.problem(
            roadmap.line,
            f"{_quote(roadmap.title)} states no total hours, so its {_count(unknown, 'resource')} "
            "without an estimate got 1 hour each; set real estimates",
        )
        return
    basis = (
        f"Apportioned on import from the roadmap’s stated {_hours_text(stated)} hours; "
        "the source gives no figure for it."
    )
    if not _apportion(resources, stated, basis):
        ctx.problem(
            roadmap.line,
            f"the estimates in {_quote(roadmap.title)} do not fit its stated "
            f"{_hours_text(stated)} hours; check the ones without a figure in the source",
        )


def _apportion(resources: list[_Resource], total: _Phrase, basis: str) -> bool:
    """Share what `total` leaves after the known estimates among the resources without one.

    Return whether it fits; when the known estimates exceed the total, the others get 0.
    """
    unknown = [r for r in resources if r.estimate is None]
    known = [r.estimate for r in resources if r.estimate is not None]
    low = total.low - sum(e.low for e in known)
    high = total.high - sum(e.high for e in known)
    if unknown:
        for resource, (share_low, share_high) in zip(
            unknown, _shares(low, high, len(unknown)), strict=True
        ):
            resource.estimate = _Estimate(share_low, share_high, basis)
    return 0 <= low <= high


def _shares(low: float, high: float, count: int) -> list[tuple[float, float]]:
    """Split low and high hours into `count` shares of whole cents that add up exactly.

    The rounding remainder goes to the last share; each share keeps low <= high.
    """
    low_cents = max(0, round(low * 100))
    high_cents = max(low_cents, round(high * 100))
    lows = _split_cents(low_cents, count)
    highs = _split_cents(high_cents, count)
    if any(lo > hi for lo, hi in zip(lows, highs, strict=True)):
        # Rounding both ends apart can cross them; share the difference instead.
        highs = [
            lo + d for lo, d in zip(lows, _split_cents(high_cents - low_cents, count), strict=True)
        ]
    return [(lo / 100, hi / 100) for lo, hi in zip(lows, highs, strict=True)]


def _split_cents(total: int, count: int) -> list[int]:
    each = total // count
    return [each] * (count - 1) + [total - each * (count - 1)]


def _hours_text(phrase: _Phrase) -> str:
    span = f"{phrase.low:g}" if phrase.low == phrase.high else f"{phrase.low:g}–{phrase.high:g}"
    return span + ("+" if phrase.plus else "")


# --- the output data -------------------------------------------------------------------------


def _assemble(
    roadmaps: list[_Roadmap], taken_ids: set[str]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Give ids to the roadmaps and resources and write them as plain data."""
    used = set(taken_ids)
    out: list[dict[str, Any]] = []
    progress: dict[str, str] = {}
    for roadmap in roadmaps:
        if not roadmap.steps and not roadmap.resources:
            continue
        roadmap_id = _unique(slugify(roadmap.title) or "roadmap", used)
        data: dict[str, Any] = {"id": roadmap_id, "title": roadmap.title}
        if roadmap.summary:
            data["summary"] = "\n\n".join(roadmap.summary)
        if roadmap.notes:
            data["note"] = "\n\n".join(roadmap.notes)
        if roadmap.stated is not None:
            stated = roadmap.stated
            data["stated_hours"] = {
                "low": _num(stated.low),
                "high": _num(stated.high),
                "plus": stated.plus,
            }
        ids: set[str] = set()
        if roadmap.steps:
            data["steps"] = [
                _step_data(step, _resources_data(step.resources, roadmap_id, ids, progress))
                for step in roadmap.steps
            ]
        else:
            data["resources"] = _resources_data(roadmap.resources, roadmap_id, ids, progress)
        out.append(data)
    return out, progress


def _resources_data(
    resources: list[_Resource], roadmap_id: str, ids: set[str], progress: dict[str, str]
) -> list[dict[str, Any]]:
    """Write resources as data with ids unique in the roadmap; note the ticked ones."""
    out: list[dict[str, Any]] = []
    for resource in resources:
        resource_id = _unique(_resource_slug(resource), ids)
        if resource.done:
            progress[f"{roadmap_id}/{resource_id}"] = "done"
        out.append(_resource_data(resource, resource_id))
    return out


def _step_data(step: _Step, resources: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"title": step.title}
    if step.description:
        data["description"] = step.description
    data["resources"] = resources
    return data


def _resource_data(resource: _Resource, resource_id: str) -> dict[str, Any]:
    estimate = resource.estimate or _Estimate(1, 1, NO_ESTIMATE_BASIS)
    data: dict[str, Any] = {
        "id": resource_id,
        "title": resource.title,
        "kind": guess_kind(resource.title, resource.url),
        "url": resource.url,
    }
    if resource.placeholder:
        data["placeholder"] = True
    if estimate.low == estimate.high:
        data["hours"] = _num(estimate.low)
    else:
        data["hours"] = {"low": _num(estimate.low), "high": _num(estimate.high)}
    data["basis"] = estimate.basis
    if resource.description:
        data["description"] = resource.description
    return data


def _resource_slug(resource: _Resource) -> str:
    parts = urlsplit(resource.url)
    return slugify(resource.title) or slugify(f"{parts.hostname} {parts.path}") or "resource"


def _unique(base: str, used: set[str]) -> str:
    """Return `base`, or `base-2`, `base-3`... whichever is not used yet, and mark it used."""
    candidate = base
    number = 2
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    used.add(candidate)
    return candidate


def _num(value: float) -> int | float:
    """Return a whole number as an int, so that YAML shows 80 rather than 80.0."""
    return int(value) if value == int(value) else value


class _Dumper(yaml.SafeDumper):
    """Write multi-line text as literal blocks and hour ranges on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the shipped roadmap file does.
        super().increase_indent(flow, False)


class _Flow(dict[str, Any]):
    """A mapping written on one line: {low: 2, high: 3}."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)


def _for_yaml(value: Any, key: str = "") -> Any:
    if isinstance(value, Mapping):
        items = {k: _for_yaml(v, k) for k, v in value.items()}
        return _Flow(items) if key in ("hours", "stated_hours") else items
    if isinstance(value, list):
        return [_for_yaml(item) for item in value]
    return value


# --- inline text -----------------------------------------------------------------------------


def _pieces(inline: SyntaxTreeNode) -> list[_Piece]:
    """Return an inline node as pieces, with bare URLs in the text as links of their own."""
    merged: list[_Piece] = []
    for piece in _raw_pieces(inline):
        if piece.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1] = _Piece("text", merged[-1].text + piece.text)
        else:
            merged.append(piece)
    out: list[_Piece] = []
    for piece in merged:
        out.extend(_split_urls(piece.text) if piece.kind == "text" else [piece])
    return out


def _raw_pieces(node: SyntaxTreeNode) -> Iterator[_Piece]:
    for child in node.children:
        kind = child.type
        if kind == "link":
            href = str(child.attrs.get("href", ""))
            text = _plain(child)
            yield _Piece("link", text, href, bare=child.markup == "autolink" or text == href)
        elif kind in ("strong", "em") and not any(n.type == "link" for n in child.walk()):
            yield _Piece("strong" if kind == "strong" else "em", _plain(child))
        elif kind in ("strong", "em", "s"):
            yield from _raw_pieces(child)  # emphasis around a link: the link is what counts
        elif kind in ("text", "code_inline"):
            yield _Piece("text", child.content)
        elif kind in ("softbreak", "hardbreak"):
            yield _Piece("text", " ")


def _split_urls(text: str) -> list[_Piece]:
    out: list[_Piece] = []
    position = 0
    for match in _BARE_URL.finditer(text):
        if match.start() < position:
            continue
        url = _trim_url(match.group())
        out.append(_Piece("text", text[position : match.start()]))
        out.append(_Piece("link", url, url, bare=True))
        position = match.start() + len(url)
    out.append(_Piece("text", text[position:]))
    return [p for p in out if p.kind == "link" or p.text]


def _trim_url(url: str) -> str:
    """Drop the punctuation that ends a sentence rather than the URL."""
    while url and url[-1] in ".,;:!?*_)":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _plain(node: SyntaxTreeNode) -> str:
    """Return the text of a node without Markdown markers."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain(child) for child in node.children)


def _text_of(pieces: list[_Piece]) -> str:
    return "".join(p.text for p in pieces)


def _heading_text(node: SyntaxTreeNode) -> str:
    return _line_text(_plain(node)) or "Untitled"


def _item_text(item: SyntaxTreeNode) -> str:
    paragraph = next((c for c in item.children if c.type == "paragraph"), None)
    return _line_text(_plain(paragraph)) if paragraph is not None else ""


def _inlines(node: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    return [n for n in node.walk() if n.type == "inline"]


def _prose(ctx: _Context, block: SyntaxTreeNode) -> list[str]:
    """Return the paragraphs of a block as plain text; links in them are reported."""
    _report_links(ctx, block, "is in running text, not in a list of links")
    paragraphs = [_line_text(_plain(n)) for n in _inlines(block)]
    return [text for text in paragraphs if text]


def _has_link_list(blocks: list[SyntaxTreeNode]) -> bool:
    """Whether any list or table among the blocks holds a link."""
    return any(
        block.type in (*_LISTS, "table")
        and any(p.kind == "link" for inline in _inlines(block) for p in _pieces(inline))
        for block in blocks
    )


def _has_step_items(blocks: list[SyntaxTreeNode]) -> bool:
    for block in blocks:
        if block.type not in _LISTS:
            continue
        for item in block.children:
            nested = [c for c in item.children if c.type in _LISTS]
            if _is_step(_item_pieces(item)[0], has_nested=_has_link_list(nested)):
                return True
    return False


def _line_text(text: str) -> str:
    """Return text as one clean line: no control characters, single spaces."""
    bad = set(unsafe_chars(text, allow_newlines=False))
    if bad:
        text = "".join(" " if ch in bad else ch for ch in text)
    return " ".join(text.split())


def _split_dash(text: str) -> tuple[str, str]:
    """Split "Title – description" (or "Title: description") at the first separator."""
    match = re.search(r"\s[-–—]\s|:\s", text)
    if match is None:
        return text, ""
    return text[: match.start()], text[match.end() :]


def _end_sentence(text: str) -> str:
    """End a lead-in line ("Recommended for:") as a sentence instead of with a colon."""
    return text[:-1].rstrip() + "." if text.endswith(":") else text


def _join(first: str | None, second: str) -> str:
    return f"{first} {second}".strip() if first else second


def _on_host(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _title_from_url(url: str) -> str:
    parts = urlsplit(url)
    title = (parts.hostname or "").removeprefix("www.") + parts.path.rstrip("/")
    return _clip(_line_text(title) or url, 80)


def _source_title(source: str) -> str:
    stem = PurePath(source).stem if source not in ("", "-") else ""
    return _line_text(stem.replace("_", " ").replace("-", " ")) or "Imported roadmaps"


def _block_name(block: SyntaxTreeNode) -> str:
    return {"fence": "code block", "code_block": "code block", "table": "table"}.get(
        block.type, block.type.replace("_", " ")
    )


def _line(node: SyntaxTreeNode) -> int:
    """Return the 1-based line where a node starts (its nearest block's line)."""
    current: SyntaxTreeNode | None = node
    while current is not None and not current.is_root:
        if current.map is not None:
            return current.map[0] + 1
        current = current.parent
    return 1


def _count(items: Sequence[object], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _clip(text: str, limit: int = 60) -> str:
    text = _line_text(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quote(text: str) -> str:
    return f"“{escape_unsafe(_clip(text))}”"


def _short(url: str) -> str:
    return escape_unsafe(_clip(url, 80))


# --- importing a file -------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What `import_file` did: the result, the YAML written, and where it went."""

    result: ImportResult
    text: str
    path: Path | None  # None when written to standard output


def target_path(source: Path, out: Path | None, folder: Path) -> Path | None:
    """Return where an import of `source` is written: `out`, or the folder; None for "-".

    `out` must name a roadmap file (.yaml or .yml), not a folder.
    """
    if out is None:
        return folder / f"{slugify(source.stem) or 'imported'}.yaml"
    if str(out) == "-":
        return None
    if out.is_dir():
        raise InputError(f"{out} is a folder; -o takes the name of a file ending in .yaml or .yml.")
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(
            f"-o {out}: the file name must end in .yaml or .yml, as roadmap files do; "
            "'-o -' prints to the screen."
        )
    return out


def import_file(source: Path, *, target: Path | None, taken_ids: set[str], force: bool) -> Imported:
    """Import a Markdown file and write its roadmaps as YAML to `target` (None: nowhere).

    An existing file is replaced only with `force`.
    """
    if target is not None and target.exists() and not force:
        raise InputError(f"{target} already exists; use --force to replace it, or -o another file.")
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read it: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{source}:{line}: the file is not UTF-8 text.") from None
    result = import_markdown(text, source=str(source), taken_ids=taken_ids)
    document = f"# Imported from {source.name} by roadmap-cli. Check it: roadmap validate FILE\n"
    document += to_yaml(result.data)
    if target is None:
        return Imported(result, document, None)
    from roadmap_cli.atomic import write_atomic

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, document.encode("utf-8"), replace=force)
    except FileExistsError:
        raise InputError(
            f"{target} already exists; nothing was written. Use --force to replace it, "
            "or -o another file."
        ) from None
    except OSError as exc:
        raise RoadmapError(f"Cannot write {target}: {exc.strerror or exc}.") from None
    return Imported(result, document, target)
