"""Benchmark roadmap-cli against the floor of its own stack: whole processes, start to exit.

    python benchmarks/run.py [--runs N] [--warmup N] [--quick] [--json FILE]

Standard library only. It measures the roadmap-cli installed in the interpreter that runs this
script (`sys.executable -m roadmap_cli`), on generated data sets in a temporary folder, each
command paired with the same kind of command of "the floor": a Typer app of our shape, written
by this script, with as many commands as roadmap-cli's app has (counted from the app itself),
each with a few parameters and printing one small Rich table. A command and its floor run one
right after the other, the order alternating from round to round (interleaved pairs); a ratio
is the median of the command over the median of its floor. taskwarrior (`task`), when it is on
PATH, is measured as information. It prints one table per data set, how time grows with size,
and the project's budgets with MET / NOT MET. It measures; it does not gate: the exit code is 0
whatever the figures. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import marshal
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

DEFAULT_RUNS = 7
DEFAULT_WARMUP = 2
QUICK_RUNS = 3
QUICK_WARMUP = 1

RESOURCES_PER_ROADMAP = 50
STEPS_PER_ROADMAP = 5
BIG_ROADMAP_RESOURCES = 1000
BIG_ROADMAP_STEPS = 10
PROGRESS_STAMP = "2026-01-01T00:00:00Z"
TASK_STAMP = "20260101T000000Z"
TASK_COUNT = 10_000
# A pending task's id after `task list` has moved the completed ones out (ids 1..5000).
TASK_DONE_ID = 2500
# Taskwarrior settings given on every command line (TASKRC is an empty file).
TASK_OVERRIDES = [
    "rc.confirmation=off",
    "rc.verbose=nothing",
    "rc.color=off",
    "rc.hooks=off",
    "rc.detection=off",
    "rc.defaultwidth=120",
    "rc.json.array=on",
]
COMPLETION_WORDS = "roadmap done r"
FLOOR_COMPLETION_WORDS = "floor c00 a"

# The floor's commands each kind of command is paired with: like with like.
FLOOR_COMMAND = "command"  # `floor c00 alice`: one small Rich table
FLOOR_HELP = "help"  # `floor --help`
FLOOR_COMPLETION = "completion"  # a TAB press after `floor c00 a`
TASK_LIST = "task:list"
TASK_DONE = "task:done"
TRUE = "true"

# The floor: a Typer app of roadmap-cli's shape, with Typer's defaults. It gets as many
# commands as roadmap-cli's app has; each takes an argument (with completion) and two options,
# and prints one small Rich table, so that building the command tree, converting the
# parameters and importing Rich are paid on both sides.
FLOOR_HEAD = '''\
"""The floor: a Typer app with {count} commands of a few parameters, each printing a table."""

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


def complete_name(incomplete: str) -> list[str]:
    return [n for n in ("alice", "bob", "carol") if n.startswith(incomplete)]


def table(command: str, name: str, limit: int, as_json: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    if as_json:
        print({{"command": command, "name": name}})
        return
    grid = Table("Command", "Name", "Limit")
    grid.add_row(command, name, str(limit))
    grid.add_row("total", "", str(limit))
    Console().print(grid)


@app.callback()
def main_options(
    config: Annotated[Path | None, typer.Option("--config", help="Also load this file.")] = None,
) -> None:
    """The floor of roadmap-cli's stack."""
'''

FLOOR_COMMAND_TEMPLATE = '''

@app.command("{name}")
def command_{name}(
    name: Annotated[str, typer.Argument(help="A name.", autocompletion=complete_name)] = "world",
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print a small table ({name})."""
    table("{name}", name, limit, as_json)
'''

FLOOR_TAIL = """

if __name__ == "__main__":
    app(prog_name="floor")
"""

# Counts the commands of the installed roadmap-cli's app, from the app itself.
COUNT_COMMANDS = """\
import typer.main
from roadmap_cli.cli import app
group = typer.main.get_command(app)
ctx = group.make_context("roadmap", ["--help"], resilient_parsing=True)
print(len(group.list_commands(ctx)))
"""


def floor_app(count: int) -> str:
    """Return the floor app's source, with `count` commands (c00, c01, ...)."""
    commands = "".join(FLOOR_COMMAND_TEMPLATE.format(name=f"c{n:02d}") for n in range(count))
    return FLOOR_HEAD.format(count=count) + commands + FLOOR_TAIL


def count_commands(env: dict[str, str], cwd: Path) -> int:
    """How many commands roadmap-cli's app has, asked of the app itself."""
    done = subprocess.run(
        [sys.executable, "-c", COUNT_COMMANDS],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return int(done.stdout.strip())
    except ValueError:
        sys.exit(f"Cannot count roadmap-cli's commands:\n{done.stdout}{done.stderr}")


# --------------------------------------------------------------------------------------------
# Data sets


def roadmap_yaml(count: int, per_roadmap: int, steps: int, *, prefix: str, header: str = "") -> str:
    """Return a roadmap file of `count` roadmaps, each with `per_roadmap` resources in `steps`.

    Roadmap ids are `{prefix}-000`, ...; resource ids `topic-0000`, ...; every resource has its
    own URL (a host per roadmap, a path per resource), so none is shared between roadmaps.
    """
    per_step = per_roadmap // steps
    lines = [f"# Generated by benchmarks/run.py.{header}", "version: 1", "roadmaps:"]
    for r in range(count):
        rid = f"{prefix}-{r:03d}"
        lines += [
            f"  - id: {rid}",
            f"    title: Generated roadmap {r}",
            f"    summary: {per_roadmap} generated resources in {steps} steps.",
            "    steps:",
        ]
        for s in range(steps):
            lines += [
                f"      - title: Step {s + 1}",
                f"        description: Part {s + 1} of roadmap {r}",
                "        resources:",
            ]
            for i in range(s * per_step, (s + 1) * per_step):
                low = 1 + i % 5
                lines += [
                    f"          - id: topic-{i:04d}",
                    f"            title: Topic {i} of roadmap {r}",
                    "            kind: course",
                    f"            url: https://{rid}.learning.test/topic-{i:04d}",
                    f"            hours: {{low: {low}, high: {low + 1 + i % 3}}}",
                ]
    return "\n".join(lines) + "\n"


def progress_json(count: int, done_per_roadmap: int, *, prefix: str) -> str:
    """Return a progress file (format version 2) with the first resources of each roadmap done."""
    entries = {
        f"{prefix}-{r:03d}/topic-{i:04d}": {
            "status": "done",
            "changed": PROGRESS_STAMP,
            "log": [],
            "notes": [],
        }
        for r in range(count)
        for i in range(done_per_roadmap)
    }
    return json.dumps({"version": 2, "entries": entries, "history": []}, indent=1) + "\n"


@dataclass
class DataSet:
    key: str
    title: str
    data_dir: Path
    roadmap_files: list[Path]
    show: str  # a roadmap id
    ref: str  # a resource that is not done

    def env(self, base: dict[str, str], extra_files: list[Path] | None = None) -> dict[str, str]:
        files = [*self.roadmap_files, *(extra_files or [])]
        return {
            **base,
            "ROADMAP_CLI_DATA_DIR": str(self.data_dir),
            "ROADMAP_CLI_ROADMAPS": os.pathsep.join(str(f) for f in files),
        }


def make_data_sets(root: Path) -> tuple[list[DataSet], Path]:
    """Write the data sets under `root`; return them and the 1,000-resource roadmap file."""
    prefix = "rm"
    sets = []

    shipped = DataSet(
        "shipped",
        "shipped roadmaps only (8 resources)",
        root / "shipped",
        [],
        "long",
        "long/stanford-cs224n",
    )
    sets.append(shipped)

    one_k_file = root / "1k" / "roadmaps.yaml"
    one_k = DataSet(
        "1k",
        "1,000 resources (20 roadmaps x 50, one file) + shipped, nothing done",
        root / "1k" / "data",
        [one_k_file],
        f"{prefix}-000",
        f"{prefix}-010/topic-0030",
    )
    sets.append(one_k)

    ten_k_file = root / "10k" / "roadmaps.yaml"
    ten_k = DataSet(
        "10k",
        "10,000 resources (200 roadmaps x 50, one file) + shipped, 5,000 done",
        root / "10k" / "data",
        [ten_k_file],
        f"{prefix}-000",
        f"{prefix}-100/topic-0030",
    )
    sets.append(ten_k)

    for data_set in sets:
        data_set.data_dir.mkdir(parents=True)
    one_k_file.write_text(
        roadmap_yaml(20, RESOURCES_PER_ROADMAP, STEPS_PER_ROADMAP, prefix=prefix),
        encoding="utf-8",
    )
    ten_k_file.write_text(
        roadmap_yaml(200, RESOURCES_PER_ROADMAP, STEPS_PER_ROADMAP, prefix=prefix),
        encoding="utf-8",
    )
    (ten_k.data_dir / "progress.json").write_text(
        progress_json(200, RESOURCES_PER_ROADMAP // 2, prefix=prefix), encoding="utf-8"
    )
    big_file = root / "10k" / "big-roadmap.yaml"
    big_file.write_text(
        roadmap_yaml(1, BIG_ROADMAP_RESOURCES, BIG_ROADMAP_STEPS, prefix="big"),
        encoding="utf-8",
    )
    return sets, big_file


def rewrite(path: Path, counter: list[int]) -> None:
    """Rewrite a generated roadmap file: same roadmaps, new bytes, new modification time."""
    counter[0] += 1
    text = path.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    first = first.split(" (rewrite ", 1)[0]
    path.write_text(f"{first} (rewrite {counter[0]})\n{rest}", encoding="utf-8")


def make_taskwarrior_data(root: Path, env: dict[str, str]) -> Path | None:
    """Import 10,000 tasks (half completed) into a fresh TASKDATA; return it, or None."""
    folder = root / "task" / "master"
    folder.mkdir(parents=True)
    tasks = []
    for n in range(TASK_COUNT):
        r, i = divmod(n, RESOURCES_PER_ROADMAP)
        task: dict[str, Any] = {
            "uuid": f"00000000-0000-4000-8000-{n + 1:012d}",
            "description": f"Topic {i} of roadmap {r}",
            "project": f"rm{r:03d}",
            "status": "pending",
            "entry": TASK_STAMP,
        }
        if i < RESOURCES_PER_ROADMAP // 2:
            task.update(status="completed", end=TASK_STAMP, modified=TASK_STAMP)
        tasks.append(task)
    source = root / "task" / "tasks.json"
    source.write_text(json.dumps(tasks), encoding="utf-8")
    steps = [["import", str(source)], ["list"]]  # `list` moves the completed tasks out
    for args in steps:
        done = subprocess.run(
            ["task", *TASK_OVERRIDES, *args],
            env=task_env(env, root, folder),
            cwd=root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(
                f"taskwarrior: `task {args[0]}` failed ({done.returncode}): "
                f"{done.stderr.strip()[:300]}",
                file=sys.stderr,
            )
            return None
    return folder


def task_env(base: dict[str, str], root: Path, folder: Path) -> dict[str, str]:
    return {**base, "TASKRC": str(root / "task" / "taskrc"), "TASKDATA": str(folder)}


# --------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Run:
    """One process: the command line, its environment, what to do untimed around it."""

    argv: list[str]
    env: dict[str, str]
    before: Callable[[], object] | None = None  # untimed, before every run
    after: Callable[[], object] | None = None  # untimed, after every run
    times: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def peak_rss(self) -> int | None:
        return max(self.rss_kib) if self.rss_kib else None

    @property
    def failed(self) -> bool:
        return any(code != 0 for code in self.exit_codes)


@dataclass
class Bench:
    """A command measured, and the floor's command it is paired with (run right beside it)."""

    key: str  # unique: "10k:list"
    group: str  # a data set key, or "baseline"
    label: str  # what is shown in the tables
    run: Run
    floor: Run | None = None  # the pair; None for the baselines
    floor_kind: str = FLOOR_COMMAND
    task_baseline: str | None = None

    @property
    def median(self) -> float | None:
        return self.run.median

    @property
    def vs_floor(self) -> float | None:
        return ratio(self.run.median, self.floor.median) if self.floor else None


RSS_SCALE = 1 / 1024 if sys.platform == "darwin" else 1  # ru_maxrss: bytes on macOS, else KiB

# The helper process that starts every measured command. Why not subprocess.Popen from here:
# Popen starts children with vfork() (or posix_spawn), and on Linux a child started that way
# inherits the peak RSS of the process that started it as the floor of its own ru_maxrss (exec
# records the high-water mark of the memory it leaves, which after vfork is the parent's). This
# script, having generated the data sets, is bigger than some of the commands it measures. So a
# small Python (-I -S: no site, nothing but builtin modules) forks each command, times it
# from fork to exit with perf_counter, and reaps it with os.wait4, whose rusage is that one
# process's. After fork() the floor is what the helper holds, a few MiB: the `true` row.
# Requests and replies go over pipes as marshal data with a length prefix.
LAUNCHER = """\
import marshal, os, sys, time
inp, out = sys.stdin.buffer, sys.stdout.buffer
devnull = os.open(os.devnull, os.O_RDWR)
while len(size := inp.read(8)) == 8:
    argv, env, cwd = marshal.loads(inp.read(int.from_bytes(size, "little")))
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    reply = marshal.dumps((elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)))
    out.write(len(reply).to_bytes(8, "little") + reply)
    out.flush()
"""


class Launcher:
    """Runs commands to their end, one at a time, through the LAUNCHER helper process."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        if self.proc.stdin is None or self.proc.stdout is None:
            raise RuntimeError("cannot talk to the launcher process")
        self.requests, self.replies = self.proc.stdin, self.proc.stdout

    def measure(self, argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int]:
        """Return the wall seconds, the peak RSS in KiB and the exit code of one run."""
        request = marshal.dumps((list(argv), dict(env), str(cwd)))
        self.requests.write(len(request).to_bytes(8, "little") + request)
        self.requests.flush()
        size = self.replies.read(8)
        if len(size) != 8:
            raise RuntimeError("the launcher process ended unexpectedly")
        elapsed, rss, code = marshal.loads(self.replies.read(int.from_bytes(size, "little")))
        return elapsed, int(rss * RSS_SCALE), code

    def run(self, run: Run, cwd: Path, *, keep: bool) -> None:
        """Run `run` once, with what it does untimed before and after; keep its figures."""
        if run.before:
            run.before()
        elapsed, rss, code = self.measure(run.argv, run.env, cwd)
        if run.after:
            run.after()
        if keep:
            run.times.append(elapsed)
            run.rss_kib.append(rss)
            run.exit_codes.append(code)

    def close(self) -> None:
        self.requests.close()
        self.proc.wait()


def run_all(launcher: Launcher, benches: list[Bench], *, runs: int, warmup: int, cwd: Path) -> None:
    """Run every bench once per round, round after round, so that drift hits all alike.

    A command and its floor run back to back, the command first in even rounds and the floor
    first in odd ones: an interleaved pair, which sees the same moment of the machine.
    """
    total = warmup + runs
    for round_no in range(total):
        warming = round_no < warmup
        what = (
            f"warm-up {round_no + 1}/{warmup}" if warming else f"run {round_no - warmup + 1}/{runs}"
        )
        print(f"  round {round_no + 1}/{total} ({what})", file=sys.stderr, flush=True)
        for bench in benches:
            pair = [bench.run] if bench.floor is None else [bench.run, bench.floor]
            if round_no % 2:
                pair.reverse()
            for run in pair:
                launcher.run(run, cwd, keep=not warming)


# --------------------------------------------------------------------------------------------
# Reporting


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.1f} ms"


def mib(kib: int | None) -> str:
    return "–" if kib is None else f"{kib / 1024:.1f} MiB"


def times_x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        out = [
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    rule = "-" * len(line(["-" * w for w in widths]))
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def spread(run: Run) -> str:
    return f"{min(run.times) * 1000:.1f}–{max(run.times) * 1000:.1f} ms" if run.times else "–"


def bench_row(bench: Bench, by_key: dict[str, Bench], with_task: bool) -> list[str]:
    run = bench.run
    label = bench.label
    if run.failed:
        codes = sorted({c for c in run.exit_codes if c != 0})
        label += f"  [FAILED: exit {', '.join(map(str, codes))}]"
    if bench.floor is not None and bench.floor.failed:
        label += "  [floor FAILED]"
    row = [label, ms(run.median), spread(run), mib(run.peak_rss)]
    if bench.floor is None:
        return row
    row += [ms(bench.floor.median), mib(bench.floor.peak_rss), times_x(bench.vs_floor)]
    if with_task:
        task = by_key.get(bench.task_baseline or "")
        if task is None:
            row += ["–", "–"]
        else:
            row += [
                times_x(ratio(run.median, task.median)),
                times_x(ratio(bench.floor.median, task.median)),
            ]
    return row


@dataclass
class Budget:
    name: str
    measured: float | None  # a ratio
    limit: float
    note: str = ""
    figures: str = ""  # what the ratio is made of

    @property
    def status(self) -> str:
        if self.note:
            return self.note
        if self.measured is None:
            return "N/A"
        return "MET" if self.measured <= self.limit else "NOT MET"


def budgets(by_key: dict[str, Bench]) -> list[Budget]:
    """The project's performance budgets (issue 14), each a ratio measured in the same run."""

    def vs_floor(name: str, key: str, limit: float, *, memory: bool = False) -> Budget:
        bench = by_key.get(key)
        if bench is None or bench.floor is None:
            return Budget(name, None, limit, "N/A")
        if bench.run.failed or bench.floor.failed:
            return Budget(name, None, limit, "N/A (a command failed)")
        if memory:
            measured = ratio(bench.run.peak_rss, bench.floor.peak_rss)
            figures = f"{mib(bench.run.peak_rss)} / {mib(bench.floor.peak_rss)}"
        else:
            measured = bench.vs_floor
            figures = f"{ms(bench.run.median)} / {ms(bench.floor.median)}"
        return Budget(name, measured, limit, figures=figures)

    def between(name: str, key: str, base: str, limit: float) -> Budget:
        bench, against = by_key.get(key), by_key.get(base)
        if bench is None or against is None:
            return Budget(name, None, limit, "N/A")
        if bench.run.failed or against.run.failed:
            return Budget(name, None, limit, "N/A (a command failed)")
        figures = f"{ms(bench.median)} / {ms(against.median)}"
        return Budget(name, ratio(bench.median, against.median), limit, figures=figures)

    found = [
        vs_floor(f"shipped: {cmd}", f"shipped:{cmd}", 1.08)
        for cmd in ("list", "show", "remaining", "next")
    ]
    found += [
        vs_floor(f"shipped: {cmd} (writes)", f"shipped:{cmd}", 1.10)
        for cmd in ("done", "start", "log")
    ]
    found.append(vs_floor("shipped: --help vs the floor's --help", "shipped:--help", 1.15))
    found += [
        vs_floor(f"10k: {cmd}", f"10k:{cmd}", 1.25)
        for cmd in ("list", "show", "remaining", "next", "done")
    ]
    found += [
        vs_floor("10k: peak memory of list", "10k:list", 1.3, memory=True),
        between("10k: list ÷ shipped list", "10k:list", "shipped:list", 1.2),
        vs_floor("10k: cold list (file just changed)", "10k:cold-list", 4.0),
        vs_floor("10k: show of a 1,000-resource roadmap", "10k:show-big", 1.5),
        vs_floor("10k: completion vs the floor's completion", "10k:completion", 1.08),
    ]
    return found


def version_of(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # not available on this system
        return "unknown"


def task_version(env: dict[str, str]) -> str:
    try:
        out = subprocess.run(
            ["task", "--version"], env=env, capture_output=True, text=True, check=False
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the installed roadmap-cli against the floor of its stack."
    )
    parser.add_argument("--runs", type=int, help=f"measured pairs per command ({DEFAULT_RUNS})")
    parser.add_argument("--warmup", type=int, help=f"warm-up pairs per command ({DEFAULT_WARMUP})")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a fast smoke run: {QUICK_WARMUP} warm-up, {QUICK_RUNS} runs (unless given)",
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = QUICK_RUNS if args.quick else DEFAULT_RUNS
    if args.warmup is None:
        args.warmup = QUICK_WARMUP if args.quick else DEFAULT_WARMUP
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    return args


def base_env(root: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.endswith("_COMPLETE") or k.startswith(("COMP_", "ROADMAP_CLI_", "TASK")))
    }
    # An empty config folder: the user's own roadmaps folder is not loaded.
    config = root / "config"
    config.mkdir(exist_ok=True)
    # A cache folder of the run's own: the user's roadmap cache is neither read nor written.
    env.update(
        NO_COLOR="1",
        COLUMNS="120",
        XDG_CONFIG_HOME=str(config),
        ROADMAP_CLI_CACHE_DIR=str(root / "cache"),
    )
    return env


class Restore:
    """Puts a file back as it was when this was made (or removes it if it did not exist)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.saved = path.read_bytes() if path.exists() else None

    def __call__(self) -> None:
        if self.saved is None:
            self.path.unlink(missing_ok=True)
        else:
            self.path.write_bytes(self.saved)


def build_benches(
    launcher: Launcher,
    root: Path,
    env: dict[str, str],
    sets: list[DataSet],
    big_file: Path,
    task_data: Path | None,
    commands: int,
) -> list[Bench]:
    """Every command to measure, each with its floor, baselines first, in the order of a round."""
    py = sys.executable
    app = root / "floor.py"
    app.write_text(floor_app(commands), encoding="utf-8")
    floors = {
        FLOOR_COMMAND: ([py, str(app), "c00", "alice"], env),
        FLOOR_HELP: ([py, str(app), "--help"], env),
        FLOOR_COMPLETION: (
            [py, str(app)],
            complete_env(env, "_FLOOR_COMPLETE", FLOOR_COMPLETION_WORDS),
        ),
    }
    benches: list[Bench] = []
    true = shutil.which("true")
    if true:  # a process that does nothing: the cost of starting one, and the RSS floor
        benches.append(Bench(TRUE, "baseline", "`true` (does nothing)", Run([true], env)))
    if task_data is not None:
        fresh = root / "task" / "run"
        task = ["task", *TASK_OVERRIDES]
        benches += [
            Bench(TASK_LIST, "baseline", "taskwarrior: task list",
                  Run([*task, "list"], task_env(env, root, task_data))),
            Bench(TASK_DONE, "baseline", f"taskwarrior: task {TASK_DONE_ID} done (fresh copy)",
                  Run([*task, str(TASK_DONE_ID), "done"], task_env(env, root, fresh),
                      before=functools.partial(fresh_copy, task_data, fresh))),
        ]  # fmt: skip

    roadmap = [py, "-m", "roadmap_cli"]
    for data_set in sets:
        k, denv = data_set.key, data_set.env(env)
        tl, td = (TASK_LIST, TASK_DONE) if k == "10k" and task_data else (None, None)
        # Each write is undone, untimed, right after it: the progress file is put back as it
        # was, so that every run does the same work.
        restore = Restore(data_set.data_dir / "progress.json")

        def bench(
            name: str,
            label: str,
            args: list[str],
            *,
            k: str = k,
            env: dict[str, str] = denv,
            floor: str = FLOOR_COMMAND,
            task_baseline: str | None = None,
            **more: Any,
        ) -> Bench:
            floor_argv, floor_env = floors[floor]
            return Bench(
                f"{k}:{name}",
                k,
                label,
                Run([*roadmap, *args], env, **more),
                Run(list(floor_argv), floor_env),
                floor,
                task_baseline,
            )

        show, ref = data_set.show, data_set.ref
        benches += [
            bench("list", "list", ["list"], task_baseline=tl),
            bench("show", f"show {show}", ["show", show]),
        ]
        if k != "1k":  # 1k: list, show and done only, for the growth table
            benches += [
                bench("remaining", "remaining", ["remaining"]),
                bench("next", "next", ["next"]),
            ]
        benches.append(bench("done", f"done {ref}", ["done", ref], task_baseline=td, after=restore))
        if k == "shipped":
            benches += [
                bench("start", f"start {ref}", ["start", ref], after=restore),
                bench("log", f"log {ref} 1h30", ["log", ref, "1h30"], after=restore),
                bench("--help", "--help", ["--help"], floor=FLOOR_HELP),
            ]
        if k == "10k":
            big = "big-000"
            benches += [
                bench("completion", f"completion '{COMPLETION_WORDS}'", [],
                      env=complete_env(denv, "_ROADMAP_COMPLETE", COMPLETION_WORDS),
                      floor=FLOOR_COMPLETION),
                bench("show-big", f"show {big} (1,000 resources; + its file)", ["show", big],
                      env=data_set.env(env, [big_file])),
                # Untimed, around each run: rewrite the file before; after, one more `list`
                # so that whatever the cold run left behind, the next command runs warm.
                bench("cold-list", "cold list (roadmap file just rewritten)", ["list"],
                      task_baseline=tl,
                      before=functools.partial(rewrite, data_set.roadmap_files[0], [0]),
                      after=functools.partial(launcher.measure, [*roadmap, "list"], denv,
                                              root)),
            ]  # fmt: skip
    return benches


def complete_env(env: dict[str, str], variable: str, words: str) -> dict[str, str]:
    """The environment of a TAB press after the last of `words` (bash, Click/Typer style)."""
    return {**env, variable: "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "2"}


def fresh_copy(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def check_setup(root: Path, env: dict[str, str], sets: list[DataSet], big_file: Path) -> None:
    """Stop early, and loudly, if a generated roadmap file is not valid."""
    roadmap = [sys.executable, "-m", "roadmap_cli"]
    files = [f for s in sets for f in s.roadmap_files] + [big_file]
    checks = [[*roadmap, "validate", "--strict", *map(str, files)]]
    for args in checks:
        done = subprocess.run(args, env=env, cwd=root, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(
                f"Setup failed: {' '.join(args[1:])} exited {done.returncode}:\n"
                f"{done.stdout}{done.stderr}"
            )


def check_floor(root: Path, benches: list[Bench]) -> None:
    """Stop early if the floor does not do what it stands for (a table, --help, completion)."""
    expected = {FLOOR_COMMAND: "alice", FLOOR_HELP: "c00", FLOOR_COMPLETION: "alice"}
    seen = set()
    for bench in benches:
        if bench.floor is None or bench.floor_kind in seen:
            continue
        seen.add(bench.floor_kind)
        done = subprocess.run(
            bench.floor.argv,
            env=bench.floor.env,
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or expected[bench.floor_kind] not in done.stdout:
            sys.exit(f"The floor's {bench.floor_kind} failed:\n{done.stdout}{done.stderr}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not hasattr(os, "wait4"):
        sys.exit("This benchmark needs os.wait4 (Linux or macOS).")
    if version_of("roadmap-cli") == "not installed":
        sys.exit(f"roadmap-cli is not installed in {sys.executable}; pip install it first.")

    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        root = Path(tmp)
        env = base_env(root)
        print("Generating data sets ...", file=sys.stderr, flush=True)
        sets, big_file = make_data_sets(root)
        check_setup(root, env, sets, big_file)
        commands = count_commands(env, root)

        task_path = shutil.which("task")
        task_data = None
        task_info: dict[str, Any] = {"available": False}
        if task_path:
            (root / "task").mkdir()
            (root / "task" / "taskrc").write_text("", encoding="utf-8")
            print("Importing 10,000 tasks into taskwarrior ...", file=sys.stderr, flush=True)
            task_data = make_taskwarrior_data(root, env)
            task_info = {
                "available": task_data is not None,
                "path": task_path,
                "version": task_version(env),
                "tasks": TASK_COUNT,
                "pending": TASK_COUNT // 2,
                "done_id": TASK_DONE_ID,
                "restore": "each `task N done` run works on a fresh copy of the data folder",
            }

        launcher = Launcher()
        benches = build_benches(launcher, root, env, sets, big_file, task_data, commands)
        check_floor(root, benches)
        n_proc = sum(1 if b.floor is None else 2 for b in benches) * (args.runs + args.warmup)
        print(
            f"Measuring {len(benches)} commands, each beside the floor's, x ({args.warmup} "
            f"warm-up + {args.runs} runs) = {n_proc} processes ...",
            file=sys.stderr,
            flush=True,
        )
        load_before = load_average()
        started = time.perf_counter()
        try:
            run_all(launcher, benches, runs=args.runs, warmup=args.warmup, cwd=root)
        finally:
            launcher.close()
        duration = time.perf_counter() - started

    meta = {
        "floor_commands": commands,
        "seconds": round(duration, 1),
        "load_average_before": load_before,
        "load_average_after": load_average(),
    }
    report(args, benches, sets, task_path, task_info, meta)
    return 0


def report(
    args: argparse.Namespace,
    benches: list[Bench],
    sets: list[DataSet],
    task_path: str | None,
    task_info: dict[str, Any],
    run_meta: dict[str, Any],
) -> None:
    by_key = {b.key: b for b in benches}
    have_task = bool(task_info.get("available"))
    meta = {
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "roadmap_cli": version_of("roadmap-cli"),
        "typer": version_of("typer"),
        "pydantic": version_of("pydantic"),
        "rich": version_of("rich"),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "runs": args.runs,
        "warmup": args.warmup,
        **run_meta,
    }
    out: list[str] = []
    out.append("roadmap-cli benchmark")
    out.append(f"Python {meta['python']} ({sys.executable})")
    out.append(
        f"roadmap-cli {meta['roadmap_cli']} · typer {meta['typer']} · "
        f"pydantic {meta['pydantic']} · rich {meta['rich']}"
    )
    out.append(f"Machine: {meta['platform']} · {meta['cpu']} · {meta['cpu_count']} CPUs")
    out.append(
        f"Load average (1, 5, 15 min): {meta['load_average_before']} before the runs, "
        f"{meta['load_average_after']} after"
    )
    out += textwrap.wrap(
        f"The floor: a Typer app with {meta['floor_commands']} commands (as many as "
        "roadmap-cli's app has), each with an argument and two options, each printing one small "
        f"Rich table. Each command: {args.warmup} warm-up + {args.runs} measured runs as whole "
        "processes, each run paired with a run of the floor right beside it (which goes first "
        f"alternates), round-robin over all commands ({meta['seconds']:.0f} s in all; stdout "
        "and stderr to /dev/null, NO_COLOR=1, COLUMNS=120). Wall time: median and min–max. Peak "
        "RSS: the largest ru_maxrss of the process itself over the runs; the `true` row shows "
        "the floor any child starts from.",
        width=100,
    )
    if have_task:
        out += textwrap.wrap(
            f"taskwarrior: {task_info['version']} ({task_path}), {TASK_COUNT:,} tasks "
            f"({TASK_COUNT // 2:,} pending); `task {TASK_DONE_ID} done` runs on a fresh copy "
            "of the data every time (copied untimed before each run).",
            width=100,
        )
    elif task_path:
        out.append("taskwarrior: found, but its data could not be set up: not measured.")
    else:
        out.append("taskwarrior: `task` is not on PATH: not measured (it is information only).")

    base_rows = [bench_row(b, by_key, False) for b in benches if b.group == "baseline"]
    if base_rows:
        out += ["", "Baselines (same run)"]
        out.append(table(["command", "median", "min–max", "peak RSS"], base_rows, {1, 2, 3}))

    headers = ["command", "median", "min–max", "peak RSS", "floor", "floor RSS", "× floor"]
    right = set(range(1, 9))
    for data_set in sets:
        with_task = data_set.key == "10k" and have_task
        rows = [bench_row(b, by_key, with_task) for b in benches if b.group == data_set.key]
        out += ["", f"Data set {data_set.key}: {data_set.title}"]
        extra = ["× task", "floor × task"] if with_task else []
        out.append(table(headers + extra, rows, right))
    out += [
        "",
        "floor: the median of the floor's runs paired with the command (`floor c00 alice`, a",
        "table; --help with its --help; completion with its completion); × floor: the",
        "command's median over it.",
    ]
    if have_task:
        out.append(
            f"× task: list and cold list against `task list`, done against `task {TASK_DONE_ID} "
            "done`; floor × task: the floor's own ratio to the same."
        )

    growth_rows = []
    growth: dict[str, dict[str, float | None]] = {}
    for cmd in ("list", "show", "done"):
        medians = {s.key: by_key[f"{s.key}:{cmd}"].median for s in sets}
        growth[cmd] = medians
        first, last = medians.get("shipped"), medians.get("10k")
        growth_rows.append([cmd, *(ms(medians[s.key]) for s in sets), times_x(ratio(last, first))])
    out += [
        "",
        "How time grows with size (medians; show: `long`, 5 resources, on the shipped set,",
        "a 50-resource roadmap at 1k and 10k)",
    ]
    out.append(
        table(["command", *(s.key for s in sets), "10k ÷ shipped"], growth_rows, {1, 2, 3, 4})
    )

    found = budgets(by_key)
    out += ["", "Budgets (issue 14; measured, not enforced: the exit code is 0)"]
    out.append(
        table(
            ["budget", "figures", "ratio", "limit", "status"],
            [
                [b.name, b.figures or "–", times_x(b.measured), f"≤ {b.limit:g}×", b.status]
                for b in found
            ],
            {1, 2, 3},
        )
    )
    met = sum(b.status == "MET" for b in found)
    out.append(f"{met} of {len(found)} budgets met.")
    print("\n".join(out))

    if args.json:
        document = {
            "meta": meta,
            "taskwarrior": task_info,
            "data_sets": [
                {
                    "key": s.key,
                    "title": s.title,
                    "roadmap_files": [f.name for f in s.roadmap_files],
                    "show": s.show,
                    "ref": s.ref,
                }
                for s in sets
            ],
            "benchmarks": [bench_json(b, by_key) for b in benches],
            "growth_median_s": growth,
            "budgets": [
                {
                    "name": b.name,
                    "ratio": b.measured,
                    "limit": b.limit,
                    "figures": b.figures,
                    "status": b.status,
                }
                for b in found
            ],
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"\nJSON written to {args.json}")


def run_json(run: Run) -> dict[str, Any]:
    return {
        "argv": [Path(a).name if os.sep in a else a for a in run.argv],
        "times_s": run.times,
        "median_s": run.median,
        "min_s": min(run.times) if run.times else None,
        "max_s": max(run.times) if run.times else None,
        "rss_kib": run.rss_kib,
        "peak_rss_kib": run.peak_rss,
        "exit_codes": run.exit_codes,
        "failed": run.failed,
    }


def bench_json(bench: Bench, by_key: dict[str, Bench]) -> dict[str, Any]:
    task = by_key.get(bench.task_baseline or "")
    floor = bench.floor
    return {
        "key": bench.key,
        "group": bench.group,
        "command": bench.label,
        **run_json(bench.run),
        "floor": None if floor is None else {"kind": bench.floor_kind, **run_json(floor)},
        "vs_floor": bench.vs_floor,
        "task_baseline": bench.task_baseline,
        "vs_task": ratio(bench.median, task.median) if task else None,
        "floor_vs_task": ratio(floor.median, task.median) if task and floor else None,
    }


if __name__ == "__main__":
    sys.exit(main())
