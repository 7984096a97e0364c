"""A corpus of hostile sync remotes: someone with push access crafts what `main` holds.

Each case is a commit pushed with git plumbing (so any tree can be made: symbolic links,
submodules, folders, duplicate names, huge or malformed blobs) onto a bare remote, met by a
machine that is already set up (`sync`) or sets up against it (`sync --setup`). The victim is
the installed `roadmap` command in a subprocess, under a global git config that would leave a
mark if any hook, filter, diff or merge driver, or fsmonitor ran. Each case asserts the exit
code, one clean paragraph on stderr, progress.json byte-identical when refused, nothing written
outside the data folder (every other file under tmp_path compared before and after), and time
and peak memory (the child's and its git's, from wait4) within a sanity ceiling.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli.store import MAX_FOREIGN_BYTES
from tests.conftest import Invoke

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="wait4 and symlinks are POSIX")

X = "short/illustrated-transformer"
Y = "long/stanford-cs25"
Z = "long/stanford-cs224n"
SHARED = "progress-sync.json"
GIT = shutil.which("git") or "git"
MAX_SECONDS = 30.0  # a ceiling for sanity, not a benchmark: a case takes about a second
MAX_RSS_MIB = 300
FIGURES: list[tuple[str, float, float]] = []  # (case, seconds, peak MiB), for the closing note


def git(*args: str, data: bytes | None = None, check: bool = True) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    ident = ["-c", "user.name=attacker", "-c", "user.email=attacker@localhost"]
    done = subprocess.run([GIT, *ident, *args], input=data, capture_output=True, env=env)
    if check:
        assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode(errors="replace")


# --- what the attacker pushes ------------------------------------------------------------------


class Attacker:
    """A repository of the attacker's that builds commits with plumbing and pushes them."""

    def __init__(self, tmp_path: Path, remote: Path) -> None:
        self.repo = tmp_path / "attacker.git"
        self.remote = remote
        git("init", "--quiet", "--bare", str(self.repo))

    def _git(self, *args: str, data: bytes | None = None) -> str:
        return git("--git-dir", str(self.repo), *args, data=data).strip()

    def blob(self, data: bytes) -> str:
        return self._git("hash-object", "-w", "--stdin", data=data)

    def tree(self, entries: list[tuple[str, str, str, str]]) -> str:
        """A tree of (mode, type, object, name) entries, written as given (duplicates too)."""
        text = "".join(f"{mode} {kind} {sha}\t{name}\0" for mode, kind, sha, name in entries)
        return self._git("mktree", "-z", "--missing", data=text.encode())

    def commit(self, tree: str) -> str:
        return self._git("commit-tree", "-m", "crafted", tree)

    def push(self, tree: str) -> str:
        """Push a commit of `tree` on top of the remote's main (or as its first commit)."""
        parent = git(
            "-C", str(self.remote), "rev-parse", "--verify", "--quiet", "main", check=False
        )
        if parent.strip():
            self._git("fetch", "--quiet", str(self.remote), "+main:refs/heads/main")
        parents = ["-p", parent.strip()] if parent.strip() else []
        commit = self._git("commit-tree", *parents, "-m", "crafted", tree)
        self._git("push", "--quiet", str(self.remote), f"{commit}:refs/heads/main")
        return commit


def snapshot(entries: dict[str, Any], version: int = 2) -> bytes:
    return json.dumps({"version": version, "entries": entries}, separators=(",", ":")).encode()


def entry(
    status: str = "done", changed: str = "2026-01-02T10:00:00Z", **more: Any
) -> dict[str, Any]:
    return {"status": status, "changed": changed, "log": [], "notes": [], **more}


def log(day: str, hours: float, logged: str) -> dict[str, Any]:
    return {"day": day, "hours": hours, "logged": logged}


FAIR = snapshot({Y: entry()})  # what an honest machine would share: Y done


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    # The tree's entries, given the attacker and the folder outside the data folder.
    tree: Callable[[Attacker, Path], list[tuple[str, str, str, str]]]
    refused: str | None = None  # what the error says; None when the sync goes through
    warned: str | None = None  # what the warning says, for a sync that goes through
    check: Callable[[dict[str, Any]], None] | None = None  # of local progress, when it goes through
    extra: dict[str, str] = field(default_factory=dict)


def fair(attacker: Attacker, *more: tuple[str, str, str, str]) -> list[tuple[str, str, str, str]]:
    return [("100644", "blob", attacker.blob(FAIR), SHARED), *more]


def only(
    content: Callable[[], bytes],
) -> Callable[[Attacker, Path], list[tuple[str, str, str, str]]]:
    """A tree of progress-sync.json alone, made when the case runs (some are large)."""
    return lambda attacker, outside: [("100644", "blob", attacker.blob(content()), SHARED)]


def script(attacker: Attacker, outside: Path) -> str:
    """A hook that, if it ever ran, would write a file outside the data folder."""
    return attacker.blob(f"#!/bin/sh\necho ran > '{outside / 'hook-ran'}'\n".encode())


def _y_done(progress: dict[str, Any]) -> None:
    assert progress["entries"][Y]["status"] == "done"


def _x_not_overridden(progress: dict[str, Any]) -> None:
    assert progress["entries"][X]["status"] == "done"  # the later local change stands
    assert progress["entries"][Y]["status"] == "done"  # the rest of the file merges


def _one_log(progress: dict[str, Any]) -> None:
    assert len(progress["entries"][Z]["log"]) == 2  # the local one and the 10,000 kept once


def _history_kept(progress: dict[str, Any]) -> None:
    assert progress["entries"][X]["status"] == "done"
    assert len(progress["history"]) >= 2  # the local undo history is still there


def _logs(count: int, day: str, hours: float) -> list[dict[str, Any]]:
    """`count` logs on `day`, each logged at another second."""
    return [
        log(day, hours, f"{day}T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z")
        for i in range(count)
    ]


def _day_logs(count: int, day: str, hours: float) -> list[dict[str, Any]]:
    return [log(day, hours, f"{day}T10:{i:02d}:00Z") for i in range(count)]


CASES = [
    # Trees whose progress-sync.json is fair: everything else in them is never looked at.
    Case(
        "symlink-gitignore",
        lambda a, outside: fair(
            a,
            ("120000", "blob", a.blob(b"../outside/victim.txt"), ".gitignore"),
            ("120000", "blob", a.blob(str(outside / "victim.txt").encode()), "absolute-link"),
        ),
        check=_y_done,
    ),
    Case(
        "tracked-progress-json",
        lambda a, outside: fair(
            a, ("100644", "blob", a.blob(b'{"version": 2, "entries": {}}'), "progress.json")
        ),
        check=_history_kept,
    ),
    Case(
        "submodule-beside",
        lambda a, outside: fair(
            a,
            ("160000", "commit", "1" * 40, "module"),
            (
                "100644",
                "blob",
                a.blob(f'[submodule "m"]\n\tpath = module\n\turl = {outside}\n'.encode()),
                ".gitmodules",
            ),
        ),
        check=_y_done,
    ),
    Case(
        "hooks-in-tree",
        lambda a, outside: fair(
            a,
            ("100755", "blob", script(a, outside), "post-checkout"),
            (
                "040000",
                "tree",
                a.tree([("100755", "blob", script(a, outside), "post-merge")]),
                "hooks",
            ),
            (
                "040000",
                "tree",
                a.tree([("100755", "blob", script(a, outside), "pre-push")]),
                ".githooks",
            ),
        ),
        check=_y_done,
    ),
    Case(
        "gitattributes-filter",
        lambda a, outside: fair(
            a,
            ("100644", "blob", a.blob(b"* filter=evil diff=evil merge=evil\n"), ".gitattributes"),
        ),
        check=_y_done,
    ),
    Case(
        "100-mib-beside",  # fetched (git cannot leave it out), streamed, never read
        lambda a, outside: fair(a, ("100644", "blob", a.blob(b"\0" * (100 * 2**20)), "bulk")),
        check=_y_done,
    ),
    Case("no-snapshot", lambda a, outside: [("100644", "blob", a.blob(b"hello\n"), "README")]),
    Case(
        "future-stamp",
        only(lambda: snapshot({X: entry("skipped", "9999-12-31T23:59:59Z"), Y: entry()})),
        warned=f"ahead of this machine's clock, which were not taken: {X}.",
        check=_x_not_overridden,
    ),
    Case(
        "identical-logs",
        only(
            lambda: snapshot(
                {
                    Z: entry(
                        "in-progress", log=[log("2026-01-03", 1, "2026-01-03T09:00:00Z")] * 10_000
                    )
                }
            )
        ),
        check=_one_log,
    ),
    # What sync refuses: nothing merged, nothing pushed, local progress byte for byte.
    Case(
        "symlink-snapshot",
        lambda a, outside: [
            ("120000", "blob", a.blob(str(outside / "victim.txt").encode()), SHARED)
        ],
        refused=f"Cannot read the remote's {SHARED}: on the remote it is a symbolic link, not a",
    ),
    Case(
        "symlink-snapshot-relative",
        lambda a, outside: [("120000", "blob", a.blob(b"../outside/victim.txt"), SHARED)],
        refused="it is a symbolic link, not a file",
    ),
    Case(
        "submodule-snapshot",
        lambda a, outside: [("160000", "commit", "2" * 40, SHARED)],
        refused="on the remote it is a submodule, not a file",
    ),
    Case(
        "folder-snapshot",
        lambda a, outside: [
            ("040000", "tree", a.tree([("100644", "blob", a.blob(FAIR), "progress.json")]), SHARED)
        ],
        refused="on the remote it is a folder, not a file",
    ),
    Case(
        "snapshot-twice",
        lambda a, outside: [
            ("100644", "blob", a.blob(FAIR), SHARED),
            (
                "100644",
                "blob",
                a.blob(snapshot({X: entry("pending", "2026-12-31T00:00:00Z")})),
                SHARED,
            ),
        ],
        refused="the remote's tree holds it 2 times",
    ),
    Case(
        "over-the-size-cap",
        only(lambda: b" " * MAX_FOREIGN_BYTES + b"{}"),
        refused=(
            f"it is {MAX_FOREIGN_BYTES / 2**20:.1f} MiB, more than the "
            f"{MAX_FOREIGN_BYTES // 2**20} MiB roadmap-cli reads from elsewhere"
        ),
    ),
    Case(
        "compressed-100-mib",  # tiny on the wire, 100 MiB once inflated
        only(lambda: b"\0" * (100 * 2**20)),
        refused=f"it is 100.0 MiB, more than the {MAX_FOREIGN_BYTES // 2**20} MiB",
    ),
    Case("nested-100000-deep", only(lambda: b"[" * 100_000), refused="nested far too deeply"),
    Case(
        "nested-just-under-the-cap",
        only(lambda: b'{"version": 2, "entries": ' + b"[" * (MAX_FOREIGN_BYTES - 100)),
        refused="nested far too deeply",
    ),
    Case(
        "not-utf8",
        only(lambda: b'{"version": 2, "entries": {"long/x\xff\xfe": {}}}'),
        refused="it is not UTF-8 text",
    ),
    Case("invalid-json", only(lambda: b"{bad"), refused="line 1 column 2: invalid JSON"),
    Case(
        "ref-as-a-path",
        only(lambda: snapshot({"../../etc/passwd": entry()})),
        refused="is not a REF",
    ),
    Case(
        "ref-with-controls",
        only(lambda: snapshot({"long/x\u202e\n": entry()})),
        refused="is not a REF",
    ),
    Case(
        "10001-logs",
        only(lambda: snapshot({Z: entry("in-progress", log=_logs(10_001, "2026-01-03", 0.001))})),
        refused="has 10,001 time logs, more than the 10,000",
    ),
    Case(
        "60-times-24-h-on-a-day",
        only(lambda: snapshot({Z: entry("in-progress", log=_day_logs(60, "2026-01-04", 24.0))})),
        refused="2026-01-04 would hold 1440 h of logged time, more than the 24 hours of a day",
    ),
    Case(
        "100001-entries",
        only(lambda: snapshot({f"r{i}/x": entry() for i in range(100_001)})),
        refused="it has 100,001 entries, more than the 100,000",
    ),
    Case(
        "number-of-5000-digits",
        only(lambda: snapshot({Y: entry()}).replace(b'"log":[]', b'"log":[' + b"9" * 5000 + b"]")),
        refused="Cannot read the remote's",
    ),
    Case(
        "newer-format",
        only(lambda: snapshot({Y: entry()}, version=99)),
        refused="newer roadmap-cli",
    ),
]


# --- the victim --------------------------------------------------------------------------------


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float


# Started from this (large) test process, a child would report our peak memory as its own:
# Linux keeps a process's peak across fork and exec. So a small launcher forks the command and
# reports its peak from wait4, which counts the command and the git commands it waited for.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


def roadmap(args: list[str], env: dict[str, str], cwd: Path, out: Path) -> Ran:
    """Run the installed `roadmap ARGS` and measure it (its git commands included)."""
    beside = Path(sys.executable).parent / "roadmap"
    command = str(beside) if beside.is_file() else shutil.which("roadmap")
    assert command, "the roadmap script is not installed"
    out.mkdir(exist_ok=True)
    peak = out / "peak"
    with open(out / "stdout", "wb") as stdout, open(out / "stderr", "wb") as stderr:
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(peak), command, *args],
            env=env,
            cwd=cwd,
            stdout=stdout,
            stderr=stderr,
            check=False,
        )
        seconds = time.monotonic() - began
    return Ran(
        done.returncode,
        (out / "stdout").read_text(encoding="utf-8"),
        (out / "stderr").read_text(encoding="utf-8"),
        seconds,
        int(peak.read_text()) / 1024,  # ru_maxrss is in KiB on Linux
    )


def tree_state(root: Path, skip: set[Path]) -> dict[str, tuple[str, str]]:
    """Every path under `root` but those in `skip`: its kind and a digest of what it holds."""
    state: dict[str, tuple[str, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for name in [*dirnames, *filenames]:
            path = here / name
            if path in skip:
                continue
            if path.is_symlink():
                state[str(path)] = ("link", os.readlink(path))
            elif path.is_dir():
                state[str(path)] = ("dir", oct(path.stat().st_mode))
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                state[str(path)] = ("file", f"{oct(path.stat().st_mode)} {digest}")
    return state


def hostile_git_config(tmp_path: Path, marker: Path) -> Path:
    """A global git config under which any hook, filter, driver or fsmonitor leaves a mark."""
    mark = tmp_path / "mark.sh"
    mark.write_text(f"#!/bin/sh\necho \"$0 in $PWD\" >> '{marker}'\ncat\n", encoding="utf-8")
    mark.chmod(0o755)
    hooks = tmp_path / "user-hooks"
    templates = tmp_path / "user-templates" / "hooks"
    for folder in (hooks, templates):
        folder.mkdir(parents=True)
        for hook in (
            "reference-transaction",
            "pre-push",
            "post-update",
            "post-checkout",
            "post-merge",
            "pre-auto-gc",
            "post-index-change",
        ):
            shutil.copy(mark, folder / hook)
    config = tmp_path / "user.gitconfig"
    config.write_text(
        f"[core]\n\thooksPath = {hooks}\n\tfsmonitor = {mark}\n"
        f"[init]\n\ttemplateDir = {templates.parent}\n"
        f'[filter "evil"]\n\tclean = {mark}\n\tsmudge = {mark}\n\tprocess = {mark}\n'
        f'[diff "evil"]\n\ttextconv = {mark}\n[merge "evil"]\n\tdriver = {mark}\n'
        f"[gc]\n\tauto = 1\n",
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize("flow", ["sync", "setup"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_remote(
    invoke: Invoke, tmp_path: Path, isolated_home: Path, case: Case, flow: str
) -> None:
    data = isolated_home
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("a file outside the data folder\n", encoding="utf-8")
    marker = tmp_path / "marks"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")},
        "GIT_CONFIG_GLOBAL": str(hostile_git_config(tmp_path, marker)),
        "COLUMNS": "400",
    }
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    for args in (["log", Z, "1h", "--date", "2026-01-05"], ["done", X]):
        assert invoke(*args).exit_code == 0
    if flow == "sync":
        first = invoke("sync", "--setup", str(remote))
        assert first.exit_code == 0, first.output
    attacker = Attacker(tmp_path, remote)
    head = attacker.push(attacker.tree(case.tree(attacker, outside)))
    progress = (data / "progress.json").read_bytes()
    data_before = tree_state(data, set())
    skip = {data, tmp_path / "cache", tmp_path / "out", marker}
    if case.refused is None:
        skip.add(remote)  # the merged progress is pushed there
    outside_before = tree_state(tmp_path, skip)

    args = ["sync", *(["--setup", str(remote)] if flow == "setup" else [])]
    ran = roadmap(args, env, cwd, tmp_path / "out")
    FIGURES.append((f"{case.name} ({flow})", ran.seconds, ran.peak_mib))

    where = f"{case.name}: exit {ran.code}, stderr {ran.stderr!r}"
    assert "Traceback" not in ran.stderr, where
    assert ran.seconds < MAX_SECONDS, where
    assert ran.peak_mib < MAX_RSS_MIB, f"{where}, peak {ran.peak_mib:.0f} MiB"
    assert tree_state(tmp_path, skip) == outside_before, where
    # No hook, filter, driver or fsmonitor ran here. (The git that a push to a remote on this
    # machine starts there runs with the user's config, and may run the user's hooks there.)
    marks = marker.read_text().splitlines() if marker.exists() else []
    assert all(f" in {remote}" in line for line in marks), marks
    assert not marks or case.refused is None, marks
    for path in data.rglob("*"):
        assert not path.is_symlink(), path
    assert sorted(p.name for p in data.iterdir() if p.name != "sync.git") == [
        "progress.json",
        "progress.json.lock",
    ]
    if case.refused is not None:
        assert ran.code == 1, where
        assert ran.stdout == "", where
        assert ran.stderr.startswith("Error: "), where
        assert ran.stderr.endswith("\n"), where
        assert "\n" not in ran.stderr[:-1], where  # one paragraph, one line
        assert case.refused in ran.stderr, where
        assert "Local progress is kept." in ran.stderr or "your progress is unchanged" in ran.stderr
        if flow == "setup":
            assert ran.stderr.endswith(f"Nothing was set up: {data} is as it was.\n"), where
            assert tree_state(data, set()) == data_before, where
        assert (data / "progress.json").read_bytes() == progress, where
        assert git("-C", str(remote), "rev-parse", "main").strip() == head  # nothing pushed
        return
    assert ran.code == 0, where
    if case.warned is None:
        assert ran.stderr == "", where
    else:
        assert ran.stderr.startswith("Warning: The remote's progress-sync.json "), where
        assert "\n" not in ran.stderr[:-1], where
        assert case.warned in ran.stderr, where
    assert ran.stdout.rstrip().endswith(f"Synced with {remote}"), where
    local = json.loads((data / "progress.json").read_text(encoding="utf-8"))
    if case.check is not None:
        case.check(local)
    # The remote now holds the merged progress alone, and the next sync has nothing to do.
    assert git("-C", str(remote), "ls-tree", "--name-only", "main").split() == [SHARED]
    again = roadmap(["sync"], env, cwd, tmp_path / "out")
    assert (again.code, again.stderr) == (0, ""), again.stderr
    assert again.stdout.startswith("Already in sync"), again.stdout


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    """After the corpus, print each case's time and peak memory (shown with -s)."""
    yield
    for name, seconds, mib in FIGURES:
        print(f"  {name}: {seconds:.2f} s, {mib:.0f} MiB")
    if FIGURES:
        slowest = max(FIGURES, key=lambda f: f[1])
        biggest = max(FIGURES, key=lambda f: f[2])
        print(
            f"\nhostile sync corpus: {len(FIGURES)} runs; slowest {slowest[0]} "
            f"{slowest[1]:.2f} s; most memory {biggest[0]} {biggest[2]:.0f} MiB"
        )


def test_a_remote_history_is_never_downloaded(
    invoke: Invoke, tmp_path: Path, isolated_home: Path
) -> None:
    """Only the remote's last commit is fetched: what its history holds costs nothing here."""
    data = isolated_home
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote))
    attacker = Attacker(tmp_path, remote)
    bulk = [("100644", "blob", attacker.blob(os.urandom(4 * 2**20)), f"bulk-{i}") for i in range(8)]
    attacker.push(attacker.tree(bulk))  # 32 MiB that does not compress
    attacker.push(attacker.tree(fair(attacker)))
    assert invoke("done", X).exit_code == 0
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    cwd = tmp_path / "cwd"
    cwd.mkdir()

    ran = roadmap(["sync", "--setup", str(remote)], env, cwd, tmp_path / "out")
    FIGURES.append(("32 MiB in the remote's history (setup)", ran.seconds, ran.peak_mib))

    assert (ran.code, ran.stderr) == (0, ""), ran.stderr
    stored = sum(p.stat().st_size for p in (data / "sync.git").rglob("*") if p.is_file())
    assert stored < 2**20, f"{stored} bytes in sync.git"
    local = json.loads((data / "progress.json").read_text(encoding="utf-8"))
    _y_done(local)
    again = roadmap(["sync"], env, cwd, tmp_path / "out")
    assert again.stdout.startswith("Already in sync"), again.stdout + again.stderr
