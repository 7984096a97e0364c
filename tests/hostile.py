"""Run the real `roadmap` program on hostile input, each run in a sandbox of its own, and
measure what each run costs: wall time and peak memory (ru_maxrss of the child, from wait4).

A sandbox is a folder under the test's tmp_path holding everything the program may touch:
HOME and the XDG folders, the data folder (ROADMAP_CLI_DATA_DIR), the cache folder
(ROADMAP_CLI_CACHE_DIR), TMPDIR and the working folder. The environment is a copy of the
test's own (conftest has already pointed it away from the real home) with those folders
replaced, so nothing a run does can reach the real home or another test's files.
`Sandbox.changes_outside` lists every file that a run added, removed or changed outside the
data and cache folders: a hostile input must never make the program write anywhere else.

Runs that do not depend on each other are started together (`run_all`): the machine that runs
the suite has two cores, and most of a run's time is Python starting up.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

# Budgets of issue 17: any input is read or refused in at most 2 s and 300 MB. Peak memory is
# asserted as is (ru_maxrss does not depend on what else runs). Time does: on a shared
# two-core machine a run of 2 s of CPU has been seen to take 12 s of wall time. So the tests
# assert a sanity ceiling on the CPU time of the child (user + system, from wait4), and
# report both figures.
MEMORY_BUDGET_BYTES = 300 * 1000 * 1000
TIME_BUDGET = 2.0
TIME_CEILING = 10.0  # seconds of CPU: far above the budget, far below a runaway
TIMEOUT = 60.0  # a run still going after this long (wall time) is killed and counted a hang
# Each child's address space is capped, so that a run far over the memory budget fails within
# seconds (an allocation fails: MemoryError, or an abort in Rust) instead of taking the shared
# machine's memory: one hostile merge file once took 8.5 GB and 108 s. Runs within the budget
# never come near it (a run of 313 MB works under 400 MB of address space).
ADDRESS_SPACE_LIMIT = 640 * 1024 * 1024


def roadmap_command() -> list[str]:
    """The installed `roadmap` entry point beside this Python, else `python -m roadmap_cli`."""
    beside = Path(sys.executable).parent / "roadmap"
    found = str(beside) if beside.is_file() else shutil.which("roadmap")
    return [found] if found else [sys.executable, "-m", "roadmap_cli"]


@dataclass(frozen=True)
class Run:
    """One finished run of the program."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float  # wall time
    cpu_seconds: float  # user + system time of the child
    peak_bytes: int
    timed_out: bool

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 1e6

    def describe(self) -> str:
        return (
            f"roadmap {' '.join(self.args)} -> exit {self.code}, {self.seconds:.2f} s "
            f"({self.cpu_seconds:.2f} s of CPU), {self.peak_mb:.0f} MB"
            f"{' (killed: timed out)' if self.timed_out else ''}\n"
            f"stderr: {self.stderr[:2000]!r}\nstdout: {self.stdout[:2000]!r}"
        )


@dataclass
class Sandbox:
    """The folders of one run (or of a sequence of runs that share their progress)."""

    root: Path
    # The roadmap cache on even when the suite runs with ROADMAP_CLI_NO_CACHE=1 (conftest leaves
    # that variable as set): for a test of the cache itself.
    cache_on: bool = False
    home: Path = field(init=False)
    data: Path = field(init=False)
    cache: Path = field(init=False)
    work: Path = field(init=False)

    def __post_init__(self) -> None:
        self.home = self.root / "home"
        self.data = self.root / "data"
        self.cache = self.root / "cache"
        self.work = self.root / "work"
        for folder in (self.home, self.data, self.work, self.root / "tmp"):
            folder.mkdir(parents=True, exist_ok=True)

    @property
    def progress(self) -> Path:
        return self.data / "progress.json"

    @property
    def roadmaps_folder(self) -> Path:
        return self.home / ".config" / "roadmap-cli" / "roadmaps"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            HOME=str(self.home),
            XDG_DATA_HOME=str(self.home / ".local" / "share"),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            ROADMAP_CLI_DATA_DIR=str(self.data),
            ROADMAP_CLI_CACHE_DIR=str(self.cache),
            TMPDIR=str(self.root / "tmp"),
            COLUMNS="400",  # no wrapping: a paragraph is one line
        )
        for name in ("ROADMAP_CLI_ROADMAPS", "ROADMAP_CLI_LOCK_TIMEOUT", "NO_COLOR"):
            env.pop(name, None)
        if self.cache_on:
            env.pop("ROADMAP_CLI_NO_CACHE", None)
        return env

    def snapshot(self) -> dict[str, tuple[int, int, int]]:
        """Every file of the sandbox outside the data and cache folders: kind, size, mtime."""
        found: dict[str, tuple[int, int, int]] = {}
        for folder, dirs, files in os.walk(self.root):
            here = Path(folder)
            dirs[:] = [d for d in dirs if here / d not in (self.data, self.cache)]
            for name in [*dirs, *files]:
                info = (here / name).lstat()
                key = str((here / name).relative_to(self.root))
                found[key] = (info.st_mode, info.st_size, info.st_mtime_ns)
        return found

    def changes_outside(self, before: dict[str, tuple[int, int, int]]) -> list[str]:
        """What differs from `before` outside the data and cache folders (folders' mtimes aside)."""
        after = self.snapshot()
        changed = []
        for key in sorted(before.keys() | after.keys()):
            old, new = before.get(key), after.get(key)
            if old and new and os.path.isdir(self.root / key) and old[0] == new[0]:
                continue  # a folder's mtime moves when a file in it is listed; contents count
            if old != new:
                changed.append(key)
        return changed


# The program is started by a small Python of its own that measures it: ru_maxrss counts, for
# a child, the peak of the memory its parent had when it was started (Linux keeps the high-water
# mark of the memory a process replaces at exec), and pytest holds the corpus, hundreds of MB.
# The measurer is a fresh interpreter of about 10 MB: what it reports is the program's own peak
# (plus at most those 10 MB). It caps the address space first, so the program inherits the cap.
MEASURE = """\
import json, os, resource, subprocess, sys
report, limit, *command = sys.argv[1:]
resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
child = subprocess.Popen(command)
_, status, usage = os.wait4(child.pid, 0)
with open(report, "w") as f:
    json.dump([status, usage.ru_maxrss, usage.ru_utime + usage.ru_stime], f)
"""


def start(args: Sequence[str], sandbox: Sandbox) -> _Child:
    """Start `roadmap ARGS...` in `sandbox`; `finish` waits for it."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _Child.finish
    err = tempfile.TemporaryFile()  # noqa: SIM115
    fd, report = tempfile.mkstemp(prefix="roadmap-run-", suffix=".json")
    os.close(fd)
    began = time.perf_counter()
    measure = [sys.executable, "-I", "-c", MEASURE, report, str(ADDRESS_SPACE_LIMIT)]
    proc = subprocess.Popen(
        [*measure, *roadmap_command(), *args],
        env=sandbox.env(),
        cwd=sandbox.work,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=err,
        start_new_session=True,  # one process group: a kill reaches the program too
    )
    return _Child(tuple(args), proc, out, err, Path(report), began)


def run(args: Sequence[str], sandbox: Sandbox, *, timeout: float = TIMEOUT) -> Run:
    """Run `roadmap ARGS...` in `sandbox` and return what it did and cost."""
    return start(args, sandbox).finish(timeout)


def run_all(
    runs: Sequence[tuple[Sequence[str], Sandbox]], *, timeout: float = TIMEOUT
) -> list[Run]:
    """Run several independent commands at once; return their results in the same order."""
    children = [start(args, sandbox) for args, sandbox in runs]
    return [child.finish(timeout) for child in children]


@dataclass
class _Child:
    args: tuple[str, ...]
    proc: subprocess.Popen[bytes]
    out: IO[bytes]
    err: IO[bytes]
    report: Path
    began: float

    def finish(self, timeout: float) -> Run:
        """Wait for the program, killing it if it still runs `timeout` s after it began."""
        pid = self.proc.pid
        lock = threading.Lock()
        exited = False
        killed = False

        def kill() -> None:
            nonlocal killed
            with lock:
                if not exited:  # the measurer is not reaped yet: the group is still ours
                    os.killpg(pid, signal.SIGKILL)
                    killed = True

        timer = threading.Timer(max(0.0, timeout - (time.perf_counter() - self.began)), kill)
        timer.start()
        try:
            os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # exited, not yet reaped
            with lock:
                exited = True
            seconds = time.perf_counter() - self.began
        finally:
            timer.cancel()
        self.proc.wait()
        texts = []
        for stream in (self.out, self.err):
            stream.seek(0)
            texts.append(stream.read().decode("utf-8", errors="replace"))
            stream.close()
        try:
            status, peak_kib, cpu = json.loads(self.report.read_text() or "null")
        except (TypeError, ValueError):  # killed before it could report
            status, peak_kib, cpu = -1, 0, 0.0
        finally:
            self.report.unlink(missing_ok=True)
        code = os.waitstatus_to_exitcode(status) if status != -1 else self.proc.returncode
        return Run(self.args, code, texts[0], texts[1], seconds, cpu, peak_kib * 1024, killed)


def seed_progress(root: Path) -> bytes:
    """Make a progress file with the real program and return its bytes.

    long/stanford-cs25 is done, and 20 h are logged on 2026-01-05 for long/stanford-cs224n, so
    that a merge adding 5 h to that day goes past a day's 24 hours.
    """
    sandbox = Sandbox(root)
    for args in (
        ["done", "long/stanford-cs25"],
        ["log", "long/stanford-cs224n", "20h", "--date", "2026-01-05"],
    ):
        result = run(args, sandbox)
        assert result.code == 0, result.describe()
    return sandbox.progress.read_bytes()


def assert_within_budget(result: Run, *, ceiling: float = TIME_CEILING) -> None:
    """No hang, peak memory within budget, and CPU time under the sanity ceiling."""
    assert not result.timed_out, "the run hung and was killed\n" + result.describe()
    assert result.peak_bytes <= MEMORY_BUDGET_BYTES, "over the memory budget\n" + result.describe()
    assert result.cpu_seconds <= ceiling, "far over the time budget\n" + result.describe()
    assert "Traceback" not in result.stderr + result.stdout, result.describe()


def assert_one_paragraph(text: str, first_word: str, result: Run) -> None:
    """`text` is one paragraph starting with `first_word` ("Error:"): no blank line inside."""
    assert text.startswith(first_word), result.describe()
    assert text.endswith("\n"), result.describe()
    assert "\n\n" not in text.strip("\n"), result.describe()
    assert "Traceback" not in text, result.describe()


def show(request: pytest.FixtureRequest, text: str) -> None:
    """Print `text` on the terminal, past pytest's capture (the figures of a corpus)."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print("\n" + text)
        return
    with capture.global_and_fixture_disabled():
        print("\n" + text)


@dataclass
class Figures:
    """The runs of one corpus, for the summary printed at its end."""

    name: str
    cases: set[str] = field(default_factory=set)
    clean: set[str] = field(default_factory=set)
    runs: list[tuple[str, Run]] = field(default_factory=list)

    def add(self, case: str, *results: Run, counted: bool = True) -> None:
        """Record runs of a case (`counted`) or of several cases at once (not a case itself)."""
        if counted:
            self.cases.add(case)
        self.runs.extend((case, r) for r in results)

    def passed(self, case: str) -> None:
        self.clean.add(case)

    def summary(self) -> str:
        """Cases, how many passed every check, and the worst run of single cases and of batches."""
        lines = [
            f"{self.name}: {len(self.cases)} cases, {len(self.clean)} clean, {len(self.runs)} runs"
        ]
        for label, runs in (
            ("the clean cases", [(c, r) for c, r in self.runs if c in self.clean]),
            ("the failing cases", [(c, r) for c, r in self.runs if c in self.cases - self.clean]),
            ("several files at once", [(c, r) for c, r in self.runs if c not in self.cases]),
        ):
            if not runs:
                continue
            cpu = max(runs, key=lambda item: item[1].cpu_seconds)
            wall = max(runs, key=lambda item: item[1].seconds)
            memory = max(runs, key=lambda item: item[1].peak_bytes)
            lines.append(
                f"  worst of {label}: CPU {cpu[1].cpu_seconds:.2f} s ({_name(*cpu)}); "
                f"wall {wall[1].seconds:.2f} s ({_name(*wall)}); "
                f"memory {memory[1].peak_mb:.0f} MB ({_name(*memory)})"
            )
        return "\n".join(lines)


def _name(case: str, result: Run) -> str:
    return f"{case}: {result.args[0] if result.args[0] != '--roadmaps' else 'list'}"
