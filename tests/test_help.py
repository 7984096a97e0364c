"""Help reads like a man page: metavars, no type markers or braces, -h, an example, text as text."""

from __future__ import annotations

import re

import pytest
import typer.main

from roadmap_cli.cli import app
from tests.conftest import Invoke

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
TYPE_MARKER = re.compile(r"<[a-z|\[\], ]+>")


def _help(invoke: Invoke, *args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_no_type_markers_and_no_braces(invoke: Invoke, name: str) -> None:
    out = _help(invoke, name, "--help")
    assert not TYPE_MARKER.search(out), out
    assert "{" not in out
    assert "}" not in out
    assert "╭" not in out  # plain text, no boxes


@pytest.mark.parametrize("name", COMMANDS)
def test_dash_h_is_help(invoke: Invoke, name: str) -> None:
    assert _help(invoke, name, "-h") == _help(invoke, name, "--help")


def test_dash_h_is_help_for_the_tool(invoke: Invoke) -> None:
    out = _help(invoke, "-h")
    assert out == _help(invoke, "--help")
    assert "Usage: roadmap [OPTIONS] COMMAND [ARGS]..." in out
    assert not TYPE_MARKER.search(out), out


@pytest.mark.parametrize("name", COMMANDS)
def test_help_ends_with_an_example(invoke: Invoke, name: str) -> None:
    out = _help(invoke, name, "--help")
    description = out.split("\nArguments:")[0].split("\nOptions:")[0]
    assert re.search(r"Examples?:", description), out
    last = [line for line in description.splitlines() if line.strip()][-1]
    assert "roadmap " in last, out


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["log"], "Usage: roadmap log [OPTIONS] REF DURATION"),
        (["done"], "Usage: roadmap done [OPTIONS] REF..."),
        (["show"], "Usage: roadmap show [OPTIONS] ROADMAP"),
        (["remaining"], "Usage: roadmap remaining [OPTIONS] [ROADMAP]"),
        (["validate"], "Usage: roadmap validate [OPTIONS] FILE..."),
        (["import"], "Usage: roadmap import [OPTIONS] FILE.md"),
    ],
)
def test_usage_names_arguments_by_metavar(invoke: Invoke, args: list[str], usage: str) -> None:
    assert usage in _help(invoke, *args, "--help").splitlines()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["log"], "--date YYYY-MM-DD"),
        (["plan"], "-w, --hours-per-week N"),
        (["plan"], "--by YYYY-MM-DD"),
        (["stats"], "--weeks N"),
        (["export"], "-o, --output FILE"),
        (["card"], "-o, --output FILE"),
        (["import"], "-o, --output OUT.yaml"),
        (["done"], "REF..."),
    ],
)
def test_options_and_arguments_carry_metavars(invoke: Invoke, args: list[str], line: str) -> None:
    out = _help(invoke, *args, "--help")
    assert any(row.strip().startswith(line) for row in out.splitlines()), out


def test_help_text_is_not_markup(invoke: Invoke) -> None:
    out = _help(invoke, "import", "--help")
    assert "'- [x]'" in out


@pytest.mark.parametrize("columns", ["40", "80", "120"])
def test_the_tool_help_lists_each_command_whole_with_an_example(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    out = _help(invoke, "--help")
    assert "..." not in out.split("Commands:")[1]  # each first sentence whole, never cut
    if int(columns) >= 80:  # narrower, Click lays help out wider than the terminal
        assert max(len(line) for line in out.splitlines()) <= int(columns)
    assert re.search(r"Example:\n +roadmap show long\n", out), out
    commands = out.split("Commands:\n")[1]
    listed = [
        line.split()[0]
        for line in commands.splitlines()
        if line.startswith("  ") and line[2] != " "
    ]
    assert listed == [name for name in typer.main.get_command(app).commands]  # type: ignore[attr-defined]
