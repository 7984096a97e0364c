"""Every JSON document roadmap-cli prints: the public `--json` contract, in one place.

Each command's `--json` output is built here from the records the core returns, as a typed
shape (TypedDict), so the fields a script may rely on are written down once and checked by mypy;
the README documents the same fields, and tests/test_jsonout.py holds the two together. Hours
are `{"low", "high"}` rounded to 2 decimals (so 0.1 + 0.2 reads 0.3 as it does on screen);
dates are ISO `YYYY-MM-DD`; times ISO 8601 with a time zone. The JSON export of progress is the
progress document itself (`export_progress`), which `roadmap merge` reads back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

if TYPE_CHECKING:
    from roadmap_cli.catalog import LoadedFile
    from roadmap_cli.doctor import Finding
    from roadmap_cli.entries import Note, ProgressFile, Status
    from roadmap_cli.merge import Merged
    from roadmap_cli.paths import Source, Variable
    from roadmap_cli.planning import Calibration, Plan, Stats, WeekPlan
    from roadmap_cli.progress import HourRange, ResourceItem, RoadmapSummary, StepSummary
    from roadmap_cli.records import StatedHours
    from roadmap_cli.validate import Problem


class Hours(TypedDict):
    low: float
    high: float


class Stated(TypedDict):
    low: float
    high: float
    plus: bool


class Resource(TypedDict):
    id: str
    ref: str
    title: str
    kind: str
    url: str | None
    link_pending: bool
    status: Status
    hours: Hours | None
    hours_logged: float
    remaining_hours: Hours | None
    notes: int
    optional: bool
    basis: str | None


class Step(TypedDict):
    title: str | None
    description: str | None
    done: int
    total: int
    remaining_hours: Hours
    unestimated: int
    resources: list[Resource]


class Roadmap(TypedDict):
    id: str
    title: str
    done: int
    skipped: int
    in_progress: int
    total: int
    percent: int
    total_hours: Hours
    remaining_hours: Hours
    unestimated: int
    stated_hours: Stated | None


class RoadmapShown(Roadmap):
    summary: str | None
    note: str | None
    steps: list[Step]


class StepLeft(TypedDict):
    title: str | None
    remaining_hours: Hours
    unestimated: int


class Remaining(TypedDict):
    id: str
    title: str
    remaining_hours: Hours
    unestimated: int
    steps: list[StepLeft]


class Next(TypedDict):
    ref: str
    title: str
    url: str | None
    hours: Hours | None
    status: Status
    roadmap: str
    step: str | None
    hours_logged: float
    remaining_hours: Hours | None


class Finish(TypedDict):
    earliest: str
    latest: str


class WeekResource(TypedDict):
    ref: str
    title: str
    hours: float


class Week(TypedDict):
    week: int
    start: str
    end: str
    hours: float
    resources: list[WeekResource]


class CalibrationJson(TypedDict):
    ratio: float
    resources: int
    remaining_hours: Hours
    finish: Finish | None


class By(TypedDict):
    date: str
    hours_per_week: Hours
    possible: bool


class PlanJson(TypedDict):
    roadmap: str
    remaining_hours: Hours
    unestimated: int
    hours_per_week: float | None
    pace: Literal["given", "logged"] | None
    finish: Finish | None
    weeks: list[Week]
    calibration: CalibrationJson | None
    by: By | None


class WeekStats(TypedDict):
    start: str
    hours: float
    completed: int


class Totals(TypedDict):
    hours_logged: float
    done: int
    skipped: int
    in_progress: int
    notes: int


class StatsJson(TypedDict):
    weeks: list[WeekStats]
    streak_days: int
    active_days: int
    totals: Totals


class NoteJson(TypedDict):
    added: str
    text: str


class Notes(TypedDict):
    ref: str
    notes: list[NoteJson]


class Guide(TypedDict):
    title: str
    overview: str | None


class About(TypedDict):
    file: str
    guide: Guide | None
    roadmaps: list[str]


class Origin(TypedDict):
    path: str
    origin: str


class Where(TypedDict):
    roadmaps: list[Origin]
    roadmaps_folder: str
    data_dir: str
    progress_file: str
    lock_file: str
    focus_file: str
    cache_dir: str | None
    state_dir: str
    environment: dict[str, str | None]


class ProblemJson(TypedDict):
    file: str
    line: int
    column: int
    severity: str
    message: str


class Validated(TypedDict):
    file: str
    problems: list[ProblemJson]


# "from" is a Python keyword: this shape is declared by call, not as a class.
StatusChangeJson = TypedDict("StatusChangeJson", {"from": str, "to": str})


class Change(TypedDict):
    ref: str
    status: StatusChangeJson | None
    new_logs: int
    new_notes: int


class MergeJson(TypedDict):
    dry_run: bool
    changes: list[Change]
    unknown_refs: list[str]
    future_refs: list[str]


class FindingJson(TypedDict):
    subject: str
    severity: str
    detail: str


class Doctor(TypedDict):
    findings: list[FindingJson]
    moved_to: str | None


# --- the pieces ----------------------------------------------------------------------------------


def hours(value: HourRange | StatedHours) -> Hours:
    return {"low": round(value.low, 2), "high": round(value.high, 2)}


def _number(value: float) -> float:
    return round(value, 2)


def _finish(finish: tuple[date, date] | None) -> Finish | None:
    if finish is None:
        return None
    return {"earliest": finish[0].isoformat(), "latest": finish[1].isoformat()}


def _estimate(item: ResourceItem) -> Hours | None:
    return hours(item.estimate) if item.estimated else None


def _left(item: ResourceItem) -> Hours | None:
    return hours(item.remaining) if item.estimated else None


def resource(item: ResourceItem) -> Resource:
    res = item.resource
    return {
        "id": res.id,
        "ref": item.ref,
        "title": res.title,
        "kind": res.kind,
        "url": None if res.link_pending else res.url,
        "link_pending": res.link_pending,
        "status": item.status,
        "hours": _estimate(item),
        "hours_logged": _number(item.hours_logged),
        "remaining_hours": _left(item),
        "notes": item.notes,
        "optional": res.optional,
        "basis": res.basis,
    }


def step(summary: StepSummary) -> Step:
    return {
        "title": summary.title,
        "description": summary.description,
        "done": summary.done,
        "total": summary.total,
        "remaining_hours": hours(summary.remaining_hours),
        "unestimated": summary.unestimated,
        "resources": [resource(item) for item in summary.items],
    }


# --- one function per command --------------------------------------------------------------------


def roadmap(summary: RoadmapSummary) -> Roadmap:
    """A roadmap as `roadmap list --json` gives it."""
    stated = summary.roadmap.stated_hours
    return {
        "id": summary.roadmap.id,
        "title": summary.roadmap.title,
        "done": summary.done,
        "skipped": summary.skipped,
        "in_progress": summary.in_progress,
        "total": summary.total,
        "percent": summary.percent,
        "total_hours": hours(summary.total_hours),
        "remaining_hours": hours(summary.remaining_hours),
        "unestimated": summary.unestimated,
        "stated_hours": None if stated is None else {**hours(stated), "plus": stated.plus},
    }


def roadmap_list(summaries: Iterable[RoadmapSummary]) -> list[Roadmap]:
    """`roadmap list --json`."""
    return [roadmap(summary) for summary in summaries]


def roadmap_shown(summary: RoadmapSummary) -> RoadmapShown:
    """`roadmap show ROADMAP --json`: the fields of `list`, the texts and every step."""
    return {
        **roadmap(summary),
        "summary": summary.roadmap.summary,
        "note": summary.roadmap.note,
        "steps": [step(s) for s in summary.steps],
    }


def remaining(summary: RoadmapSummary) -> Remaining:
    """One roadmap of `roadmap remaining --json`."""
    return {
        "id": summary.roadmap.id,
        "title": summary.roadmap.title,
        "remaining_hours": hours(summary.remaining_hours),
        "unestimated": summary.unestimated,
        "steps": [
            {
                "title": s.title,
                "remaining_hours": hours(s.remaining_hours),
                "unestimated": s.unestimated,
            }
            for s in summary.steps
        ],
    }


def next_up(found: tuple[RoadmapSummary, ResourceItem] | None) -> Next | None:
    """`roadmap next --json`: the resource to work on, or None when nothing is left."""
    if found is None:
        return None
    summary, item = found
    return {
        "ref": item.ref,
        "title": item.resource.title,
        "url": None if item.resource.link_pending else item.resource.url,
        "hours": _estimate(item),
        "status": item.status,
        "roadmap": summary.roadmap.id,
        "step": item.step,
        "hours_logged": _number(item.hours_logged),
        "remaining_hours": _left(item),
    }


def _week(week: WeekPlan) -> Week:
    return {
        "week": week.number,
        "start": week.start.isoformat(),
        "end": week.end.isoformat(),
        "hours": _number(week.hours),
        "resources": [
            {"ref": item.ref, "title": item.resource.title, "hours": _number(spent)}
            for item, spent in week.items
        ],
    }


def calibration(calibration: Calibration | None) -> CalibrationJson | None:
    if calibration is None:
        return None
    return {
        "ratio": _number(calibration.ratio),
        "resources": calibration.resources,
        "remaining_hours": hours(calibration.remaining),
        "finish": _finish(calibration.finish),
    }


def plan(result: Plan) -> PlanJson:
    """`roadmap plan ROADMAP --json`."""
    by: By | None = None
    if result.by is not None and result.needed_per_week is not None:
        by = {
            "date": result.by.isoformat(),
            "hours_per_week": hours(result.needed_per_week),
            "possible": result.by_possible,
        }
    per_week = result.hours_per_week
    return {
        "roadmap": result.summary.roadmap.id,
        "remaining_hours": hours(result.remaining),
        "unestimated": result.summary.unestimated,
        "hours_per_week": None if per_week is None else _number(per_week),
        "pace": result.pace,
        "finish": _finish(result.finish),
        "weeks": [_week(week) for week in result.weeks],
        "calibration": calibration(result.calibration),
        "by": by,
    }


def stats(result: Stats) -> StatsJson:
    """`roadmap stats --json`."""
    return {
        "weeks": [
            {"start": w.start.isoformat(), "hours": _number(w.hours), "completed": w.completed}
            for w in result.weeks
        ],
        "streak_days": result.streak,
        "active_days": result.active_days,
        "totals": {
            "hours_logged": _number(result.hours_logged),
            "done": result.done,
            "skipped": result.skipped,
            "in_progress": result.in_progress,
            "notes": result.notes,
        },
    }


def notes(ref: str, kept: Sequence[Note]) -> Notes:
    """`roadmap notes REF --json`."""
    return {"ref": ref, "notes": [{"added": n.added.isoformat(), "text": n.text} for n in kept]}


def about(files: Iterable[LoadedFile]) -> list[About]:
    """`roadmap about --json`."""
    return [
        {
            "file": str(f.source.path),
            "guide": (
                None if f.guide is None else {"title": f.guide.title, "overview": f.guide.overview}
            ),
            "roadmaps": [r.id for r in f.roadmaps],
        }
        for f in files
    ]


def where(
    sources: Iterable[Source],
    *,
    roadmaps_folder: Path,
    progress_file: Path,
    lock_file: Path,
    focus_file: Path,
    cache_dir: Path | None,
    state_dir: Path,
    environment: Iterable[tuple[Variable, str | None]],
) -> Where:
    """`roadmap where --json`."""
    return {
        "roadmaps": [{"path": str(s.path), "origin": s.origin} for s in sources],
        "roadmaps_folder": str(roadmaps_folder),
        "data_dir": str(progress_file.parent),
        "progress_file": str(progress_file),
        "lock_file": str(lock_file),
        "focus_file": str(focus_file),
        "cache_dir": None if cache_dir is None else str(cache_dir),
        "state_dir": str(state_dir),
        "environment": {variable.name: value for variable, value in environment},
    }


def validation(results: Mapping[Path, Sequence[Problem]]) -> list[Validated]:
    """`roadmap validate --json`."""
    return [
        {
            "file": str(path),
            "problems": [
                {
                    "file": str(p.path),
                    "line": p.line,
                    "column": p.column,
                    "severity": p.severity,
                    "message": p.message,
                }
                for p in problems
            ],
        }
        for path, problems in results.items()
    ]


def change(item: Merged) -> Change:
    change = item.status_change
    return {
        "ref": item.ref,
        "status": None if change is None else {"from": change[0], "to": change[1]},
        "new_logs": item.new_logs,
        "new_notes": item.new_notes,
    }


def merged(
    changes: Iterable[Merged], unknown: list[str], future: list[str], *, dry_run: bool
) -> MergeJson:
    """`roadmap merge FILE --json`."""
    return {
        "dry_run": dry_run,
        "changes": [change(item) for item in changes],
        "unknown_refs": unknown,
        "future_refs": future,
    }


def doctor(found: Iterable[Finding], moved: Path | None) -> Doctor:
    """`roadmap doctor --json`."""
    return {
        "findings": [
            {"subject": f.subject, "severity": f.severity, "detail": f.detail} for f in found
        ],
        "moved_to": None if moved is None else str(moved),
    }


def export_progress(progress: ProgressFile) -> str:
    """`roadmap export --format json`: the progress document itself, as `merge` reads it back."""
    from roadmap_cli.entries import to_json

    return to_json(progress).decode("utf-8")
