"""`roadmap undo` says exactly what it reverted: the time, the note, the status it goes back to.

Run in-process against the shipped roadmaps, each test with a data folder of its own. The
messages are checked whole, at a width that keeps each on one line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_cli import paths
from roadmap_cli.store import Store
from roadmap_cli.tracker import undo
from tests.conftest import Invoke, ok

ANDREW = "long/andrew-ng-machine-learning"
DEEP = "long/deep-learning-specialization"
CS224N = "long/stanford-cs224n"
CS25 = "long/stanford-cs25"
WORKSHOP = "long/llm-workshop"
RLHF = "short/rlhf-huggingface"
WIDE = {"COLUMNS": "200"}


def undone(invoke: Invoke) -> str:
    return ok(invoke("undo", env=WIDE))


def test_undoing_a_log_names_the_hours_the_day_and_the_resource(invoke: Invoke) -> None:
    ok(invoke("start", ANDREW))
    ok(invoke("log", ANDREW, "45m", "--date", "2026-11-20"))

    assert undone(invoke) == f"Undid 0.75 h logged on 2026-11-20 on {ANDREW}.\n"
    assert undone(invoke) == f"Undid marking {ANDREW} in progress; it is not started again.\n"


def test_undoing_the_log_that_started_a_resource_says_it_is_not_started_again(
    invoke: Invoke,
) -> None:
    ok(invoke("log", CS25, "1h30m", "--date", "2026-11-02"))

    assert undone(invoke) == (
        f"Undid 1.5 h logged on 2026-11-02 on {CS25}; it is not started again.\n"
    )


def test_undoing_a_second_log_takes_back_only_that_one(invoke: Invoke) -> None:
    ok(invoke("log", CS25, "2h", "--date", "2026-11-01"))
    ok(invoke("log", CS25, "20m", "--date", "2026-11-03"))

    assert undone(invoke) == f"Undid 0.33 h logged on 2026-11-03 on {CS25}.\n"
    assert "2 h spent" in ok(invoke("show", "long"))


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("start", "done", f"Undid marking {ANDREW} done; it is in progress again.\n"),
        ("done", "reset", f"Undid marking {ANDREW} not started; it is done again.\n"),
        ("skip", "start", f"Undid marking {ANDREW} in progress; it is skipped again.\n"),
        ("done", "skip", f"Undid marking {ANDREW} skipped; it is done again.\n"),
        (None, "done", f"Undid marking {ANDREW} done; it is not started again.\n"),
    ],
)
def test_undoing_a_status_says_the_status_it_goes_back_to(
    invoke: Invoke, first: str | None, then: str, expected: str
) -> None:
    if first is not None:
        ok(invoke(first, ANDREW))
    ok(invoke(then, ANDREW))

    assert undone(invoke) == expected


def test_undoing_several_refs_at_once_names_each_status(invoke: Invoke) -> None:
    ok(invoke("start", ANDREW))
    ok(invoke("done", ANDREW, CS25))

    assert undone(invoke) == (
        f"Undid marking {ANDREW} and {CS25} done; {ANDREW} is in progress again, "
        f"{CS25} is not started again.\n"
    )


def test_undoing_many_refs_names_a_few_and_counts_the_rest(invoke: Invoke) -> None:
    ok(invoke("skip", ANDREW, DEEP, CS224N, CS25, RLHF))

    assert undone(invoke) == (
        f"Undid marking {ANDREW}, {DEEP}, {CS224N} and 2 more skipped; "
        "they are not started again.\n"
    )


def test_undoing_a_note_quotes_its_first_words(invoke: Invoke) -> None:
    ok(invoke("note", CS25, "short one"))
    ok(invoke("note", CS25, "lecture 8 on attention is the key one;\nwatch it twice"))

    assert undone(invoke) == (
        f"Undid the note added to {CS25}: “lecture 8 on attention is the key one;…”\n"
    )
    assert undone(invoke) == f"Undid the note added to {CS25}: “short one”\n"


def test_undoing_a_merge_counts_and_names_what_it_restores(invoke: Invoke, tmp_path: Path) -> None:
    other = tmp_path / "laptop"
    elsewhere = {"ROADMAP_CLI_DATA_DIR": str(other)}
    ok(invoke("done", ANDREW, env=elsewhere))
    ok(invoke("log", RLHF, "30m", "--date", "2026-11-10", env=elsewhere))
    ok(invoke("merge", str(other / "progress.json")))

    assert undone(invoke) == (
        f"Undid merge of 2 resources: {ANDREW} and {RLHF} are back as they were before it.\n"
    )
    assert "Nothing to undo." in undone(invoke)


def test_undoing_a_sync_counts_and_names_what_it_restores(invoke: Invoke) -> None:
    # What a sync records, without a git remote: one undoable change of several resources.
    store = Store(paths.progress_file())
    with store.update("sync") as changes:
        for ref in (ANDREW, DEEP, CS224N, CS25):
            changes.set_status(ref, "done")

    assert undone(invoke) == (
        f"Undid sync of 4 resources: {ANDREW}, {DEEP}, {CS224N} and {CS25} are back as they "
        "were before it.\n"
    )


def test_undo_returns_the_change_and_the_entries_as_they_were_just_before(
    invoke: Invoke,
) -> None:
    ok(invoke("start", CS25))
    ok(invoke("log", CS25, "1h", "--date", "2026-11-05"))
    store = Store(paths.progress_file())

    result = undo(store)

    assert result is not None
    assert result.change.action == "log"
    assert result.status_before(CS25) == result.status_after(CS25) == "in-progress"
    [log] = result.removed_logs(CS25)
    assert (log.day.isoformat(), log.hours) == ("2026-11-05", 1.0)
    assert result.removed_notes(CS25) == []
    assert store.load().entries[CS25].log == ()


def test_nothing_to_undo_says_so(invoke: Invoke) -> None:
    assert undone(invoke) == "Nothing to undo.\n"


def test_an_undo_message_wraps_at_spaces_in_a_narrow_terminal(invoke: Invoke) -> None:
    ok(invoke("done", ANDREW, WORKSHOP))

    out = ok(invoke("undo", env={"COLUMNS": "40"}))

    assert out == (
        f"Undid marking\n  {ANDREW} and\n  {WORKSHOP} done; they are not\n  started again.\n"
    )
