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
from itertools import chain
from operator import attrgetter
from typing import NamedTuple, Protocol

from roadmap_cli.entries import FINISHED, STATUSES, Entry, Status, status_of
from roadmap_cli.records import Resource, Roadmap, Section


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
    statuses: dict[Status, int]  # of the resources that count
    counted: int
    total: HourRange
    remaining: HourRange
    unestimated: int  # counted, not finished, and without an estimate
    unestimated_total: int  # counted and without an estimate, finished or not


def _add_up(resources: Sequence[Resource], entries: Sequence[Entry | None]) -> _Tally:
    """Count statuses and add up hours over resources and their entries (None: none), in order.

    Hours are added in the order given, one resource after another, as a list of the items
    would add them: the same figures to the last decimal. Which resources count and what is
    left of each are `_counts` and `_left`, as for an item. (One pass of plain Python: for a
    roadmap of 50, doing each sum with map, reduce and a Counter instead costs more.)
    """
    statuses = dict.fromkeys(STATUSES, 0)
    total_low = total_high = left_low = left_high = 0.0
    unestimated = unestimated_total = 0
    for res, entry in zip(resources, entries, strict=True):
        status = status_of(entry)
        if not _counts(res.optional, status):
            continue
        statuses[status] += 1
        hours = res.hours
        if hours is None:
            unestimated += status not in FINISHED
            unestimated_total += 1
            continue
        low, high = hours
        total_low += low
        total_high += high
        spent = entry.hours_logged if entry is not None and status == "in-progress" else 0.0
        low, high = _left(status, low, high, spent)
        left_low += low
        left_high += high
    return _Tally(
        statuses,
        sum(statuses.values()),
        HourRange(total_low, total_high),
        HourRange(left_low, left_high),
        unestimated,
        unestimated_total,
    )


_RESOURCE = attrgetter("resource")
_ENTRY = attrgetter("entry")
_ID = attrgetter("id")


class _Totals:
    """Counts and hours over the resources that count, for a step or a whole roadmap.

    A summary never changes once made: its figures are worked out once, in one pass over its
    resources, and only when first asked for; its items (a named tuple per resource) are made
    only when something asks for them (a list of 200 roadmaps of 50 needs none of them).
    """

    def _all(self) -> list[ResourceItem]:
        raise NotImplementedError

    def _columns(self) -> tuple[Sequence[Resource], Sequence[Entry | None]]:
        """Every resource, optional ones included, in order, and the entry of each."""
        items = self._all()
        return list(map(_RESOURCE, items)), list(map(_ENTRY, items))

    @property
    def _tally(self) -> _Tally:
        # Kept as cached_property would keep it, without its lock (Python < 3.12 takes one on
        # each first use: 200 roadmaps of 5 steps would take 1,200).
        tally: _Tally | None = self.__dict__.get("_tallied")
        if tally is None:
            tally = self.__dict__["_tallied"] = _add_up(*self._columns())
        return tally

    @cached_property
    def counted(self) -> list[ResourceItem]:
        """The resources that count in totals (not optional ones that were never started)."""
        return [item for item in self._all() if item.counted]

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
        return self._tally.counted

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


class _Lookup(NamedTuple):
    """How `summarize` finds what is recorded for a REF, kept for the items made later."""

    entry_of: Callable[[str], Entry | None]
    identity_of: Callable[[str], str | None]

    def entries(self, prefix: str, resources: Sequence[Resource]) -> list[Entry | None]:
        """The entry of each resource (REF: `prefix` and its id), without making an item per
        resource: map runs in C."""
        return list(map(self.entry_of, map(prefix.__add__, map(_ID, resources))))


class StepSummary(_Totals):
    """A step of a roadmap: its resources with their status, and its own figures.

    Made either from its items, or (by `summarize`) from a section of a roadmap and how to
    look up entries, in which case the items are made when first asked for.
    """

    def __init__(
        self, title: str | None, description: str | None, items: list[ResourceItem]
    ) -> None:
        self.title = title
        self.description = description
        self.items = items

    @classmethod
    def _of(cls, prefix: str, section: Section, lookup: _Lookup) -> StepSummary:
        step = cls.__new__(cls)
        step.title = section.title
        step.description = section.description
        step._prefix = prefix
        step._resources = section.resources
        step._lookup = lookup
        return step

    _prefix: str
    _resources: tuple[Resource, ...]
    _lookup: _Lookup

    @cached_property
    def items(self) -> list[ResourceItem]:
        """Every resource of the step, optional ones included, in order."""
        prefix, (entry_of, identity_of), title = self._prefix, self._lookup, self.title
        return [
            ResourceItem(ref, res, entry_of(ref), title, identity_of(ref) or ref)
            for res in self._resources
            for ref in (prefix + res.id,)
        ]

    def _all(self) -> list[ResourceItem]:
        return self.items

    def _columns(self) -> tuple[Sequence[Resource], Sequence[Entry | None]]:
        if "items" in self.__dict__:
            return super()._columns()
        return self._resources, self._lookup.entries(self._prefix, self._resources)


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

    @classmethod
    def _of(cls, roadmap: Roadmap, lookup: _Lookup) -> RoadmapSummary:
        prefix = f"{roadmap.id}/"
        summary = cls(roadmap, [StepSummary._of(prefix, s, lookup) for s in roadmap.sections()])
        summary.__dict__["_source"] = (prefix, lookup)  # its figures can be looked up in one go
        return summary

    def _columns(self) -> tuple[Sequence[Resource], Sequence[Entry | None]]:
        source: tuple[str, _Lookup] | None = self.__dict__.get("_source")
        if source is not None:  # made by summarize: every resource looked up at once
            prefix, lookup = source
            resources = list(self.roadmap.all_resources())
            return resources, lookup.entries(prefix, resources)
        # Resource after resource over the steps, as `items` would give them.
        columns = [step._columns() for step in self.steps]
        return (
            list(chain.from_iterable(resources for resources, _ in columns)),
            list(chain.from_iterable(entries for _, entries in columns)),
        )


def summarize(
    roadmap: Roadmap,
    entry_of: Callable[[str], Entry | None],
    identity_of: Callable[[str], str | None] = lambda ref: None,
) -> RoadmapSummary:
    """Combine a roadmap with what is recorded for each resource (looked up by REF).

    Nothing is looked up yet: the figures are worked out when first asked for, the items
    (`ResourceItem`) made when first asked for, each looking up what it needs then.
    """
    return RoadmapSummary._of(roadmap, _Lookup(entry_of, identity_of))


def find_next(summaries: Sequence[RoadmapSummary]) -> tuple[RoadmapSummary, ResourceItem] | None:
    """Return the resource to work on: the first in progress, else the first pending one."""
    for wanted in ("in-progress", "pending"):
        for summary in summaries:
            if not summary._tally.statuses[wanted]:
                continue  # none there: its items need not be made
            for item in summary.counted:
                if item.status == wanted:
                    return summary, item
    return None
