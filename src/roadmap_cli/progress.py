"""Progress maths: what is done, what is left and how many hours remain. Pure functions.

A resource is pending, in progress, done or skipped. Done and skipped count towards the
percentage and have no hours left. An in-progress resource has its estimate minus the time
logged on it left, never below zero; a pending one has its whole estimate left. A resource
without an estimate adds no hours: totals count such resources (`unestimated`) instead, so
that what is said about hours left can say how many are not in them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple, Protocol

from roadmap_cli.entries import FINISHED, Entry, Status, status_of
from roadmap_cli.records import Resource, Roadmap


class _Range(Protocol):
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...


@dataclass(frozen=True)
class HourRange:
    """A low–high range of hours."""

    low: float = 0.0
    high: float = 0.0

    @classmethod
    def of(cls, hours: _Range) -> HourRange:
        return cls(hours.low, hours.high)

    def __add__(self, other: HourRange) -> HourRange:
        return HourRange(self.low + other.low, self.high + other.high)

    def scaled(self, factor: float) -> HourRange:
        return HourRange(self.low * factor, self.high * factor)

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


class ResourceItem(NamedTuple):
    """A resource of a roadmap with what the learner has recorded for it.

    A named tuple: a summary of 10,000 resources makes 10,000 of them on every run.
    """

    ref: str
    resource: Resource
    entry: Entry | None
    step: str | None = None
    identity: str = ""  # the same for one resource listed in several roadmaps

    @property
    def counted(self) -> bool:
        """Whether it counts in totals: an optional resource counts only once started."""
        return _counts(self.resource.optional, self.status)

    @property
    def status(self) -> Status:
        return status_of(self.entry)

    @property
    def estimated(self) -> bool:
        """Whether the resource has an estimate (an imported one may have none)."""
        return self.resource.hours is not None

    @property
    def estimate(self) -> HourRange:
        """The estimate; 0 h for a resource without one (see `estimated`)."""
        hours = self.resource.hours
        return HourRange.of(hours) if hours is not None else HourRange()

    @property
    def hours_logged(self) -> float:
        return self.entry.hours_logged if self.entry else 0.0

    @property
    def notes(self) -> int:
        return len(self.entry.notes) if self.entry else 0

    @property
    def remaining(self) -> HourRange:
        estimate = self.estimate
        return HourRange(*_left(self.status, estimate.low, estimate.high, self.hours_logged))


def format_number(value: float) -> str:
    """Write hours without needless decimals: 3, 1.5, 0.75, 12345.25."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_hours(low: float, high: float, *, plus: bool = False) -> str:
    """Write an hour range: "72–90 h", "3 h", "80–100+ h", "50+ h"."""
    first, last, more = format_number(low), format_number(high), "+" if plus else ""
    return f"{first}{more} h" if first == last else f"{first}–{last}{more} h"


def hours_left(summary: StepSummary | RoadmapSummary) -> str:
    """The hours left of a step or roadmap: "62–77 h"; open ("12–15+ h") when some of what is
    left has no estimate, and "? h" when none of it has."""
    return _open_hours(summary.remaining_hours, summary.unestimated)


def hours_total(summary: RoadmapSummary) -> str:
    """A roadmap's total: as its author states it, else the sum of its estimates."""
    stated = summary.roadmap.stated_hours
    if stated is not None:
        return format_hours(stated.low, stated.high, plus=stated.plus)
    return _open_hours(summary.total_hours, summary.unestimated_total)


def estimate_text(item: ResourceItem) -> str:
    """A resource's estimate, "2–3 h", or "no estimate"."""
    estimate = item.estimate
    return format_hours(estimate.low, estimate.high) if item.estimated else "no estimate"


def _open_hours(value: HourRange, unknown: int) -> str:
    if unknown and value.high <= 0:
        return "? h"
    return format_hours(value.low, value.high, plus=unknown > 0)


def _counts(optional: bool, status: Status) -> bool:
    return not optional or status in ("in-progress", "done")


def _left(status: Status, low: float, high: float, spent: float) -> tuple[float, float]:
    """Hours left of a low–high estimate: none once finished, less the time spent if started."""
    if status in FINISHED:
        return 0.0, 0.0
    if status == "in-progress":
        return max(0.0, low - spent), max(0.0, high - spent)
    return low, high


class _Tally(NamedTuple):
    counted: list[ResourceItem]
    statuses: dict[str, int]
    total: HourRange
    remaining: HourRange
    unestimated: int  # counted, not finished, and without an estimate
    unestimated_total: int  # counted and without an estimate, finished or not


class _Totals:
    """Counts and hours over the resources that count, for a step or a whole roadmap.

    A summary never changes once made: its figures are worked out once, in one pass over its
    resources (a list of 200 roadmaps of 50 asks for several figures of each).
    """

    def _all(self) -> list[ResourceItem]:
        raise NotImplementedError

    @cached_property
    def _tally(self) -> _Tally:
        counted = []
        statuses = dict.fromkeys(("pending", "in-progress", "done", "skipped"), 0)
        total_low = total_high = left_low = left_high = 0.0
        unestimated = unestimated_total = 0
        for item in self._all():
            entry = item.entry
            status = status_of(entry)
            if not _counts(item.resource.optional, status):
                continue
            counted.append(item)
            statuses[status] += 1
            hours = item.resource.hours
            if hours is None:
                unestimated += status not in FINISHED
                unestimated_total += 1
                continue
            low, high = hours
            total_low += low
            total_high += high
            spent = entry.hours_logged if entry and status == "in-progress" else 0.0
            low, high = _left(status, low, high, spent)
            left_low += low
            left_high += high
        return _Tally(
            counted,
            statuses,
            HourRange(total_low, total_high),
            HourRange(left_low, left_high),
            unestimated,
            unestimated_total,
        )

    @property
    def counted(self) -> list[ResourceItem]:
        """The resources that count in totals (not optional ones that were never started)."""
        return self._tally.counted

    @property
    def done(self) -> int:
        return self._tally.statuses["done"]

    @property
    def skipped(self) -> int:
        return self._tally.statuses["skipped"]

    @property
    def in_progress(self) -> int:
        return self._tally.statuses["in-progress"]

    @property
    def total(self) -> int:
        return len(self._tally.counted)

    @property
    def percent(self) -> int:
        # Done and skipped both count; floored, so that 100% means nothing is left.
        finished = self.done + self.skipped
        return finished * 100 // self.total if self.total else 100

    @property
    def remaining_hours(self) -> HourRange:
        return self._tally.remaining

    @property
    def total_hours(self) -> HourRange:
        return self._tally.total

    @property
    def unestimated(self) -> int:
        """How many resources left to do have no estimate, so are not in `remaining_hours`."""
        return self._tally.unestimated

    @property
    def unestimated_total(self) -> int:
        """How many counted resources have no estimate, so are not in `total_hours`."""
        return self._tally.unestimated_total


@dataclass(frozen=True)
class StepSummary(_Totals):
    title: str | None
    description: str | None
    items: list[ResourceItem]

    def _all(self) -> list[ResourceItem]:
        return self.items


@dataclass(frozen=True)
class RoadmapSummary(_Totals):
    """A roadmap with the status of each resource and the totals derived from them."""

    roadmap: Roadmap
    steps: list[StepSummary]

    @property
    def items(self) -> list[ResourceItem]:
        """Every resource, optional ones included, in roadmap order."""
        return [item for step in self.steps for item in step.items]

    def _all(self) -> list[ResourceItem]:
        return self.items


def summarize(
    roadmap: Roadmap,
    entry_of: Callable[[str], Entry | None],
    identity_of: Callable[[str], str | None] = lambda ref: None,
) -> RoadmapSummary:
    """Combine a roadmap with what is recorded for each resource (looked up by REF)."""
    steps = []
    for section in roadmap.sections():
        items = []
        for res in section.resources:
            ref = f"{roadmap.id}/{res.id}"
            identity = identity_of(ref) or ref
            items.append(ResourceItem(ref, res, entry_of(ref), section.title, identity))
        steps.append(StepSummary(section.title, section.description, items))
    return RoadmapSummary(roadmap, steps)


def find_next(summaries: Sequence[RoadmapSummary]) -> tuple[RoadmapSummary, ResourceItem] | None:
    """Return the resource to work on: the first in progress, else the first pending one."""
    for wanted in ("in-progress", "pending"):
        for summary in summaries:
            for item in summary.counted:
                if item.status == wanted:
                    return summary, item
    return None
