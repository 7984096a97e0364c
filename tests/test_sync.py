"""`roadmap sync`: two machines (data folders A and B) sharing progress through a bare git repo.

Each machine is the CLI run in-process with ROADMAP_CLI_DATA_DIR set to its folder. The remote
is inspected with plain git: its `main` must always hold a readable progress-sync.json (the
shared part of progress.json: its entries, without the local undo history), and nothing else.
Each machine's own repository is `sync.git` in its data folder; the data folder itself is never
a git checkout. Hostile remotes are in test_hostile_sync.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from roadmap_cli import sync as sync_module
from roadmap_cli.entries import ProgressFile
from tests.conftest import Invoke
from tests.records_from import make_progress

X = "short/illustrated-transformer"
Y = "long/stanford-cs25"
Z = "long/stanford-cs224n"
GIT = shutil.which("git") or "git"
PATIENCE = 20.0  # seconds: a local sync takes well under one


def git(*args: str, check: bool = True) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    ident = ["-c", "user.name=tester", "-c", "user.email=tester@localhost"]
    done = subprocess.run(
        [GIT, *ident, *args], capture_output=True, text=True, env=env, check=False
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done.stdout


def bare_repo(path: Path) -> Path:
    git("init", "--quiet", "--bare", str(path))
    return path


SHARED = "progress-sync.json"


def remote_head(remote: Path) -> str:
    return git("-C", str(remote), "rev-parse", "--verify", "--quiet", "main", check=False).strip()


def remote_progress(remote: Path) -> ProgressFile:
    """The progress-sync.json on the remote's main: valid JSON and a valid progress file."""
    text = git("-C", str(remote), "show", f"main:{SHARED}")
    json.loads(text)
    progress = make_progress(text)
    assert progress.version == 2
    return progress


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_repo(tmp_path / "remote.git")


@pytest.fixture
def a(tmp_path: Path) -> Path:
    return tmp_path / "A"


@pytest.fixture
def b(tmp_path: Path) -> Path:
    return tmp_path / "B"


def run(folder: Path, invoke: Invoke, *args: str) -> Result:
    return invoke(*args, env={"ROADMAP_CLI_DATA_DIR": str(folder)})


def on(folder: Path, invoke: Invoke, *args: str) -> Result:
    result = run(folder, invoke, *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result


def sync(folder: Path, invoke: Invoke, remote: Path, *, setup: bool = False) -> Result:
    """Sync `folder` (setting it up with `remote` first when `setup`) and check the remote."""
    started = time.monotonic()
    result = on(folder, invoke, "sync", *(["--setup", str(remote)] if setup else []))
    assert time.monotonic() - started < PATIENCE
    if SHARED in git("-C", str(remote), "ls-tree", "--name-only", "main").split():
        remote_progress(remote)  # readable after every sync that has progress to share
    return result


def show(folder: Path, invoke: Invoke, roadmap: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(on(folder, invoke, "show", roadmap, "--json").stdout)
    return data


def resources(folder: Path, invoke: Invoke) -> dict[str, dict[str, Any]]:
    return {
        res["ref"]: res
        for roadmap in ("long", "short")
        for step in show(folder, invoke, roadmap)["steps"]
        for res in step["resources"]
    }


def statuses(folder: Path, invoke: Invoke) -> dict[str, str]:
    return {ref: res["status"] for ref, res in resources(folder, invoke).items()}


def done_counts(folder: Path, invoke: Invoke) -> dict[str, int]:
    return {r["id"]: r["done"] for r in json.loads(on(folder, invoke, "list", "--json").stdout)}


def merge_commits(remote: Path) -> list[str]:
    return git("-C", str(remote), "rev-list", "--merges", "main").split()


def local_head(folder: Path) -> str:
    """The last snapshot this machine pushed (or found already on the remote)."""
    return git("--git-dir", str(folder / "sync.git"), "rev-parse", "main").strip()


def listing(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Every path under `folder` (itself included), its kind and its content or link target."""
    if not os.path.lexists(folder):
        return {}
    found: dict[str, tuple[str, bytes]] = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = ("link", os.readlink(path).encode())
        elif path.is_dir():
            found[name] = ("dir", b"")
        else:
            found[name] = ("file", path.read_bytes())
    return found


# --- two machines ----------------------------------------------------------------------------


def test_two_machines_each_see_both_resources_after_syncing_twice(
    invoke: Invoke, remote: Path, a: Path, b: Path
) -> None:
    on(a, invoke, "done", X)
    first = sync(a, invoke, remote, setup=True)
    assert "Sent your local changes to the remote." in first.stdout
    assert f"Synced with {remote}" in first.stdout
    assert remote_progress(remote).status(X) == "done"

    on(b, invoke, "done", Y)
    second = sync(b, invoke, remote, setup=True)
    assert f"{X}  pending → done" in second.stdout  # A's progress arrives on B
    assert statuses(b, invoke)[X] == "done"

    third = sync(a, invoke, remote)
    assert f"{Y}  pending → done" in third.stdout  # and B's on A

    for folder in (a, b):
        got = statuses(folder, invoke)
        assert (got[X], got[Y]) == ("done", "done")
        assert got[Z] == "pending"
        assert done_counts(folder, invoke) == {"long": 1, "short": 1}
    on_remote = remote_progress(remote)
    assert on_remote.status(X) == on_remote.status(Y) == "done"


def test_each_sync_builds_on_the_remote_and_shares_one_file(
    invoke: Invoke, remote: Path, a: Path, b: Path
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    first = remote_head(remote)
    on(b, invoke, "done", Y)
    sync(b, invoke, remote, setup=True)
    on(a, invoke, "start", Z)
    sync(a, invoke, remote)

    # Never forced: each new snapshot is a commit on top of the one it merged.
    history = git("-C", str(remote), "rev-list", "main").split()
    assert len(history) == 3
    assert history[-1] == first
    assert merge_commits(remote) == []
    for commit in history:
        tree = git("-C", str(remote), "ls-tree", commit).split("\n")[0].split()
        assert tree[:2] == ["100644", "blob"]
        assert tree[3] == SHARED
        assert git("-C", str(remote), "ls-tree", "--name-only", commit).split() == [SHARED]
    assert local_head(a) == remote_head(remote)
    progress = remote_progress(remote)
    assert (progress.status(X), progress.status(Y), progress.status(Z)) == (
        "done",
        "done",
        "in-progress",
    )


@pytest.mark.parametrize("first", ["a", "b"], ids=["a-syncs-first", "b-syncs-first"])
def test_a_resource_changed_on_both_keeps_the_later_change_everywhere(
    invoke: Invoke, remote: Path, a: Path, b: Path, first: str
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    sync(b, invoke, remote, setup=True)
    assert statuses(b, invoke)[X] == "done"
    on(a, invoke, "start", X)  # not synced yet...
    on(b, invoke, "reset", X)  # ...and later, on B: this one wins

    order = [a, b] if first == "a" else [b, a]
    for folder in [*order, order[0]]:
        sync(folder, invoke, remote)

    assert statuses(a, invoke)[X] == "pending"
    assert statuses(b, invoke)[X] == "pending"
    assert remote_progress(remote).status(X) == "pending"


def test_time_logged_on_one_machine_and_a_note_on_the_other_both_survive(
    invoke: Invoke, remote: Path, a: Path, b: Path
) -> None:
    sync(a, invoke, remote, setup=True)
    sync(b, invoke, remote, setup=True)
    on(a, invoke, "log", Z, "1h30m", "--date", "2026-01-05")
    on(b, invoke, "note", Z, "lecture 8 on attention is the key one")

    sync(a, invoke, remote)
    sync(b, invoke, remote)
    sync(a, invoke, remote)

    for folder in (a, b):
        res = resources(folder, invoke)[Z]
        assert res["hours_logged"] == 1.5
        assert res["notes"] == 1
        notes = json.loads(on(folder, invoke, "notes", Z, "--json").stdout)
        assert [n["text"] for n in notes["notes"]] == ["lecture 8 on attention is the key one"]
    entry = remote_progress(remote).entries[Z]
    assert (len(entry.log), len(entry.notes)) == (1, 1)


@pytest.mark.parametrize("marked", ["done", "log"])
def test_a_note_on_one_machine_does_not_undo_a_status_set_on_the_other(
    invoke: Invoke, remote: Path, a: Path, b: Path, marked: str
) -> None:
    sync(a, invoke, remote, setup=True)
    sync(b, invoke, remote, setup=True)
    if marked == "done":
        on(a, invoke, "done", Z)
    else:
        on(a, invoke, "log", Z, "1h30m")
    on(b, invoke, "note", Z, "a note, written later on B")
    expected = statuses(a, invoke)[Z]
    assert expected == ("done" if marked == "done" else "in-progress")

    sync(a, invoke, remote)
    sync(b, invoke, remote)
    sync(a, invoke, remote)

    assert statuses(a, invoke)[Z] == expected
    assert statuses(b, invoke)[Z] == expected
    assert resources(a, invoke)[Z]["notes"] == 1


def test_a_sync_with_nothing_new_says_so_and_pushes_nothing(
    invoke: Invoke, remote: Path, a: Path, b: Path
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    on(b, invoke, "done", Y)
    sync(b, invoke, remote, setup=True)
    sync(a, invoke, remote)
    head = remote_head(remote)
    local = local_head(a)
    progress = (a / "progress.json").read_bytes()

    result = sync(a, invoke, remote)

    assert result.stdout.strip() == f"Already in sync with {remote}."
    assert remote_head(remote) == head
    assert local_head(a) == local
    assert (a / "progress.json").read_bytes() == progress


def test_machines_in_sync_do_not_push_on_every_sync(
    invoke: Invoke, remote: Path, a: Path, b: Path
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    on(b, invoke, "done", Y)
    sync(b, invoke, remote, setup=True)
    sync(a, invoke, remote)  # both have both now
    assert statuses(a, invoke) == statuses(b, invoke)

    heads = []
    for folder in (b, a, b):
        result = sync(folder, invoke, remote)
        heads.append(remote_head(remote))
        assert "Already in sync" in result.stdout
    assert len(set(heads)) == 1


def test_the_data_folder_is_never_a_checkout(invoke: Invoke, remote: Path, a: Path) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    on(a, invoke, "log", X, "30m")
    sync(a, invoke, remote)

    # Only sync's own bare repository: no work tree, no file of the remote's tree written out.
    names = sorted(p.name for p in a.iterdir())
    assert names == ["progress.json", "progress.json.lock", "sync.git"]
    bare = git("--git-dir", str(a / "sync.git"), "rev-parse", "--is-bare-repository")
    assert bare.strip() == "true"
    assert not (a / "sync.git" / "hooks").exists()  # made without templates: no hooks at all
    # Only the snapshot travels: progress.json keeps this machine's undo history.
    on_remote = git("-C", str(remote), "ls-tree", "--name-only", "main").split()
    assert on_remote == [SHARED]
    assert "history" not in json.loads(git("-C", str(remote), "show", f"main:{SHARED}"))


def test_a_change_made_while_sync_fetches_is_kept_and_sent_by_the_next_sync(
    invoke: Invoke, remote: Path, a: Path, b: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    on(b, invoke, "done", Y)
    sync(b, invoke, remote, setup=True)
    original = sync_module._Git.fetch

    def fetch(self: Any, url: str) -> str | None:
        # Another command while the network is slow: the progress lock is free (with a lock
        # timeout of 0 it would fail at once otherwise).
        other = subprocess.run(
            [sys.executable, "-m", "roadmap_cli", "start", Z],
            env={**os.environ, "ROADMAP_CLI_DATA_DIR": str(a), "ROADMAP_CLI_LOCK_TIMEOUT": "0"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert other.returncode == 0, other.stderr
        return original(self, url)

    monkeypatch.setattr(sync_module._Git, "fetch", fetch)
    result = sync(a, invoke, remote)
    monkeypatch.setattr(sync_module._Git, "fetch", original)

    assert f"{Y}  pending → done" in result.stdout
    got = statuses(a, invoke)
    assert (got[X], got[Y], got[Z]) == ("done", "done", "in-progress")
    assert remote_progress(remote).status(Z) == "pending"  # made after the snapshot was read
    assert "Sent your local changes" in sync(a, invoke, remote).stdout
    assert remote_progress(remote).status(Z) == "in-progress"
    assert sync(a, invoke, remote).stdout.startswith("Already in sync")


def test_setup_again_with_another_remote_syncs_with_that_one(
    invoke: Invoke, remote: Path, a: Path, tmp_path: Path
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    moved = bare_repo(tmp_path / "moved.git")

    result = on(a, invoke, "sync", "--setup", str(moved))

    assert f"Synced with {moved}" in result.stdout
    assert remote_head(moved) != ""
    assert remote_progress(moved).status(X) == "done"
    config = ["--git-dir", str(a / "sync.git"), "config", "remote.origin.url"]
    assert git(*config).strip() == str(moved)
    assert [p.name for p in a.iterdir() if p.name.startswith(".sync")] == []


def test_setup_with_a_relative_path_keeps_working_from_anywhere(
    invoke: Invoke, remote: Path, a: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(a, invoke, "done", X)
    monkeypatch.chdir(tmp_path)
    on(a, invoke, "sync", "--setup", "remote.git")
    monkeypatch.chdir(a)
    assert on(a, invoke, "sync").stdout.startswith(f"Already in sync with {remote}")


# --- what the remote holds ---------------------------------------------------------------------


def push_from_clone(remote: Path, tmp_path: Path, content: bytes) -> str:
    """Replace progress-sync.json on the remote's main as another program would; return main."""
    clone = tmp_path / "clone"
    git("clone", "--quiet", "--branch", "main", str(remote), str(clone))
    (clone / SHARED).write_bytes(content)
    git("-C", str(clone), "commit", "--quiet", "-am", "written elsewhere")
    git("-C", str(clone), "push", "--quiet", "origin", "HEAD:main")
    return git("-C", str(remote), "rev-parse", "main").strip()


def test_an_unreadable_progress_file_on_the_remote_changes_nothing(
    invoke: Invoke, remote: Path, a: Path, b: Path, tmp_path: Path
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    head = push_from_clone(remote, tmp_path, b"{bad")
    on(b, invoke, "done", Y)
    progress = (b / "progress.json").read_bytes()

    result = run(b, invoke, "sync", "--setup", str(remote))

    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: Cannot read the remote's {SHARED}: line 1 column 2")
    assert "Local progress is kept." in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert (b / "progress.json").read_bytes() == progress
    assert remote_head(remote) == head
    assert not (b / "sync.git").exists()


def test_a_remote_written_by_a_newer_roadmap_cli_is_refused(
    invoke: Invoke, remote: Path, a: Path, b: Path, tmp_path: Path
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    newer = json.loads(git("-C", str(remote), "show", f"main:{SHARED}"))
    newer["version"] = 99
    head = push_from_clone(remote, tmp_path, json.dumps(newer).encode())
    on(b, invoke, "done", Y)
    progress = (b / "progress.json").read_bytes()

    result = run(b, invoke, "sync", "--setup", str(remote))

    assert result.exit_code == 1, result.output
    assert "newer" in result.stderr
    assert (b / "progress.json").read_bytes() == progress
    assert remote_head(remote) == head


# --- when sync cannot finish -------------------------------------------------------------------


def test_sync_before_setup_says_how_to_set_it_up(invoke: Invoke, a: Path) -> None:
    on(a, invoke, "done", X)
    progress = (a / "progress.json").read_bytes()

    result = run(a, invoke, "sync")

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "roadmap sync --setup REMOTE_URL" in result.stderr
    assert str(a) in result.stderr
    assert not (a / ".git").exists()
    assert not (a / "sync.git").exists()
    assert (a / "progress.json").read_bytes() == progress


def test_sync_before_setup_with_no_progress_creates_nothing(invoke: Invoke, a: Path) -> None:
    result = run(a, invoke, "sync")
    assert result.exit_code == 1, result.output
    assert "--setup" in result.stderr
    assert not a.exists()


@pytest.mark.parametrize("how", ["setup", "remote-gone"])
def test_an_unreachable_remote_fails_and_keeps_local_progress(
    invoke: Invoke, remote: Path, a: Path, tmp_path: Path, how: str
) -> None:
    missing = tmp_path / "no-such-remote.git"
    on(a, invoke, "done", X)
    if how == "remote-gone":
        sync(a, invoke, remote, setup=True)
        remote.rename(missing)
        on(a, invoke, "start", Z)
    progress = (a / "progress.json").read_bytes()
    before = listing(a)

    args = ["sync", "--setup", str(missing)] if how == "setup" else ["sync"]
    started = time.monotonic()
    result = run(a, invoke, *args)

    assert time.monotonic() - started < PATIENCE
    assert result.exit_code == 1, result.output
    # git's own words, once, as one clean line: not every line of its message run together.
    gone = missing if how == "setup" else remote  # the URL sync knows
    assert result.stderr == (
        f"Error: Could not fetch from the remote {gone}: fatal: '{gone}' does not appear "
        "to be a git repository. Local progress is kept."
        + (f" Nothing was set up: {a} is as it was." if how == "setup" else "")
        + "\n"
    )
    assert (a / "progress.json").read_bytes() == progress
    if how == "setup":
        assert listing(a) == before
    got = statuses(a, invoke)
    assert got[X] == "done"
    if how == "remote-gone":
        assert got[Z] == "in-progress"
        # Once the remote is back, the next sync delivers what was kept.
        missing.rename(remote)
        sync(a, invoke, remote)
        assert remote_progress(remote).status(Z) == "in-progress"


@pytest.mark.parametrize("how", ["setup", "sync"])
def test_sync_without_git_says_git_is_needed_and_changes_nothing(
    invoke: Invoke,
    remote: Path,
    a: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    on(a, invoke, "done", X)
    if how == "sync":
        sync(a, invoke, remote, setup=True)
        on(a, invoke, "start", Z)
    head = remote_head(remote)
    progress = (a / "progress.json").read_bytes()
    local = local_head(a) if how == "sync" else None
    before = listing(a)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    args = ["sync", "--setup", str(remote)] if how == "setup" else ["sync"]
    result = run(a, invoke, *args)

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "no 'git' command was found" in result.stderr
    assert (a / "progress.json").read_bytes() == progress
    assert remote_head(remote) == head
    assert listing(a) == before
    if how == "sync":
        assert local_head(a) == local


def guarded_remote(path: Path) -> Path:
    """A bare repository whose pre-receive hook refuses every push."""
    bare_repo(path)
    hook = path / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    return path


@pytest.mark.parametrize("how", ["setup", "sync"])
def test_a_rejected_push_fails_and_keeps_local_progress(
    invoke: Invoke, a: Path, b: Path, tmp_path: Path, how: str
) -> None:
    guarded = bare_repo(tmp_path / "guarded.git")
    if how == "sync":
        on(b, invoke, "done", Y)
        sync(b, invoke, guarded, setup=True)
        sync(a, invoke, guarded, setup=True)
        on(b, invoke, "note", Y, "from B")
        sync(b, invoke, guarded)  # something for A to merge, which it will not take
    guarded_remote(guarded)
    on(a, invoke, "done", X)
    on(a, invoke, "note", X, "read twice")
    progress = (a / "progress.json").read_bytes()
    head = remote_head(guarded)
    before = listing(a)

    result = run(a, invoke, "sync", *(["--setup", str(guarded)] if how == "setup" else []))

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert f"Could not push to the remote {guarded}: [remote rejected]" in result.stderr
    assert "the remote said: pushes are closed today" in result.stderr
    assert "Local progress is kept." in result.stderr
    assert (a / "progress.json").read_bytes() == progress
    assert remote_head(guarded) == head
    if how == "setup":
        assert listing(a) == before  # all or nothing
    assert statuses(a, invoke)[X] == "done"
    # When the remote accepts pushes again, the same command delivers it.
    (guarded / "hooks" / "pre-receive").unlink()
    sync(a, invoke, guarded, setup=how == "setup")
    assert remote_progress(guarded).status(X) == "done"


def test_a_push_rejected_because_another_machine_pushed_first_is_retried_by_the_next_sync(
    invoke: Invoke, remote: Path, a: Path, b: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    sync(b, invoke, remote, setup=True)
    on(a, invoke, "done", Z)
    on(b, invoke, "done", Y)

    original = sync_module._Git.run_full
    raced: list[bool] = []

    def run_git(self: Any, *args: str, **kwargs: Any) -> Any:
        if args[0] == "push" and self.repo == a / "sync.git" and not raced:
            # B syncs between A's fetch and A's push: the remote's main moves on.
            raced.append(True)
            other = subprocess.run(
                [sys.executable, "-m", "roadmap_cli", "sync"],
                env={**os.environ, "ROADMAP_CLI_DATA_DIR": str(b)},
                capture_output=True,
                text=True,
                check=False,
            )
            assert other.returncode == 0, other.stderr
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sync_module._Git, "run_full", run_git)
    progress = (a / "progress.json").read_bytes()

    result = run(a, invoke, "sync")

    assert raced == [True], result.output
    assert result.exit_code == 1, result.output
    assert "Could not push to the remote" in result.stderr
    assert "[rejected]" in result.stderr
    assert "Another machine pushed first; run 'roadmap sync' again" in result.stderr
    assert (a / "progress.json").read_bytes() == progress
    assert remote_progress(remote).status(Y) == "done"
    assert remote_progress(remote).status(Z) == "pending"  # A's change did not get there

    sync(a, invoke, remote)
    sync(b, invoke, remote)

    for folder in (a, b):
        got = statuses(folder, invoke)
        assert (got[X], got[Y], got[Z]) == ("done", "done", "done")


# --- set-up is all or nothing ------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", ["unreachable", "plain-folder", "unreadable-snapshot", "no-data-folder", "re-setup"]
)
def test_a_failed_setup_leaves_the_data_folder_as_it_was(
    invoke: Invoke, remote: Path, a: Path, b: Path, tmp_path: Path, case: str
) -> None:
    target = tmp_path / "no-such-remote.git"
    if case == "plain-folder":
        target.mkdir()
        (target / "README").write_text("not a repository\n", encoding="utf-8")
    elif case == "unreadable-snapshot":
        target = remote
        sync(b, invoke, remote, setup=True)
        push_from_clone(remote, tmp_path, b"\xff\xfe not even text")
    if case == "re-setup":
        on(a, invoke, "done", X)
        sync(a, invoke, remote, setup=True)
    if case != "no-data-folder":
        on(a, invoke, "start", Z)
    before = listing(a)

    result = run(a, invoke, "sync", "--setup", str(target))

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.endswith(f"Nothing was set up: {a} is as it was.\n")
    assert listing(a) == before
    if case == "no-data-folder":
        assert not a.exists()
    if case == "re-setup":  # still syncing with the remote it had
        assert f"Synced with {remote}" in on(a, invoke, "sync").stdout


# --- set-ups from before sync kept its own repository ----------------------------------------


def old_design(folder: Path, remote: Path, invoke: Invoke, marker: Path) -> None:
    """What `sync --setup` used to make: the data folder itself a checkout of the remote."""
    on(folder, invoke, "done", X)
    git("init", "--quiet", "--initial-branch", "main", str(folder))
    (folder / ".gitignore").write_text(f"*\n!.gitignore\n!{SHARED}\n", encoding="utf-8")
    entries = json.loads((folder / "progress.json").read_text(encoding="utf-8"))["entries"]
    shared = {"version": 2, "entries": entries}
    (folder / SHARED).write_text(json.dumps(shared, indent=2) + "\n", encoding="utf-8")
    git("-C", str(folder), "add", ".gitignore", SHARED)
    git("-C", str(folder), "commit", "--quiet", "-m", "Progress")
    git("-C", str(folder), "remote", "add", "origin", str(remote))
    git("-C", str(folder), "push", "--quiet", "origin", "HEAD:main")
    # Anything that would run if git were run in the data folder again leaves a mark.
    script = folder.parent / "mark.sh"
    script.write_text(f"#!/bin/sh\necho ran >> '{marker}'\n", encoding="utf-8")
    script.chmod(0o755)
    for hook in ("post-merge", "post-checkout", "pre-commit", "reference-transaction"):
        shutil.copy(script, folder / ".git" / "hooks" / hook)
    git("-C", str(folder), "config", "core.fsmonitor", str(script))


@pytest.mark.parametrize("how", ["sync", "setup-again"])
def test_an_old_setup_moves_to_a_repository_of_its_own_and_keeps_the_old_one(
    invoke: Invoke, remote: Path, a: Path, b: Path, tmp_path: Path, how: str
) -> None:
    marker = tmp_path / "ran-in-the-data-folder"
    old_design(a, remote, invoke, marker)
    on(b, invoke, "done", Y)
    sync(b, invoke, remote, setup=True)
    old = listing(a / ".git")
    kept = {name: (a / name).read_bytes() for name in (".gitignore", SHARED)}

    result = sync(a, invoke, remote, setup=how == "setup-again")

    assert result.stdout.startswith(
        f"Sync now keeps its own repository, {a / 'sync.git'}, and reads only {SHARED} from "
        f"the remote. The data folder's old repository {a / '.git'} (with its .gitignore and "
        f"{SHARED}) is no longer used and was left as it was; you may delete them."
    )
    assert f"{Y}  pending → done" in result.stdout
    assert listing(a / ".git") == old
    assert {name: (a / name).read_bytes() for name in kept} == kept
    assert not marker.exists()
    assert statuses(a, invoke)[Y] == "done"
    config = ["--git-dir", str(a / "sync.git"), "config", "remote.origin.url"]
    assert git(*config).strip() == str(remote)
    again = sync(a, invoke, remote)
    assert again.stdout == f"Already in sync with {remote}.\n"
    sync(b, invoke, remote)
    assert statuses(b, invoke)[X] == "done"
    assert not marker.exists()


def test_an_old_setup_whose_remote_is_gone_says_so_and_changes_nothing(
    invoke: Invoke, remote: Path, a: Path, tmp_path: Path
) -> None:
    old_design(a, remote, invoke, tmp_path / "marker")
    remote.rename(tmp_path / "moved.git")
    before = listing(a)

    result = run(a, invoke, "sync")

    assert result.exit_code == 1, result.output
    assert f"Could not fetch from the remote {remote}" in result.stderr
    assert listing(a) == before


# --- Ctrl-C ---------------------------------------------------------------------------------------


def _script() -> str:
    beside = Path(sys.executable).parent / "roadmap"
    found = str(beside) if beside.is_file() else shutil.which("roadmap")
    assert found, "the roadmap script is not installed"
    return found


def stalling_transport(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A git transport `stall::` that says on a FIFO that the fetch began, then never answers.

    Returns the FIFO to wait on, the folder of the helper, and the environment to run with.
    """
    helpers = tmp_path / "helpers"
    helpers.mkdir()
    ready, never = tmp_path / "ready.fifo", tmp_path / "never.fifo"
    os.mkfifo(ready)
    os.mkfifo(never)
    helper = helpers / "git-remote-stall"
    helper.write_text(f"#!/bin/sh\necho fetching > '{ready}'\nread line < '{never}'\n")
    helper.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["PATH"] = f"{helpers}{os.pathsep}{env['PATH']}"
    return ready, helpers, env


def interrupted_during_fetch(args: list[str], ready: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run `roadmap ARGS`, press Ctrl-C (SIGINT to its process group) once git is fetching."""
    # Held open for reading and writing, so that neither side blocks on opening it.
    fd = os.open(ready, os.O_RDWR | os.O_NONBLOCK)
    proc = subprocess.Popen(
        [_script(), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a terminal's Ctrl-C reaches the whole group, git included
    )
    try:
        readable, _, _ = select.select([fd], [], [], PATIENCE)
        assert readable, "git never started fetching"
        assert os.read(fd, 100) == b"fetching\n"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=PATIENCE)
    finally:
        os.close(fd)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc.returncode, err.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT and FIFOs are POSIX")
def test_ctrl_c_while_sync_fetches_is_one_line_and_changes_nothing(
    invoke: Invoke, remote: Path, a: Path, b: Path, tmp_path: Path
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    on(b, invoke, "done", Y)
    sync(b, invoke, remote, setup=True)
    on(a, invoke, "start", Z)
    repo = ["--git-dir", str(a / "sync.git")]
    git(*repo, "config", "remote.origin.url", "stall::somewhere")
    progress = (a / "progress.json").read_bytes()
    ready, _, env = stalling_transport(tmp_path)

    code, err = interrupted_during_fetch(["sync"], ready, {**env, "ROADMAP_CLI_DATA_DIR": str(a)})

    assert (code, err) == (130, "Interrupted.\n")
    assert (a / "progress.json").read_bytes() == progress
    git(*repo, "fsck", "--no-progress")
    git(*repo, "config", "remote.origin.url", str(remote))
    assert f"{Y}  pending → done" in sync(a, invoke, remote).stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT and FIFOs are POSIX")
@pytest.mark.parametrize("before", ["new", "set-up"])
def test_ctrl_c_during_setup_leaves_the_data_folder_as_it_was(
    invoke: Invoke, remote: Path, a: Path, tmp_path: Path, before: str
) -> None:
    on(a, invoke, "done", X)
    if before == "set-up":
        sync(a, invoke, remote, setup=True)
    listed = listing(a)
    ready, _, env = stalling_transport(tmp_path)

    code, err = interrupted_during_fetch(
        ["sync", "--setup", "stall::somewhere"], ready, {**env, "ROADMAP_CLI_DATA_DIR": str(a)}
    )

    assert (code, err) == (130, "Interrupted.\n")
    assert listing(a) == listed


# --- what git says, in one line ------------------------------------------------------------------

MISSING_REPO = b"""fatal: '/x/p.git' does not appear to be a git repository
fatal: Could not read from remote repository.

Please make sure you have the correct access rights
and the repository exists.
"""
SSH = b"""ssh: Could not resolve hostname nowhere.invalid: Name or service not known\r
fatal: Could not read from remote repository.

Please make sure you have the correct access rights
and the repository exists.
"""
RACE = b"""To /x/p.git
 ! [rejected]        4b825dc642cb6eb9a060e54bf8d69288fbee4904 -> main (fetch first)
error: failed to push some refs to '/x/p.git'
hint: Updates were rejected because the remote contains work that you do
hint: not have locally.
"""
HOOK = b"""remote: pushes are closed today
remote: ask the admin
To /x/p.git
 ! [remote rejected] 4b825dc642cb6eb9a060e54bf8d69288fbee4904 -> main (pre-receive hook declined)
error: failed to push some refs to '/x/p.git'
"""


@pytest.mark.parametrize(
    ("stderr", "said"),
    [
        (MISSING_REPO, "fatal: '/x/p.git' does not appear to be a git repository"),
        (SSH, "ssh: Could not resolve hostname nowhere.invalid: Name or service not known"),
        (RACE, "[rejected] main (fetch first)"),
        (
            HOOK,
            "[remote rejected] main (pre-receive hook declined); the remote said: pushes are "
            "closed today ask the admin",
        ),
        (b"fatal: unable to access 'https://h/x/': \x1b[31mred\x1b[0m\n", None),
        (b"", "git exited with status 128"),
    ],
)
def test_git_is_quoted_in_one_clean_line(stderr: bytes, said: str | None) -> None:
    got = sync_module._git_said(stderr, 128)
    assert "\n" not in got
    assert all(c.isprintable() for c in got)
    assert not got.endswith(".")
    if said is not None:
        assert got == said


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://me:token@example.org/p.git", "https://me:***@example.org/p.git"),
        ("https://me@example.org/p.git", "https://me@example.org/p.git"),
        ("git@example.org:me/p.git", "git@example.org:me/p.git"),
        ("/media/stick/p.git", "/media/stick/p.git"),
    ],
)
def test_a_password_in_the_url_is_never_shown(url: str, shown: str) -> None:
    assert sync_module._shown(url) == shown


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("remote.git", True),
        ("../stick/p.git", True),
        ("/media/stick/p.git", True),
        ("./host:x", True),
        ("git@example.org:me/p.git", False),
        ("example.org:p.git", False),
        ("ssh://example.org/p.git", False),
        ("file:///media/stick/p.git", False),
        ("stall::x", False),
    ],
)
def test_a_remote_given_as_a_relative_path_is_made_absolute(url: str, local: bool) -> None:
    made = sync_module._absolute(url, Path("/base"))
    assert made == (str(Path("/base") / url) if local else url)


def test_git_settings_from_the_environment_do_not_lead_sync_elsewhere(
    invoke: Invoke, remote: Path, a: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when roadmap runs from a git hook of another repository: GIT_DIR and friends are set.
    other = tmp_path / "other.git"
    git("init", "--quiet", "--bare", str(other))
    before = listing(other)
    monkeypatch.setenv("GIT_DIR", str(other))
    monkeypatch.setenv("GIT_WORK_TREE", str(tmp_path))
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "index"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.hookspath'='/nowhere'")
    on(a, invoke, "done", X)

    on(a, invoke, "sync", "--setup", str(remote))

    assert listing(other) == before
    assert not (tmp_path / "index").exists()
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_PARAMETERS"):
        monkeypatch.delenv(name)
    assert remote_progress(remote).status(X) == "done"


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_remote_that_never_answers_is_given_up_after_the_timeout(
    invoke: Invoke, remote: Path, a: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    git("--git-dir", str(a / "sync.git"), "config", "remote.origin.url", "stall::somewhere")
    ready, helpers, _ = stalling_transport(tmp_path)
    monkeypatch.setenv("PATH", f"{helpers}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(sync_module, "GIT_TIMEOUT", 1)
    progress = (a / "progress.json").read_bytes()
    fd = os.open(ready, os.O_RDWR | os.O_NONBLOCK)  # so that the helper never blocks on it
    try:
        result = run(a, invoke, "sync")
    finally:
        os.close(fd)
        # The helper still waits on its FIFO: let it go.
        with contextlib.suppress(OSError):
            never = os.open(tmp_path / "never.fifo", os.O_WRONLY | os.O_NONBLOCK)
            os.write(never, b"go\n")
            os.close(never)

    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: git took more than 1 s to fetch from the remote. Local progress is kept.\n"
    )
    assert (a / "progress.json").read_bytes() == progress


def test_locks_left_by_a_killed_git_do_not_block_the_next_sync(
    invoke: Invoke, remote: Path, a: Path, b: Path
) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    on(b, invoke, "done", Y)
    sync(b, invoke, remote, setup=True)
    repo = a / "sync.git"
    for stale in ("shallow.lock", "config.lock", "refs/remotes/origin/main.lock"):
        (repo / stale).parent.mkdir(parents=True, exist_ok=True)
        (repo / stale).write_text("left by a git that was killed\n", encoding="utf-8")

    result = sync(a, invoke, remote)

    assert f"{Y}  pending → done" in result.stdout
    assert list(repo.rglob("*.lock")) == []


HOLDER = """
import sys, filelock
with filelock.FileLock(sys.argv[1], timeout=5):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_second_sync_at_the_same_time_is_refused(invoke: Invoke, remote: Path, a: Path) -> None:
    on(a, invoke, "done", X)
    sync(a, invoke, remote, setup=True)
    on(a, invoke, "start", Z)
    progress = (a / "progress.json").read_bytes()
    head = remote_head(remote)
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(a / "sync.git" / "roadmap-sync.flock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"  # another sync holds the repository
        result = run(a, invoke, "sync")
        holder.communicate("")

    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: Another roadmap sync is running with {a / 'sync.git'}; try again when it has "
        "finished. Local progress is kept.\n"
    )
    assert (a / "progress.json").read_bytes() == progress
    assert remote_head(remote) == head
    assert "Sent your local changes" in sync(a, invoke, remote).stdout
