"""Every bad input is one paragraph on stderr in our own words, exit 2, and nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperArgument, TyperOption
from typer.testing import Result

from roadmap_cli.cli import app
from tests.conftest import Invoke, run_roadmap

GROUP = typer.main.get_command(app)
COMMANDS = GROUP.commands  # type: ignore[attr-defined]
REF = "long/stanford-cs25"
# Values that satisfy each command's required arguments, so that one thing at a time is wrong.
REQUIRED = {
    "show": ["long"],
    "done": [REF],
    "reset": [REF],
    "start": [REF],
    "skip": [REF],
    "log": [REF, "1h"],
    "plan": ["long"],
    "note": [REF, "text"],
    "notes": [REF],
    "open": [REF],
    "merge": ["other.json"],
    "validate": ["some.yaml"],
    "import": ["guide.md"],
}
# What the framework itself would have said: none of it may reach the user.
LIBRARY_WORDS = (
    "Usage:",
    "Try '",
    "╭",
    "│",
    "Input should",
    "Invalid value",
    "Value error",
    "No such option",
    "No such command",
    "Missing argument",
    "Got unexpected",
    "requires an argument",
    "does not take a value",
    "Traceback",
)


def one_voice(result: Result, *expected: str) -> str:
    """Check exit 2, nothing on stdout, one "Error: ..." paragraph on stderr naming `expected`."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    stderr = result.stderr
    assert stderr.startswith("Error: "), stderr
    assert stderr.count("\n") == 1, stderr  # one paragraph: the terminal wraps it, not we
    for words in LIBRARY_WORDS:
        assert words not in stderr, stderr
    for text in expected:
        assert text in stderr, stderr
    return stderr


@pytest.fixture(autouse=True)
def nothing_written(progress_path: Path) -> object:
    yield
    assert not progress_path.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["plan", "long", "-w", "abc"],
            "Error: --hours-per-week takes a number of hours such as 6 or 7.5, not 'abc'.",
        ),
        (["plan", "long", "--hours-per-week", "six"], "not 'six'"),
        (["stats", "--weeks", "abc"], "--weeks takes a whole number of weeks from 1 to 104"),
        (["stats", "--weeks", "100000"], "not '100000'"),
        (["stats", "--weeks", "0"], "not '0'"),
        (["stats", "--weeks", "2.5"], "not '2.5'"),
        (["export", "--format", "xml"], "Error: --format takes json, csv or md, not 'xml'."),
        (["export", "-f", "JSONL"], "not 'JSONL'"),
        (["card", "--format", "png"], "Error: --format takes svg or html, not 'png'."),
    ],
)
def test_a_value_the_framework_parses_is_refused_in_our_words(
    invoke: Invoke, args: list[str], expected: str
) -> None:
    stderr = one_voice(invoke(*args), expected)
    assert f"Run 'roadmap {args[0]} --help' for its usage." in stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["log", REF, "1h", "--date", "yesterday"], "'yesterday' is not a date"),
        (["log", REF, "1h", "--date", "2026-02-30"], "not a day of the calendar"),
        (["plan", "long", "--by", "soon"], "--by 'soon' is not a date"),
        (["log", REF, "lots"], "'lots' is not a duration"),
        (["export", "-o", "progress.txt"], "must end in .json, .csv or .md"),
        (["card", "-o", "card.png"], "must end in .svg, .html"),
        (["import", "guide.md", "-o", "guide.txt"], "must end in .yaml or .yml"),
        (["export", "-o", "."], "is a folder"),
    ],
)
def test_dates_durations_and_paths_are_refused_in_the_same_form(
    invoke: Invoke, args: list[str], expected: str
) -> None:
    one_voice(invoke(*args), expected)


def _required_arguments() -> list[tuple[str, str]]:
    return [
        (name, f"{param.metavar}..." if param.nargs == -1 else param.metavar or "")
        for name, command in sorted(COMMANDS.items())
        for param in command.params
        if isinstance(param, TyperArgument) and param.required
    ]


@pytest.mark.parametrize(("name", "metavar"), _required_arguments())
def test_a_missing_argument_is_named(invoke: Invoke, name: str, metavar: str) -> None:
    given = REQUIRED[name]
    names = [p.metavar for p in COMMANDS[name].params if isinstance(p, TyperArgument)]
    args = given[: names.index(metavar.removesuffix("..."))]
    if metavar.endswith("..."):  # one or more: "needs at least one REF.", not "a REF...."
        expected = f"Error: 'roadmap {name}' needs at least one {metavar.removesuffix('...')}."
    else:
        expected = f"Error: 'roadmap {name}' needs a {metavar}."
    one_voice(invoke(name, *args), expected)


def _options() -> list[tuple[str, str, bool]]:
    return [
        (name, max(param.opts, key=len), param.is_flag)
        for name, command in sorted(COMMANDS.items())
        for param in command.params
        if isinstance(param, TyperOption) and "--help" not in param.opts
    ]


@pytest.mark.parametrize(("name", "option", "flag"), _options())
def test_every_option_given_wrongly_is_explained(
    invoke: Invoke, name: str, option: str, flag: bool
) -> None:
    args = REQUIRED.get(name, [])
    if flag:
        one_voice(invoke(name, *args, f"{option}=yes"), f"Error: {option} takes no value.")
    else:
        one_voice(invoke(name, *args, option), f"Error: {option} needs a value.")


def test_every_parameter_the_framework_converts_is_worded() -> None:
    # The sweep above would miss a new typed option: each must have its phrase.
    typed = {
        (name, param.name)
        for name, command in COMMANDS.items()
        for param in command.params
        if isinstance(param, TyperOption)
        and not param.is_flag
        and param.type_descriptor.annotation not in (str, Path, str | None, Path | None)
    }
    assert typed == {
        ("plan", "hours_per_week"),
        ("stats", "weeks"),
        ("export", "output_format"),
        ("card", "output_format"),
        ("import", "hours_per_day"),
        ("import", "hours_per_week"),
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["list", "--jsn"], "Error: 'roadmap list' has no option --jsn. Did you mean --json?"),
        (["import", "g.md", "--froce"], "Did you mean --force?"),
        (["plan", "long", "--hours"], "'roadmap plan' has no option --hours."),
        (["--verison"], "Error: 'roadmap' has no option --verison. Did you mean --version?"),
    ],
)
def test_an_unknown_option_suggests_the_close_one(
    invoke: Invoke, args: list[str], expected: str
) -> None:
    one_voice(invoke(*args), expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["dnoe", "x"], "Error: There is no command 'dnoe'. Did you mean note, done or notes?"),
        (["lsit"], "Did you mean list?"),
        (["[bold]nosuch[/bold]"], "There is no command '[bold]nosuch[/bold]'."),
        (["list", "extra"], "Error: 'roadmap list' does not take 'extra'."),
    ],
)
def test_an_unknown_command_or_an_extra_word_is_explained(
    invoke: Invoke, args: list[str], expected: str
) -> None:
    one_voice(invoke(*args), expected)


@pytest.mark.parametrize("duration", ["-1h", "-2", "-0.5", "-1:30", "-90m"])
def test_a_negative_duration_is_read_as_a_duration_and_refused(
    invoke: Invoke, duration: str
) -> None:
    one_voice(invoke("log", REF, duration), "a duration must be more than zero")
    one_voice(invoke("log", duration, REF), "is not a duration")  # in REF's place: no option


def test_a_real_process_answers_in_the_same_voice(tmp_path: Path, progress_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    done = run_roadmap("plan", "long", "-w", "abc", cwd=tmp_path, env=env)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr == (
        "Error: --hours-per-week takes a number of hours such as 6 or 7.5, not 'abc'. "
        "Run 'roadmap plan --help' for its usage.\n"
    )
