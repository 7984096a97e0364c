"""paths: the load order of roadmap files, the environment variables, and where each file goes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from roadmap_cli import paths
from tests.conftest import Invoke

SRC = Path(__file__).resolve().parent.parent / "src" / "roadmap_cli"
README = Path(__file__).resolve().parent.parent / "README.md"


def put(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("roadmaps: []\n", encoding="utf-8")
    return path


def test_roadmaps_load_shipped_then_folder_then_environment_then_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = paths.roadmaps_folder()
    b, a = put(folder, "b.yaml"), put(folder, "a.yml")
    put(folder, ".hidden.yaml")
    put(folder, "notes.txt")
    env_one, env_two = put(tmp_path, "env1.yaml"), put(tmp_path, "env2.yaml")
    monkeypatch.setenv(paths.ROADMAPS_ENV, f"{env_one}{paths.os.pathsep}{env_two}")
    option = put(tmp_path, "option.yaml")

    found = paths.roadmap_sources([option])

    assert [(s.path, s.origin) for s in found] == [
        (paths.shipped_roadmaps(), paths.SHIPPED),
        (a, paths.FOLDER),
        (b, paths.FOLDER),
        (env_one, paths.ROADMAPS_ENV),
        (env_two, paths.ROADMAPS_ENV),
        (option, paths.ROADMAPS_OPTION),
    ]


def test_a_file_named_twice_loads_once_where_it_first_came(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = put(paths.roadmaps_folder(), "mine.yaml")
    monkeypatch.setenv(paths.ROADMAPS_ENV, str(mine))
    found = paths.roadmap_sources([mine, tmp_path / ".." / tmp_path.name / "x.yaml"])
    assert [(s.path, s.origin) for s in found][1:] == [
        (mine, paths.FOLDER),
        (tmp_path / ".." / tmp_path.name / "x.yaml", paths.ROADMAPS_OPTION),
    ]


def test_every_environment_variable_the_code_reads_is_listed() -> None:
    read = set()
    for module in SRC.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        read |= set(re.findall(r"\"(ROADMAP_CLI_[A-Z_]+)\"", text))
    listed = {variable.name for variable in paths.ENVIRONMENT}
    assert read <= listed
    assert {"NO_COLOR", "BROWSER", "COLUMNS"} <= listed


def test_the_readme_table_is_the_list_of_variables() -> None:
    text = README.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z_]+)` \| (.+) \|$", text, re.MULTILINE)
    assert rows == [(v.name, v.effect) for v in paths.ENVIRONMENT]


def test_where_prints_each_variable_with_its_value_or_not_set(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER", "firefox --new-window")
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = invoke("where").stdout
    section = out.split("Environment:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in section] == [v.name for v in paths.ENVIRONMENT]
    shown = {line.split()[0]: line.split(maxsplit=1)[1] for line in section}
    assert shown["BROWSER"] == "firefox --new-window"
    assert shown["NO_COLOR"] == "not set"
    assert shown[paths.DATA_DIR_ENV] == str(paths.data_dir())


def test_where_json_has_the_environment_and_the_state_folder(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.LOCK_TIMEOUT_ENV, "3")
    data = json.loads(invoke("where", "--json").stdout)
    assert data["environment"][paths.LOCK_TIMEOUT_ENV] == "3"
    assert data["environment"]["BROWSER"] is None
    assert list(data["environment"]) == [v.name for v in paths.ENVIRONMENT]
    assert data["state_dir"] == str(paths.state_dir())


def test_the_state_folder_is_the_platforms_and_under_the_home_here() -> None:
    assert paths.state_dir().name == paths.APP_NAME
    assert paths.state_dir().is_relative_to(Path.home())
