"""The `--json` contract: every command prints exactly the fields the README documents.

The README's "JSON output" section writes each command's shape as JSON without values
(`{"a", "b": [{"c"}] or null}`); this test reads those shapes and checks the real output of each
command against them, field by field, on progress that fills every optional part.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli import jsonout
from tests.conftest import Invoke

README = Path(__file__).resolve().parent.parent / "README.md"
Shape = dict[str, Any] | list[Any] | None  # a leaf is None


# --- reading the README's shapes -----------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return re.findall(r'"[^"]*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', text)


def _parse(tokens: list[str], at: int) -> tuple[Shape, int]:
    """Parse one shape at tokens[at]: an object, a list, or a leaf (anything else)."""
    if tokens[at] == "{":
        fields: dict[str, Any] = {}
        at += 1
        while tokens[at] != "}":
            key = tokens[at].strip('"')
            at += 1
            value: Shape = None
            if tokens[at] == ":":
                value, at = _parse(tokens, at + 1)
            fields[key] = value
            if tokens[at] == ",":
                at += 1
        return fields, _skip_or_null(tokens, at + 1)
    if tokens[at] == "[":
        item, at = _parse(tokens, at + 1)
        assert tokens[at] == "]", tokens[at:]
        return [item], _skip_or_null(tokens, at + 1)
    while tokens[at] not in (",", "}", "]"):  # a leaf: words up to the next field
        at += 1
    return None, at


def _skip_or_null(tokens: list[str], at: int) -> int:
    if tokens[at : at + 2] == ["or", "null"]:
        return at + 2
    return at


def documented() -> dict[str, Shape]:
    """Each `roadmap COMMAND ... --json` of the README with the shape it documents."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### JSON output", 1)[1].split("\n## ", 1)[0]
    shapes: dict[str, Shape] = {}
    for bullet in re.split(r"\n- ", section)[1:]:
        found = re.match(r"`roadmap (\w+)[^`]*--json`: `([\[{].*?)`", bullet, re.DOTALL)
        if found:
            shapes[found[1]] = _parse([*_tokens(found[2]), ","], 0)[0]
    return shapes


def mismatches(value: Any, shape: Shape, where: str = "") -> list[str]:
    """Where `value` has other fields than `shape`, at every level the README describes."""
    if shape is None or value is None:
        return []
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: a list is documented, not {type(value).__name__}"]
        return [m for n, v in enumerate(value) for m in mismatches(v, shape[0], f"{where}[{n}]")]
    if not isinstance(value, dict):
        return [f"{where}: an object is documented, not {type(value).__name__}"]
    problems = []
    if set(value) != set(shape):
        missing, extra = sorted(set(shape) - set(value)), sorted(set(value) - set(shape))
        problems.append(f"{where or 'top'}: documented but missing {missing}, undocumented {extra}")
    for key in set(value) & set(shape):
        problems += mismatches(value[key], shape[key], f"{where}.{key}")
    return problems


def test_the_readme_shape_notation_is_read_as_written() -> None:
    tokens = [*_tokens('{"a", "b": [{"c"}] or null, "d": {"e", "f"}, "g"}'), ","]
    assert _parse(tokens, 0)[0] == {
        "a": None,
        "b": [{"c": None}],
        "d": {"e": None, "f": None},
        "g": None,
    }


def test_mismatches_name_missing_and_undocumented_fields() -> None:
    shape = {"a": None, "b": [{"c": None}]}
    assert mismatches({"a": 1, "b": [{"c": 2}]}, shape) == []
    assert mismatches({"a": 1, "b": [{"c": 2, "x": 3}]}, shape) == [
        ".b[0]: documented but missing [], undocumented ['x']"
    ]
    assert mismatches({"b": []}, shape) == ["top: documented but missing ['a'], undocumented []"]


# --- every command against its shape ---------------------------------------------------------


BROKEN_ROADMAP = """\
roadmaps:
  - id: Bad
    title: x
    resources: []
"""


@pytest.fixture
def filled(invoke: Invoke, tmp_path: Path) -> Path:
    """Progress with every kind of record, and a file to merge; return that file."""
    for args in (
        ("done", "long/andrew-ng-machine-learning", "illustrated-transformer"),
        ("log", "long/andrew-ng-machine-learning", "20h", "--date", "2026-11-02"),
        ("log", "long/stanford-cs224n", "2h"),
        ("note", "long/stanford-cs224n", "lecture 8"),
        ("skip", "rlhf-huggingface"),
    ):
        assert invoke(*args).exit_code == 0
    other = tmp_path / "laptop.json"
    other.write_text(
        json.dumps(
            {
                "version": 2,
                "entries": {
                    "long/stanford-cs25": {
                        "status": "done",
                        "changed": "2026-11-20T10:00:00Z",
                        "log": [],
                        "notes": [],
                    },
                    "gone/x": {"status": "done", "changed": "2026-11-20T10:00:00Z"},
                },
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "bad.yaml").write_text(BROKEN_ROADMAP, encoding="utf-8")
    return other


def runs(other: Path) -> dict[str, list[list[str]]]:
    """The command lines whose output is checked, per documented command."""
    bad = str(other.parent / "bad.yaml")
    return {
        "list": [["list"]],
        "show": [["show", "long"], ["show", "short"]],
        "next": [["next"]],
        "plan": [
            ["plan", "long", "-w", "6", "--by", "2027-06-01"],
            ["plan", "long", "--by", "2027-01-01"],
        ],
        "stats": [["stats"]],
        "notes": [["notes", "long/stanford-cs224n"]],
        "remaining": [["remaining"], ["remaining", "long"]],  # with ROADMAP: one item
        "about": [["about"]],
        "where": [["where"]],
        "validate": [["validate", bad]],
        "merge": [["merge", str(other), "--dry-run"]],
        "doctor": [["doctor"]],
    }


def test_every_command_with_json_is_documented(invoke: Invoke, filled: Path) -> None:
    with_json = {
        name
        for name, command in jsonout_commands().items()
        if any("--json" in param.opts for param in command.params)
    }
    assert with_json == set(documented())
    assert set(runs(filled)) == set(documented())


def jsonout_commands() -> dict[str, Any]:
    import typer.main

    from roadmap_cli.cli import app

    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


@pytest.mark.usefixtures("wide")
def test_each_command_prints_exactly_the_documented_fields(invoke: Invoke, filled: Path) -> None:
    shapes = documented()
    problems = []
    for name, lines in runs(filled).items():
        for args in lines:
            result = invoke(*args, "--json")
            assert result.exit_code in (0, 1, 2), result.output
            value = json.loads(result.stdout)
            shape = shapes[name]
            if name == "remaining" and len(args) > 1:  # "prints that one object"
                shape = shape[0] if isinstance(shape, list) else shape
            problems += [f"roadmap {' '.join(args)} --json{m}" for m in mismatches(value, shape)]
    assert problems == []


def test_the_filled_progress_reaches_every_optional_part(invoke: Invoke, filled: Path) -> None:
    # The shapes above are checked only where a value is present: make sure each one is.
    plan = json.loads(invoke("plan", "long", "-w", "6", "--by", "2027-06-01", "--json").stdout)
    assert plan["calibration"] is not None
    assert plan["by"] is not None
    assert plan["weeks"]
    merge = json.loads(invoke("merge", str(filled), "--dry-run", "--json").stdout)
    assert merge["changes"]
    assert merge["unknown_refs"] == ["gone/x"]
    assert any(c["status"] for c in merge["changes"])
    listed = json.loads(invoke("list", "--json").stdout)
    assert any(r["stated_hours"] for r in listed)
    about = json.loads(invoke("about", "--json").stdout)
    assert about[0]["guide"] is not None
    validated = json.loads(invoke("validate", str(filled.parent / "bad.yaml"), "--json").stdout)
    assert validated[0]["problems"]


def test_hours_are_rounded_as_on_screen() -> None:
    from roadmap_cli.progress import HourRange

    assert jsonout.hours(HourRange(0.1, 0.2) + HourRange(0.2, 0.1)) == {"low": 0.3, "high": 0.3}
