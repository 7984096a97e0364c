"""Export progress as CSV (for spreadsheets) or Markdown. Pure functions.

The JSON export is the progress document itself (jsonout.export_progress).

Titles come from roadmap files that anyone may write: the CSV neutralises cells a spreadsheet
would run as a formula, and the Markdown escapes the characters that would make links or markup.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from urllib.parse import quote

from roadmap_cli.progress import (
    HourRange,
    ResourceItem,
    RoadmapSummary,
    estimate_text,
    format_number,
    hours_left,
    hours_total,
)
from roadmap_cli.safetext import escape_unsafe

CSV_FIELDS = (
    "roadmap",
    "ref",
    "title",
    "status",
    "estimate_low",
    "estimate_high",
    "hours_logged",
    "remaining_low",
    "remaining_high",
    "changed",
    "first_logged",
    "last_logged",
    "notes",
    "url",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What can start a link, emphasis, code, HTML or a heading's end, and "&" only where it would
# begin an entity (so "R&D" stays readable).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>#~]|&(?=#?\w+;)")
# Left as they are in a link's address; anything else (parentheses, quotes, <, >) is encoded.
_URL_SAFE = ":/?#[]@!$&*+,;=%~"


def to_csv(summaries: Sequence[RoadmapSummary]) -> str:
    """Return one CSV row per resource of every roadmap, optional ones included."""
    out = io.StringIO()
    # "\n", not the csv default "\r\n": the text is printed or written in text mode, which
    # would otherwise turn each row end into "\r\r\n" on Windows.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for summary in summaries:
        for item in summary.items:
            writer.writerow(_csv_row(summary, item))
    return out.getvalue()


def _csv_row(summary: RoadmapSummary, item: ResourceItem) -> list[str]:
    entry, res = item.entry, item.resource
    days = sorted(log.day for log in entry.log) if entry else []
    return [
        _cell(summary.roadmap.id),
        _cell(item.ref),
        _cell(res.title),
        item.status,
        *_estimate_cells(item.estimate, estimated=item.estimated),
        format_number(item.hours_logged),
        *_estimate_cells(item.remaining, estimated=item.estimated),
        entry.changed.isoformat() if entry else "",
        days[0].isoformat() if days else "",
        days[-1].isoformat() if days else "",
        str(item.notes),
        "" if res.link_pending else _cell(res.url),
    ]


def _estimate_cells(value: HourRange, *, estimated: bool) -> list[str]:
    """Low and high, or two empty cells for a resource without an estimate."""
    return [format_number(value.low), format_number(value.high)] if estimated else ["", ""]


def _cell(text: str) -> str:
    text = escape_unsafe(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_markdown(summaries: Sequence[RoadmapSummary]) -> str:
    """Return each roadmap as a Markdown checklist: heading, progress line, steps, resources."""
    blocks: list[str] = []
    for summary in summaries:
        roadmap = summary.roadmap
        lines = [f"## {_markdown_text(roadmap.title)} ({_markdown_text(roadmap.id)})", ""]
        lines += [_progress_line(summary), ""]
        for number, step in enumerate(summary.steps, start=1):
            if step.title is not None:
                lines += [f"### {number}. {_markdown_text(step.title)}", ""]
            lines += [_markdown_item(item) for item in step.items]
            lines.append("")
        blocks.append("\n".join(lines))
    return "\n".join(blocks).rstrip("\n") + "\n"


def _markdown_item(item: ResourceItem) -> str:
    res = item.resource
    title = _markdown_text(res.title)
    if res.link_pending:
        shown = f"{title} (link pending)"
    else:
        # Percent-encoding keeps a parenthesis or quote in the URL from ending the link early.
        shown = f"[{title}]({quote(res.url, safe=_URL_SAFE)})"
    parts: list[str] = [] if item.status == "pending" else [item.status]
    parts.append(estimate_text(item))
    if item.hours_logged:
        parts.append(f"{format_number(item.hours_logged)} h spent")
    if res.optional:
        parts.append("optional" if item.counted else "optional, not counted")
    mark = "[x]" if item.status == "done" else "[ ]"
    return f"- {mark} {shown} — {' · '.join(parts)}"


def _markdown_text(text: str) -> str:
    """Return `text` with control characters shown escaped and Markdown syntax made literal."""
    return _MARKDOWN_SPECIAL.sub(lambda found: "\\" + found[0], escape_unsafe(text))


def _progress_line(summary: RoadmapSummary) -> str:
    """Word a roadmap's progress as the CLI does: "Done 1/5 (20%) · 62–77 h left of 80–100+ h"."""
    done = f"Done {summary.done}/{summary.total}"
    if summary.skipped:
        done += f", {summary.skipped} skipped"
    if summary.in_progress:
        done += f", {summary.in_progress} in progress"
    return f"{done} ({summary.percent}%) · {hours_left(summary)} left of {hours_total(summary)}"
