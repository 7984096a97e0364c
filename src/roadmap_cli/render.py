"""Everything roadmap-cli prints. The only module that knows about Rich.

Text from roadmap and progress files is data: it is always wrapped in `Text` (never parsed as
markup), and any control or bidirectional character that got past validation is shown escaped.
Colour is used only on a terminal and never when NO_COLOR is set (Rich honours both).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Span, Text

from roadmap_cli.catalog import LoadedFile, ResolvedRef
from roadmap_cli.progress import (
    HourRange,
    ResourceItem,
    RoadmapSummary,
    estimate_text,
    format_hours,
    format_number,
    hours_left,
    hours_total,
)
from roadmap_cli.records import Guide, Resource, StatedHours
from roadmap_cli.safetext import escape_unsafe

if TYPE_CHECKING:  # loaded by the commands that need them, not at start-up
    from roadmap_cli.doctor import Finding
    from roadmap_cli.entries import Entry, Note, Status
    from roadmap_cli.importer import Imported
    from roadmap_cli.merge import Merged
    from roadmap_cli.paths import Variable
    from roadmap_cli.planning import Plan, Stats
    from roadmap_cli.sync import SyncReport
    from roadmap_cli.tracker import Marked, Undone
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
    if text.isascii() and text.isprintable():
        return text  # the usual case: nothing there to escape (no control character at all)
    return escape_unsafe(text, allow_newlines=allow_newlines)


def _text(value: str, style: str | Style = "") -> Text:
    return Text(clean(value), style=style)


# --- lines that fit the terminal -------------------------------------------------------------
#
# Rich wraps text at spaces but folds a word that does not fit, and knows nothing of figures
# with units: "0.5–0.⏎75 h". Every paragraph printed here is laid out by `_flow` instead:
# broken only at spaces, never inside a word, a figure with its unit ("18–23 h", "6 h/week"),
# a REF, a URL or a path; continued lines start under the paragraph's own column.

_TOKEN = re.compile(r"\S+")
_UNIT = re.compile(r"h(?:/week)?(?!\w)")  # after a figure: "18–23 h", "1.5 h", "6 h/week"
_WEEKDAYS = frozenset(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
_TRAILING = frozenset(("·", "-", "–", "—", "›", "|"))  # a separator ends a line, never starts one


def _glued(plain: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether the space between two tokens must not be broken."""
    first, second = plain[before[0] : before[1]], plain[after[0] : after[1]]
    return (
        second in _TRAILING
        or first in _WEEKDAYS  # "Thu 2027-02-25"
        or first == "["  # the "[ ]" of a resource not started
        or (
            (first[-1:].isdigit() or first.endswith(("+", "?"))) and _UNIT.match(second) is not None
        )
        or (first, second) == ("no", "estimate")
    )


def _tokens(plain: str, start: int, end: int, keep: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The unbreakable pieces of plain[start:end], as [start, end] offsets."""
    tokens: list[list[int]] = []
    for match in _TOKEN.finditer(plain, start, end):
        s, e = match.span()
        if tokens and (
            _glued(plain, (tokens[-1][0], tokens[-1][1]), (s, e))
            or any(a < tokens[-1][1] and s < b for a, b in keep)
        ):
            tokens[-1][1] = e
        else:
            tokens.append([s, e])
    return tokens


def _flow(text: Text, width: int, indent: int = 0, keep: Sequence[tuple[int, int]] = ()) -> Text:
    """Break `text` into lines of at most `width` cells, at spaces only.

    Each line of `text` ("\\n") is a paragraph; a paragraph too long for one line goes on with
    lines `indent` cells in. A word, a figure with its unit and each range in `keep` (offsets
    into `text`: a path with spaces) stay whole. A piece too long for the line it would start
    goes on a line of its own without the indent, and only what is longer than `width` on its
    own (a long URL) is printed longer than `width`, whole, so that it can still be copied.
    """
    plain = text.plain
    width = max(width, 1)
    cuts: list[tuple[int, int, int]] = []  # (start, end, indent) of each line
    start, filled = 0, False
    for paragraph in plain.split("\n"):
        end = start + len(paragraph)
        if cell_len(paragraph) <= width:
            cuts.append((start, end, 0))
        else:
            cuts += _fill(plain, start, end, width, indent, keep)
            filled = True
        start = end + 1
    if not filled:
        return text
    out = Text()
    for n, (s, e, pad) in enumerate(cuts):
        if n:
            out.append("\n")
        out.append(" " * pad)
        out.append_text(text[s:e])
    return out


def _fill(
    plain: str, start: int, end: int, width: int, indent: int, keep: Sequence[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Fill lines greedily with the tokens of one paragraph: (start, end, indent) each."""
    indent = indent if indent < width // 2 else 0  # a column too far right helps no one
    lines: list[tuple[int, int, int]] = []
    line_start, line_end, pad = start, start, 0
    for s, e in _tokens(plain, start, end, keep):
        if line_end > line_start and (pad + cell_len(plain[line_start:e]) > width):
            lines.append((line_start, line_end, pad))
            line_start, pad = s, indent
        line_end = e
        too_long = pad + cell_len(plain[line_start:line_end]) > width
        if too_long and plain[line_start:s].strip() == "":  # alone on its line: no indent
            line_start, pad = s, 0
    if line_end > line_start or not lines:
        lines.append((line_start, line_end, pad))
    return lines


def _say(
    console: Console, text: Text, indent: int = 0, keep: Sequence[tuple[int, int]] = ()
) -> None:
    """Print `text` laid out by `_flow` at the console's width."""
    _print(console, _flow(text, console.width, indent, keep))


def _plain(console: Console) -> bool:
    """Whether `console` prints text as it is, without any style (piped, or no colour)."""
    return console.color_system is None and not console.record


def _print(console: Console, text: Text | str) -> None:
    """Print `text` as it is laid out (soft wrap: Rich neither wraps nor crops it).

    A plain string is what `_grid` makes for a console without colour: text without style.
    """
    plain = text if isinstance(text, str) else text.plain
    if _plain(console) and "\t" not in plain:
        # Without colour (piped, or a terminal that has none) Rich prints the plain text and
        # the end of the line: written as it is, instead of rendering each styled piece (a
        # checklist of 1,000 resources has 7,000 of them).
        console.file.write(plain + ("\n" if isinstance(text, str) else text.end))
        console.file.flush()
        return
    console.print(Text(text) if isinstance(text, str) else text, soft_wrap=True)


def hours(value: HourRange | StatedHours) -> str:
    """Format an hour range: "72–90 h", "3 h", "80–100+ h", "50+ h"."""
    plus = isinstance(value, StatedHours) and value.plus
    return format_hours(value.low, value.high, plus=plus)


def bar(percent: int) -> Text:
    """Draw a progress bar that reads the same with or without colour."""
    return _assemble(_bar_parts(percent))


def _bar_parts(percent: int) -> list[Part]:
    filled = percent * BAR_WIDTH // 100
    return [("█" * filled, "green"), ("░" * (BAR_WIDTH - filled), "dim"), (f" {percent:>3}%", "")]


def _link(resource: Resource) -> Text:
    return Text(*_link_part(resource))


def _link_part(resource: Resource) -> Part:
    from roadmap_cli.safetext import display_url  # escaped, and a look-alike host in ASCII

    if resource.link_pending:
        return "link pending", "yellow"
    url = display_url(resource.url)
    return url, Style(color="blue", underline=True, link=url)


def print_json(data: Any) -> None:
    """Print machine-readable JSON to stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def error(message: str) -> None:
    """Print an error as one paragraph on stderr."""
    _paragraph("Error: ", "bold red", message)


def warning(message: str) -> None:
    """Print a warning as one paragraph on stderr."""
    _paragraph("Warning: ", "bold yellow", message)


def _paragraph(label: str, style: str, message: str) -> None:
    """Print a labelled paragraph on stderr: broken at spaces to fit a terminal, so that no
    word is split; one line when stderr goes to a file or a pipe, for scripts and logs."""
    console = _console(stderr=True)
    text = Text(label, style=style)
    text.append(clean(message))
    if console.is_terminal:
        _say(console, text)
    else:
        console.print(text, soft_wrap=True)


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
            line = _text(s.roadmap.id, "bold") + "  " + _text(s.roadmap.title)
            _say(console, line, indent=len(s.roadmap.id) + 2)
            _say(console, Text("  ") + _footer(s), indent=4)
    else:
        cell = _cell_maker(console)
        rows = [
            [
                cell([(clean(s.roadmap.id), "bold")]),
                cell([(clean(s.roadmap.title), "")]),
                cell(_bar_parts(s.percent)),
                cell([(f"{s.done}/{s.total}", "")]),
                cell([(hours_left(s), "")]),
                cell([(hours_total(s), "")]),
            ]
            for s in summaries
        ]
        columns = [
            _Column("ID"),
            _Column("Roadmap", flexible=True),
            _Column("Progress"),
            *(_Column(name, right=True) for name in ("Done", "Left", "Total")),
        ]
        _print(console, _grid(console, columns, rows))
    _note_unestimated(console, summaries)
    if summaries:
        console.print(Text("Open one with: roadmap show ID", style="dim"))


@dataclass(frozen=True)
class _Column:
    header: str
    right: bool = False  # right-justified, for figures
    flexible: bool = False  # takes the width left over, its text wrapped to fit


_GAP = "  "

# A cell of a grid: styled Text, or, for a console without colour, the plain string Rich
# would print for it (no Text to make, measure and join per cell: 1,200 for 200 roadmaps).
Cell = Text | str


def _cell_maker(console: Console) -> Callable[[Sequence[Part]], Cell]:
    """How to make a grid cell of styled pieces (each already clean) for this console."""
    if _plain(console):
        return lambda parts: "".join([text for text, _ in parts])
    return _assemble


def _cell_len(cell: Cell) -> int:
    return cell_len(cell) if isinstance(cell, str) else cell.cell_len


def _as_text(cell: Cell) -> Text:
    return Text(cell) if isinstance(cell, str) else cell


def _texts(rows: Sequence[Sequence[Cell] | None]) -> list[list[Text] | None]:
    return [None if row is None else [_as_text(cell) for cell in row] for row in rows]


def _grid(
    console: Console, columns: Sequence[_Column], rows: Sequence[Sequence[Cell] | None]
) -> Cell:
    """Lay out rows of cells under bold headers and a rule, as one Text; None draws a rule.

    A table drawn line by line as plain Text: Rich's Table measures and renders every cell on
    its own, which takes a visible fraction of a second at a few hundred rows. When every cell
    is a plain string (a console without colour), the lines are plain strings too, laid out
    the same way: the grid is then the string Rich would print for the Text.
    """
    width = console.width
    widths = [len(c.header) for c in columns]
    # Each cell measured once: a plain grid is made only of strings.
    sizes = [None if row is None else [_cell_len(cell) for cell in row] for row in rows]
    plain = all(isinstance(cell, str) for row in rows for cell in row or ())
    for row_sizes in sizes:
        for i, size in enumerate(row_sizes or ()):
            if size > widths[i]:
                widths[i] = size
    gaps = len(_GAP) * (len(widths) - 1)
    flexible = next((i for i, c in enumerate(columns) if c.flexible), None)
    if flexible is not None:
        others = sum(w for j, w in enumerate(widths) if j != flexible) + gaps
        widths[flexible] = max(min(widths[flexible], width - others), len(columns[flexible].header))
        if width - others < 20:  # too narrow to read: each row on lines of its own
            return _stacked(width, columns, _texts(rows), flexible)
    if sum(widths) + gaps > width:
        return _stacked(width, columns, _texts(rows), flexible)
    rule = "─" * (sum(widths) + gaps)
    headers: list[Cell] = [c.header if plain else Text(c.header, style="bold") for c in columns]
    header_sizes = [len(c.header) for c in columns]
    lines: list[Cell] = [_grid_line(columns, widths, headers, header_sizes, plain=plain)]
    lines.append(rule if plain else Text(rule))
    blank: Cell = "" if plain else Text()
    for row, row_sizes in zip(rows, sizes, strict=True):
        if row is None or row_sizes is None:
            lines.append(rule if plain else Text(rule))
            continue
        if flexible is None or row_sizes[flexible] <= widths[flexible]:
            lines.append(_grid_line(columns, widths, row, row_sizes, plain=plain))
            continue
        # The flexible cell is wider than its column: its text goes on over several lines.
        cell = _as_text(row[flexible])
        parts = _flow(cell, widths[flexible], _hang(cell)).split("\n")
        if any(part.cell_len > widths[flexible] for part in parts):
            # A word longer than the column: each row on lines of its own instead.
            return _stacked(width, columns, _texts(rows), flexible)
        wrapped: list[Sequence[Cell]] = [[cell] for cell in row]
        wrapped[flexible] = [part.plain for part in parts] if plain else list(parts)
        for n in range(max(len(parts) for parts in wrapped)):
            cells = [parts[n] if n < len(parts) else blank for parts in wrapped]
            line_sizes = [_cell_len(c) for c in cells]
            lines.append(_grid_line(columns, widths, cells, line_sizes, plain=plain))
    if plain:  # every line is a string
        return "\n".join(map(str, lines))
    return Text("\n").join(_as_text(line) for line in lines)


_NUMBERED = re.compile(r"\d+\. ")


def _hang(cell: Text) -> int:
    """The indent that continues a cell's text: under the title of "3. Title"."""
    numbered = _NUMBERED.match(cell.plain)
    return numbered.end() if numbered else 0


def _stacked(
    width: int, columns: Sequence[_Column], rows: Sequence[Sequence[Text] | None], main: int | None
) -> Text:
    """Rows too wide for columns: the main cell on its lines, then "Header value · ..." below."""
    lines: list[Text] = []
    for row in rows:
        if row is None:
            continue
        details = Text()
        if main is not None:
            lines.append(_flow(row[main], width, _hang(row[main])))
            details.append("   ")
        named = [(columns[i].header, cell) for i, cell in enumerate(row) if i != main and cell]
        keep = []  # "Hours 18" stays on one line
        for n, (header, cell) in enumerate(named):
            if n:
                details.append(" · ")
            start = len(details)
            if header:
                details.append(header + " ", style="dim")
            details.append_text(cell)
            keep.append((start, len(details)))
        lines.append(_flow(details, width, 3, keep))
    return Text("\n").join(lines)


def _grid_line(
    columns: Sequence[_Column],
    widths: Sequence[int],
    cells: Sequence[Cell],
    sizes: Sequence[int],
    *,
    plain: bool,
) -> Cell:
    """One line of a grid: the cells (of `sizes` cells wide) padded to their column's width,
    without trailing spaces; a plain string when the cells are (`plain`)."""
    pieces: list[Cell] = []
    last = len(cells) - 1
    for i, (column, width, cell, size) in enumerate(
        zip(columns, widths, cells, sizes, strict=True)
    ):
        space = " " * (width - size)
        if column.right:
            pieces += (space, cell)
        else:
            pieces.append(cell)
            if i < last:
                pieces.append(space)
        if i < last:
            pieces.append(_GAP)
    if plain:  # every piece is a string
        return "".join(cast("list[str]", pieces)).rstrip()
    line = Text()
    for piece in pieces:
        if isinstance(piece, str):
            line.append(piece)
        else:
            line.append_text(piece)
    line.rstrip()
    return line


def roadmap_show(summary: RoadmapSummary, guide: Guide | None) -> None:
    """Print a roadmap as a checklist, step by step."""
    roadmap = summary.roadmap
    console = _console()
    header = _text(roadmap.title, "bold")
    header.append(f"  ({clean(roadmap.id)})", style="dim")
    _say(console, header)
    if guide is not None:
        _say(console, Text("From: ", style="dim") + _text(guide.title, "dim"), indent=6)
    if roadmap.summary:
        _say(console, Text(clean(roadmap.summary, allow_newlines=True)))
    for number, step in enumerate(summary.steps, start=1):
        console.print()
        if step.title is not None:
            heading = Text(f"{number}. ", style="bold")
            heading.append(clean(step.title), style="bold")
            if step.description:
                heading.append(" – " + clean(step.description), style="italic")
            _say(console, heading, indent=len(f"{number}. "))
        # One print per step: a print per resource costs more than the lines themselves.
        if step.items:
            lines = [[*_item(item), ("\n", "")] for item in step.items]
            lines[-1].pop()
            _say(console, _assemble(part for line in lines for part in line), indent=7)
    console.print()
    _say(console, _footer(summary), indent=2)
    _note_unestimated(console, [summary])
    if roadmap.note:
        _say(console, Text(clean(roadmap.note, allow_newlines=True), style="italic"))


def _item(item: ResourceItem) -> list[Part]:
    """The two lines of a resource in a checklist, as styled pieces of text."""
    res = item.resource
    parts: list[Part] = [
        ("   ", ""),
        (MARKS[item.status], STATUS_STYLE[item.status]),
        (" ", ""),
        (clean(res.title), TITLE_STYLE[item.status]),
        (f"  {res.kind} · {estimate_text(item)}", "cyan"),
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


def _footer(summary: RoadmapSummary) -> Text:
    text = Text("Done ")
    text.append(f"{summary.done}/{summary.total}", style="bold")
    if summary.skipped:
        text.append(f", {summary.skipped} skipped")
    if summary.in_progress:
        text.append(f", {summary.in_progress} in progress")
    text.append(f" ({summary.percent}%) · ")
    text.append(hours_left(summary), style="bold")
    text.append(f" left of {hours_total(summary)}")
    return text


def remaining(summaries: Sequence[RoadmapSummary], *, per_step: bool) -> None:
    """Print the hours left per roadmap, and per step when `per_step` is set."""
    console = _console()
    cell = _cell_maker(console)
    rows: list[list[Cell] | None] = []
    for s in summaries:
        if not per_step:
            title = cell([(clean(f"{s.roadmap.title} ({s.roadmap.id})"), "")])
            rows.append([title, cell([(f"{s.done}/{s.total}", "")]), cell([(hours_left(s), "")])])
            continue
        titled = [step for step in s.steps if step.title is not None]
        for number, step in enumerate(titled, start=1):
            rows.append(
                [
                    cell([(clean(f"{number}. {step.title}"), "")]),
                    cell([(f"{step.done}/{len(step.items)}", "")]),
                    cell([(hours_left(step), "")]),
                ]
            )
        if titled:
            rows.append(None)
        rows.append(
            [
                cell([(clean(s.roadmap.title), "bold")]),
                cell([(f"{s.done}/{s.total}", "")]),
                cell([(hours_left(s), "bold")]),
            ]
        )
    if rows and rows[-1] is None:
        rows.pop()
    columns = [
        _Column("Step" if per_step else "Roadmap", flexible=True),
        _Column("Done", right=True),
        _Column("Left", right=True),
    ]
    _print(console, _grid(console, columns, rows))
    _note_unestimated(console, summaries)


def _note_unestimated(console: Console, summaries: Sequence[RoadmapSummary]) -> None:
    """Say how many resources left have no estimate (so are not in the hours), if any."""
    count = sum(s.unestimated for s in summaries)
    if count:
        which = "1 resource left has" if count == 1 else f"{count:,} resources left have"
        them = "it" if count == 1 else "them"
        _say(console, Text(f"{which} no estimate: the hours leave {them} out.", style="dim"))


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
        _say(console, line, indent=2)
    for summary in summaries:
        line = _text(summary.roadmap.title, "bold")
        line.append(": ")
        line.append(_footer(summary))
        _say(console, line, indent=2)


def about(files: Sequence[LoadedFile]) -> None:
    """Print each guide loaded, with its overview and roadmaps."""
    console = _console()
    for loaded in files:
        title = loaded.guide.title if loaded.guide else loaded.source.path.name
        _say(console, _text(title, "bold"))
        if loaded.guide and loaded.guide.overview:
            _say(console, Text(clean(loaded.guide.overview, allow_newlines=True) + "\n"))
        for roadmap in loaded.roadmaps:
            line = Text("  • ")
            line.append(clean(roadmap.title), style="bold")
            line.append(f" ({clean(roadmap.id)})", style="dim")
            if roadmap.stated_hours:
                line.append(f", {hours(roadmap.stated_hours)}")
            if roadmap.summary:
                line.append(" – " + clean(roadmap.summary))
            _say(console, line, indent=4)
        console.print()


def where(
    rows: Sequence[tuple[str, Path, str]], environment: Sequence[tuple[Variable, str | None]]
) -> None:
    """Print the paths in use, one per line, each path whole: (what, path, note); then each
    environment variable roadmap-cli reads, with its value or "not set"."""
    console = _console()
    width = max((len(what) for what, _, _ in rows), default=0)
    for what, path, note in rows:
        line = Text(f"{what + ':':<{width + 1}}  ", style="bold")
        start = len(line)
        line.append(clean(str(path)))
        keep = [(start, len(line))]  # a path with spaces is still one piece
        if note:
            line.append(f"  ({note})", style="dim")
        _say(console, line, indent=width + 3, keep=keep)
    console.print()
    console.print(Text("Environment:", style="bold"))
    width = max((len(variable.name) for variable, _ in environment), default=0)
    for variable, value in environment:
        line = Text(f"  {variable.name:<{width}}  ")
        start = len(line)
        if value is None:
            line.append("not set", style="dim")
        else:
            line.append(clean(value))
        _say(console, line, indent=width + 4, keep=[(start, len(line))])


SEVERITY_STYLE = {"ok": "green", "warning": "yellow", "error": "bold red"}


def findings(found: Sequence[Finding], moved: Path | None) -> None:
    """Print what `roadmap doctor` checked, one paragraph per finding."""
    console = _console()
    if moved is not None:
        line = Text("Moved the unreadable progress file to ", style="yellow")
        line.append(clean(str(moved)), style="bold")
        line.append("; progress starts fresh. Nothing was deleted.")
        _say(console, line)
    for finding in found:
        line = Text(f"{finding.severity:<7} ", style=SEVERITY_STYLE[finding.severity])
        if finding.detail.startswith(finding.subject):  # "file:line:column: ..." says it all
            line.append(clean(finding.detail))
        else:
            line.append(clean(finding.subject), style="bold")
            line.append(": " + clean(finding.detail))
        _say(console, line, indent=8)


def next_up(found: tuple[RoadmapSummary, ResourceItem] | None, scope: str | None) -> None:
    """Name the resource to work on next, with its step, estimate and link.

    `scope` is the title of the one roadmap asked about, if one was.
    """
    console = _console()
    if found is None:
        which = f"{clean(scope)} is" if scope else "Every roadmap is"
        _say(console, Text(f"{which} done (or skipped). Well done!", style="bold green"))
        return
    summary, item = found
    line = Text("Next: " if item.status == "pending" else "Continue: ", style="bold")
    indent = len(line)
    line.append(clean(item.resource.title), style="bold")
    line.append(f"  ({clean(item.ref)})", style="dim")
    _say(console, line, indent=indent)
    where = _text(summary.roadmap.title)
    if item.step:
        where.append(" › " + clean(item.step))
    _say(console, Text("  ") + where, indent=4)
    detail = Text(f"  {item.resource.kind} · {estimate_text(item)}", style="cyan")
    if item.hours_logged:
        detail.append(f" · {format_number(item.hours_logged)} h spent")
        if item.estimated:
            detail.append(f" · {hours(item.remaining)} left")
    _say(console, detail, indent=4)
    _say(console, Text("  ") + _link(item.resource), indent=2)


def logged(
    found: ResolvedRef, spent: float, day: date, entry: Entry, summary: RoadmapSummary
) -> None:
    """Confirm time logged, with the resource's total and the roadmap's hours left."""
    console = _console()
    line = Text(f"Logged {format_number(spent)} h on {day.isoformat()}: ", style="green")
    line.append(clean(found.resource.title), style="bold")
    line.append(f" ({clean(found.ref)})", style="dim")
    _say(console, line, indent=2)
    res_hours = found.resource.hours
    of = f" of {hours(HourRange.of(res_hours))}" if res_hours is not None else ""
    spent_of = f"  {format_number(entry.hours_logged)} h spent{of} · {entry.status}"
    _say(console, Text(spent_of), indent=4)
    _say(console, _text(summary.roadmap.title, "bold") + ": " + _footer(summary), indent=2)


def _day(value: date) -> str:
    return f"{value:%a} {value.isoformat()}"


def plan(result: Plan) -> None:
    """Print the projected finish, the schedule, the pace needed and the calibration."""
    console = _console()
    summary = result.summary
    header = _text(summary.roadmap.title, "bold") + f"  ({clean(summary.roadmap.id)})"
    _say(console, header)
    _say(console, Text(f"Left: {hours_left(summary)}"))
    _note_unestimated(console, [summary])
    if result.remaining.high <= 0:
        if summary.unestimated:
            message = "Nothing to plan in hours: what is left has no estimate. Set estimates "
            _say(console, Text(message + "in the roadmap file to plan it.", style="yellow"))
        else:
            _say(console, Text("Nothing left to plan: this roadmap is finished.", style="green"))
        return
    if result.hours_per_week is not None and result.finish is not None:
        source = (
            "your pace over the last four weeks of logged time"
            if result.pace == "logged"
            else "the pace you gave"
        )
        _say(console, Text(f"At {format_number(result.hours_per_week)} h/week ({source}):"))
        earliest, latest = result.finish
        line = Text("  Finish between ")
        line.append(_day(earliest), style="bold")
        line.append(" and ")
        line.append(_day(latest), style="bold")
        _say(console, line, indent=4)
        if result.calibration is not None:
            cal = result.calibration
            line = Text(
                f"  You take {cal.ratio:.2f}× the estimate (from {cal.resources} finished "
                f"resource{'s' if cal.resources > 1 else ''} with time logged): "
                f"{hours(cal.remaining)} left at your rate"
            )
            if cal.finish is not None:
                line.append(f", finishing {_day(cal.finish[0])} – {_day(cal.finish[1])}")
            _say(console, line, indent=4)
        _schedule(console, result)
    if result.by is not None and result.needed_per_week is not None:
        needed = result.needed_per_week
        pace = f"{format_number(needed.low)}–{format_number(needed.high)} h/week"
        line = Text(f"To finish by {_day(result.by)}: ")
        if result.by_possible:
            line.append(pace, style="bold")
        else:
            line.append("not possible", style="bold red")
            line.append(f"; it would take {pace}, more than the 168 hours of a week.")
        _say(console, line, indent=2)


def _schedule(console: Console, result: Plan) -> None:
    # Weeks that hold the same resources are one row ("3–7"), so a long plan stays readable.
    groups: list[tuple[int, int, list[str]]] = []
    for week in result.weeks:
        names = [clean(item.resource.title) for item, _ in week.items]
        if groups and groups[-1][2] == names and groups[-1][1] == week.number - 1:
            groups[-1] = (groups[-1][0], week.number, names)
        else:
            groups.append((week.number, week.number, names))
    rows: list[Sequence[Text] | None] = []
    for first, last, names in groups:
        weeks = result.weeks[first - 1 : last]
        rows.append(
            [
                Text(str(first) if first == last else f"{first}–{last}"),
                Text(weeks[0].start.isoformat()),
                Text(format_number(sum(w.hours for w in weeks))),
                Text("; ".join(names)),
            ]
        )
    columns = [
        _Column("Week", right=True),
        _Column("From"),
        _Column("Hours", right=True),
        _Column("Resources", flexible=True),
    ]
    _say(console, Text("Week by week (the middle of each estimate):", style="dim"))
    _print(console, _grid(console, columns, rows))
    if result.weeks_left_out:
        _say(console, Text(f"… and {result.weeks_left_out} more weeks.", style="dim"))


def stats(result: Stats) -> None:
    """Print hours and completions per week as bars, then the streak and totals."""
    console = _console()
    most = max((w.hours for w in result.weeks), default=0.0)
    figures = [format_number(w.hours) for w in result.weeks]
    done = [str(w.completed) for w in result.weeks]
    # The bars take what the dates and figures leave of the width, at most 20 cells.
    others = len("Week of  ") + max(map(len, figures), default=1) + max(4, *map(len, done)) + 4
    longest = max(1, min(20, console.width - len("2026-01-01  ") - others + len("Week of  ")))
    rows: list[Sequence[Text] | None] = []
    for week, figure, completed in zip(result.weeks, figures, done, strict=True):
        cells = round(week.hours / most * longest) if most else 0
        rows.append(
            [
                Text(week.start.isoformat()),
                Text("█" * cells, style="green"),
                Text(figure),
                Text(completed),
            ]
        )
    columns = [_Column("Week of"), _Column("Hours"), _Column("", right=True)]
    columns.append(_Column("Done", right=True))
    _print(console, _grid(console, columns, rows))
    streak = Text("Streak: ")
    streak.append(f"{result.streak} day{'s' if result.streak != 1 else ''}", style="bold")
    streak.append(f" · {result.active_days} active days in all")
    _say(console, streak, indent=8)
    totals = Text(
        f"Totals: {format_number(result.hours_logged)} h logged · {result.done} done · "
        f"{result.skipped} skipped · {result.in_progress} in progress · "
        f"{result.notes} note{'s' if result.notes != 1 else ''}"
    )
    _say(console, totals, indent=8)


STATUS_WORDS: dict[Status, str] = {
    "done": "done",
    "pending": "not started",
    "in-progress": "in progress",
    "skipped": "skipped",
}
MARKING: dict[str, Status] = {
    "done": "done",
    "reset": "pending",
    "start": "in-progress",
    "skip": "skipped",
}
NAMED_AT_MOST = 3  # REFs named in full; "and 4 more" after them
NOTE_WORDS = 8  # words of a note quoted when it is undone


def undone(result: Undone | None) -> None:
    """Say exactly what `roadmap undo` reverted, or that there was nothing to undo."""
    console = _console()
    if result is None:
        _say(console, Text("Nothing to undo.", style="yellow"))
        return
    line = Text("Undid ", style="green")
    line.append(_undone_what(result))
    _say(console, line, indent=2)


def _undone_what(result: Undone) -> str:
    change = result.change
    refs = change.refs
    action = change.action
    if action in MARKING:
        return (
            f"marking {_names(refs)} {STATUS_WORDS[MARKING[action]]}; "
            f"{_statuses_again(result, refs)}."
        )
    if action == "log":
        logs = [
            f"{format_number(log.hours)} h logged on {log.day.isoformat()} on {clean(ref)}"
            for ref in refs
            for log in result.removed_logs(ref)
        ]
        said = "; ".join(logs) if logs else f"time logged on {_names(refs)}"
        restarted = [ref for ref in refs if result.status_after(ref) != result.status_before(ref)]
        if restarted:
            said += f"; {_statuses_again(result, restarted)}"
        return said + "."
    if action == "note":
        notes = [(ref, note) for ref in refs for note in result.removed_notes(ref)]
        if not notes:
            return f"the note added to {_names(refs)}."
        return "; ".join(
            f"the note added to {clean(ref)}: “{_first_words(note.text)}”" for ref, note in notes
        )
    count = len(refs)
    back = "is back as it was" if count == 1 else "are back as they were"
    resources = f"{count} resource{'s' if count != 1 else ''}"
    return f"{action} of {resources}: {_names(refs)} {back} before it."


def _names(refs: Sequence[str], at_most: int = NAMED_AT_MOST) -> str:
    """Name a few REFs or ids: "a", "a and b", "a, b and c", "a, b, c and 4 more"."""
    names = [clean(ref) for ref in refs[:at_most]]
    more = len(refs) - len(names)
    if more == 1:
        names.append(clean(refs[-1]))
    elif more:
        names.append(f"{more} more")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _statuses_again(result: Undone, refs: Sequence[str]) -> str:
    """Say the status each REF is back to: "it is in progress again", "they are ..."."""
    statuses = {STATUS_WORDS[result.status_after(ref)] for ref in refs}
    if len(statuses) == 1:
        [status] = statuses
        return f"{'it is' if len(refs) == 1 else 'they are'} {status} again"
    return ", ".join(
        f"{clean(ref)} is {STATUS_WORDS[result.status_after(ref)]} again" for ref in refs
    )


def _first_words(text: str) -> str:
    words = clean(" ".join(text.split())).split(" ")
    return " ".join(words[:NOTE_WORDS]) + ("…" if len(words) > NOTE_WORDS else "")


def noted(found: ResolvedRef, count: int) -> None:
    """Confirm a note was added."""
    line = Text("Noted on ", style="green")
    line.append(clean(found.resource.title), style="bold")
    line.append(f" ({clean(found.ref)}); {count} note{'s' if count != 1 else ''} in all.")
    _say(_console(), line, indent=2)


def notes(found: ResolvedRef, kept: Sequence[Note]) -> None:
    """Print a resource's notes, oldest first."""
    console = _console()
    _say(console, _text(found.resource.title, "bold") + f"  ({clean(found.ref)})", indent=2)
    if not kept:
        _say(console, Text('No notes yet. Add one with: roadmap note REF "text"', style="dim"))
    for item in kept:
        console.print(Text(f"{item.added.astimezone():%Y-%m-%d %H:%M}", style="dim"))
        text = "  " + clean(item.text, allow_newlines=True).replace("\n", "\n  ")
        _say(console, Text(text), indent=2)


def opened(found: ResolvedRef) -> None:
    """Confirm a link was handed to the browser."""
    line = Text("Opened ", style="green")
    line.append(_link(found.resource))
    _say(_console(), line)


def print_text(text: str) -> None:
    """Print text to stdout as it is (a document, not a message)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def imported(source: Path, done: Imported, *, marked: bool) -> None:
    """Report an import in one block: what became what, then what could not be placed."""
    console = _console(stderr=done.path is None)  # keep stdout for the YAML itself
    result, counts = done.result, done.result.counts
    roadmaps = result.data["roadmaps"]
    ids = _names([r["id"] for r in roadmaps], 10)
    line = Text("Dry run: would import " if done.dry_run else "Imported ")
    line.append(f"{_count(counts.roadmaps, 'roadmap')} ({ids})")
    if done.path is not None:
        line.append(" to ")
        line.append(clean(str(done.path)), style="bold")
    if done.dry_run:
        line.append("; nothing was written")
    _say(console, line, indent=2)
    found = [_count(counts.roadmaps, "roadmap"), _count(counts.resources, "resource")]
    if counts.steps:
        found.insert(1, _count(counts.steps, "step"))
    estimates = [f"{counts.from_text:,} from the text"]
    if counts.apportioned:
        estimates.append(f"{counts.apportioned:,} apportioned from a stated total")
    if counts.missing:
        estimates.append(f"{counts.missing:,} without one (none is made up)")
    rows = [("Found", ", ".join(found)), ("Estimates", ", ".join(estimates))]
    if result.skipped:
        rows.append(("Skipped sections", ", ".join(clean(name) for name in result.skipped)))
    if result.problems:
        # Named from those listed; counted from them all (the list stops at a hundred).
        numbers = sorted({p.line for p in result.problems})[:10]
        more = counts.lines_not_placed - len(numbers)
        lines = ", ".join(map(str, numbers)) + (f" and {more:,} more" if more else "")
        rows.append(("Not placed", f"{_count(counts.lines_not_placed, 'line')} ({lines}), below"))
    ticked = len(result.progress)
    if ticked:
        if marked:
            rows.append(("Ticked items", f"{ticked:,} marked done"))
        elif done.dry_run:
            rows.append(("Ticked items", f"{ticked:,}, not marked: a dry run changes nothing"))
        elif done.path is None:
            rows.append(
                ("Ticked items", f"{ticked:,}, not marked: the roadmap was printed, not saved")
            )
        else:
            rows.append(
                ("Ticked items", f"{ticked:,}; import with --with-progress to mark them done")
            )
    for label, value in rows:
        _say(console, Text(f"  {label}: ", style="dim") + Text(value), indent=4)
    for problem in result.problems:
        text = Text(f"{clean(str(source))}:{problem.line}: ", style="yellow")
        text.append(clean(problem.message))
        _say(console, text, indent=4)
    if done.path is not None and not done.dry_run:
        hint = Text(f"Check it with: roadmap validate {clean(str(done.path))}", style="dim")
        console.print(hint, soft_wrap=True)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


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
    return line


def from_the_future(refs: Sequence[str], source: str) -> None:
    """Warn that changes dated more than a day ahead of this machine's clock were not taken."""
    if refs:
        warning(
            f"{source} has changes dated more than a day ahead of this machine's clock, which "
            f"were not taken: {_names(refs, 10)}. Check the clock of the machine they came from."
        )


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
                + _names(unknown, 10),
                style="yellow",
            ),
            soft_wrap=True,
        )
    if dry_run:
        console.print(Text("Nothing was changed (--dry-run).", style="dim"))


def synced(report: SyncReport) -> None:
    """Report what a sync did: only what a user sees change, and whether anything was sent."""
    from roadmap_cli.sync import SNAPSHOT  # loaded already: it made the report

    console = _console()
    from_the_future(report.future, f"The remote's {SNAPSHOT}")
    if report.old_repository is not None:
        console.print(_old_sync_repository(report.old_repository), soft_wrap=True)
    if report.up_to_date:
        console.print(Text(f"Already in sync with {clean(report.remote)}.", style="green"))
        return
    if report.shared:
        console.print(Text("Sent your local changes to the remote."))
    if report.merged:
        count = len(report.merged)
        console.print(Text(f"Merged {count} resource{'s' if count != 1 else ''} from the remote:"))
        for item in report.merged:
            console.print(_merge_line(item), soft_wrap=True)
    line = Text("Synced with ", style="green")
    line.append(clean(report.remote), style="bold")
    console.print(line, soft_wrap=True)


def _old_sync_repository(old: Path) -> Text:
    """Say that sync moved to a repository of its own, and what became of the old one."""
    from roadmap_cli.sync import REPO, SNAPSHOT

    return Text(
        f"Sync now keeps its own repository, {clean(str(old.parent / REPO))}, and reads only "
        f"{SNAPSHOT} from the remote. The data folder's old repository {clean(str(old))} (with "
        f"its .gitignore and {SNAPSHOT}) is no longer used and was left as it was; you may "
        "delete them.",
        style="yellow",
    )


def written(path: Path) -> None:
    """Confirm a file was written."""
    line = Text("Wrote ", style="green")
    line.append(clean(str(path)), style="bold")
    _console().print(line, soft_wrap=True)


# --- focus sessions and calendars (roadmap focus, roadmap plan --ics) ------------------------

if TYPE_CHECKING:  # loaded by `roadmap focus` and `roadmap plan --ics` only
    from roadmap_cli.focus import Ended, Logged, Recovered, Unreadable
    from roadmap_cli.ics import Session as CalendarSession

FOCUS_PLAIN_EVERY = 5  # minutes between two lines when stdout is not a terminal


def _clock(seconds: float) -> str:
    """Time left as a clock: 4:05, 1:02:03."""
    whole = max(0, int(seconds + 0.999))
    hours_part, rest = divmod(whole, 3600)
    minutes_part, secs = divmod(rest, 60)
    if hours_part:
        return f"{hours_part}:{minutes_part:02d}:{secs:02d}"
    return f"{minutes_part}:{secs:02d}"


def _focus_title(found: ResolvedRef) -> Text:
    line = Text("Focus: ", style="bold")
    line.append(clean(found.resource.title), style="bold")
    line.append(f"  ({clean(found.ref)})", style="dim")
    return line


class FocusView:
    """The live view of a focus session: a frame redrawn in place on a terminal, else lines."""

    def __init__(self, found: ResolvedRef, minutes: int, *, no_log: bool, keys: bool) -> None:
        self.console = _console()
        self.found = found
        self.total = minutes * 60.0
        self.no_log = no_log
        self.keys = keys
        self.live: Any = None
        self.said: int | None = None  # the minutes left last said, in plain lines
        self.studied = 0.0

    def __enter__(self) -> FocusView:
        if self.console.is_terminal:
            from rich.live import Live

            self.live = Live(
                self._frame(0.0),
                console=self.console,
                auto_refresh=False,  # redrawn at each tick of the session, from this thread
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.live.start()
        else:
            from datetime import datetime, timedelta

            until = datetime.now() + timedelta(seconds=self.total)
            line = _focus_title(self.found)
            line.append(f": {format_number(self.total / 60)} min, until {until:%H:%M}. ")
            line.append(self._hint())
            _say(self.console, line, indent=2)
        return self

    def _hint(self) -> str:
        how = "q or Ctrl-C" if self.keys else "Ctrl-C"
        if self.no_log:
            return f"{how} stops early; nothing is logged (--no-log)."
        return f"{how} stops early and logs the whole minutes studied."

    def _frame(self, studied: float, *, final: bool = False) -> Text:
        width = self.console.width
        left = self.total - studied
        tail = f"  {_clock(left)} left of {format_number(self.total / 60)} min"
        size = max(10, min(50, width - len(tail) - 1))
        filled = int(size * studied / self.total) if self.total else size
        frame = _flow(_focus_title(self.found), width, indent=2)
        frame.append("\n")
        frame.append("█" * filled, style="green")
        frame.append("░" * (size - filled), style="dim")
        frame.append(tail)
        if not final:  # once over, the keys to stop it are of no use
            frame.append("\n")
            frame.append_text(_flow(Text(self._hint(), style="dim"), width))
        return frame

    def update(self, studied: float) -> None:
        """Show the session with `studied` seconds gone."""
        self.studied = studied
        if self.live is not None:
            self.live.update(self._frame(studied), refresh=True)
            return
        left = int((self.total - studied + 59.999) // 60)
        if 0 < left < self.total / 60 and left % FOCUS_PLAIN_EVERY == 0 and left != self.said:
            self.said = left
            _say(self.console, Text(f"  {left} min left"))

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.update(self._frame(self.studied, final=True), refresh=True)
            self.live.stop()


def focus_view(found: ResolvedRef, minutes: int, *, no_log: bool, keys: bool) -> FocusView:
    """The view of a focus session on `found`; `keys` says whether q can be pressed."""
    return FocusView(found, minutes, no_log=no_log, keys=keys)


def bell() -> None:
    """Ring the terminal bell, on whichever of stdout and stderr is a terminal."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                stream.write("\a")
                stream.flush()
                return
        except (OSError, ValueError):
            continue


def _duration(seconds: float) -> str:
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes_part, secs = divmod(whole, 60)
    return f"{minutes_part} min" if not secs else f"{minutes_part} min {secs} s"


def focus_ended(ended: Ended, logged: Logged | None) -> None:
    """Say how a focus session ended and what was logged, if anything."""
    console = _console()
    record = ended.record
    if ended.how == "done":
        line = Text(f"Time is up: {record.minutes} min on ", style="bold green")
    else:
        how = "q" if ended.how == "q" else "Ctrl-C"
        line = Text(f"Stopped with {how} after {_duration(ended.studied)} on ", style="bold")
    line.append(clean(record.title), style="bold")
    line.append(".")
    _say(console, line, indent=2)
    if logged is not None:
        logged_line(logged)
    elif not record.log:
        _say(console, Text("Nothing logged (--no-log).", style="dim"))
    else:
        _say(console, Text("Less than a minute studied: nothing logged.", style="dim"))


def logged_line(result: Logged) -> None:
    """What `roadmap log` prints, for time a focus session logged."""
    logged(result.found, result.hours, result.day, result.entry, result.summary)


def focus_recovered(result: Recovered | Unreadable) -> None:
    """Say what became of a session left open, or of a record that could not be read."""
    from roadmap_cli.focus import Unreadable  # loaded already: only `roadmap focus` calls this

    console = _console()
    if isinstance(result, Unreadable):
        line = Text("Removed ", style="yellow")
        line.append(clean(str(result.path)))
        line.append(f", a focus session that could not be read ({clean(result.problem)}).")
        _say(console, line, indent=2)
        return
    record = result.record
    started = record.started.astimezone()
    line = Text(f"A focus session on {clean(record.title)} ({clean(record.ref)}) ", style="yellow")
    if record.over:
        line.append("had ended but was not logged yet")
    else:
        last = record.refreshed.astimezone()
        line.append(
            f"ended unexpectedly (started {started:%Y-%m-%d %H:%M}, last recorded {last:%H:%M})"
        )
    if result.discarded:
        line.append(f": discarded, its {result.minutes} min not logged.")
    elif result.logged is not None:
        line.append(f": its {result.minutes} min are logged ('roadmap undo' takes them back).")
    elif not record.log:
        line.append(": it was not to be logged (--no-log).")
    else:
        line.append(": less than a minute was recorded, nothing logged.")
    _say(console, line, indent=2)
    if result.logged is not None:
        logged_line(result.logged)


def focus_none_open(flag: str) -> None:
    """Say that --stop or --discard found no session left open."""
    what = "stop" if flag == "--stop" else "discard"
    _say(_console(), Text(f"No focus session was left open: nothing to {what}."))


def calendar_written(
    path: Path, laid: Sequence[CalendarSession], zone: str, weeks_left_out: int
) -> None:
    """Confirm a calendar file was written: how many sessions, from when to when, in what zone."""
    written(path)
    if not laid:
        return
    first, last = laid[0].start, laid[-1].start
    line = Text(
        f"  {len(laid)} study session{'s' if len(laid) > 1 else ''} from {_day(first.date())} "
        f"to {_day(last.date())}, at {first:%H:%M} ({clean(zone)})."
    )
    console = _console()
    _say(console, line, indent=4)
    if weeks_left_out:
        _say(console, Text(f"  The last {weeks_left_out} weeks of the plan are left out."))
    _say(console, Text("  Import it again after a change: the same sessions are updated."))
