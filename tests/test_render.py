"""render: how hours, bars and untrusted text look on screen."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from rich.console import Console

from roadmap_cli import render
from roadmap_cli.progress import HourRange
from roadmap_cli.records import StatedHours

SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HourRange(72, 90), "72–90 h"),
        (HourRange(3, 3), "3 h"),
        (HourRange(0, 0), "0 h"),
        (HourRange(0.5, 0.75), "0.5–0.75 h"),
        (HourRange(1.5, 2.25), "1.5–2.25 h"),
        (HourRange(0.1 + 0.2, 0.1 + 0.2), "0.3 h"),
        (HourRange(0.1 + 0.2, 1.1 + 2.2), "0.3–3.3 h"),
        (HourRange(80.0, 100.0), "80–100 h"),
        (StatedHours(low=80, high=100, plus=True), "80–100+ h"),
        (StatedHours(low=2, high=3), "2–3 h"),
        (StatedHours(low=3, high=3), "3 h"),
        pytest.param(
            StatedHours(low=50, high=50, plus=True),
            "50+ h",
        ),
        pytest.param(
            HourRange(1_000_000, 1_000_000),
            "1000000 h",
        ),
        pytest.param(
            HourRange(12345.25, 12345.25),
            "12345.25 h",
        ),
    ],
)
def test_hours(value: HourRange | StatedHours, expected: str) -> None:
    assert render.hours(value) == expected


@pytest.mark.parametrize(
    ("percent", "filled"), [(0, 0), (9, 0), (10, 1), (33, 3), (50, 5), (99, 9), (100, 10)]
)
def test_bar_fills_one_block_per_ten_percent(percent: int, filled: int) -> None:
    drawn = render.bar(percent).plain
    assert drawn == "█" * filled + "░" * (10 - filled) + f" {percent:>3}%"
    assert len(drawn) == len(render.bar(0).plain)


def _print(percent: int, *, colour: bool) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=40,
        force_terminal=colour,
        color_system="standard" if colour else None,
        markup=False,
    )
    console.print(render.bar(percent))
    return out.getvalue()


@pytest.mark.parametrize("percent", [0, 50, 100])
def test_bar_reads_the_same_with_or_without_colour(percent: int) -> None:
    coloured = _print(percent, colour=True)
    plain = _print(percent, colour=False)
    assert SGR.search(coloured)
    assert "\x1b" not in plain
    assert SGR.sub("", coloured) == plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain title – with ’ and 🧠", "Plain title – with ’ and 🧠"),
        ("[bold]x[/]", "[bold]x[/]"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]8;;file:///etc/passwd\x1b\\x", "\\x1b]8;;file:///etc/passwd\\x1b\\x"),
        ("\x9b2J", "\\x9b2J"),
        ("evil\u202eexe.txt", "evil\\u202eexe.txt"),
        ("a\u2066b\u2069", "a\\u2066b\\u2069"),
        ("bell\x07", "bell\\x07"),
        ("tab\there", "tab\\there"),
        ("carriage\rreturn", "carriage\\rreturn"),
        ("two\nlines", "two\\nlines"),
    ],
)
def test_clean_shows_control_and_bidi_characters_escaped(text: str, expected: str) -> None:
    assert render.clean(text) == expected


def test_clean_keeps_newlines_only_when_allowed() -> None:
    assert render.clean("one\ntwo\x1b[0m", allow_newlines=True) == "one\ntwo\\x1b[0m"
    assert render.clean("one\ntwo", allow_newlines=False) == "one\\ntwo"


def test_error_is_one_paragraph_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    message = "A long problem. " * 20 + "[red]x[/red] \x1b[2J\u202e end."
    render.error(message)
    captured = capsys.readouterr()
    assert captured.out == ""
    expected = message.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
    assert captured.err == f"Error: {expected}\n"


def test_print_json_keeps_unicode_readable(capsys: pytest.CaptureFixture[str]) -> None:
    render.print_json({"title": "Jay Alammar’s – 🧠", "hours": {"low": 0.5, "high": 0.75}})
    out = capsys.readouterr().out
    assert "Jay Alammar’s – 🧠" in out
    assert json.loads(out) == {"title": "Jay Alammar’s – 🧠", "hours": {"low": 0.5, "high": 0.75}}


# --- the grid without colour: plain strings, laid out as the Text would be ------------------

SGR_OR_LINK = re.compile(r"\x1b\[[0-9;]*m|\x1b]8;[^\x1b]*\x1b\\")


def _console_output(monkeypatch: pytest.MonkeyPatch, draw: Any, *, width: int, colour: bool) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        markup=False,
        highlight=False,
        emoji=False,
    )
    monkeypatch.setattr(render, "_console", lambda **_: console)
    draw()
    return out.getvalue()


def _summaries() -> list[Any]:
    from roadmap_cli.progress import summarize
    from tests.records_from import make_roadmap

    made = []
    for n, title in enumerate(
        [
            "Short",
            "A rather long roadmap title that needs wrapping in a narrow column",
            "漢字のタイトル – wide characters ’ and 🧠",
            "Averyveryveryverylongwordthatcannotbebrokenanywhereatall",
        ]
    ):
        roadmap = make_roadmap(
            {
                "id": f"r{n}",
                "title": title,
                "steps": [
                    {
                        "title": f"Step {title}",
                        "resources": [
                            {"id": "a", "title": "A", "url": "https://a.test/a", "hours": 1.5},
                            {"id": "b", "title": "B", "url": "https://a.test/b"},
                        ],
                    }
                ],
            }
        )
        made.append(summarize(roadmap, {}.get))
    return made


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
@pytest.mark.parametrize("rows", [1, 2, 4], ids=["short", "long-title", "long-word"])
def test_plain_list_and_remaining_are_the_coloured_ones_without_colour(
    monkeypatch: pytest.MonkeyPatch, width: int, rows: int
) -> None:
    """Without colour the grid is made of plain strings, not Text: it must print exactly what
    the coloured grid prints once its colour is taken away."""
    summaries = _summaries()[:rows]
    for draw in (
        lambda: render.roadmap_list(summaries),
        lambda: render.remaining(summaries, per_step=False),
        lambda: render.remaining(summaries[-1:], per_step=True),
    ):
        coloured = _console_output(monkeypatch, draw, width=width, colour=True)
        plain = _console_output(monkeypatch, draw, width=width, colour=False)
        assert "\x1b" not in plain
        assert SGR_OR_LINK.sub("", coloured) == plain
