"""A test run never creates or changes roadmap-cli's folders in the real home folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_test_run_leaves_the_real_home_alone(tmp_path: Path) -> None:
    # A "real" home as a user has it: progress and a roadmap of their own, nothing in the cache.
    home = tmp_path / "real-home"
    data = home / ".local" / "share" / "roadmap-cli"
    data.mkdir(parents=True)
    (data / "progress.json").write_text('{"version": 2, "entries": {}, "history": []}\n')
    folder = home / ".config" / "roadmap-cli" / "roadmaps"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("version: 1\nroadmaps: []\n")
    before = _tree(home)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "ROADMAP_CLI_")) and key != "HOME"
    }
    env["HOME"] = str(home)
    # The importer tests hold module-scoped fixtures: they run before any per-test fixture.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_importer.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert _tree(home) == before
    assert not (home / ".cache").exists()
