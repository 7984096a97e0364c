"""Many roadmap commands at once: every change is kept, and a held lock is waited for or reported.

Each test names the protection in src/roadmap_cli/store.py that it would catch being removed.
Children are synchronised by lines on pipes, never by sleeping.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from roadmap_cli.entries import Status
from roadmap_cli.store import Store
from tests.conftest import Invoke
from tests.processes import DEMO_ROADMAP, FORK, WAIT

# A child that takes the progress lock the way roadmap-cli does (filelock, flock on POSIX),
# says so, and holds it until its stdin is closed.
HOLD_LOCK = """\
import sys
import filelock

lock = filelock.FileLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.read()
"""


def wait_for_line(stream: IO[bytes] | None, expected: str, timeout: float = WAIT) -> None:
    """Read a child's stdout until its first line arrives, and check it is `expected`."""
    assert stream is not None
    fd = stream.fileno()
    deadline = time.monotonic() + timeout
    buffer = b""
    while b"\n" not in buffer:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no line from the child within {timeout} s (got {buffer!r})"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 4096)
            assert chunk, f"the child closed its stdout before a line (got {buffer!r})"
            buffer += chunk
    assert buffer.split(b"\n", 1)[0].decode() == expected


def start_lock_holder(lock_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        bufsize=0,
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=WAIT)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def generated_roadmap(tmp_path: Path, count: int) -> Path:
    """Write a roadmap file with one roadmap `gen` of `count` resources r00, r01, ..."""
    lines = ["version: 1", "roadmaps:", "  - id: gen", "    title: Generated", "    resources:"]
    for i in range(count):
        lines.append(
            f'      - {{id: r{i:02d}, title: "Resource {i}", '
            f'url: "https://example.org/r{i:02d}", hours: 1}}'
        )
    path = tmp_path / "gen.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- 50 real CLI processes at once -------------------------------------------------------------


def test_fifty_cli_processes_at_once_each_record_their_resource(
    tmp_path: Path, data_dir: Path, progress_path: Path, invoke: Invoke
) -> None:
    # Protection: the inter-process lock around Store.update's read-modify-write. Without it,
    # processes that read progress.json before another one replaced it write back a state that
    # lacks the other's resource, and fewer than 50 resources end up done.
    count = 50
    gen = generated_roadmap(tmp_path, count)
    env = {
        **os.environ,
        "ROADMAP_CLI_DATA_DIR": str(data_dir),
        # Waiting for the lock is expected here; on a loaded machine 50 starts take a while.
        "ROADMAP_CLI_LOCK_TIMEOUT": "60",
    }
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(count):
            command = ["--roadmaps", str(gen), "done", f"gen/r{i:02d}"]
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "roadmap_cli", *command],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
        outcomes = [(proc.communicate(timeout=120), proc.returncode) for proc in procs]
    finally:
        for proc in procs:
            stop(proc)

    failed = [(i, code, err.decode()) for i, ((_, err), code) in enumerate(outcomes) if code != 0]
    assert failed == []
    for i, ((out, _), _) in enumerate(outcomes):
        assert f"Done: Resource {i} (gen/r{i:02d})" in out.decode()

    shown = invoke("--roadmaps", str(gen), "show", "gen", "--json")
    assert shown.exit_code == 0, shown.stderr
    summary = json.loads(shown.stdout)
    statuses = {item["ref"]: item["status"] for item in summary["steps"][0]["resources"]}
    lost = sorted(ref for ref, status in statuses.items() if status != "done")
    print(f"\nFIGURES cli-at-once: processes={count} updates_lost={len(lost)}")
    assert lost == []
    assert summary["done"] == count
    assert len(statuses) == count
    recorded = json.loads(progress_path.read_bytes())["entries"]
    assert sorted(recorded) == [f"gen/r{i:02d}" for i in range(count)]


# --- 4 processes x 100 random operations on overlapping resources ----------------------------

REFS = [f"demo/res-{i}" for i in range(10)]
OPS_PER_WORKER = 100
WORKERS = 4

Op = tuple[int, str, Status, Status]  # (monotonic_ns inside the lock, ref, new status, seen)


def _random_ops_worker(path: str, seed: int, log_path: str, start: Callable[..., object]) -> None:
    rng = random.Random(seed)
    store = Store(Path(path), lock_timeout=60)
    log: list[Op] = []
    start(WAIT)  # all workers begin together, so that they contend for the lock
    for _ in range(OPS_PER_WORKER):
        ref = rng.choice(REFS)
        status: Status = rng.choice(("done", "pending"))
        with store.update() as changes:
            # Recorded under the lock, so timestamp order is lock order (CLOCK_MONOTONIC is
            # system-wide on Linux). `seen` is what this operation read for the ref.
            seen = changes.progress.status(ref)
            changes.set_status(ref, status)
            log.append((time.monotonic_ns(), ref, status, seen))
    Path(log_path).write_text(json.dumps(log), encoding="utf-8")


def test_random_done_and_reset_from_four_processes_lose_nothing(
    tmp_path: Path, progress_path: Path
) -> None:
    # Protection: the inter-process lock held from the read to the os.replace in Store.update.
    # Without it an operation can read a state that misses an earlier operation (a lost update),
    # and the file ends with a status that is not the one of the last operation on that ref.
    barrier = FORK.Barrier(WORKERS)
    logs = [tmp_path / f"ops-{n}.json" for n in range(WORKERS)]
    workers = [
        FORK.Process(
            target=_random_ops_worker,
            args=(str(progress_path), 1000 + n, str(logs[n]), barrier.wait),
        )
        for n in range(WORKERS)
    ]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=90)
        assert [w.exitcode for w in workers] == [0] * WORKERS
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
            worker.join(timeout=WAIT)

    ops: list[Op] = sorted(
        (int(ns), ref, status, seen)
        for log in logs
        for ns, ref, status, seen in json.loads(log.read_text(encoding="utf-8"))
    )
    assert len(ops) == WORKERS * OPS_PER_WORKER
    assert len({ns for ns, *_ in ops}) == len(ops)

    # Replaying the operations in lock order: each must have seen the one before it on its ref.
    expected: dict[str, Status] = {}
    stale_reads = []
    for ns, ref, status, seen in ops:
        if seen != expected.get(ref, "pending"):
            stale_reads.append((ns, ref, seen))
        expected[ref] = status

    progress = Store(progress_path).load()  # the file is valid
    final = {ref: progress.status(ref) for ref in REFS}
    wrong_final = {ref: final[ref] for ref in expected if final[ref] != expected[ref]}
    print(
        f"\nFIGURES random-ops: processes={WORKERS} operations={len(ops)} "
        f"stale_reads={len(stale_reads)} wrong_final_statuses={len(wrong_final)}"
    )
    assert stale_reads == []
    assert wrong_final == {}
    assert set(progress.entries) <= set(REFS)


# --- a lock held by someone else ---------------------------------------------------------------


def test_a_held_lock_makes_done_wait_then_fail_without_changing_anything(
    progress_path: Path, write_roadmap: Callable[..., Path], invoke: Invoke
) -> None:
    # Protection: the lock timeout (ROADMAP_CLI_LOCK_TIMEOUT) and its LockTimeoutError. Without
    # the lock the command would change progress.json under the holder; without the timeout it
    # would hang instead of exiting 1 with an explanation.
    roadmaps = str(write_roadmap(DEMO_ROADMAP))
    first = invoke("--roadmaps", roadmaps, "done", "demo/alpha")
    assert first.exit_code == 0, first.stderr
    before = progress_path.read_bytes()

    holder = start_lock_holder(progress_path.with_name("progress.json.lock"))
    try:
        wait_for_line(holder.stdout, "locked")
        started = time.monotonic()
        blocked = invoke(
            "--roadmaps", roadmaps, "done", "demo/beta", env={"ROADMAP_CLI_LOCK_TIMEOUT": "0.5"}
        )
        waited = time.monotonic() - started
        assert blocked.exit_code == 1
        assert "another roadmap command is running" in blocked.stderr.lower()
        assert "0.5 s" in blocked.stderr
        assert "Traceback" not in blocked.stderr
        assert 0.5 <= waited < 8.0  # it waited for the lock, and not the default 10 s
        assert progress_path.read_bytes() == before

        assert holder.stdin is not None
        holder.stdin.close()  # the holder finishes and its lock is released
        assert holder.wait(timeout=WAIT) == 0
    finally:
        stop(holder)

    again = invoke(
        "--roadmaps", roadmaps, "done", "demo/beta", env={"ROADMAP_CLI_LOCK_TIMEOUT": "0.5"}
    )
    assert again.exit_code == 0, again.stderr
    assert "Done: Beta (demo/beta)" in again.stdout
    progress = Store(progress_path).load()
    assert progress.status("demo/alpha") == "done"
    assert progress.status("demo/beta") == "done"


def test_a_lock_left_by_a_killed_process_does_not_block_the_next_command(
    progress_path: Path, write_roadmap: Callable[..., Path], invoke: Invoke
) -> None:
    # Protection: an OS-level lock (flock) that dies with its holder. A lock that exists as a
    # file (a "soft" lock) would outlive the SIGKILL, and the next command would time out.
    roadmaps = str(write_roadmap(DEMO_ROADMAP))
    progress_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = progress_path.with_name("progress.json.lock")

    holder = start_lock_holder(lock_path)
    try:
        wait_for_line(holder.stdout, "locked")
        os.kill(holder.pid, signal.SIGKILL)
        assert holder.wait(timeout=WAIT) == -signal.SIGKILL
    finally:
        stop(holder)
    assert lock_path.exists()  # the dead holder's lock file is still there

    result = invoke(
        "--roadmaps", roadmaps, "done", "demo/alpha", env={"ROADMAP_CLI_LOCK_TIMEOUT": "2"}
    )
    # Exit 0 within the 2 s lock timeout: the dead holder's lock did not count.
    assert result.exit_code == 0, result.stderr
    assert "Done: Alpha (demo/alpha)" in result.stdout
    assert Store(progress_path).load().status("demo/alpha") == "done"
