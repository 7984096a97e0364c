"""Ctrl-C at any moment: one line on stderr, exit status 130, the progress file never torn.

Each test starts the installed `roadmap` script as a real process and sends it SIGINT after a
delay from a sweep that covers start-up imports, lazy imports, the lock, the write and the
report. The delay is what is under test, not a way to wait for something.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roadmap_cli import entry

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")

DELAYS = [round(0.6 * i / 24, 3) for i in range(25)]  # 0 to 0.6 s
REF = "long/stanford-cs25"


def _script() -> str:
    beside = Path(sys.executable).parent / "roadmap"
    found = str(beside) if beside.is_file() else shutil.which("roadmap")
    assert found, "the roadmap script is not installed"
    return found


def _interrupted(args: list[str], delay: float, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    with subprocess.Popen(
        [_script(), *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    ) as proc:
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _before_our_code(done: subprocess.CompletedProcess[str]) -> bool:
    """Whether the interrupt came before roadmap-cli's first line ran: during the interpreter's
    start-up or the imports of the script that pip wrote (`import re`). Python answers that
    with its own KeyboardInterrupt, which no program can change; nothing of ours had run."""
    return (
        done.returncode in (1, -signal.SIGINT)
        and done.stderr.rstrip().endswith("KeyboardInterrupt")
        and f"roadmap_cli{os.sep}" not in done.stderr  # no frame in a file of ours
    )


def _check_one_line(done: subprocess.CompletedProcess[str]) -> None:
    if _before_our_code(done):
        assert done.stdout == ""
        return
    assert "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.splitlines()) <= 1, done.stderr
    if done.returncode == -signal.SIGINT:
        # Killed before Python had started (the default action of SIGINT): nothing of ours
        # had run, so nothing was printed or written.
        assert done.stderr == ""
        assert done.stdout == ""
        return
    assert done.returncode in (0, 130), done.stderr
    if done.returncode == 130:
        assert done.stderr.startswith("Interrupted"), done.stderr


@pytest.mark.parametrize("delay", DELAYS)
def test_done_interrupted_at_any_moment(tmp_path: Path, progress_path: Path, delay: float) -> None:
    # Something in the file first, so that "unchanged" and "changed" are both whole files.
    subprocess.run([_script(), "start", "short/rlhf-huggingface"], check=True, capture_output=True)
    before = progress_path.read_bytes()

    done = _interrupted(["done", REF], delay, tmp_path)

    _check_one_line(done)
    after = progress_path.read_bytes()
    entries = json.loads(after)["entries"]  # never torn: always a whole JSON document
    changed = entries.get(REF, {}).get("status") == "done"
    assert changed or after == before
    if done.returncode == 130:
        saved = "saved" in done.stderr
        assert saved == changed, done.stderr
    if done.returncode == 0:
        assert changed
    assert not list(progress_path.parent.glob(".progress.json.*.tmp"))


@pytest.mark.parametrize("delay", DELAYS)
def test_list_interrupted_at_any_moment(tmp_path: Path, delay: float) -> None:
    done = _interrupted(["list"], delay, tmp_path)

    _check_one_line(done)
    if done.returncode == 130:
        assert done.stderr == "Interrupted.\n"


def test_export_interrupted_after_writing_says_so(tmp_path: Path, progress_path: Path) -> None:
    # Without the race: the handler's words, given a write this process has made.
    from roadmap_cli import atomic

    written = tmp_path / "out.json"
    atomic.write_atomic(written, b"{}\n", replace=False)
    try:
        assert entry.interrupted_line() == f"Interrupted, after {written} had been written."
        progress_path.parent.mkdir(exist_ok=True)
        atomic.write_atomic(progress_path, b"{}", replace=True)
        assert entry.interrupted_line() == "Interrupted, after your change had been saved."
    finally:
        atomic.written.clear()


def test_interrupt_in_process_is_one_line_without_the_lazy_modules(
    monkeypatch: pytest.MonkeyPatch, invoke: object
) -> None:
    # The in-process handler (RoadmapGroup) must not need render, which may be half imported.
    from typer.testing import CliRunner

    from roadmap_cli import cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    def half_imported(message: str) -> None:
        raise AttributeError("module 'roadmap_cli.render' has no attribute 'error'")

    monkeypatch.setattr(cli.tracker, "summaries", interrupted)
    monkeypatch.setattr(cli.render, "error", half_imported)
    result = CliRunner().invoke(cli.app, ["list"])
    assert result.exit_code == 130, result.output
    assert result.stderr == "Interrupted.\n"
    assert result.stdout == ""


@pytest.mark.parametrize("delay", [0.2, 1.5])
def test_interrupted_while_waiting_for_the_lock(
    tmp_path: Path, progress_path: Path, delay: float
) -> None:
    import filelock

    subprocess.run([_script(), "start", "short/rlhf-huggingface"], check=True, capture_output=True)
    before = progress_path.read_bytes()
    lock = filelock.FileLock(str(progress_path) + ".lock")
    with lock:  # another command holds the lock for the whole time
        done = _interrupted(["done", REF], delay, tmp_path)
    assert done.returncode == 130, done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1] == "Interrupted."
    assert all(line.startswith("Waiting for another roadmap command") for line in lines[:-1])
    assert progress_path.read_bytes() == before
    # The lock went with the process: the next command runs at once.
    again = subprocess.run([_script(), "done", REF], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
