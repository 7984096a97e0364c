"""Sync progress between machines through any git remote.

The data folder becomes a git repository whose `main` branch holds `progress-sync.json`: the
entries of progress.json (statuses, time logged, notes) without its undo history, which stays
on each machine. A sync writes that file from local progress and commits it, fetches, merges
the remote's copy REF by REF (the most recent change wins: see merge.py), records the result as
a merge commit so that git never merges JSON as text, and pushes. Merging is symmetric, so once
two machines have each other's progress their files are identical and a sync has nothing to
push. All of it happens under the progress lock, so no roadmap command changes progress half way.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from roadmap_cli.errors import RoadmapError
from roadmap_cli.merge import Merged, merge_progress
from roadmap_cli.models import PROGRESS_FORMAT_VERSION, Entry, ProgressFile
from roadmap_cli.store import Store

BRANCH = "main"
REMOTE = "origin"
GIT_TIMEOUT = 120
SNAPSHOT = "progress-sync.json"
# Only the snapshot is shared: progress.json (with its undo history), the lock, backups and
# temporary files stay on this machine.
IGNORED = f"*\n!.gitignore\n!{SNAPSHOT}\n"


class SyncError(RoadmapError):
    """Sync could not finish; local progress is kept as it was."""


@dataclass
class SyncReport:
    """What a sync did."""

    remote: str
    committed: bool = False
    merged: list[Merged] = field(default_factory=list)  # what a user sees change
    future: list[str] = field(default_factory=list)  # REFs with changes dated too far ahead
    pushed: bool = False
    up_to_date: bool = False


def setup(store: Store, remote_url: str) -> SyncReport:
    """Make the data folder a git repository syncing with `remote_url`, then sync once."""
    folder = store.path.parent
    folder.mkdir(parents=True, exist_ok=True)
    git = _Git(folder)
    if not (folder / ".git").exists():
        git.run("init", "--quiet", "--initial-branch", BRANCH)
    if REMOTE in git.run("remote").split():
        git.run("remote", "set-url", REMOTE, remote_url)
    else:
        git.run("remote", "add", REMOTE, remote_url)
    return sync(store)


def sync(store: Store) -> SyncReport:
    """Commit local progress, merge the remote's, and push; raise SyncError on failure."""
    folder = store.path.parent
    git = _Git(folder)
    if not (folder / ".git").exists():
        raise SyncError(
            f"{folder} is not set up for sync yet; run 'roadmap sync --setup REMOTE_URL' with "
            "a git remote you own (a private repository, or a bare one in a shared folder)."
        )
    remote = git.run("remote", "get-url", REMOTE).strip()
    report = SyncReport(remote)
    with store.update("sync") as changes:
        (folder / ".gitignore").write_text(IGNORED, encoding="utf-8")
        _write_snapshot(folder, changes.entries)
        report.committed = _commit(git, f"Progress from {socket.gethostname()}")
        git.run("fetch", "--quiet", "--prune", REMOTE, what="fetch from the remote")
        theirs_head = git.rev(f"{REMOTE}/{BRANCH}")
        ours_head = git.rev("HEAD")
        if theirs_head is not None and not git.is_ancestor(theirs_head, ours_head):
            theirs = _remote_progress(git)
            outcome = merge_progress(
                changes.entries, theirs.entries, source=f"the remote's {SNAPSHOT}"
            )
            report.merged, report.future = outcome.changes, outcome.future
            for item in outcome.writes:
                changes.put(item.ref, item.after)
            if ours_head is not None and git.is_ancestor(ours_head, theirs_head):
                git.run("merge", "--quiet", "--ff-only", f"{REMOTE}/{BRANCH}")
            else:
                args = ["merge", "--quiet", "--no-commit", "--no-ff", "-s", "ours"]
                if ours_head is None or git.merge_base(theirs_head, ours_head) is None:
                    args.append("--allow-unrelated-histories")
                git.run(*args, f"{REMOTE}/{BRANCH}")
            _write_snapshot(folder, changes.entries)
            _commit(git, f"Merge progress from {REMOTE}")
    report.up_to_date = not report.merged and git.rev("HEAD") == theirs_head
    if git.rev("HEAD") != theirs_head:
        git.run("push", "--quiet", REMOTE, f"HEAD:{BRANCH}", what="push to the remote")
        report.pushed = True
    return report


def _write_snapshot(folder: Path, entries: Mapping[str, Entry]) -> None:
    """Write the shared part of progress in a stable form: REFs sorted, no undo history."""
    shared = ProgressFile(
        version=PROGRESS_FORMAT_VERSION, entries=dict(sorted(entries.items())), history=[]
    )
    text = shared.model_dump_json(indent=2, exclude={"history"}) + "\n"
    (folder / SNAPSHOT).write_text(text, encoding="utf-8")


def _commit(git: _Git, message: str) -> bool:
    """Commit the snapshot if it changed (or a merge is pending); return whether it did."""
    git.run("add", ".gitignore", SNAPSHOT)
    merging = git.merging()
    if not merging and git.run("diff", "--cached", "--quiet", code=True) == "0":
        return False
    git.run("commit", "--quiet", "--no-edit", "-m", message)
    return True


def _remote_progress(git: _Git) -> ProgressFile:
    text = git.run("show", f"{REMOTE}/{BRANCH}:{SNAPSHOT}", check=False)
    if not text.strip():
        return ProgressFile(version=PROGRESS_FORMAT_VERSION, entries={}, history=[])
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SyncError(
            f"The remote's {SNAPSHOT} cannot be read: it is not valid JSON ({exc}); {_KEPT}"
        ) from None
    version = data.get("version") if isinstance(data, dict) else None
    if isinstance(version, int) and version > PROGRESS_FORMAT_VERSION:
        raise SyncError(
            f"The remote's {SNAPSHOT} was written by a newer roadmap-cli (format {version}); "
            f"upgrade roadmap-cli on this machine. {_KEPT}"
        )
    try:
        return ProgressFile.model_validate_json(text, strict=True)
    except ValidationError as exc:
        problem = exc.errors(include_url=False)[0]["msg"]
        raise SyncError(f"The remote's {SNAPSHOT} cannot be read ({problem}); {_KEPT}") from None


_KEPT = "nothing was merged and local progress is unchanged."


class _Git:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        if shutil.which("git") is None:
            raise SyncError("Sync needs git, and no 'git' command was found on this machine.")

    def run(self, *args: str, check: bool = True, code: bool = False, what: str = "") -> str:
        """Run git in the data folder and return its output (or its exit code with `code`)."""
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        command = [
            "git",
            "-C",
            str(self.folder),
            "-c",
            "user.name=roadmap-cli",
            "-c",
            "user.email=roadmap-cli@localhost",
            "-c",
            "commit.gpgsign=false",
            *args,
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, env=env, timeout=GIT_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise SyncError(
                f"git took more than {GIT_TIMEOUT} s to {what or args[0]}; local progress is kept."
            ) from None
        if code:
            return str(done.returncode)
        if check and done.returncode != 0:
            detail = " ".join((done.stderr or done.stdout).split()) or f"exit {done.returncode}"
            raise SyncError(
                f"Could not {what or 'run git ' + args[0]}: {detail}. Local progress is kept."
            )
        return done.stdout

    def rev(self, name: str) -> str | None:
        out = self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False)
        return out.strip() or None

    def is_ancestor(self, older: str, newer: str | None) -> bool:
        if newer is None:
            return False
        return self.run("merge-base", "--is-ancestor", older, newer, code=True) == "0"

    def merge_base(self, one: str, other: str) -> str | None:
        return self.run("merge-base", one, other, check=False).strip() or None

    def merging(self) -> bool:
        return self.rev("MERGE_HEAD") is not None
