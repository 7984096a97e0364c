"""Check roadmap files: every error and warning, each as file:line:column: message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from roadmap_cli.catalog import MAX_PROBLEMS, check_document, resource_locs
from roadmap_cli.errors import RoadmapFileError
from roadmap_cli.models import RoadmapFile
from roadmap_cli.progress import HourRange, format_hours
from roadmap_cli.records import identity
from roadmap_cli.safetext import escape_unsafe
from roadmap_cli.yamlfile import Document, load_yaml, paused_gc

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a roadmap file, and where."""

    path: Path
    line: int
    column: int
    severity: Severity
    message: str

    @classmethod
    def of(cls, error: RoadmapFileError) -> Problem:
        return cls(
            Path(str(error.path)), error.line or 1, error.column or 1, "error", error.problem
        )

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


def validate_file(path: Path) -> list[Problem]:
    """Return every error and warning in the roadmap file at `path`, in file order.

    At most MAX_PROBLEMS of each are listed; a last problem then says how many more there are
    (or only that there are more, when checking stopped early).
    """
    with paused_gc():
        try:
            doc = load_yaml(path)
        except RoadmapFileError as exc:
            return [Problem.of(exc)]
        checked = check_document(doc)
        problems = [Problem.of(error) for error in checked.problems]
        unlisted_warnings = 0
        if checked.file is not None:
            warnings = _warnings(doc, checked.file)
            problems += warnings[:MAX_PROBLEMS]
            unlisted_warnings = len(warnings[MAX_PROBLEMS:])
    problems.sort(key=lambda p: (p.line, p.column))
    if checked.more != 0 and problems:
        last = problems[-1]
        more = "more problems" if checked.more is None else _count(checked.more, "more problem")
        stop = "checking stopped there" if checked.more is None else "not listed"
        message = f"… and {more} in this file ({stop}: only the first {MAX_PROBLEMS} are listed)."
        problems.append(Problem(last.path, last.line, last.column, "error", message))
    if unlisted_warnings:
        # Warnings are capped like errors, and said to be: none is dropped without a word.
        last = problems[-1]
        more = _count(unlisted_warnings, "more warning")
        message = (
            f"… and {more} in this file (not listed: only the first {MAX_PROBLEMS} are listed)."
        )
        problems.append(Problem(last.path, last.line, last.column, "warning", message))
    return problems


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _warnings(doc: Document, parsed: RoadmapFile) -> list[Problem]:
    found: list[Problem] = []

    def warn(loc: tuple[str | int, ...], message: str) -> None:
        line, column = doc.position(loc)
        found.append(Problem(doc.path, line, column, "warning", escape_unsafe(message)))

    for r_index, roadmap in enumerate(parsed.roadmaps):
        here: tuple[str | int, ...] = ("roadmaps", r_index)
        first_use: dict[str, int] = {}
        total = HourRange()
        unestimated = 0
        for loc, res in resource_locs(r_index, roadmap):
            if res.hours is None:
                unestimated += 1
            else:
                total += HourRange.of(res.hours)
            if res.link_pending:
                warn((*loc, "url"), f"{res.id}: placeholder link, shown as 'link pending'.")
            # The same resource however the URL is written (scheme, case of the host, "/").
            same = identity(res)
            line = doc.position((*loc, "url"))[0]
            if same is not None and same in first_use:
                warn(
                    (*loc, "url"),
                    f"{res.id}: the same URL as the resource on line {first_use[same]}.",
                )
            if same is not None:
                first_use.setdefault(same, line)
        for s_index, step in enumerate(roadmap.steps or []):
            if not step.resources:
                warn((*here, "steps", s_index), f"step {step.title!r} has no resources.")
        stated = roadmap.stated_hours
        if stated is None:
            continue
        if unestimated and total.low > stated.high + 0.005:
            # Those without an estimate may make up the rest, but not less than nothing.
            warn(
                (*here, "stated_hours"),
                f"roadmap {roadmap.id!r}: its estimated resources alone add up to "
                f"{format_hours(total.low, total.high)}, more than stated_hours says "
                f"({format_hours(stated.low, stated.high)}).",
            )
        elif not unestimated and not _agrees(total, stated.low, stated.high):
            warn(
                (*here, "stated_hours"),
                f"roadmap {roadmap.id!r}: its resources add up to "
                f"{format_hours(total.low, total.high)}, but stated_hours says "
                f"{format_hours(stated.low, stated.high)}.",
            )
    return found


def _agrees(total: HourRange, low: float, high: float) -> bool:
    return abs(total.low - low) < 0.01 and abs(total.high - high) < 0.01
