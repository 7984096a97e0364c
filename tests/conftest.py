"""Shared fixtures. Every test runs with its own data and config folders under tmp_path."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from roadmap_cli.cli import app

_session_home: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Point HOME and the XDG folders at a temporary folder before any fixture runs.

    The autouse fixture below gives each test its own folders; this covers what runs outside
    it (module- and session-scoped fixtures, collection), so no part of a test run can reach
    the real home folder.
    """
    global _session_home
    _session_home = Path(tempfile.mkdtemp(prefix="roadmap-cli-tests-"))
    home = _session_home / "home"
    os.environ["HOME"] = str(home)
    os.environ["XDG_DATA_HOME"] = str(home / ".local" / "share")
    os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
    os.environ["XDG_CACHE_HOME"] = str(home / ".cache")
    os.environ["XDG_STATE_HOME"] = str(home / ".local" / "state")
    os.environ["ROADMAP_CLI_DATA_DIR"] = str(_session_home / "data")
    os.environ["ROADMAP_CLI_CACHE_DIR"] = str(_session_home / "cache")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_home is not None:
        shutil.rmtree(_session_home, ignore_errors=True)


# A roadmap file of our own that reuses the id of a shipped resource (stanford-cs25).
MINE = """\
roadmaps:
  - id: mine
    title: My Own Roadmap
    resources:
      - id: stanford-cs25
        title: My CS25 notes
        url: https://notes.test/cs25
        hours: 2
"""


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real home directory and the user's settings."""
    home = tmp_path / "home"
    home.mkdir()
    data = tmp_path / "data"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("ROADMAP_CLI_DATA_DIR", str(data))
    monkeypatch.setenv("ROADMAP_CLI_CACHE_DIR", str(tmp_path / "cache"))
    # ROADMAP_CLI_NO_CACHE is left as set: `ROADMAP_CLI_NO_CACHE=1 pytest` runs every test
    # without the roadmap cache, as the plain run runs them with it.
    for name in ("ROADMAP_CLI_ROADMAPS", "ROADMAP_CLI_LOCK_TIMEOUT", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return data


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no line is wrapped: for tests of what is said, not layout."""
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def data_dir(isolated_home: Path) -> Path:
    """The folder that holds progress.json in this test."""
    return isolated_home


@pytest.fixture
def progress_path(data_dir: Path) -> Path:
    return data_dir / "progress.json"


Invoke = Callable[..., Result]


@pytest.fixture
def invoke() -> Invoke:
    """Run `roadmap ARGS...` in-process and return the result (stdout and stderr apart)."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run


@pytest.fixture
def write_roadmap(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write YAML text to a roadmap file in tmp_path and return its path."""

    def write(text: str, name: str = "extra.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


WriteRoadmap = Callable[..., Path]


# --- what the tests of several modules check the same way -------------------------------------


def ok(result: Result) -> str:
    """Check a run that succeeded without a word on stderr; return its stdout."""
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def run_json(invoke: Invoke, *args: str) -> Any:
    return json.loads(ok(invoke(*args)))


def failed(result: Result, exit_code: int, *expected: str) -> str:
    """Check a failed run: its exit code, nothing on stdout, one message naming `expected`."""
    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.stderr
    return result.stderr


def line_with(output: str, text: str) -> str:
    """Return the one line of `output` that holds `text`."""
    found = [line for line in output.splitlines() if text in line]
    assert len(found) == 1, f"{text!r} on {len(found)} lines of:\n{output}"
    return found[0]


def billion_laughs(levels: int = 9) -> str:
    """A YAML alias bomb: expanded, it holds 9**levels strings."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in itertools.pairwise("abcdefghijklmnopqrstuvwxyz"[:levels]):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def run_roadmap(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m roadmap_cli ARGS...` as a real process (the environment of the test)."""
    return subprocess.run(
        [sys.executable, "-m", "roadmap_cli", *args],
        cwd=cwd,
        env=os.environ.copy() if env is None else env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
