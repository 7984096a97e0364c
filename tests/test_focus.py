"""roadmap focus: a timed session that logs itself, survives a closed terminal, one at a time.

Time is under the tests' control, never waited for: in process, `focus.CLOCK` is a clock whose
waits only move its hands; in a process of its own, `focus.SystemClock(scale=N)` makes a minute
last 60/N real seconds (set by the small runner below before the program starts). The tests
wait for what a session reports (a line on stdout, the state file), never for a fixed time.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli import focus
from tests.conftest import Invoke, failed, ok

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals and ttys are POSIX")

REF = "long/stanford-cs25"
WAIT = 30.0  # seconds: a deadline for what a process reports, generous for a loaded machine

# Runs `roadmap ARGS...` as the installed script does (roadmap_cli.entry.main, its Ctrl-C
# handler first), with a clock `scale` times faster than real time.
RUNNER = """\
import sys
from roadmap_cli import focus
focus.CLOCK = focus.SystemClock(scale=float(sys.argv[1]))
sys.argv = ["roadmap", *sys.argv[2:]]
from roadmap_cli.entry import main
main()
"""


class FakeClock:
    """A clock whose waits return at once, moving time on; `at` runs actions at given times."""

    def __init__(self, at: dict[float, Callable[[], None]] | None = None) -> None:
        self.now = 1000.0
        self.start = self.now
        self.actions = sorted((at or {}).items())
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def wait(self, seconds: float, fds: list[int]) -> list[int]:
        self.waits.append(seconds)
        self.now += seconds
        while self.actions and self.now - self.start >= self.actions[0][0]:
            self.actions.pop(0)[1]()
        ready, _, _ = select.select(fds, [], [], 0)
        return list(ready)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeClock]:
    def make(at: dict[float, Callable[[], None]] | None = None) -> FakeClock:
        fake = FakeClock(at)
        monkeypatch.setattr(focus, "CLOCK", fake)
        return fake

    return make


def logs(progress_path: Path, ref: str = REF) -> list[dict[str, Any]]:
    if not progress_path.exists():
        return []
    entry = json.loads(progress_path.read_text(encoding="utf-8"))["entries"].get(ref)
    return list(entry["log"]) if entry else []


def ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


# --- in process, on a clock the test controls ------------------------------------------------


def test_a_25_minute_session_runs_at_once_and_logs_as_log_does(
    invoke: Invoke, clock: Callable[..., FakeClock], progress_path: Path, data_dir: Path
) -> None:
    fake = clock()
    ok(invoke("list"))  # the roadmaps loaded and cached: what is timed below is the session
    started = time.monotonic()
    out = ok(invoke("focus", REF))
    assert time.monotonic() - started < 1.0
    assert fake.now - fake.start == 25 * 60
    assert "Time is up: 25 min on Stanford CS25" in out
    assert "Logged 0.42 h on " in out  # render.logged, as `roadmap log` prints it
    assert "in-progress" in out  # a pending resource is started
    assert "Long Learning Roadmap: Done 0/" in out  # what is left of the roadmap
    [entry] = logs(progress_path)
    assert entry["hours"] == round(25 / 60, 4)
    assert entry["day"] == date.today().isoformat()
    assert not (data_dir / "focus.json").exists()
    # The same as `roadmap log REF 25m`, down to the undo history and the stats.
    history = json.loads(progress_path.read_text(encoding="utf-8"))["history"]
    assert history[-1]["action"] == "log"
    stats = json.loads(ok(invoke("stats", "--json")))
    assert stats["totals"]["hours_logged"] == pytest.approx(25 / 60, abs=0.01)
    ok(invoke("undo"))
    assert logs(progress_path) == []


def test_without_ref_the_session_is_on_what_next_names(
    invoke: Invoke, clock: Callable[..., FakeClock], progress_path: Path
) -> None:
    ok(invoke("start", REF))
    clock()
    out = ok(invoke("focus", "--minutes", "5"))
    assert f"({REF})" in out
    assert "Continue:" in ok(invoke("next"))
    assert REF in ok(invoke("next"))
    assert [log["hours"] for log in logs(progress_path)] == [round(5 / 60, 4)]


def test_the_open_session_is_recorded_every_30_seconds(
    invoke: Invoke, clock: Callable[..., FakeClock], data_dir: Path
) -> None:
    seen: list[float] = []

    def look() -> None:
        seen.append(json.loads((data_dir / "focus.json").read_text())["studied_seconds"])

    clock({t: look for t in (10, 45, 75, 200)})
    ok(invoke("focus", REF, "--minutes", "4"))
    assert seen == [0.0, 30.0, 60.0, 180.0]


def test_ctrl_c_ends_early_and_logs_the_whole_minutes(
    invoke: Invoke, clock: Callable[..., FakeClock], progress_path: Path, data_dir: Path
) -> None:
    before = signal.getsignal(signal.SIGINT)
    clock({12 * 60 + 30: ctrl_c})
    out = ok(invoke("focus", REF))
    assert "Stopped with Ctrl-C after 12 min 30 s on Stanford CS25" in out
    assert "Logged 0.2 h on " in out
    assert [log["hours"] for log in logs(progress_path)] == [0.2]
    assert signal.getsignal(signal.SIGINT) is before  # the program's handler is back
    assert not (data_dir / "focus.json").exists()


def test_less_than_a_minute_logs_nothing(
    invoke: Invoke, clock: Callable[..., FakeClock], progress_path: Path, data_dir: Path
) -> None:
    clock({40: ctrl_c})
    out = ok(invoke("focus", REF))
    assert "Stopped with Ctrl-C after 40 s" in out
    assert "Less than a minute studied: nothing logged." in out
    assert logs(progress_path) == []
    assert not (data_dir / "focus.json").exists()


def test_no_log_logs_nothing(
    invoke: Invoke, clock: Callable[..., FakeClock], progress_path: Path
) -> None:
    clock()
    out = ok(invoke("focus", REF, "--minutes", "3", "--no-log"))
    assert "Time is up: 3 min" in out
    assert "Nothing logged (--no-log)." in out
    assert "nothing is logged (--no-log)" in out  # said when it started, too
    assert not progress_path.exists()


def test_piped_output_is_plain_lines(invoke: Invoke, clock: Callable[..., FakeClock]) -> None:
    clock()
    out = ok(invoke("focus", REF, "--minutes", "12"))
    assert "\x1b" not in out
    assert "\r" not in out
    assert [line.strip() for line in out.splitlines() if "min left" in line] == [
        "10 min left",
        "5 min left",
    ]
    assert "Ctrl-C stops early and logs the whole minutes studied." in " ".join(out.split())


def test_a_failed_log_keeps_the_session_for_stop(
    invoke: Invoke, clock: Callable[..., FakeClock], progress_path: Path, data_dir: Path
) -> None:
    ok(invoke("log", "long/stanford-cs224n", "23h50m"))
    clock()
    result = invoke("focus", REF, "--minutes", "20")
    assert result.exit_code == 2
    assert "Time is up" not in result.stdout
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert "more than the 24 hours of a day" in result.stderr
    assert "The 20 min of this focus session are kept" in result.stderr
    kept = json.loads((data_dir / "focus.json").read_text())
    assert kept["over"] is True
    assert kept["studied_seconds"] == 20 * 60
    out = ok(invoke("focus", "--discard"))
    assert "had ended but was not logged yet: discarded, its 20 min not logged." in " ".join(
        out.split()
    )
    assert logs(progress_path) == []


def test_an_unreadable_progress_file_is_said_before_the_session_starts(
    invoke: Invoke, clock: Callable[..., FakeClock], progress_path: Path, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    progress_path.write_text("{broken", encoding="utf-8")
    fake = clock()
    failed(invoke("focus", REF), 1, str(progress_path))
    assert fake.waits == []  # not a second of the session was spent
    assert not (data_dir / "focus.json").exists()
    assert progress_path.read_text(encoding="utf-8") == "{broken"


# --- sessions left open, as a killed process leaves them --------------------------------------


def _left_open(data_dir: Path, studied: float, **more: Any) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    record = {
        "version": 1,
        "ref": REF,
        "title": "Stanford CS25 - Transformers United",
        "minutes": 25,
        "day": date.today().isoformat(),
        "started": "2026-12-04T18:00:00+00:00",
        "studied_seconds": studied,
        "refreshed": "2026-12-04T18:10:00+00:00",
        "log": True,
        "pid": 999999,
        "over": False,
        **more,
    }
    (data_dir / "focus.json").write_text(json.dumps(record), encoding="utf-8")


def test_the_next_focus_logs_a_session_left_open_then_starts(
    invoke: Invoke, clock: Callable[..., FakeClock], progress_path: Path, data_dir: Path
) -> None:
    _left_open(data_dir, 600.0)
    clock()
    out = ok(invoke("focus", "long/stanford-cs224n", "--minutes", "5"))
    said = " ".join(out.split())
    assert (
        "A focus session on Stanford CS25 - Transformers United (long/stanford-cs25) ended "
        "unexpectedly (started 2026-12-04 " in said
    )
    assert "its 10 min are logged" in out
    assert [log["hours"] for log in logs(progress_path)] == [round(10 / 60, 4)]
    assert [log["hours"] for log in logs(progress_path, "long/stanford-cs224n")] == [
        round(5 / 60, 4)
    ]


def test_discard_drops_a_session_left_open(
    invoke: Invoke, progress_path: Path, data_dir: Path
) -> None:
    _left_open(data_dir, 600.0)
    out = ok(invoke("focus", "--discard"))
    assert "discarded, its 10 min not logged" in out
    assert not (data_dir / "focus.json").exists()
    assert not progress_path.exists()
    assert "nothing to discard" in ok(invoke("focus", "--discard"))


def test_stop_with_nothing_open_says_so(invoke: Invoke, progress_path: Path) -> None:
    assert ok(invoke("focus", "--stop")) == "No focus session was left open: nothing to stop.\n"
    assert not progress_path.exists()


def test_an_unreadable_session_file_is_kept_until_discarded(
    invoke: Invoke, data_dir: Path, progress_path: Path
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "focus.json").write_text("{not json", encoding="utf-8")
    failed(invoke("focus", "--stop"), 1, "cannot be read", "'roadmap focus --discard' removes it")
    assert (data_dir / "focus.json").exists()
    assert "could not be read" in ok(invoke("focus", "--discard"))
    assert not (data_dir / "focus.json").exists()
    assert not progress_path.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--stop", "--discard"], "--stop logs a session, --discard drops it: give one."),
        (["--stop", REF], "--stop takes no REF"),
        (["--minutes", "0"], "--minutes takes a whole number of minutes from 1 to 1440, not '0'."),
        (["--minutes", "abc"], "not 'abc'"),
        (["--minutes", "1441"], "not '1441'"),
        (["nosuch/thing"], "nosuch"),
    ],
)
def test_bad_input_is_refused_before_anything_starts(
    invoke: Invoke, data_dir: Path, args: list[str], expected: str
) -> None:
    err = failed(invoke("focus", *args), 2, expected)
    assert err.startswith("Error: ")
    assert err.count("\n") == 1
    assert not (data_dir / "focus.json").exists()


# --- real processes: Ctrl-C, SIGKILL, a second session, q --------------------------------------


def _start(
    *args: str, scale: float, stdin: int | None = subprocess.DEVNULL
) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(scale), *args],
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _line_with(proc: subprocess.Popen[str], text: str) -> str:
    """Read the process's stdout until a line holds `text` (with a deadline), and return it."""
    assert proc.stdout is not None
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            break
        if text in line:
            return line
    proc.kill()
    raise AssertionError(f"{text!r} never came; stderr: {proc.communicate()[1]}")


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=WAIT)
    return proc.returncode, out, err


def test_ctrl_c_on_a_real_session_logs_the_minutes_studied(progress_path: Path) -> None:
    # 600 times faster: a minute lasts 0.1 s, and the lines "N min left" come every 0.5 s.
    proc = _start("focus", REF, "--minutes", "120", scale=600)
    try:
        _line_with(proc, "110 min left")  # at least 10 minutes studied
        proc.send_signal(signal.SIGINT)
        code, out, err = _finish(proc)
    finally:
        proc.kill()
    assert code == 0, err
    assert err == ""
    assert "Stopped with Ctrl-C after " in out
    [entry] = logs(progress_path)
    minutes = round(entry["hours"] * 60)
    assert 10 <= minutes < 120
    assert "Logged " in out


def test_a_killed_session_is_logged_up_to_its_last_record(
    invoke: Invoke, progress_path: Path, data_dir: Path
) -> None:
    proc = _start("focus", REF, "--minutes", "120", scale=600)
    try:
        _line_with(proc, "110 min left")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=WAIT)
    finally:
        proc.kill()
    kept = json.loads((data_dir / "focus.json").read_text(encoding="utf-8"))
    assert kept["studied_seconds"] >= 10 * 60 - 30  # recorded every 30 s
    assert logs(progress_path) == []
    out = ok(invoke("focus", "--stop"))
    minutes = int(kept["studied_seconds"] // 60)
    assert "ended unexpectedly" in out
    assert f"its {minutes} min are logged" in out
    assert [log["hours"] for log in logs(progress_path)] == [round(minutes / 60, 4)]
    assert not (data_dir / "focus.json").exists()
    assert "nothing to stop" in ok(invoke("focus", "--stop"))


def test_a_second_session_at_once_is_refused(
    invoke: Invoke, progress_path: Path, data_dir: Path
) -> None:
    proc = _start("focus", REF, "--minutes", "25", scale=1)
    try:
        _line_with(proc, "Focus: ")  # started: the state file is written and the lock held
        for args in (["focus", "long/stanford-cs224n"], ["focus", "--stop"], ["focus"]):
            err = failed(invoke(*args), 1, "is running already", "one session at a time")
            assert f"({REF})" in err
        assert json.loads((data_dir / "focus.json").read_text())["pid"] == proc.pid
        proc.send_signal(signal.SIGINT)
        code, out, err = _finish(proc)
    finally:
        proc.kill()
    assert code == 0, err
    assert "Less than a minute studied: nothing logged." in out
    assert not progress_path.exists()
    assert not (data_dir / "focus.json").exists()


def test_q_on_a_terminal_ends_the_session_and_restores_the_terminal(progress_path: Path) -> None:
    import termios

    leader, follower = os.openpty()
    before = termios.tcgetattr(follower)
    try:
        proc = _start("focus", REF, "--minutes", "120", scale=600, stdin=follower)
        try:
            line = _line_with(proc, "Focus: ")
            assert "q or Ctrl-C" in line + _line_with(proc, "stops early")
            _line_with(proc, "115 min left")
            os.write(leader, b"q")
            code, out, err = _finish(proc)
        finally:
            proc.kill()
        assert termios.tcgetattr(follower) == before  # cbreak mode undone
    finally:
        os.close(leader)
        os.close(follower)
    assert code == 0, err
    assert "Stopped with q after " in out
    [entry] = logs(progress_path)
    assert round(entry["hours"] * 60) >= 5


def test_on_a_terminal_the_view_is_redrawn_in_place_and_the_bell_rings(
    progress_path: Path,
) -> None:
    leader, follower = os.openpty()
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
        env.update(COLUMNS="80", LINES="24", TERM="xterm-256color")
        proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER, "3000", "focus", REF, "--minutes", "2"],
            env=env,
            stdin=follower,
            stdout=follower,
            stderr=subprocess.PIPE,
        )
        os.close(follower)
        follower = -1
        screen = b""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], deadline - time.monotonic())
            try:
                chunk = os.read(leader, 65536) if ready else b""
            except OSError:  # the other end closed: the session is over
                break
            if not chunk:
                break
            screen += chunk
        proc.wait(timeout=WAIT)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    text = screen.decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "left of 2 min" in text
    assert "0:00 left of 2 min" in text  # the last frame, full
    assert "\x1b[" in text  # redrawn in place (cursor moves), not one line per tick
    assert text.count("q or Ctrl-C stops early") >= 1
    assert "\a" in text  # the bell, when the time is up
    after = text.rsplit("0:00 left of 2 min", 1)[1]
    assert "q or Ctrl-C" not in after  # the finished frame drops the keys' hint
    assert "Time is up: 2 min" in after
    assert [log["hours"] for log in logs(progress_path)] == [round(2 / 60, 4)]
