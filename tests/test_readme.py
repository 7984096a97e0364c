"""The README's console examples are what the program prints.

Every ```console block of README.md is read as `$ roadmap ...` commands, each followed by the
output it prints. Each block is one story: its commands run in order, in-process, with progress
of their own (a fresh data folder per block), at 100 columns, on a fixed clock (2026-11-25,
09:00 UTC: `date` in the CLI and `datetime` in the store are replaced for the test), and each
output must match exactly. A line `...` in the README stands for one or more lines left out.
"""

from __future__ import annotations

import re
import shlex
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roadmap_cli import cli, store
from roadmap_cli.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)
OMITTED = "..."


class FixedDate(date):
    @classmethod
    def today(cls) -> FixedDate:
        return cls(TODAY.year, TODAY.month, TODAY.day)


class FixedDateTime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> FixedDateTime:
        moment = NOW if tz is None else NOW.astimezone(tz)
        return cls.fromisoformat(moment.isoformat())


@dataclass(frozen=True)
class Example:
    command: str  # as written after "$ ", comment included
    args: list[str]
    expected: list[str]


def examples(text: str) -> list[list[Example]]:
    """Every `$ roadmap ...` of each console block, with the lines shown after it."""
    blocks: list[list[Example]] = []
    for block in BLOCK.findall(text):
        found: list[Example] = []
        blocks.append(found)
        for line in block.splitlines():
            if line.startswith("$ "):
                words = shlex.split(line[2:], comments=True)
                assert words[0] == "roadmap", line
                found.append(Example(line[2:], words[1:], []))
            else:
                assert found, f"output before any command: {line!r}"
                found[-1].expected.append(line)
        for example in found:
            while example.expected and not example.expected[-1].strip():
                example.expected.pop()  # the blank line that parts two commands
    return blocks


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether `actual` is `expected` with each `...` line standing for one or more lines."""
    if not expected:
        return not actual
    if expected[0] == OMITTED:
        return any(matches(expected[1:], actual[n:]) for n in range(1, len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(expected[1:], actual[1:])


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "date", FixedDate)
    monkeypatch.setattr(store, "datetime", FixedDateTime)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture(autouse=True)
def local_time_again() -> object:
    yield None
    time.tzset()  # after monkeypatch has put TZ back


def test_the_readme_has_the_examples_it_should() -> None:
    blocks = examples(README.read_text(encoding="utf-8"))
    commands = [[example.args[0] for example in block] for block in blocks]
    assert len(commands) == 2
    assert commands[0][:3] == ["list", "show", "done"]
    assert {"start", "log", "next", "plan", "undo"} <= set(commands[1])


def test_wildcard_lines_stand_for_one_or_more_lines() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "..."], ["a", "b"])
    assert not matches(["a", "...", "b"], ["a", "b"])
    assert not matches(["a", "b"], ["a", "b", "c"])


BLOCKS = examples(README.read_text(encoding="utf-8"))


@pytest.mark.usefixtures("fixed_clock")
@pytest.mark.parametrize("block", BLOCKS, ids=[block[0].command for block in BLOCKS])
def test_every_console_example_prints_what_the_readme_shows(block: list[Example]) -> None:
    runner = CliRunner()
    assert FixedDate.today() == TODAY
    for example in block:
        result = runner.invoke(app, example.args, catch_exceptions=False)
        assert result.exit_code == 0, (example.command, result.output)
        actual = result.stdout.rstrip("\n").splitlines() if result.stdout.strip() else []
        assert matches(example.expected, actual), (
            f"$ {example.command}\n--- README:\n"
            + "\n".join(example.expected)
            + "\n--- printed:\n"
            + "\n".join(actual)
        )
