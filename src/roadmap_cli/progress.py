"""Progress maths: what is done, what is left and how many hours remain. Pure functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from roadmap_cli.models import Hours, Resource, Roadmap, Status


@dataclass(frozen=True)
class HourRange:
    """A low–high range of hours."""

    low: float = 0.0
    high: float = 0.0

    @classmethod
    def of(cls, hours: Hours) -> HourRange:
        return cls(hours.low, hours.high)

    def __add__(self, other: HourRange) -> HourRange:
        return HourRange(self.low + other.low, self.high + other.high)

    def to_json(self) -> dict[str, float]:
        # Rounded so that 0.1 + 0.2 reads 0.3 in JSON as it does on screen.
        return {"low": round(self.low, 2), "high": round(self.high, 2)}


@dataclass(frozen=True)
class ResourceItem:
    ref: str
    resource: Resource
    status: Status

    @property
    def remaining(self) -> HourRange:
        return HourRange() if self.status == "done" else HourRange.of(self.resource.hours)

    def to_json(self) -> dict[str, Any]:
        res = self.resource
        return {
            "id": res.id,
            "ref": self.ref,
            "title": res.title,
            "kind": res.kind,
            "url": None if res.link_pending else res.url,
            "link_pending": res.link_pending,
            "status": self.status,
            "hours": HourRange.of(res.hours).to_json(),
            "basis": res.basis,
        }


@dataclass(frozen=True)
class StepSummary:
    title: str | None
    description: str | None
    items: list[ResourceItem]

    @property
    def done(self) -> int:
        return sum(item.status == "done" for item in self.items)

    @property
    def remaining_hours(self) -> HourRange:
        return _total(item.remaining for item in self.items)

    @property
    def total_hours(self) -> HourRange:
        return _total(HourRange.of(item.resource.hours) for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "done": self.done,
            "total": len(self.items),
            "remaining_hours": self.remaining_hours.to_json(),
            "resources": [item.to_json() for item in self.items],
        }


@dataclass(frozen=True)
class RoadmapSummary:
    """A roadmap with the status of each resource and the totals derived from them."""

    roadmap: Roadmap
    steps: list[StepSummary]

    @property
    def items(self) -> list[ResourceItem]:
        return [item for step in self.steps for item in step.items]

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        # Floored, so that 100% means every resource is done.
        return self.done * 100 // self.total if self.total else 100

    @property
    def total_hours(self) -> HourRange:
        return _total(step.total_hours for step in self.steps)

    @property
    def remaining_hours(self) -> HourRange:
        return _total(step.remaining_hours for step in self.steps)

    def to_json(self, *, with_steps: bool = False) -> dict[str, Any]:
        stated = self.roadmap.stated_hours
        out: dict[str, Any] = {
            "id": self.roadmap.id,
            "title": self.roadmap.title,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "total_hours": self.total_hours.to_json(),
            "remaining_hours": self.remaining_hours.to_json(),
            "stated_hours": (
                None if stated is None else {**HourRange.of(stated).to_json(), "plus": stated.plus}
            ),
        }
        if with_steps:
            out["summary"] = self.roadmap.summary
            out["note"] = self.roadmap.note
            out["steps"] = [step.to_json() for step in self.steps]
        return out


def summarize(roadmap: Roadmap, status_of: Callable[[str], Status]) -> RoadmapSummary:
    """Combine a roadmap with each resource's status (looked up by REF)."""
    steps = []
    for section in roadmap.sections():
        items = []
        for res in section.resources:
            ref = f"{roadmap.id}/{res.id}"
            items.append(ResourceItem(ref, res, status_of(ref)))
        steps.append(StepSummary(section.title, section.description, items))
    return RoadmapSummary(roadmap, steps)


def _total(ranges: Any) -> HourRange:
    return sum(ranges, HourRange())
