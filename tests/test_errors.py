"""errors: the exit code each kind of problem leaves with, and how a file's problem is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_cli import errors
from tests.conftest import Invoke


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (errors.RoadmapError, 1),
        (errors.ProgressFileError, 1),
        (errors.StoreWriteError, 1),
        (errors.LockTimeoutError, 1),
        (errors.LinkPendingError, 1),
        (errors.InputError, 2),
        (errors.UnknownRefError, 2),
    ],
)
def test_each_kind_of_problem_has_its_documented_exit_code(
    kind: type[errors.RoadmapError], code: int
) -> None:
    assert kind("x").exit_code == code


def test_a_roadmap_file_problem_names_the_file_line_and_column() -> None:
    error = errors.RoadmapFileError(Path("mine.yaml"), "bad id.", 3, 7)
    assert str(error) == "mine.yaml:3:7: bad id."
    assert error.exit_code == 2
    assert str(errors.RoadmapFileError(Path("mine.yaml"), "not found.")) == "mine.yaml: not found."


def test_more_problems_are_counted_with_thousands_separators() -> None:
    error = errors.RoadmapFileError(Path("big.yaml"), "bad id.", 1, 1, more=4998)
    assert str(error).endswith("(4,998 more problems in this file.)")
    one_more = errors.RoadmapFileError(Path("big.yaml"), "bad id.", 1, 1, more=1)
    assert str(one_more).endswith("(1 more problem in this file.)")


def test_the_exit_codes_are_the_ones_the_readme_lists(invoke: Invoke) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n\n", 2)[1]
    codes = [int(line.split("|")[1]) for line in table.splitlines()[2:]]
    assert codes == [0, 1, 2, errors.BUG, 130]
    assert invoke("show", "nosuch").exit_code == errors.InputError.exit_code
