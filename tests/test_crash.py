"""Writers that die or fail mid-write: progress.json is always whole, old or new, never torn.

Each test names the protection in src/roadmap_cli/store.py that it would catch being removed.
Writers run as forked processes (no import cost) and report over pipes; the parent waits for
their lines, never sleeps to synchronise, and kills and reaps every child it started.
"""

from __future__ import annotations

import errno
import json
import os
import random
import select
import signal
import tempfile
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pytest

import roadmap_cli.store as store_module
from roadmap_cli.entries import Status
from roadmap_cli.errors import ProgressFileError
from roadmap_cli.store import Store
from tests.conftest import Invoke
from tests.processes import DEMO_ROADMAP, FORK, WAIT

TEMP_GLOB = ".progress.json.*.tmp"


class LineReader:
    """Lines a child writes to a pipe, read with a deadline."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.eof = False

    def line(self, timeout: float = WAIT) -> str | None:
        """Return the next line, or None at end of file (every writer gone)."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer and not self.eof:
            self._fill(deadline, timeout)
        if b"\n" not in self.buffer:
            assert self.buffer == b"", f"a partial line was written: {self.buffer!r}"
            return None
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def _fill(self, deadline: float, timeout: float) -> None:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no line from the child within {timeout} s"
        ready, _, _ = select.select([self.fd], [], [], remaining)
        if ready:
            chunk = os.read(self.fd, 4096)
            self.buffer += chunk
            self.eof = not chunk


def start(target: Callable[..., None], *args: Any) -> BaseProcess:
    proc = FORK.Process(target=target, args=args, daemon=True)
    proc.start()
    return proc


def reap(proc: BaseProcess) -> None:
    if proc.is_alive():
        proc.kill()
    proc.join(timeout=WAIT)
    assert not proc.is_alive()


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(TEMP_GLOB))


def statuses(progress_path: Path, refs: list[str]) -> dict[str, Status]:
    progress = Store(progress_path).load()
    return {ref: progress.status(ref) for ref in refs}


# --- hundreds of SIGKILLs at random moments ------------------------------------------------

TOGGLED = [f"demo/res-{i}" for i in range(8)]
KILLS = 250


def _toggling_writer(path: str, seed: int, report_fd: int) -> None:
    """Toggle random resources forever, reporting each write before it starts and when done."""
    rng = random.Random(seed)
    store = Store(Path(path), lock_timeout=WAIT)
    while True:
        ref = rng.choice(TOGGLED)
        with store.update() as changes:
            status = "pending" if changes.progress.status(ref) == "done" else "done"
            changes.set_status(ref, status)
            # One write() of a short line into a pipe is atomic: a kill never splits it.
            os.write(report_fd, f"begin {ref} {status}\n".encode())
        os.write(report_fd, b"written\n")


class WriterReports:
    """Follows a toggling writer's reports: the statuses written, and the write in flight."""

    def __init__(self, known: dict[str, Status]) -> None:
        self.known = known
        self.in_flight: tuple[str, Status] | None = None

    def follow(self, line: str | None) -> bool:
        """Take in one line; return whether it reported a completed write."""
        assert line is not None, "the writer stopped reporting"
        if line == "written":
            assert self.in_flight is not None
            ref, status = self.in_flight
            self.known[ref] = status
            self.in_flight = None
            return True
        word, ref, status = line.split()
        assert word == "begin"
        assert status in ("done", "pending")
        self.in_flight = (ref, "done" if status == "done" else "pending")
        return False


def test_sigkill_at_random_moments_never_leaves_a_torn_or_mixed_file(
    progress_path: Path,
) -> None:
    # Protections: the atomic write (temporary file + fsync + os.replace), which keeps a kill
    # from leaving a half-written progress.json, and the removal of a dead writer's temporary
    # file at the next write, checked at the end (no ".progress.json.*.tmp" left).
    rng = random.Random(20240131)
    folder = progress_path.parent
    known: dict[str, Status] = dict.fromkeys(TOGGLED, "pending")  # what the file must hold
    torn: list[str] = []
    mixed: list[tuple[dict[str, Status], dict[str, Status]]] = []
    kills = in_flight_kills = landed = 0
    temps_seen: set[Path] = set()

    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        writer = start(_toggling_writer, str(progress_path), rng.randrange(2**32), write_fd)
        os.close(write_fd)
        reader = LineReader(read_fd)
        reports = WriterReports(dict(known))
        try:
            wanted, written = rng.randint(0, 3), 0
            while written < wanted:
                written += reports.follow(reader.line())
            # A random short delay picks the moment of the kill; it synchronises nothing.
            select.select([], [], [], rng.uniform(0, 0.004))
            os.kill(writer.pid, signal.SIGKILL)
            kills += 1
            writer.join(timeout=WAIT)
            assert writer.exitcode == -signal.SIGKILL
            while (line := reader.line()) is not None:  # what it reported before it died
                reports.follow(line)
        finally:
            reap(writer)
            os.close(read_fd)

        try:
            found = statuses(progress_path, TOGGLED)
        except ProgressFileError as exc:
            torn.append(str(exc))
            break  # the next writer could not read it either
        allowed = [reports.known]
        if reports.in_flight is not None:
            ref, status = reports.in_flight
            in_flight_kills += 1
            allowed.append({**reports.known, ref: status})
        if found not in allowed:
            mixed.append((found, reports.known))
        elif len(allowed) == 2 and found == allowed[1]:
            landed += 1
        known = found
        temps_seen |= set(temp_files(folder))

    print(
        f"\nFIGURES random-kills: kills={kills} killed_inside_update={in_flight_kills} "
        f"of_which_write_landed={landed} temp_files_left_by_kills={len(temps_seen)} "
        f"torn_files={len(torn)} states_neither_old_nor_new={len(mixed)}"
    )
    assert torn == []
    assert mixed == []
    assert kills == KILLS
    # Enough kills landed inside a write for the clean-up check below to mean something.
    assert temps_seen

    with Store(progress_path).update() as changes:  # one more write after all those kills
        changes.set_status(TOGGLED[0], "pending" if known[TOGGLED[0]] == "done" else "done")
    left_at_end = temp_files(folder)
    print(f"FIGURES random-kills: temp_files_left_after_next_write={len(left_at_end)}")
    assert left_at_end == []
    assert Store(progress_path).stale_temp_files() == []


# --- deterministic kills between writing the temporary file and replacing -----------------------


def _write_blocked_before_replace(path: str, ref: str, out_fd: int, in_fd: int) -> None:
    real_replace = os.replace

    def blocked_replace(src: Any, dst: Any) -> None:
        os.write(out_fd, b"replacing\n")
        os.read(in_fd, 1)  # blocks: the parent kills this process here
        real_replace(src, dst)

    # This is a forked child, so patching the store module's os touches no other process.
    store_module.os.replace = blocked_replace  # type: ignore[assignment]
    with Store(Path(path), lock_timeout=WAIT).update() as changes:
        changes.set_status(ref, "done")


def test_a_kill_just_before_the_replace_keeps_the_old_file_and_the_next_write_cleans_up(
    progress_path: Path,
) -> None:
    # Protections: writing to a temporary file and only then os.replace-ing it (the kill before
    # the replace must leave progress.json byte-identical), and the next writer removing the
    # temporary file the dead one left (".progress.json.*.tmp").
    folder = progress_path.parent
    with Store(progress_path).update() as changes:
        changes.set_status("demo/start", "done")
    expected: dict[str, Status] = {"demo/start": "done"}
    temps_left_by_kills = 0

    for i in range(20):
        killed_ref, next_ref = f"demo/killed-{i}", f"demo/next-{i}"
        before = progress_path.read_bytes()
        out_r, out_w = os.pipe()
        in_r, in_w = os.pipe()
        writer = start(_write_blocked_before_replace, str(progress_path), killed_ref, out_w, in_r)
        os.close(out_w)
        os.close(in_r)
        try:
            assert LineReader(out_r).line() == "replacing"
            os.kill(writer.pid, signal.SIGKILL)
            writer.join(timeout=WAIT)
            assert writer.exitcode == -signal.SIGKILL
        finally:
            reap(writer)
            os.close(out_r)
            os.close(in_w)

        assert progress_path.read_bytes() == before
        leftovers = temp_files(folder)
        assert len(leftovers) == 1
        temps_left_by_kills += len(leftovers)

        with Store(progress_path).update() as changes:
            changes.set_status(next_ref, "done")
        expected[next_ref] = "done"
        assert temp_files(folder) == []
        progress = Store(progress_path).load()
        assert progress.status(killed_ref) == "pending"
        assert {ref: entry.status for ref, entry in progress.entries.items()} == expected

    print(
        f"\nFIGURES kill-before-replace: kills=20 old_file_kept=20 "
        f"temp_files_left_by_kills={temps_left_by_kills} temp_files_after_next_write=0"
    )


# --- writes that fail -------------------------------------------------------------------------


def _raising(code: int) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("module", "function", "code", "text"),
    [
        (store_module.os, "replace", errno.ENOSPC, "No space left on device"),
        (store_module.os, "replace", errno.EACCES, "Permission denied"),
        (tempfile, "mkstemp", errno.EACCES, "Permission denied"),
    ],
    ids=["replace-ENOSPC", "replace-EACCES", "mkstemp-EACCES"],
)
def test_a_failed_write_exits_1_names_the_file_and_keeps_the_old_progress(
    module: Any,
    function: str,
    code: int,
    text: str,
    monkeypatch: pytest.MonkeyPatch,
    progress_path: Path,
    write_roadmap: Callable[..., Path],
    invoke: Invoke,
) -> None:
    # Protections: the write goes to a temporary file first (a failure leaves the old file
    # whole), the error is reported as a message naming the file (not a traceback) with exit 1,
    # and the failed attempt's temporary file is removed. We run as root, so a full disk and a
    # denied permission are simulated by making the call fail as the OS would.
    roadmaps = str(write_roadmap(DEMO_ROADMAP))
    first = invoke("--roadmaps", roadmaps, "done", "demo/alpha")
    assert first.exit_code == 0, first.stderr
    before = progress_path.read_bytes()

    monkeypatch.setattr(module, function, _raising(code))
    result = invoke("--roadmaps", roadmaps, "done", "demo/beta")
    monkeypatch.undo()

    assert result.exit_code == 1
    assert str(progress_path) in result.stderr
    assert text in result.stderr
    assert "Traceback" not in result.stderr
    assert progress_path.read_bytes() == before
    assert temp_files(progress_path.parent) == []
    assert Store(progress_path).load().status("demo/beta") == "pending"


def test_a_data_folder_that_is_a_file_exits_1_and_leaves_the_file_alone(
    tmp_path: Path, write_roadmap: Callable[..., Path], invoke: Invoke
) -> None:
    # Protection: the data-folder check before locking (a regular file where the folder should
    # be gives a clear message and exit 1, not a traceback, and the file is not written to).
    roadmaps = str(write_roadmap(DEMO_ROADMAP))
    not_a_folder = tmp_path / "not-a-folder"
    content = b'{"this": "is someone else\'s file"}\n'
    not_a_folder.write_bytes(content)

    result = invoke(
        "--roadmaps",
        roadmaps,
        "done",
        "demo/alpha",
        env={"ROADMAP_CLI_DATA_DIR": str(not_a_folder)},
    )

    assert result.exit_code == 1
    assert str(not_a_folder) in result.stderr
    assert "folder" in result.stderr.lower()
    assert "is a file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not_a_folder.read_bytes() == content
    assert json.loads(not_a_folder.read_bytes()) == {"this": "is someone else's file"}
