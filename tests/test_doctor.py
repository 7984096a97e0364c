"""`roadmap doctor`, moving a bad progress file aside, and migrating older progress formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli import store
from roadmap_cli.errors import ProgressFileError
from roadmap_cli.store import Store
from tests.conftest import Invoke

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
    assert "line 1 column 50" in result.stdout  # where the value is missing
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


@pytest.fixture
def format_v2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the current progress format is 2, reached from 1 by renaming `entries`."""

    def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
        return {"version": data["version"], "entries": data.pop("items")}

    monkeypatch.setattr(store, "PROGRESS_FORMAT_VERSION", 2)
    monkeypatch.setitem(store.MIGRATIONS, 1, v1_to_v2)


OLD = {
    "version": 1,
    "items": {"long/stanford-cs25": {"status": "done", "changed": "2026-01-02T03:04:05Z"}},
}


@pytest.mark.usefixtures("format_v2")
def test_older_format_is_read_without_writing(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_text(json.dumps(OLD))
    before = progress_path.read_bytes()
    assert Store(progress_path).load().status("long/stanford-cs25") == "done"
    assert progress_path.read_bytes() == before


@pytest.mark.usefixtures("format_v2")
def test_older_format_is_migrated_on_change_with_a_backup(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_text(json.dumps(OLD))
    before = progress_path.read_bytes()
    with Store(progress_path).update() as changes:
        changes.set_status("long/stanford-cs224n", "done")
    backup = progress_path.with_name("progress.json.v1.bak")
    assert backup.read_bytes() == before
    saved = json.loads(progress_path.read_text())
    assert saved["version"] == 2
    assert set(saved["entries"]) == {"long/stanford-cs25", "long/stanford-cs224n"}


@pytest.mark.usefixtures("format_v2")
def test_format_with_no_known_migration_is_refused(progress_path: Path) -> None:
    progress_path.parent.mkdir(parents=True)
    progress_path.write_text('{"version": 0, "entries": {}}')
    with pytest.raises(ProgressFileError, match="format version 0"):
        Store(progress_path).load()
