"""`roadmap doctor`, moving a bad progress file aside, and migrating older progress formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli import cache
from roadmap_cli.entries import Entry, ProgressFile
from roadmap_cli.errors import ProgressFileError
from roadmap_cli.store import Store
from tests.conftest import MINE, Invoke, WriteRoadmap
from tests.records_from import make_progress

BROKEN = b'{"version": 1, "entries": {"long/stanford-cs25": '


def findings(invoke: Invoke, *args: str) -> tuple[int, dict[str, Any]]:
    result = invoke("doctor", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_healthy_setup_reports_ok_and_exits_0(invoke: Invoke) -> None:
    assert invoke("done", "long/stanford-cs25").exit_code == 0
    code, report = findings(invoke)
    assert code == 0
    assert {f["severity"] for f in report["findings"]} == {"ok"}
    assert any("1 entry" in f["detail"] for f in report["findings"])


def test_unreadable_progress_is_explained_and_left_alone(
    invoke: Invoke, progress_path: Path
) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(BROKEN)
    result = invoke("doctor")
    assert result.exit_code == 1
    assert str(progress_path) in result.stdout
    assert "line 1 column 50" in " ".join(result.stdout.split())  # where the value is missing
    assert "--move-aside" in result.stdout
    assert progress_path.read_bytes() == BROKEN


def test_move_aside_keeps_the_bad_file_and_starts_fresh(
    invoke: Invoke, progress_path: Path
) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_bytes(BROKEN)
    code, report = findings(invoke, "--move-aside")
    assert code == 0
    moved = Path(report["moved_to"])
    assert moved.parent == progress_path.parent
    assert moved.name.startswith("progress.json.broken-")
    assert moved.read_bytes() == BROKEN
    assert not progress_path.exists()
    assert invoke("done", "long/stanford-cs25").exit_code == 0


def test_move_aside_leaves_a_readable_file_where_it_is(invoke: Invoke, progress_path: Path) -> None:
    assert invoke("done", "long/stanford-cs25").exit_code == 0
    before = progress_path.read_bytes()
    code, report = findings(invoke, "--move-aside")
    assert code == 0
    assert report["moved_to"] is None
    assert progress_path.read_bytes() == before


def test_move_aside_never_overwrites_an_earlier_moved_file(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    moved = []
    for content in (b"first", b"second"):
        progress_path.write_bytes(content)
        moved.append(Store(progress_path).move_aside())
    assert moved[0] != moved[1]
    assert [p.read_bytes() for p in moved] == [b"first", b"second"]


def test_broken_roadmap_file_is_reported_beside_the_good_ones(
    invoke: Invoke, write_roadmap: Callable[..., Path]
) -> None:
    bad = write_roadmap("roadmaps:\n  - id: Bad Id\n", "bad.yaml")
    assert findings(invoke)[0] == 0  # without --roadmaps the bad file is not loaded at all
    result = invoke("--roadmaps", str(bad), "doctor")
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.stdout
    assert "2 roadmaps" in result.stdout  # the shipped file is still checked and fine


def test_progress_for_resources_no_roadmap_has_is_listed_and_kept(
    invoke: Invoke, progress_path: Path, write_roadmap: Callable[..., Path]
) -> None:
    extra = write_roadmap(
        "roadmaps:\n  - id: mine\n    title: Mine\n    resources:\n"
        "      - {id: one, title: One, url: 'https://example.org/one', hours: 1}\n"
    )
    assert invoke("--roadmaps", str(extra), "done", "mine/one").exit_code == 0
    result = invoke("doctor")
    assert result.exit_code == 0
    assert "mine/one" in result.stdout
    assert "kept" in result.stdout
    assert "mine/one" in json.loads(progress_path.read_text())["entries"]
    # Still counted when the roadmap comes back.
    listed = json.loads(invoke("--roadmaps", str(extra), "list", "--json").stdout)
    assert next(r for r in listed if r["id"] == "mine")["done"] == 1


def test_leftover_temp_files_are_reported_then_cleaned_by_the_next_change(
    invoke: Invoke, data_dir: Path
) -> None:
    assert invoke("done", "long/stanford-cs25").exit_code == 0
    leftover = data_dir / ".progress.json.abc123.tmp"
    leftover.write_text("half a file")
    result = invoke("doctor")
    assert result.exit_code == 0
    assert "warning" in result.stdout
    assert leftover.name in result.stdout
    assert invoke("done", "long/stanford-cs224n").exit_code == 0
    assert not leftover.exists()


# A genuine version 1 file, as roadmap-cli 1.x wrote it: statuses only, no logs, notes or
# undo history.
V1 = {
    "version": 1,
    "entries": {"long/stanford-cs25": {"status": "done", "changed": "2026-01-02T03:04:05Z"}},
}
V1_BYTES = (json.dumps(V1, indent=2) + "\n").encode()


def write_v1(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True, exist_ok=True)
    progress_path.write_bytes(V1_BYTES)


def undo_all(store: Store) -> int:
    """Undo until there is nothing left to undo; return how many changes were undone."""
    undone = 0
    while True:
        with store.update() as changes:
            if changes.undo() is None:
                return undone
        undone += 1


def test_version_1_file_is_read_without_writing(progress_path: Path) -> None:
    write_v1(progress_path)

    progress = Store(progress_path).load()

    assert progress == ProgressFile(
        version=2,
        entries={
            "long/stanford-cs25": Entry(
                status="done", changed=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
            )
        },
        history=(),
    )
    assert progress_path.read_bytes() == V1_BYTES
    assert sorted(p.name for p in progress_path.parent.iterdir()) == ["progress.json"]


def test_version_1_file_is_not_rewritten_by_a_change_without_effect(progress_path: Path) -> None:
    write_v1(progress_path)

    with Store(progress_path).update("done") as changes:
        assert changes.set_status("long/stanford-cs25", "done") is False
    with Store(progress_path).update() as changes:
        assert changes.undo() is None  # a version 1 file has nothing to undo

    assert progress_path.read_bytes() == V1_BYTES
    assert not progress_path.with_name("progress.json.v1.bak").exists()


def test_version_1_file_is_migrated_on_the_first_change_with_a_backup(
    progress_path: Path,
) -> None:
    write_v1(progress_path)

    with Store(progress_path).update("done") as changes:
        changes.set_status("long/stanford-cs224n", "done")

    backup = progress_path.with_name("progress.json.v1.bak")
    assert backup.read_bytes() == V1_BYTES
    saved = json.loads(progress_path.read_text(encoding="utf-8"))
    assert saved["version"] == 2
    assert saved["entries"]["long/stanford-cs25"] == {
        "status": "done",
        "changed": "2026-01-02T03:04:05Z",
        "log": [],
        "notes": [],
    }
    assert saved["entries"]["long/stanford-cs224n"]["status"] == "done"
    assert [(c["action"], c["before"]) for c in saved["history"]] == [
        ("done", {"long/stanford-cs224n": None})
    ]


def test_the_backup_is_made_once_and_never_overwritten(progress_path: Path) -> None:
    write_v1(progress_path)
    store = Store(progress_path)
    with store.update("done") as changes:
        changes.set_status("long/stanford-cs224n", "done")

    with store.update("log") as changes:
        changes.add_log("long/stanford-cs224n", date(2026, 11, 20), 1.0)
    assert undo_all(store) == 2

    assert progress_path.with_name("progress.json.v1.bak").read_bytes() == V1_BYTES
    backups = sorted(p.name for p in progress_path.parent.glob("*.bak*"))
    assert backups == ["progress.json.v1.bak"]
    # Undoing both changes brings back what the version 1 file held, now in version 2.
    assert store.load().entries == make_progress(V1_BYTES).entries
    assert json.loads(progress_path.read_text(encoding="utf-8"))["version"] == 2


def test_an_earlier_backup_is_kept_beside_a_new_one(progress_path: Path) -> None:
    write_v1(progress_path)
    earlier = progress_path.with_name("progress.json.v1.bak")
    earlier.write_bytes(b"an earlier backup")

    with Store(progress_path).update("done") as changes:
        changes.set_status("long/stanford-cs224n", "done")

    assert earlier.read_bytes() == b"an earlier backup"
    assert progress_path.with_name("progress.json.v1.bak.1").read_bytes() == V1_BYTES


def test_doctor_reads_a_version_1_file_without_changing_it(
    invoke: Invoke, progress_path: Path
) -> None:
    write_v1(progress_path)

    code, report = findings(invoke)

    assert code == 0
    assert any(f["detail"] == "1 entry" for f in report["findings"])
    assert progress_path.read_bytes() == V1_BYTES
    assert not progress_path.with_name("progress.json.v1.bak").exists()


@pytest.mark.parametrize("version", [0, -1])
def test_format_with_no_known_migration_is_refused(progress_path: Path, version: int) -> None:
    progress_path.parent.mkdir(parents=True)
    content = json.dumps({"version": version, "entries": {}}).encode()
    progress_path.write_bytes(content)

    with pytest.raises(ProgressFileError, match=f"format version {version} is not one"):
        Store(progress_path).load()
    with pytest.raises(ProgressFileError), Store(progress_path).update("done") as changes:
        changes.set_status("long/stanford-cs25", "done")
    assert progress_path.read_bytes() == content


def test_doctor_removes_the_cache_of_a_roadmap_file_that_is_gone(
    invoke: Invoke, write_roadmap: WriteRoadmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ROADMAP_CLI_NO_CACHE", raising=False)
    mine = write_roadmap(MINE, "mine.yaml")
    assert invoke("--roadmaps", str(mine), "list").exit_code == 0
    entry = cache.entry_path(mine)
    assert entry is not None
    assert entry.exists()
    mine.unlink()

    code, data = findings(invoke)

    assert not entry.exists()
    [pruned] = [f for f in data["findings"] if f["subject"] == "roadmap cache"]
    assert pruned["severity"] == "ok"
    assert str(mine) in pruned["detail"]
    assert code == 0
    assert [f for f in findings(invoke)[1]["findings"] if f["subject"] == "roadmap cache"] == []
