"""The user's own roadmaps as a user meets them: the roadmaps folder, `roadmap import`, one
identity for one resource, optional resources, and progress that follows renames.

Every test runs with XDG_CONFIG_HOME under tmp_path (see conftest), so the roadmaps folder is
a fresh folder of the test's own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from roadmap_cli import paths
from tests.conftest import Invoke

Json = dict[str, Any]

GUIDE = Path(__file__).parent / "data" / "llm_guide.md"
GUIDE_IDS = ["long-learning-roadmap", "shorter-learning-roadmap"]

MINE = """\
roadmaps:
  - id: mine
    title: My Own Roadmap
    resources:
      - id: transformer
        title: The Illustrated Transformer, again
        url: http://jalammar.github.io/illustrated-transformer
        hours: 1
"""

YML = """\
roadmaps:
  - id: from-yml
    title: Written as .yml
    resources:
      - id: one
        title: One
        url: https://one.org/a
        hours: 1
"""

# `hours: lots` stands on line 8, column 16.
BROKEN = """\
roadmaps:
  - id: broken
    title: Broken
    resources:
      - id: x
        title: X
        url: https://x.org/a
        hours: lots
"""

SHARED = """\
roadmaps:
  - id: mine
    title: Mine
    resources:
      - id: notes
        title: My notes
        url: https://notes.org/a
        hours: 2
        shared: true
      - id: extra
        title: Extra
        url: https://extra.org/a
        hours: 1
  - id: yours
    title: Yours
    resources:
      - id: notes
        title: Your notes
        url: https://notes.org/b
        hours: 2
        shared: true
      - id: extra
        title: Extra, another one
        url: https://extra.org/b
        hours: 1
"""

OPTIONAL = """\
roadmaps:
  - id: opt
    title: With an extra
    resources:
      - id: extra
        title: Extra reading
        url: https://extra.org/x
        hours: 4
        optional: true
      - id: core
        title: Core course
        url: https://core.org/x
        hours: 2
"""

BEFORE_RENAME = """\
roadmaps:
  - id: mine
    title: Mine
    resources:
      - id: old-name
        title: Thing
        url: https://thing.org/a
        hours: 2
      - id: gone
        title: Gone
        url: https://gone.org/a
        hours: 2
"""

RESOURCE_RENAMED = """\
roadmaps:
  - id: mine
    title: Mine
    resources:
      - id: new-name
        title: Thing
        url: https://thing.org/b
        hours: 2
        formerly: [old-name]
"""

ROADMAP_RENAMED = """\
roadmaps:
  - id: ours
    title: Ours
    formerly: [mine]
    resources:
      - id: new-name
        title: Thing
        url: https://thing.org/b
        hours: 2
        formerly: [old-name]
"""

RENAMED_WITHOUT_FORMERLY = """\
roadmaps:
  - id: mine
    title: Mine
    resources:
      - id: new-name
        title: Thing
        url: https://thing.org/b
        hours: 2
"""

TASKS = """\
# My plan

## Rust basics (6 hours)

- [x] [The Book](https://a.org/book) – 3 hours
- [x] [Rust by Example](https://b.org/rbe) – 2 hours
- [ ] [Rustlings](https://c.org/rustlings) – 1 hour
"""
TICKED = {
    "rust-basics/the-book": "done",
    "rust-basics/rust-by-example": "done",
    "rust-basics/rustlings": "pending",
}
UNTICKED = dict.fromkeys(TICKED, "pending")


# --- helpers ----------------------------------------------------------------------------------


def folder() -> Path:
    """The roadmaps folder of this test, created."""
    path = paths.roadmaps_folder()
    path.mkdir(parents=True, exist_ok=True)
    return path


def put(name: str, text: str) -> Path:
    """Write a file into the roadmaps folder."""
    path = folder() / name
    path.write_text(text, encoding="utf-8")
    return path


def as_json(invoke: Invoke, *args: str) -> Any:
    """Run a command with --json; it must succeed."""
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def list_ids(invoke: Invoke, *options: str) -> list[str]:
    return [row["id"] for row in as_json(invoke, *options, "list")]


def listed(invoke: Invoke, roadmap_id: str) -> Json:
    """The `list --json` row of one roadmap."""
    rows = {row["id"]: row for row in as_json(invoke, "list")}
    return rows[roadmap_id]


def resources(invoke: Invoke, roadmap_id: str, *options: str) -> dict[str, Json]:
    """The resources of `show ROADMAP --json`, by REF."""
    shown = as_json(invoke, *options, "show", roadmap_id)
    return {res["ref"]: res for step in shown["steps"] for res in step["resources"]}


def statuses(invoke: Invoke, roadmap_id: str, *options: str) -> dict[str, str]:
    return {ref: res["status"] for ref, res in resources(invoke, roadmap_id, *options).items()}


def run_ok(invoke: Invoke, *args: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, result.output


def line_with(text: str, needle: str) -> str:
    """The one line of `text` that contains `needle`."""
    [line] = [line for line in text.splitlines() if needle in line]
    return line


def write_markdown(tmp_path: Path, text: str, name: str = "tasks.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def hours(low: float, high: float) -> Json:
    return {"low": low, "high": high}


# --- the roadmaps folder ----------------------------------------------------------------------


def test_a_yaml_file_in_the_roadmaps_folder_appears_in_list_and_show(invoke: Invoke) -> None:
    put("mine.yaml", MINE)

    assert list_ids(invoke) == ["long", "short", "mine"]
    result = invoke("show", "mine")
    assert result.exit_code == 0, result.output
    assert "My Own Roadmap  (mine)" in result.stdout
    assert "mine/transformer" in result.stdout
    assert result.stderr == ""


def test_a_yml_file_in_the_roadmaps_folder_is_loaded_too(invoke: Invoke) -> None:
    put("other.yml", YML)

    assert list_ids(invoke) == ["long", "short", "from-yml"]
    assert statuses(invoke, "from-yml") == {"from-yml/one": "pending"}


def test_hidden_and_non_yaml_files_in_the_roadmaps_folder_are_ignored(invoke: Invoke) -> None:
    put(".hidden.yaml", MINE)
    put("notes.txt", YML)

    result = invoke("list")
    assert result.exit_code == 0, result.output
    assert "mine" not in result.stdout
    assert "from-yml" not in result.stdout
    assert result.stderr == ""
    where = as_json(invoke, "where")
    assert [r["origin"] for r in where["roadmaps"]] == ["shipped"]


@pytest.mark.usefixtures("wide")
def test_where_lists_the_roadmaps_folder_and_each_file_in_it(invoke: Invoke) -> None:
    mine = put("mine.yaml", MINE)
    other = put("other.yml", YML)

    result = invoke("where")

    assert result.exit_code == 0, result.output
    assert line_with(result.stdout, str(mine)).startswith("roadmaps (roadmaps folder):")
    assert line_with(result.stdout, str(other)).startswith("roadmaps (roadmaps folder):")
    folder_line = line_with(result.stdout, "roadmaps folder: ")
    assert folder_line.split()[-1] == str(paths.roadmaps_folder())


def test_where_json_gives_each_folder_file_with_its_origin(invoke: Invoke) -> None:
    mine = put("mine.yaml", MINE)
    other = put("other.yml", YML)

    where = as_json(invoke, "where")

    assert where["roadmaps"] == [
        {"path": str(paths.shipped_roadmaps()), "origin": "shipped"},
        {"path": str(mine), "origin": "roadmaps folder"},
        {"path": str(other), "origin": "roadmaps folder"},
    ]
    assert where["roadmaps_folder"] == str(paths.roadmaps_folder())


def test_list_skips_a_broken_folder_file_with_a_warning_naming_file_and_line(
    invoke: Invoke,
) -> None:
    bad = put("bad.yaml", BROKEN)
    put("mine.yaml", MINE)

    result = invoke("list")

    assert result.exit_code == 0, result.output
    assert "Long Learning Roadmap" in result.stdout
    assert "Shorter Learning Roadmap" in result.stdout
    assert "My Own Roadmap" in result.stdout
    assert result.stderr.startswith(f"Warning: {bad}:8:16: roadmaps[0].resources[0].hours")


def test_done_refuses_while_a_folder_file_is_broken_and_writes_nothing(
    invoke: Invoke, progress_path: Path
) -> None:
    bad = put("bad.yaml", BROKEN)

    result = invoke("done", "long/stanford-cs25")

    assert result.exit_code == 2, result.output
    assert f"Error: {bad}:8:16:" in result.stderr
    assert not progress_path.exists()


def test_done_with_a_broken_folder_file_does_not_claim_the_file_is_skipped(
    invoke: Invoke,
) -> None:
    put("bad.yaml", BROKEN)

    result = invoke("done", "long/stanford-cs25")

    assert result.exit_code == 2, result.output
    assert "skipped" not in result.stderr


def test_doctor_reports_a_broken_folder_file_with_its_line_and_the_shipped_file_as_ok(
    invoke: Invoke,
) -> None:
    bad = put("bad.yaml", BROKEN)

    result = invoke("doctor", "--json")

    assert result.exit_code == 1, result.output
    findings = {f["subject"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings[str(paths.shipped_roadmaps())]["severity"] == "ok"
    assert findings[str(bad)]["severity"] == "error"
    assert f"{bad}:8:16: roadmaps[0].resources[0].hours" in findings[str(bad)]["detail"]


# --- import -------------------------------------------------------------------------------------


def test_import_writes_a_roadmap_file_into_the_roadmaps_folder(invoke: Invoke) -> None:
    result = invoke("import", str(GUIDE))

    assert result.exit_code == 0, result.output
    written = paths.roadmaps_folder() / "llm-guide.yaml"
    assert sorted(folder().iterdir()) == [written]
    assert str(written) in result.stdout
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["version"] == 1


def test_imported_roadmaps_are_listed_beside_the_shipped_ones(invoke: Invoke) -> None:
    run_ok(invoke, "import", str(GUIDE))

    assert list_ids(invoke) == ["long", "short", *GUIDE_IDS]
    assert listed(invoke, "long-learning-roadmap")["total"] == 5
    assert listed(invoke, "shorter-learning-roadmap")["total"] == 3


def test_an_imported_roadmap_named_like_a_shipped_one_gets_another_id(
    invoke: Invoke, tmp_path: Path
) -> None:
    source = write_markdown(tmp_path, "## Long\n\n- [A thing](https://a.org/thing)\n", "long.md")

    run_ok(invoke, "import", str(source))

    assert list_ids(invoke) == ["long", "short", "long-2"]
    assert listed(invoke, "long")["total"] == 5


def test_import_again_without_force_is_refused_and_leaves_the_file(invoke: Invoke) -> None:
    run_ok(invoke, "import", str(GUIDE))
    written = paths.roadmaps_folder() / "llm-guide.yaml"
    edited = "# my edits\n" + written.read_text(encoding="utf-8")
    written.write_text(edited, encoding="utf-8")

    result = invoke("import", str(GUIDE))

    assert result.exit_code == 2, result.output
    assert f"{written} already exists; use --force" in result.stderr
    assert written.read_text(encoding="utf-8") == edited


def test_import_with_force_replaces_the_file(invoke: Invoke) -> None:
    run_ok(invoke, "import", str(GUIDE))
    written = paths.roadmaps_folder() / "llm-guide.yaml"
    edited = "# my edits\n" + written.read_text(encoding="utf-8")
    written.write_text(edited, encoding="utf-8")

    result = invoke("import", "--force", str(GUIDE))

    assert result.exit_code == 0, result.output
    text = written.read_text(encoding="utf-8")
    assert "# my edits" not in text
    assert text.startswith("# Imported from llm_guide.md by roadmap-cli.")


def test_import_with_force_keeps_the_roadmap_ids_and_their_progress(invoke: Invoke) -> None:
    run_ok(invoke, "import", str(GUIDE))
    run_ok(invoke, "done", "long-learning-roadmap/stanford-cs25-transformers-united")

    run_ok(invoke, "import", "--force", str(GUIDE))

    assert list_ids(invoke) == ["long", "short", *GUIDE_IDS]
    cs25 = "long-learning-roadmap/stanford-cs25-transformers-united"
    assert statuses(invoke, "long-learning-roadmap")[cs25] == "done"


def test_import_with_output_writes_that_file(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"

    result = invoke("import", str(GUIDE), "-o", str(out))

    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout
    ids = [r["id"] for r in yaml.safe_load(out.read_text(encoding="utf-8"))["roadmaps"]]
    assert ids == GUIDE_IDS
    assert not paths.roadmaps_folder().exists()


def test_import_to_stdout_prints_the_yaml_and_the_messages_on_stderr(invoke: Invoke) -> None:
    result = invoke("import", str(GUIDE), "-o", "-")

    assert result.exit_code == 0, result.output
    document = yaml.safe_load(result.stdout)
    assert [r["id"] for r in document["roadmaps"]] == GUIDE_IDS
    assert "Imported 2 roadmaps" in result.stderr
    assert "Imported 2 roadmaps" not in result.stdout
    assert not paths.roadmaps_folder().exists()


def test_the_imported_file_passes_validate(invoke: Invoke) -> None:
    run_ok(invoke, "import", str(GUIDE))
    written = paths.roadmaps_folder() / "llm-guide.yaml"

    result = invoke("validate", str(written))

    assert result.exit_code == 0, result.output
    assert ": error:" not in result.stdout


def test_import_without_with_progress_tells_of_ticked_items_and_marks_nothing(
    invoke: Invoke, tmp_path: Path, progress_path: Path
) -> None:
    source = write_markdown(tmp_path, TASKS)

    result = invoke("import", str(source))

    assert result.exit_code == 0, result.output
    assert "Ticked items: 2; import with --with-progress to mark them done" in result.stdout
    assert statuses(invoke, "rust-basics") == UNTICKED
    assert not progress_path.exists()


def test_import_with_progress_marks_the_ticked_items_done(invoke: Invoke, tmp_path: Path) -> None:
    source = write_markdown(tmp_path, TASKS)

    result = invoke("import", "--with-progress", str(source))

    assert result.exit_code == 0, result.output
    assert "Ticked items: 2 marked done" in result.stdout
    assert statuses(invoke, "rust-basics") == TICKED


def test_import_with_progress_to_an_output_file_marks_the_ticked_items_done(
    invoke: Invoke, tmp_path: Path
) -> None:
    source = write_markdown(tmp_path, TASKS)
    out = tmp_path / "rust.yaml"

    result = invoke("import", "--with-progress", "-o", str(out), str(source))

    assert result.exit_code == 0, result.output
    assert "Ticked items: 2 marked done" in result.stdout
    assert statuses(invoke, "rust-basics", "--roadmaps", str(out)) == TICKED


def test_import_with_progress_to_stdout_does_not_ask_for_with_progress(
    invoke: Invoke, tmp_path: Path
) -> None:
    source = write_markdown(tmp_path, TASKS)

    result = invoke("import", "--with-progress", "-o", "-", str(source))

    assert result.exit_code == 0, result.output
    assert "import with --with-progress" not in result.stderr


def test_importing_markdown_without_any_link_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    source = write_markdown(tmp_path, "# Notes\n\nJust some text, no links.\n", "notes.md")

    result = invoke("import", str(source))

    assert result.exit_code == 2, result.output
    assert f"Error: {source}: found no roadmap." in result.stderr
    assert result.stdout == ""
    assert not paths.roadmaps_folder().exists()


# --- one resource, one identity --------------------------------------------------------------


def test_done_on_a_shipped_resource_shows_done_where_a_user_roadmap_has_its_url(
    invoke: Invoke,
) -> None:
    put("mine.yaml", MINE)

    run_ok(invoke, "done", "short/illustrated-transformer")

    assert statuses(invoke, "mine") == {"mine/transformer": "done"}


def test_reset_in_the_user_roadmap_resets_the_shipped_resource_too(invoke: Invoke) -> None:
    put("mine.yaml", MINE)
    run_ok(invoke, "done", "short/illustrated-transformer")

    run_ok(invoke, "reset", "mine/transformer")

    assert statuses(invoke, "short")["short/illustrated-transformer"] == "pending"
    assert statuses(invoke, "mine") == {"mine/transformer": "pending"}


def test_shared_ids_in_two_user_roadmaps_share_progress(invoke: Invoke) -> None:
    put("shared.yaml", SHARED)

    run_ok(invoke, "done", "mine/notes", "mine/extra")

    # `extra` has the same id in both roadmaps but is not shared: it stays apart.
    assert statuses(invoke, "yours") == {"yours/notes": "done", "yours/extra": "pending"}


def test_time_logged_on_a_resource_in_two_roadmaps_counts_once(invoke: Invoke) -> None:
    put("mine.yaml", MINE)
    run_ok(invoke, "log", "mine/transformer", "2h")
    run_ok(invoke, "done", "mine/transformer")

    totals = as_json(invoke, "stats")["totals"]
    calibration = as_json(invoke, "plan", "short")["calibration"]

    assert totals["hours_logged"] == 2
    assert totals["done"] == 1
    assert calibration["resources"] == 1


def test_time_logged_after_done_through_another_roadmap_counts(invoke: Invoke) -> None:
    put("mine.yaml", MINE)
    run_ok(invoke, "done", "short/illustrated-transformer")

    run_ok(invoke, "log", "mine/transformer", "1h")

    assert as_json(invoke, "stats")["totals"]["hours_logged"] == 1
    shipped = resources(invoke, "short")["short/illustrated-transformer"]
    assert shipped["hours_logged"] == 1


def test_notes_added_through_one_roadmap_are_listed_through_the_other(invoke: Invoke) -> None:
    put("mine.yaml", MINE)
    run_ok(invoke, "note", "short/illustrated-transformer", "read it twice")

    noted = as_json(invoke, "notes", "mine/transformer")

    assert [n["text"] for n in noted["notes"]] == ["read it twice"]


# --- optional resources ------------------------------------------------------------------------


def test_an_optional_resource_is_left_out_of_the_totals(invoke: Invoke) -> None:
    put("opt.yaml", OPTIONAL)

    row = listed(invoke, "opt")

    assert row["total"] == 1
    assert row["percent"] == 0
    assert row["total_hours"] == hours(2, 2)
    assert row["remaining_hours"] == hours(2, 2)


def test_show_marks_the_optional_resource(invoke: Invoke) -> None:
    put("opt.yaml", OPTIONAL)

    result = invoke("show", "opt")

    assert result.exit_code == 0, result.output
    assert "optional" in line_with(result.stdout, "Extra reading")
    assert "optional" not in line_with(result.stdout, "Core course")
    assert resources(invoke, "opt")["opt/extra"]["optional"] is True


def test_a_started_optional_resource_counts(invoke: Invoke) -> None:
    put("opt.yaml", OPTIONAL)

    run_ok(invoke, "start", "opt/extra")

    row = listed(invoke, "opt")
    assert row["total"] == 2
    assert row["in_progress"] == 1
    assert row["remaining_hours"] == hours(6, 6)


def test_next_does_not_offer_a_pending_optional_resource(invoke: Invoke) -> None:
    put("opt.yaml", OPTIONAL)

    assert as_json(invoke, "next", "opt")["ref"] == "opt/core"
    run_ok(invoke, "done", "opt/core")
    assert as_json(invoke, "next", "opt") is None
    assert listed(invoke, "opt")["percent"] == 100


# --- formerly: progress follows renames ----------------------------------------------------------


def test_progress_follows_a_renamed_resource(invoke: Invoke) -> None:
    mine = put("mine.yaml", BEFORE_RENAME)
    run_ok(invoke, "done", "mine/old-name")

    mine.write_text(RESOURCE_RENAMED, encoding="utf-8")

    assert statuses(invoke, "mine") == {"mine/new-name": "done"}


def test_a_rename_without_formerly_starts_afresh(invoke: Invoke) -> None:
    mine = put("mine.yaml", BEFORE_RENAME)
    run_ok(invoke, "done", "mine/old-name")

    mine.write_text(RENAMED_WITHOUT_FORMERLY, encoding="utf-8")

    assert statuses(invoke, "mine") == {"mine/new-name": "pending"}


def test_progress_follows_a_renamed_roadmap(invoke: Invoke) -> None:
    mine = put("mine.yaml", BEFORE_RENAME)
    run_ok(invoke, "done", "mine/old-name")

    mine.write_text(ROADMAP_RENAMED, encoding="utf-8")

    assert list_ids(invoke) == ["long", "short", "ours"]
    assert statuses(invoke, "ours") == {"ours/new-name": "done"}


def test_progress_under_a_former_ref_counts_from_a_progress_file_written_by_hand(
    invoke: Invoke, progress_path: Path
) -> None:
    put("mine.yaml", ROADMAP_RENAMED)
    progress_path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"status": "done", "changed": "2026-01-05T10:00:00Z", "log": [], "notes": []}
    progress = {"version": 2, "entries": {"mine/old-name": entry}, "history": []}
    progress_path.write_text(json.dumps(progress), encoding="utf-8")

    assert statuses(invoke, "ours") == {"ours/new-name": "done"}


def test_doctor_lists_only_progress_whose_resource_is_gone(
    invoke: Invoke, progress_path: Path
) -> None:
    mine = put("mine.yaml", BEFORE_RENAME)
    run_ok(invoke, "done", "mine/old-name", "mine/gone")
    mine.write_text(ROADMAP_RENAMED, encoding="utf-8")

    result = invoke("doctor", "--json")

    assert result.exit_code == 0, result.output
    findings = {f["subject"]: f for f in json.loads(result.stdout)["findings"]}
    progress = findings[str(progress_path)]
    assert progress["severity"] == "warning"
    assert "1 of 2 entries" in progress["detail"]
    assert "(mine/gone)" in progress["detail"]
    assert "old-name" not in progress["detail"]
    kept = json.loads(progress_path.read_text(encoding="utf-8"))["entries"]
    assert sorted(kept) == ["mine/gone", "mine/old-name"]


def test_notes_follow_a_renamed_resource(invoke: Invoke) -> None:
    mine = put("mine.yaml", BEFORE_RENAME)
    run_ok(invoke, "note", "mine/old-name", "chapter 3 matters")
    mine.write_text(RESOURCE_RENAMED, encoding="utf-8")

    assert resources(invoke, "mine")["mine/new-name"]["notes"] == 1
    noted = as_json(invoke, "notes", "mine/new-name")
    assert [n["text"] for n in noted["notes"]] == ["chapter 3 matters"]
