"""What a learner does: mark several resources at once, and see which roadmaps that touched."""

from __future__ import annotations

import errno
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli.catalog import Catalog, LoadedFile, ResolvedRef, Source
from roadmap_cli.entries import Status
from roadmap_cli.errors import InputError, StoreWriteError
from roadmap_cli.records import Roadmap
from roadmap_cli.store import Store
from roadmap_cli.tracker import (
    Marked,
    add_note,
    log_time,
    mark,
    parse_day,
    parse_duration,
    summaries,
    touched,
    undo,
)
from tests.records_from import make_roadmap


def roadmap(roadmap_id: str, *resource_ids: str) -> Roadmap:
    return make_roadmap(
        {
            "id": roadmap_id,
            "title": roadmap_id.title(),
            "resources": [
                {"id": r, "title": r.title(), "url": f"https://{roadmap_id}.test/{r}", "hours": 2}
                for r in resource_ids
            ],
        }
    )


ALPHA = roadmap("alpha", "one", "two")
BETA = roadmap("beta", "one")
GAMMA = roadmap("gamma", "one", "two", "three")
CATALOG = Catalog([LoadedFile(Source(Path("roadmaps.yaml"), "test"), None, [ALPHA, BETA, GAMMA])])


def found(ref: str) -> ResolvedRef:
    return CATALOG.resolve(ref)


def outcome(results: list[Marked]) -> list[tuple[str, str, bool]]:
    return [(m.found.ref, m.status, m.changed) for m in results]


def saved(path: Path) -> dict[str, str]:
    return {ref: e.status for ref, e in Store(path).load().entries.items()}


def test_mark_changes_several_refs_and_reports_each(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/two")], "done")

    results = mark(store, [found("alpha/one"), found("alpha/two"), found("gamma/three")], "done")

    assert outcome(results) == [
        ("alpha/one", "done", True),
        ("alpha/two", "done", False),
        ("gamma/three", "done", True),
    ]
    assert saved(progress_path) == {"alpha/one": "done", "alpha/two": "done", "gamma/three": "done"}


def test_mark_saves_all_refs_in_one_write(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced: list[Path] = []
    real_replace = os.replace

    def counting_replace(src: Any, dst: Any) -> None:
        replaced.append(Path(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", counting_replace)

    mark(Store(progress_path), [found("alpha/one"), found("beta/one"), found("gamma/two")], "done")

    # One write of the progress file (beside it, the cache keeps what was written).
    assert [path for path in replaced if path.parent == progress_path.parent] == [progress_path]
    assert saved(progress_path) == {"alpha/one": "done", "beta/one": "done", "gamma/two": "done"}


def test_failed_save_changes_none_of_the_refs(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(progress_path)
    mark(store, [found("beta/one")], "done")
    before = progress_path.read_bytes()

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)

    with pytest.raises(StoreWriteError, match="No space left on device"):
        mark(store, [found("alpha/one"), found("beta/one"), found("gamma/one")], "pending")

    assert progress_path.read_bytes() == before


def test_reset_reports_only_what_was_done(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/one"), found("gamma/one")], "done")

    results = mark(store, [found("alpha/one"), found("alpha/two")], "pending")

    assert outcome(results) == [("alpha/one", "pending", True), ("alpha/two", "pending", False)]
    assert saved(progress_path) == {"alpha/one": "pending", "gamma/one": "done"}


def test_mark_with_nothing_to_change_writes_nothing(progress_path: Path) -> None:
    results = mark(Store(progress_path), [found("alpha/one"), found("beta/one")], "pending")

    assert outcome(results) == [("alpha/one", "pending", False), ("beta/one", "pending", False)]
    assert not progress_path.exists()


def test_touched_lists_roadmaps_in_catalog_order_once_each(progress_path: Path) -> None:
    refs = [found("gamma/two"), found("alpha/one"), found("gamma/one"), found("alpha/two")]
    results = mark(Store(progress_path), refs, "done")

    assert [r.id for r in touched(CATALOG, results)] == ["alpha", "gamma"]


def test_touched_counts_refs_that_did_not_change(progress_path: Path) -> None:
    results = mark(Store(progress_path), [found("beta/one")], "pending")

    assert [r.id for r in touched(CATALOG, results)] == ["beta"]
    assert touched(CATALOG, []) == []


def test_summaries_follow_the_saved_progress(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/one"), found("gamma/one"), found("gamma/three")], "done")

    result = summaries(CATALOG, [GAMMA, ALPHA], store.load())

    assert [(s.roadmap.id, s.done, s.total, s.percent) for s in result] == [
        ("gamma", 2, 3, 66),
        ("alpha", 1, 2, 50),
    ]
    assert [(s.remaining_hours.low, s.remaining_hours.high) for s in result] == [
        (2.0, 2.0),
        (2.0, 2.0),
    ]


# --- durations and days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("1.5", 1.5),
        ("2", 2.0),
        (".5", 0.5),
        ("90m", 1.5),  # 90 / 60
        ("45min", 0.75),  # 45 / 60
        ("30 minutes", 0.5),
        ("1h30m", 1.5),  # 1 + 30 / 60
        ("1h 30m", 1.5),
        ("2h", 2.0),
        ("2hrs", 2.0),
        ("1.5 hours", 1.5),
        (" 2H ", 2.0),
        ("24h", 24.0),
        ("20m", 0.3333),  # 20 / 60 = 0.33333..., kept to four decimals
    ],
)
def test_parse_duration_reads_hours_and_minutes(text: str, hours: float) -> None:
    assert parse_duration(text) == hours


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is not a duration"),
        ("   ", "is not a duration"),
        ("abc", "is not a duration"),
        ("h", "is not a duration"),
        ("1h-30m", "is not a duration"),
        ("30m1h", "is not a duration"),
        ("nan", "is not a duration"),
        ("inf", "is not a duration"),
        ("1e3", "is not a duration"),
        ("1,5", "is not a duration"),
        ("0", "must be more than zero"),
        ("0h0m", "must be more than zero"),
        ("-1", "must be more than zero"),
        ("25h", "is more than 24 hours"),
        ("24h1m", "is more than 24 hours"),
        ("1441m", "is more than 24 hours"),  # 24 h is 1440 minutes
    ],
)
def test_parse_duration_refuses_what_is_not_a_usable_duration(text: str, problem: str) -> None:
    with pytest.raises(InputError) as info:
        parse_duration(text)

    message = str(info.value)
    assert repr(text) in message  # the message names what the user typed
    assert problem in message
    assert info.value.exit_code == 2


@pytest.mark.parametrize("text", ["0.00001", "0.001m", "0.5m", "0.0166"])
def test_a_duration_under_a_minute_is_refused(text: str) -> None:
    # Under a minute would round to nothing (0.00001 h is 0.0 to four decimals).
    with pytest.raises(InputError) as info:
        parse_duration(text)

    assert str(info.value) == f"{text!r} is less than a minute; log at least 1m."


def test_one_minute_is_the_shortest_duration() -> None:
    assert parse_duration("1m") == 0.0167  # 1 / 60 = 0.016666..., to four decimals


TODAY = date(2026, 11, 25)


def test_parse_day_is_today_when_not_given() -> None:
    assert parse_day(None, TODAY) == TODAY


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-25", TODAY),
        ("2026-11-24", date(2026, 11, 24)),
        (" 2020-02-29 ", date(2020, 2, 29)),
    ],
)
def test_parse_day_accepts_today_and_past_days(text: str, day: date) -> None:
    assert parse_day(text, TODAY) == day


def test_parse_day_refuses_the_future() -> None:
    with pytest.raises(InputError) as info:
        parse_day("2026-11-26", TODAY)

    assert str(info.value) == ("2026-11-26 is in the future; time can only be logged once spent.")


@pytest.mark.parametrize(
    "text", ["yesterday", "25/11/2026", "20261120", "2026-W47-5", "2026-11-20T10:00", ""]
)
def test_parse_day_refuses_what_is_not_written_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_day(text, TODAY)

    assert str(info.value) == f"{text!r} is not a date; write it as YYYY-MM-DD."


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-29", "2026-11-31", "2026-00-10"])
def test_parse_day_refuses_a_day_that_is_not_in_the_calendar(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_day(text, TODAY)

    assert str(info.value) == f"{text!r} is not a day of the calendar."


# --- logging time, notes and undo through a store ----------------------------------------


def test_log_time_starts_a_pending_resource_and_can_be_undone(progress_path: Path) -> None:
    store = Store(progress_path)

    entry = log_time(store, found("alpha/one"), 1.5, date(2026, 11, 20))

    assert entry == store.load().entries["alpha/one"]
    assert entry.status == "in-progress"
    assert [(item.day, item.hours) for item in entry.log] == [(date(2026, 11, 20), 1.5)]
    undone = undo(store)
    assert undone is not None
    assert (undone.change.action, undone.change.refs) == ("log", ("alpha/one",))
    assert [(log.day, log.hours) for log in undone.removed_logs("alpha/one")] == [
        (date(2026, 11, 20), 1.5)
    ]
    assert (undone.status_before("alpha/one"), undone.status_after("alpha/one")) == (
        "in-progress",
        "pending",
    )
    assert store.load().entries == {}


def test_log_time_adds_to_what_was_logged_and_keeps_done(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/one")], "done")
    log_time(store, found("alpha/one"), 1.5, date(2026, 11, 20))

    entry = log_time(store, found("alpha/one"), 0.75, date(2026, 11, 21))

    assert entry.status == "done"
    assert entry.hours_logged == 2.25  # 1.5 + 0.75
    assert [item.day for item in entry.log] == [date(2026, 11, 20), date(2026, 11, 21)]


def test_add_note_keeps_the_text_stripped(progress_path: Path) -> None:
    store = Store(progress_path)

    add_note(store, found("beta/one"), "  Watch lecture 3 again\nthen the exercises  ")
    entry = add_note(store, found("beta/one"), "Done with the exercises")

    assert [note.text for note in entry.notes] == [
        "Watch lecture 3 again\nthen the exercises",
        "Done with the exercises",
    ]
    assert store.load().entries["beta/one"] == entry
    assert [c.action for c in store.load().history] == ["note", "note"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("", "A note must not be empty", id="empty"),
        pytest.param(" \n\t ", "A note must not be empty", id="blank"),
        pytest.param("red \x1b[31malert", "U+001B", id="escape"),
        pytest.param("abc\u202edef", "U+202E", id="bidi"),
        pytest.param("x" * 10_001, "at most 10,000 characters", id="too-long"),
    ],
)
def test_add_note_refuses_bad_text_and_writes_nothing(
    progress_path: Path, text: str, problem: str
) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/one")], "done")
    before = progress_path.read_bytes()

    with pytest.raises(InputError, match=re.escape(problem)):
        add_note(store, found("alpha/one"), text)

    assert progress_path.read_bytes() == before


def test_undo_reverts_a_whole_mark_of_several_refs(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/one")], "in-progress")
    before = store.load().entries

    mark(store, [found("alpha/one"), found("beta/one"), found("gamma/two")], "done")
    undone = undo(store)

    assert undone is not None
    change = undone.change
    assert (change.action, change.refs) == ("done", ("alpha/one", "beta/one", "gamma/two"))
    assert [undone.status_after(ref) for ref in change.refs] == [
        "in-progress",
        "pending",
        "pending",
    ]
    assert {undone.status_before(ref) for ref in change.refs} == {"done"}
    assert store.load().entries == before
    assert saved(progress_path) == {"alpha/one": "in-progress"}


@pytest.mark.parametrize(
    ("status", "action"),
    [("done", "done"), ("pending", "reset"), ("in-progress", "start"), ("skipped", "skip")],
)
def test_each_mark_is_recorded_under_its_action(
    progress_path: Path, status: Status, action: str
) -> None:
    store = Store(progress_path)
    if status == "pending":
        mark(store, [found("alpha/one")], "done")

    mark(store, [found("alpha/one")], status)

    assert store.load().history[-1].action == action


def test_undo_with_nothing_to_undo_returns_none_and_writes_nothing(progress_path: Path) -> None:
    store = Store(progress_path)
    assert undo(store) is None
    assert not progress_path.exists()

    mark(store, [found("alpha/one")], "done")
    assert undo(store) is not None
    after_undo = progress_path.read_bytes()
    assert undo(store) is None
    assert progress_path.read_bytes() == after_undo


def test_a_day_holds_at_most_24_hours_over_all_resources(progress_path: Path) -> None:
    store = Store(progress_path)
    day = date(2026, 11, 20)
    log_time(store, found("alpha/one"), 20.0, day)
    log_time(store, found("beta/one"), 3.5, day)
    before = progress_path.read_bytes()

    with pytest.raises(InputError) as info:
        log_time(store, found("gamma/one"), 1.0, day)  # 20 + 3.5 + 1 = 24.5

    assert str(info.value) == (
        "2026-11-20 already has 23.5 h logged; another 1 h would be more than the 24 hours "
        "of a day."
    )
    assert progress_path.read_bytes() == before
    log_time(store, found("gamma/one"), 0.5, day)  # 24 exactly is fine
    log_time(store, found("gamma/one"), 5.0, date(2026, 11, 21))  # and another day is new
    assert store.load().entries["gamma/one"].hours_logged == 5.5


# --- one resource in two roadmaps --------------------------------------------------------

SHARED_URL = "https://same.test/x"


def with_x(roadmap_id: str) -> Roadmap:
    return make_roadmap(
        {
            "id": roadmap_id,
            "title": roadmap_id.title(),
            "resources": [
                {"id": "x", "title": "X", "url": SHARED_URL, "hours": 30},
                {"id": "y", "title": "Y", "url": f"https://{roadmap_id}.test/y", "hours": 30},
            ],
        }
    )


SHARED = Catalog(
    [LoadedFile(Source(Path("roadmaps.yaml"), "test"), None, [with_x("one"), with_x("two")])]
)


def logged_under(progress_path: Path) -> dict[str, float]:
    progress = Store(progress_path).load()
    return {
        item.ref: item.hours_logged
        for summary in summaries(SHARED, SHARED.roadmaps.values(), progress)
        for item in summary.items
    }


def test_marking_a_shared_resource_marks_it_in_every_roadmap(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [SHARED.resolve("one/x")], "done")

    statuses = {
        item.ref: item.status
        for summary in summaries(SHARED, SHARED.roadmaps.values(), store.load())
        for item in summary.items
    }
    assert statuses == {"one/x": "done", "one/y": "pending", "two/x": "done", "two/y": "pending"}


def test_time_logged_on_a_shared_resource_shows_in_every_roadmap(progress_path: Path) -> None:
    store = Store(progress_path)
    day = date(2026, 11, 20)
    log_time(store, SHARED.resolve("one/x"), 10.0, day)
    log_time(store, SHARED.resolve("two/x"), 1.0, day)

    hours = logged_under(progress_path)
    assert (hours["one/x"], hours["two/x"]) == (11.0, 11.0)  # 10 + 1, one resource


def test_the_24_hour_day_counts_a_shared_resource_once(progress_path: Path) -> None:
    store = Store(progress_path)
    day = date(2026, 11, 20)
    log_time(store, SHARED.resolve("one/x"), 10.0, day)
    log_time(store, SHARED.resolve("two/x"), 1.0, day)

    log_time(store, SHARED.resolve("one/y"), 5.0, day)  # 10 + 1 + 5 = 16 h that day

    assert logged_under(progress_path)["one/y"] == 5.0
