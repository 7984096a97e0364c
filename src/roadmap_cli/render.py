"""Everything roadmap-cli prints. The only module that knows about Rich.

Text from roadmap and progress files is data: it is always wrapped in `Text` (never parsed as
markup), and any control or bidirectional character that got past validation is shown escaped.
Colour is used only on a terminal and never when NO_COLOR is set (Rich honours both).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group
from rich.style import Style
from rich.table import Table
from rich.text import Span, Text

from roadmap_cli.catalog import LoadedFile, ResolvedRef
from roadmap_cli.progress import (
    HourRange,
    ResourceItem,
    RoadmapSummary,
    format_hours,
    format_number,
)
from roadmap_cli.records import Guide, Resource, StatedHours
from roadmap_cli.safetext import escape_unsafe

if TYPE_CHECKING:  # loaded by the commands that need them, not at start-up
    from roadmap_cli.doctor import Finding
    from roadmap_cli.importer import Imported
    from roadmap_cli.merge import Merged
    from roadmap_cli.models import Change, Entry, Note, Status
    from roadmap_cli.planning import Plan, Stats
    from roadmap_cli.sync import SyncReport
    from roadmap_cli.tracker import Marked
    from roadmap_cli.validate import Problem

BAR_WIDTH = 10
Part = tuple[str, str | Style]  # a piece of text and its style

MARKS: dict[Status, str] = {"done": "[x]", "pending": "[ ]", "in-progress": "[~]", "skipped": "[-]"}
STATUS_STYLE: dict[Status, str] = {
    "done": "green",
    "pending": "",
    "in-progress": "bold yellow",
    "skipped": "dim",
}
TITLE_STYLE: dict[Status, str] = {
    "done": "strike dim",
    "pending": "bold",
    "in-progress": "bold",
    "skipped": "strike dim",
}


def _console(*, stderr: bool = False) -> Console:
    # Made per call so that the streams and NO_COLOR in force at that moment are used.
    return Console(stderr=stderr, markup=False, highlight=False, emoji=False)


def clean(text: str, *, allow_newlines: bool = False) -> str:
    """Return `text` with every control or bidirectional character shown escaped."""
    return escape_unsafe(text, allow_newlines=allow_newlines)


def _text(value: str, style: str | Style = "") -> Text:
    return Text(clean(value), style=style)


def hours(value: HourRange | StatedHours) -> str:
    """Format an hour range: "72–90 h", "3 h", "80–100+ h", "50+ h"."""
    plus = isinstance(value, StatedHours) and value.plus
    return format_hours(value.low, value.high, plus=plus)


def bar(percent: int) -> Text:
    """Draw a progress bar that reads the same with or without colour."""
    filled = percent * BAR_WIDTH // 100
    text = Text()
    text.append("█" * filled, style="green")
    text.append("░" * (BAR_WIDTH - filled), style="dim")
    text.append(f" {percent:>3}%")
    return text


def _link(resource: Resource) -> Text:
    return Text(*_link_part(resource))


def _link_part(resource: Resource) -> Part:
    if resource.link_pending:
        return "link pending", "yellow"
    url = clean(resource.url)
    return url, Style(color="blue", underline=True, link=url)


def print_json(data: Any) -> None:
    """Print machine-readable JSON to stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def error(message: str) -> None:
    """Print an error as one paragraph on stderr."""
    text = Text()
    text.append("Error: ", style="bold red")
    text.append(clean(message))
    _console(stderr=True).print(text, soft_wrap=True)


def warning(message: str) -> None:
    """Print a warning as one paragraph on stderr."""
    text = Text()
    text.append("Warning: ", style="bold yellow")
    text.append(clean(message))
    _console(stderr=True).print(text, soft_wrap=True)


def waiting(timeout: float) -> None:
    """Say on stderr that a command is waiting for another one to release the progress lock."""
    _console(stderr=True).print(
        f"Waiting for another roadmap command to finish (up to {timeout:g} s)…",
        style="dim",
        soft_wrap=True,
        highlight=False,
    )


def validation(results: Mapping[Path, Sequence[Problem]]) -> None:
    """Print each problem as file:line:column: severity: message, or that a file is valid."""
    console = _console()
    for path, problems in results.items():
        if not problems:
            console.print(Text(f"{clean(str(path))}: valid", style="green"), soft_wrap=True)
        for problem in problems:
            style = "red" if problem.severity == "error" else "yellow"
            console.print(Text(clean(str(problem)), style=style), soft_wrap=True)


def roadmap_list(summaries: Sequence[RoadmapSummary]) -> None:
    """Print one row per roadmap with its progress and hours (two lines each when narrow)."""
    console = _console()
    # The table needs the ids, a readable title, the bar and the figures side by side; when
    # the terminal is narrower, each roadmap gets two lines instead, so nothing is cut.
    widest_id = max((len(s.roadmap.id) for s in summaries), default=2)
    widest_title = max((len(s.roadmap.title) for s in summaries), default=7)
    if console.width < widest_id + min(widest_title, 24) + 48:
        for s in summaries:
            console.print(_text(s.roadmap.id, "bold") + "  " + _text(s.roadmap.title))
            console.print(Text("  ") + _footer(s), soft_wrap=True)
    else:
        rows = [
            [
                _text(s.roadmap.id, "bold"),
                _text(s.roadmap.title),
                bar(s.percent),
                Text(f"{s.done}/{s.total}"),
                Text(hours(s.remaining_hours)),
                Text(_total(s)),
            ]
            for s in summaries
        ]
        columns = [
            _Column("ID"),
            _Column("Roadmap", flexible=True),
            _Column("Progress"),
            *(_Column(name, right=True) for name in ("Done", "Left", "Total")),
        ]
        console.print(_grid(console, columns, rows), soft_wrap=True)
    if summaries:
        console.print(Text("Open one with: roadmap show ID", style="dim"))


def _table() -> Table:
    return Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)


@dataclass(frozen=True)
class _Column:
    header: str
    right: bool = False  # right-justified, for figures
    flexible: bool = False  # takes the width left over, its text wrapped to fit


_GAP = "  "


def _grid(
    console: Console, columns: Sequence[_Column], rows: Sequence[Sequence[Text] | None]
) -> Text:
    """Lay out rows of cells under bold headers and a rule, as one Text; None draws a rule.

    A table drawn line by line as plain Text: Rich's Table measures and renders every cell on
    its own, which takes a visible fraction of a second at a few hundred rows.
    """
    widths = [len(c.header) for c in columns]
    for row in rows:
        for i, cell in enumerate(row or ()):
            widths[i] = max(widths[i], cell.cell_len)
    for i, column in enumerate(columns):
        if column.flexible:
            others = sum(w for j, w in enumerate(widths) if j != i) + len(_GAP) * (len(widths) - 1)
            widths[i] = max(min(widths[i], console.width - others), len(column.header), 10)
    rule = Text("─" * (sum(widths) + len(_GAP) * (len(widths) - 1)))
    lines = [_grid_line(columns, widths, [Text(c.header, style="bold") for c in columns]), rule]
    for row in rows:
        if row is None:
            lines.append(rule)
            continue
        wrapped = [
            cell.wrap(console, widths[i])
            if columns[i].flexible and cell.cell_len > widths[i]
            else [cell]
            for i, cell in enumerate(row)
        ]
        for n in range(max(len(parts) for parts in wrapped)):
            lines.append(
                _grid_line(
                    columns, widths, [parts[n] if n < len(parts) else Text() for parts in wrapped]
                )
            )
    return Text("\n").join(lines)


def _grid_line(columns: Sequence[_Column], widths: Sequence[int], cells: Sequence[Text]) -> Text:
    line = Text()
    last = len(cells) - 1
    for i, (column, width, cell) in enumerate(zip(columns, widths, cells, strict=True)):
        space = " " * (width - cell.cell_len)
        if column.right:
            line.append(space)
            line.append_text(cell)
        else:
            line.append_text(cell)
            if i < last:
                line.append(space)
        if i < last:
            line.append(_GAP)
    line.rstrip()
    return line


def roadmap_show(summary: RoadmapSummary, guide: Guide | None) -> None:
    """Print a roadmap as a checklist, step by step."""
    roadmap = summary.roadmap
    console = _console()
    header = _text(roadmap.title, "bold")
    header.append(f"  ({clean(roadmap.id)})", style="dim")
    console.print(header, soft_wrap=True)
    if guide is not None:
        console.print(Text("From: ", style="dim") + _text(guide.title, "dim"), soft_wrap=True)
    if roadmap.summary:
        console.print(Text(clean(roadmap.summary, allow_newlines=True)))
    for number, step in enumerate(summary.steps, start=1):
        console.print()
        if step.title is not None:
            heading = Text(f"{number}. ", style="bold")
            heading.append(clean(step.title), style="bold")
            if step.description:
                heading.append(" – " + clean(step.description), style="italic")
            console.print(heading, soft_wrap=True)
        # One print per step: a print per resource costs more than the lines themselves.
        if step.items:
            lines = [[*_item(item), ("\n", "")] for item in step.items]
            lines[-1].pop()
            console.print(_assemble(part for line in lines for part in line), soft_wrap=True)
    console.print()
    console.print(_footer(summary), soft_wrap=True)
    if roadmap.note:
        console.print(Text(clean(roadmap.note, allow_newlines=True), style="italic"))


def _item(item: ResourceItem) -> list[Part]:
    """The two lines of a resource in a checklist, as styled pieces of text."""
    res = item.resource
    parts: list[Part] = [
        ("   ", ""),
        (MARKS[item.status], STATUS_STYLE[item.status]),
        (" ", ""),
        (clean(res.title), TITLE_STYLE[item.status]),
        (f"  {res.kind} · {hours(item.estimate)}", "cyan"),
    ]
    if item.hours_logged:
        parts.append((f" · {format_number(item.hours_logged)} h spent", "yellow"))
    if item.status == "skipped":
        parts.append((" · skipped", "dim"))
    if res.optional:
        parts.append((" · optional" + ("" if item.counted else ", not counted"), "dim"))
    if item.notes:
        parts.append((f" · {item.notes} note{'s' if item.notes > 1 else ''}", "magenta"))
    parts += [("\n       ", ""), (clean(item.ref), "dim"), ("  ", "")]
    parts.append(_link_part(res))
    return parts


def _assemble(parts: Iterable[Part]) -> Text:
    """Make one Text of styled pieces in one go.

    Text.append does its work per piece; a checklist of 1,000 resources has 10,000 pieces.
    Every piece is already clean (no control characters), so offsets hold as they are.
    """
    plain: list[str] = []
    spans: list[Span] = []
    offset = 0
    for text, style in parts:
        end = offset + len(text)
        if style and text:
            spans.append(Span(offset, end, style))
        plain.append(text)
        offset = end
    return Text("".join(plain), spans=spans)


def _total(summary: RoadmapSummary) -> str:
    stated = summary.roadmap.stated_hours
    return hours(stated if stated is not None else summary.total_hours)


def _footer(summary: RoadmapSummary) -> Text:
    text = Text("Done ")
    text.append(f"{summary.done}/{summary.total}", style="bold")
    if summary.skipped:
        text.append(f", {summary.skipped} skipped")
    if summary.in_progress:
        text.append(f", {summary.in_progress} in progress")
    text.append(f" ({summary.percent}%) · ")
    text.append(hours(summary.remaining_hours), style="bold")
    text.append(f" left of {_total(summary)}")
    return text


def remaining(summaries: Sequence[RoadmapSummary], *, per_step: bool) -> None:
    """Print the hours left per roadmap, and per step when `per_step` is set."""
    rows: list[list[Text] | None] = []
    for s in summaries:
        if not per_step:
            title = _text(f"{s.roadmap.title} ({s.roadmap.id})")
            rows.append([title, Text(f"{s.done}/{s.total}"), Text(hours(s.remaining_hours))])
            continue
        titled = [step for step in s.steps if step.title is not None]
        for number, step in enumerate(titled, start=1):
            rows.append(
                [
                    _text(f"{number}. {step.title}"),
                    Text(f"{step.done}/{len(step.items)}"),
                    Text(hours(step.remaining_hours)),
                ]
            )
        if titled:
            rows.append(None)
        rows.append(
            [
                _text(s.roadmap.title, "bold"),
                Text(f"{s.done}/{s.total}"),
                Text(hours(s.remaining_hours), style="bold"),
            ]
        )
    if rows and rows[-1] is None:
        rows.pop()
    columns = [
        _Column("Step" if per_step else "Roadmap", flexible=True),
        _Column("Done", right=True),
        _Column("Left", right=True),
    ]
    console = _console()
    console.print(_grid(console, columns, rows), soft_wrap=True)


MARKED: dict[Status, tuple[str, str]] = {
    "done": ("Done", "Already done"),
    "pending": ("Reset", "Not started yet"),
    "in-progress": ("Started", "Already in progress"),
    "skipped": ("Skipped", "Already skipped"),
}


def marked(results: Iterable[Marked], summaries: Sequence[RoadmapSummary]) -> None:
    """Report what `done`, `reset`, `start` or `skip` changed, and where roadmaps now stand."""
    console = _console()
    for result in results:
        verb = MARKED[result.status][0 if result.changed else 1]
        line = Text(f"{verb}: ", style="green" if result.changed else "yellow")
        line.append(clean(result.found.resource.title), style="bold")
        line.append(f" ({clean(result.found.ref)})", style="dim")
        console.print(line, soft_wrap=True)
    for summary in summaries:
        line = _text(summary.roadmap.title, "bold")
        line.append(": ")
        line.append(_footer(summary))
        console.print(line, soft_wrap=True)


def about(files: Sequence[LoadedFile]) -> None:
    """Print each guide loaded, with its overview and roadmaps."""
    console = _console()
    parts: list[Text] = []
    for loaded in files:
        title = loaded.guide.title if loaded.guide else loaded.source.path.name
        parts.append(_text(title, "bold"))
        if loaded.guide and loaded.guide.overview:
            parts.append(Text(clean(loaded.guide.overview, allow_newlines=True) + "\n"))
        for roadmap in loaded.roadmaps:
            line = Text("  • ")
            line.append(clean(roadmap.title), style="bold")
            line.append(f" ({clean(roadmap.id)})", style="dim")
            if roadmap.stated_hours:
                line.append(f", {hours(roadmap.stated_hours)}")
            if roadmap.summary:
                line.append(" – " + clean(roadmap.summary))
            parts.append(line)
        parts.append(Text())
    console.print(Group(*parts))


def where(rows: Sequence[tuple[str, Path, str]]) -> None:
    """Print the paths in use, one per line and never wrapped: (what, path, note)."""
    console = _console()
    width = max((len(what) for what, _, _ in rows), default=0)
    for what, path, note in rows:
        line = Text(f"{what + ':':<{width + 1}}  ", style="bold")
        line.append(clean(str(path)))
        if note:
            line.append(f"  ({note})", style="dim")
        console.print(line, soft_wrap=True)


SEVERITY_STYLE = {"ok": "green", "warning": "yellow", "error": "bold red"}


def findings(found: Sequence[Finding], moved: Path | None) -> None:
    """Print what `roadmap doctor` checked, one paragraph per finding."""
    console = _console()
    if moved is not None:
        line = Text("Moved the unreadable progress file to ", style="yellow")
        line.append(clean(str(moved)), style="bold")
        line.append("; progress starts fresh. Nothing was deleted.")
        console.print(line, soft_wrap=True)
    for finding in found:
        line = Text(f"{finding.severity:<7} ", style=SEVERITY_STYLE[finding.severity])
        if finding.detail.startswith(finding.subject):  # "file:line:column: ..." says it all
            line.append(clean(finding.detail))
        else:
            line.append(clean(finding.subject), style="bold")
            line.append(": " + clean(finding.detail))
        console.print(line, soft_wrap=True)


def next_up(found: tuple[RoadmapSummary, ResourceItem] | None, scope: str | None) -> None:
    """Name the resource to work on next, with its step, estimate and link.

    `scope` is the title of the one roadmap asked about, if one was.
    """
    console = _console()
    if found is None:
        which = f"{clean(scope)} is" if scope else "Every roadmap is"
        console.print(Text(f"{which} done (or skipped). Well done!", style="bold green"))
        return
    summary, item = found
    line = Text("Next: " if item.status == "pending" else "Continue: ", style="bold")
    line.append(clean(item.resource.title), style="bold")
    line.append(f"  ({clean(item.ref)})", style="dim")
    console.print(line, soft_wrap=True)
    where = _text(summary.roadmap.title)
    if item.step:
        where.append(" › " + clean(item.step))
    console.print(Text("  ") + where, soft_wrap=True)
    detail = Text(f"  {item.resource.kind} · {hours(item.estimate)}", style="cyan")
    if item.hours_logged:
        detail.append(
            f" · {format_number(item.hours_logged)} h spent · {hours(item.remaining)} left"
        )
    console.print(detail, soft_wrap=True)
    console.print(Text("  ") + _link(item.resource), soft_wrap=True)


def logged(
    found: ResolvedRef, spent: float, day: date, entry: Entry, summary: RoadmapSummary
) -> None:
    """Confirm time logged, with the resource's total and the roadmap's hours left."""
    console = _console()
    line = Text(f"Logged {format_number(spent)} h on {day.isoformat()}: ", style="green")
    line.append(clean(found.resource.title), style="bold")
    line.append(f" ({clean(found.ref)})", style="dim")
    console.print(line, soft_wrap=True)
    estimate = hours(HourRange.of(found.resource.hours))
    console.print(
        Text(f"  {format_number(entry.hours_logged)} h spent of {estimate} · {entry.status}"),
        soft_wrap=True,
    )
    console.print(_text(summary.roadmap.title, "bold") + ": " + _footer(summary), soft_wrap=True)


def _day(value: date) -> str:
    return f"{value:%a} {value.isoformat()}"


def plan(result: Plan) -> None:
    """Print the projected finish, the schedule, the pace needed and the calibration."""
    console = _console()
    summary = result.summary
    console.print(_text(summary.roadmap.title, "bold") + f"  ({clean(summary.roadmap.id)})")
    console.print(Text(f"Left: {hours(result.remaining)}"))
    if result.remaining.high <= 0:
        console.print(Text("Nothing left to plan: this roadmap is finished.", style="green"))
        return
    if result.hours_per_week is not None and result.finish is not None:
        source = (
            "your pace over the last four weeks of logged time"
            if result.pace == "logged"
            else "the pace you gave"
        )
        console.print(Text(f"At {format_number(result.hours_per_week)} h/week ({source}):"))
        earliest, latest = result.finish
        line = Text("  Finish between ")
        line.append(_day(earliest), style="bold")
        line.append(" and ")
        line.append(_day(latest), style="bold")
        console.print(line)
        if result.calibration is not None:
            cal = result.calibration
            line = Text(
                f"  You take {cal.ratio:.2f}× the estimate (from {cal.resources} finished "
                f"resource{'s' if cal.resources > 1 else ''} with time logged): "
                f"{hours(cal.remaining)} left at your rate"
            )
            if cal.finish is not None:
                line.append(f", finishing {_day(cal.finish[0])} – {_day(cal.finish[1])}")
            console.print(line, soft_wrap=True)
        _schedule(result)
    if result.by is not None and result.needed_per_week is not None:
        needed = result.needed_per_week
        pace = f"{format_number(needed.low)}–{format_number(needed.high)} h/week"
        line = Text(f"To finish by {_day(result.by)}: ")
        if result.by_possible:
            line.append(pace, style="bold")
        else:
            line.append("not possible", style="bold red")
            line.append(f"; it would take {pace}, more than the 168 hours of a week.")
        console.print(line, soft_wrap=True)


def _schedule(result: Plan) -> None:
    # Weeks that hold the same resources are one row ("3–7"), so a long plan stays readable.
    rows: list[tuple[int, int, list[str]]] = []
    for week in result.weeks:
        names = [clean(item.resource.title) for item, _ in week.items]
        if rows and rows[-1][2] == names and rows[-1][1] == week.number - 1:
            rows[-1] = (rows[-1][0], week.number, names)
        else:
            rows.append((week.number, week.number, names))
    table = _table()
    table.add_column("Week", justify="right", no_wrap=True)
    table.add_column("From", no_wrap=True)
    table.add_column("Hours", justify="right", no_wrap=True)
    table.add_column("Resources")
    for first, last, names in rows:
        weeks = result.weeks[first - 1 : last]
        table.add_row(
            Text(str(first) if first == last else f"{first}–{last}"),
            Text(weeks[0].start.isoformat()),
            Text(format_number(sum(w.hours for w in weeks))),
            Text("; ".join(names)),
        )
    console = _console()
    console.print(Text("Week by week (the middle of each estimate):", style="dim"))
    console.print(table)
    if result.weeks_left_out:
        console.print(Text(f"… and {result.weeks_left_out} more weeks.", style="dim"))


def stats(result: Stats) -> None:
    """Print hours and completions per week as bars, then the streak and totals."""
    console = _console()
    most = max((w.hours for w in result.weeks), default=0.0)
    table = _table()
    table.add_column("Week of", no_wrap=True)
    table.add_column("Hours", no_wrap=True)
    table.add_column("", justify="right", no_wrap=True)
    table.add_column("Done", justify="right", no_wrap=True)
    for week in result.weeks:
        cells = round(week.hours / most * 20) if most else 0
        table.add_row(
            Text(week.start.isoformat()),
            Text("█" * cells, style="green"),
            Text(format_number(week.hours)),
            Text(str(week.completed)),
        )
    console.print(table)
    streak = Text("Streak: ")
    streak.append(f"{result.streak} day{'s' if result.streak != 1 else ''}", style="bold")
    streak.append(f" · {result.active_days} active days in all")
    console.print(streak)
    console.print(
        Text(
            f"Totals: {format_number(result.hours_logged)} h logged · {result.done} done · "
            f"{result.skipped} skipped · {result.in_progress} in progress · "
            f"{result.notes} note{'s' if result.notes != 1 else ''}"
        )
    )


UNDONE_VERB = {
    "done": "marking done",
    "reset": "reset",
    "start": "start",
    "skip": "skip",
    "log": "time logged",
    "note": "note",
    "merge": "merge",
    "sync": "sync",
}


def undone(change: Change | None) -> None:
    """Say what `roadmap undo` reverted, or that there was nothing to undo."""
    console = _console()
    if change is None:
        console.print(Text("Nothing to undo.", style="yellow"))
        return
    line = Text("Undid ", style="green")
    line.append(UNDONE_VERB[change.action], style="bold")
    line.append(" of " + ", ".join(clean(ref) for ref in change.refs))
    line.append(f" (from {change.at.astimezone():%Y-%m-%d %H:%M}).", style="dim")
    console.print(line, soft_wrap=True)


def noted(found: ResolvedRef, count: int) -> None:
    """Confirm a note was added."""
    line = Text("Noted on ", style="green")
    line.append(clean(found.resource.title), style="bold")
    line.append(f" ({clean(found.ref)}); {count} note{'s' if count != 1 else ''} in all.")
    _console().print(line, soft_wrap=True)


def notes(found: ResolvedRef, kept: Sequence[Note]) -> None:
    """Print a resource's notes, oldest first."""
    console = _console()
    console.print(_text(found.resource.title, "bold") + f"  ({clean(found.ref)})", soft_wrap=True)
    if not kept:
        console.print(Text('No notes yet. Add one with: roadmap note REF "text"', style="dim"))
    for item in kept:
        console.print(Text(f"{item.added.astimezone():%Y-%m-%d %H:%M}", style="dim"))
        console.print(Text("  " + clean(item.text, allow_newlines=True).replace("\n", "\n  ")))


def opened(found: ResolvedRef) -> None:
    """Confirm a link was handed to the browser."""
    line = Text("Opened ", style="green")
    line.append(_link(found.resource))
    _console().print(line, soft_wrap=True)


def print_text(text: str) -> None:
    """Print text to stdout as it is (a document, not a message)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def imported(source: Path, done: Imported, *, marked: bool) -> None:
    """Say what an import made, what it could not place, and what to do next."""
    console = _console(stderr=done.path is None)  # keep stdout for the YAML itself
    roadmaps = done.result.data["roadmaps"]
    count = sum(
        len(step.get("resources", []))
        for roadmap in roadmaps
        for step in roadmap.get("steps", [{"resources": roadmap.get("resources", [])}])
    )
    line = Text(f"Imported {len(roadmaps)} roadmap{'s' if len(roadmaps) != 1 else ''} ")
    line.append(f"({', '.join(clean(r['id']) for r in roadmaps)}; {count} resources)")
    if done.path is not None:
        line.append(" to ")
        line.append(clean(str(done.path)), style="bold")
    console.print(line, soft_wrap=True)
    for problem in done.result.problems:
        text = Text(f"{clean(str(source))}:{problem.line}: ", style="yellow")
        text.append(clean(problem.message))
        console.print(text, soft_wrap=True)
    ticked = len(done.result.progress)
    if ticked:
        if marked:
            note = f"Marked {ticked} ticked item{'s' if ticked != 1 else ''} as done."
        elif done.path is None:
            note = f"{ticked} ticked item(s) not marked: the roadmap was printed, not saved."
        else:
            note = (
                f"{ticked} item{'s are' if ticked != 1 else ' is'} ticked in the source; "
                "import with --with-progress to mark them done."
            )
        console.print(Text(note), soft_wrap=True)
    if done.path is not None:
        hint = Text(f"Check it with: roadmap validate {clean(str(done.path))}", style="dim")
        console.print(hint, soft_wrap=True)


def _merge_line(item: Merged) -> Text:
    line = Text("  ")
    line.append(clean(item.ref), style="bold")
    change = item.status_change
    if change is not None:
        line.append(f"  {change[0]} → {change[1]}")
    if item.new_logs:
        line.append(f"  +{item.new_logs} time log{'s' if item.new_logs != 1 else ''}")
    if item.new_notes:
        line.append(f"  +{item.new_notes} note{'s' if item.new_notes != 1 else ''}")
    if change is None and not item.new_logs and not item.new_notes:
        line.append(f"  {item.after.status}, as changed later on the other side", style="dim")
    return line


def merged(found: Sequence[Merged], unknown: Sequence[str], *, dry_run: bool) -> None:
    """Report what a merge changed (or would change, with --dry-run)."""
    console = _console()
    if not found:
        console.print(Text("Nothing to merge: your progress already has all of it."))
        return
    verb = "Would change" if dry_run else "Merged"
    console.print(Text(f"{verb} {len(found)} resource{'s' if len(found) != 1 else ''}:"))
    for item in found:
        console.print(_merge_line(item), soft_wrap=True)
    if unknown:
        console.print(
            Text(
                f"{len(unknown)} of them belong to no loaded roadmap and are kept as they are: "
                + ", ".join(clean(ref) for ref in unknown),
                style="yellow",
            ),
            soft_wrap=True,
        )
    if dry_run:
        console.print(Text("Nothing was changed (--dry-run).", style="dim"))


def synced(report: SyncReport) -> None:
    """Report what a sync did."""
    console = _console()
    if report.up_to_date:
        console.print(Text(f"Already in sync with {clean(report.remote)}.", style="green"))
        return
    if report.committed:
        console.print(Text("Committed your local changes."))
    if report.merged:
        count = len(report.merged)
        console.print(Text(f"Merged {count} resource{'s' if count != 1 else ''} from the remote:"))
        for item in report.merged:
            console.print(_merge_line(item), soft_wrap=True)
    line = Text("Synced with ", style="green")
    line.append(clean(report.remote), style="bold")
    console.print(line, soft_wrap=True)


def written(path: Path) -> None:
    """Confirm a file was written."""
    line = Text("Wrote ", style="green")
    line.append(clean(str(path)), style="bold")
    _console().print(line, soft_wrap=True)
