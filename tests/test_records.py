"""records: the one shape of a roadmap after validation, and its round trip through the cache."""

from __future__ import annotations

import marshal
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
import yaml

from roadmap_cli import models, records
from roadmap_cli.models import RoadmapFile

# Every field of every record holds something other than its default somewhere in here.
EVERY_FIELD = """\
guide:
  title: A Guide
  overview: What the guide is about.
roadmaps:
  - id: full
    title: Every Field
    summary: A summary.
    note: A note at the end.
    stated_hours: {low: 10, high: 12, plus: true}
    formerly: [old-full]
    steps:
      - title: First step
        description: What the step is for.
        resources:
          - id: course
            title: A Course
            kind: course
            url: https://example.org/course
            hours: {low: 2, high: 3}
            basis: the syllabus
            description: Six lectures.
            optional: true
            formerly: [old-course]
          - id: shared-one
            title: Shared
            kind: video
            url: https://example.org/video
            hours: 1
            shared: true
          - id: later
            title: Later
            url: https://example.org/later
            hours: 1
            placeholder: true
  - id: flat
    title: Flat
    resources:
      - id: shared-one
        title: Shared
        url: https://example.org/video
        hours: 1
        shared: true
"""

RECORD_TYPES = (
    records.Guide,
    records.Roadmap,
    records.Section,
    records.Resource,
    records.Hours,
    records.StatedHours,
)


def loaded() -> tuple[records.Guide | None, tuple[records.Roadmap, ...]]:
    return records.from_file(RoadmapFile.model_validate(yaml.safe_load(EVERY_FIELD)))


def walk(value: Any) -> list[NamedTuple]:
    """Every record inside `value`, itself included."""
    found: list[NamedTuple] = []
    if isinstance(value, tuple):
        if hasattr(value, "_fields"):
            found.append(value)  # type: ignore[arg-type]
        for item in value:
            found += walk(item)
    return found


def test_the_cache_round_trip_gives_back_every_field() -> None:
    guide, roadmaps = loaded()

    plain = records.to_plain(guide, roadmaps)
    back = records.from_plain(marshal.loads(marshal.dumps(plain)))

    assert back == (guide, roadmaps)
    # ... record for record, of the same types (a tuple equals a named tuple)
    assert [type(r) for r in walk(back)] == [type(r) for r in walk((guide, roadmaps))]


def test_the_round_trip_fixture_sets_every_field_of_every_record() -> None:
    # A field added to a record must show up in EVERY_FIELD, so the round trip covers it.
    defaults: dict[type, tuple[Any, ...]] = {
        records.Resource: ("other", None, False, (), ""),
    }
    everything = walk(loaded())
    for kind in RECORD_TYPES:
        of_kind = [r for r in everything if type(r) is kind]
        assert of_kind, kind.__name__
        for name in kind._fields:
            values = {getattr(r, name) for r in of_kind if not isinstance(getattr(r, name), tuple)}
            values |= {getattr(r, name) for r in of_kind if getattr(r, name)}  # non-empty tuples
            unset = {None, False, *defaults.get(kind, ())}
            assert values - unset, f"{kind.__name__}.{name} is never set in EVERY_FIELD"


def test_the_plain_form_holds_only_what_marshal_stores() -> None:
    plain = records.to_plain(*loaded())
    assert all(type(r) is tuple for r in [plain, *walk(plain)] if isinstance(r, tuple))
    assert walk(plain) == []  # no named tuples left


def test_ids_are_read_from_the_plain_form_without_rebuilding_records() -> None:
    plain = records.to_plain(*loaded())
    assert records.ids_of(plain) == [
        ("full", ["course", "shared-one", "later"]),
        ("flat", ["shared-one"]),
    ]


@pytest.mark.parametrize(
    ("url", "shared", "expected"),
    [
        ("https://Example.org/a/", False, "url:example.org/a"),
        ("http://example.org/a?x=1", False, "url:example.org/a?x=1"),
        ("https://example.org/a", True, "shared:r"),
    ],
)
def test_identity_is_the_url_without_scheme_case_or_slash_or_the_shared_id(
    url: str, shared: bool, expected: str
) -> None:
    class Item(NamedTuple):
        id: str
        url: str
        shared: bool
        link_pending: bool

    assert records.identity(Item("r", url, shared, False)) == expected
    pending = records.identity(Item("r", url, shared, True))  # a pending link is no identity
    assert pending == (expected if shared else None)


def test_records_are_built_by_field_name() -> None:
    guide, roadmaps = loaded()
    full = roadmaps[0]
    course = full.parts[0].resources[0]
    assert (course.id, course.kind, course.basis) == ("course", "course", "the syllabus")
    assert course.hours == records.Hours(low=2, high=3)
    assert full.stated_hours == records.StatedHours(low=10, high=12, plus=True)
    assert roadmaps[1].parts[0].title is None  # a flat roadmap is one untitled section
    assert guide == records.Guide(title="A Guide", overview="What the guide is about.")


URLS = [
    "https://example.org/course",
    "http://Host.Example.ORG:8080/a/b/?q=1&r=2#frag",
    "https://host/a?b?c#d",
    "https://host#frag?x",
    "https://host/a?",
    "https://host?q",
    "https://host:65535/",
    "https://host:65536/",
    "https://host:/x",
    "https://host:0080/x",
    "https://user@host/x",
    "https://user:pw@host/x",
    "https://[::1]:8080/x",
    "HTTPS://HOST/X",
    "ftp://host/x",
    "https://host/a b",
    "https://host/caf\u00e9",
    "https://host/\x1b[2J",
    "https://xn--caf-dma.test/path/",
    "https://www.example.com/TODO",
    "https:///path",
    "https://-./",
    "https://host/" + "a" * 2100,
]


@pytest.mark.parametrize("url", URLS)
def test_a_plain_link_splits_as_urllib_splits_it(url: str) -> None:
    parts = urlsplit(url)
    try:
        expected = (parts.netloc, parts.hostname or "", parts.path, parts.query)
    except ValueError:  # a bad port or bracket: never reaches the records, validation refuses it
        return
    assert tuple(records.url_parts(url)) == expected


@pytest.mark.parametrize("url", URLS)
def test_the_plain_link_shortcut_gives_the_full_check_s_verdict(url: str) -> None:
    def verdict(check: Callable[[str], str]) -> str:
        try:
            return check(url)
        except ValueError as exc:
            return f"refused: {exc}"

    assert verdict(models._check_url) == verdict(models._check_url_fully)
