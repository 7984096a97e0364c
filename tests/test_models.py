"""The Pydantic models of roadmap files and of the progress file."""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from roadmap_cli import entries
from roadmap_cli.models import (
    HISTORY_LIMIT,
    Change,
    Entry,
    Guide,
    Hours,
    LogEntry,
    Note,
    ProgressFile,
    Resource,
    Roadmap,
    RoadmapFile,
    StatedHours,
    Step,
    unsafe_chars,
)
from tests.records_from import make_roadmap


def resource(**changes: Any) -> dict[str, Any]:
    """A valid resource as a roadmap file gives it, with `changes` applied (None removes)."""
    data: dict[str, Any] = {
        "id": "first",
        "title": "First resource",
        "url": "https://courses.example.edu/first",
        "hours": 2,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def roadmap(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "basics", "title": "Basics", "resources": [resource()]}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def problems(model: type[BaseModel], data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Validate `data`, expect it to be refused, and return each (location, message)."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(tuple(e["loc"]), str(e["msg"])) for e in caught.value.errors()]


def only_problem(model: type[BaseModel], data: Any) -> tuple[tuple[str | int, ...], str]:
    found = problems(model, data)
    assert len(found) == 1, found
    return found[0]


# --- Hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(3, 3.0), (0, 0.0), (1.5, 1.5)])
def test_a_single_number_means_low_equals_high(value: float, expected: float) -> None:
    hours = Hours.model_validate(value)
    assert (hours.low, hours.high) == (expected, expected)


def test_a_range_keeps_low_and_high() -> None:
    hours = Hours.model_validate({"low": 1, "high": 2.5})
    assert (hours.low, hours.high) == (1.0, 2.5)


def test_low_greater_than_high_is_refused() -> None:
    loc, message = only_problem(Hours, {"low": 5, "high": 2})
    assert loc == ()
    assert "low (5) must not be greater than high (2)" in message


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        (-1, "low", "greater than or equal to 0"),
        ({"low": -0.5, "high": 1}, "low", "greater than or equal to 0"),
        ({"low": 0, "high": math.nan}, "high", "finite"),
        ({"low": 0, "high": math.inf}, "high", "finite"),
        ({"low": -math.inf, "high": 1}, "low", "finite"),
        ({"low": 0, "high": 100_001}, "high", "less than or equal to 100000"),
        ({"low": True, "high": 2}, "low", "valid number"),
        ({"low": "1", "high": 2}, "low", "valid number"),
        ({"low": None, "high": 2}, "low", "valid number"),
        ({"high": 2}, "low", "Field required"),
    ],
)
def test_bad_hour_values_are_refused(data: Any, field: str, fragment: str) -> None:
    found = problems(Hours, data)
    assert (field,) in [loc for loc, _ in found]
    assert any(fragment in message for loc, message in found if loc == (field,))


@pytest.mark.parametrize("value", [math.nan, math.inf, "1:30", "90", True, None, [1, 2]])
def test_hours_must_be_a_finite_number_or_a_range(value: Any) -> None:
    with pytest.raises(ValidationError):
        Hours.model_validate(value)


def test_a_resource_hour_range_has_no_plus() -> None:
    loc, message = only_problem(Hours, {"low": 1, "high": 2, "plus": True})
    assert loc == ("plus",)
    assert "Extra inputs" in message


def test_stated_hours_may_be_open_ended() -> None:
    assert StatedHours.model_validate({"low": 80, "high": 100, "plus": True}).plus is True
    assert StatedHours.model_validate({"low": 2, "high": 3}).plus is False
    assert StatedHours.model_validate(3).plus is False


def test_stated_hours_keep_low_and_high_in_order() -> None:
    with pytest.raises(ValidationError, match="must not be greater than"):
        StatedHours.model_validate({"low": 3, "high": 2, "plus": True})


# --- Ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["a", "deep-learning", "cs224n", "012", "a1-b2-c3", "x" * 64])
def test_lowercase_slugs_are_valid_ids(value: str) -> None:
    assert Resource.model_validate(resource(id=value)).id == value
    assert Roadmap.model_validate(roadmap(id=value)).id == value


@pytest.mark.parametrize(
    "value",
    [
        "../x",
        "a/b",
        "Deep-Learning",
        "a--b",
        "",
        "-a",
        "a-",
        "a_b",
        "a b",
        "a.b",
        "é",
        "x" * 65,
        " a",
    ],
)
def test_other_ids_are_refused(value: str) -> None:
    loc, message = only_problem(Resource, resource(id=value))
    assert loc == ("id",)
    assert "lowercase id" in message
    loc, message = only_problem(Roadmap, roadmap(id=value))
    assert loc == ("id",)


def test_a_number_as_id_is_read_as_its_digits() -> None:
    assert Resource.model_validate(resource(id=12)).id == "12"


@pytest.mark.parametrize("value", [True, None, ["a"]])
def test_an_id_must_be_text(value: Any) -> None:
    data = resource()
    data["id"] = value
    loc, _ = only_problem(Resource, data)
    assert loc == ("id",)


# --- URLs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.coursera.org/learn/machine-learning",
        "http://web.stanford.edu/class/cs224n/",
        "https://www.youtube.com/watch?v=kCc8FmEb1nY",
        "https://host:8443/path#frag",
        "https://[::1]/",
    ],
)
def test_http_and_https_urls_are_valid(url: str) -> None:
    assert Resource.model_validate(resource(url=url)).url == url


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("javascript:alert(1)", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("data:text/html,<script>alert(1)</script>", "http:// or https://"),
        ("ftp://files.example.org/x", "http:// or https://"),
        ("www.example.org/course", "http:// or https://"),
        ("https:///path-only", "must name a host"),
        ("https://", "must name a host"),
        ("https://user:pw@host.org/", "user name or password"),
        ("https://user@host.org/", "user name or password"),
        ("https://host.org/a b", "without spaces"),
        ("https://host.org/\tx", "without spaces"),
        (" https://host.org/", "without spaces"),
        ("https://host.org/\x1b[31m", "control characters"),
        ("https://host.org/\u202e", "control characters"),
        ("https://host.org/" + "a" * 2000, "at most 2000 characters"),
    ],
)
def test_bad_urls_are_refused(url: str, fragment: str) -> None:
    loc, message = only_problem(Resource, resource(url=url))
    assert loc == ("url",)
    assert fragment in message


@pytest.mark.parametrize("url", ["https://host.org:99999/", "https://host.org:abc/"])
def test_urls_with_an_invalid_port_are_refused(url: str) -> None:
    with pytest.raises(ValidationError):
        Resource.model_validate(resource(url=url))


# --- Text fields -------------------------------------------------------------------------

UNSAFE = [
    ("\x1b[31mred", "U+001B"),
    ("bell\x07", "U+0007"),
    ("nul\x00", "U+0000"),
    ("back\x08space", "U+0008"),
    ("del\x7f", "U+007F"),
    ("csi\x9b31m", "U+009B"),
    ("next line\x85", "U+0085"),
    ("evil\u202etxt.exe", "U+202E"),
    ("isolate\u2066x\u2069", "U+2066, U+2069"),
    ("carriage\rreturn", "U+000D"),
]


@pytest.mark.parametrize(("text", "code"), UNSAFE)
@pytest.mark.parametrize(
    ("model", "make", "field"),
    [
        (Resource, lambda t: resource(title=t), "title"),
        (Resource, lambda t: resource(description=t), "description"),
        (Resource, lambda t: resource(basis=t), "basis"),
        (Roadmap, lambda t: roadmap(title=t), "title"),
        (Roadmap, lambda t: roadmap(summary=t), "summary"),
        (Roadmap, lambda t: roadmap(note=t), "note"),
        (Step, lambda t: {"title": t, "resources": [resource()]}, "title"),
        (
            Step,
            lambda t: {"title": "S", "description": t, "resources": [resource()]},
            "description",
        ),
        (Guide, lambda t: {"title": t}, "title"),
        (Guide, lambda t: {"title": "G", "overview": t}, "overview"),
    ],
)
def test_control_and_bidi_characters_are_refused_in_every_text_field(
    model: type[BaseModel], make: Any, field: str, text: str, code: str
) -> None:
    loc, message = only_problem(model, make(text))
    assert loc == (field,)
    assert f"(found {code})" in message


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (Resource, resource(title="two\nlines"), "title"),
        (Resource, resource(basis="two\nlines"), "basis"),
        (Roadmap, roadmap(title="two\nlines"), "title"),
        (Step, {"title": "two\nlines", "resources": [resource()]}, "title"),
        (Guide, {"title": "two\nlines"}, "title"),
    ],
)
def test_a_newline_is_refused_in_a_one_line_field(
    model: type[BaseModel], data: dict[str, Any], field: str
) -> None:
    loc, message = only_problem(model, data)
    assert loc == (field,)
    assert "line breaks" in message
    assert "U+000A" in message


@pytest.mark.parametrize("char", ["\u2028", "\u2029"])
def test_unicode_line_separators_are_refused_in_a_title(char: str) -> None:
    with pytest.raises(ValidationError):
        Resource.model_validate(resource(title=f"two{char}lines"))


def test_newlines_are_allowed_in_prose_fields() -> None:
    text = "First paragraph.\n\nSecond paragraph."
    res = Resource.model_validate(resource(description=text))
    road = Roadmap.model_validate(roadmap(summary=text, note=text))
    step = Step.model_validate({"title": "S", "description": text, "resources": [resource()]})
    guide = Guide.model_validate({"title": "G", "overview": text})
    assert res.description == road.summary == road.note == step.description == text
    assert guide.overview == text


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_is_refused(text: str) -> None:
    loc, message = only_problem(Roadmap, roadmap(summary=text))
    assert loc == ("summary",)
    assert "must not be empty" in message


def test_text_is_stripped_of_surrounding_spaces() -> None:
    assert Resource.model_validate(resource(title="  Padded  ")).title == "Padded"


def test_real_typographic_characters_are_kept() -> None:
    title = "Andrej Karpathy’s Video – LLMs: Training & Fine-Tuning 🧠"
    assert Resource.model_validate(resource(title=title)).title == title


def test_a_number_as_title_is_read_as_text() -> None:
    assert Roadmap.model_validate(roadmap(title=2024)).title == "2024"


@pytest.mark.parametrize("value", [True, False, None, ["a"], {"a": 1}])
def test_a_title_must_be_text(value: Any) -> None:
    data = roadmap()
    data["title"] = value
    loc, _ = only_problem(Roadmap, data)
    assert loc == ("title",)


def test_unsafe_chars_names_what_must_not_reach_a_terminal() -> None:
    assert unsafe_chars("a\x1bb\nc\u202e", allow_newlines=False) == ["\x1b", "\n", "\u202e"]
    assert unsafe_chars("a\x1bb\nc\u202e", allow_newlines=True) == ["\x1b", "\u202e"]
    assert unsafe_chars("plain – text’s fine 🧠", allow_newlines=False) == []


# --- Resources, steps, roadmaps ----------------------------------------------------------


def test_a_minimal_resource_has_defaults() -> None:
    res = Resource.model_validate(resource())
    assert res.kind == "other"
    assert res.placeholder is False
    assert res.basis is None
    assert res.description is None


def test_an_unknown_kind_is_refused() -> None:
    loc, message = only_problem(Resource, resource(kind="lecture-notes"))
    assert loc == ("kind",)
    assert "'course'" in message


def test_an_unknown_key_is_refused() -> None:
    loc, message = only_problem(Resource, resource(titel="typo"))
    assert loc == ("titel",)
    assert "Extra inputs" in message


@pytest.mark.parametrize("field", ["id", "title", "url"])
def test_required_resource_fields(field: str) -> None:
    data = resource()
    del data[field]
    loc, message = only_problem(Resource, data)
    assert loc == (field,)
    assert "Field required" in message


def test_a_resource_may_have_no_estimate() -> None:
    data = resource()
    del data["hours"]
    assert Resource.model_validate(data).hours is None


@pytest.mark.parametrize(
    ("url", "placeholder", "pending"),
    [
        ("https://www.example.com/llm-workshop", False, True),
        ("https://example.org/x", False, True),
        ("https://example.net/x", False, True),
        ("https://www.coursera.org/learn/x", True, True),
        ("https://www.coursera.org/learn/x", False, False),
        ("https://example.com.evil.org/x", False, False),
        ("https://notexample.com/x", False, False),
    ],
)
def test_link_pending(url: str, placeholder: bool, pending: bool) -> None:
    res = Resource.model_validate(resource(url=url, placeholder=placeholder))
    assert res.link_pending is pending


def test_a_step_may_have_no_resources_yet() -> None:
    # Deliberate since "A step may have no resources": 'roadmap validate' warns instead.
    assert Step.model_validate({"title": "Empty", "resources": []}).resources == []
    assert Step.model_validate({"title": "Missing"}).resources == []
    loc, _ = only_problem(Step, {"title": "Not a list", "resources": resource()})
    assert loc == ("resources",)


@pytest.mark.parametrize(
    "data",
    [
        roadmap(steps=[{"title": "S", "resources": [resource()]}]),
        roadmap(resources=None),
    ],
)
def test_a_roadmap_has_steps_or_resources_not_both_nor_neither(data: dict[str, Any]) -> None:
    loc, message = only_problem(Roadmap, data)
    assert loc == ()
    assert "either 'steps' or 'resources'" in message


@pytest.mark.parametrize("field", ["steps", "resources"])
def test_an_empty_list_of_steps_or_resources_is_refused(field: str) -> None:
    data = roadmap(resources=None)
    data[field] = []
    found = problems(Roadmap, data)
    assert (field,) in [loc for loc, _ in found]


def test_sections_of_a_roadmap_with_steps_keep_their_order() -> None:
    steps = [
        {"title": f"Step {n}", "description": f"About {n}", "resources": [resource(id=f"r{n}")]}
        for n in (1, 2, 3)
    ]
    road = make_roadmap(roadmap(resources=None, steps=steps))
    assert [s.title for s in road.sections()] == ["Step 1", "Step 2", "Step 3"]
    assert [s.description for s in road.sections()] == ["About 1", "About 2", "About 3"]
    assert [r.id for r in road.all_resources()] == ["r1", "r2", "r3"]


def test_a_flat_roadmap_is_one_untitled_section() -> None:
    road = make_roadmap(roadmap(resources=[resource(id="a"), resource(id="b")]))
    [section] = road.sections()
    assert section.title is None
    assert section.description is None
    assert [r.id for r in section.resources] == ["a", "b"]
    assert [r.id for r in road.all_resources()] == ["a", "b"]


def test_a_roadmap_file_needs_version_1_and_a_roadmap() -> None:
    assert RoadmapFile.model_validate({"roadmaps": [roadmap()]}).version == 1
    loc, message = only_problem(RoadmapFile, {"version": 2, "roadmaps": [roadmap()]})
    assert loc == ("version",)
    assert "1" in message
    loc, _ = only_problem(RoadmapFile, {"roadmaps": []})
    assert loc == ("roadmaps",)
    loc, message = only_problem(RoadmapFile, {})
    assert loc == ("roadmaps",)
    assert "Field required" in message


def test_a_guide_needs_a_title() -> None:
    loc, _ = only_problem(Guide, {"overview": "Text."})
    assert loc == ("title",)


# --- The progress file -------------------------------------------------------------------


def test_a_progress_entry_needs_a_time_zone() -> None:
    naive = datetime(2026, 1, 31, 12, 0)
    loc, message = only_problem(Entry, {"status": "done", "changed": naive})
    assert loc == ("changed",)
    assert message == "Value error, must include a time zone, e.g. 2026-01-31T12:00:00Z"


def test_a_progress_entry_with_a_time_zone_is_valid() -> None:
    when = datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)
    assert Entry.model_validate({"status": "done", "changed": when}).changed == when


@pytest.mark.parametrize("status", ["pending", "in-progress", "done", "skipped"])
def test_the_four_statuses_are_valid(status: str) -> None:
    when = datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)
    entry = Entry.model_validate({"status": status, "changed": when})
    assert (entry.status, entry.log, entry.notes) == (status, [], [])


@pytest.mark.parametrize("status", ["finished", "started", "Done", "in_progress", ""])
def test_a_progress_entry_status_is_one_of_the_four(status: str) -> None:
    when = datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)
    loc, message = only_problem(Entry, {"status": status, "changed": when})
    assert loc == ("status",)
    assert message == "Input should be 'pending', 'in-progress', 'done' or 'skipped'"


def test_an_unmarked_ref_is_pending() -> None:
    when = datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)
    model = ProgressFile.model_validate(
        {"version": 2, "entries": {"long/a": {"status": "done", "changed": when}}}
    )
    progress = entries.from_model(model)  # what the program uses
    assert progress.status("long/a") == "done"
    assert progress.status("long/b") == "pending"


def test_a_progress_file_version_is_at_least_1() -> None:
    loc, _ = only_problem(ProgressFile, {"version": 0})
    assert loc == ("version",)
    assert ProgressFile.model_validate({"version": 1}).entries == {}


# --- Time logs, notes and the undo history -----------------------------------------------

NOON = datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)


def log_entry(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"day": date(2026, 1, 30), "hours": 1.5, "logged": NOON}
    data.update(changes)
    return data


@pytest.mark.parametrize("hours", [0.0001, 1, 1.5, 24])
def test_a_log_entry_holds_more_than_zero_and_at_most_24_hours(hours: float) -> None:
    assert LogEntry.model_validate(log_entry(hours=hours)).hours == hours


@pytest.mark.parametrize(
    ("hours", "fragment"),
    [
        (0, "greater than 0"),
        (-1, "greater than 0"),
        (24.01, "less than or equal to 24"),
        (25, "less than or equal to 24"),
        (math.nan, "finite number"),
        (math.inf, "finite number"),
        ("2", "valid number"),
        (True, "valid number"),
    ],
)
def test_bad_logged_hours_are_refused(hours: Any, fragment: str) -> None:
    loc, message = only_problem(LogEntry, log_entry(hours=hours))
    assert loc == ("hours",)
    assert fragment in message


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "30.01.2026", "2026-01-30T00:00"])
def test_a_log_day_in_a_file_is_a_real_date(day: str) -> None:
    good = '{"day": "2026-01-30", "hours": 1.5, "logged": "2026-01-31T12:00:00Z"}'
    assert LogEntry.model_validate_json(good).day == date(2026, 1, 30)
    with pytest.raises(ValidationError) as caught:
        LogEntry.model_validate_json(good.replace("2026-01-30", day))
    assert [e["loc"] for e in caught.value.errors()] == [("day",)]


def test_a_log_entry_needs_a_day_and_an_aware_time() -> None:
    loc, _ = only_problem(LogEntry, log_entry(day=NOON))  # a moment is not a day
    assert loc == ("day",)
    loc, message = only_problem(LogEntry, log_entry(logged=datetime(2026, 1, 31, 12, 0)))
    assert (loc, message) == (
        ("logged",),
        "Value error, must include a time zone, e.g. 2026-01-31T12:00:00Z",
    )
    loc, message = only_problem(LogEntry, log_entry(minutes=30))
    assert (loc, message) == (("minutes",), "Extra inputs are not permitted")


def test_hours_logged_is_the_sum_of_the_log() -> None:
    entry = {
        "status": "in-progress",
        "changed": NOON,
        "log": [log_entry(hours=1.5), log_entry(hours=0.25), log_entry(hours=2)],
    }
    model = ProgressFile.model_validate({"version": 2, "entries": {"a/b": entry}})
    assert entries.from_model(model).entries["a/b"].hours_logged == 3.75  # 1.5 + 0.25 + 2


def test_a_note_keeps_its_lines_and_is_stripped() -> None:
    note = Note.model_validate({"text": "  Redo lecture 3\nand its exercises  ", "added": NOON})
    assert note.text == "Redo lecture 3\nand its exercises"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "must not be empty"),
        (" \n ", "must not be empty"),
        ("red \x1b[31m text", "U+001B"),
        ("abc\u202edef", "U+202E"),
        ("x" * 10_001, "at most 10,000 characters"),
    ],
)
def test_bad_note_text_is_refused(text: str, fragment: str) -> None:
    loc, message = only_problem(Note, {"text": text, "added": NOON})
    assert loc == ("text",)
    assert fragment in message


def test_a_note_needs_an_aware_time() -> None:
    loc, message = only_problem(Note, {"text": "Hi", "added": datetime(2026, 1, 31, 12, 0)})
    assert loc == ("added",)
    assert "must include a time zone" in message


def change(action: str = "done") -> dict[str, Any]:
    return {"at": NOON, "action": action, "refs": ["long/a"], "before": {"long/a": None}}


@pytest.mark.parametrize("action", ["done", "reset", "start", "skip", "log", "note"])
def test_a_change_records_one_of_the_undoable_actions(action: str) -> None:
    recorded = Change.model_validate(change(action))
    assert (recorded.action, recorded.before) == (action, {"long/a": None})


def test_an_unknown_action_is_refused() -> None:
    loc, _ = only_problem(Change, change("delete"))
    assert loc == ("action",)


def test_the_undo_history_holds_at_most_the_limit() -> None:
    full = ProgressFile.model_validate({"version": 2, "history": [change()] * HISTORY_LIMIT})
    assert len(full.history) == HISTORY_LIMIT == 100
    loc, message = only_problem(
        ProgressFile, {"version": 2, "history": [change()] * (HISTORY_LIMIT + 1)}
    )
    assert loc == ("history",)
    assert "at most 100" in message


def test_a_roadmap_whose_steps_list_no_resources_is_refused() -> None:
    steps = [{"title": "Empty", "resources": []}]
    found = problems(Roadmap, roadmap(resources=None, steps=steps))
    assert [message for _, message in found] == [
        "Value error, its steps list no resources; add at least one"
    ]
