"""A progress card to share: an SVG image, or a small HTML page holding it. Pure functions.

The card is self-contained (no fonts, scripts or links to fetch), and every title in it is
plain text: control characters removed, XML-escaped, and cut short with "…" to fit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeAlias
from xml.sax.saxutils import escape, quoteattr

from roadmap_cli.progress import (
    ResourceItem,
    RoadmapSummary,
    format_number,
    hours_left,
)
from roadmap_cli.safetext import unsafe_chars

WIDTH = 600
PADDING = 24
BAR_WIDTH = WIDTH - 2 * PADDING
HEADER = 64  # the card's title, above the first block
BLOCK = 78  # one roadmap: title, bar, figures
FOOTER = 68  # what to do next: title, then REF
# Characters that fit on a line: an average glyph is about 0.6 of the font size wide.
TITLE_CHARS = int(BAR_WIDTH / (20 * 0.6))
LINE_CHARS = int(BAR_WIDTH / (15 * 0.6))
SMALL_CHARS = int(BAR_WIDTH / (13 * 0.6))
INK, MUTED = "#1f2328", "#57606a"
# XML 1.0 cannot hold lone surrogates or these two non-characters at all.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"

NextUp: TypeAlias = tuple[RoadmapSummary, ResourceItem] | None


def to_svg(summaries: Sequence[RoadmapSummary], *, title: str, next_up: NextUp) -> str:
    """Draw a card: a block per roadmap with its bar and figures, then what to do next."""
    height = HEADER + BLOCK * len(summaries) + FOOTER
    heading = _fit(title, TITLE_CHARS)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label={quoteattr(heading)} '
        f'font-family="{_FONT}">',
        f"<title>{escape(heading)}</title>",
        f'<rect width="{WIDTH}" height="{height}" rx="12" fill="#ffffff" stroke="#d0d7de"/>',
        _text(PADDING, 40, heading, size=20, bold=True),
    ]
    for index, summary in enumerate(summaries):
        parts.append(_block(summary, HEADER + BLOCK * index))
    parts.append(_next(next_up, height - FOOTER + 24))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def to_html(summaries: Sequence[RoadmapSummary], *, title: str, next_up: NextUp) -> str:
    """Return a standalone HTML page that shows the card."""
    svg = to_svg(summaries, title=title, next_up=next_up)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(_fit(title, TITLE_CHARS))}</title>\n"
        "<style>body { margin: 2rem; background: #f6f8fa; }</style>\n"
        f"</head>\n<body>\n{svg}</body>\n</html>\n"
    )


def _block(summary: RoadmapSummary, top: int) -> str:
    filled = BAR_WIDTH * summary.percent / 100
    left = hours_left(summary)
    figures = f"{summary.percent}% · {summary.done}/{summary.total} done · {left} left"
    return "\n".join(
        [
            f'<g class="roadmap" data-percent="{summary.percent}">',
            _text(PADDING, top + 18, _fit(summary.roadmap.title, LINE_CHARS), size=15, bold=True),
            f'<rect class="track" x="{PADDING}" y="{top + 28}" width="{BAR_WIDTH}" '
            'height="12" rx="6" fill="#e5e7eb"/>',
            f'<rect class="bar" x="{PADDING}" y="{top + 28}" width="{format_number(filled)}" '
            'height="12" rx="6" fill="#2da44e"/>',
            _text(PADDING, top + 60, figures, size=13, fill=MUTED),
            "</g>",
        ]
    )


def _next(next_up: NextUp, y: int) -> str:
    if next_up is None:
        return _text(PADDING, y, "All done", size=15, bold=True)
    _, item = next_up
    title = _fit(item.resource.title, LINE_CHARS - len("Next: "))
    ref = _fit(item.ref, SMALL_CHARS - len("()"))
    # The REF goes on a line of its own, so that the title has the card's width to itself.
    return (
        f'<text x="{PADDING}" y="{y}" font-size="15" fill="{INK}">Next: '
        f'<tspan font-weight="bold">{escape(title)}</tspan> '
        f'<tspan x="{PADDING}" dy="20" font-size="13" fill="{MUTED}">({escape(ref)})</tspan>'
        "</text>"
    )


def _text(x: int, y: int, content: str, *, size: int, bold: bool = False, fill: str = INK) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}"{weight} fill="{fill}">{escape(content)}</text>'
    )


def _plain(text: str) -> str:
    """Return `text` without control, bidirectional or non-XML characters."""
    bad = set(unsafe_chars(text, allow_newlines=False))
    return _NOT_XML.sub("", "".join(ch for ch in text if ch not in bad))


def _fit(text: str, chars: int) -> str:
    """Return `text` made plain, cut to `chars` characters with "…" when longer."""
    text = _plain(text)
    return text if len(text) <= chars else text[: max(chars - 1, 0)].rstrip() + "…"
