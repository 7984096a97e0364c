"""End to end: the installed `roadmap` script and `python -m roadmap_cli`, as real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from roadmap_cli import __version__


def _script() -> str:
    beside = Path(sys.executable).parent / "roadmap"
    found = str(beside) if beside.is_file() else shutil.which("roadmap")
    assert found, "the roadmap script is not installed"
    return found


Run = Callable[..., subprocess.CompletedProcess[str]]

LAUNCHERS = {
    "script": [_script()],
    "module": [sys.executable, "-m", "roadmap_cli"],
}


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run a launcher with ARGS in another folder; the autouse fixture's environment applies."""
    env = dict(os.environ)
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        env.pop(name, None)
    assert env["ROADMAP_CLI_DATA_DIR"] == str(tmp_path / "data")

    def run_it(launcher: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*LAUNCHERS[launcher], *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )

    return run_it


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    return done.stdout


@pytest.mark.parametrize("launcher", list(LAUNCHERS))
def test_list_runs_from_another_folder(run: Run, launcher: str) -> None:
    out = _ok(run(launcher, "list"))
    assert "Long Learning Roadmap" in out
    assert "80–100 h" in out
    assert "Shorter Learning Roadmap" in out
    assert "\x1b" not in out


@pytest.mark.parametrize("launcher", list(LAUNCHERS))
def test_version(run: Run, launcher: str) -> None:
    assert _ok(run(launcher, "--version")) == f"roadmap-cli {__version__}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nosuch"], "Error: No roadmap with id 'nosuch'. Roadmaps: long, short.\n"),
        (["done", "long/nope"], "Error: No resource 'long/nope'."),
        (["show"], "Error: 'roadmap show' needs a ROADMAP. Run 'roadmap show --help'"),
        (["stats", "--weeks", "100000"], "Error: --weeks takes a whole number of weeks"),
    ],
)
def test_an_error_is_exit_2_with_the_message_on_stderr(
    run: Run, progress_path: Path, args: list[str], message: str
) -> None:
    done = run("script", *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not progress_path.exists()


def test_done_is_seen_by_a_fresh_process(run: Run, progress_path: Path) -> None:
    out = _ok(run("script", "done", "long/stanford-cs25"))
    assert "Done: Stanford CS25 - Transformers United (long/stanford-cs25)" in out
    assert progress_path.is_file()

    rows = {row["id"]: row for row in json.loads(_ok(run("module", "list", "--json")))}
    assert rows["long"]["done"] == 1
    assert rows["long"]["remaining_hours"] == {"low": 65, "high": 81}
    assert rows["short"]["done"] == 0


def test_an_unreadable_progress_file_is_exit_1_and_kept(run: Run, progress_path: Path) -> None:
    progress_path.parent.mkdir()
    progress_path.write_bytes(b"{not json")
    done = run("script", "done", "long/stanford-cs25")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout == ""
    assert str(progress_path) in done.stderr
    assert "Traceback" not in done.stderr
    assert progress_path.read_bytes() == b"{not json"


@pytest.mark.parametrize(
    ("args", "out", "err"),
    [
        # The process builds only the command named; what a user sees is the same.
        (["list"], "Open one with: roadmap show ID", ""),
        (["--roadmaps", "none.yaml", "where"], "none.yaml", ""),
        (["--roadmaps=none.yaml", "where"], "none.yaml", ""),
        (["show", "--help"], "Usage: roadmap show [OPTIONS] ROADMAP", ""),
        (["--help"], "doctor", ""),
        (["-h", "list"], "where", ""),
        (["lst"], "", "Error: There is no command 'lst'. Did you mean list?"),
        (["list", "--bogus"], "", "Error: 'roadmap list' has no option --bogus."),
        (["--bogus", "list"], "", "Error: 'roadmap' has no option --bogus."),
    ],
)
def test_a_process_runs_the_command_it_names(run: Run, args: list[str], out: str, err: str) -> None:
    done = run("module", *args)
    assert out in done.stdout
    assert err in done.stderr
    assert done.returncode == (2 if err else 0), done.stdout + done.stderr


def test_a_long_output_reaches_a_pipe_whole(
    run: Run, write_roadmap: Callable[..., Path], tmp_path: Path
) -> None:
    # The process ends without the interpreter's teardown: what it printed is flushed first.
    lines = ["version: 1", "roadmaps:"]
    for n in range(300):
        lines += [
            f"  - id: r{n}",
            f"    title: Roadmap {n}",
            "    resources:",
            f"      - {{id: a, title: A, url: 'https://r{n}.test/a', hours: 1}}",
        ]
    extra = write_roadmap("\n".join(lines) + "\n")

    out = _ok(run("module", "--roadmaps", str(extra), "list"))

    assert all(f"r{n} " in out for n in range(300))
    assert out.endswith("Open one with: roadmap show ID\n")


SCRIPT = """
import atexit, sys
from roadmap_cli.entry import main
atexit.register(lambda: print("handler ran", file=sys.stderr))
sys.argv = ["roadmap", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize(("args", "code"), [(["list"], 0), (["show", "nope"], 2)])
def test_an_exit_handler_still_runs_and_the_exit_status_is_kept(
    tmp_path: Path, args: list[str], code: int
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == code, done.stderr
    assert done.stderr.endswith("handler ran\n")
