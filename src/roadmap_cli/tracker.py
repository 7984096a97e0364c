"""What a learner does: mark resources, and see where each roadmap stands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roadmap_cli.catalog import Catalog, ResolvedRef
from roadmap_cli.models import ProgressFile, Roadmap, Status
from roadmap_cli.progress import RoadmapSummary, summarize
from roadmap_cli.store import Store


@dataclass(frozen=True)
class Marked:
    """The outcome of `done` or `reset` for one resource."""

    found: ResolvedRef
    status: Status
    changed: bool


def mark(store: Store, found: Sequence[ResolvedRef], status: Status) -> list[Marked]:
    """Give every resource in `found` the status `status` in one locked change."""
    with store.update() as changes:
        return [Marked(f, status, changes.set_status(f.ref, status)) for f in found]


def summaries(roadmaps: Iterable[Roadmap], progress: ProgressFile) -> list[RoadmapSummary]:
    """Summarize each roadmap against the learner's progress."""
    return [summarize(roadmap, progress.status) for roadmap in roadmaps]


def touched(catalog: Catalog, results: Iterable[Marked]) -> list[Roadmap]:
    """Return the roadmaps that `results` touched, in catalog order, once each."""
    ids = {result.found.roadmap.id for result in results}
    return [r for r in catalog.roadmaps.values() if r.id in ids]
