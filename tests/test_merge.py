"""Merging progress from another machine: the merge rule itself, and `roadmap merge FILE`.

The rule (merge.py): per REF the side whose status changed later wins the status; time logs and
notes are the union of both sides, each kept once, in order; REFs only one side has are kept.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from roadmap_cli import jsonout
from roadmap_cli.entries import Entry, LogEntry, Note, Status
from roadmap_cli.merge import Merged, MergeError, merge_entry, merge_progress
from tests.conftest import Invoke
from tests.records_from import make_progress

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
X = "short/illustrated-transformer"
Y = "short/karpathy-llm-training"
Z = "long/stanford-cs224n"
GONE = "gone/x"


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def log(day: int, hours: float, logged: float) -> LogEntry:
    return LogEntry(day=date(2026, 1, day), hours=hours, logged=at(logged))


def merge_entries(ours: dict[str, Entry], theirs: dict[str, Entry]) -> list[Merged]:
    """What merging `theirs` into `ours` writes, on a clock long after T0."""
    return merge_progress(ours, theirs, source="theirs.json", now=at(24 * 365)).writes


def note(text: str, added: float) -> Note:
    return Note(text=text, added=at(added))


def entry(
    status: Status,
    changed: float,
    logs: list[LogEntry] | None = None,
    notes: list[Note] | None = None,
) -> Entry:
    return Entry(status=status, changed=at(changed), log=logs or [], notes=notes or [])


# --- the rule, on entries built by hand ----------------------------------------------------------


@pytest.mark.parametrize(
    ("mine", "theirs", "winner"),
    [
        pytest.param(entry("done", 1), entry("pending", 2), "pending", id="theirs-later"),
        pytest.param(entry("done", 2), entry("pending", 1), "done", id="mine-later"),
        pytest.param(entry("skipped", 1), entry("in-progress", 3), "in-progress", id="start"),
    ],
)
def test_the_later_change_wins_the_status_whichever_side_it_is_on(
    mine: Entry, theirs: Entry, winner: Status
) -> None:
    for merged in (merge_entry(mine, theirs), merge_entry(theirs, mine)):
        assert merged.status == winner
        assert merged.changed == max(mine.changed, theirs.changed)


def test_logs_and_notes_of_both_sides_are_kept_each_once_in_order() -> None:
    shared_log, shared_note = log(3, 1.0, 0.5), note("both saw this", 0.5)
    mine = entry(
        "in-progress",
        2,
        logs=[shared_log, log(7, 2.0, 1.5)],
        notes=[shared_note, note("mine", 1.5)],
    )
    theirs = entry(
        "done",
        1,
        logs=[log(2, 0.5, 1.0), shared_log],
        notes=[note("theirs", 1.0), shared_note],
    )

    merged = merge_entry(mine, theirs)

    assert merged.status == "in-progress"  # mine changed later
    assert [(item.day.day, item.hours) for item in merged.log] == [(2, 0.5), (3, 1.0), (7, 2.0)]
    assert [item.text for item in merged.notes] == ["both saw this", "theirs", "mine"]
    assert merged.hours_logged == 3.5
    # Both machines reach the same entry, whichever merges the other in.
    assert merge_entry(theirs, mine) == merged


def test_the_same_log_and_note_on_both_sides_are_kept_once() -> None:
    same = entry("in-progress", 1, logs=[log(3, 1.5, 1)], notes=[note("attention", 1)])
    merged = merge_entry(same, same._replace())
    assert merged == same
    assert len(merged.log) == 1
    assert len(merged.notes) == 1


def test_a_log_differing_only_in_hours_is_a_different_log() -> None:
    mine = entry("in-progress", 1, logs=[log(3, 1.0, 1)])
    theirs = entry("in-progress", 1, logs=[log(3, 2.0, 1)])
    assert sorted(i.hours for i in merge_entry(mine, theirs).log) == [1.0, 2.0]


def test_a_ref_only_the_other_side_has_is_added() -> None:
    theirs = {X: entry("done", 1, logs=[log(3, 1.0, 1)], notes=[note("n", 1)])}

    [found] = merge_entries({}, theirs)

    assert found == Merged(X, None, theirs[X])
    assert found.status_change == ("pending", "done")
    assert jsonout.change(found) == {
        "ref": X,
        "status": {"from": "pending", "to": "done"},
        "new_logs": 1,
        "new_notes": 1,
    }


def test_identical_sides_give_no_changes() -> None:
    ours = {
        X: entry("done", 1, logs=[log(3, 1.0, 0.5), log(4, 0.5, 1)], notes=[note("a", 1)]),
        Y: entry("skipped", 2),
    }
    assert merge_entries(ours, dict(ours)) == []


def test_identical_sides_with_time_logged_out_of_day_order_give_no_changes() -> None:
    # `roadmap log X 1h` today, then `roadmap log X 2h --date <earlier day>`: the log is in
    # the order it was recorded, not in day order.
    ours = {Z: entry("in-progress", 0, logs=[log(9, 1.0, 1), log(5, 2.0, 2)])}
    assert merge_entries(ours, dict(ours)) == []


def test_refs_only_we_have_are_left_alone() -> None:
    ours = {X: entry("done", 1), Y: entry("in-progress", 1), GONE: entry("done", 1)}
    theirs = {Y: entry("done", 2)}

    found = merge_entries(ours, theirs)

    assert [item.ref for item in found] == [Y]
    assert found[0].before == ours[Y]
    assert found[0].status_change == ("in-progress", "done")


def test_an_older_copy_with_nothing_new_changes_nothing() -> None:
    ours = {X: entry("done", 5, logs=[log(3, 1.0, 1), log(4, 1.0, 4)], notes=[note("a", 2)])}
    theirs = {X: entry("in-progress", 2, logs=[log(3, 1.0, 1)], notes=[note("a", 2)])}
    assert merge_entries(ours, theirs) == []


def test_counts_of_what_is_new_are_reported() -> None:
    ours = {X: entry("in-progress", 1, logs=[log(3, 1.0, 1)])}
    theirs = {X: entry("in-progress", 1, logs=[log(3, 1.0, 1), log(4, 2, 2)], notes=[note("n", 2)])}

    [found] = merge_entries(ours, theirs)

    assert found.status_change is None
    assert (found.new_logs, found.new_notes) == (1, 1)
    assert jsonout.change(found)["status"] is None


# --- `roadmap merge FILE` --------------------------------------------------------------------


@pytest.fixture
def machine_b(tmp_path: Path) -> Path:
    """The data folder of a second machine; its progress.json is what gets merged."""
    return tmp_path / "machine-b"


def on(folder: Path, invoke: Invoke, *args: str) -> Result:
    result = invoke(*args, env={"ROADMAP_CLI_DATA_DIR": str(folder)})
    assert result.exit_code == 0, result.output
    return result


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result


def show(invoke: Invoke, roadmap: str, folder: Path | None = None) -> dict[str, Any]:
    env = None if folder is None else {"ROADMAP_CLI_DATA_DIR": str(folder)}
    result = invoke("show", roadmap, "--json", env=env)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def statuses(invoke: Invoke, folder: Path | None = None) -> dict[str, str]:
    return {
        res["ref"]: res["status"]
        for roadmap in ("long", "short")
        for step in show(invoke, roadmap, folder)["steps"]
        for res in step["resources"]
    }


def progress_file(text: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(text), encoding="utf-8")
    return path


def stamp(hours: float) -> str:
    return at(hours).isoformat().replace("+00:00", "Z")


def test_merging_another_machine_into_an_empty_store_gives_its_progress(
    invoke: Invoke, machine_b: Path, progress_path: Path
) -> None:
    on(machine_b, invoke, "done", X)
    on(machine_b, invoke, "skip", "long/llm-workshop")
    on(machine_b, invoke, "log", Z, "1h30m", "--date", "2026-01-05")
    on(machine_b, invoke, "note", Z, "lecture 8 is the key one")

    result = ok(invoke("merge", str(machine_b / "progress.json")))

    assert "Merged 3 resources:" in result.stdout
    for roadmap in ("short", "long"):
        assert show(invoke, roadmap) == show(invoke, roadmap, machine_b)
    assert statuses(invoke)[X] == "done"
    assert statuses(invoke)["long/llm-workshop"] == "skipped"
    assert statuses(invoke)[Z] == "in-progress"
    notes = json.loads(ok(invoke("notes", Z, "--json")).stdout)
    assert [n["text"] for n in notes["notes"]] == ["lecture 8 is the key one"]
    assert progress_path.exists()


def test_merging_the_same_file_again_changes_nothing(
    invoke: Invoke, machine_b: Path, progress_path: Path
) -> None:
    on(machine_b, invoke, "done", X)
    other = str(machine_b / "progress.json")
    ok(invoke("merge", other))
    before = progress_path.read_bytes()

    result = ok(invoke("merge", other, "--json"))

    assert json.loads(result.stdout)["changes"] == []
    assert "Nothing to merge" in ok(invoke("merge", other)).stdout
    assert progress_path.read_bytes() == before


def test_merge_leaves_the_other_file_as_it_was(
    invoke: Invoke, machine_b: Path, progress_path: Path
) -> None:
    on(machine_b, invoke, "done", X)
    other = machine_b / "progress.json"
    theirs = other.read_bytes()
    ok(invoke("done", Y))
    ok(invoke("merge", str(other)))
    assert other.read_bytes() == theirs
    assert statuses(invoke)[X] == statuses(invoke)[Y] == "done"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        pytest.param("b", "us", "in-progress", id="ours-later"),
        pytest.param("us", "b", "done", id="theirs-later"),
    ],
)
def test_merge_keeps_the_later_of_two_changes_to_one_resource(
    invoke: Invoke, machine_b: Path, first: str, second: str, expected: str
) -> None:
    actions = {"b": lambda: on(machine_b, invoke, "done", X), "us": lambda: ok(invoke("start", X))}
    actions[first]()
    actions[second]()

    ok(invoke("merge", str(machine_b / "progress.json")))

    assert statuses(invoke)[X] == expected


def test_dry_run_with_no_progress_yet_shows_the_changes_and_writes_nothing(
    invoke: Invoke, machine_b: Path, progress_path: Path
) -> None:
    on(machine_b, invoke, "done", X, Y)

    result = ok(invoke("merge", str(machine_b / "progress.json"), "--dry-run"))

    assert "Would change 2 resources:" in result.stdout
    assert f"{X}  pending → done" in result.stdout
    assert f"{Y}  pending → done" in result.stdout
    assert "Nothing was changed (--dry-run)." in result.stdout
    assert not progress_path.exists()
    assert set(statuses(invoke).values()) == {"pending"}


def test_dry_run_leaves_progress_byte_identical_and_foretells_the_merge(
    invoke: Invoke, machine_b: Path, progress_path: Path
) -> None:
    ok(invoke("done", X))
    on(machine_b, invoke, "start", X)  # later: wins
    on(machine_b, invoke, "log", Y, "45m")
    other = str(machine_b / "progress.json")
    before = progress_path.read_bytes()

    dry = json.loads(ok(invoke("merge", other, "--dry-run", "--json")).stdout)

    assert progress_path.read_bytes() == before
    assert statuses(invoke)[X] == "done"
    real = json.loads(ok(invoke("merge", other, "--json")).stdout)
    assert dry["dry_run"] is True
    assert real["dry_run"] is False
    assert dry["changes"] == real["changes"]
    assert len(real["changes"]) == 2
    assert statuses(invoke)[X] == "in-progress"


def test_merge_json_reports_each_change_and_the_unknown_refs(
    invoke: Invoke, tmp_path: Path, progress_path: Path
) -> None:
    progress_file(
        {
            "version": 2,
            "entries": {
                X: {"status": "done", "changed": stamp(1), "log": [], "notes": []},
                Y: {"status": "in-progress", "changed": stamp(1), "log": [], "notes": []},
            },
            "history": [],
        },
        progress_path,
    )
    theirs = progress_file(
        {
            "version": 2,
            "entries": {
                X: {
                    "status": "in-progress",
                    "changed": stamp(2),
                    "log": [{"day": "2026-01-05", "hours": 1.5, "logged": stamp(2)}],
                    "notes": [{"text": "went back to it", "added": stamp(2)}],
                },
                Y: {"status": "done", "changed": stamp(0), "log": [], "notes": []},
                Z: {"status": "skipped", "changed": stamp(3), "log": [], "notes": []},
                GONE: {"status": "done", "changed": stamp(3), "log": [], "notes": []},
            },
            "history": [],
        },
        tmp_path / "laptop.json",
    )

    result = ok(invoke("merge", str(theirs), "--json"))

    assert json.loads(result.stdout) == {
        "dry_run": False,
        "changes": [
            {
                "ref": X,
                "status": {"from": "done", "to": "in-progress"},
                "new_logs": 1,
                "new_notes": 1,
            },
            {
                "ref": Z,
                "status": {"from": "pending", "to": "skipped"},
                "new_logs": 0,
                "new_notes": 0,
            },
            {
                "ref": GONE,
                "status": {"from": "pending", "to": "done"},
                "new_logs": 0,
                "new_notes": 0,
            },
        ],
        "unknown_refs": [GONE],
        "future_refs": [],
    }
    got = statuses(invoke)
    assert (got[X], got[Y], got[Z]) == ("in-progress", "in-progress", "skipped")


def test_refs_no_loaded_roadmap_has_are_kept_and_listed(
    invoke: Invoke, tmp_path: Path, progress_path: Path
) -> None:
    theirs = progress_file(
        {
            "version": 2,
            "entries": {
                GONE: {"status": "done", "changed": stamp(1), "log": [], "notes": []},
                X: {"status": "done", "changed": stamp(1), "log": [], "notes": []},
            },
            "history": [],
        },
        tmp_path / "old-roadmaps.json",
    )

    result = ok(invoke("merge", str(theirs)))

    assert "1 of them belong to no loaded roadmap and are kept as they are: gone/x" in (
        result.stdout
    )
    ok(invoke("done", Y))  # a later change keeps them too
    kept = make_progress(progress_path.read_text(encoding="utf-8"))
    assert kept.entries[GONE].status == "done"
    assert kept.entries[GONE].changed == at(1)
    assert kept.status(X) == kept.status(Y) == "done"


CORRUPT = [
    pytest.param(b"{bad", 1, "invalid JSON", id="bad-json"),
    pytest.param(b'{"version": 99, "entries": {}}', 1, "newer roadmap-cli", id="version-99"),
    pytest.param(
        b'{"version": 2, "entries": {"short/x": {"status": "finished"}}}',
        1,
        "entries",
        id="bad-entry",
    ),
    pytest.param(None, 2, "no such file", id="missing"),
]


@pytest.mark.parametrize(("content", "code", "problem"), CORRUPT)
@pytest.mark.parametrize("dry_run", [False, True], ids=["merge", "dry-run"])
def test_a_file_that_cannot_be_read_is_named_and_changes_nothing(
    invoke: Invoke,
    tmp_path: Path,
    progress_path: Path,
    content: bytes | None,
    code: int,
    problem: str,
    dry_run: bool,
) -> None:
    ok(invoke("done", X))
    before = progress_path.read_bytes()
    other = tmp_path / "from-laptop.json"
    if content is not None:
        other.write_bytes(content)

    result = invoke("merge", str(other), *(["--dry-run"] if dry_run else []))

    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert str(other) in result.stderr
    assert problem in result.stderr
    assert progress_path.read_bytes() == before
    if content is not None:
        assert other.read_bytes() == content
        assert "Nothing was merged; your progress is unchanged." in result.stderr
        assert "doctor" not in result.stderr  # the advice is about the file to merge


def test_undo_after_a_merge_restores_the_previous_progress_exactly(
    invoke: Invoke, machine_b: Path, progress_path: Path
) -> None:
    ok(invoke("done", X))
    ok(invoke("log", Z, "1h"))
    ok(invoke("note", Z, "mine"))
    before = progress_path.read_bytes()
    shown = (show(invoke, "short"), show(invoke, "long"))
    on(machine_b, invoke, "start", X)
    on(machine_b, invoke, "log", Z, "2h", "--date", "2026-01-04")
    on(machine_b, invoke, "note", Z, "theirs")
    on(machine_b, invoke, "done", Y)
    ok(invoke("merge", str(machine_b / "progress.json")))
    assert statuses(invoke)[X] == "in-progress"

    result = ok(invoke("undo"))

    assert "Undid merge of" in result.stdout
    assert progress_path.read_bytes() == before
    assert (show(invoke, "short"), show(invoke, "long")) == shown
    assert statuses(invoke)[Y] == "pending"


def test_a_version_1_progress_file_is_migrated_and_merged(
    invoke: Invoke, tmp_path: Path, progress_path: Path
) -> None:
    folder = tmp_path / "old-machine"
    old = progress_file(
        {
            "version": 1,
            "entries": {
                X: {"status": "done", "changed": "2025-06-01T12:00:00Z"},
                "long/stanford-cs25": {"status": "done", "changed": "2025-06-02T12:00:00Z"},
            },
        },
        folder / "progress.json",
    )
    text = old.read_bytes()

    result = ok(invoke("merge", str(old)))

    assert "Merged 2 resources:" in result.stdout
    got = statuses(invoke)
    assert got[X] == got["long/stanford-cs25"] == "done"
    saved = json.loads(progress_path.read_text(encoding="utf-8"))
    assert saved["version"] == 2
    # The file merged from is only read: not migrated, no backup written beside it.
    assert old.read_bytes() == text
    assert sorted(p.name for p in folder.iterdir()) == ["progress.json"]


def test_merging_a_copy_of_your_own_progress_merges_nothing(
    invoke: Invoke, tmp_path: Path, progress_path: Path
) -> None:
    ok(invoke("log", Z, "1h", "--date", "2026-01-09"))
    ok(invoke("log", Z, "2h", "--date", "2026-01-05"))
    copy = tmp_path / "copy.json"
    copy.write_bytes(progress_path.read_bytes())
    before = progress_path.read_bytes()

    result = ok(invoke("merge", str(copy), "--json"))

    assert json.loads(result.stdout)["changes"] == []
    assert progress_path.read_bytes() == before


def test_a_note_from_the_other_machine_does_not_undo_our_status(
    invoke: Invoke, machine_b: Path
) -> None:
    ok(invoke("done", X))
    on(machine_b, invoke, "note", X, "worth a second read")  # later; B never marked it

    ok(invoke("merge", str(machine_b / "progress.json")))

    assert statuses(invoke)[X] == "done"
    notes = json.loads(ok(invoke("notes", X, "--json")).stdout)
    assert [n["text"] for n in notes["notes"]] == ["worth a second read"]


# --- what comes from elsewhere is checked: only real changes, each once, never from the future


def test_a_later_timestamp_of_the_same_status_is_written_but_not_reported() -> None:
    ours = {X: entry("done", 1)}
    theirs = {X: entry("done", 5)}  # done again later on the other side: nothing a user sees

    outcome = merge_progress(ours, theirs, source="theirs.json", now=at(24 * 365))

    assert outcome.changes == []
    # ... but it is kept, so that two machines end with identical records
    assert [(item.ref, item.after.changed) for item in outcome.writes] == [(X, at(5))]


def test_a_pending_ref_we_never_had_is_neither_written_nor_reported() -> None:
    outcome = merge_progress({}, {X: entry("pending", 3)}, source="t", now=at(24 * 365))
    assert (outcome.writes, outcome.changes) == ([], [])


def test_identical_logs_of_a_ref_we_do_not_have_are_kept_once() -> None:
    theirs = {GONE: entry("in-progress", 1, logs=[log(3, 1.0, 1)] * 10_000)}

    [found] = merge_entries({}, theirs)

    assert [item.hours for item in found.after.log] == [1.0]
    assert found.new_logs == 1


def test_a_change_dated_more_than_a_day_ahead_is_not_taken() -> None:
    now = at(100)
    ours = {X: entry("in-progress", 50), Y: entry("pending", 50)}
    theirs = {
        X: Entry(status="done", changed=datetime(9999, 1, 1, tzinfo=UTC)),
        Y: entry("done", 100 + 23),  # within a day: a clock a little ahead is fine
    }

    outcome = merge_progress(ours, theirs, source="t", now=now)

    assert outcome.future == [X]
    assert [(item.ref, item.after.status) for item in outcome.changes] == [(Y, "done")]


def test_future_logs_and_notes_are_dropped_and_the_rest_merged() -> None:
    theirs = {X: entry("in-progress", 1, logs=[log(3, 1.0, 1), log(4, 1.0, 9_999)])}

    outcome = merge_progress({}, theirs, source="t", now=at(100))

    assert outcome.future == [X]
    [found] = outcome.changes
    assert [item.logged for item in found.after.log] == [at(1)]


def test_a_merge_past_24_hours_on_one_day_is_refused_whole() -> None:
    theirs = {
        X: entry("in-progress", 1, logs=[log(3, 20.0, 1)]),
        Y: entry("in-progress", 1, logs=[log(3, 5.0, 2)]),
    }
    with pytest.raises(MergeError) as raised:
        merge_progress({}, theirs, source="theirs.json", now=at(100))
    message = str(raised.value)
    assert message.startswith("Cannot merge theirs.json: 2026-01-03 would hold 25 h")
    assert message.endswith("Nothing was merged; your progress is unchanged.")


def test_a_resource_in_two_roadmaps_counts_its_time_once_per_day() -> None:
    shared = log(3, 20.0, 1)  # the same log under two REFs: one resource in two roadmaps
    theirs = {X: entry("in-progress", 1, logs=[shared]), Z: entry("in-progress", 1, logs=[shared])}
    assert len(merge_progress({}, theirs, source="t", now=at(100)).changes) == 2


def test_merging_a_future_change_again_after_a_local_one_does_not_bring_it_back(
    invoke: Invoke, tmp_path: Path
) -> None:
    other = progress_file(
        {
            "version": 2,
            "entries": {
                X: {"status": "done", "changed": "9999-01-01T00:00:00Z", "log": [], "notes": []},
                Y: {"status": "done", "changed": stamp(1), "log": [], "notes": []},
            },
        },
        tmp_path / "from-the-future.json",
    )

    first = invoke("merge", str(other))

    assert first.exit_code == 0, first.output
    assert first.stderr.startswith(f"Warning: {other} has changes dated more than a day ahead")
    assert X in first.stderr
    assert f"Merged 1 resource:\n  {Y}  pending → done" in first.stdout
    ok(invoke("start", X))
    again = invoke("merge", str(other))
    assert again.exit_code == 0, again.output
    assert statuses(invoke)[X] == "in-progress"
    assert "Nothing to merge" in again.stdout


def test_a_status_changed_later_to_the_same_value_is_not_listed(
    invoke: Invoke, machine_b: Path, progress_path: Path
) -> None:
    ok(invoke("done", X))
    on(machine_b, invoke, "done", X)  # the same status, set later on the other machine
    on(machine_b, invoke, "done", Y)
    other = str(machine_b / "progress.json")

    dry = ok(invoke("merge", other, "--dry-run")).stdout
    real = ok(invoke("merge", other)).stdout

    assert dry.splitlines()[:2] == ["Would change 1 resource:", f"  {Y}  pending → done"]
    assert real.splitlines() == ["Merged 1 resource:", f"  {Y}  pending → done"]
    assert "as changed later" not in dry + real
