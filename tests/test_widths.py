"""Every read command fits the terminal, from 40 columns up, and breaks lines at spaces only.

Each command is run at 40, 60, 80 and 120 columns (COLUMNS, as a piped or captured run sees
it) and at a width where nothing wraps. No line may be wider than the terminal, unless it is a
REF, a URL or a path alone on its line and longer than the width by itself (printed whole, so
that it can still be copied). Every title word, figure with its unit ("18–23 h"), REF and URL
that the command shows appears as often, unbroken within a line, as it does when nothing
wraps. The words and figures come from the roadmaps themselves, through the catalog.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from roadmap_cli import paths, render
from roadmap_cli.catalog import Source, load_catalog
from roadmap_cli.progress import HourRange, format_number
from roadmap_cli.store import Store
from roadmap_cli.tracker import summaries
from tests.conftest import Invoke, ok

WIDTHS = [40, 60, 80, 120]
UNLIMITED = 1000
ANDREW = "long/andrew-ng-machine-learning"
LONG_NOTE = (
    "Lecture 8 on attention is the key one: watch it twice, then do the exercises on "
    "Internationalisation and back-propagation before moving on to week four."
)
LONG_WORD = "Internationalisation"
LONG_URL = "https://docs.python.org/3/library/" + "internationalisation-" * 6 + "index.html"
MINE = f"""\
roadmaps:
  - id: mine
    title: {" ".join([LONG_WORD] * 5)} Roadmap
    stated_hours: {{low: 12.5, high: 40, plus: true}}
    steps:
      - title: {" ".join([LONG_WORD] * 3)} Basics
        description: Antidisestablishmentarianism and Internationalisation for beginners
        resources:
          - id: internationalisation-of-everything-in-the-world
            title: {" ".join([LONG_WORD] * 4)} and Localisation Fundamentals
            kind: course
            url: {LONG_URL}
            hours: {{low: 0.5, high: 0.75}}
          - id: short-one
            title: A short one
            kind: post
            url: https://docs.python.org/3/howto/unicode.html
            hours: {{low: 12, high: 39.25}}
"""
MINE_REF = "mine/internationalisation-of-everything-in-the-world"

READ_COMMANDS = [
    ["list"],
    ["show", "long"],
    ["show", "short"],
    ["next"],
    ["remaining"],
    ["remaining", "long"],
    ["plan", "long", "-w", "6"],
    ["stats"],
    ["notes", ANDREW],
    ["about"],
    ["where"],
    ["doctor"],
]
MINE_COMMANDS = [
    ["list"],
    ["show", "mine"],
    ["next", "mine"],
    ["remaining", "mine"],
    ["plan", "mine", "-w", "6"],
    ["notes", MINE_REF],
    ["about"],
]


@pytest.fixture
def learner(invoke: Invoke) -> None:
    """Someone a few days in: a course in progress with time logged and a long note."""
    ok(invoke("start", ANDREW))
    ok(invoke("log", ANDREW, "1h30m"))
    ok(invoke("log", "short/karpathy-llm-training", "45m"))
    ok(invoke("done", "short/illustrated-transformer"))
    ok(invoke("note", ANDREW, LONG_NOTE))


@pytest.fixture
def mine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invoke: Invoke) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(MINE, encoding="utf-8")
    monkeypatch.setenv("ROADMAP_CLI_ROADMAPS", str(path))
    ok(invoke("log", MINE_REF, "20m"))
    ok(invoke("note", MINE_REF, LONG_NOTE))
    return path


def pieces(extra: list[Path]) -> set[str]:
    """What must never be broken: title words, figures with units, REFs and URLs."""
    sources = [Source(paths.shipped_roadmaps(), "shipped")] + [Source(p, "test") for p in extra]
    catalog, problems = load_catalog(sources)
    assert not problems
    found: set[str] = {"6 h/week"}
    for loaded in catalog.files:
        if loaded.guide:
            found.update(loaded.guide.title.split())
    progress_file = paths.progress_file()
    cache = paths.cache_dir()
    found.update(
        str(path)
        for path in (
            *(source.path for source in sources),
            progress_file,
            progress_file.parent,
            paths.lock_file(progress_file),
            paths.roadmaps_folder(),
            *([cache] if cache else []),
        )
    )
    progress = Store(progress_file).load()
    logged = 0.0
    for summary in summaries(catalog, catalog.roadmaps.values(), progress):
        roadmap = summary.roadmap
        found.update(roadmap.title.split())
        found.add(roadmap.id)
        if roadmap.stated_hours:
            found.add(render.hours(roadmap.stated_hours))
        found.update(render.hours(h) for h in (summary.total_hours, summary.remaining_hours))
        for step in summary.steps:
            found.update((step.title or "").split() + (step.description or "").split())
            found.add(render.hours(step.remaining_hours))
            for item in step.items:
                found.update(item.resource.title.split())
                found.update((item.ref, item.resource.url, render.hours(item.estimate)))
                found.add(render.hours(item.remaining))
                if item.hours_logged:
                    found.add(f"{format_number(item.hours_logged)} h")
                    found.add(render.hours(HourRange(item.hours_logged, item.hours_logged)))
                    logged += item.hours_logged
    found.add(f"{format_number(logged)} h")  # the total of `stats`
    # Separators and punctuation alone are not words that could be broken.
    return {p for p in found if re.search(r"\w", p)}


def occurrences(piece: str, lines: list[str]) -> int:
    """How often `piece` stands within one line (not as part of a longer word or figure)."""
    pattern = re.compile(rf"(?<![\w./–-]){re.escape(piece)}(?![\w/–-]|\.\w)")
    return sum(len(pattern.findall(line)) for line in lines)


def run(invoke: Invoke, args: list[str], width: int) -> list[str]:
    return ok(invoke(*args, env={"COLUMNS": str(width)})).splitlines()


def too_wide(lines: list[str], width: int) -> Iterator[str]:
    for line in lines:
        if cell_len(line) <= width:
            continue
        alone = line.strip()
        if line == alone and " " not in alone and "/" in alone:  # a REF, URL or path by itself
            continue
        yield line


def broken(piece: str, lines: list[str]) -> bool:
    """Whether `piece` was split across two lines somewhere: the lines joined hold it more often.

    Joined with nothing, a word broken inside ("Train⏎ing") comes back; joined with a space, a
    figure parted from its unit ("18–23⏎h") does.
    """
    whole = occurrences(piece, lines)
    stripped = [line.strip() for line in lines]
    return any(occurrences(piece, [glue.join(stripped)]) > whole for glue in ("", " "))


def check(invoke: Invoke, args: list[str], width: int, must_keep: set[str]) -> None:
    lines = run(invoke, args, width)
    wide = run(invoke, args, UNLIMITED)
    shown = [p for p in sorted(must_keep) if occurrences(p, wide)]
    assert shown, args
    assert list(too_wide(lines, width)) == [], "\n".join(lines)
    assert [p for p in shown if not occurrences(p, lines)] == [], "\n".join(lines)
    assert [p for p in shown if broken(p, lines)] == [], "\n".join(lines)


@pytest.mark.usefixtures("learner")
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_commands_fit_and_break_only_at_spaces(
    invoke: Invoke, args: list[str], width: int
) -> None:
    check(invoke, args, width, pieces([]))


@pytest.mark.usefixtures("learner")
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", MINE_COMMANDS, ids=" ".join)
def test_long_titles_words_and_urls_fit_too(
    invoke: Invoke, mine: Path, args: list[str], width: int
) -> None:
    check(invoke, args, width, pieces([mine]))


def test_a_url_longer_than_the_terminal_is_printed_whole_on_its_own_line(
    invoke: Invoke, mine: Path
) -> None:
    lines = run(invoke, ["show", "mine"], 40)
    assert LONG_URL in lines
    assert f"       {MINE_REF}" not in lines  # longer than 40 with its indent: no indent
    assert MINE_REF in lines


def test_continued_lines_hang_under_their_own_column(invoke: Invoke) -> None:
    lines = run(invoke, ["show", "short"], 40)
    title = lines.index("   [ ] Andrej Karpathy’s Video on LLM")
    assert lines[title + 1 : title + 4] == [
        "       Training – LLMs: Training &",
        "       Fine-Tuning  video · 1–1.5 h",
        "       short/karpathy-llm-training",
    ]
    assert "https://www.youtube.com/watch?v=kCc8FmEb1nY" in lines


def test_a_figure_never_ends_a_line_without_its_unit_at_100_columns(invoke: Invoke) -> None:
    lines = run(invoke, ["show", "short"], 100)
    assert not [line for line in lines if line.strip() == "h" or re.search(r"\d$", line)]
    assert "       0.5–0.75 h" in lines  # "post ·" ends the line above it


def test_a_narrow_plan_gives_each_row_its_own_lines(invoke: Invoke) -> None:
    lines = run(invoke, ["plan", "long", "-w", "6"], 40)
    start = lines.index("Andrew Ng’s Machine Learning Course")
    assert lines[start + 1] == "   Week 1–3 · From " + lines[start + 1].split("From ")[1]
    assert lines[start + 1].endswith(" · Hours 18")


def test_piped_output_honours_columns(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "40"}
    env.pop("FORCE_COLOR", None)
    result = subprocess.run(
        [sys.executable, "-m", "roadmap_cli", "show", "long"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert "\x1b" not in result.stdout
    assert list(too_wide(lines, 40)) == []
    assert "   [ ] Andrew Ng’s Machine Learning" in lines
    assert "       Course  course · 18–23 h" in lines


def test_an_error_fits_a_terminal_broken_at_spaces_and_is_one_line_in_a_pipe(
    invoke: Invoke, tmp_path: Path
) -> None:
    source = tmp_path / "guide.md"
    source.write_text("## Go\n- [A](https://a.org/)\n", encoding="utf-8")
    args = ["import", str(source), "--hours-per-day", "30"]

    piped = invoke(*args, env={"COLUMNS": "40"})
    terminal = invoke(*args, env={"COLUMNS": "40", "FORCE_COLOR": "1"})

    assert piped.exit_code == terminal.exit_code == 2
    [line] = piped.stderr.splitlines()
    shown = re.sub(r"\x1b\[[0-9;]*m", "", terminal.stderr).splitlines()
    assert len(shown) > 1
    assert list(too_wide(shown, 40)) == []
    assert " ".join(shown) == line  # the same words, each whole
