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

import functools
import math
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

import ftfy
import ftfy.badness
import ftfy.chardata
import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from pydantic import TypeAdapter, ValidationError

from roadmap_cli import yamlfile
from roadmap_cli.errors import InputError, RoadmapError, RoadmapFileError
from roadmap_cli.models import PLACEHOLDER_HOSTS, Url
from roadmap_cli.safetext import escape_unsafe, unsafe_chars

ID_LENGTH = 40
MAX_HOURS = 100_000.0
NO_ESTIMATE_BASIS = "No estimate in the source; set one."
# The most Markdown `import` reads: twice the largest guides (awesome lists run to 1 MB).
# Import takes time and memory in proportion to its input: some 1.2 s and 70 MB a MiB of
# README, up to 8 s a MiB of what markdown-it parses slowest (thousands of unclosed "[" or
# "*"); and 2 MiB of lists of links make about the 5 MiB a roadmap file may hold.
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
# What could not be placed is listed up to this many times, then counted.
MAX_LISTED_PROBLEMS = 100
# The fewest values (as the loader counts them) a resource takes in a roadmap file: its
# mapping, and id, title, kind, url, hours and basis with their values. Past MAX_VALUES // 13
# resources no roadmap file could hold them, so import stops there.
VALUES_PER_RESOURCE = 13

# The most elements (markdown-it's tokens: blocks, list items, table cells, links, emphasis
# and runs of text) a Markdown file may make: each costs some 500 bytes until the import is
# done. A 2 MB README makes about 170,000; 2 MiB of table rows or list markers could make
# millions, so parsing stops at this many.
MAX_MARKDOWN_ELEMENTS = 300_000


class _TooManyElements(Exception):
    """The Markdown makes more than MAX_MARKDOWN_ELEMENTS tokens; parsing stops."""


def _block_guard(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule that matches nothing and stops parsing past MAX_MARKDOWN_ELEMENTS.

    It runs before every block, and as a terminator for every line of paragraphs, lists,
    tables and quotes, so no block grows far beyond the count unseen.
    """
    if len(state.tokens) > MAX_MARKDOWN_ELEMENTS:
        raise _TooManyElements
    return False


def _core_guard(state: StateCore) -> None:
    """After the blocks: what is left of MAX_MARKDOWN_ELEMENTS for the inline elements."""
    state.env["import_left"] = MAX_MARKDOWN_ELEMENTS - len(state.tokens)
    state.env["import_counted"] = {}
    if state.env["import_left"] < 0:
        raise _TooManyElements


def _inline_guard(state: StateInline, silent: bool) -> bool:
    """An inline rule that matches nothing and counts the inline elements as they are made."""
    counted: dict[int, int] = state.env["import_counted"]
    tokens = state.tokens
    grown = len(tokens) - counted.get(id(tokens), 0)
    if grown > 0:
        counted[id(tokens)] = len(tokens)
        state.env["import_left"] -= grown
        if state.env["import_left"] < 0:
            raise _TooManyElements
    return False


_MD = MarkdownIt("commonmark").enable("table")
_MD.block.ruler.before(
    "table", "import_guard", _block_guard, {"alt": ["paragraph", "reference", "blockquote", "list"]}
)
_MD.core.ruler.after("block", "import_guard", _core_guard)
_MD.inline.ruler.before("text", "import_guard", _inline_guard)
# Quotes stay curly as written, and line breaks stay where they are so that line numbers hold.
_FIXER = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_line_breaks=False, unescape_html=False, explain=False
)
_URL: TypeAdapter[str] = TypeAdapter(Url)
# What ftfy may change with the options above: anything but printable ASCII, tab, line feed,
# form feed and carriage return (it removes the other control characters), and the dashes,
# ellipsis, curly quotes and bullet of ordinary text. Those are in none of the character
# classes of ftfy's mojibake test but its "common" and punctuation ones, and each pattern of
# that test needs a character of another class, so a line of them and ASCII is never changed.
_NEEDS_REPAIR = re.compile("[^\t\n\x0c\r\x20-\x7e–—…\u2018’“”•]")
# What ftfy's fixes other than the mojibake one replace: C1 and other control characters,
# ligatures, full-width forms, surrogates.
_FTFY_TOUCHES = re.compile(
    "["
    + "".join(
        re.escape(chr(code))
        for code in sorted(
            {*ftfy.chardata.CONTROL_CHARS, *ftfy.chardata.LIGATURES, *ftfy.chardata.WIDTH_MAP}
            | set(range(0x80, 0xA0))
        )
    )
    + "\ud800-\udfff]"
)

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


class _Node:
    """A node of the syntax tree: a block or inline element with its children.

    Built in one pass over markdown-it's tokens (markdown-it's own SyntaxTreeNode copies the
    tokens of every level again, so its cost grows with depth times size). The pieces of an
    inline node and whether a node holds a link are remembered, as they are asked for often.
    """

    __slots__ = (
        "attrs",
        "children",
        "content",
        "has_link",
        "line",
        "link_inside",
        "markup",
        "pieces",
        "tag",
        "type",
    )

    def __init__(self, kind: str, token: Token | None, line: int) -> None:
        self.type = kind
        self.children: list[_Node] = []
        self.pieces: list[_Piece] | None = None
        self.has_link: bool | None = None
        self.link_inside = False  # for inline nodes (emphasis...): a link among those under it
        # The 1-based line where it starts: its own, or its nearest block's. No link to the
        # parent is kept, so the tree holds no cycles and is freed as soon as it is let go.
        self.line = line
        if token is None:
            self.tag, self.markup, self.content = "", "", ""
            self.attrs: dict[str, Any] = {}
        else:
            self.tag, self.markup = token.tag, token.markup
            self.content, self.attrs = token.content, token.attrs

    def walk(self) -> Iterator[_Node]:
        """Yield this node and every node under it, in document order (no recursion)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def _tree(tokens: Sequence[Token]) -> _Node:
    """Build the syntax tree of markdown-it's tokens."""
    root = _Node("root", None, 1)
    _add_tokens(root, tokens)
    return root


def _add_tokens(parent: _Node, tokens: Sequence[Token]) -> None:
    stack = [parent]
    for token in tokens:
        if token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
            continue
        top = stack[-1]
        line = token.map[0] + 1 if token.map else top.line
        if token.type == "link_open":
            # Mark the elements it is in, up to the first one marked already (whose own are
            # marked too): each is marked once however deep emphasis nests.
            for outer in reversed(stack[1:]):
                if outer.link_inside:
                    break
                outer.link_inside = True
        if token.nesting == 1:
            node = _Node(token.type.removesuffix("_open"), token, line)
            top.children.append(node)
            stack.append(node)
        else:
            node = _Node(token.type, token, line)
            top.children.append(node)
            if token.children:
                _add_tokens(node, token.children)  # inline tokens: one level only


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
    blocks: list[_Node] = field(default_factory=list)
    children: list[_Section] = field(default_factory=list)


@dataclass
class _Context:
    source: str
    problems: list[Problem] = field(default_factory=list)
    overview: list[str] = field(default_factory=list)
    roadmaps: list[_Roadmap] = field(default_factory=list)
    resources: int = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def count_resource(self) -> None:
        """Count a resource made; refuse at once when no roadmap file could hold them all."""
        self.resources += 1
        most = yamlfile.MAX_VALUES // VALUES_PER_RESOURCE
        if self.resources > most:
            raise InputError(
                f"{escape_unsafe(self.source)}: it holds more than {most:,} links to import, and "
                f"a roadmap file may hold at most {yamlfile.MAX_VALUES:,} values (each resource "
                f"takes at least {VALUES_PER_RESOURCE}), so roadmap could not load what it "
                "would make; nothing was written. Split the Markdown into smaller files and "
                "import each."
            )


# --- the public functions -------------------------------------------------------------------


def import_markdown(text: str, *, source: str, taken_ids: set[str]) -> ImportResult:
    """Turn a Markdown roadmap into roadmap-file data, or raise InputError if it holds none.

    `source` names the input in messages; `taken_ids` are roadmap ids already in use, which
    the new roadmaps' ids avoid.
    """
    # Importing makes a great many objects and frees none until the end: the garbage
    # collector's passes over them on the way would cost a third of the time.
    with yamlfile.paused_gc():
        return _import_markdown(text, source=source, taken_ids=taken_ids)


def _import_markdown(text: str, *, source: str, taken_ids: set[str]) -> ImportResult:
    ctx = _Context(source)
    try:
        root = _tree(_MD.parse(repair_text(text), {}))
    except _TooManyElements:
        raise InputError(
            f"{escape_unsafe(source)}: the Markdown makes more than {MAX_MARKDOWN_ELEMENTS:,} "
            "elements (list items, table cells, links, emphasis and the like), more than import "
            "takes on; nothing was written. Split it into smaller files and import each."
        ) from None
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
            "of links, e.g. '## Rust' and then '- [The Book](https://doc.rust-lang.org/book/)'. "
            "Nothing was written."
        )
    data: dict[str, Any] = {"version": 1}
    overview = "\n\n".join(ctx.overview)
    if guide_title or overview:
        data["guide"] = {"title": guide_title or _source_title(source)}
        if overview:
            data["guide"]["overview"] = overview
    data["roadmaps"] = roadmaps
    problems = sorted(ctx.problems, key=lambda p: p.line)
    if len(problems) > MAX_LISTED_PROBLEMS:
        more = len(problems) - MAX_LISTED_PROBLEMS
        last = Problem(problems[MAX_LISTED_PROBLEMS].line, f"… and {more:,} more (not listed)")
        problems = [*problems[:MAX_LISTED_PROBLEMS], last]
    return ImportResult(data, problems, progress)


def to_yaml(data: Mapping[str, Any]) -> str:
    """Write roadmap-file data as a readable YAML document."""
    return _write(data).text


def repair_text(text: str) -> str:
    """Repair UTF-8 text that was once read as Windows-1252 ("itâ€™s" becomes "it’s").

    ftfy repairs each line on its own, and with the options above leaves a line of printable
    ASCII as it is; so only the other lines go through it (it costs some 25 µs a line).
    """
    parts: list[str] = []
    position = 0
    while (match := _NEEDS_REPAIR.search(text, position)) is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start()) + 1 or len(text)
        line = text[start:end]
        parts.append(text[position:start])
        parts.append(ftfy.fix_text(line, _FIXER) if _ftfy_may_change(line) else line)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _ftfy_may_change(line: str) -> bool:
    """Whether ftfy (with the options above) may change a line; when not, it leaves it as is.

    It changes a line only if it looks like mojibake (`is_bad`, the test ftfy itself makes
    first), holds a character one of its other fixes replaces, or is not in NFC.
    """
    return (
        _FTFY_TOUCHES.search(line) is not None
        or ftfy.badness.is_bad(line)
        or not unicodedata.is_normalized("NFC", line)
    )


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


def _sections(blocks: Sequence[_Node]) -> tuple[list[_Node], list[_Section]]:
    """Nest the blocks under their headings; return the blocks before any heading too."""
    preamble: list[_Node] = []
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


def _read_preamble(ctx: _Context, blocks: list[_Node], *, has_headings: bool) -> None:
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


def _read_overview(ctx: _Context, blocks: list[_Node]) -> None:
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


# --- a roadmap's body ------------------------------------------------------------------------


def _fill_roadmap(
    ctx: _Context,
    roadmap: _Roadmap,
    blocks: list[_Node],
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
    ctx: _Context, blocks: list[_Node], before: list[str], after: list[str]
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
    ctx.count_resource()
    return resource


# --- tables ----------------------------------------------------------------------------------


def _table_resources(ctx: _Context, table: _Node) -> list[_Resource]:
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
    used = _Ids(taken_ids)
    out: list[dict[str, Any]] = []
    progress: dict[str, str] = {}
    for roadmap in roadmaps:
        if not roadmap.steps and not roadmap.resources:
            continue
        roadmap_id = used.unique(slugify(roadmap.title) or "roadmap")
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
        ids = _Ids()
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
    resources: list[_Resource], roadmap_id: str, ids: _Ids, progress: dict[str, str]
) -> list[dict[str, Any]]:
    """Write resources as data with ids unique in the roadmap; note the ticked ones."""
    out: list[dict[str, Any]] = []
    for resource in resources:
        resource_id = ids.unique(_resource_slug(resource))
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


class _Ids:
    """Ids in use, and for each base the number its next `base-N` is tried from."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.used = set(taken or ())
        self.next: dict[str, int] = {}

    def unique(self, base: str) -> str:
        """Return `base`, or `base-2`, `base-3`... whichever is not used yet, and mark it used.

        The numbers tried before for the same base are all used, so they are not tried again:
        a thousand resources with the same title cost a thousand tries, not half a million.
        """
        candidate = base
        number = self.next.get(base, 2)
        while candidate in self.used:
            candidate = f"{base}-{number}"
            number += 1
        self.next[base] = number
        self.used.add(candidate)
        return candidate


def _num(value: float) -> int | float:
    """Return a whole number as an int, so that YAML shows 80 rather than 80.0."""
    return int(value) if value == int(value) else value


# Writing YAML: the data is plain (mappings, lists, text, numbers, booleans), so a few rules
# give the same readable file as PyYAML's emitter did, at a tenth of its cost: block mappings
# and lists (list items indented under their key), hour ranges on one line, multi-line text as
# literal blocks, and text plain where YAML reads it back as the same text, quoted otherwise.
# `import_file` reads the result back with the loader before writing it anywhere.

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1's implicit types: yes, on, 1_000, 2020-01-01
# Characters YAML does not allow in a file as they are (PyYAML's test for printable).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
# What keeps text from being written plain: an indicator first, ": " or " #", a space or a
# colon last, a line break or tab, or a character that is not printable.
_PLAIN_BAD = re.compile(
    r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: |\s#|[:\s]$|[\n\t\r\x85\u2028\u2029\ufeff]|"
    + _NOT_PRINTABLE.pattern
)
_NUMBER_START = set("0123456789+-.")
_LOOKS_TYPED = re.compile(r"[-+.0-9][-+.0-9a-zA-Z_:]*")  # 12, -1.5, .inf, 0x1F, 1e3, 1:30
_LOADER_WORDS = {"~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(
    '[\\\\"\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ud800-\\udfff\\ufffe\\uffff]'
)
_FLOW_KEYS = ("hours", "stated_hours")


@dataclass(frozen=True)
class _Written:
    """A YAML document and what the loader counts in it: values, longest list, deepest."""

    text: str
    values: int
    most_items: int
    depth: int


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.values = 0  # as the loader counts them: every scalar (keys too) and collection
        self.most_items = 0
        self.depth = 0  # of the deepest list or mapping, the top one being 0

    def collection(self, size: int, depth: int) -> None:
        self.values += 1
        self.most_items = max(self.most_items, size)
        self.depth = max(self.depth, depth)

    def mapping(self, mapping: Mapping[str, Any], indent: int, lead: str, depth: int) -> None:
        """Write a non-empty block mapping; its first line starts with `lead`."""
        self.collection(len(mapping), depth)
        pad = " " * indent
        for key, value in mapping.items():
            self.values += 1
            self.value(f"{lead}{_text_scalar(str(key))}:", key, value, indent, depth)
            lead = pad

    def sequence(self, items: Sequence[Any], indent: int, depth: int) -> None:
        """Write a non-empty block list, its items at `indent`."""
        self.collection(len(items), depth)
        pad = " " * indent
        for item in items:
            if isinstance(item, Mapping) and item:
                self.mapping(item, indent + 2, pad + "- ", depth + 1)
            else:
                self.value(pad + "-", "", item, indent, depth)

    def value(self, head: str, key: str, value: Any, indent: int, depth: int) -> None:
        """Write `value` after `head` ("key:" or "-"), anything under it indented more."""
        if isinstance(value, Mapping) and value and key in _FLOW_KEYS:
            self.collection(len(value), depth + 1)
            self.values += 2 * len(value)
            inner = ", ".join(f"{_scalar(str(k))}: {_scalar(v)}" for k, v in value.items())
            self.lines.append(f"{head} {{{inner}}}")
        elif isinstance(value, Mapping) and value:
            self.lines.append(head)
            self.mapping(value, indent + 2, " " * (indent + 2), depth + 1)
        elif isinstance(value, list | tuple) and value:
            self.lines.append(head)
            self.sequence(value, indent + 2, depth + 1)
        elif isinstance(value, Mapping | list | tuple):
            self.collection(0, depth + 1)
            self.lines.append(f"{head} {{}}" if isinstance(value, Mapping) else f"{head} []")
        elif isinstance(value, str) and _literal_ok(value):
            self.values += 1
            self.lines.append(f"{head} |-")
            pad = " " * (indent + 2)
            self.lines.extend(pad + line if line else "" for line in value.split("\n"))
        else:
            self.values += 1
            self.lines.append(f"{head} {_scalar(value)}")


def _write(data: Mapping[str, Any]) -> _Written:
    writer = _Writer()
    if data:
        writer.mapping(data, 0, "", 0)
    else:
        writer.collection(0, 0)
        writer.lines.append("{}")
    writer.lines.append("")
    return _Written("\n".join(writer.lines), writer.values, writer.most_items, writer.depth)


def _scalar(value: object) -> str:
    """Write a number, a boolean or one-line text as a YAML scalar that reads back the same."""
    if isinstance(value, str):
        return _text_scalar(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if not math.isfinite(value):
            return {"inf": ".inf", "-inf": "-.inf"}.get(text, ".nan")
        # As PyYAML writes it: "1.0e-05", which YAML 1.1 readers take for a number too.
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    return _text_scalar(str(value))


@functools.lru_cache(maxsize=4096)
def _text_scalar(text: str) -> str:
    """Write text as a YAML scalar: plain, single-quoted, or double-quoted with escapes.

    Remembered: kinds, bases and keys come back thousands of times in a large import.
    """
    if _plain_ok(text):
        return text
    if _NOT_PRINTABLE.search(text) or _BREAKS.search(text) or "\n" in text:
        return _double_quoted(text)
    return "'" + text.replace("'", "''") + "'"


def _plain_ok(text: str) -> bool:
    return (
        bool(text)
        and _PLAIN_BAD.search(text) is None
        and text not in _LOADER_WORDS
        and (text[0] not in _NUMBER_START or _LOOKS_TYPED.fullmatch(text) is None)
        and _yaml11_text(text)
    )


def _yaml11_text(text: str) -> bool:
    """Whether a YAML 1.1 reader (PyYAML's default) takes `text`, unquoted, for text."""
    resolve: Any = _RESOLVER.resolve
    return bool(resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG)


def _literal_ok(text: str) -> bool:
    """Whether multi-line text can be a literal block (|-) that keeps it exactly."""
    return (
        "\n" in text
        and not text[0].isspace()
        and not text[-1].isspace()
        and " \n" not in text
        and _NOT_PRINTABLE.search(text) is None
        and _BREAKS.search(text) is None
    )


def _double_quoted(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _ESCAPES:
            return _ESCAPES[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    escaped = _NEEDS_ESCAPE.sub(escape, text)
    # Other characters YAML does not allow as they are (U+FFFE and the like).
    escaped = _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


# --- inline text -----------------------------------------------------------------------------


def _pieces(inline: _Node) -> list[_Piece]:
    """Return an inline node as pieces, with bare URLs in the text as links of their own.

    Worked out once per node; callers do not change the list.
    """
    if inline.pieces is not None:
        return inline.pieces
    merged: list[_Piece] = []
    texts: list[str] = []  # consecutive text, joined once (not one concatenation each)
    for piece in _raw_pieces(inline):
        if piece.kind == "text":
            texts.append(piece.text)
            continue
        if texts:
            merged.append(_Piece("text", "".join(texts)))
            texts = []
        merged.append(piece)
    if texts:
        merged.append(_Piece("text", "".join(texts)))
    out: list[_Piece] = []
    for piece in merged:
        out.extend(_split_urls(piece.text) if piece.kind == "text" else [piece])
    inline.pieces = out
    return out


def _raw_pieces(node: _Node) -> Iterator[_Piece]:
    # A stack of children still to read, not recursion: emphasis may nest thousands deep.
    stack = [iter(node.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        kind = child.type
        if kind == "link":
            href = str(child.attrs.get("href", ""))
            text = _plain(child)
            yield _Piece("link", text, href, bare=child.markup == "autolink" or text == href)
        elif kind in ("strong", "em") and not child.link_inside:
            yield _Piece("strong" if kind == "strong" else "em", _plain(child))
        elif kind in ("strong", "em", "s"):
            stack.append(iter(child.children))  # emphasis around a link: the link counts
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
    end = len(url)
    opening, closing = url.count("("), url.count(")")  # counted once: linear in the URL
    while end and url[end - 1] in ".,;:!?*_)":
        if url[end - 1] == ")":
            if opening >= closing:
                break
            closing -= 1
        end -= 1
    return url[:end]


def _plain(node: _Node) -> str:
    """Return the text of a node without Markdown markers."""
    parts: list[str] = []
    for each in node.walk():  # no recursion: emphasis may nest thousands deep
        if each.type in ("text", "code_inline"):
            parts.append(each.content)
        elif each.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _text_of(pieces: list[_Piece]) -> str:
    return "".join(p.text for p in pieces)


def _heading_text(node: _Node) -> str:
    return _line_text(_plain(node)) or "Untitled"


def _item_text(item: _Node) -> str:
    paragraph = next((c for c in item.children if c.type == "paragraph"), None)
    return _line_text(_plain(paragraph)) if paragraph is not None else ""


def _inlines(node: _Node) -> list[_Node]:
    return [n for n in node.walk() if n.type == "inline"]


def _prose(ctx: _Context, block: _Node) -> list[str]:
    """Return the paragraphs of a block as plain text; links in them are reported."""
    _report_links(ctx, block, "is in running text, not in a list of links")
    paragraphs = [_line_text(_plain(n)) for n in _inlines(block)]
    return [text for text in paragraphs if text]


def _has_link_list(blocks: list[_Node]) -> bool:
    """Whether any list or table among the blocks holds a link."""
    return any(block.type in (*_LISTS, "table") and _has_link(block) for block in blocks)


def _has_link(node: _Node) -> bool:
    """Whether any inline text under a node holds a link; remembered for every node asked.

    Nested lists ask this at each level, so each node's answer is kept and built from its
    children's (markdown-it nests blocks at most 20 deep, so the recursion stays shallow).
    """
    if node.has_link is None:
        if node.type == "inline":
            node.has_link = any(p.kind == "link" for p in _pieces(node))
        else:
            node.has_link = any([_has_link(child) for child in node.children])
    return node.has_link


def _has_step_items(blocks: list[_Node]) -> bool:
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


def _block_name(block: _Node) -> str:
    return {"fence": "code block", "code_block": "code block", "table": "table"}.get(
        block.type, block.type.replace("_", " ")
    )


def _line(node: _Node) -> int:
    """Return the 1-based line where a node starts (its nearest block's line)."""
    return node.line


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

    An existing file is replaced only with `force`. A Markdown file over MAX_MARKDOWN_BYTES is
    refused unread, and a roadmap file the loader would refuse (over its caps, or invalid) is
    refused before anything is written.
    """
    if target is not None and target.exists() and not force:
        raise InputError(f"{target} already exists; use --force to replace it, or -o another file.")
    text = _read_markdown(source)
    with yamlfile.paused_gc():
        result = import_markdown(text, source=str(source), taken_ids=taken_ids)
        document = _document(source, target, result)
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


def _read_markdown(source: Path) -> str:
    """Read a Markdown file of at most MAX_MARKDOWN_BYTES, or raise InputError saying why not."""
    shown = escape_unsafe(str(source))
    try:
        with source.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size <= MAX_MARKDOWN_BYTES:  # a pipe or device says 0: the read below caps it
                raw = f.read(MAX_MARKDOWN_BYTES + 1)
                size = max(size, len(raw))
    except OSError as exc:
        raise InputError(f"{shown}: cannot read it: {exc.strerror}; nothing was written.") from None
    if size > MAX_MARKDOWN_BYTES:
        raise InputError(
            f"{shown}: the file is {_mib(size)}, more than the {_mib(MAX_MARKDOWN_BYTES)} of "
            "Markdown that import reads; nothing was written. Split it into smaller files and "
            "import each."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{shown}:{line}: the file is not UTF-8 text; nothing was written. Save it as UTF-8."
        ) from None


def _document(source: Path, target: Path | None, result: ImportResult) -> str:
    """Write the roadmap file of an import, checked as the loader will check it.

    Raise InputError, before anything is written, when the file would be over the loader's
    caps (size, values, items in one list), and RoadmapError when it would not load for any
    other reason (a bug of the importer).
    """
    written = _write(result.data)
    header = f"# Imported from {_line_text(source.name)} by roadmap-cli."
    document = f"{header} Check it: roadmap validate FILE\n{written.text}"
    size = len(document.encode("utf-8"))
    shown = escape_unsafe(str(source))
    resources = _resource_count(result.data)
    over = None
    if size > yamlfile.MAX_BYTES:
        over = (
            f"would be {_mib(size)}, more than the {_mib(yamlfile.MAX_BYTES)} a roadmap file may be"
        )
    elif written.values > yamlfile.MAX_VALUES:
        over = (
            f"would hold {written.values:,} values, more than the {yamlfile.MAX_VALUES:,} a "
            "roadmap file may hold"
        )
    elif written.most_items > yamlfile.MAX_ITEMS:
        over = (
            f"would hold a list of {written.most_items:,} items, more than the "
            f"{yamlfile.MAX_ITEMS:,} a roadmap file may hold in one list"
        )
    if over is not None:
        raise InputError(
            f"{shown}: the roadmap file made from it ({resources:,} resources) {over}, so "
            "roadmap could not load it; nothing was written. Split the Markdown into smaller "
            "files and import each."
        )
    _check_loads(document, target or Path("-"), result.data, shown)
    return document


def _check_loads(document: str, path: Path, data: dict[str, Any], shown: str) -> None:
    """Read the document back with the loader and validator of roadmap files.

    What fails here is a bug of the importer; it is refused all the same, as nothing that
    cannot be loaded may be written.
    """
    from roadmap_cli.catalog import check_document

    with yamlfile.paused_gc():
        try:
            doc = yamlfile.parse_yaml(document, path)
            checked = check_document(doc)
        except RoadmapFileError as exc:
            problem: str | None = str(exc)
        else:
            problem = str(checked.problems[0]) if checked.problems else None
            if problem is None and doc.data != data:
                problem = "it reads back different from what was imported"
    if problem is not None:
        raise RoadmapError(
            f"{shown}: the roadmap file made from it would not load ({problem}); nothing was "
            "written. This is a bug in roadmap-cli: please report it with the Markdown file."
        )


def _resource_count(data: Mapping[str, Any]) -> int:
    return sum(
        len(step.get("resources", []))
        for roadmap in data.get("roadmaps", [])
        for step in roadmap.get("steps", [roadmap])
    )


def _mib(size: int) -> str:
    """Write a size in MiB ("2 MiB", "5.6 MiB"), or in bytes when under one."""
    mib = size / (1024 * 1024)
    if mib < 1:
        return f"{size:,} bytes"
    return f"{mib:.0f} MiB" if mib == int(mib) else f"{mib:.1f} MiB"
