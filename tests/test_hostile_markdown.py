"""Hostile Markdown for `roadmap import`: bounded time and memory, and nothing unloadable written.

Each case of the corpus runs the real command in a process of its own and checks its exit code,
that a refusal is one clean paragraph on stderr with nothing written (neither the output file
nor anything in the roadmaps folder), that what is written loads (`roadmap validate`), and the
peak memory of the import. The growth tests time the importer in this process on inputs of size
N and 4N: the time must grow about linearly (a quadratic step would take 16 times as long).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it.token import Token

from roadmap_cli import importer, paths, yamlfile
from roadmap_cli.errors import InputError, RoadmapError
from tests import hostile

PEAK_KIB = 300 * 1024  # ru_maxrss is in KiB on Linux
ROADMAP = "## R\n\n- [a](https://a.org) – 1 h\n\n"


def readme(sections: int) -> str:
    """A README-like guide: per section a heading with hours, prose, steps with nested links
    and estimates, a list of readings, a table of courses and a quote (some 2.6 kB)."""
    words = ["learn", "the", "basics", "of", "systems", "design", "with", "practical"]

    def prose(count: int, seed: int) -> str:
        return " ".join(words[(seed * 7 + i * 3) % len(words)] for i in range(count))

    out = ["# The Big Learning Guide\n\n", prose(80, 1), " It’s a long read — take your time.\n\n"]
    for r in range(sections):
        out.append(f"## Track {r}: {prose(3, r).title()} ({40 + r % 50}–{130 + r % 60} hours)\n\n")
        out.append(f"{prose(60, r)}.\n\n{prose(40, r + 1)}, with *emphasis* and `code`.\n\n")
        for s in range(2):
            out.append(f"- **Step {s}: {prose(2, s)}** – {prose(8, r + s)}, about {2 + s} hours\n")
            for k in range(3):
                out.append(
                    f"  - [{prose(4, r + k).title()} {r}.{s}.{k}](https://learn.dev/t/{r}/{s}/{k})"
                    f" – {prose(10, r * k)} ({1 + k} h)\n"
                )
        out.append("\n")
        for k in range(3):
            out.append(
                f"- [Reading {r}.{k}](https://blog.dev/{r}/{k}) — {prose(12, k)}, ~{20 + k} min\n"
            )
        out.append("\n| Course | Link | Hours | Notes |\n|---|---|---|---|\n")
        for k in range(3):
            out.append(f"| Course {r}.{k} | https://www.coursera.org/learn/c-{r}-{k} | {5 + k} |")
            out.append(f" {prose(6, k)} |\n")
        out.append(f"\n> {prose(20, r)}\n\n")
    return "".join(out)


# --- the corpus, through the real command ---------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    written: bool  # whether a roadmap file is written; else the import is refused
    says: str = ""  # what a refusal's message holds
    line: int | None = None  # the line a refusal names, after the file's name


def _text(make: Callable[[], str]) -> Callable[[], bytes]:
    return lambda: make().encode("utf-8")


CORPUS = [
    Case("readme-1mb", _text(lambda: readme(395)), written=True),
    Case(
        "readme-2mb",
        _text(lambda: readme(790)),
        written=False,
        says="the file is 2,064,240 bytes, more than the 1 MiB of Markdown that import reads",
    ),
    Case(
        "ten-mb",
        _text(lambda: "## R\n\n" + "- [a](https://e.org/a) – read it, 1 h\n" * 260_000),
        written=False,
        says="the file is 9.9 MiB, more than the 1 MiB of Markdown that import reads",
    ),
    # The audit's case: a roadmap file of 5.6 MB, after which every change was refused.
    Case(
        "bare-urls-30k",
        _text(lambda: "## R\n\n" + "".join(f"- https://e.org/page/{i}\n" for i in range(30_000))),
        written=False,
        says="more than 150,000 elements by this line",
    ),
    Case(
        "bare-urls-6k",
        _text(lambda: "## R\n\n" + "".join(f"- https://e.org/page/{i}\n" for i in range(6_000))),
        written=False,
        says="it holds more than 5,000 links to import",
        line=5003,
    ),
    Case(
        "ticked-items-100k",
        _text(lambda: "## R\n\n" + "- [x] t\n" * 100_000),
        written=False,
        says="the file has 100,002 lines, more than the 50,000 of Markdown that import reads",
        line=50_001,
    ),
    Case(
        "ticked-items-40k",
        _text(lambda: "## R\n\n" + "- [x] t\n" * 40_000),
        written=False,
        says="more than 150,000 elements by this line",
    ),
    Case(
        "table-28k-rows",
        _text(
            lambda: (
                "## R\n\n| Title | Link | Hours |\n|---|---|---|\n"
                + "".join(f"| T{i} | https://e.org/{i} | 2 |\n" for i in range(28_000))
            )
        ),
        written=False,
        says="more than 150,000 elements by this line",
    ),
    Case(
        # markdown-it nests blocks at most 20 deep: what is deeper is left out.
        "list-markers-20-deep-45k-lines",
        _text(lambda: ROADMAP + ("- " * 20 + "x\n") * 24_000),
        written=True,
    ),
    Case(
        "over-the-input-cap",
        lambda: b"a" * (importer.MAX_MARKDOWN_BYTES + 1),
        written=False,
        says="more than the 1 MiB of Markdown that import reads",
    ),
    Case(
        "headings-20k",
        _text(lambda: "".join(f"## Heading {i}\n" for i in range(20_000))),
        written=False,
        says="found no roadmap",
    ),
    Case("paragraph-1mb", _text(lambda: "word " * 200_000 + "\n\n" + ROADMAP), written=True),
    Case("one-line-1mb", _text(lambda: ROADMAP + "x" * 1_000_000), written=True),
    Case(
        "nested-lists-10k-levels",
        _text(lambda: ROADMAP + "- " * 10_000 + "[deep](https://deep.org)\n"),
        written=True,
    ),
    Case(
        "nested-lists-1000-indents",
        _text(
            lambda: (
                ROADMAP + "".join("  " * i + f"- [L{i}](https://e.org/{i})\n" for i in range(1000))
            )
        ),
        written=True,
    ),
    Case("block-quotes-100k-deep", _text(lambda: "> " * 100_000 + "a\n"), written=False),
    # markdown-it-py alone reads some 100 kB a second of these: 1 MiB took 10 s.
    Case("unclosed-brackets", _text(lambda: ROADMAP + "[a" * 30_000 + "\n"), written=True),
    Case("unclosed-stars", _text(lambda: ROADMAP + "*a " * 50_000 + "\n"), written=True),
    Case(
        "unclosed-stars-200k",
        _text(lambda: ROADMAP + "*a " * 200_000 + "\n"),
        written=False,
        says="more than 150,000 elements by this line",
        line=5,
    ),
    Case("link-openers-emph-closers", _text(lambda: ROADMAP + "[ a_" * 20_000), written=True),
    Case("unclosed-links", _text(lambda: ROADMAP + "[a](b" * 20_000 + "\n"), written=True),
    Case(
        "nested-strong-emphasis",
        _text(lambda: ROADMAP + "*a **a " * 8000 + "b" + " a** a*" * 8000 + "\n"),
        written=True,
    ),
    Case(
        "backtick-runs",
        _text(lambda: ROADMAP + "".join("e" + "`" * k for k in range(1, 1000)) + "\n"),
        written=True,
    ),
    Case(
        "wide-table",
        _text(lambda: ROADMAP + "|" + "a|" * 1500 + "\n|" + "-|" * 1500 + "\n" + "|x\n" * 30),
        written=True,
    ),
    Case(
        # Each row is 1500 cells: the cap is passed at row 34.
        "wide-table-49k-rows",
        _text(lambda: ROADMAP + "|" + "a|" * 1500 + "\n|" + "-|" * 1500 + "\n" + "|x\n" * 49_000),
        written=False,
        says="more than 150,000 elements by this line",
        line=40,
    ),
    Case(
        "references-10k",
        _text(
            lambda: (
                "## R\n\n"
                + "".join(f"- [L{i}][r{i}]\n" for i in range(1000))
                + "\n"
                + "".join(f"[r{i}]: https://e.org/{i}\n" for i in range(10_000))
            )
        ),
        written=True,
    ),
    Case(
        "mojibake-8k-lines",
        _text(lambda: ROADMAP + "itâ€™s ðŸ§  80â€“100 hours\n" * 8000),
        written=True,
    ),
    Case(
        "mojibake-25k-lines",
        _text(lambda: ROADMAP + "itâ€™s ðŸ§  80â€“100 hours\n" * 25_000),
        written=False,
        says="more than 15,000 lines look mis-encoded",
        line=15_005,
    ),
    Case("mojibake-one-line", _text(lambda: ROADMAP + "â€™" * 130_000 + "\n"), written=True),
    Case(
        "control-characters",
        _text(lambda: ROADMAP + "- [t\x00\x1b[31m\u202e](https://c.org/\x07) \x85\ufeff\n" * 500),
        written=True,
    ),
    # Issue 12: 100,000 "[" or "(", and the shapes markdown-it reads slowest, up to the cap.
    Case("brackets-100k", _text(lambda: ROADMAP + "[" * 100_000 + "\n"), written=True),
    Case("parens-100k", _text(lambda: ROADMAP + "(" * 100_000 + "\n"), written=True),
    Case("brackets-1mib", _text(lambda: ROADMAP + "[" * 1_048_000 + "\n"), written=True),
    Case("bang-brackets-1mib", _text(lambda: ROADMAP + "![" * 524_000 + "\n"), written=True),
    Case(
        "brackets-closed-at-the-end",
        _text(lambda: ROADMAP + "[" * 1_040_000 + "](https://e.org)\n"),
        written=False,
        says="markdown-it would take too long to read the links here",
        line=5,
    ),
    Case(
        "brackets-and-a-reference",
        _text(lambda: ROADMAP + "[a" * 520_000 + "]\n\n[a]: https://e.org\n"),
        written=False,
        says="markdown-it would take too long to read the links here",
        line=5,
    ),
    Case(
        "destinations-run-on",
        _text(lambda: ROADMAP + "[a](b" * 209_000 + ")\n"),
        written=False,
        says="markdown-it would take too long to read the links here",
        line=5,
    ),
    Case("tags-unclosed", _text(lambda: ROADMAP + "<a" * 520_000 + ">\n"), written=True),
    Case("ampersands", _text(lambda: ROADMAP + "&" * 1_040_000 + ";\n"), written=True),
    Case(
        "lines-60k",
        _text(lambda: ROADMAP + "a\n" * 60_000),
        written=False,
        says="the file has 60,004 lines, more than the 50,000",
        line=50_001,
    ),
    Case("not-utf8", lambda: ROADMAP.encode() + b"\xff\xfe\x00" * 1000, False, "not UTF-8"),
    Case(
        "same-title-2k",
        _text(lambda: "## R\n\n" + "".join(f"- [Same](https://e.org/{i})\n" for i in range(2000))),
        written=True,
    ),
]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float  # user and system: what the import cost, however busy the machine
    peak_kib: int


def run_roadmap(*args: str, cwd: Path, env: dict[str, str]) -> Run:
    """Run `roadmap ARGS` in a process of its own; return what it did and its peak memory.

    Started through hostile's measurer, a fresh interpreter: measured straight from pytest,
    the peak would include the memory pytest itself held when the program was started.
    """
    out_path = cwd / f"{os.getpid()}-{threading.get_ident()}.out"
    err_path, report = out_path.with_suffix(".err"), out_path.with_suffix(".json")
    start = time.perf_counter()
    limit = str(hostile.ADDRESS_SPACE_LIMIT)
    measure = [sys.executable, "-I", "-c", hostile.MEASURE, str(report), limit]
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(
            [*measure, sys.executable, "-m", "roadmap_cli", *args],
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    status, peak_kib, cpu = json.loads(report.read_text() or "null")
    return Run(
        os.waitstatus_to_exitcode(status),
        out_path.read_text(encoding="utf-8", errors="replace"),
        err_path.read_text(encoding="utf-8", errors="replace"),
        time.perf_counter() - start,
        cpu,
        peak_kib,
    )


# The refusals also tried without -o, into the roadmaps folder, which must stay as it was.
TO_FOLDER = ("bare-urls-6k", "over-the-input-cap", "not-utf8", "table-28k-rows")


@dataclass
class Corpus:
    runs: dict[tuple[str, bool], Run]  # (case, into the roadmaps folder) -> what it did
    sources: dict[str, Path]
    outputs: dict[str, Path]
    folder_before: dict[str, bytes]
    folder_after: dict[str, bytes]
    validated: Run


def _folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Run every case of the corpus, two at a time, then `roadmap validate` on what was written.

    The processes get folders of their own (HOME, XDG, data, cache) under a temporary folder,
    and a roadmaps folder that already holds a roadmap file.
    """
    base = tmp_path_factory.mktemp("hostile-markdown")
    home = base / "home"
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        ROADMAP_CLI_DATA_DIR=str(base / "data"),
        ROADMAP_CLI_CACHE_DIR=str(base / "cache"),
        COLUMNS="100",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", env["XDG_CONFIG_HOME"])
        folder = paths.roadmaps_folder()
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "version: 1\nroadmaps:\n  - id: mine\n    title: Mine\n    resources:\n"
        "      - {id: a, title: A, url: 'https://a.org', hours: 1}\n",
        encoding="utf-8",
    )
    before = _folder_state(folder)
    sources = {}
    for case in CORPUS:
        sources[case.name] = base / f"{case.name}.md"
        sources[case.name].write_bytes(case.make())
    outputs = {case.name: base / f"{case.name}.yaml" for case in CORPUS}
    jobs = [(case.name, False) for case in CORPUS] + [(name, True) for name in TO_FOLDER]

    def run(job: tuple[str, bool]) -> Run:
        name, to_folder = job
        target = [] if to_folder else ["-o", str(outputs[name])]
        return run_roadmap("import", str(sources[name]), *target, cwd=base, env=env)

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(zip(jobs, pool.map(run, jobs), strict=True))
    after = _folder_state(folder)
    written = [str(path) for path in outputs.values() if path.exists()]
    validated = run_roadmap("validate", *written, cwd=base, env=env)
    for (name, to_folder), result in runs.items():
        where = "roadmaps folder" if to_folder else "-o"
        print(
            f"{name} ({where}): exit {result.code}, {result.seconds:.2f} s "
            f"({result.cpu_seconds:.2f} s CPU), "
            f"{result.peak_kib // 1024} MiB"
        )
    print(
        f"validate: exit {validated.code}, {validated.seconds:.2f} s "
        f"({validated.cpu_seconds:.2f} s CPU), "
        f"{validated.peak_kib // 1024} MiB"
    )
    return Corpus(runs, sources, outputs, before, after, validated)


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_hostile_markdown_is_imported_or_refused_cleanly(case: Case, corpus: Corpus) -> None:
    for to_folder in (False, True) if case.name in TO_FOLDER else (False,):
        run = corpus.runs[case.name, to_folder]
        assert "Traceback" not in run.stderr + run.stdout
        assert run.peak_kib < PEAK_KIB, f"{case.name}: {run.peak_kib // 1024} MiB"
        if case.written:
            assert run.code == 0, run.stderr
            assert run.stderr == ""
            assert corpus.outputs[case.name].exists()
            continue
        assert run.code == 2, run.stderr
        message = run.stderr.strip()
        where = f"{corpus.sources[case.name]}" + (f":{case.line}:" if case.line else "")
        assert message.startswith(f"Error: {where}"), message
        assert "\n\n" not in message  # one paragraph
        assert case.says in message
        assert not corpus.outputs[case.name].exists()


def test_refusals_leave_the_roadmaps_folder_as_it_was(corpus: Corpus) -> None:
    assert corpus.folder_after == corpus.folder_before


def test_what_the_corpus_wrote_loads(corpus: Corpus) -> None:
    assert corpus.validated.code == 0, corpus.validated.stdout + corpus.validated.stderr
    assert corpus.validated.peak_kib < PEAK_KIB
    assert sum(path.exists() for path in corpus.outputs.values()) == sum(
        case.written for case in CORPUS
    )


# --- caps, in this process ------------------------------------------------------------------


def import_text(tmp_path: Path, text: str) -> importer.Imported:
    source = tmp_path / "in.md"
    source.write_text(text, encoding="utf-8")
    return importer.import_file(source, target=tmp_path / "out.yaml", taken_ids=set(), force=True)


def test_markdown_over_the_cap_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer.files, "MAX_MARKDOWN_BYTES", 1000)
    with pytest.raises(InputError) as caught:
        import_text(tmp_path, ROADMAP + "x" * 1000)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'in.md'}: the file is ")
    assert "nothing was written" in message
    assert not (tmp_path / "out.yaml").exists()
    assert import_text(tmp_path, ROADMAP + "x" * (1000 - len(ROADMAP.encode()))).path is not None


def links(count: int) -> str:
    """A roadmap of `count` resources, each of 15 values (with its description)."""
    return "## R\n\n" + "".join(
        f"- [L{i}](https://e.org/{i}) – 1 h, read it\n" for i in range(count)
    )


@pytest.mark.parametrize(
    ("cap", "value", "says"),
    [
        ("MAX_BYTES", 2000, "more than the 2,000 bytes a roadmap file may be"),
        # Room for 12 resources of 13 values, not for 12 of 15.
        ("MAX_VALUES", 13 * 12, "values, more than the 156 a roadmap file may hold"),
        ("MAX_ITEMS", 10, "would hold a list of 12 items, more than the 10"),
    ],
)
def test_output_over_a_cap_of_the_loader_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: str, value: int, says: str
) -> None:
    monkeypatch.setattr(yamlfile, cap, value)
    with pytest.raises(InputError) as caught:
        import_text(tmp_path, links(12))
    message = str(caught.value)
    assert says in message
    assert "(12 resources)" in message
    assert "nothing was written" in message
    assert not (tmp_path / "out.yaml").exists()


def test_more_links_than_any_roadmap_file_holds_stop_the_import_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlfile, "MAX_VALUES", 13 * 10)
    bare = "## R\n\n" + "".join(f"- https://e.org/{i}\n" for i in range(8))  # 13 values each
    assert import_text(tmp_path, bare).path is not None
    with pytest.raises(InputError, match="more than 10 links to import"):
        import_text(tmp_path, links(11))


def test_what_the_loader_refuses_is_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug that made output the loader refuses is caught before writing."""
    real = yamlfile.dump_counted

    def broken(data: dict[str, object]) -> object:
        written = real(data)
        return type(written)(written.text + "extra: [\n", 1, 1, 1)

    monkeypatch.setattr(yamlfile, "dump_counted", broken)
    with pytest.raises(RoadmapError) as caught:
        import_text(tmp_path, links(2))
    assert "would not load" in str(caught.value)
    assert not (tmp_path / "out.yaml").exists()


def test_more_than_a_hundred_problems_are_counted_not_listed(tmp_path: Path) -> None:
    text = ROADMAP + "".join(f"- no link {i}\n" for i in range(250))
    problems = import_text(tmp_path, text).result.problems
    assert len(problems) == importer.MAX_LISTED_PROBLEMS + 1
    assert problems[-1].message == "… and 150 more (not listed)"


# --- growth: linear in the size of the input ------------------------------------------------

# Each makes some 0.1 to 0.3 s of work for n = 3200 on a 2-core machine.
SHAPES: dict[str, Callable[[int], str]] = {
    "bare urls": lambda n: "## R\n\n" + "".join(f"- https://e.org/p/{i}\n" for i in range(n // 3)),
    "headings with links": lambda n: "".join(
        f"## Topic {i}\n\n- [L{i}](https://e.org/{i}) 2 h\n\n" for i in range(n // 5)
    ),
    "table rows": lambda n: (
        "## R\n\n| Title | Link | Hours |\n|---|---|---|\n"
        + "".join(f"| T{i} | https://e.org/{i} | 3 |\n" for i in range(n // 3))
    ),
    "same titles": lambda n: (
        "## R\n\n" + "".join(f"- [Same](https://e.org/{i})\n" for i in range(n // 4))
    ),
    "steps": lambda n: (
        "## R (900 h)\n\n"
        + "".join(
            f"- **Step {i}** – about\n  - [x](https://e.org/{i}) 1 h\n" for i in range(n // 9)
        )
    ),
    "ticked items": lambda n: (
        "## R\n\n" + "".join(f"- [x] [T{i}](https://e.org/{i}) 1 h\n" for i in range(n // 3))
    ),
    "README": lambda n: readme(n // 60),
    "paragraph": lambda n: "word https://x.org/a " * (n * 4) + "\n\n" + ROADMAP,
    "unclosed brackets": lambda n: ROADMAP + "[a" * (n * 2),
    "unclosed stars": lambda n: ROADMAP + "*a " * (n * 7),
    "nested emphasis": lambda n: ROADMAP + "*a **a " * n + "b" + " a** a*" * n,
    "link in deep emphasis": lambda n: (
        ROADMAP + "- " + "*a **a " * n + "[l](https://l.org)" + " a** a*" * n
    ),
    "long URL of parentheses": lambda n: ROADMAP + "- https://e.org/" + ")" * (n * 50) + "\n",
    "mojibake lines": lambda n: ROADMAP + "itâ€™s 80â€“100 hours\n" * n,
}


def import_seconds(tmp_path: Path, text: str) -> float:
    """The least time of three imports of `text` (to the screen: nothing written)."""
    source = tmp_path / "growth.md"
    source.write_text(text, encoding="utf-8")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        with contextlib.suppress(InputError):  # refused after all the work: timed the same
            importer.import_file(source, target=None, taken_ids=set(), force=False)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_import_time_grows_linearly(shape: str, tmp_path: Path) -> None:
    small, large = SHAPES[shape](800), SHAPES[shape](3200)
    assert 3 < len(large) / len(small) < 5
    small_seconds, large_seconds = import_seconds(tmp_path, small), import_seconds(tmp_path, large)
    ratio = large_seconds / small_seconds
    print(
        f"{shape}: {len(small):,} B {small_seconds:.3f} s, {len(large):,} B {large_seconds:.3f} s"
    )
    assert ratio < 8, f"{shape}: 4 times the input took {ratio:.1f} times as long"


# --- issue 12: fast on anything, CPU time measured in a fresh process -------------------------

# Each shape at n bytes of Markdown (about). Imported or refused, the CPU time of the import
# must grow at most linearly from n to 4n, up to the cap (and past it: refused unread).
FRESH_SHAPES: dict[str, Callable[[int], str]] = {
    "README": lambda n: readme(n // 2610),
    "over the cap (2.5 MB, 10 MB)": lambda n: (
        "## R\n\n" + "- [a](https://e.org/a) 1 h\n" * (n // 27)
    ),
    "unclosed [": lambda n: ROADMAP + "[" * n + "\n",
    "unclosed (": lambda n: ROADMAP + "(" * n + "\n",
    "unclosed ![": lambda n: ROADMAP + "![" * (n // 2) + "\n",
    "[ closed at the end": lambda n: ROADMAP + "[" * n + "](https://e.org)\n",
    "[a and a reference": lambda n: ROADMAP + "[a" * (n // 2) + "]\n\n[a]: https://e.org\n",
    "destinations run on": lambda n: ROADMAP + "[a](b" * (n // 5) + ")\n",
    "unclosed <a": lambda n: ROADMAP + "<a" * (n // 2) + ">\n",
    "& then ;": lambda n: ROADMAP + "&" * n + ";\n",
    "unclosed *": lambda n: ROADMAP + "*a " * (n // 3) + "\n",
    "backslashes": lambda n: ROADMAP + "\\" * n + "\n",
    "short lines": lambda n: ROADMAP + "a\n" * (n // 2),
    "mojibake lines": lambda n: ROADMAP + "".join(f"itâ€™s {i} ðŸ§ \n" for i in range(n // 26)),
    "list of links": lambda n: (
        "## R\n\n" + "".join(f"- [T{i}](https://e.org/{i}) – a b, 2 h\n" for i in range(n // 44))
    ),
    "steps of one link": lambda n: (
        "## R (900 h)\n\n"
        + "".join(
            f"- **Step {i}** – about\n  - [x](https://e.org/{i}) 1 h\n" for i in range(n // 62)
        )
    ),
}

# Imports a file in a fresh interpreter and prints the CPU time the import took, and whether
# the file was imported or refused (nothing is written: the roadmap file goes nowhere).
IMPORT_CPU = """\
import sys, time
from pathlib import Path
from roadmap_cli import importer
from roadmap_cli.errors import InputError
start = time.process_time()
try:
    importer.import_file(Path(sys.argv[1]), target=None, taken_ids=set(), force=False)
    outcome = "imported"
except InputError:
    outcome = "refused"
print(time.process_time() - start, outcome)
"""


def import_cpu_seconds(source: Path) -> tuple[float, str]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_CPU, str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seconds, outcome = done.stdout.split()
    return float(seconds), outcome


def test_import_cpu_time_grows_linearly_up_to_the_cap(tmp_path: Path) -> None:
    small, large = 256 * 1024, 1024 * 1024 - 2048
    jobs = []
    for index, (shape, make) in enumerate(FRESH_SHAPES.items()):
        for size in (small, large):
            scale = 10 if shape.startswith("over the cap") else 1
            source = tmp_path / f"{index}-{size}.md"
            source.write_text(make(size * scale), encoding="utf-8")
            if scale == 1:
                assert len(source.read_bytes()) <= importer.MAX_MARKDOWN_BYTES, shape
            jobs.append(source)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(import_cpu_seconds, jobs))
    failures = []
    for index, shape in enumerate(FRESH_SHAPES):
        (small_cpu, small_outcome), (large_cpu, large_outcome) = results[2 * index : 2 * index + 2]
        line = (
            f"{shape}: {small_cpu:.3f} s ({small_outcome}), 4 times the input "
            f"{large_cpu:.3f} s ({large_outcome})"
        )
        print(line)
        # A fresh process's CPU time varies by some milliseconds: 50 ms of slack.
        if large_cpu > 8 * small_cpu + 0.05:
            failures.append(line)
    assert not failures, "grew faster than linearly:\n" + "\n".join(failures)


def test_a_device_or_pipe_over_the_cap_is_refused_after_the_cap(tmp_path: Path) -> None:
    """/dev/zero and a pipe say they hold 0 bytes: at most the cap and a byte are read."""
    target = tmp_path / "out.yaml"
    with pytest.raises(InputError) as caught:
        importer.import_file(Path("/dev/zero"), target=target, taken_ids=set(), force=False)
    assert str(caught.value).startswith(
        "/dev/zero: the file holds more than the 1 MiB of Markdown that import reads; "
        "nothing was written."
    )
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as f:
            f.write(readme(790).encode())

    writer = threading.Thread(target=write)
    writer.start()
    with pytest.raises(InputError) as caught:
        importer.import_file(fifo, target=target, taken_ids=set(), force=False)
    writer.join()
    assert str(caught.value).startswith(f"{fifo}: the file holds more than the 1 MiB")
    assert not target.exists()


def test_the_lines_cap_counts_lines_as_markdown_does(tmp_path: Path) -> None:
    cap = importer.files.MAX_MARKDOWN_LINES
    body = "## R\n\n- [a](https://a.org)\n"
    for ending in ("\n", "\r\n", "\r"):
        text = body.replace("\n", ending) + ("x" + ending) * (cap - 3)
        assert import_text(tmp_path, text).path is not None  # cap lines exactly
    with pytest.raises(InputError) as caught:
        import_text(tmp_path, body + "x\n" * (cap - 3) + "one more")
    assert f"in.md:{cap + 1}: the file has {cap + 1:,} lines, more than the" in str(caught.value)


def test_the_fast_reading_gives_markdown_it_s_own_tokens() -> None:
    """parser's `_inline` and `_link_destination` read as markdown-it does: on 4,000 random
    documents of the characters that matter, the tokens are the same as markdown-it's own."""
    from markdown_it import MarkdownIt

    from roadmap_cli.importer.parser import _MD

    stock = MarkdownIt("commonmark").enable("table")

    def tokens(found: list[Token]) -> list[object]:
        return [
            (t.type, t.tag, t.content, t.markup, t.info, t.attrs, t.map, tokens(t.children or []))
            for t in found
        ]

    pieces = [
        *"[[]]((!!<<>>&&;;\\``**__~ a\n:#-|",
        *["](", "[a](b)", '[a](b (c) "t")', "<a>", "<a<", '<a "<">', "</a<", "<!--", "-->"],
        *["<?", "&#", "&#x1;", "&amp;", "<http://x.y>", "<a@b.c>", "\\[", "  \n", "*a*", "`a`"],
        *["\n\n", "[r]", "\n\n[r]: /u\n\n", "[x]: <y>\n", "![", "\n- ", "| a |\n|--|\n"],
    ]
    rng = random.Random(12)
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        assert tokens(_MD.parse(text, {})) == tokens(stock.parse(text, {})), repr(text)
