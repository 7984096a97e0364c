"""The roadmaps as the program uses them once loaded: plain immutable records.

models.py decides what a roadmap file may say (Pydantic, for validation and the schema). What
it accepts becomes these records: tuples with names, cheap to build and small in memory, which
the cache (cache.py) stores as plain tuples and turns back into records without validating
again. This module imports nothing heavy, so a run that finds its roadmaps in the cache never
builds a validator.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from roadmap_cli import models


class Hours(NamedTuple):
    """An hour estimate as a range; a single number in the file means low = high."""

    low: float
    high: float


class StatedHours(NamedTuple):
    """A roadmap's total as its author states it; `plus` marks an open end ("100+ hours")."""

    low: float
    high: float
    plus: bool = False


class Resource(NamedTuple):
    id: str
    title: str
    kind: str
    url: str
    hours: Hours
    basis: str | None
    description: str | None
    optional: bool
    shared: bool
    formerly: tuple[str, ...]
    placeholder: bool
    link_pending: bool  # the URL is a stand-in: shown as "link pending", never opened
    identity: str | None  # what makes it the same resource as one in another roadmap


class Section(NamedTuple):
    """A step of a roadmap; a roadmap with a flat list of resources is one untitled section."""

    title: str | None
    description: str | None
    resources: tuple[Resource, ...]


class Roadmap(NamedTuple):
    id: str
    title: str
    summary: str | None
    note: str | None
    stated_hours: StatedHours | None
    formerly: tuple[str, ...]
    parts: tuple[Section, ...]

    def sections(self) -> tuple[Section, ...]:
        """Return the steps in order; a flat roadmap is one untitled section."""
        return self.parts

    def all_resources(self) -> Iterator[Resource]:
        """Yield every resource in roadmap order."""
        for section in self.parts:
            yield from section.resources


class Guide(NamedTuple):
    title: str
    overview: str | None


class _Identifiable(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def shared(self) -> bool: ...
    @property
    def link_pending(self) -> bool: ...


def identity(resource: _Identifiable) -> str | None:
    """Return what makes `resource` the same as one in another roadmap, if anything.

    The same id with `shared: true`, or the same URL (scheme, host case and a trailing slash
    aside); a pending link is no identity.
    """
    if resource.shared:
        return f"shared:{resource.id}"
    if resource.link_pending:
        return None
    parts = urlsplit(resource.url)
    path = parts.path.rstrip("/")
    return f"url:{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def from_file(parsed: models.RoadmapFile) -> tuple[Guide | None, tuple[Roadmap, ...]]:
    """Turn a validated roadmap file into records."""
    guide = Guide(parsed.guide.title, parsed.guide.overview) if parsed.guide else None
    return guide, tuple(_roadmap(r) for r in parsed.roadmaps)


def _roadmap(r: models.Roadmap) -> Roadmap:
    if r.steps is not None:
        parts = tuple(
            Section(s.title, s.description, tuple(_resource(res) for res in s.resources))
            for s in r.steps
        )
    else:
        parts = (Section(None, None, tuple(_resource(res) for res in r.resources or [])),)
    stated = r.stated_hours
    return Roadmap(
        r.id,
        r.title,
        r.summary,
        r.note,
        StatedHours(stated.low, stated.high, stated.plus) if stated else None,
        tuple(r.formerly),
        parts,
    )


def _resource(res: models.Resource) -> Resource:
    record = Resource(
        res.id,
        res.title,
        res.kind,
        res.url,
        Hours(res.hours.low, res.hours.high),
        res.basis,
        res.description,
        res.optional,
        res.shared,
        tuple(res.formerly),
        res.placeholder,
        res.link_pending,
        None,
    )
    return record._replace(identity=identity(record))


# --- To and from plain tuples, for the cache ------------------------------------------------
# marshal stores only exact built-in types, so records go out as plain tuples and come back
# through these constructors, field by field in the order above.


def to_plain(guide: Guide | None, roadmaps: tuple[Roadmap, ...]) -> tuple[Any, ...]:
    """Return the records as nested plain tuples (what marshal can store)."""
    return (
        tuple(guide) if guide else None,
        tuple(
            (
                *r[:4],
                tuple(r.stated_hours) if r.stated_hours else None,
                r.formerly,
                tuple(
                    (s.title, s.description, tuple(_plain_resource(res) for res in s.resources))
                    for s in r.parts
                ),
            )
            for r in roadmaps
        ),
    )


def _plain_resource(res: Resource) -> tuple[Any, ...]:
    return (*res[:4], tuple(res.hours), *res[5:])


def from_plain(plain: tuple[Any, ...]) -> tuple[Guide | None, tuple[Roadmap, ...]]:
    """Rebuild the records that `to_plain` flattened."""
    guide, roadmaps = plain
    return (
        Guide(*guide) if guide else None,
        tuple(
            Roadmap(
                r[0],
                r[1],
                r[2],
                r[3],
                StatedHours(*r[4]) if r[4] else None,
                r[5],
                tuple(
                    Section(title, description, tuple(_resource_of(t) for t in resources))
                    for title, description, resources in r[6]
                ),
            )
            for r in roadmaps
        ),
    )


def ids_of(plain: tuple[Any, ...]) -> list[tuple[str, list[str]]]:
    """Return each roadmap id with its resource ids, read straight from `to_plain`'s tuples."""
    return [
        (r[0], [t[0] for _title, _description, resources in r[6] for t in resources])
        for r in plain[1]
    ]


def _resource_of(t: tuple[Any, ...]) -> Resource:
    return Resource(t[0], t[1], t[2], t[3], Hours(*t[4]), *t[5:])
