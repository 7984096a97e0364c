"""Sync progress between machines through any git remote, reading one file from it and nothing else.

What travels is `progress-sync.json`: the entries of progress.json (statuses, time logged,
notes) without its undo history, which stays on each machine. On the remote it is the only file
of each commit on the branch `main`.

Sync keeps its own git repository in the data folder, `sync.git`: a bare repository, without a
work tree, that nothing but sync uses. The data folder is never a checkout: no file, link or
folder of a remote's tree is ever written out, followed or run. A sync:

1. reads local progress (no lock needed: progress.json is only ever replaced whole);
2. fetches the remote's `main` into sync.git, its last commit alone (`--depth=1`: the remote's
   history is never downloaded), without holding the progress lock, so other roadmap commands
   go on while the network is slow;
3. reads only `progress-sync.json` from the fetched commit, as a blob: it must be a regular file
   (a symbolic link, a submodule or a folder there is refused) of at most MAX_FOREIGN_BYTES,
   checked before it is read, and it passes the reader of all progress from elsewhere
   (store.parse_foreign: depth limit, REF keys, caps). No other path of the tree is looked at;
4. merges it with the rules of `roadmap merge` (merge.merge_progress): per REF the most recent
   change wins, logs and notes are kept once each, a change dated more than a day ahead is not
   taken, and a merge past 24 hours on a day or past the caps is refused whole;
5. when the merged progress differs from the remote's file, writes it as a new commit on top
   of the remote's commit with git plumbing (hash-object, a one-file mktree, commit-tree) and
   pushes it, never forced: a machine that pushed in between is never overwritten, and this
   sync fails instead (the next one merges both);
6. only then takes the progress lock and merges the remote's file into local progress as it is
   now (a command may have changed it meanwhile), as one change that `roadmap undo` reverts.

Syncs take turns: one holds an OS lock on sync.git (a second is refused at once), and clears
the lock files that a git killed outright may have left there.

A sync that fails at any step before 6 (no git, remote unreachable, a snapshot refused, push
rejected, Ctrl-C) leaves local progress as it was; step 6 is one atomic write. Merging is
symmetric, so once two machines have each other's progress their snapshots are identical and a
sync neither changes nor pushes anything. Each git command is stopped after GIT_TIMEOUT, and
blobs past 4 MiB are streamed, not held in memory (also by a git serving a remote on this
machine), so a remote costs bounded time and memory.

`sync --setup URL` builds the repository in a temporary folder inside the data folder, runs a
whole first sync with it, and only then puts it in place as sync.git (replacing an earlier one):
a set-up that fails, or is interrupted, leaves the data folder as it was.

Set-ups from before this design made the data folder itself a git checkout with a remote
`origin`. The first sync after an upgrade reads that remote's URL from `.git/config` (only read:
no git command runs in the data folder again) and sets up sync.git with it; the old `.git`,
`.gitignore` and `progress-sync.json` are left in place, unused, for the user to delete.

git runs without hooks (sync's own repository has none, and the user's are switched off),
without prompts, with the `ext::` transport off, and with none of the environment variables that
could point it at another repository. Sync writes no file itself but progress.json (through the
store, atomically); git writes only inside sync.git, and to the remote when it pushes.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from roadmap_cli.entries import PROGRESS_FORMAT_VERSION, Entry, ProgressFile, to_json
from roadmap_cli.errors import RoadmapError
from roadmap_cli.merge import Merged, merge_progress
from roadmap_cli.store import MAX_FOREIGN_BYTES, Store, parse_foreign

SNAPSHOT = "progress-sync.json"
REPO = "sync.git"  # in the data folder
OLD_REPO = ".git"  # the data folder itself was the repository before
BRANCH = "refs/heads/main"
FETCHED = "refs/remotes/origin/main"
GIT_TIMEOUT = 120  # seconds, for any one git command
# Folders a set-up builds its repository in (and one it replaces), removed when it ends; one
# older than this was left by a set-up that was killed, and the next set-up removes it.
_SETUP_PREFIX = ".sync.git."
_STALE_AFTER = 3600  # seconds: a set-up takes a few git commands of at most GIT_TIMEOUT
_KEPT = "Local progress is kept."
_SOURCE = f"the remote's {SNAPSHOT}"


class SyncError(RoadmapError):
    """Sync could not finish; local progress is kept as it was."""


@dataclass
class SyncReport:
    """What a sync did."""

    remote: str  # as shown to the user: a password in the URL is hidden
    merged: list[Merged] = field(default_factory=list)  # what a user sees change here
    future: list[str] = field(default_factory=list)  # REFs with changes dated too far ahead
    pushed: bool = False  # a new snapshot went to the remote
    shared: bool = False  # ...holding changes made here that the remote did not have
    old_repository: Path | None = None  # a repository of the old design, now unused

    @property
    def up_to_date(self) -> bool:
        """Nothing changed here that a user would see, and nothing needed pushing."""
        return not self.merged and not self.pushed


def setup(store: Store, remote_url: str) -> SyncReport:
    """Set up sync with `remote_url` and sync once: all of it, or nothing at all."""
    _require_git()
    folder = store.path.parent
    first = not os.path.lexists(folder / REPO)
    report = _set_up(store, folder, _checked_url(remote_url))
    old = folder / OLD_REPO
    if first and old.is_dir() and not old.is_symlink() and (old / "config").is_file():
        report.old_repository = old
    return report


def sync(store: Store) -> SyncReport:
    """Fetch the remote's progress, merge it here, push the merged progress; or raise."""
    _require_git()
    folder = store.path.parent
    repo = folder / REPO
    if repo.is_dir() and not repo.is_symlink():
        git = _Git(repo)
        url = git.remote_url()
        if url is None:
            raise SyncError(
                f"{repo} names no remote to sync with; run 'roadmap sync --setup REMOTE_URL' "
                f"to set sync up again. {_KEPT}"
            )
        with git.held():
            return _sync(store, git, url)
    old = folder / OLD_REPO
    url = _old_remote_url(old)
    if url is None:
        raise SyncError(
            f"{folder} is not set up for sync yet; run 'roadmap sync --setup REMOTE_URL' with "
            "a git remote you own (a private repository, or a bare one in a shared folder)."
        )
    report = _set_up(store, folder, url)
    report.old_repository = old
    return report


# --- one sync ----------------------------------------------------------------------------------


def _sync(
    store: Store, git: _Git, url: str, install: Callable[[], _Installed] | None = None
) -> SyncReport:
    """Run steps 1 to 6 of the module docstring with the repository `git`.

    `install`, when given, puts a set-up's repository in place under the progress lock once
    everything else has succeeded; it is taken back if saving progress then fails.
    """
    report = SyncReport(_shown(url))
    local = store.load().entries
    theirs_head = git.fetch(url)
    theirs_raw, theirs = _their_snapshot(git, theirs_head)
    first = merge_progress(local, theirs, source=_SOURCE)
    merged = {**local, **{item.ref: item.after for item in first.writes}}
    snapshot = _snapshot_bytes(merged)
    head = theirs_head
    if snapshot != theirs_raw:
        head = git.commit(snapshot, theirs_head, f"Progress from {socket.gethostname()}")
        git.push(url, head)
        report.pushed = True
        report.shared = merged != dict(theirs)
    if head is not None:
        git.set_ref(BRANCH, head)
    installed: _Installed | None = None
    try:
        with store.update("sync") as changes:
            outcome = merge_progress(changes.entries, theirs, source=_SOURCE)
            for item in outcome.writes:
                changes.put(item.ref, item.after)
            if install is not None:
                installed = install()
    except BaseException:
        if installed is not None:
            installed.undo()
        raise
    if installed is not None:
        installed.finish()
    report.merged, report.future = outcome.changes, outcome.future
    return report


def _their_snapshot(git: _Git, head: str | None) -> tuple[bytes | None, Mapping[str, Entry]]:
    """The remote's progress-sync.json at `head`: its bytes and its entries, read safely."""
    if head is None:  # a remote with nothing on main yet
        return None, {}
    found = git.snapshot_entry(head)
    if found is None:  # a commit without the file: no progress shared yet
        return None, {}
    mode, kind, sha = found
    if kind != "blob" or mode not in ("100644", "100755"):
        what = {"120000": "a symbolic link", "160000": "a submodule", "040000": "a folder"}
        raise SyncError(
            f"Cannot read {_SOURCE}: on the remote it is {what.get(mode, f'a {kind}')}, not a "
            f"file, and sync reads nothing else. Nothing was merged or pushed. {_KEPT}"
        )
    size = git.blob_size(sha)
    if size > MAX_FOREIGN_BYTES:
        raise SyncError(
            f"Cannot read {_SOURCE}: it is {size / 2**20:.1f} MiB, more than the "
            f"{MAX_FOREIGN_BYTES // 2**20} MiB roadmap-cli reads from elsewhere. Nothing was "
            f"merged or pushed. {_KEPT}"
        )
    raw = git.blob(sha)
    advice = f"Nothing was merged or pushed. {_KEPT}"
    return raw, parse_foreign(raw, _SOURCE, advice=advice).entries


def _snapshot_bytes(entries: Mapping[str, Entry]) -> bytes:
    """The shared part of progress in a stable form: REFs sorted, no undo history."""
    shared = ProgressFile(PROGRESS_FORMAT_VERSION, dict(sorted(entries.items())))
    return to_json(shared, history=False)


# --- setting up ----------------------------------------------------------------------------------


def _set_up(store: Store, folder: Path, url: str) -> SyncReport:
    """Build a repository for `url` beside the rest, sync once, and put it in place as sync.git."""
    created = _make_folder(folder)
    _remove_stale_setups(folder)
    try:
        temp = Path(tempfile.mkdtemp(prefix=_SETUP_PREFIX, suffix=".tmp", dir=folder))
    except OSError as exc:
        _remove_folder(folder, created)
        raise SyncError(f"Cannot set up sync in {folder}: {exc.strerror or exc}. {_KEPT}") from None
    git = _Git(temp)
    try:
        with _undone_on_interrupt(git, temp, folder if created else None):
            git.init(url)
            return _sync(store, git, url, install=lambda: _install(temp, folder / REPO))
    except RoadmapError as exc:
        _discard(temp, folder if created else None)
        raise SyncError(f"{exc} Nothing was set up: {folder} is as it was.") from None
    except BaseException:
        _discard(temp, folder if created else None)
        raise


def _make_folder(folder: Path) -> bool:
    """Create the data folder if it is missing; return whether it was."""
    if folder.is_dir():
        return False
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        if folder.is_dir():
            return False
        raise SyncError(f"Cannot set up sync: {folder} should be a folder but is a file.") from None
    except OSError as exc:
        raise SyncError(
            f"Cannot create the data folder {folder}: {exc.strerror or exc}. {_KEPT}"
        ) from None
    return True


@dataclass
class _Installed:
    """A repository just put in place as sync.git, and the one it replaced (kept until the end)."""

    temp: Path
    target: Path
    replaced: Path | None

    def undo(self) -> None:
        """Put things back as they were before the set-up."""
        with contextlib.suppress(OSError):
            os.replace(self.target, self.temp)
            if self.replaced is not None:
                os.replace(self.replaced / REPO, self.target)
                self.replaced.rmdir()

    def finish(self) -> None:
        """The set-up succeeded: the repository it replaced is no longer needed."""
        if self.replaced is not None:
            shutil.rmtree(self.replaced, ignore_errors=True)


def _install(temp: Path, target: Path) -> _Installed:
    """Put the repository built in `temp` in place as `target`."""
    replaced: Path | None = None
    try:
        if os.path.lexists(target):
            replaced = Path(tempfile.mkdtemp(prefix=_SETUP_PREFIX, suffix=".old", dir=temp.parent))
            os.replace(target, replaced / REPO)
        os.replace(temp, target)
    except OSError as exc:
        if replaced is not None and not os.path.lexists(target):
            with contextlib.suppress(OSError):
                os.replace(replaced / REPO, target)
        raise SyncError(
            f"Cannot put the sync repository in place as {target}: {exc.strerror or exc}. "
            "Nothing was merged."
        ) from None
    return _Installed(temp, target, replaced)


def _discard(temp: Path, created: Path | None) -> None:
    shutil.rmtree(temp, ignore_errors=True)
    if created is not None:
        _remove_folder(created, True)


def _remove_folder(folder: Path, created: bool) -> None:
    if created:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: another command may have written there since


def _remove_stale_setups(folder: Path) -> None:
    now = time.time()
    for leftover in folder.glob(f"{_SETUP_PREFIX}*"):
        with contextlib.suppress(OSError):
            stale = now - leftover.lstat().st_mtime > _STALE_AFTER
            if stale and leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _undone_on_interrupt(git: _Git, temp: Path, created: Path | None) -> Iterator[None]:
    """On Ctrl-C during a set-up, stop git and remove what the set-up made, then go on as usual.

    (The handler in place, which prints "Interrupted." and exits, runs right after.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def interrupted(signum: int, frame: FrameType | None) -> None:
        git.stop()
        _discard(temp, created)  # nothing, once the repository is in place as sync.git
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)

    signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# --- remote URLs ---------------------------------------------------------------------------------


def _checked_url(url: str, base: Path | None = None) -> str:
    """Refuse what cannot be a remote; make a local path absolute at `base` (else here)."""
    if not url.strip() or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise SyncError(
            "The remote URL is empty or holds control characters; give a git URL such as "
            f"git@example.org:me/progress.git or a path. {_KEPT}"
        )
    if url.startswith("-"):
        raise SyncError(
            f"The remote URL {url!r} starts with '-', which git would take for an option. {_KEPT}"
        )
    return _absolute(url, Path.cwd() if base is None else base)


def _absolute(url: str, base: Path) -> str:
    """`url` as is when it is a URL or scp-like (host:path); else a path made absolute at `base`."""
    if not _is_path(url):
        return url
    return str(base / Path(url).expanduser())


def _is_path(url: str) -> bool:
    """Whether git reads `url` as a path on this machine (and not host:path or a URL)."""
    if "://" in url:
        return False
    if os.name == "nt" and len(url) > 1 and url[1] == ":" and url[0].isalpha():
        return True  # C:\stick\progress.git
    colon, slash = url.find(":"), url.find("/")
    return not (colon > 0 and (slash < 0 or colon < slash))  # [user@]host:path, transport::x


def _serving(url: str) -> list[str]:
    """Options for fetching from `url`: a remote on this machine is served by a git run here.

    That git must not hold a big blob in memory either: past the threshold it streams.
    """
    if _is_path(url) or url.startswith("file://"):
        return ["--upload-pack", f"git -c {_BIG_FILE} upload-pack"]
    return []


def _shown(url: str) -> str:
    """`url` as shown to the user: a password in it is hidden."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", r"\1:***@", url)


def _old_remote_url(old: Path) -> str | None:
    """The URL of `origin` in a repository of the old design, read from its config file only."""
    config = old / "config"
    if not old.is_dir() or old.is_symlink() or not config.is_file():
        return None
    url = _Git.read_config(config, "remote.origin.url")
    if not url:
        return None
    return _checked_url(url, old.parent)  # the old design ran git in the data folder


# --- git ---------------------------------------------------------------------------------------

# Blobs past this size are streamed rather than held in memory, in every git command of sync's:
# a remote can hold a small compressed blob that inflates to gigabytes.
_BIG_FILE = "core.bigFileThreshold=4m"
# Settings given on every command line, overriding any config file. The user's global and system
# config stay in force otherwise (neither GIT_CONFIG_GLOBAL=/dev/null nor GIT_CONFIG_NOSYSTEM):
# they hold what reaching the remote needs (SSH command, credential helpers such as the macOS
# keychain or Git Credential Manager, which live in the system config, proxies, insteadOf
# rewrites), and only the user or the machine's administrator writes them, never a remote. What
# in them could run a program during a sync is switched off here: hooks (and `git init` copies
# no templates), fsmonitor, signing, automatic maintenance, submodule recursion, the ext::
# transport. Filters and diff or merge drivers never run: nothing is checked out, diffed or
# merged as text. The repository's own config is written by sync alone.
_SETTINGS = (
    _BIG_FILE,
    f"core.hooksPath={os.devnull}",
    "core.fsmonitor=false",
    "commit.gpgSign=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "fetch.recurseSubmodules=false",
    "push.recurseSubmodules=no",
    "submodule.recurse=false",
    "protocol.ext.allow=never",
    "user.name=roadmap-cli",
    "user.email=roadmap-cli@localhost",
)
# Environment variables that point git at another repository, object store or config: set by a
# program that runs this one (a git hook, say), they would make sync read or write elsewhere.
_FOREIGN_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_REPLACE_REF_BASE",
    "GIT_GRAFT_FILE",
    "GIT_SHALLOW_FILE",
    "GIT_QUARANTINE_PATH",
    "GIT_EXEC_PATH",
    "GIT_TEMPLATE_DIR",
)


def _require_git() -> None:
    if shutil.which("git") is None:
        raise SyncError("Sync needs git, and no 'git' command was found on this machine.")


def _environment() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _FOREIGN_ENV
        and not name.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
    }
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_NO_REPLACE_OBJECTS="1")
    return env


class _Git:
    """git commands on one repository of sync's own, `repo` (bare: no work tree)."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.child: subprocess.Popen[bytes] | None = None

    @staticmethod
    def read_config(path: Path, key: str) -> str | None:
        """Read `key` from the config file `path` (its include directives are not followed)."""
        done = subprocess.run(
            ["git", "config", "--file", str(path), "--get", key],
            capture_output=True,
            env=_environment(),
            cwd=path.parent,
            stdin=subprocess.DEVNULL,
            timeout=GIT_TIMEOUT,
            check=False,
        )
        value = done.stdout.decode("utf-8", "replace").strip()
        return value if done.returncode == 0 and value else None

    def init(self, url: str) -> None:
        # No template: nothing (no hook, whatever the user's init.templateDir) is copied in.
        self.run("init", "--quiet", "--bare", "--template=", str(self.repo))
        self.run("config", "remote.origin.url", url)
        self.run("symbolic-ref", "HEAD", BRANCH)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the repository for this sync alone, and clear what a killed git left locked.

        (A git killed outright, or on a power cut, leaves its `*.lock` files behind, and every
        later git command refuses to run. While this lock is held no other sync runs, so any
        such file is stale.) The lock is an OS lock, freed whenever this process ends.
        """
        import filelock

        lock = filelock.FileLock(self.repo / "roadmap-sync.flock", timeout=0)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise SyncError(
                f"Another roadmap sync is running with {self.repo}; try again when it has "
                f"finished. {_KEPT}"
            ) from None
        except OSError as exc:
            raise SyncError(
                f"Cannot lock {self.repo} for sync: {exc.strerror or exc}. {_KEPT}"
            ) from None
        try:
            stale = [self.repo / name for name in _GIT_LOCKS]
            for path in [*stale, *(self.repo / "refs").rglob("*.lock")]:
                with contextlib.suppress(OSError):
                    path.unlink()
            yield
        finally:
            lock.release()

    def remote_url(self) -> str | None:
        out = self.run("config", "--get", "remote.origin.url", check=False).strip()
        return out or None

    def fetch(self, url: str) -> str | None:
        """Fetch the remote's main; return its commit, or None when the remote has no main."""
        refspec = f"+{BRANCH}:{FETCHED}"
        done = self.run_full(
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-recurse-submodules",
            "--depth=1",  # the last commit alone: a remote's history is never downloaded
            *_serving(url),
            "--",
            url,
            refspec,
        )
        if done.returncode != 0:
            # An empty remote has no main to fetch: tell that from an unreachable one.
            probe = self.run_full("ls-remote", "--exit-code", *_serving(url), "--", url, BRANCH)
            if probe.returncode != 2:
                raise SyncError(
                    f"Could not fetch from the remote {_shown(url)}: "
                    f"{_git_said(done.stderr, done.returncode)}. {_KEPT}"
                )
            self.run("update-ref", "-d", FETCHED)
            return None
        head = self.run("rev-parse", "--verify", "--quiet", f"{FETCHED}^{{commit}}", check=False)
        if not head.strip():
            raise SyncError(
                f"The remote's main is not a commit, so it holds no {SNAPSHOT} to read. "
                f"Nothing was merged or pushed. {_KEPT}"
            )
        return head.strip()

    def snapshot_entry(self, commit: str) -> tuple[str, str, str] | None:
        """The (mode, type, object) of progress-sync.json in `commit`'s tree, or None."""
        out = self.run("ls-tree", "-z", "--full-tree", commit, "--", SNAPSHOT)
        found = []
        for record in out.split("\0"):
            info, tab, path = record.partition("\t")
            if tab and path == SNAPSHOT:
                mode, kind, sha = info.split()
                found.append((mode, kind, sha))
        if len(found) > 1:
            raise SyncError(
                f"Cannot read {_SOURCE}: the remote's tree holds it {len(found)} times. "
                f"Nothing was merged or pushed. {_KEPT}"
            )
        return found[0] if found else None

    def blob_size(self, sha: str) -> int:
        return int(self.run("cat-file", "-s", sha).strip())

    def blob(self, sha: str) -> bytes:
        done = self.run_full("cat-file", "blob", sha)
        if done.returncode != 0:
            raise SyncError(
                f"Cannot read {_SOURCE}: {_git_said(done.stderr, done.returncode)}. {_KEPT}"
            )
        return done.stdout

    def commit(self, snapshot: bytes, parent: str | None, message: str) -> str:
        """Write a commit whose tree is `snapshot` as progress-sync.json and nothing else."""
        blob = self.run("hash-object", "-w", "--stdin", data=snapshot).strip()
        tree = self.run("mktree", "-z", data=f"100644 blob {blob}\t{SNAPSHOT}\0".encode()).strip()
        parents = ["-p", parent] if parent else []
        return self.run("commit-tree", "--no-gpg-sign", *parents, "-m", message, tree).strip()

    def push(self, url: str, commit: str) -> None:
        done = self.run_full("push", "--quiet", "--no-verify", "--", url, f"{commit}:{BRANCH}")
        if done.returncode != 0:
            said = _git_said(done.stderr, done.returncode)
            again = ""
            if "fetch first" in said or "non-fast-forward" in said:
                again = " Another machine pushed first; run 'roadmap sync' again to merge both."
            raise SyncError(
                f"Could not push to the remote {_shown(url)}: {said}.{again} Nothing was "
                f"merged here. {_KEPT}"
            )

    def set_ref(self, ref: str, commit: str) -> None:
        self.run("update-ref", ref, commit)

    def stop(self) -> None:
        """Stop the git command under way, if any (Ctrl-C)."""
        child = self.child
        if child is not None and child.poll() is None:
            with contextlib.suppress(OSError):
                child.kill()
            with contextlib.suppress(Exception):
                child.wait(timeout=5)

    def run_full(self, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        command = ["git", f"--git-dir={self.repo}"]
        for setting in _SETTINGS:
            command += ["-c", setting]
        command += args
        try:
            child = subprocess.Popen(
                command,
                stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_environment(),
                cwd=self.repo if self.repo.is_dir() else self.repo.parent,
            )
        except OSError as exc:
            raise SyncError(f"Could not run git: {exc.strerror or exc}. {_KEPT}") from None
        self.child = child
        try:
            out, err = child.communicate(data, timeout=GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            raise SyncError(
                f"git took more than {GIT_TIMEOUT} s to {_WHAT.get(args[0], 'answer')}. {_KEPT}"
            ) from None
        finally:
            self.child = None
        return subprocess.CompletedProcess(command, child.returncode, out, err)

    def run(self, *args: str, data: bytes | None = None, check: bool = True) -> str:
        """Run git on the repository and return its output; with `check`, raise if it fails."""
        done = self.run_full(*args, data=data)
        if check and done.returncode != 0:
            raise SyncError(
                f"git {args[0]} failed in {self.repo}: {_git_said(done.stderr, done.returncode)}. "
                f"{_KEPT}"
            )
        return done.stdout.decode("utf-8", "replace")


# The lock files git takes at the top of a repository (those under refs/ are found there).
_GIT_LOCKS = ("shallow.lock", "config.lock", "packed-refs.lock", "HEAD.lock", "index.lock")
_WHAT = {
    "fetch": "fetch from the remote",
    "push": "push to the remote",
    "ls-remote": "reach the remote",
}


def _git_said(stderr: bytes, code: int) -> str:
    """git's own message in one clean line: the line that says what went wrong."""
    lines = []
    for raw in stderr.decode("utf-8", "replace").replace("\r", "\n").splitlines():
        line = " ".join("".join(c for c in raw if c.isprintable()).split())
        if not line or line.lower().startswith("hint:") or line.startswith("To "):
            continue
        if any(line.lower().startswith(b) for b in _BOILERPLATE):
            continue
        lines.append(line)
    remote = [line.removeprefix("remote:").strip() for line in lines if line.startswith("remote:")]
    remote = [line for line in remote if line]
    rejected = next((line for line in lines if line.startswith("! [")), None)
    if rejected is not None:  # "! [rejected] <commit> -> main (fetch first)"
        said = re.sub(r"\S+ -> (\S+)", r"\1", rejected.removeprefix("! "), count=1)
        return f"{said}; the remote said: {' '.join(remote)}" if remote else said
    if remote:
        return f"the remote said: {' '.join(remote)}"
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    chosen = (fatal or lines or [f"git exited with status {code}"])[0]
    return chosen.rstrip(".")


_BOILERPLATE = (
    "fatal: could not read from remote repository",
    "please make sure you have the correct access rights",
    "and the repository exists",
    "error: failed to push some refs",
)
