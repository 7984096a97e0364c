"""Loading roadmap files (the shipped one and the user's) and resolving REFs."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_cli import paths
from roadmap_cli.catalog import Catalog, LoadedFile, Source, load_catalog, load_file
from roadmap_cli.errors import RoadmapError, RoadmapFileError, UnknownRefError
from roadmap_cli.models import Resource, unsafe_chars
from roadmap_cli.yamlfile import MAX_BYTES, MAX_DEPTH, load_yaml, parse_yaml
from tests.conftest import billion_laughs

WriteRoadmap = Callable[..., Path]
T = TypeVar("T")

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def shipped() -> LoadedFile:
    return load_file(Source(paths.shipped_roadmaps(), "shipped"))


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog([Source(paths.shipped_roadmaps(), "shipped")])[0]


def load(path: Path) -> LoadedFile:
    return load_file(Source(path, "--roadmaps"))


def load_error(path: Path, line: int | None, *fragments: str) -> str:
    """Load `path`, expect a RoadmapFileError at `line` that says each of `fragments`."""
    with pytest.raises(RoadmapFileError) as caught:
        load(path)
    message = str(caught.value)
    assert caught.value.exit_code == 2
    prefix = f"{path}:{line}:" if line is not None else f"{path}:"
    assert message.startswith(prefix), message
    assert "\n" not in message, "an error is reported as one paragraph"
    for fragment in fragments:
        assert fragment in message, message
    return message


def all_text(loaded: LoadedFile) -> Iterator[str]:
    """Yield every piece of text a loaded file holds."""
    if loaded.guide is not None:
        yield loaded.guide.title
        yield loaded.guide.overview or ""
    for road in loaded.roadmaps:
        yield from (road.id, road.title, road.summary or "", road.note or "")
        for section in road.sections():
            yield from (section.title or "", section.description or "")
        for res in road.all_resources():
            yield from (res.id, res.title, res.url, res.basis or "", res.description or "")


# --- The shipped roadmaps ----------------------------------------------------------------


def test_the_shipped_file_holds_the_long_and_the_short_roadmap() -> None:
    loaded = shipped()
    assert [r.id for r in loaded.roadmaps] == ["long", "short"]
    assert loaded.source.origin == "shipped"


def test_the_guide_has_a_title_and_an_overview() -> None:
    guide = shipped().guide
    assert guide is not None
    assert "Understanding Deep Learning, Neural Networks & LLM Architecture" in guide.title
    assert guide.overview is not None
    assert "it’s important to first grasp neural networks" in guide.overview


def test_the_long_roadmap_has_five_ordered_steps_of_one_resource_each() -> None:
    long = shipped().roadmaps[0]
    assert [s.title for s in long.sections()] == [
        "Machine Learning",
        "Deep Learning",
        "NLP Basics",
        "LLM Architecture and Training",
        "Building LLMs from the Ground Up",
    ]
    for step in long.sections():
        assert step.description, step.title
        [res] = step.resources
        assert res.title
        assert res.url.startswith(("http://", "https://"))


def test_the_long_roadmap_resources() -> None:
    long = shipped().roadmaps[0]
    titles = {r.id: r.title for r in long.all_resources()}
    assert titles == {
        "andrew-ng-machine-learning": "Andrew Ng’s Machine Learning Course",
        "deep-learning-specialization": "Deep Learning Specialization on Coursera",
        "stanford-cs224n": "Stanford CS224N - NLP with Deep Learning",
        "stanford-cs25": "Stanford CS25 - Transformers United",
        "llm-workshop": "Workshop Link",
    }


def test_the_short_roadmap_is_three_resources() -> None:
    short = shipped().roadmaps[1]
    [flat] = short.sections()
    assert flat.title is None
    titles = [r.title for r in flat.resources]
    assert len(titles) == 3
    assert "Illustrated Transformer" in titles[0]
    assert "Karpathy’s Video on LLM Training" in titles[1]
    assert "(RLHF)" in titles[2]
    assert [r.url for r in flat.resources] == [
        "http://jalammar.github.io/illustrated-transformer/",
        "https://www.youtube.com/watch?v=kCc8FmEb1nY",
        "https://huggingface.co/blog/rlhf",
    ]


@pytest.mark.parametrize(
    ("roadmap_id", "low", "high", "plus"), [("long", 80, 100, True), ("short", 2, 3, False)]
)
def test_stated_totals(roadmap_id: str, low: float, high: float, plus: bool) -> None:
    road = next(r for r in shipped().roadmaps if r.id == roadmap_id)
    assert road.stated_hours is not None
    assert (road.stated_hours.low, road.stated_hours.high) == (low, high)
    assert road.stated_hours.plus is plus


@pytest.mark.parametrize("roadmap_id", ["long", "short"])
def test_resource_hours_add_up_to_the_stated_total(roadmap_id: str) -> None:
    road = next(r for r in shipped().roadmaps if r.id == roadmap_id)
    assert road.stated_hours is not None
    resources = list(road.all_resources())
    assert math.isclose(sum(r.hours.low for r in resources), road.stated_hours.low)
    assert math.isclose(sum(r.hours.high for r in resources), road.stated_hours.high)


def test_every_shipped_resource_says_where_its_hours_come_from() -> None:
    for road in shipped().roadmaps:
        for res in road.all_resources():
            assert res.basis, f"{road.id}/{res.id}"


def test_the_workshop_stated_at_three_hours_is_the_only_pending_link() -> None:
    pending = {
        f"{road.id}/{res.id}": res.link_pending
        for road in shipped().roadmaps
        for res in road.all_resources()
    }
    assert pending.pop("long/llm-workshop") is True
    assert pending
    assert not any(pending.values())
    workshop = next(r for r in shipped().roadmaps[0].all_resources() if r.id == "llm-workshop")
    assert (workshop.hours.low, workshop.hours.high) == (3, 3)


def test_shipped_text_carries_real_characters_not_mis_encoded_ones() -> None:
    raw = paths.shipped_roadmaps().read_text(encoding="utf-8")
    texts = [*all_text(shipped()), raw]
    for text in texts:
        assert "â€" not in text
        assert "Ã" not in text
        assert "\ufffd" not in text
    joined = "\n".join(texts[:-1])
    assert "’" in joined
    assert "–" in joined
    short = shipped().roadmaps[1]
    resources = list(short.all_resources())
    assert "LLM Training – LLMs: Training & Fine-Tuning" in resources[1].title


def test_shipped_ids_are_lowercase_slugs() -> None:
    for road in shipped().roadmaps:
        assert SLUG.fullmatch(road.id)
        for res in road.all_resources():
            assert SLUG.fullmatch(res.id), res.id


def test_shipped_text_is_safe_for_a_terminal() -> None:
    for text in all_text(shipped()):
        assert unsafe_chars(text, allow_newlines=True) == []


# --- Good files --------------------------------------------------------------------------

MINIMAL_FLAT = """\
roadmaps:
  - id: basics
    title: Basics
    resources:
      - id: first
        title: First resource
        url: https://courses.example.edu/first
        hours: 3
"""

MINIMAL_STEPS = """\
version: 1
guide:
  title: My guide
  overview: |
    Two lines
    of overview.
roadmaps:
  - id: stepped
    title: Stepped
    stated_hours: {low: 3, high: 5, plus: true}
    steps:
      - title: One
        description: "First: the basics"
        resources:
          - id: a
            title: A
            kind: video
            url: https://videos.example.edu/a
            hours: {low: 1, high: 2}
      - title: Two
        resources:
          - id: b
            title: B
            url: http://b.example.edu/
            hours: 2.5
            basis: My guess.
            description: |
              Read it twice.
              Then again.
"""


def test_a_minimal_flat_roadmap_loads(write_roadmap: WriteRoadmap) -> None:
    loaded = load(write_roadmap(MINIMAL_FLAT))
    assert loaded.guide is None
    [road] = loaded.roadmaps
    assert (road.id, road.title) == ("basics", "Basics")
    [res] = road.all_resources()
    assert (res.id, res.title, res.url) == ("first", "First resource", MINIMAL_FLAT.split()[-3])
    assert (res.hours.low, res.hours.high) == (3, 3)
    assert res.link_pending is False


def test_a_minimal_roadmap_with_steps_loads(write_roadmap: WriteRoadmap) -> None:
    loaded = load(write_roadmap(MINIMAL_STEPS))
    assert loaded.guide is not None
    assert loaded.guide.title == "My guide"
    assert loaded.guide.overview == "Two lines\nof overview."
    [road] = loaded.roadmaps
    assert [s.title for s in road.sections()] == ["One", "Two"]
    assert road.sections()[0].description == "First: the basics"
    a, b = road.all_resources()
    assert a.kind == "video"
    assert (a.hours.low, a.hours.high) == (1, 2)
    assert (b.hours.low, b.hours.high) == (2.5, 2.5)
    assert b.description == "Read it twice.\nThen again."
    assert road.stated_hours is not None
    assert road.stated_hours.plus is True


def test_a_file_loads_the_same_through_load_catalog(write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap(MINIMAL_STEPS)
    cat, _ = load_catalog([Source(paths.shipped_roadmaps(), "shipped"), Source(path, "x")])
    assert list(cat.roadmaps) == ["long", "short", "stepped"]
    assert cat.guide_of("stepped") is not None
    assert cat.guide_of("long") is not None
    assert cat.guide_of("stepped") != cat.guide_of("long")


def test_a_roadmap_from_a_file_without_a_guide_has_none(write_roadmap: WriteRoadmap) -> None:
    cat, _ = load_catalog([Source(write_roadmap(BASE), "x")])
    assert cat.guide_of("basics") is None


def test_yaml_1_1_booleans_and_octals_stay_text(write_roadmap: WriteRoadmap) -> None:
    text = MINIMAL_FLAT.replace("id: first", "id: 012").replace(
        "title: First resource", "title: no"
    )
    path = write_roadmap(text)
    assert load_yaml(path).data["roadmaps"][0]["resources"][0]["title"] == "no"
    [res] = load(path).roadmaps[0].all_resources()
    assert res.title == "no"
    assert res.id == "012"


@pytest.mark.parametrize("title", ["2024", "12", "0"])
def test_a_number_written_as_title_is_kept_as_written(
    write_roadmap: WriteRoadmap, title: str
) -> None:
    path = write_roadmap(MINIMAL_FLAT.replace("title: Basics", f"title: {title}"))
    assert load(path).roadmaps[0].title == title


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("title: Basics", "title: 3.10", "title"),
        ("title: Basics", "title: 1e3", "title"),
        ("id: basics", "id: 1e3", "id"),
    ],
)
def test_a_number_like_text_is_kept_as_written(
    write_roadmap: WriteRoadmap, old: str, new: str, field: str
) -> None:
    road = load(write_roadmap(MINIMAL_FLAT.replace(old, new))).roadmaps[0]
    assert getattr(road, field) == new.split(": ")[1]


# --- Bad files: each names the file, the line, the field and the problem -----------------

# Line numbers of BASE, as a user's editor shows them.
BASE = """\
roadmaps:
  - id: basics
    title: Basics
    summary: Start here.
    resources:
      - id: first
        title: First resource
        url: https://courses.example.edu/first
        hours: 2
"""
RES = "roadmaps[0].resources[0]"


def variant(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


URL = "https://courses.example.edu/first"
TITLE = "title: First resource"
NO_RESOURCES = BASE.split("    resources:")[0]
EXTRA_STEPS = (
    "    steps:\n      - title: S\n        resources:\n          - id: s\n"
    "            title: S\n            url: https://s.example.edu/\n            hours: 1\n"
)

# (case, yaml text, line, fragments that must all be in the message)
# fmt: off
BAD_FILES: list[tuple[str, str, int, list[str]]] = [
    ("unknown key", variant("hours: 2\n", "hours: 2\n        hourz: 3\n"), 10,
     [f"{RES}.hourz", "unknown key"]),
    ("unknown top-level key", BASE + "extra: true\n", 10, ["extra", "unknown key"]),
    ("unknown roadmap key", variant("summary: Start here.", "sumary: Start here."), 4,
     ["roadmaps[0].sumary", "unknown key"]),
    ("missing url", variant(f"        url: {URL}\n", ""), 6,
     [f"{RES}.url", "required field is missing"]),
    ("missing title", variant("    title: Basics\n", ""), 2,
     ["roadmaps[0].title", "required field is missing"]),
    ("missing roadmaps", "version: 1\n", 1, ["roadmaps", "required field is missing"]),
    ("low > high", variant("hours: 2", "hours: {low: 5, high: 2}"), 9,
     [f"{RES}.hours", "low (5) must not be greater than high (2)"]),
    ("negative hours", variant("hours: 2", "hours: -1"), 9,
     [f"{RES}.hours", "greater than or equal to 0"]),
    ("negative high", variant("hours: 2", "hours: {low: 0, high: -2}"), 9,
     [f"{RES}.hours.high", "greater than or equal to 0"]),
    ("nan hours", variant("hours: 2", "hours: .nan"), 9, [f"{RES}.hours", "finite number"]),
    ("NaN high", variant("hours: 2", "hours: {low: 1, high: .NaN}"), 9,
     [f"{RES}.hours.high", "finite number"]),
    ("inf hours", variant("hours: 2", "hours: .inf"), 9, [f"{RES}.hours", "finite number"]),
    ("overflowing hours", variant("hours: 2", "hours: 1e400"), 9, [f"{RES}.hours", "finite"]),
    ("1:30 hours", variant("hours: 2", "hours: 1:30"), 9, [f"{RES}.hours", "a number of hours"]),
    ("quoted hours", variant("hours: 2", "hours: {low: '1', high: 2}"), 9,
     [f"{RES}.hours.low", "valid number"]),
    ("boolean hours", variant("hours: 2", "hours: {low: true, high: 2}"), 9,
     [f"{RES}.hours.low", "valid number"]),
    ("plus on a resource", variant("hours: 2", "hours: {low: 1, high: 2, plus: true}"), 9,
     [f"{RES}.hours.plus", "unknown key"]),
    ("unknown kind", variant(TITLE, TITLE + "\n        kind: pod"), 8, [f"{RES}.kind", "'course'"]),
    ("version 2", "version: 2\n" + BASE, 1, ["version", "Input should be 1"]),
    ("empty roadmaps", "roadmaps: []\n", 1, ["roadmaps", "at least 1"]),
    ("roadmaps not a list", "roadmaps: basics\n", 1, ["roadmaps", "valid list"]),
    # Ids
    ("id ../x", variant("id: first", "id: ../x"), 6, [f"{RES}.id", "lowercase id"]),
    ("id a/b", variant("id: first", "id: a/b"), 6, [f"{RES}.id", "lowercase id"]),
    ("id uppercase", variant("id: basics", "id: Deep-Learning"), 2,
     ["roadmaps[0].id", "lowercase id"]),
    ("id a--b", variant("id: first", "id: a--b"), 6, [f"{RES}.id", "lowercase id"]),
    ("id empty", variant("id: first", 'id: ""'), 6, [f"{RES}.id", "lowercase id"]),
    ("id null", variant("id: first", "id:"), 6, [f"{RES}.id", "valid string"]),
    ("id boolean", variant("id: first", "id: true"), 6, [f"{RES}.id", "valid string"]),
    # URLs
    ("javascript url", variant(URL, "javascript:alert(1)"), 8,
     [f"{RES}.url", "http:// or https://"]),
    ("file url", variant(URL, "file:///etc/passwd"), 8, [f"{RES}.url", "http:// or https://"]),
    ("data url", variant(URL, "data:text/html,hi"), 8, [f"{RES}.url", "http:// or https://"]),
    ("ftp url", variant(URL, "ftp://files.example.edu/a"), 8,
     [f"{RES}.url", "http:// or https://"]),
    ("url without host", variant(URL, "https:///first"), 8, [f"{RES}.url", "must name a host"]),
    ("url with credentials", variant(URL, "https://user:pw@host.example.edu/"), 8,
     [f"{RES}.url", "user name or password"]),
    ("url with spaces", variant(URL, "https://host.edu/a b"), 8, [f"{RES}.url", "without spaces"]),
    # Text
    ("ESC in title", variant(TITLE, r'title: "\e[31mRed"'), 7, [f"{RES}.title", "U+001B"]),
    ("x1b in title", variant(TITLE, r'title: "\x1b[31mRed"'), 7, [f"{RES}.title", "U+001B"]),
    ("BEL in title", variant(TITLE, r'title: "Bell\a"'), 7, [f"{RES}.title", "U+0007"]),
    ("C1 CSI in title", variant(TITLE, r'title: "\x9b31m"'), 7, [f"{RES}.title", "U+009B"]),
    ("escaped RLO in title", variant(TITLE, r'title: "evil\u202etxt"'), 7,
     [f"{RES}.title", "U+202E"]),
    ("raw RLO in title", variant(TITLE, "title: evil\u202etxt"), 7, [f"{RES}.title", "U+202E"]),
    ("newline in title", variant(TITLE, r'title: "two\nlines"'), 7,
     [f"{RES}.title", "line breaks", "U+000A"]),
    ("literal block title", variant(TITLE, "title: |\n          two\n"), 7,
     [f"{RES}.title", "line breaks"]),
    ("ESC in summary", variant("summary: Start here.", r'summary: "\e[2J"'), 4,
     ["roadmaps[0].summary", "U+001B"]),
    ("tab in summary", variant("summary: Start here.", r'summary: "a\tb"'), 4,
     ["roadmaps[0].summary", "U+0009"]),
    ("empty title", variant(TITLE, "title: '  '"), 7, [f"{RES}.title", "must not be empty"]),
    ("null title", variant(TITLE, "title:"), 7, [f"{RES}.title", "valid string"]),
    # Shape of a roadmap
    ("steps and resources", BASE + EXTRA_STEPS, 2,
     ["roadmaps[0]", "either 'steps' or 'resources'"]),
    ("neither steps nor resources", NO_RESOURCES, 2,
     ["roadmaps[0]", "either 'steps' or 'resources'"]),
    ("empty resources", NO_RESOURCES + "    resources: []\n", 5,
     ["roadmaps[0].resources", "at least 1"]),
    ("guide without title", "guide:\n  overview: Hi.\n" + BASE, 2,
     ["guide.title", "required field is missing"]),
    # Top level
    ("top level list", "- id: a\n- id: b\n", 1, ["top level must be a mapping", "not a list"]),
    ("top level string", "just some words\n", 1, ["top level must be a mapping", "not a string"]),
    # Refused by the reader, seen through load_file
    ("duplicate key", variant("        hours: 2\n", "        hours: 2\n        hours: 3\n"), 10,
     ["duplicate key 'hours'", "line 9"]),
    ("python tag", "roadmaps: !!python/object/apply:os.system ['echo pwned']\n", 1,
     ["python/object/apply:os.system", "not supported"]),
    ("custom tag", variant(TITLE, "title: !custom First"), 7, ["'!custom'", "not supported"]),
    ("binary tag", variant(TITLE, "title: !!binary Rmlyc3Q="), 7, ["binary", "not supported"]),
    ("anchor", variant(TITLE, "title: &t First resource"), 7, ["anchors (&name)"]),
    ("alias", variant(TITLE, "title: *t"), 7, ["aliases (*name)"]),
    ("two documents", BASE + "---\n" + BASE, 10, ["more than one YAML document"]),
    ("empty file", "", 1, ["the file is empty"]),
    ("only comments", "# nothing\n# here\n", 3, ["the file is empty"]),
    ("only a document marker", "---\n", 2, ["no roadmap data"]),
    ("bad indentation", variant("        url:", "       url:"), 8, ["invalid YAML"]),
    ("unclosed flow", variant("hours: 2", "hours: {low: 1, high: 2"), 10, ["invalid YAML"]),
    # Deeper in a roadmap with steps (see MINIMAL_STEPS for the line numbers)
    ("bad url in a step", MINIMAL_STEPS.replace("http://b.example.edu/", "ftp://b.example.edu/"),
     24, ["roadmaps[0].steps[1].resources[0].url", "http:// or https://"]),
    ("stated low > high", MINIMAL_STEPS.replace("{low: 3, high: 5,", "{low: 6, high: 5,"), 10,
     ["roadmaps[0].stated_hours", "low (6) must not be greater than high (5)"]),
    ("ESC in a step description", MINIMAL_STEPS.replace("First: the basics", r"\e[1mBold"), 13,
     ["roadmaps[0].steps[0].description", "U+001B"]),
    ("ESC in the guide overview",
     MINIMAL_STEPS.replace("|\n    Two lines\n    of overview.", r'"Two lines\n\e[0m."'), 4,
     ["guide.overview", "U+001B"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "line", "fragments"),
    [pytest.param(text, line, fragments, id=case) for case, text, line, fragments in BAD_FILES],
)
def test_a_bad_roadmap_file_is_refused_with_file_line_field_and_problem(
    write_roadmap: WriteRoadmap, text: str, line: int, fragments: list[str]
) -> None:
    load_error(write_roadmap(text), line, *fragments)


def test_an_error_names_the_first_problem_and_counts_the_rest(write_roadmap: WriteRoadmap) -> None:
    text = variant("hours: 2", "hours: -1").replace("title: Basics", "title: ''")
    message = load_error(write_roadmap(text), 3, "roadmaps[0].title", "must not be empty")
    assert "more problem" in message


def test_line_numbers_are_right_with_windows_line_endings(write_roadmap: WriteRoadmap) -> None:
    text = variant("hours: 2", "hours: {low: 5, high: 2}").replace("\n", "\r\n")
    load_error(write_roadmap(text), 9, f"{RES}.hours", "must not be greater than")


def test_yaml_syntax_errors_give_line_and_column(write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap("roadmaps:\n  - id: a\n   title: x\n")
    load_error(path, 3, "invalid YAML")
    with pytest.raises(RoadmapFileError, match=r":3:4: "):
        load(path)


def test_newlines_are_allowed_in_prose_fields(write_roadmap: WriteRoadmap) -> None:
    text = variant(
        "summary: Start here.",
        'summary: "Line one.\\nLine two."\n    note: |\n      Note one.\n      Note two.',
    )
    road = load(write_roadmap(text)).roadmaps[0]
    assert road.summary == "Line one.\nLine two."
    assert road.note == "Note one.\nNote two."


def test_an_alias_bomb_is_refused(write_roadmap: WriteRoadmap) -> None:
    message = load_error(write_roadmap(billion_laughs()), 1)
    assert "anchor" in message or "alias" in message


def test_nesting_deeper_than_the_limit_is_refused(write_roadmap: WriteRoadmap) -> None:
    text = variant("hours: 2", "hours: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    load_error(write_roadmap(text), 9, f"deeper than {MAX_DEPTH} levels")


def test_a_huge_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(BASE.encode() + b"#" * (MAX_BYTES + 1 - len(BASE)))
    assert path.stat().st_size == MAX_BYTES + 1
    load_error(path, None, "larger than")


def test_non_utf8_bytes_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(variant("title: First resource", "title: Caf\xe9").encode("latin-1"))
    load_error(path, 7, "not valid UTF-8", "0xe9")


def test_duplicate_resource_ids_name_both_lines(write_roadmap: WriteRoadmap) -> None:
    text = BASE + (
        "      - id: first\n"  # 10
        "        title: Again\n"
        "        url: https://again.example.edu/\n"
        "        hours: 1\n"
    )
    load_error(write_roadmap(text), 10, "resource id 'first'", "'basics'", "line 6")


def test_duplicate_resource_ids_across_steps_name_both_lines(write_roadmap: WriteRoadmap) -> None:
    text = (
        "roadmaps:\n"  # 1
        "  - id: stepped\n"
        "    title: Stepped\n"
        "    steps:\n"
        "      - title: One\n"  # 5
        "        resources:\n"
        "          - id: same\n"  # 7
        "            title: A\n"
        "            url: https://a.example.edu/\n"
        "            hours: 1\n"  # 10
        "      - title: Two\n"
        "        resources:\n"
        "          - id: same\n"  # 13
        "            title: B\n"
        "            url: https://b.example.edu/\n"
        "            hours: 1\n"
    )
    load_error(write_roadmap(text), 13, "resource id 'same'", "'stepped'", "line 7")


def test_the_same_resource_id_in_two_roadmaps_is_fine(write_roadmap: WriteRoadmap) -> None:
    second = BASE.replace("roadmaps:\n", "").replace("id: basics", "id: other")
    loaded = load(write_roadmap(BASE + second))
    assert [r.id for r in loaded.roadmaps] == ["basics", "other"]


def test_duplicate_roadmap_ids_in_one_file_name_both_lines(write_roadmap: WriteRoadmap) -> None:
    second = BASE.replace("roadmaps:\n", "").replace("id: first", "id: second")
    load_error(write_roadmap(BASE + second), 10, "roadmap id 'basics'", "line 2")


def test_the_same_roadmap_id_in_two_files_names_both_files(write_roadmap: WriteRoadmap) -> None:
    one = write_roadmap(BASE, "one.yaml")
    two = write_roadmap(BASE.replace("id: first", "id: other"), "two.yaml")
    with pytest.raises(RoadmapFileError) as caught:
        load_catalog([Source(one, "--roadmaps"), Source(two, "--roadmaps")])
    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert str(one) in message
    assert str(two) in message
    assert "'basics'" in message
    assert "\n" not in message


def test_a_user_file_cannot_redefine_a_shipped_roadmap(write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap(BASE.replace("id: basics", "id: long"))
    with pytest.raises(RoadmapFileError) as caught:
        load_catalog([Source(paths.shipped_roadmaps(), "shipped"), Source(path, "--roadmaps")])
    assert str(paths.shipped_roadmaps()) in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_missing_roadmap_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    load_error(path, None, "not found")


def test_an_unknown_key_with_a_block_value_is_reported_at_the_key(
    write_roadmap: WriteRoadmap,
) -> None:
    text = variant("    resources:", "    resourcez:")  # the key is on line 5
    load_error(write_roadmap(text), 5, "roadmaps[0].resourcez", "unknown key")


def test_an_unknown_key_with_control_characters_keeps_the_message_one_paragraph(
    write_roadmap: WriteRoadmap,
) -> None:
    text = variant("        hours: 2\n", '        hours: 2\n        "a\\nb\\e[2J": 1\n')
    message = load_error(write_roadmap(text), 10, "unknown key")
    assert "\x1b" not in message


def test_a_top_level_list_is_reported_where_it_starts(write_roadmap: WriteRoadmap) -> None:
    load_error(write_roadmap("# my roadmaps\n\n- id: a\n"), 3, "top level must be a mapping")


# --- Resolving REFs ----------------------------------------------------------------------


def test_resolve_roadmap_slash_resource(catalog: Catalog) -> None:
    found = catalog.resolve("long/stanford-cs25")
    assert found.roadmap.id == "long"
    assert found.resource.id == "stanford-cs25"
    assert found.resource.title == "Stanford CS25 - Transformers United"
    assert found.ref == "long/stanford-cs25"


def test_resolve_a_bare_resource_id_unique_across_roadmaps(catalog: Catalog) -> None:
    assert catalog.resolve("illustrated-transformer").ref == "short/illustrated-transformer"
    assert catalog.resolve("llm-workshop").ref == "long/llm-workshop"


def unknown_ref(catalog: Catalog, ref: str) -> str:
    with pytest.raises(UnknownRefError) as caught:
        catalog.resolve(ref)
    assert caught.value.exit_code == 2
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.fixture
def overlapping(write_roadmap: WriteRoadmap) -> Catalog:
    """The shipped roadmaps plus one that also has a resource 'stanford-cs25'."""
    path = write_roadmap(BASE.replace("id: basics", "id: extra").replace("first", "stanford-cs25"))
    return load_catalog([Source(paths.shipped_roadmaps(), "shipped"), Source(path, "x")])[0]


def test_a_bare_id_in_two_roadmaps_lists_both_refs(overlapping: Catalog) -> None:
    message = unknown_ref(overlapping, "stanford-cs25")
    assert "more than one roadmap" in message
    assert "long/stanford-cs25" in message
    assert "extra/stanford-cs25" in message
    assert overlapping.resolve("extra/stanford-cs25").roadmap.id == "extra"
    assert overlapping.resolve("long/stanford-cs25").roadmap.id == "long"


@pytest.mark.parametrize(
    ("ref", "suggested"),
    [
        ("long/stanford-cs2", "long/stanford-cs25"),
        ("lng/stanford-cs25", "long/stanford-cs25"),
        ("short/illustrated-transformers", "short/illustrated-transformer"),
        ("stanford-cs52", "stanford-cs25"),
        ("karpathy-llm-trainig", "karpathy-llm-training"),
    ],
)
def test_an_unknown_ref_suggests_close_matches(catalog: Catalog, ref: str, suggested: str) -> None:
    message = unknown_ref(catalog, ref)
    assert message.startswith(f"No resource {ref!r}.")
    assert "Did you mean" in message
    assert suggested in message


def test_an_unknown_ref_with_nothing_close_lists_the_refs(catalog: Catalog) -> None:
    message = unknown_ref(catalog, "zzzzzzzz")
    assert "Did you mean" not in message
    for ref in catalog.all_refs():
        assert ref in message


def test_an_unknown_ref_in_a_big_catalog_points_to_the_list_command(
    write_roadmap: WriteRoadmap,
) -> None:
    many = "".join(
        f"      - id: item-{n}\n        title: Item {n}\n"
        f"        url: https://items.example.edu/{n}\n        hours: 1\n"
        for n in range(13)
    )
    cat, _ = load_catalog([Source(write_roadmap(NO_RESOURCES + "    resources:\n" + many), "x")])
    message = unknown_ref(cat, "zzzzzzzz")
    assert "item-0" not in message
    assert "roadmap list" in message


def test_a_roadmap_id_given_as_ref_gets_a_hint(catalog: Catalog) -> None:
    message = unknown_ref(catalog, "long")
    assert "'long' is a roadmap" in message
    assert "long/RESOURCE" in message


@pytest.mark.parametrize("ref", ["long/", "/stanford-cs25", "long/stanford-cs25/x", ""])
def test_malformed_refs_are_unknown(catalog: Catalog, ref: str) -> None:
    assert unknown_ref(catalog, ref).startswith(f"No resource {ref!r}.")


def test_a_ref_with_control_characters_is_shown_escaped(catalog: Catalog) -> None:
    message = unknown_ref(catalog, "\x1b[31mlong\u202e")
    assert unsafe_chars(message, allow_newlines=False) == []


def test_resolve_all_resolves_every_ref_in_order_once(catalog: Catalog) -> None:
    found = catalog.resolve_all(["short/rlhf-huggingface", "stanford-cs25", "long/stanford-cs25"])
    assert [f.ref for f in found] == ["short/rlhf-huggingface", "long/stanford-cs25"]


def test_resolve_all_raises_on_the_first_unknown_ref(catalog: Catalog) -> None:
    with pytest.raises(UnknownRefError) as caught:
        catalog.resolve_all(["long/stanford-cs25", "nope-one", "nope-two"])
    assert "'nope-one'" in str(caught.value)
    assert "nope-two" not in str(caught.value)


def test_roadmap_by_id(catalog: Catalog) -> None:
    assert catalog.roadmap("short").title == "Shorter Learning Roadmap"


def test_an_unknown_roadmap_suggests_close_matches(catalog: Catalog) -> None:
    with pytest.raises(UnknownRefError) as caught:
        catalog.roadmap("lnog")
    assert caught.value.exit_code == 2
    assert str(caught.value).startswith("No roadmap with id 'lnog'.")
    assert "Did you mean: long?" in str(caught.value)


def test_an_unknown_roadmap_with_nothing_close_lists_the_roadmaps(catalog: Catalog) -> None:
    with pytest.raises(UnknownRefError, match="Roadmaps: long, short"):
        catalog.roadmap("zzzzzzzz")


def test_all_refs_are_in_roadmap_order(catalog: Catalog) -> None:
    assert catalog.all_refs() == [
        "long/andrew-ng-machine-learning",
        "long/deep-learning-specialization",
        "long/stanford-cs224n",
        "long/stanford-cs25",
        "long/llm-workshop",
        "short/illustrated-transformer",
        "short/karpathy-llm-training",
        "short/rlhf-huggingface",
    ]


# --- Properties --------------------------------------------------------------------------

FUZZ = settings(
    max_examples=200,
    deadline=None,
    # The autouse fixture only sets environment variables; the file is rewritten each example.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

YAML_PIECES = [
    "roadmaps:\n",
    "  - ",
    "id: a\n",
    "title: T\n",
    "url: https://a.example.edu/\n",
    "hours: ",
    "resources:\n",
    "steps:\n",
    "    ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    ": ",
    "&a ",
    "*a",
    "!!python/object ",
    "'",
    '"',
    "#",
    "---\n",
    ".nan",
    "1:30",
    "-1",
    "\t",
    "\x1b",
    "\u202e",
]

roadmap_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=4), max_size=40).map("".join),
    st.builds(
        lambda base, cut, junk: base[:cut] + junk + base[cut:],
        st.sampled_from([BASE, MINIMAL_STEPS]),
        st.integers(0, len(BASE)),
        st.text(max_size=6),
    ),
)


def attempt(load_it: Callable[[], T]) -> T | RoadmapError:
    """Return what `load_it` returns, or the RoadmapError it raises; anything else escapes."""
    try:
        return load_it()
    except RoadmapError as exc:
        return exc


def fuzz_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "roadmaps.yaml"


def check_loaded(loaded: LoadedFile) -> None:
    """What every file that loads guarantees to the rest of the program."""
    for text in all_text(loaded):
        assert unsafe_chars(text, allow_newlines=True) == []
    for road in loaded.roadmaps:
        assert SLUG.fullmatch(road.id)
        resources: list[Resource] = list(road.all_resources())
        assert resources
        assert len({r.id for r in resources}) == len(resources)
        for res in resources:
            assert SLUG.fullmatch(res.id)
            assert "\n" not in res.title
            assert 0 <= res.hours.low <= res.hours.high < math.inf


@FUZZ
@given(text=roadmap_text)
def test_arbitrary_text_loads_or_raises_our_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    doc = attempt(lambda: parse_yaml(text, Path("fuzz.yaml")))
    if not isinstance(doc, RoadmapError):
        assert doc.data is not None
    path = fuzz_file(tmp_path_factory)
    path.write_text(text, encoding="utf-8", newline="")
    loaded = attempt(lambda: load(path))
    if isinstance(loaded, RoadmapError):
        assert str(loaded).startswith(str(path))
    else:
        check_loaded(loaded)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["basics", "https://a.example.edu/", "course", "no", "1:30", ".nan"])
)
json_like = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
FIELDS = [
    "id", "title", "url", "hours", "kind", "basis", "description", "placeholder",
    "low", "high", "plus", "summary", "note", "stated_hours", "steps", "resources",
]  # fmt: skip
field_value = json_like | st.dictionaries(st.sampled_from(FIELDS), json_like, max_size=4)
resource_like = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "Bad", "a--b"]) | json_like,
     "title": json_like, "url": json_like, "hours": json_like},
    optional={k: field_value for k in ("kind", "basis", "description", "placeholder")},
)  # fmt: skip
roadmap_like = st.fixed_dictionaries(
    {"id": st.sampled_from(["basics", "long", "x"]) | json_like, "title": json_like},
    optional={
        "resources": st.lists(resource_like, max_size=3),
        "steps": st.lists(
            st.fixed_dictionaries(
                {"title": json_like, "resources": st.lists(resource_like, max_size=2)}
            ),
            max_size=2,
        ),
        "stated_hours": field_value,
        "summary": json_like,
    },
)
file_like = json_like | st.fixed_dictionaries(
    {"roadmaps": st.lists(roadmap_like, max_size=3)},
    optional={"version": json_like, "guide": field_value},
)


@FUZZ
@given(data=file_like)
def test_arbitrary_data_loads_or_raises_a_roadmap_file_error(
    tmp_path_factory: pytest.TempPathFactory, data: Any
) -> None:
    path = fuzz_file(tmp_path_factory)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = attempt(lambda: load(path))
    if isinstance(loaded, RoadmapError):
        assert isinstance(loaded, RoadmapFileError)
        assert str(loaded).startswith(str(path))
    else:
        check_loaded(loaded)


# --- The indexes of shared and renamed resources ---------------------------------------------

SHARING = """\
roadmaps:
  - id: first
    title: First
    formerly: [old-first]
    resources:
      - {id: a, title: A, url: "https://a.org/x", hours: 1, formerly: [old-a]}
      - {id: b, title: B, url: "https://b.org/", hours: 1}
      - {id: pend, title: P, url: "https://TODO", hours: 1}
  - id: second
    title: Second
    resources:
      - {id: a2, title: A again, url: "https://A.org/x/", hours: 1}
      - {id: own, title: Own, url: "https://own.org/", hours: 1}
      - {id: s, title: S, url: "https://s.org/1", hours: 1, shared: true}
      - {id: moved, title: M, url: "https://m.org/", hours: 1, formerly: [was]}
  - id: third
    title: Third
    resources:
      - {id: s, title: S elsewhere, url: "https://s.org/2", hours: 1, shared: true}
      - {id: b, title: B copy, url: "http://b.org", hours: 1}
      - {id: pend, title: P, url: "https://TODO", hours: 1}
"""


def _full_indexes(catalog: Catalog) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Every REF's identity and progress keys, computed the plain way for every resource."""
    from roadmap_cli.catalog import former_refs

    identity: dict[str, str] = {}
    keys_of: dict[str, list[str]] = {}
    for r in catalog.roadmaps.values():
        for res in r.all_resources():
            ref = f"{r.id}/{res.id}"
            identity[ref] = res.identity or ref
            keys_of.setdefault(identity[ref], []).extend(former_refs(r, res))
    return identity, {ref: tuple(dict.fromkeys(keys_of[key])) for ref, key in identity.items()}


def test_the_indexes_hold_only_the_exceptions_and_mean_what_the_full_ones_mean(
    write_roadmap: WriteRoadmap,
) -> None:
    shipped_source = Source(paths.shipped_roadmaps(), "shipped")
    catalog = load_catalog([shipped_source, Source(write_roadmap(SHARING), "--roadmaps")])[0]
    identity, keys = _full_indexes(catalog)

    refs = catalog.all_refs()
    assert {ref: catalog.progress_keys.get(ref, (ref,)) for ref in refs} == keys
    # The same resources count as one: identities group the REFs exactly as the full ones do.
    groups: dict[str, set[str]] = {}
    full_groups: dict[str, set[str]] = {}
    for ref in refs:
        groups.setdefault(catalog.identities.get(ref) or ref, set()).add(ref)
        full_groups.setdefault(identity[ref], set()).add(ref)
    assert sorted(map(sorted, groups.values())) == sorted(map(sorted, full_groups.values()))
    assert catalog.known_keys() == {k for ks in keys.values() for k in ks}

    # Only the exceptions are held: shared, renamed or in a renamed roadmap.
    assert set(catalog.identities) == {"first/a", "second/a2", "second/s", "third/s"} | {
        "first/b",
        "third/b",
    }
    assert "second/own" not in catalog.progress_keys
    assert catalog.progress_keys["second/moved"] == ("second/moved", "second/was")
    assert catalog.progress_keys["second/a2"] == (
        "first/a",
        "first/old-a",
        "old-first/a",
        "old-first/old-a",
        "second/a2",
    )
    assert catalog.resolve("third/pend").keys == ("third/pend",), "a pending link is its own"
    assert catalog.resolve("first/pend").keys == ("first/pend", "old-first/pend")
