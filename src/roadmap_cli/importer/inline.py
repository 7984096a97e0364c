"""Inline text: repairing mis-encoded text, the pieces of a line (text, links, emphasis), bare
URLs, and the helpers that make clean one-line text for titles and messages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from urllib.parse import urlsplit

import ftfy
import ftfy.badness
import ftfy.chardata

from roadmap_cli.importer.markdown import _LISTS, _Node
from roadmap_cli.importer.model import _Piece
from roadmap_cli.importer.parser import MAX_REPAIRED_LINES, _TooManyElements
from roadmap_cli.safetext import escape_unsafe, unsafe_chars

# Quotes stay curly as written, and line breaks stay where they are so that line numbers hold.
_FIXER = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_line_breaks=False, unescape_html=False, explain=False
)
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

_SEPARATORS = "-–—:|,·"
_EMOJI_CODE = re.compile(r"(?<!\S):[a-z0-9_+-]+:(?!\S)")
_BADGE_HOSTS = (
    "img.shields.io",
    "shields.io",
    "badgen.net",
    "badge.fury.io",
    "api.star-history.com",
)
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico")
_BARE_URL = re.compile(r"https?://[^\s<>\"'`\[\]{}|\\^]+", re.IGNORECASE)


def repair_text(text: str) -> str:
    """Repair UTF-8 text that was once read as Windows-1252 ("itâ€™s" becomes "it’s").

    ftfy repairs each line on its own, and with the options above leaves a line of printable
    ASCII as it is; so only the other lines go through it (it costs some 25 µs a line), and
    past MAX_REPAIRED_LINES that ftfy would change, `_TooManyElements` is raised.
    """
    parts: list[str] = []
    position = 0
    repaired = 0
    while (match := _NEEDS_REPAIR.search(text, position)) is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start()) + 1 or len(text)
        line = text[start:end]
        parts.append(text[position:start])
        if _ftfy_may_change(line):
            repaired += 1
            if repaired > MAX_REPAIRED_LINES:
                raise _TooManyElements(text.count("\n", 0, start) + 1, repair=True)
            line = ftfy.fix_text(line, _FIXER)
        parts.append(line)
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


def _pieces(inline: _Node) -> list[_Piece]:
    """Return an inline node as pieces, with bare URLs in the text as links of their own.

    Worked out once per node; callers do not change the list.
    """
    if inline.pieces is not None:
        return inline.pieces
    merged: list[_Piece] = []
    texts: list[str] = []  # consecutive text, joined once (not one concatenation each)
    for piece in _raw_pieces(inline):
        if piece.kind == "text" and not piece.url:
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
        out.extend(_split_urls(piece.text) if piece.kind == "text" and not piece.url else [piece])
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
            if not text.strip() and any(n.type == "image" for n in child.walk()):
                yield _Piece("text", "", href)  # a badge or logo: an image that links somewhere
                continue
            if not _is_web_link(href):
                yield _Piece("text", text, href)  # text now, but known to have been a link
                continue
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
        out.append(
            _Piece("link", url, url, bare=True) if _is_web_link(url) else _Piece("text", url)
        )
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
    """Return the text of a node without Markdown markers or images (badges, logos)."""
    parts: list[str] = []
    stack = [node]  # no recursion: emphasis may nest thousands deep
    while stack:
        each = stack.pop()
        if each.type in ("text", "code_inline"):
            parts.append(each.content)
        elif each.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif each.type != "image":
            stack.extend(reversed(each.children))
    return "".join(parts)


def _is_web_link(href: str) -> bool:
    """Whether a link may be a resource: not an #anchor, a mailto: or an image (a badge).

    Relative links stay links, so that a list of them is reported as not imported.
    """
    lowered = href.strip().lower()
    if lowered.startswith(("#", "mailto:")):
        return False
    parts = urlsplit(lowered)
    host = (parts.hostname or "").removeprefix("www.") if parts.netloc else ""
    return not (host in _BADGE_HOSTS or parts.path.endswith(_IMAGE_SUFFIXES))


def _text_of(pieces: list[_Piece]) -> str:
    return "".join(p.text for p in pieces)


def _heading_text(node: _Node) -> str:
    """A heading's title: without its numbering, emoji shortcodes (":zap:") or a last colon."""
    text = _line_text(_EMOJI_CODE.sub(" ", _plain(node))).rstrip(":").rstrip()
    return _without_numbering(text) or "Untitled"


# A heading's own numbering: "1.", "1)", "1.2", "IV.", "Step 1:", "Phase 2 —", "Week 3:",
# "Part IV.", "Module 5 -". Order comes from position, so the number is not part of the title.
_NUMBERING = re.compile(
    r"(?:(?:step|phase|stage|week|day|month|part|module|unit|chapter|lesson|level|section"
    r"|milestone|track)\s+(?:\d+|[ivxlc]+|[a-z])\s*(?:[.:)]|\s[-–—])"
    r"|\d+(?:\.\d+)*[.)]|\d+(?:\.\d+)+(?!\s*(?:h|hrs?|hours?|min|minutes?|days?|weeks?)\b)"
    r"|(?-i:[IVXLC]+)\.)\s+(?=\S)",
    re.IGNORECASE,
)


def _without_numbering(title: str) -> str:
    """Return a heading's title without its own numbering ("1. Basics" is "Basics")."""
    match = _NUMBERING.match(title)
    if match is None:
        return title
    return title[match.end() :].lstrip(_SEPARATORS + " ") or title


def _item_text(item: _Node) -> str:
    paragraph = next((c for c in item.children if c.type == "paragraph"), None)
    return _line_text(_plain(paragraph)) if paragraph is not None else ""


def _inlines(node: _Node) -> list[_Node]:
    return [n for n in node.walk() if n.type == "inline"]


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
