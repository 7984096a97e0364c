"""When will I finish? Plans at a given pace, the pace needed for a date, and history.

All dates are the learner's local dates; `today` is passed in, so these are pure functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from roadmap_cli.entries import NEVER
from roadmap_cli.errors import InputError
from roadmap_cli.progress import HourRange, ResourceItem, RoadmapSummary, format_number

PACE_WEEKS = 4
MAX_SCHEDULE_WEEKS = 104
MAX_HOURS_PER_WEEK = 7 * 24
MIN_HOURS_PER_WEEK = 0.1
MAX_PLAN_DAYS = 100 * 365


@dataclass(frozen=True)
class WeekPlan:
    """One week of a schedule: which resources get how many hours."""

    number: int
    start: date
    items: list[tuple[ResourceItem, float]]

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def hours(self) -> float:
        return sum(hours for _, hours in self.items)


@dataclass(frozen=True)
class Calibration:
    """How the learner's logged hours compare with the estimates of what they finished."""

    ratio: float
    resources: int
    remaining: HourRange
    finish: tuple[date, date] | None


@dataclass(frozen=True)
class Plan:
    summary: RoadmapSummary
    hours_per_week: float | None
    pace: Literal["given", "logged"] | None
    finish: tuple[date, date] | None
    weeks: list[WeekPlan]
    weeks_left_out: int
    calibration: Calibration | None
    by: date | None = None
    needed_per_week: HourRange | None = None

    @property
    def remaining(self) -> HourRange:
        return self.summary.remaining_hours

    @property
    def by_possible(self) -> bool:
        """Whether the date in `by` can be met at all: at most the hours a week has."""
        return self.needed_per_week is None or self.needed_per_week.low <= MAX_HOURS_PER_WEEK


def finish_dates(remaining: HourRange, hours_per_week: float, today: date) -> tuple[date, date]:
    """Return the earliest and latest finish at `hours_per_week` from `today`."""

    def after(hours: float) -> date:
        days = math.ceil(round(hours / hours_per_week * 7, 9))
        if days > MAX_PLAN_DAYS:
            raise InputError(
                f"At {format_number(hours_per_week)} h/week the {format_number(hours)} h left "
                "would take more than 100 years; plan with a higher --hours-per-week."
            )
        return today + timedelta(days=days)

    return after(remaining.low), after(remaining.high)


def unique(items: Sequence[ResourceItem]) -> list[ResourceItem]:
    """Keep each resource once, however many roadmaps list it, so its hours count once."""
    first: dict[str, ResourceItem] = {}
    for item in items:
        first.setdefault(item.identity or item.ref, item)
    return list(first.values())


def recent_pace(items: Sequence[ResourceItem], today: date) -> float | None:
    """Return the hours per week logged over the last four weeks, or None if none were.

    Someone who started logging less than four weeks ago is measured since their first
    logged day (at least one week), not as if they had idled before it.
    """
    since = today - timedelta(days=PACE_WEEKS * 7 - 1)
    days = [
        log for item in unique(items) if item.entry for log in item.entry.log if log.day <= today
    ]
    hours = sum(log.hours for log in days if log.day >= since)
    if hours <= 0:
        return None
    first = min(log.day for log in days)
    span = min(PACE_WEEKS * 7, max(7, (today - first).days + 1))
    return hours / (span / 7)


def calibrate(items: Sequence[ResourceItem]) -> tuple[float, int] | None:
    """Return (actual ÷ estimated hours, resources counted) over done resources with time logged.

    Resources without an estimate have nothing to compare with, so are not counted.
    """
    counted = [
        i for i in unique(items) if i.status == "done" and i.hours_logged > 0 and i.estimated
    ]
    estimated = sum(item.estimate.middle for item in counted)
    if not counted or estimated <= 0:
        return None
    return sum(item.hours_logged for item in counted) / estimated, len(counted)


def schedule(items: Sequence[ResourceItem], hours_per_week: float, today: date) -> list[WeekPlan]:
    """Fill weeks of `hours_per_week` with the hours left (the middle of each range), in order.

    What is in progress comes first, then the rest in roadmap order.
    """
    counted = [i for i in items if i.counted]
    queue = [i for i in counted if i.status == "in-progress"] + [
        i for i in counted if i.status == "pending"
    ]
    weeks: list[WeekPlan] = []
    current: list[tuple[ResourceItem, float]] = []
    room = hours_per_week
    for item in queue:
        left = item.remaining.middle
        while left > 1e-9:
            take = min(left, room)
            current.append((item, take))
            left -= take
            room -= take
            if room <= 1e-9:
                weeks.append(WeekPlan(len(weeks) + 1, today + timedelta(weeks=len(weeks)), current))
                current, room = [], hours_per_week
    if current:
        weeks.append(WeekPlan(len(weeks) + 1, today + timedelta(weeks=len(weeks)), current))
    return weeks


def check_hours_per_week(value: float) -> float:
    """Return `value` if it is a usable weekly pace, or raise InputError."""
    if not math.isfinite(value) or value < MIN_HOURS_PER_WEEK:
        raise InputError(
            f"--hours-per-week must be a number of hours, at least {MIN_HOURS_PER_WEEK:g}."
        )
    if value > MAX_HOURS_PER_WEEK:
        raise InputError(
            f"--hours-per-week cannot exceed the {MAX_HOURS_PER_WEEK} hours of a week."
        )
    return value


def make_plan(
    summary: RoadmapSummary,
    *,
    today: date,
    hours_per_week: float | None = None,
    by: date | None = None,
    history: Sequence[ResourceItem] = (),
) -> Plan:
    """Plan the rest of a roadmap.

    The pace is `hours_per_week` when given, else the learner's pace over the last four weeks
    of `history` (every resource they logged time on). `by` asks the reverse question: the
    hours per week needed to finish by that date.
    """
    remaining = summary.remaining_hours
    pace: Literal["given", "logged"] | None = None
    if remaining.high <= 0:
        return Plan(summary, None, None, (today, today), [], 0, None, by, HourRange())
    if hours_per_week is not None:
        hours_per_week, pace = check_hours_per_week(hours_per_week), "given"
    else:
        hours_per_week = recent_pace(history, today)
        pace = "logged" if hours_per_week is not None else None
    if hours_per_week is None and by is None:
        raise InputError(
            "Give --hours-per-week N (or --by YYYY-MM-DD): no time was logged in the last four "
            "weeks to measure your pace from."
        )
    needed = None
    if by is not None:
        if by <= today:
            raise InputError(f"--by {by.isoformat()} is not in the future.")
        needed = remaining.scaled(7 / (by - today).days)
    finish, weeks, calibration = None, [], None
    if hours_per_week is not None:
        finish = finish_dates(remaining, hours_per_week, today)
        weeks = schedule(summary.items, hours_per_week, today)
        calibration = _calibration(history or summary.items, remaining, hours_per_week, today)
    left_out = max(0, len(weeks) - MAX_SCHEDULE_WEEKS)
    return Plan(
        summary=summary,
        hours_per_week=hours_per_week,
        pace=pace,
        finish=finish,
        weeks=weeks[:MAX_SCHEDULE_WEEKS],
        weeks_left_out=left_out,
        calibration=calibration,
        by=by,
        needed_per_week=needed,
    )


def _calibration(
    items: Sequence[ResourceItem], remaining: HourRange, hours_per_week: float, today: date
) -> Calibration | None:
    found = calibrate(items)
    if found is None:
        return None
    ratio, counted = found
    projected = remaining.scaled(ratio)
    try:
        finish: tuple[date, date] | None = finish_dates(projected, hours_per_week, today)
    except InputError:  # beyond 100 years at your rate: no date to give, the ratio still holds
        finish = None
    return Calibration(ratio, counted, projected, finish)


@dataclass(frozen=True)
class WeekStats:
    start: date
    hours: float = 0.0
    completed: int = 0


@dataclass(frozen=True)
class Stats:
    """Hours logged and resources completed per week, the streak, and totals."""

    weeks: list[WeekStats]
    streak: int
    active_days: int
    hours_logged: float
    done: int
    skipped: int
    in_progress: int
    notes: int = 0


def make_stats(items: Sequence[ResourceItem], *, today: date, weeks: int = 8) -> Stats:
    """Summarize the learner's history over `items` for the last `weeks` weeks (Monday first)."""
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    starts = [first_monday + timedelta(weeks=n) for n in range(weeks)]
    hours = dict.fromkeys(starts, 0.0)
    completed = dict.fromkeys(starts, 0)
    active: set[date] = set()
    items = unique(items)
    for item in items:
        entry = item.entry
        if entry is None:
            continue
        changed = entry.changed.astimezone().date()
        if entry.changed > NEVER:
            active.add(changed)
        active.update(note.added.astimezone().date() for note in entry.notes)
        for log in entry.log:
            active.add(log.day)
            monday = log.day - timedelta(days=log.day.weekday())
            if monday in hours:
                hours[monday] += log.hours
        monday = changed - timedelta(days=changed.weekday())
        if entry.status == "done" and monday in completed:
            completed[monday] += 1
    return Stats(
        weeks=[WeekStats(s, hours[s], completed[s]) for s in starts],
        streak=_streak(active, today),
        active_days=len(active),
        hours_logged=sum(item.hours_logged for item in items),
        done=sum(item.status == "done" for item in items),
        skipped=sum(item.status == "skipped" for item in items),
        in_progress=sum(item.status == "in-progress" for item in items),
        notes=sum(item.notes for item in items),
    )


def _streak(active: set[date], today: date) -> int:
    """Count the days in a row with activity, ending today (or yesterday, if today is idle)."""
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count
