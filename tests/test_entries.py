"""The progress file's records, its one writer, and the cache that spares validating it again.

What roadmap-cli wrote or validated before is read back from the cache, keyed by the file's
exact bytes; any other bytes (an edit by hand, a file copied over) are validated in full.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli import cache, entries, models
from roadmap_cli.entries import Change, Entry, LogEntry, Note, ProgressFile
from roadmap_cli.errors import ProgressFileError
from roadmap_cli.store import Store
from tests.records_from import make_progress

EAST = timezone(timedelta(hours=2))
MOMENT = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)


def rich_progress() -> ProgressFile:
    """Progress with every kind of record: logs, notes, history, a time zone, microseconds."""
    logged = Entry(
        "in-progress",
        MOMENT,
        (LogEntry(date(2026, 3, 4), 1.5, MOMENT), LogEntry(date(2026, 3, 5), 2.0, MOMENT)),
        (Note("Redo lecture 3\nand its exercises", datetime(2026, 3, 6, 9, 0, tzinfo=EAST)),),
    )
    done = Entry("done", datetime(2026, 3, 1, tzinfo=EAST))
    change = Change(MOMENT, "log", ("long/a",), {"long/a": None, "short/b": done})
    return ProgressFile(2, {"long/a": logged, "short/b": done}, (change,))


@pytest.fixture
def cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROADMAP_CLI_NO_CACHE", raising=False)


def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the progress file's validations from now on."""
    count: list[int] = []
    real = models.ProgressFile.model_validate_json

    def counting(*args: Any, **kwargs: Any) -> Any:
        count.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(models.ProgressFile, "model_validate_json", counting)
    return count


def test_the_file_format_is_the_schema_s_own() -> None:
    progress = rich_progress()
    written = entries.to_json(progress)

    validated = models.ProgressFile.model_validate_json(written, strict=True)
    # Written as Pydantic writes the validated file, and read back as the same records.
    assert written == (validated.model_dump_json(indent=2) + "\n").encode()
    assert entries.from_model(validated) == progress
    text = written.decode()
    assert '"changed": "2026-03-04T05:06:07.890123Z"' in text
    assert '"added": "2026-03-06T09:00:00+02:00"' in text


def test_a_snapshot_leaves_the_undo_history_out() -> None:
    written = json.loads(entries.to_json(rich_progress(), history=False))

    assert set(written) == {"version", "entries"}


def test_records_keep_everything_through_plain_values() -> None:
    progress = rich_progress()

    assert entries.from_plain(entries.to_plain(progress)) == progress


def test_what_was_saved_is_read_back_without_validating_it(
    progress_path: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(progress_path)
    with store.update("log") as changes:
        changes.add_log("long/a", date(2026, 3, 4), 1.5)
        changes.add_note("long/a", "Redo lecture 3")
    # A second change keeps the plain values of the entries it did not touch.
    with store.update("done") as changes:
        changes.set_status("short/b", "done")
    saved = store.load()
    count = validations(monkeypatch)

    again = Store(progress_path).load()

    assert count == []
    assert again == saved == make_progress(progress_path.read_bytes())
    assert again.entries["long/a"].hours_logged == 1.5


def test_a_file_read_once_is_validated_once(
    progress_path: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress_path.parent.mkdir(parents=True, exist_ok=True)
    progress_path.write_bytes(entries.to_json(rich_progress()))
    count = validations(monkeypatch)

    first = Store(progress_path).load()
    second = Store(progress_path).load()

    assert len(count) == 1
    assert first == second == rich_progress()


def test_a_hand_edit_of_the_same_size_and_time_is_read_afresh(
    progress_path: Path, cache_on: None
) -> None:
    progress_path.parent.mkdir(parents=True, exist_ok=True)
    progress_path.write_bytes(entries.to_json(rich_progress()))
    Store(progress_path).load()
    stat = progress_path.stat()
    edited = progress_path.read_bytes().replace(
        b"2026-03-01T00:00:00+02:00", b"2026-03-02T00:00:00+02:00"
    )
    progress_path.write_bytes(edited)
    os.utime(progress_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    progress = Store(progress_path).load()

    assert progress.entries["short/b"].changed == datetime(2026, 3, 2, tzinfo=EAST)


def test_a_hand_edit_that_breaks_the_file_is_reported_not_served_from_the_cache(
    progress_path: Path, cache_on: None
) -> None:
    store = Store(progress_path)
    with store.update("done") as changes:
        changes.set_status("long/a", "done")
    broken = progress_path.read_bytes().replace(b'"done"', b'"finished"')
    progress_path.write_bytes(broken)

    with pytest.raises(ProgressFileError) as error:
        Store(progress_path).load()

    assert "entries.long/a.status" in str(error.value)
    assert progress_path.read_bytes() == broken  # nothing lost


def test_without_the_cache_every_read_validates(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_CLI_NO_CACHE", "1")
    store = Store(progress_path)
    with store.update("done") as changes:
        changes.set_status("long/a", "done")
    count = validations(monkeypatch)

    Store(progress_path).load()
    Store(progress_path).load()

    assert len(count) == 2


def test_a_file_put_back_as_it_was_is_still_read_without_validating(
    progress_path: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(progress_path)
    with store.update("done") as changes:
        changes.set_status("long/a", "done")
    earlier = progress_path.read_bytes()
    with store.update("done") as changes:
        changes.set_status("short/b", "done")
    progress_path.write_bytes(earlier)  # a copy put back, a restore
    count = validations(monkeypatch)

    progress = Store(progress_path).load()

    assert count == []
    assert progress == make_progress(earlier)


def test_only_the_latest_versions_of_the_file_are_kept(
    progress_path: Path, cache_on: None, tmp_path: Path
) -> None:
    store = Store(progress_path)
    for ref in ("long/a", "long/b", "long/c", "long/d"):
        with store.update("done") as changes:
            changes.set_status(ref, "done")

    kept = list((tmp_path / "cache" / "progress").iterdir())

    assert len(kept) == cache.VERSIONS


def test_doctor_s_prune_removes_the_entries_of_a_progress_file_that_is_gone(
    progress_path: Path, cache_on: None, tmp_path: Path
) -> None:
    with Store(progress_path).update("done") as changes:
        changes.set_status("long/a", "done")
    progress_path.unlink()

    assert cache.prune() == [progress_path]
    assert list((tmp_path / "cache" / "progress").iterdir()) == []
