"""Hostile roadmap files (issue 17, point 4): every file is loaded or refused with one clean
error, at a bounded cost, changing nothing.

Each case is generated here (nothing big is stored in the repository) and run through the real
program in child processes, three ways, each in a sandbox of its own (tests/hostile.py):
`roadmap --roadmaps FILE list`, `roadmap validate FILE`, and `roadmap list` with the file in
the roadmaps folder. Every run must: exit as expected; say what is wrong in one clean paragraph
(stderr for list, stdout lines FILE:LINE:COLUMN for validate) and never a traceback; leave
progress.json byte-identical; write nothing outside the data and cache folders; peak at 300 MB
at most; and stay under a sanity ceiling of CPU time (the figures are printed at the end: cases,
clean ones, and the worst CPU time, wall time and memory).
"""

from __future__ import annotations

import json
import marshal
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmap_cli import cache
from roadmap_cli.catalog import MAX_PROBLEMS
from tests import hostile
from tests.hostile import Figures, Run, Sandbox

MiB = 1024 * 1024
CAP = 5 * MiB

GOOD = """\
roadmaps:
  - id: mine
    title: {title}
    resources:
      - {{id: r1, title: R, url: 'https://e.org/1', hours: 1}}
"""


def good(title: str = "Mine", roadmap_id: str = "mine") -> str:
    return GOOD.format(title=title).replace("id: mine", f"id: {roadmap_id}")


def billion_laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for n in range(1, 9):
        before, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        text += f"{name}: &{name} [{','.join([f'*{before}'] * 9)}]\n"
    return text


def resources(count: int, fields: str = "hours: 1", same_id: bool = False) -> str:
    return "".join(
        f"      - {{id: {'same' if same_id else f'r{i}'}, title: R{i}, "
        f"url: 'https://e{i}.org/', {fields}}}\n"
        for i in range(count)
    )


def heaviest_valid() -> str:
    """25,000 resources in 100 steps: about the most a file within the caps can hold."""
    parts = ["roadmaps:\n  - id: heavy\n    title: Heavy\n    steps:\n"]
    for step in range(100):
        parts.append(f"      - title: Step {step}\n        resources:\n")
        parts.extend(
            f"          - {{id: r{n}, title: Resource {n}, url: 'https://e{n}.org/', hours: 1}}\n"
            for n in range(step * 250, step * 250 + 250)
        )
    return "".join(parts)


def too_many_values() -> str:
    parts = ["roadmaps:\n"]
    for r in range(20):
        parts.append(f"  - id: m{r}\n    title: M\n    resources:\n")
        parts.append(resources(1500, "hours: 1, kind: video"))
    return "".join(parts)


def exactly_the_cap() -> bytes:
    text = good().encode()
    return text + b"#" + b"x" * (CAP - len(text) - 2) + b"\n"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], str | bytes]
    # What the error of `list` and the first line of `validate` say; None: the file loads.
    refused: str | None
    # What else the error of `list` says (how many more problems there are).
    list_also: str = ""
    # How validate's last line ends, when it is not the first problem.
    validate_last: str | None = None


STOPPED = f"checking stopped after the first {MAX_PROBLEMS}"
CASES = [
    Case(
        "list of 1s, 5 MB",
        lambda: "roadmaps: [" + ",".join(["1"] * 2_500_000) + "]\n",
        "more than 20,000 items in one list",
    ),
    Case(
        "400k lines of '- id: X'",
        lambda: "roadmaps:\n" + "  - id: X\n" * 400_000,
        "more than 20,000 items in one list",
    ),
    Case("billion laughs", billion_laughs, "YAML anchors (&name) are not supported"),
    Case(
        "100,000 nested flow lists",
        lambda: "roadmaps: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "nesting depth",
    ),
    Case(
        "1,500 nested block lists",
        lambda: "".join("  " * i + "- \n" for i in range(1500)),
        "nesting is deeper than 16 levels",
    ),
    Case(
        "2,000 nested block mappings",
        lambda: "".join("  " * i + f"k{i}:\n" for i in range(2000)) + "  " * 2000 + "v\n",
        "nesting is deeper than 16 levels",
    ),
    Case(
        "one 5 MiB string",
        lambda: "roadmaps: '" + "a" * (CAP - 20) + "'\n",
        "roadmaps: Input should be a valid list",
    ),
    Case("one 5 MiB title", lambda: good("'" + "T" * (CAP - 200) + "'"), None),
    Case(
        "100k steps",
        lambda: (
            "roadmaps:\n  - id: many\n    title: Many\n    steps:\n"
            + "".join(f"      - title: S{i}\n" for i in range(100_000))
        ),
        "more than 20,000 items in one list",
    ),
    Case("over 250,000 values", too_many_values, "more than 250,000 values"),
    Case("25,000 valid resources", heaviest_valid, None),
    Case("exactly 5 MiB", exactly_the_cap, None),
    Case("one byte over 5 MiB", lambda: exactly_the_cap() + b"\n", "the file is larger than 5 MiB"),
    Case(
        "not UTF-8",
        lambda: b"roadmaps:\n  - id: a\n    title: caf\xe9\n",
        "not valid UTF-8 (byte 0xe9)",
    ),
    Case("NUL byte", lambda: b"roadmaps:\n  - id: a\x00\n    title: t\n", "U+0000"),
    Case("raw escape sequence", lambda: good("Mi\x1b[2Jne").encode(), "U+001B"),
    Case(
        "!!python/object",
        lambda: "roadmaps: !!python/object:os.system {}\n",
        "YAML tags such as 'tag:yaml.org,2002:python/object:os.system'",
    ),
    Case(
        "!!python/object/apply in a list",
        lambda: "roadmaps:\n  - !!python/object/apply:os.system ['echo hi']\n",
        "YAML tags",
    ),
    Case(
        "duplicate keys",
        lambda: "roadmaps:\n  - id: a\n    id: b\n    title: t\n",
        "duplicate key 'id' (first given on line 2)",
    ),
    Case("two documents", lambda: good() + "---\n" + good(), "more than one YAML document"),
    Case("empty", lambda: "", "the file is empty"),
    Case("escape in a title", lambda: good('"bad\\x1b[31mred"'), "(found U+001B)"),
    Case("zero-width space in a title", lambda: good('"a\\u200bb"'), "(found U+200B)"),
    Case("bidi override in a title", lambda: good('"a\\u202eb"'), "(found U+202E)"),
    Case("zero-width space in an id", lambda: good(roadmap_id='"mi\\u200bne"'), "(found U+200B)"),
    Case("bidi override in an id", lambda: good(roadmap_id='"mi\\u202ene"'), "(found U+202E)"),
    Case("bell in an id", lambda: good(roadmap_id='"mi\\x07ne"'), "(found U+0007)"),
    Case("1 MB id", lambda: good(roadmap_id="m" * 1_000_000), "at most 64 characters"),
    Case(
        "1,000-character key",
        lambda: good().replace("    resources:", "    " + "k" * 1000 + ": 1\n    resources:"),
        "unknown key",
    ),
    Case("markup in a title", lambda: good("'[bold]x[/]'"), None),
    Case(
        "5,000 bad hours",
        lambda: (
            "roadmaps:\n  - id: bad\n    title: Bad\n    resources:\n" + resources(5000, "hours: x")
        ),
        "roadmaps[0].resources[0].hours: must be a number of hours",
        f"(More problems in this file: {STOPPED}; 'roadmap validate' lists them.)",
        f"… and more problems in this file (checking stopped there: only the first "
        f"{MAX_PROBLEMS} are listed).",
    ),
    Case(
        "5,000 duplicate ids",
        lambda: (
            "roadmaps:\n  - id: dup\n    title: Dup\n    resources:\n"
            + resources(5000, same_id=True)
        ),
        "resource id 'same' is already used in roadmap 'dup' on line 5",
        "(4,998 more problems in this file.)",
        f"… and 4,949 more problems in this file (not listed: only the first {MAX_PROBLEMS} "
        "are listed).",
    ),
    Case(
        "5,000 placeholder links",
        lambda: (
            "roadmaps:\n  - id: warn\n    title: Warn\n    resources:\n"
            + resources(5000, "hours: 1, placeholder: true").replace("https://e", "https://TODO.e")
        ),
        None,
        "",
        f"… and 4,950 more warnings in this file (not listed: only the first {MAX_PROBLEMS} "
        "are listed).",
    ),
]
BY_NAME = {case.name: case for case in CASES}
# Every file gets a `roadmap --roadmaps FILE list` of its own: the figures of each file. The
# other two ways are run for all files at once (one `validate FILE...`, one `list` with every
# file in the roadmaps folder), as a user may meet them, which keeps the corpus within the
# suite's time; except for large files that load, which would all be held at once there.
LARGE = 512 * 1024
COPIES = 6


def alone(case: Case, raw: bytes) -> bool:
    """Whether this case is also validated and put in the roadmaps folder on its own."""
    return case.refused is None and len(raw) > LARGE


@pytest.fixture(scope="module")
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    found = Figures("hostile roadmap files")
    yield found
    hostile.show(request, found.summary())


@pytest.fixture(scope="module")
def corpus() -> Callable[[str], bytes]:
    """The bytes of each case, made once per module, when first asked for."""
    made: dict[str, bytes] = {}

    def of(name: str) -> bytes:
        if name not in made:
            content = BY_NAME[name].make()
            made[name] = content.encode() if isinstance(content, str) else content
        return made[name]

    return of


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """progress.json as the program wrote it (long/stanford-cs25 done, 20 h logged)."""
    return hostile.seed_progress(tmp_path_factory.mktemp("seed"))


def sandbox(root: Path, progress: bytes, *, cache_on: bool = False) -> Sandbox:
    box = Sandbox(root, cache_on=cache_on)
    box.progress.write_bytes(progress)
    return box


def file_name(case: Case) -> str:
    return "".join(c if c.isalnum() else "-" for c in case.name.lower()) + ".yaml"


Snapshot = dict[str, tuple[int, int, int]]


def check_untouched(
    box: Sandbox, before: Snapshot, seeded: bytes, result: Run, *, ceiling: float | None = None
) -> None:
    """Within budget, progress.json byte-identical, nothing written outside data and cache."""
    hostile.assert_within_budget(result, ceiling=ceiling or hostile.TIME_CEILING)
    assert box.progress.read_bytes() == seeded, "progress changed\n" + result.describe()
    assert box.changes_outside(before) == [], "wrote outside data/cache\n" + result.describe()


@dataclass(frozen=True)
class Together:
    """The files checked all at once: one `validate`, one `list` from the roadmaps folder."""

    paths: dict[str, tuple[Path, Path]]  # case name: (the file validated, the one in the folder)
    validate: Run
    folder: Run

    def validate_lines(self, name: str) -> list[str]:
        checked = self.paths[name][0]
        return [
            line for line in self.validate.stdout.splitlines() if line.startswith(f"{checked}:")
        ]

    def folder_warnings(self, name: str) -> list[str]:
        """The paragraphs of the folder's `list` stderr that name this case's file."""
        paragraphs: list[str] = []
        for line in self.folder.stderr.splitlines(keepends=True):
            if line.startswith(("Warning: ", "Error: ")) or not paragraphs:
                paragraphs.append(line)
            else:
                paragraphs[-1] += line
        in_folder = self.paths[name][1]
        return [p for p in paragraphs if p.split(" ", 1)[1].startswith(f"{in_folder}:")]


@pytest.fixture(scope="module")
def together(
    tmp_path_factory: pytest.TempPathFactory,
    corpus: Callable[[str], bytes],
    seeded: bytes,
    figures: Figures,
) -> Together:
    root = tmp_path_factory.mktemp("together")
    boxes = [sandbox(root / way, seeded) for way in ("validate", "folder")]
    boxes[1].roadmaps_folder.mkdir(parents=True)
    paths = {}
    for case in CASES:
        raw = corpus(case.name)
        if not alone(case, raw):
            checked = boxes[0].work / file_name(case)
            in_folder = boxes[1].roadmaps_folder / file_name(case)
            paths[case.name] = (checked, in_folder)
            checked.write_bytes(raw)
            in_folder.write_bytes(raw)
    # More broken files of 5 MiB: each one's memory must be let go once it is refused (the
    # error of each was once kept with all it had parsed: 16 such files took 467 MB).
    for n in range(COPIES):
        for name in ("list of 1s, 5 MB", "400k lines of '- id: X'"):
            copy = boxes[1].roadmaps_folder / f"copy-{n}-{file_name(BY_NAME[name])}"
            copy.write_bytes(corpus(name))
    before = [box.snapshot() for box in boxes]
    validate, folder = hostile.run_all(
        [(["validate", *(str(v) for v, _ in paths.values())], boxes[0]), (["list"], boxes[1])]
    )
    refused = sum(1 for name in paths if BY_NAME[name].refused is not None)
    assert folder.stderr.count("Warning: ") == refused + 2 * COPIES, folder.describe()
    figures.add(f"{len(paths)} files at once", validate, folder, counted=False)
    for box, snap, result in zip(boxes, before, (validate, folder), strict=True):
        check_untouched(box, snap, seeded, result, ceiling=3 * hostile.TIME_CEILING)
    assert validate.code == 2, validate.describe()
    assert validate.stderr == "", validate.describe()
    assert folder.code == 0, folder.describe()
    assert "long" in folder.stdout, folder.describe()
    return Together(paths, validate, folder)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_roadmap_file_is_loaded_or_refused_cleanly_within_budget(
    case: Case,
    tmp_path: Path,
    corpus: Callable[[str], bytes],
    seeded: bytes,
    figures: Figures,
    together: Together,
) -> None:
    raw = corpus(case.name)
    name = file_name(case)
    on_its_own = alone(case, raw)
    ways = ("flag", "validate", "folder") if on_its_own else ("flag",)
    boxes = [sandbox(tmp_path / way, seeded) for way in ways]
    given = boxes[0].work / name
    given.write_bytes(raw)
    runs: list[tuple[list[str], Sandbox]] = [(["--roadmaps", str(given), "list"], boxes[0])]
    if on_its_own:
        checked, in_folder = boxes[1].work / name, boxes[2].roadmaps_folder / name
        checked.write_bytes(raw)
        in_folder.parent.mkdir(parents=True)
        in_folder.write_bytes(raw)
        runs += [(["validate", str(checked)], boxes[1]), (["list"], boxes[2])]
    before = [box.snapshot() for box in boxes]
    results = hostile.run_all(runs)
    figures.add(case.name, *results)
    for box, snap, result in zip(boxes, before, results, strict=True):
        check_untouched(box, snap, seeded, result)
    flag = results[0]
    if on_its_own:
        validate, folder = results[1:]
        lines = validate.stdout.splitlines()
        assert validate.stderr == "", validate.describe()
        assert (validate.code, folder.code) == (0, 0), validate.describe() + folder.describe()
        warnings = [folder.stderr] if folder.stderr else []
    else:
        validate, folder = together.validate, together.folder
        checked, in_folder = together.paths[case.name]
        lines = together.validate_lines(case.name)
        warnings = together.folder_warnings(case.name)

    if case.refused is None:
        assert (flag.code, flag.stderr) == (0, ""), flag.describe()
        assert "long" in flag.stdout, flag.describe()  # the shipped roadmaps too
        assert warnings == [], folder.describe()
        if case.validate_last is None:
            assert lines == [f"{checked}: valid"], validate.describe()
    else:
        # --roadmaps: refused, exit 2, one paragraph naming the file and the problem.
        assert flag.code == 2, flag.describe()
        assert flag.stdout == "", flag.describe()
        hostile.assert_one_paragraph(flag.stderr, f"Error: {given}:", flag)
        assert case.refused in flag.stderr, flag.describe()
        assert case.list_also in flag.stderr, flag.describe()
        assert len(flag.stderr) < 2000, flag.describe()
        # The roadmaps folder: skipped with one warning (the other roadmaps are listed).
        assert len(warnings) == 1, folder.describe()
        hostile.assert_one_paragraph(warnings[0], f"Warning: {in_folder}:", folder)
        assert case.refused in warnings[0], folder.describe()
        assert case.list_also in warnings[0], folder.describe()
        assert warnings[0].endswith(" This file is skipped; the other roadmaps are loaded.\n")
        # validate: this file's problems, each FILE:LINE:COLUMN: error: message.
        assert lines, validate.describe()
        assert case.refused in lines[0], validate.describe()
        assert all(line.startswith(f"{checked}:") for line in lines), validate.describe()
    # At most MAX_PROBLEMS problems of each severity, then one line saying how many more.
    assert len(lines) <= MAX_PROBLEMS + 1, validate.describe()
    if case.validate_last is not None:
        assert lines[-1].endswith(case.validate_last), validate.describe()
    figures.passed(case.name)


def plant(entry: Path, error: tuple[str, int, int, int]) -> None:
    """Replace the error a cache entry holds, keeping the rest of it as the program wrote it.

    The fingerprint of the code is kept as the child process computed it: other sessions may
    edit the sources while the suite runs, and this process's fingerprint may be older.
    """
    body = memoryview(entry.read_bytes())[len(cache._MAGIC) + cache._CHECK_SIZE :]
    split = 1 + body[0]  # the stamp comes first, apart
    *kept, _error = marshal.loads(body[split:])  # the value stored comes last
    entry.write_bytes(cache._seal(bytes(body[:split]) + marshal.dumps((*kept, error))))


BROKEN_IN_FOLDER = ["list of 1s, 5 MB", "5,000 bad hours"]


@pytest.mark.parametrize("name", BROKEN_IN_FOLDER)
def test_a_broken_file_in_the_roadmaps_folder_is_parsed_once_while_its_bytes_stay(
    name: str,
    tmp_path: Path,
    corpus: Callable[[str], bytes],
    seeded: bytes,
    figures: Figures,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first command parses the file and caches its error; the next ones read the cache.

    Proof without timing: the cached error is replaced by one that no parse could give, and
    the next commands report that one. Once the file changes, it is parsed afresh.
    """
    raw = corpus(name)
    box = sandbox(tmp_path, seeded, cache_on=True)
    path = box.roadmaps_folder / file_name(BY_NAME[name])
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    before = box.snapshot()
    first = hostile.run(["list"], box)
    check_untouched(box, before, seeded, first)
    assert first.code == 0, first.describe()
    assert first.stderr.startswith(f"Warning: {path}:"), first.describe()

    monkeypatch.setenv("ROADMAP_CLI_CACHE_DIR", str(box.cache))
    monkeypatch.delenv("ROADMAP_CLI_NO_CACHE", raising=False)
    entry = cache.entry_path(path, "err")
    assert entry is not None, "the cache is on"
    assert entry.is_file(), "the error of these bytes is cached"
    planted = "PLANTED: only the cache holds this."
    plant(entry, (planted, 7, 3, 0))

    again, change = hostile.run_all([(["list"], box), (["done", "long/stanford-cs224n"], box)])
    case = f"{name} (in the folder, twice)"
    figures.add(case, first, again, change)
    for result in (again, change):
        check_untouched(box, before, seeded, result)
        assert f"{path}:7:3: {planted}" in result.stderr, result.describe()
    assert again.code == 0, again.describe()
    assert change.code == 2, change.describe()
    hostile.assert_one_paragraph(change.stderr, f"Error: {path}:", change)

    # Other bytes: parsed again, and their own error is reported, not the planted one.
    path.write_bytes(raw + b"\n# edited\n")
    edited = hostile.run(["list"], box)
    figures.add(case, edited)
    hostile.assert_within_budget(edited)
    assert edited.stderr.startswith(f"Warning: {path}:"), edited.describe()
    assert planted not in edited.stderr, edited.describe()
    assert str(BY_NAME[name].refused) in edited.stderr, edited.describe()
    figures.passed(case)


def test_markup_in_a_title_is_shown_as_written(
    tmp_path: Path, corpus: Callable[[str], bytes], seeded: bytes, figures: Figures
) -> None:
    box = sandbox(tmp_path, seeded)
    path = box.work / "markup.yaml"
    path.write_bytes(corpus("markup in a title"))
    before = box.snapshot()
    shown, listed, as_json = hostile.run_all(
        [
            (["--roadmaps", str(path), "show", "mine"], box),
            (["--roadmaps", str(path), "list"], box),
            (["--roadmaps", str(path), "show", "mine", "--json"], box),
        ]
    )
    case = "markup in a title (show, list, show --json)"
    figures.add(case, shown, listed, as_json)
    for result in (shown, listed, as_json):
        check_untouched(box, before, seeded, result)
        assert (result.code, result.stderr) == (0, ""), result.describe()
    assert "[bold]x[/]" in shown.stdout, shown.describe()
    assert "[bold]x[/]" in listed.stdout, listed.describe()
    assert json.loads(as_json.stdout)["title"] == "[bold]x[/]"
    figures.passed(case)


SPECIAL = [
    pytest.param("fifo", id="a FIFO"),
    pytest.param("zero", id="a symbolic link to /dev/zero"),
    pytest.param("folder", id="a folder named *.yaml"),
]
SPECIAL_SAYS = {
    "fifo": ("not a regular file",),
    # A device: refused before a byte is read.
    "zero": ("not a regular file",),
    "folder": ("is a folder, not a roadmap file",),
}


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_special_file_as_a_roadmap_file_is_refused_at_once(
    kind: str, tmp_path: Path, seeded: bytes, figures: Figures
) -> None:
    def make(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "zero":
            path.symlink_to("/dev/zero")
        else:
            path.mkdir()

    boxes = [sandbox(tmp_path / way, seeded) for way in ("flag", "validate", "folder")]
    given, checked = boxes[0].work / "special.yaml", boxes[1].work / "special.yaml"
    in_folder = boxes[2].roadmaps_folder / "special.yaml"
    for path in (given, checked, in_folder):
        make(path)
    before = [box.snapshot() for box in boxes]
    results = hostile.run_all(
        [
            (["--roadmaps", str(given), "list"], boxes[0]),
            (["validate", str(checked)], boxes[1]),
            (["list"], boxes[2]),
        ],
        timeout=6.0 if kind == "fifo" else hostile.TIMEOUT,  # a FIFO's hang costs 6 s, no more
    )
    case = f"special file: {kind}"
    figures.add(case, *results)
    for box, snap, result in zip(boxes, before, results, strict=True):
        check_untouched(box, snap, seeded, result)
    flag, validate, folder = results
    says = SPECIAL_SAYS[kind]
    assert flag.code == 2, flag.describe()
    hostile.assert_one_paragraph(flag.stderr, f"Error: {given}:", flag)
    assert any(words in flag.stderr for words in says), flag.describe()
    assert validate.code == 2, validate.describe()
    assert validate.stdout.startswith(f"{checked}:1:1: error: "), validate.describe()
    assert len(validate.stdout.splitlines()) == 1, validate.describe()
    assert folder.code == 0, folder.describe()
    hostile.assert_one_paragraph(folder.stderr, f"Warning: {in_folder}:", folder)
    assert any(words in folder.stderr for words in says), folder.describe()
    figures.passed(case)
