"""The one atomic write: whole or nothing, no clobbering when asked, through symbolic links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roadmap_cli.atomic import temp_files, write_atomic


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of this test's own."""
    made = tmp_path / "files"
    made.mkdir()
    return made


def test_writes_a_new_file_and_leaves_no_temporary_file(folder: Path) -> None:
    target = folder / "out.json"
    assert write_atomic(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert list(folder.iterdir()) == [target]


def test_replaces_an_existing_file(folder: Path) -> None:
    target = folder / "out.json"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_refuses_to_replace_when_told_not_to(folder: Path) -> None:
    target = folder / "keep.json"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        write_atomic(target, b"new", replace=False)
    assert target.read_bytes() == b"precious"
    assert list(folder.iterdir()) == [target]


def test_no_replace_writes_a_file_that_does_not_exist(folder: Path) -> None:
    target = folder / "fresh.svg"
    write_atomic(target, b"<svg/>", replace=False)
    assert target.read_bytes() == b"<svg/>"
    assert list(folder.iterdir()) == [target]


def test_a_failed_write_leaves_the_old_file_and_no_debris(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "out.json"
    target.write_bytes(b"old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert temp_files(target) == []


def test_a_symbolic_link_is_written_through_and_survives(folder: Path) -> None:
    synced = folder / "synced"
    synced.mkdir()
    real = synced / "progress.json"
    real.write_bytes(b"old")
    here = folder / "data"
    here.mkdir()
    link = here / "progress.json"
    link.symlink_to(real)
    assert write_atomic(link, b"new") == real
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert link.read_bytes() == b"new"


def test_temp_files_lists_what_a_killed_writer_left(folder: Path) -> None:
    target = folder / "progress.json"
    left = folder / ".progress.json.abc123.tmp"
    left.write_bytes(b"half")
    (folder / ".other.json.x.tmp").write_bytes(b"")
    assert temp_files(target) == [left]


def test_a_write_that_need_not_be_durable_does_not_wait_for_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    target = tmp_path / "entry.bin"

    write_atomic(target, b"cached", durable=False)

    assert target.read_bytes() == b"cached"
    assert synced == []
    write_atomic(target, b"kept")
    assert len(synced) == 2  # the file, then its folder
