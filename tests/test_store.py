"""The progress store: strict reading, locked changes, atomic replacement of progress.json."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import filelock
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_cli import paths
from roadmap_cli.entries import HISTORY_LIMIT, STATUSES, Action, Change, Entry, ProgressFile, Status
from roadmap_cli.errors import LockTimeoutError, ProgressFileError, StoreWriteError
from roadmap_cli.store import DEFAULT_LOCK_TIMEOUT, Changes, Store
from roadmap_cli.tracker import ACTION_OF

OLD = "2024-01-02T03:04:05Z"
OLD_TIME = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


# --- helpers -------------------------------------------------------------------------------


def mark(store: Store, ref: str, status: Status = "done") -> bool:
    with store.update() as changes:
        return changes.set_status(ref, status)


def progress_json(entries: dict[str, str]) -> bytes:
    """A valid current-format progress file with each REF at the given status, changed at OLD."""
    body = {
        "version": 2,
        "entries": {ref: {"status": status, "changed": OLD} for ref, status in entries.items()},
    }
    return (json.dumps(body, indent=2) + "\n").encode()


def mark_recording(store: Store, ref: str, reached: list[str]) -> None:
    """Mark `ref` done, noting in `reached` that the body of the update ran."""
    with store.update() as changes:
        reached.append(ref)
        changes.set_status(ref, "done")


def entry_doc(entry: dict[str, object]) -> bytes:
    """A progress file whose one entry, for REF a/b, is `entry`."""
    return json.dumps({"version": 2, "entries": {"a/b": entry}}).encode()


GOOD_LOG: dict[str, object] = {"day": "2026-01-30", "hours": 1.5, "logged": "2026-01-31T12:00:00Z"}
GOOD_NOTE: dict[str, object] = {"text": "Lecture 3 again", "added": "2026-01-31T12:00:00Z"}


def log_doc(**changes: object) -> bytes:
    """A progress file whose entry a/b holds one log entry: GOOD_LOG with `changes`."""
    log = {**GOOD_LOG, **changes}
    return entry_doc({"status": "in-progress", "changed": GOOD_LOG["logged"], "log": [log]})


def note_doc(**changes: object) -> bytes:
    """A progress file whose entry a/b holds one note: GOOD_NOTE with `changes`."""
    note = {**GOOD_NOTE, **changes}
    return entry_doc({"status": "done", "changed": GOOD_NOTE["added"], "notes": [note]})


def history_doc(changes: list[dict[str, object]]) -> bytes:
    return json.dumps({"version": 2, "entries": {}, "history": changes}).encode()


ONE_CHANGE: dict[str, object] = {
    "at": "2026-01-31T12:00:00Z",
    "action": "done",
    "refs": ["a/b"],
    "before": {"a/b": None},
}


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".progress.json.*.tmp"))


def statuses(progress: ProgressFile) -> dict[str, str]:
    return {ref: entry.status for ref, entry in progress.entries.items()}


def os_error(code: int) -> Callable[..., Any]:
    def fail(*args: object, **kwargs: object) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


HOLD_LOCK = """
import sys, filelock
lock = filelock.FileLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.readline()
lock.release()
"""

TRY_LOCK = """
import sys, filelock
try:
    filelock.FileLock(sys.argv[1], timeout=0).acquire()
except filelock.Timeout:
    print("busy")
else:
    print("free")
"""


@contextlib.contextmanager
def lock_held_elsewhere(lock_path: Path) -> Iterator[None]:
    """Hold the lock from another process until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline() == "locked\n"
        yield
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()


@pytest.fixture
def kept_locks(monkeypatch: pytest.MonkeyPatch) -> list[filelock.BaseFileLock]:
    """Keep every lock the store creates alive, so that only an explicit release frees it."""
    created: list[filelock.BaseFileLock] = []
    real = filelock.FileLock

    def keep(*args: Any, **kwargs: Any) -> filelock.BaseFileLock:
        lock = real(*args, **kwargs)
        created.append(lock)
        return lock

    monkeypatch.setattr(filelock, "FileLock", keep)
    return created


def lock_is_free(lock_path: Path) -> bool:
    """Whether another process can take the lock right now."""
    out = subprocess.run(
        [sys.executable, "-c", TRY_LOCK, str(lock_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    return out == "free\n"


# --- basics --------------------------------------------------------------------------------


def test_missing_file_loads_as_empty_progress_without_creating_it(progress_path: Path) -> None:
    progress = Store(progress_path).load()

    assert progress == ProgressFile(version=2, entries={}, history=())
    assert not progress_path.exists()
    assert not progress_path.parent.exists()


def test_change_is_saved_and_loads_back_equal(progress_path: Path) -> None:
    store = Store(progress_path)
    before = datetime.now(UTC)
    with store.update() as changes:
        assert changes.set_status("py/intro", "done") is True
        assert changes.set_status("py/loops", "done") is True
        saved = changes.progress
    after = datetime.now(UTC)

    assert store.load() == saved
    data = json.loads(progress_path.read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert {ref: e["status"] for ref, e in data["entries"].items()} == {
        "py/intro": "done",
        "py/loops": "done",
    }
    for entry in data["entries"].values():
        changed = datetime.fromisoformat(entry["changed"])
        assert changed.tzinfo is not None
        assert before <= changed <= after


def test_update_without_change_does_not_create_the_file(progress_path: Path) -> None:
    with Store(progress_path).update() as changes:
        assert changes.set_status("py/intro", "pending") is False

    assert not progress_path.exists()
    assert temp_files(progress_path.parent) == []


def test_update_without_change_does_not_rewrite_the_file(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(progress_json({"py/intro": "done"}))
    os.utime(progress_path, ns=(1_000_000_000, 1_000_000_000))
    before = progress_path.stat()

    with Store(progress_path).update() as changes:
        assert changes.set_status("py/intro", "done") is False
        assert changes.set_status("py/other", "pending") is False

    after = progress_path.stat()
    assert progress_path.read_bytes() == progress_json({"py/intro": "done"})
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_set_status_reports_whether_it_changed_anything(progress_path: Path) -> None:
    store = Store(progress_path)
    with store.update() as changes:
        assert changes.set_status("py/intro", "done") is True
        assert changes.set_status("py/intro", "done") is False
    assert mark(store, "py/intro", "done") is False
    assert mark(store, "py/intro", "pending") is True
    assert mark(store, "py/intro", "pending") is False


def test_reset_is_recorded_with_a_newer_time_not_dropped(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(progress_json({"py/intro": "done", "py/loops": "done"}))

    assert mark(Store(progress_path), "py/intro", "pending") is True

    progress = Store(progress_path).load()
    assert statuses(progress) == {"py/intro": "pending", "py/loops": "done"}
    assert progress.entries["py/intro"].changed > OLD_TIME
    assert progress.entries["py/intro"].changed.tzinfo is not None
    # The entry that did not change keeps its time.
    assert progress.entries["py/loops"] == Entry(status="done", changed=OLD_TIME)


def test_update_keeps_entries_it_did_not_touch(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(progress_json({"a/one": "done", "b/two": "pending"}))

    mark(Store(progress_path), "c/three")

    progress = Store(progress_path).load()
    assert statuses(progress) == {"a/one": "done", "b/two": "pending", "c/three": "done"}
    assert progress.entries["a/one"].changed == OLD_TIME


def test_error_in_the_caller_saves_nothing_and_releases_the_lock(
    progress_path: Path, kept_locks: list[filelock.BaseFileLock]
) -> None:
    store = Store(progress_path)
    mark(store, "py/intro")
    before = progress_path.read_bytes()

    def change_then_fail() -> None:
        with store.update() as changes:
            changes.set_status("py/loops", "done")
            raise KeyError("boom")

    with pytest.raises(KeyError):
        change_then_fail()

    assert progress_path.read_bytes() == before
    assert lock_is_free(paths.lock_file(progress_path))


# --- atomic write --------------------------------------------------------------------------


def test_successful_writes_leave_no_temp_files(progress_path: Path) -> None:
    store = Store(progress_path)
    for ref in ("a/one", "a/two", "a/three"):
        mark(store, ref)
    mark(store, "a/one", "pending")

    assert temp_files(progress_path.parent) == []
    names = sorted(p.name for p in progress_path.parent.iterdir())
    assert [name for name in names if name != "progress.json.lock"] == ["progress.json"]


WRITE_FAILURES = [
    pytest.param("os.replace", errno.ENOSPC, "No space left on device", id="replace-ENOSPC"),
    pytest.param("os.replace", errno.EACCES, "Permission denied", id="replace-EACCES"),
    pytest.param("os.fsync", errno.ENOSPC, "No space left on device", id="fsync-ENOSPC"),
    pytest.param("os.fsync", errno.EACCES, "Permission denied", id="fsync-EACCES"),
    pytest.param("tempfile.mkstemp", errno.ENOSPC, "No space left on device", id="mkstemp-ENOSPC"),
    pytest.param("tempfile.mkstemp", errno.EACCES, "Permission denied", id="mkstemp-EACCES"),
]


def patch_failure(monkeypatch: pytest.MonkeyPatch, target: str, code: int) -> None:
    module, name = target.split(".")
    monkeypatch.setattr({"os": os, "tempfile": tempfile}[module], name, os_error(code))


@pytest.mark.parametrize(("target", "code", "problem"), WRITE_FAILURES)
def test_failed_write_reports_and_keeps_the_old_file(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, code: int, problem: str
) -> None:
    store = Store(progress_path)
    mark(store, "py/intro")
    before = progress_path.read_bytes()

    with monkeypatch.context() as m:
        patch_failure(m, target, code)
        with pytest.raises(StoreWriteError) as info:
            mark(store, "py/loops")

    assert info.value.exit_code == 1
    message = str(info.value)
    assert str(progress_path) in message
    assert problem in message
    assert progress_path.read_bytes() == before
    assert temp_files(progress_path.parent) == []
    assert statuses(store.load()) == {"py/intro": "done"}


@pytest.mark.parametrize(("target", "code", "problem"), WRITE_FAILURES[:2])
def test_failed_first_write_creates_no_progress_file(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, code: int, problem: str
) -> None:
    patch_failure(monkeypatch, target, code)

    with pytest.raises(StoreWriteError, match=problem):
        mark(Store(progress_path), "py/intro")

    assert not progress_path.exists()
    assert temp_files(progress_path.parent) == []


@pytest.mark.parametrize(("target", "code", "problem"), WRITE_FAILURES)
def test_failed_write_releases_the_lock(
    progress_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kept_locks: list[filelock.BaseFileLock],
    target: str,
    code: int,
    problem: str,
) -> None:
    with monkeypatch.context() as m:
        patch_failure(m, target, code)
        with pytest.raises(StoreWriteError):
            mark(Store(progress_path), "py/intro")

    assert lock_is_free(paths.lock_file(progress_path))
    assert mark(Store(progress_path, lock_timeout=0), "py/intro") is True
    assert statuses(Store(progress_path).load()) == {"py/intro": "done"}


def test_data_folder_that_is_a_file_is_reported(data_dir: Path, progress_path: Path) -> None:
    data_dir.write_bytes(b"not a folder")

    with pytest.raises(StoreWriteError) as info:
        mark(Store(progress_path), "py/intro")

    assert info.value.exit_code == 1
    assert str(info.value) == (
        f"Cannot save progress: {data_dir} should be a folder but is a file. Move that file "
        "away or set ROADMAP_CLI_DATA_DIR to another folder; nothing was changed."
    )
    assert data_dir.read_bytes() == b"not a folder"


def test_temp_file_of_a_killed_writer_is_cleared_by_the_next_write(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, "py/intro")
    leftover = progress_path.parent / ".progress.json.k1ll3d.tmp"
    leftover.write_bytes(b'{"version": 1, "entr')

    assert statuses(store.load()) == {"py/intro": "done"}
    assert store.stale_temp_files() == [leftover]

    mark(store, "py/loops")

    assert temp_files(progress_path.parent) == []
    assert statuses(store.load()) == {"py/intro": "done", "py/loops": "done"}


def test_move_aside_keeps_the_file_and_starts_fresh(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(b"{broken")

    first = Store(progress_path).move_aside()
    progress_path.write_bytes(b"{broken again")
    second = Store(progress_path).move_aside()

    assert first != second
    assert first.parent == second.parent == progress_path.parent
    assert first.name.startswith("progress.json.broken-")
    assert (first.read_bytes(), second.read_bytes()) == (b"{broken", b"{broken again")
    assert not progress_path.exists()
    assert Store(progress_path).load() == ProgressFile(version=2, entries={}, history=())


def test_move_aside_without_a_file_is_reported(progress_path: Path) -> None:
    with pytest.raises(StoreWriteError) as info:
        Store(progress_path).move_aside()

    assert info.value.exit_code == 1
    assert str(progress_path) in str(info.value)
    assert "No such file or directory" in str(info.value)


def test_missing_data_folder_is_created_on_first_change(progress_path: Path) -> None:
    nested = progress_path.parent / "deeper" / "still" / "progress.json"

    mark(Store(nested), "py/intro")

    assert statuses(Store(nested).load()) == {"py/intro": "done"}


# --- unreadable progress files -------------------------------------------------------------

CHANGED = "2026-01-31T12:00:00Z"

UNREADABLE = [
    pytest.param(
        b'{\n  "version": 1,\n  "entries": {',
        "line 3 column 15: invalid JSON",
        id="truncated",
    ),
    pytest.param(b"", "it is empty", id="empty"),
    pytest.param(b"  \n\t\r\n ", "it is empty", id="whitespace"),
    pytest.param(b"\x00\x00\x00\x00", "invalid JSON", id="nul-bytes"),
    pytest.param(
        b'{"version": 1, "entries": {"\xff\xfe": 1}}', "it is not UTF-8 text (byte 29)", id="latin"
    ),
    pytest.param(b'{"version": NaN, "entries": {}}', "NaN is not a number", id="nan"),
    pytest.param(b'{"version": Infinity, "entries": {}}', "Infinity is not a number", id="inf"),
    pytest.param(
        b'{"version": 1, "entries": {}, "x": -Infinity}', "-Infinity is not a number", id="-inf"
    ),
    pytest.param(
        b'{"version": 1e999, "entries": {}}', "version: Input should be a valid integer", id="1e999"
    ),
    pytest.param(
        b'{"version": ' + b"1" * 5000 + b', "entries": {}}', "too many digits", id="5000-digits"
    ),
    pytest.param(
        b'{"version": "1", "entries": {}}', "version: Input should be a valid integer", id="v-str"
    ),
    pytest.param(
        b'{"version": 1.0, "entries": {}}', "version: Input should be a valid integer", id="v-float"
    ),
    pytest.param(
        b'{"version": 0, "entries": {}}',
        "format version 0 is not one roadmap-cli knows",
        id="v-zero",
    ),
    pytest.param(
        b'{"version": -3, "entries": {}}',
        "format version -3 is not one roadmap-cli knows",
        id="v-negative",
    ),
    pytest.param(b'{"entries": {}}', "version: Field required", id="no-version"),
    pytest.param(
        b'{"version": 2, "entries": []}', "entries: Input should be an object", id="entries-list"
    ),
    pytest.param(
        entry_doc({"status": 5, "changed": CHANGED}),
        "entries.a/b.status: Input should be 'pending', 'in-progress', 'done' or 'skipped'",
        id="status-int",
    ),
    pytest.param(
        entry_doc({"status": "finished", "changed": CHANGED}),
        "entries.a/b.status: Input should be 'pending', 'in-progress', 'done' or 'skipped'",
        id="status-finished",
    ),
    pytest.param(
        b'{"version": 2, "entries": {"a/b": {"status": "done", "changed": 12345}}}',
        "entries.a/b.changed: Input should be a valid datetime",
        id="changed-int",
    ),
    pytest.param(
        b'{"version": 2, "entries": {"a/b": {"status": "done", "changed": "2026-01-31T12:00:00"}}}',
        "entries.a/b.changed: must include a time zone, e.g. 2026-01-31T12:00:00Z",
        id="changed-naive",
    ),
    pytest.param(
        b'{"version": 2, "entries": {"a/b": {"status": "done"}}}',
        "entries.a/b.changed: Field required",
        id="changed-missing",
    ),
    pytest.param(
        b'{"version": 2, "entries": {}, "extra": true}',
        "extra: Extra inputs are not permitted",
        id="unknown-top-key",
    ),
    pytest.param(
        entry_doc({"status": "done", "changed": CHANGED, "note": 1}),
        "entries.a/b.note: Extra inputs are not permitted",
        id="unknown-entry-key",
    ),
    pytest.param(
        b'{"version": 99, "entries": {}}',
        "it was written by a newer roadmap-cli (format version 99",
        id="newer-version",
    ),
    pytest.param(b'[{"version": 1}]', "top level: Input should be an object", id="top-list"),
    pytest.param(b'"progress"', "top level: Input should be an object", id="top-string"),
    pytest.param(
        b'\xef\xbb\xbf{"version": 1, "entries": {}}', "invalid JSON", id="byte-order-mark"
    ),
    # A version 1 file is migrated in memory, and validated all the same.
    pytest.param(
        b'{"version": 1, "entries": {"a/b": {"status": "finished", '
        b'"changed": "2026-01-31T12:00:00Z"}}}',
        "entries.a/b.status: Input should be 'pending', 'in-progress', 'done' or 'skipped'",
        id="v1-status-finished",
    ),
    pytest.param(
        b'{"version": 1, "entries": {"a/b": {"status": "done", "changed": "2026-01-31T12:00:00"}}}',
        "entries.a/b.changed: must include a time zone",
        id="v1-changed-naive",
    ),
    # Time logs: more than zero and at most 24 hours on a real day, nothing else.
    pytest.param(
        log_doc(hours=0), "entries.a/b.log.0.hours: Input should be greater than 0", id="log-0h"
    ),
    pytest.param(
        log_doc(hours=-1.5),
        "entries.a/b.log.0.hours: Input should be greater than 0",
        id="log-negative",
    ),
    pytest.param(
        log_doc(hours=25),
        "entries.a/b.log.0.hours: Input should be less than or equal to 24",
        id="log-25h",
    ),
    pytest.param(log_doc(hours="X").replace(b'"X"', b"NaN"), "NaN is not a number", id="log-nan"),
    pytest.param(
        log_doc(hours="X").replace(b'"X"', b"1e999"),
        "entries.a/b.log.0.hours: Input should be a finite number",
        id="log-1e999",
    ),
    pytest.param(
        log_doc(hours="1.5"),
        "entries.a/b.log.0.hours: Input should be a valid number",
        id="log-hours-text",
    ),
    pytest.param(
        log_doc(day="2026-02-30"),
        "entries.a/b.log.0.day: Input should be a valid date",
        id="log-day-feb-30",
    ),
    pytest.param(
        log_doc(day="yesterday"),
        "entries.a/b.log.0.day: Input should be a valid date",
        id="log-day-word",
    ),
    pytest.param(
        log_doc(day="2026-01-30T00:00:00Z"),
        "entries.a/b.log.0.day: Input should be a valid date",
        id="log-day-with-time",
    ),
    pytest.param(
        log_doc(minutes=30),
        "entries.a/b.log.0.minutes: Extra inputs are not permitted",
        id="log-unknown-key",
    ),
    pytest.param(
        log_doc(logged="2026-01-31T12:00:00"),
        "entries.a/b.log.0.logged: must include a time zone",
        id="log-logged-naive",
    ),
    pytest.param(
        entry_doc({"status": "done", "changed": CHANGED, "log": {}}),
        "entries.a/b.log: Input should be a valid array",
        id="log-not-a-list",
    ),
    # Notes: dated text that is safe to print.
    pytest.param(
        note_doc(text="  "), "entries.a/b.notes.0.text: must not be empty", id="note-empty"
    ),
    pytest.param(
        note_doc(text="see \x1b[2J here"),
        "entries.a/b.notes.0.text: must not contain control or bidirectional characters "
        "(found U+001B)",
        id="note-escape",
    ),
    pytest.param(
        note_doc(text="x" * 10_001),
        "entries.a/b.notes.0.text: must be at most 10,000 characters long",
        id="note-too-long",
    ),
    pytest.param(
        note_doc(added="2026-01-31T12:00:00"),
        "entries.a/b.notes.0.added: must include a time zone",
        id="note-added-naive",
    ),
    pytest.param(
        note_doc(by="me"), "entries.a/b.notes.0.by: Extra inputs are not permitted", id="note-key"
    ),
    pytest.param(
        entry_doc({"status": "done", "changed": CHANGED, "notes": ["plain text"]}),
        "entries.a/b.notes.0: Input should be an object",
        id="note-not-an-object",
    ),
    # The undo history: known actions, at most HISTORY_LIMIT changes.
    pytest.param(
        history_doc([{**ONE_CHANGE, "action": "delete"}]),
        "history.0.action: Input should be 'done', 'reset', 'start', 'skip', 'log'",
        id="history-action",
    ),
    pytest.param(
        history_doc([ONE_CHANGE] * 101),
        "history: List should have at most 100 items",
        id="history-too-long",
    ),
]


def assert_unreadable(error: ProgressFileError, path: Path, problem: str) -> None:
    message = str(error)
    assert error.exit_code == 1
    assert message.startswith(f"Cannot read the progress file {path}: ")
    assert problem in message


@pytest.mark.parametrize(("content", "problem"), UNREADABLE)
def test_load_refuses_unreadable_file(progress_path: Path, content: bytes, problem: str) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(content)

    with pytest.raises(ProgressFileError) as info:
        Store(progress_path).load()

    assert_unreadable(info.value, progress_path, problem)
    assert progress_path.read_bytes() == content


@pytest.mark.parametrize(("content", "problem"), UNREADABLE)
def test_update_refuses_unreadable_file_and_never_writes(
    progress_path: Path, kept_locks: list[filelock.BaseFileLock], content: bytes, problem: str
) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(content)
    reached: list[str] = []

    with pytest.raises(ProgressFileError) as info:
        mark_recording(Store(progress_path), "a/b", reached)

    assert_unreadable(info.value, progress_path, problem)
    assert reached == []
    assert progress_path.read_bytes() == content
    assert temp_files(progress_path.parent) == []
    assert list(progress_path.parent.glob("*.bak*")) == []  # nothing migrated, nothing backed up
    assert lock_is_free(paths.lock_file(progress_path))


def test_newer_version_message_tells_the_user_to_upgrade(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(b'{"version": 99, "entries": {}}')

    with pytest.raises(ProgressFileError) as info:
        Store(progress_path).load()

    message = str(info.value)
    assert message.startswith(
        f"Cannot read the progress file {progress_path}: it was written by a newer roadmap-cli "
        "(format version 99; this one reads up to 2). Upgrade roadmap-cli to use it."
    )


def test_progress_path_that_is_a_folder_is_refused(progress_path: Path) -> None:
    (progress_path / "inside").mkdir(parents=True)

    with pytest.raises(ProgressFileError) as info:
        Store(progress_path).load()
    assert_unreadable(info.value, progress_path, "it is a folder, not a file")

    with pytest.raises(ProgressFileError) as info:
        mark(Store(progress_path), "a/b")
    assert_unreadable(info.value, progress_path, "it is a folder, not a file")
    assert [p.name for p in progress_path.iterdir()] == ["inside"]


def test_file_that_cannot_be_read_is_reported(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(progress_json({"a/b": "done"}))
    monkeypatch.setattr(Path, "read_bytes", os_error(errno.EACCES))

    with pytest.raises(ProgressFileError) as info:
        Store(progress_path).load()

    assert_unreadable(info.value, progress_path, "it cannot be read (Permission denied)")


DEEP = 100_000


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"[" * DEEP, id="open-arrays"),
        pytest.param(
            b'{"version": 1, "entries": ' + b"[" * DEEP + b"]" * DEEP + b"}", id="nested-arrays"
        ),
        pytest.param(b'{"a":' * DEEP + b"1" + b"}" * DEEP, id="nested-objects"),
    ],
)
def test_deeply_nested_json_is_an_unreadable_file(progress_path: Path, content: bytes) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(content)

    with pytest.raises(ProgressFileError) as info:
        Store(progress_path).load()

    assert_unreadable(info.value, progress_path, "nested far too deeply")
    with pytest.raises(ProgressFileError):
        mark(Store(progress_path), "a/b")
    assert progress_path.read_bytes() == content


# --- locking -------------------------------------------------------------------------------


def test_update_waits_for_the_lock_then_gives_up(progress_path: Path) -> None:
    store = Store(progress_path, lock_timeout=0.3)
    mark(store, "py/intro")
    before = progress_path.read_bytes()
    reached: list[str] = []

    with lock_held_elsewhere(paths.lock_file(progress_path)):
        started = time.monotonic()
        with pytest.raises(LockTimeoutError) as info:
            mark_recording(store, "py/loops", reached)
        waited = time.monotonic() - started

    assert info.value.exit_code == 1
    assert "Another roadmap command is running" in str(info.value)
    assert "more than 0.3 s; nothing was changed" in str(info.value)
    assert waited >= 0.25
    assert reached == []
    assert progress_path.read_bytes() == before
    assert temp_files(progress_path.parent) == []
    # Once the other command has finished, changes go through again.
    assert mark(store, "py/loops") is True
    assert statuses(store.load()) == {"py/intro": "done", "py/loops": "done"}


def test_held_lock_does_not_stop_reading(progress_path: Path) -> None:
    mark(Store(progress_path), "py/intro")

    with lock_held_elsewhere(paths.lock_file(progress_path)):
        assert statuses(Store(progress_path, lock_timeout=0).load()) == {"py/intro": "done"}


def test_stale_lock_file_does_not_block(progress_path: Path) -> None:
    lock_path = paths.lock_file(progress_path)
    lock_path.parent.mkdir(parents=True)
    lock_path.write_text("12345\n")

    assert mark(Store(progress_path, lock_timeout=0), "py/intro") is True
    assert statuses(Store(progress_path).load()) == {"py/intro": "done"}


def test_lock_file_sits_next_to_the_progress_file(progress_path: Path) -> None:
    assert Store(progress_path).lock_path == progress_path.parent / "progress.json.lock"


def test_lock_timeout_comes_from_the_environment(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_CLI_LOCK_TIMEOUT", "0.2")
    store = Store(progress_path)
    mark(store, "py/intro")

    assert store.lock_timeout == 0.2
    with (
        lock_held_elsewhere(paths.lock_file(progress_path)),
        pytest.raises(LockTimeoutError) as info,
    ):
        mark(store, "py/loops")
    assert "more than 0.2 s" in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.5", 2.5),
        ("0", 0.0),
        ("", DEFAULT_LOCK_TIMEOUT),
        ("soon", DEFAULT_LOCK_TIMEOUT),
        ("-1", DEFAULT_LOCK_TIMEOUT),
        ("inf", DEFAULT_LOCK_TIMEOUT),
        ("nan", DEFAULT_LOCK_TIMEOUT),
    ],
)
def test_lock_timeout_setting(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, expected: float
) -> None:
    monkeypatch.setenv("ROADMAP_CLI_LOCK_TIMEOUT", value)
    assert Store(progress_path).lock_timeout == expected


def test_lock_timeout_defaults_to_ten_seconds_and_argument_wins(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Store(progress_path).lock_timeout == 10.0
    monkeypatch.setenv("ROADMAP_CLI_LOCK_TIMEOUT", "3")
    assert Store(progress_path, lock_timeout=1.5).lock_timeout == 1.5


CONCURRENT_MARKER = """
import sys
from pathlib import Path
from roadmap_cli.store import Store
store = Store(Path(sys.argv[1]), lock_timeout=60)
for i in range(int(sys.argv[3])):
    with store.update() as changes:
        changes.set_status(f"{sys.argv[2]}/r{i}", "done")
"""


def test_concurrent_commands_do_not_lose_each_others_changes(progress_path: Path) -> None:
    workers, per_worker = 4, 15
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_MARKER, str(progress_path), f"w{n}", str(per_worker)]
        )
        for n in range(workers)
    ]
    assert [proc.wait(timeout=120) for proc in procs] == [0] * workers

    progress = Store(progress_path).load()
    assert len(progress.entries) == workers * per_worker
    assert set(statuses(progress).values()) == {"done"}
    assert temp_files(progress_path.parent) == []


# --- time logs, notes and the undo history -------------------------------------------------

DAY = date(2026, 1, 30)
NEXT_DAY = date(2026, 1, 31)


def write_progress(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def undo_once(store: Store) -> Change | None:
    with store.update() as changes:
        return changes.undo()


@pytest.mark.parametrize(
    "existing",
    [pytest.param({}, id="never-marked"), pytest.param({"py/intro": "pending"}, id="reset")],
)
def test_logging_time_on_a_pending_resource_starts_it(
    progress_path: Path, existing: dict[str, str]
) -> None:
    write_progress(progress_path, progress_json(existing))
    store = Store(progress_path)
    before = datetime.now(UTC)
    with store.update("log") as changes:
        returned = changes.add_log("py/intro", DAY, 1.5)
    after = datetime.now(UTC)

    entry = store.load().entries["py/intro"]
    assert entry == returned
    assert entry.status == "in-progress"
    assert before <= entry.changed <= after
    assert [(item.day, item.hours) for item in entry.log] == [(DAY, 1.5)]
    assert before <= entry.log[0].logged <= after
    assert entry.hours_logged == 1.5


@pytest.mark.parametrize("status", ["done", "in-progress"])
def test_logging_time_keeps_a_started_or_done_status(progress_path: Path, status: str) -> None:
    write_progress(progress_path, progress_json({"py/intro": status}))
    store = Store(progress_path)
    with store.update("log") as changes:
        changes.add_log("py/intro", DAY, 2.0)
    with store.update("log") as changes:
        changes.add_log("py/intro", NEXT_DAY, 0.5)

    entry = store.load().entries["py/intro"]
    assert entry.status == status
    assert entry.changed == OLD_TIME  # the status did not change, so neither did its time
    assert [(item.day, item.hours) for item in entry.log] == [(DAY, 2.0), (NEXT_DAY, 0.5)]
    assert entry.hours_logged == 2.5  # 2.0 + 0.5


def test_notes_are_appended_in_order_with_the_time_they_were_added(progress_path: Path) -> None:
    write_progress(progress_path, progress_json({"py/intro": "done"}))
    store = Store(progress_path)
    before = datetime.now(UTC)
    with store.update("note") as changes:
        changes.add_note("py/intro", "Lecture 3 is the key one")
    with store.update("note") as changes:
        changes.add_note("py/intro", "Redo the exercises\nin chapter 2")
    after = datetime.now(UTC)

    entry = store.load().entries["py/intro"]
    assert [note.text for note in entry.notes] == [
        "Lecture 3 is the key one",
        "Redo the exercises\nin chapter 2",
    ]
    assert before <= entry.notes[0].added <= entry.notes[1].added <= after
    assert (entry.status, entry.changed) == ("done", OLD_TIME)


def test_a_note_on_a_resource_never_marked_leaves_it_pending(progress_path: Path) -> None:
    store = Store(progress_path)
    with store.update("note") as changes:
        changes.add_note("py/intro", "Looks long")

    progress = store.load()
    assert progress.status("py/intro") == "pending"
    assert [note.text for note in progress.entries["py/intro"].notes] == ["Looks long"]


def test_an_update_with_an_action_records_one_change_with_the_entries_before(
    progress_path: Path,
) -> None:
    write_progress(progress_path, progress_json({"py/intro": "in-progress"}))
    store = Store(progress_path)
    intro_before = store.load().entries["py/intro"]
    start = datetime.now(UTC)
    with store.update("done") as changes:
        changes.set_status("py/intro", "done")
        changes.set_status("py/loops", "done")
        changes.set_status("py/oop", "pending")  # already pending: not part of the change
    end = datetime.now(UTC)

    [change] = store.load().history
    assert change.action == "done"
    assert change.refs == ("py/intro", "py/loops")
    assert change.before == {"py/intro": intro_before, "py/loops": None}
    assert start <= change.at <= end


def test_a_ref_touched_twice_in_one_update_is_recorded_as_it_was_first(
    progress_path: Path,
) -> None:
    write_progress(progress_path, progress_json({"py/intro": "pending"}))
    store = Store(progress_path)
    intro_before = store.load().entries["py/intro"]
    with store.update("log") as changes:
        changes.add_log("py/intro", DAY, 1.0)
        changes.add_log("py/intro", NEXT_DAY, 2.0)

    [change] = store.load().history
    assert change.before == {"py/intro": intro_before}
    assert undo_once(store) is not None
    assert store.load().entries == {"py/intro": intro_before}


def test_an_update_without_an_action_is_saved_but_not_undoable(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, "py/intro")

    progress = store.load()
    assert progress.status("py/intro") == "done"
    assert progress.history == ()
    assert undo_once(store) is None
    assert store.load().status("py/intro") == "done"


def test_undo_restores_the_entries_exactly_with_logs_and_notes(progress_path: Path) -> None:
    store = Store(progress_path)
    with store.update("log") as changes:
        changes.add_log("py/intro", DAY, 2.0)
    with store.update("note") as changes:
        changes.add_note("py/intro", "Half way")
    before = store.load().entries
    with store.update("done") as changes:
        changes.set_status("py/intro", "done")
        changes.set_status("py/loops", "done")

    undone = undo_once(store)

    assert undone is not None
    assert (undone.action, undone.refs) == ("done", ("py/intro", "py/loops"))
    progress = store.load()
    assert progress.entries == before
    assert progress.entries["py/intro"].log[0].hours == 2.0
    assert [note.text for note in progress.entries["py/intro"].notes] == ["Half way"]
    assert "py/loops" not in progress.entries
    assert [change.action for change in progress.history] == ["log", "note"]


def test_repeated_undo_walks_back_through_every_change(progress_path: Path) -> None:
    store = Store(progress_path)
    steps: list[tuple[Action, Callable[[Changes], object]]] = [
        ("start", lambda c: c.set_status("py/intro", "in-progress")),
        ("log", lambda c: c.add_log("py/intro", DAY, 1.0)),
        ("note", lambda c: c.add_note("py/loops", "Read chapter 2 first")),
        ("done", lambda c: c.set_status("py/intro", "done")),
        ("skip", lambda c: c.set_status("py/loops", "skipped")),
        ("log", lambda c: c.add_log("py/intro", NEXT_DAY, 0.5)),
    ]
    states = [store.load().entries]
    for action, step in steps:
        with store.update(action) as changes:
            step(changes)
        states.append(store.load().entries)

    undone: list[str] = []
    for expected in reversed(states[:-1]):
        change = undo_once(store)
        assert change is not None
        undone.append(change.action)
        assert store.load().entries == expected

    assert undone == ["log", "skip", "done", "note", "log", "start"]
    assert store.load().entries == {}
    assert undo_once(store) is None


def test_undo_with_nothing_to_undo_creates_no_file(progress_path: Path) -> None:
    assert undo_once(Store(progress_path)) is None
    assert not progress_path.exists()


def test_undo_with_an_empty_history_writes_nothing(progress_path: Path) -> None:
    write_progress(progress_path, progress_json({"py/intro": "done"}))
    os.utime(progress_path, ns=(1_000_000_000, 1_000_000_000))
    before = progress_path.stat()

    assert undo_once(Store(progress_path)) is None

    after = progress_path.stat()
    assert progress_path.read_bytes() == progress_json({"py/intro": "done"})
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_history_keeps_only_the_latest_changes(progress_path: Path) -> None:
    store = Store(progress_path)
    for n in range(HISTORY_LIMIT + 5):
        with store.update("done") as changes:
            changes.set_status(f"py/r{n}", "done")

    history = store.load().history
    assert len(history) == HISTORY_LIMIT
    # The five oldest changes (r0 to r4) were dropped, the rest kept in order.
    assert [change.refs for change in history] == [
        (f"py/r{n}",) for n in range(5, HISTORY_LIMIT + 5)
    ]
    for _ in range(HISTORY_LIMIT):
        assert undo_once(store) is not None
    assert undo_once(store) is None
    assert statuses(store.load()) == {f"py/r{n}": "done" for n in range(5)}


def test_a_change_without_effect_records_nothing_and_writes_nothing(progress_path: Path) -> None:
    store = Store(progress_path)
    with store.update("done") as changes:
        changes.set_status("py/intro", "done")
    before = progress_path.read_bytes()

    with store.update("done") as changes:
        assert changes.set_status("py/intro", "done") is False
    with store.update("reset") as changes:
        assert changes.set_status("py/loops", "pending") is False

    assert progress_path.read_bytes() == before
    assert [change.refs for change in store.load().history] == [("py/intro",)]


OP_ACTION: dict[str, Action] = {"log": "log", "note": "note"}
STORE_OPS = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(["a/one", "b/one"]), st.sampled_from(STATUSES)),
    st.tuples(st.just("log"), st.sampled_from(["a/one", "b/one"]), st.sampled_from([0.25, 24.0])),
    st.tuples(st.just("note"), st.sampled_from(["a/one", "b/one"]), st.sampled_from(["x", "y z"])),
)


@settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(STORE_OPS, max_size=8))
def test_undo_walks_back_any_sequence_of_changes(ops: list[tuple[str, str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "progress.json")
        states = [store.load().entries]
        for kind, ref, value in ops:
            action: Action = ACTION_OF[value] if kind == "status" else OP_ACTION[kind]
            with store.update(action) as changes:
                if kind == "status":
                    effect = changes.set_status(ref, value)
                elif kind == "log":
                    changes.add_log(ref, DAY, value)
                    effect = True
                else:
                    changes.add_note(ref, value)
                    effect = True
            if effect:
                states.append(store.load().entries)
            assert len(store.load().history) == len(states) - 1

        for expected in reversed(states[:-1]):
            assert undo_once(store) is not None
            assert store.load().entries == expected
        assert undo_once(store) is None


# --- property-based ------------------------------------------------------------------------

REFS = ["a/one", "a/two", "b/one"]
operation = st.tuples(st.sampled_from(REFS), st.sampled_from(["done", "pending"]))


@settings(
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(batches=st.lists(st.lists(operation, max_size=4), max_size=8))
def test_store_matches_a_simple_model(batches: list[list[tuple[str, Status]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data" / "progress.json"
        store = Store(path)
        model: dict[str, str] = {}
        for batch in batches:
            with store.update() as changes:
                for ref, status in batch:
                    expected = model.get(ref, "pending") != status
                    assert changes.set_status(ref, status) is expected
                    model[ref] = status

            progress = store.load()
            assert {ref: progress.status(ref) for ref in REFS} == {
                ref: model.get(ref, "pending") for ref in REFS
            }
        assert path.exists() == any(status == "done" for batch in batches for _, status in batch)
        assert temp_files(path.parent) == []


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["done", "pending", OLD, "2026-01-31T12:00:00"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["version", "entries", "status", "changed", "a/b", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
progress_bytes = (
    st.binary(max_size=200)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.builds(
        lambda version, entries: json.dumps({"version": version, "entries": entries}).encode(),
        json_values,
        json_values,
    )
)


@settings(
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(content=progress_bytes)
def test_any_bytes_load_or_raise_progress_file_error(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.json"
        path.write_bytes(content)
        store = Store(path)
        error: ProgressFileError | None = None
        try:
            store.load()
        except ProgressFileError as exc:
            error = exc
        assert path.read_bytes() == content
        if error is not None:
            assert str(path) in str(error)
            with pytest.raises(ProgressFileError):
                mark(store, "a/b")
            assert path.read_bytes() == content


def test_a_wait_for_the_lock_is_announced_once(progress_path: Path) -> None:
    waits: list[float] = []
    store = Store(progress_path, lock_timeout=0.8, on_wait=waits.append)
    with lock_held_elsewhere(paths.lock_file(progress_path)), pytest.raises(LockTimeoutError):
        mark(store, "py/loops")
    assert waits == [0.8]


def test_a_free_lock_is_taken_without_a_word(progress_path: Path) -> None:
    waits: list[float] = []
    mark(Store(progress_path, lock_timeout=5, on_wait=waits.append), "py/loops")
    assert waits == []


def test_the_wait_notice_reaches_stderr_of_a_command(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.LOCK_TIMEOUT_ENV, "1")
    env = {**os.environ, "ROADMAP_CLI_LOCK_TIMEOUT": "1"}
    with lock_held_elsewhere(paths.lock_file(progress_path)):
        done = subprocess.run(
            [sys.executable, "-m", "roadmap_cli", "done", "long/stanford-cs224n"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.count("Waiting for another roadmap command to finish") == 1
    assert "Another roadmap command is running" in done.stderr
    assert not progress_path.exists()


# --- a progress file kept elsewhere through a symbolic link --------------------------------


def test_a_symlinked_progress_file_stays_a_link_and_receives_changes(tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    real = synced / "progress.json"
    real.write_bytes(progress_json({"py/intro": "done"}))
    data = tmp_path / "linked-data"
    data.mkdir()
    link = data / "progress.json"
    link.symlink_to(real)
    store = Store(link)
    assert mark(store, "py/loops") is True
    assert link.is_symlink()
    assert statuses(Store(real).load()) == {"py/intro": "done", "py/loops": "done"}
    assert temp_files(synced) == []
    assert temp_files(data) == []


def test_a_full_disk_with_no_progress_file_yet_says_nothing_was_saved(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.fsync", os_error(errno.ENOSPC))
    with pytest.raises(StoreWriteError) as info:
        mark(Store(progress_path), "py/intro")
    message = str(info.value)
    assert "No space left on device" in message
    assert "there was no progress file before" in message
    assert "previous progress file" not in message
    assert not progress_path.exists()


@pytest.mark.filterwarnings("ignore:flock not supported")  # filelock says it falls back
def test_a_file_system_without_flock_gets_the_portable_lock(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import fcntl

    def no_flock(fd: int, operation: int) -> None:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    assert mark(Store(progress_path), "py/intro") is True
    assert statuses(Store(progress_path).load()) == {"py/intro": "done"}
    assert lock_is_free(paths.lock_file(progress_path))
