"""The roadmaps as the program uses them once loaded: plain immutable records.

models.py decides what a roadmap file may say (Pydantic, for validation and the schema). What
it accepts becomes these records: tuples with names, cheap to build and small in memory, which
the cache (cache.py) stores as plain tuples and turns back into records without validating
again. This module imports nothing heavy, so a run that finds its roadmaps in the cache never
builds a validator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from roadmap_cli import models

# Hosts that stand in for a link still to be found, and the word that marks one in a URL
# (https://TODO, .../TODO): such a link is shown as "link pending", never opened.
PLACEHOLDER_HOSTS = {"example.com", "example.org", "example.net"}
_TODO = re.compile(r"\bTODO\b")


# A link as nearly all are written: http or https, a plain host name, perhaps a port, then only
# printable ASCII. Such a URL passes every check of a resource's URL (models._check_url), and
# is split here without urllib: a changed file of 10,000 links spent a third of its reading
# in urlsplit. Anything else takes urlsplit's way, as before.
_PLAIN_URL = re.compile(
    r"(?=[!-~]*\Z)https?://([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?(/[^?#]*)?(?:\?([^#]*))?(?:#.*)?"
)


class UrlParts(NamedTuple):
    netloc: str
    hostname: str  # lower case, without the port; "" if there is none
    path: str
    query: str


def plain_url(url: str) -> re.Match[str] | None:
    """The match of `url` if it is a plain http(s) link (see _PLAIN_URL), else None."""
    found = _PLAIN_URL.fullmatch(url)
    return found if found is not None and int(found[2] or 0) <= 65535 else None


def url_parts(url: str) -> UrlParts:
    """Split `url` as urllib's urlsplit does, only faster for a plain link."""
    found = plain_url(url)
    if found is not None:
        host, port, path, query = found.groups()
        netloc = host if port is None else f"{host}:{port}"
        return UrlParts(netloc, host.lower(), path or "", query or "")
    parts = urlsplit(url)
    return UrlParts(parts.netloc, parts.hostname or "", parts.path, parts.query)


def link_pending(url: str, placeholder: bool, parts: UrlParts | None = None) -> bool:
    """Whether a resource's link is a stand-in rather than a working address.

    `parts` is `url_parts(url)` when the caller has it already.
    """
    if placeholder:
        return True
    host = (parts or url_parts(url)).hostname.removeprefix("www.")
    return host in PLACEHOLDER_HOSTS or bool(_TODO.search(url))


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
    hours: Hours | None  # None: no estimate in the file
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
    return _identity(resource.id, resource.url, resource.shared, resource.link_pending)


def _identity(
    resource_id: str, url: str, shared: bool, pending: bool, parts: UrlParts | None = None
) -> str | None:
    if shared:
        return f"shared:{resource_id}"
    if pending:
        return None
    parts = parts or url_parts(url)
    path = parts.path.rstrip("/")
    return f"url:{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def from_file(parsed: models.RoadmapFile) -> tuple[Guide | None, tuple[Roadmap, ...]]:
    """Turn a validated roadmap file into records."""
    guide = (
        Guide(title=parsed.guide.title, overview=parsed.guide.overview) if parsed.guide else None
    )
    return guide, tuple(_roadmap(r) for r in parsed.roadmaps)


def _roadmap(r: models.Roadmap) -> Roadmap:
    if r.steps is not None:
        parts = tuple(
            Section(
                title=s.title,
                description=s.description,
                resources=tuple(_resource(res) for res in s.resources),
            )
            for s in r.steps
        )
    else:
        resources = tuple(_resource(res) for res in r.resources or [])
        parts = (Section(title=None, description=None, resources=resources),)
    stated = r.stated_hours
    return Roadmap(
        id=r.id,
        title=r.title,
        summary=r.summary,
        note=r.note,
        stated_hours=(
            StatedHours(low=stated.low, high=stated.high, plus=stated.plus) if stated else None
        ),
        formerly=tuple(r.formerly),
        parts=parts,
    )


def _resource(res: models.Resource) -> Resource:
    # In the order of the fields, each worked out once: this runs for every resource of a file
    # that changed.
    parts = url_parts(res.url)  # once: a changed file of 10,000 links would split each thrice
    pending = link_pending(res.url, res.placeholder, parts)
    return Resource(
        res.id,
        res.title,
        res.kind,
        res.url,
        Hours(res.hours.low, res.hours.high) if res.hours else None,
        res.basis,
        res.description,
        res.optional,
        res.shared,
        tuple(res.formerly),
        res.placeholder,
        pending,
        _identity(res.id, res.url, res.shared, pending, parts),
    )


# --- To and from plain tuples, for the cache ------------------------------------------------
# marshal stores only exact built-in types, so records go out as plain tuples of their declared
# fields, in order, and come back as records without validating again. Every command of a warm
# run rebuilds them all, so the way back is written out for each record type rather than
# walked generically (a resource is one C-level tuple construction). Equal values go out as one
# object (marshal then writes a back-reference, and loads one object, not thousands of equal
# ones), and each distinct hour estimate goes out once, in a table the resources index into
# (-1: no estimate), so that equal estimates come back as one shared `Hours`.

_HOURS = Resource._fields.index("hours")
_new = tuple.__new__


def to_plain(guide: Guide | None, roadmaps: tuple[Roadmap, ...]) -> tuple[Any, ...]:
    """Return the records as nested plain tuples (what marshal can store)."""
    same: dict[Any, Any] = {}
    hours_at: dict[tuple[float, float], int] = {}

    def one(value: Any) -> Any:
        return same.setdefault(value, value) if isinstance(value, str) else value

    def resource(res: Resource) -> tuple[Any, ...]:
        values = [one(v) for v in res]
        hours = res.hours
        if hours is None:
            values[_HOURS] = -1
        else:
            values[_HOURS] = hours_at.setdefault((hours.low, hours.high), len(hours_at))
        return tuple(values)

    def roadmap(r: Roadmap) -> tuple[Any, ...]:
        parts = tuple(
            (one(s.title), one(s.description), tuple(resource(res) for res in s.resources))
            for s in r.parts
        )
        stated = None if r.stated_hours is None else tuple(r.stated_hours)
        return (r.id, r.title, r.summary, r.note, stated, r.formerly, parts)

    plain_roadmaps = tuple(roadmap(r) for r in roadmaps)
    return (None if guide is None else tuple(guide), plain_roadmaps, tuple(hours_at))


def from_plain(plain: tuple[Any, ...]) -> tuple[Guide | None, tuple[Roadmap, ...]]:
    """Rebuild the records that `to_plain` flattened."""
    guide, roadmaps, hours_table = plain
    # Indexed by the resources; the last entry, None, is what -1 finds.
    hours: list[Hours | None] = [_new(Hours, h) for h in hours_table]
    hours.append(None)
    new = _new

    def resources(plain: tuple[tuple[Any, ...], ...]) -> tuple[Resource, ...]:
        # The fields of Resource, in order (test_records checks that this stays so).
        return tuple(
            [
                new(Resource, (i, t, k, u, hours[h], b, d, o, s, f, p, lp, y))
                for i, t, k, u, h, b, d, o, s, f, p, lp, y in plain
            ]
        )

    def roadmap(plain: tuple[Any, ...]) -> Roadmap:
        rid, title, summary, note, stated, formerly, parts = plain
        sections = tuple([new(Section, (st, sd, resources(rs))) for st, sd, rs in parts])
        stated_hours = None if stated is None else new(StatedHours, stated)
        return new(Roadmap, (rid, title, summary, note, stated_hours, formerly, sections))

    return (None if guide is None else new(Guide, guide)), tuple([roadmap(r) for r in roadmaps])


_ROADMAP_ID = Roadmap._fields.index("id")
_PARTS = Roadmap._fields.index("parts")
_RESOURCES = Section._fields.index("resources")
_RESOURCE_ID = Resource._fields.index("id")


def ids_of(plain: tuple[Any, ...]) -> list[tuple[str, list[str]]]:
    """Return each roadmap id with its resource ids, read straight from `to_plain`'s tuples."""
    return [
        (
            r[_ROADMAP_ID],
            [t[_RESOURCE_ID] for part in r[_PARTS] for t in part[_RESOURCES]],
        )
        for r in plain[1]
    ]
