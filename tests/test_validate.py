"""`roadmap validate` and `roadmap schema` as a user meets them.

validate prints every problem as `file:line:column: severity: message` and exits 0 when the
files are valid (warnings allowed unless --strict), 2 otherwise. schema prints the JSON Schema
that editors use to check roadmap files as they are typed.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import Invoke

WriteRoadmap = Callable[..., Path]
Json = dict[str, Any]

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data" / "roadmaps.yaml"
README = REPO / "README.md"

VALID = """\
roadmaps:
  - id: fine
    title: Fine
    stated_hours: {low: 3, high: 4}
    resources:
      - id: one
        title: One
        url: https://one.org/a
        hours: {low: 1, high: 2}
      - id: two
        title: Two
        url: https://two.org/a
        hours: 2
"""

# One of each warning; the line:column of each is in WARNINGS below.
WARN = """\
roadmaps:
  - id: warn
    title: Warnings
    stated_hours: {low: 10, high: 12}
    steps:
      - title: One
        resources:
          - id: a
            title: A
            url: https://example.com/a
            hours: 1
          - id: b
            title: B
            url: https://b.org/TODO
            hours: 1
          - id: c
            title: C
            url: https://c.org/x/
            hours: 1
          - id: d
            title: D
            url: https://c.org/x
            hours: 1
      - title: Empty
        resources: []
"""
WARNINGS = [
    pytest.param(
        "4:19",
        "roadmap 'warn': its resources add up to 4 h, but stated_hours says 10–12 h.",
        id="estimates-disagree-with-stated-hours",
    ),
    pytest.param("10:18", "a: placeholder link, shown as 'link pending'.", id="example-com"),
    pytest.param("14:18", "b: placeholder link, shown as 'link pending'.", id="todo-url"),
    pytest.param("22:18", "d: the same URL as the resource on line 18.", id="same-url-twice"),
    pytest.param("24:9", "step 'Empty' has no resources.", id="step-without-resources"),
]

ERRORS = """\
roadmaps:
  - id: Bad_Id
    title: Errors
    resources:
      - id: a
        title: A
        url: ftp://a.org/x
        hours: {low: 5, high: 3}
        colour: red
"""
ERROR_LINES = [
    "2:9: error: roadmaps[0].id: must be a lowercase id",
    "7:14: error: roadmaps[0].resources[0].url: must be an http:// or https:// URL.",
    "8:16: error: roadmaps[0].resources[0].hours: low (5) must not be greater than high (3).",
    "9:9: error: roadmaps[0].resources[0].colour: unknown key",
]

# Mis-indented: `title` on line 3, column 11, cannot follow `id` like that.
BAD_YAML = """\
roadmaps:
  - id: x
     title: X
"""


# --- helpers ----------------------------------------------------------------------------------


def lines(text: str) -> list[str]:
    return text.splitlines()


def one_roadmap(*resources: str) -> str:
    """A flat roadmap `r` with the resources given as YAML items."""
    return "roadmaps:\n  - id: r\n    title: R\n    resources:\n" + "".join(resources)


def resource(resource_id: str, url: str) -> str:
    return (
        f"      - id: {resource_id}\n        title: {resource_id.upper()}\n"
        f"        url: {url}\n        hours: 1\n"
    )


def readme_example() -> Json:
    """The example roadmap file of README's "Your own roadmaps" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Your own roadmaps\n", 1)[1].split("\n## ", 1)[0]
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)]
    [example] = [b for b in blocks if isinstance(b, dict) and "roadmaps" in b]
    return example


def schema_of(invoke: Invoke) -> Json:
    result = invoke("schema")
    assert result.exit_code == 0, result.output
    schema: Json = json.loads(result.stdout)
    return schema


def schema_errors(invoke: Invoke, document: object) -> list[str]:
    """What the JSON Schema of `roadmap schema` finds wrong with a document."""
    schema = schema_of(invoke)
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [error.message for error in validator.iter_errors(document)]


# --- validate: exit codes and output ----------------------------------------------------------


def test_a_valid_file_is_reported_valid(invoke: Invoke, write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap(VALID)

    result = invoke("validate", str(path))

    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [f"{path}: valid"]
    assert result.stderr == ""


def test_every_error_is_printed_with_file_line_and_column(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(ERRORS)

    result = invoke("validate", str(path))

    assert result.exit_code == 2, result.output
    printed = lines(result.stdout)
    assert len(printed) == len(ERROR_LINES)
    for shown, expected in zip(printed, ERROR_LINES, strict=True):
        assert shown.startswith(f"{path}:{expected}")


def test_warnings_alone_exit_0(invoke: Invoke, write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap(WARN)

    result = invoke("validate", str(path))

    assert result.exit_code == 0, result.output
    assert len(lines(result.stdout)) == len(WARNINGS)
    assert all(": warning: " in line for line in lines(result.stdout))


def test_warnings_fail_with_strict(invoke: Invoke, write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap(WARN)

    result = invoke("validate", "--strict", str(path))

    assert result.exit_code == 2, result.output
    assert len(lines(result.stdout)) == len(WARNINGS)


def test_strict_passes_a_file_without_warnings(invoke: Invoke, write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap(VALID)

    result = invoke("validate", "--strict", str(path))

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("where", "message"), WARNINGS)
def test_each_warning_is_reported_at_its_line(
    invoke: Invoke, write_roadmap: WriteRoadmap, where: str, message: str
) -> None:
    path = write_roadmap(WARN)

    result = invoke("validate", str(path))

    assert result.exit_code == 0, result.output
    assert f"{path}:{where}: warning: {message}" in lines(result.stdout)


def test_json_gives_each_file_with_its_problems(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(WARN)

    result = invoke("validate", "--json", str(path))

    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert report["file"] == str(path)
    assert len(report["problems"]) == len(WARNINGS)
    assert report["problems"][0] == {
        "file": str(path),
        "line": 4,
        "column": 19,
        "severity": "warning",
        "message": "roadmap 'warn': its resources add up to 4 h, but stated_hours says 10–12 h.",
    }
    keys = {"file", "line", "column", "severity", "message"}
    assert all(set(problem) == keys for problem in report["problems"])


def test_json_with_errors_still_exits_2(invoke: Invoke, write_roadmap: WriteRoadmap) -> None:
    good = write_roadmap(VALID, "good.yaml")
    bad = write_roadmap(ERRORS, "bad.yaml")

    result = invoke("validate", "--json", str(good), str(bad))

    assert result.exit_code == 2, result.output
    reports = json.loads(result.stdout)
    assert [r["file"] for r in reports] == [str(good), str(bad)]
    assert reports[0]["problems"] == []
    assert [p["line"] for p in reports[1]["problems"]] == [2, 7, 8, 9]
    assert {p["severity"] for p in reports[1]["problems"]} == {"error"}


def test_several_files_are_checked_in_one_run(invoke: Invoke, write_roadmap: WriteRoadmap) -> None:
    good = write_roadmap(VALID, "good.yaml")
    warn = write_roadmap(WARN, "warn.yaml")
    bad = write_roadmap(ERRORS, "bad.yaml")

    result = invoke("validate", str(good), str(warn), str(bad))

    assert result.exit_code == 2, result.output
    printed = lines(result.stdout)
    assert printed[0] == f"{good}: valid"
    assert sum(line.startswith(f"{warn}:") for line in printed) == len(WARNINGS)
    assert sum(line.startswith(f"{bad}:") for line in printed) == len(ERROR_LINES)


def test_valid_files_with_warnings_together_exit_0(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    good = write_roadmap(VALID, "good.yaml")
    warn = write_roadmap(WARN, "warn.yaml")

    result = invoke("validate", str(good), str(warn))

    assert result.exit_code == 0, result.output


def test_a_missing_file_is_an_error(invoke: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"

    result = invoke("validate", str(missing))

    assert result.exit_code == 2, result.output
    assert lines(result.stdout) == [f"{missing}:1:1: error: roadmap file not found."]


def test_invalid_yaml_is_reported_with_line_and_column(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(BAD_YAML)

    result = invoke("validate", str(path))

    assert result.exit_code == 2, result.output
    [line] = lines(result.stdout)
    assert line.startswith(f"{path}:3:11: error: invalid YAML: mapping values are not allowed")


def test_the_shipped_roadmaps_validate_with_only_the_workshop_warning(invoke: Invoke) -> None:
    result = invoke("validate", str(SHIPPED))

    assert result.exit_code == 0, result.output
    [line] = lines(result.stdout)
    assert line.startswith(f"{SHIPPED}:")
    assert line.endswith(": warning: llm-workshop: placeholder link, shown as 'link pending'.")


def test_a_todo_link_that_validate_calls_link_pending_is_shown_as_link_pending(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(one_roadmap(resource("later", "https://b.org/TODO")))
    checked = invoke("validate", str(path))
    assert checked.exit_code == 0, checked.output
    assert "later: placeholder link, shown as 'link pending'." in checked.stdout

    result = invoke("--roadmaps", str(path), "show", "r", "--json")

    assert result.exit_code == 0, result.output
    [shown] = json.loads(result.stdout)["steps"][0]["resources"]
    assert shown["link_pending"] is True


def test_a_real_url_with_todo_inside_a_word_is_not_a_placeholder(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(one_roadmap(resource("mvc", "https://todomvc.com/")))

    result = invoke("validate", str(path))

    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [f"{path}: valid"]


def test_the_same_page_over_http_and_https_is_warned_as_the_same_url(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(
        one_roadmap(resource("x", "http://a.org/x"), resource("y", "https://A.org/x"))
    )
    marked = invoke("--roadmaps", str(path), "done", "r/x")
    assert marked.exit_code == 0, marked.output
    assert "Done 2/2" in marked.stdout  # they share progress

    result = invoke("validate", str(path))

    assert result.exit_code == 0, result.output
    assert f"{path}:11:14: warning: y: the same URL as the resource on line 7." in lines(
        result.stdout
    )


# --- schema -------------------------------------------------------------------------------------


def test_schema_prints_a_valid_json_schema(invoke: Invoke) -> None:
    schema = schema_of(invoke)

    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert schema["required"] == ["roadmaps"]


def test_the_shipped_roadmaps_match_the_schema(invoke: Invoke) -> None:
    shipped = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))

    assert schema_errors(invoke, shipped) == []


def test_the_readme_example_matches_the_schema(invoke: Invoke) -> None:
    assert schema_errors(invoke, readme_example()) == []


def test_the_readme_example_is_a_valid_roadmap_file(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(yaml.safe_dump(readme_example(), allow_unicode=True))

    result = invoke("validate", "--strict", str(path))

    assert result.exit_code == 0, result.output


def test_an_unknown_key_fails_the_schema(invoke: Invoke) -> None:
    document = copy.deepcopy(readme_example())
    document["roadmaps"][0]["colour"] = "red"

    errors = schema_errors(invoke, document)

    assert errors == ["Additional properties are not allowed ('colour' was unexpected)"]


@pytest.mark.parametrize("value", ["lots", "5"])
def test_a_string_for_hours_fails_the_schema(invoke: Invoke, value: str) -> None:
    document = copy.deepcopy(readme_example())
    document["roadmaps"][0]["steps"][0]["resources"][1]["hours"] = value

    assert len(schema_errors(invoke, document)) == 1


@pytest.mark.parametrize(
    ("key", "value"),
    [("stated_hours", 25), ("title", 3.10), ("id", 2024)],
    ids=["stated-hours-number", "numeric-title", "numeric-id"],
)
def test_the_schema_accepts_what_validate_accepts(
    invoke: Invoke, write_roadmap: WriteRoadmap, key: str, value: object
) -> None:
    document = copy.deepcopy(readme_example())
    document["roadmaps"][0][key] = value
    path = write_roadmap(yaml.safe_dump(document, allow_unicode=True))
    checked = invoke("validate", str(path))
    assert checked.exit_code == 0, checked.output

    assert schema_errors(invoke, document) == []


def test_the_schema_refuses_an_id_that_validate_refuses(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    document = copy.deepcopy(readme_example())
    document["roadmaps"][0]["id"] = "Bad_Id"
    path = write_roadmap(yaml.safe_dump(document, allow_unicode=True))
    checked = invoke("validate", str(path))
    assert checked.exit_code == 2, checked.output

    assert len(schema_errors(invoke, document)) == 1


@pytest.mark.parametrize(
    ("stated", "warned"),
    [
        pytest.param("{low: 10, high: 12}", False, id="room-for-those-without-an-estimate"),
        pytest.param("{low: 1, high: 2}", True, id="the-estimates-alone-are-more"),
    ],
)
def test_resources_without_an_estimate_may_make_up_the_stated_total(
    invoke: Invoke, write_roadmap: WriteRoadmap, stated: str, warned: bool
) -> None:
    path = write_roadmap(
        "roadmaps:\n  - id: part\n    title: Part\n"
        f"    stated_hours: {stated}\n    resources:\n"
        "      - {id: a, title: A, url: 'https://a.test/', hours: 3}\n"
        "      - {id: b, title: B, url: 'https://b.test/'}\n"
    )

    result = invoke("validate", "--strict", str(path))

    if warned:
        assert result.exit_code == 2
        assert "its estimated resources alone add up to 3 h, more than stated_hours says" in (
            result.stdout
        )
    else:
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == f"{path}: valid"
