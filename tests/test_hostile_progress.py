"""Hostile files to merge (issue 17, points 2, 3 and 5): `roadmap merge FILE` (and --dry-run)
refuses a bad one with one clean error, exit 1, local progress byte-identical, at a bounded
cost; a good one is merged under the rules (each log kept once, at most 24 hours a day,
nothing dated more than a day ahead taken).

Each case is generated here and merged by the real program in child processes (tests/hostile.py),
once with --dry-run and once for real, each in a sandbox of its own holding the same progress
(made by the program: long/stanford-cs25 done, 20 h logged on 2026-01-05). Every run must: exit
as expected; say what is wrong in one paragraph on stderr, the same for the dry run and the
real one, and nothing on stdout; leave progress.json byte-identical when refused; write
nothing outside the data and cache folders; peak at 300 MB at most; and stay under a sanity
ceiling of CPU time (the figures are printed at the end). A case that fails is marked
xfail(strict=True) with the fix it needs outside this test (none does since cc13505, which
counts what comes from elsewhere before validating it, reads without blocking, and caps it at
8 MiB; the cases sized "the most that fits" follow the cap).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli.models import HISTORY_LIMIT, MAX_ENTRIES, MAX_LOGS_PER_ENTRY
from roadmap_cli.store import MAX_FOREIGN_BYTES
from tests import hostile
from tests.hostile import Figures, Run, Sandbox

UNCHANGED = "Nothing was merged; your progress is unchanged."
NAME = "other.json"  # every input is given by this name, relative to the working folder
KNOWN = "long/andrew-ng-machine-learning"  # a shipped REF the local progress does not hold


def document(entries: dict[str, Any], history: list[Any] | None = None) -> bytes:
    return json.dumps({"version": 2, "entries": entries, "history": history or []}).encode()


def entry(
    status: str = "done",
    changed: str = "2026-01-01T00:00:00Z",
    log: list[Any] | None = None,
    notes: list[Any] | None = None,
) -> dict[str, Any]:
    return {"status": status, "changed": changed, "log": log or [], "notes": notes or []}


def log(day: str = "2026-01-06", hours: float = 1.0, logged: str = "2026-01-06T10:00:00Z") -> Any:
    return {"day": day, "hours": hours, "logged": logged}


def note(text: str) -> Any:
    return {"text": text, "added": "2026-01-01T00:00:00Z"}


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def joined(head: str, item: str, count: int, tail: str) -> bytes:
    """`head` + `count` copies of `item` separated by commas + `tail`, made fast."""
    return (head + ",".join([item] * count) + tail).encode()


Make = Callable[[Path], None]


def content(data: bytes | Callable[[], bytes]) -> Make:
    def make(path: Path) -> None:
        path.write_bytes(data() if callable(data) else data)

    return make


def sparse(size: int) -> Make:
    """A file of `size` bytes that takes no room on disk."""

    def make(path: Path) -> None:
        with path.open("wb") as f:
            f.truncate(size)

    return make


def folder(path: Path) -> None:
    path.mkdir()


def fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to(target: str) -> Make:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


@dataclass(frozen=True)
class Case:
    name: str
    make: Make
    problem: str  # what the error says
    code: int = 1
    xfail: str | None = None  # why it fails today, and the fix, outside the files of this test
    timeout: float = hostile.TIMEOUT


NOT_A_REF = "is not a REF (a REF must be 'roadmap/resource'"
TOO_MANY = f"more than the {MAX_LOGS_PER_ENTRY:,} roadmap-cli accepts for one resource"
HEAD = '{"version":2,"entries":{"long/x":{"status":"done","changed":"2026-01-01T00:00:00Z","log":['
TINY_LOG = compact(log(hours=0.001))
ENTRY = '{"status":"done","changed":"2026-01-01T00:00:00Z"}'


def fitting(item: str) -> int:
    """How many `item`s, comma-separated, fit in a file within the size cap (with room to spare)."""
    return (MAX_FOREIGN_BYTES - 200) // (len(item) + 1)


def numbered_entries(count: int, body: str) -> bytes:
    """`count` entries "r0000000/x": body (fixed-width keys, so that their size is known)."""
    items = ",".join(f'"r{i:07d}/x":{body}' for i in range(count))
    return ('{"version":2,"entries":{' + items + '},"history":[]}').encode()


# The most of each kind of item that fits in a file within the size cap: the worst a file can
# hold without being refused for its size.
MOST_ENTRIES = fitting(f'"r0000000/x":{ENTRY}')
MOST_EMPTY_ENTRIES = fitting('"r0000000/x":{}')
MOST_ZEROS = fitting("0")
MOST_LOGS = fitting(TINY_LOG)
MOST_RECORDS = fitting("{}")
CASES = [
    Case(
        "one byte over the size cap",
        sparse(MAX_FOREIGN_BYTES + 1),
        f"more than the {MAX_FOREIGN_BYTES // 2**20} MiB roadmap-cli reads from elsewhere",
    ),
    Case(
        "100,000 nested arrays",
        content(b"[" * 100_000 + b"]" * 100_000),
        "it is nested far too deeply to be a progress file",
    ),
    Case(
        "100,000 nested arrays in an entry",
        content(b'{"version":2,"entries":{"a/b":' + b"[" * 100_000 + b"]" * 100_000 + b"}}"),
        "it is nested far too deeply to be a progress file",
    ),
    Case(
        "not UTF-8",
        content(document({"long/x": entry(notes=[note("caf-")])}).replace(b"caf-", b"caf\xe9")),
        "it is not UTF-8 text",
    ),
    Case("empty", content(b""), "it is empty"),
    Case("a list, not an object", content(b"[]"), "top level: Input should be an object"),
    Case(
        "NaN hours",
        content(document({"long/x": entry(log=[log(hours=float("nan"))])})),
        "invalid JSON: NaN is not a number we accept",
    ),
    Case(
        "Infinity hours",
        content(document({"long/x": entry(log=[log(hours=float("inf"))])})),
        "invalid JSON: Infinity is not a number we accept",
    ),
    Case(
        "-Infinity hours",
        content(document({"long/x": entry(log=[log(hours=float("-inf"))])})),
        "invalid JSON: -Infinity is not a number we accept",
    ),
    Case(
        "an integer of 100,000 digits",
        content(
            document({"long/x": entry(log=[log()])}).replace(
                b'"hours": 1.0', b'"hours": ' + b"9" * 100_000
            )
        ),
        "it holds a number with far too many digits",
    ),
    Case(
        "a version of 5,000 digits",
        content(b'{"version":' + b"9" * 5000 + b',"entries":{},"history":[]}'),
        "it holds a number with far too many digits",
    ),
    Case("REF '../x'", content(document({"../x": entry()})), f'"../x" {NOT_A_REF}'),
    Case("REF 'A/B'", content(document({"A/B": entry()})), f'"A/B" {NOT_A_REF}'),
    Case("REF 'x'", content(document({"x": entry()})), f'"x" {NOT_A_REF}'),
    Case(
        "REF with an escape sequence",
        content(document({"long/x\x1b[31m": entry()})),
        '"long/x\\u001b[31m" ' + NOT_A_REF,
    ),
    Case(
        "control characters in a note",
        content(document({"long/x": entry(notes=[note("hi\x1b[2J\x07")])})),
        "must not contain control or bidirectional characters (found U+0007, U+001B)",
    ),
    Case(
        "bidi override in a note",
        content(document({"long/x": entry(notes=[note("hi\u202eevil")])})),
        "(found U+202E)",
    ),
    Case(
        "a time zone missing",
        content(document({"long/x": entry(changed="2026-01-01T00:00:00")})),
        "entries.long/x.changed: must include a time zone",
    ),
    Case(
        "60 x 24 h on one day",
        content(
            document(
                {
                    KNOWN: entry(
                        "in-progress",
                        log=[
                            log("2026-01-06", 24.0, f"2026-01-06T10:{i:02d}:00Z") for i in range(60)
                        ],
                    )
                }
            )
        ),
        "2026-01-06 would hold 1440 h of logged time, more than the 24 hours of a day",
    ),
    Case(
        "5 h on a day that holds 20 h here",
        content(document({KNOWN: entry("in-progress", log=[log("2026-01-05", 5.0)])})),
        "2026-01-05 would hold 25 h of logged time, more than the 24 hours of a day",
    ),
    Case(
        "1e6 entries",
        content(lambda: numbered_entries(1_000_000, ENTRY)),
        f"more than the {MAX_FOREIGN_BYTES // 2**20} MiB roadmap-cli reads from elsewhere",
    ),
    Case(
        f"{MOST_ENTRIES:,} entries",
        content(lambda: numbered_entries(MOST_ENTRIES, ENTRY)),
        f"it has {MOST_ENTRIES:,} entries, more than the {MAX_ENTRIES:,} roadmap-cli accepts",
    ),
    Case(
        f"{MOST_EMPTY_ENTRIES:,} entries of {{}}",
        content(lambda: numbered_entries(MOST_EMPTY_ENTRIES, "{}")),
        f"it has {MOST_EMPTY_ENTRIES:,} entries, more than the {MAX_ENTRIES:,} roadmap-cli",
    ),
    Case(
        "20,000 logs of one REF",
        content(lambda: joined(HEAD, TINY_LOG, 20_000, "]}}}")),
        f"long/x has 20,000 time logs, {TOO_MANY}",
    ),
    Case(
        f"{MOST_LOGS:,} logs of one REF",
        content(lambda: joined(HEAD, TINY_LOG, MOST_LOGS, "]}}}")),
        f"long/x has {MOST_LOGS:,} time logs, {TOO_MANY}",
    ),
    Case(
        f"{MOST_ZEROS:,} zeros as the logs of one REF",
        content(lambda: joined(HEAD, "0", MOST_ZEROS, "]}}}")),
        f"long/x has {MOST_ZEROS:,} time logs, {TOO_MANY}",
    ),
    Case(
        f"{MOST_RECORDS:,} empty undo records",
        content(lambda: joined('{"version":2,"entries":{},"history":[', "{}", MOST_RECORDS, "]}")),
        f"history: it has {MOST_RECORDS:,} records, more than the {HISTORY_LIMIT}",
    ),
    Case("a folder", folder, "it is a folder, not a file"),
    Case("/dev/zero", lambda path: None, "it is not a regular file"),
    Case("a symbolic link to /dev/zero", link_to("/dev/zero"), "it is not a regular file"),
    Case("no such file", lambda path: None, "no such file to merge", code=2),
    Case("a FIFO", fifo, "it is not a regular file", timeout=10.0),
]


@pytest.fixture(scope="module")
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    found = Figures("hostile merge files")
    yield found
    hostile.show(request, found.summary())


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """progress.json as the program wrote it (long/stanford-cs25 done, 20 h on 2026-01-05)."""
    return hostile.seed_progress(tmp_path_factory.mktemp("seed"))


def sandbox(root: Path, progress: bytes) -> Sandbox:
    box = Sandbox(root)
    box.progress.write_bytes(progress)
    return box


def merge_target(case: Case) -> str:
    return "/dev/zero" if case.name == "/dev/zero" else NAME


def params() -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else [],
        )
        for case in CASES
    ]


@pytest.mark.parametrize("case", params())
def test_a_hostile_merge_file_is_refused_cleanly_within_budget(
    case: Case, tmp_path: Path, seeded: bytes, figures: Figures
) -> None:
    # A case marked as failing is merged once (the dry run: the file is read the same way), so
    # that it costs the suite seconds, not minutes.
    ways = ("dry",) if case.xfail else ("dry", "real")
    boxes = [sandbox(tmp_path / way, seeded) for way in ways]
    for box in boxes:
        if case.name not in ("/dev/zero", "no such file"):
            case.make(box.work / NAME)
    before = [box.snapshot() for box in boxes]
    args = [["merge", "--dry-run", merge_target(case)], ["merge", merge_target(case)]]
    results = hostile.run_all(list(zip(args, boxes, strict=False)), timeout=case.timeout)
    figures.add(case.name, *results)
    for box, snap, result in zip(boxes, before, results, strict=True):
        hostile.assert_within_budget(result)
        assert box.progress.read_bytes() == seeded, "progress changed\n" + result.describe()
        assert box.changes_outside(snap) == [], "wrote outside data/cache\n" + result.describe()
        assert result.code == case.code, result.describe()
        assert result.stdout == "", result.describe()
        hostile.assert_one_paragraph(result.stderr, "Error: ", result)
        assert case.problem in result.stderr, result.describe()
        if case.code == 1:
            assert result.stderr.endswith(f" {UNCHANGED}\n"), result.describe()
        assert len(result.stderr) < 2000, result.describe()
    assert len({r.stderr for r in results}) == 1, "the dry run says what the merge says"
    figures.passed(case.name)


def merge_both(tmp_path: Path, seeded: bytes, data: bytes) -> tuple[Sandbox, Sandbox, Run, Run]:
    """Merge `data` with --dry-run --json and for real (--json), each in its own sandbox."""
    dry_box, real_box = (sandbox(tmp_path / way, seeded) for way in ("dry", "real"))
    for box in (dry_box, real_box):
        (box.work / NAME).write_bytes(data)
    before = [box.snapshot() for box in (dry_box, real_box)]
    dry, real = hostile.run_all(
        [(["merge", "--dry-run", "--json", NAME], dry_box), (["merge", "--json", NAME], real_box)]
    )
    for box, snap, result in zip((dry_box, real_box), before, (dry, real), strict=True):
        hostile.assert_within_budget(result)
        assert result.code == 0, result.describe()
        assert box.changes_outside(snap) == [], "wrote outside data/cache\n" + result.describe()
    assert dry_box.progress.read_bytes() == seeded, "a dry run changes nothing"
    same = {**json.loads(dry.stdout), "dry_run": None}, {**json.loads(real.stdout), "dry_run": None}
    assert same[0] == same[1], "the dry run reports what the merge does\n" + dry.describe()
    return dry_box, real_box, dry, real


def entries(box: Sandbox) -> dict[str, Any]:
    return dict(json.loads(box.progress.read_bytes())["entries"])


@pytest.mark.parametrize(
    "ref", [KNOWN, "other/thing"], ids=["a REF of a roadmap", "an unknown REF"]
)
def test_10000_identical_logs_of_a_ref_not_held_here_are_kept_once(
    ref: str, tmp_path: Path, seeded: bytes, figures: Figures
) -> None:
    data = document({ref: entry("in-progress", log=[log()] * 10_000)})
    _dry_box, real_box, dry, real = merge_both(tmp_path, seeded, data)
    change = {
        "ref": ref,
        "status": {"from": "pending", "to": "in-progress"},
        "new_logs": 1,
        "new_notes": 0,
    }
    assert json.loads(real.stdout)["changes"] == [change], real.describe()
    assert json.loads(real.stdout)["unknown_refs"] == ([] if ref == KNOWN else [ref])
    assert entries(real_box)[ref]["log"] == [log()], "one log, once"
    shown = hostile.run(["show", "long", "--json"], real_box)
    figures.add(f"10,000 identical logs of {ref}", dry, real, shown)
    hostile.assert_within_budget(shown)
    resources = {r["ref"]: r for s in json.loads(shown.stdout)["steps"] for r in s["resources"]}
    assert resources[KNOWN]["hours_logged"] == (1.0 if ref == KNOWN else 0.0), shown.describe()
    figures.passed(f"10,000 identical logs of {ref}")


def test_a_change_dated_in_9999_is_not_taken_even_after_a_local_change(
    tmp_path: Path, seeded: bytes, figures: Figures
) -> None:
    """Warned about by REF; the rest of the file merges; merging it again never brings it back."""
    future = "9999-01-01T00:00:00Z"
    data = document(
        {
            "long/stanford-cs25": entry("skipped", changed=future),
            "long/llm-workshop": entry("done"),
            "long/stanford-cs224n": entry(
                "skipped", changed=future, notes=[note("From the future.")]
            ),
        }
    )
    data = data.replace(b'"added": "2026-01-01T00:00:00Z"', f'"added": "{future}"'.encode())
    _dry_box, box, dry, real = merge_both(tmp_path, seeded, data)
    warned = ["long/stanford-cs25", "long/stanford-cs224n"]
    for result in (dry, real):
        hostile.assert_one_paragraph(result.stderr, f"Warning: {NAME} has changes dated", result)
        assert f"which were not taken: {' and '.join(warned)}." in result.stderr, result.describe()
        assert json.loads(result.stdout)["future_refs"] == warned
    held = entries(box)
    assert held["long/stanford-cs25"]["status"] == "done", "the local status stays"
    assert held["long/llm-workshop"]["status"] == "done", "the rest of the file is merged"
    assert held["long/stanford-cs224n"]["status"] == "in-progress"
    assert held["long/stanford-cs224n"]["notes"] == [], "a note from the future is not taken"

    started = hostile.run(["start", "long/stanford-cs25"], box)
    again = hostile.run(["merge", "--json", NAME], box)
    figures.add("a change dated in 9999", dry, real, started, again)
    for result in (started, again):
        hostile.assert_within_budget(result)
        assert result.code == 0, result.describe()
    assert json.loads(again.stdout)["changes"] == [], again.describe()
    assert entries(box)["long/stanford-cs25"]["status"] == "in-progress", "the later local change"
    figures.passed("a change dated in 9999")


def at_the_caps() -> bytes:
    """As many REFs of 10,000 distinct logs each as the size cap holds, every other cap kept."""
    parts: list[str] = []
    size = 64
    while True:
        n = len(parts)
        logs = ",".join(
            compact(
                log(
                    f"20{10 + n % 15:02d}-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d}",
                    0.001,
                    f"2020-01-01T00:{(i // 60) % 60:02d}:{i % 60:02d}.{i:06d}Z",
                )
            )
            for i in range(MAX_LOGS_PER_ENTRY)
        )
        part = f'"long/r{n}":{{"status":"done","changed":"2026-01-01T00:00:00Z","log":[{logs}]}}'
        if size + len(part) + 1 > MAX_FOREIGN_BYTES:
            break
        parts.append(part)
        size += len(part) + 1
    return ('{"version":2,"entries":{' + ",".join(parts) + '},"history":[]}').encode()


def test_a_merge_file_at_the_caps_is_merged_within_budget(
    tmp_path: Path, seeded: bytes, figures: Figures
) -> None:
    """The heaviest file that is not refused: merged within the memory and time budgets."""
    data = at_the_caps()
    refs = len(json.loads(data)["entries"])
    case = f"a valid file at the caps ({refs} REFs x {MAX_LOGS_PER_ENTRY:,} logs)"
    box = sandbox(tmp_path, seeded)
    (box.work / NAME).write_bytes(data)
    before = box.snapshot()
    merged = hostile.run(["merge", NAME], box)
    figures.add(case, merged)
    assert merged.code == 0, merged.describe()
    assert box.changes_outside(before) == [], merged.describe()
    assert len(entries(box)) == refs + len(json.loads(seeded)["entries"])
    hostile.assert_within_budget(merged)
    figures.passed(case)
