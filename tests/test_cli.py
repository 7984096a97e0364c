"""The `roadmap` command as a user meets it: run in-process, stdout and stderr checked apart.

Expected numbers come from the shipped roadmap file (read here with plain PyYAML), so the
tests follow the data; the headline figures a user sees (80–100 h, 2–3 h) are also checked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from roadmap_cli import __version__, paths
from roadmap_cli.cli import app
from tests.conftest import MINE, Invoke, WriteRoadmap, failed, line_with, ok, run_json

Json = dict[str, Any]

SHIPPED: Json = yaml.safe_load(paths.shipped_roadmaps().read_text(encoding="utf-8"))
ROADMAPS: dict[str, Json] = {r["id"]: r for r in SHIPPED["roadmaps"]}


# Titles, a URL and a guide full of Rich markup: all of it must print as written.
MARKUP = """\
guide:
  title: "[bold]Guide[/bold] of [red]"
  overview: "Read [link=file:///etc/passwd]this[/link] first."
roadmaps:
  - id: markup
    title: "[bold]x[/] and [red]"
    steps:
      - title: "[link=file:///etc/passwd]click[/link]"
        description: "[/]"
        resources:
          - id: tricky
            title: "[red]Red[/red] [bold]x[/]"
            url: https://docs.python.org/3/?q=[bold]x[/bold]
            hours: 2
"""
MARKUP_TEXTS = (
    "[bold]x[/] and [red]",
    "[link=file:///etc/passwd]click[/link]",
    "[red]Red[/red] [bold]x[/]",
    "https://docs.python.org/3/?q=[bold]x[/bold]",
)

SGR = re.compile(r"\x1b\[([0-9;]*)m")
OSC8 = re.compile(r"\x1b\]8;[^;\x1b]*;([^\x1b]*)\x1b\\")
ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")
FORCED_TERMINALS = [
    pytest.param({"FORCE_COLOR": "1"}, id="FORCE_COLOR"),
    pytest.param({"TTY_COMPATIBLE": "1"}, id="TTY_COMPATIBLE"),
]


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A known terminal type, and nothing in the environment that forces a terminal on."""
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("COLORTERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


# --- helpers ---------------------------------------------------------------------------------


def resources_of(roadmap_id: str) -> list[Json]:
    roadmap = ROADMAPS[roadmap_id]
    if "steps" in roadmap:
        return [res for step in roadmap["steps"] for res in step["resources"]]
    return list(roadmap["resources"])


def estimate(resource: Json) -> dict[str, float]:
    value = resource["hours"]
    if isinstance(value, int | float):
        return {"low": value, "high": value}
    return {"low": value["low"], "high": value["high"]}


def total_hours(resources: list[Json]) -> dict[str, float]:
    return {end: round(sum(estimate(res)[end] for res in resources), 2) for end in ("low", "high")}


ALL_REFS = [f"{rid}/{res['id']}" for rid in ROADMAPS for res in resources_of(rid)]


def listed(invoke: Invoke, *options: str) -> dict[str, Json]:
    return {row["id"]: row for row in run_json(invoke, *options, "list", "--json")}


def words(text: str) -> str:
    return " ".join(text.split())


def colour_codes(output: str) -> set[int]:
    """Return the SGR colour parameters (foreground or background) in `output`."""
    params = {int(p) for match in SGR.findall(output) for p in match.split(";") if p}
    return {p for p in params if 30 <= p <= 48 or 90 <= p <= 107}


def links(output: str) -> set[str]:
    return set(OSC8.findall(output)) - {""}


# --- list --------------------------------------------------------------------------------------


LIST_KEYS = {
    "id",
    "title",
    "done",
    "skipped",
    "in_progress",
    "total",
    "percent",
    "total_hours",
    "remaining_hours",
    "unestimated",
    "stated_hours",
}
STEP_KEYS = {
    "title",
    "description",
    "done",
    "total",
    "remaining_hours",
    "unestimated",
    "resources",
}
RESOURCE_KEYS = {
    "id",
    "ref",
    "title",
    "kind",
    "url",
    "link_pending",
    "status",
    "hours",
    "hours_logged",
    "remaining_hours",
    "notes",
    "optional",
    "basis",
}


def test_list_json_has_the_documented_shape(invoke: Invoke) -> None:
    rows = run_json(invoke, "list", "--json")
    assert [row["id"] for row in rows] == list(ROADMAPS)
    for row in rows:
        assert row.keys() == LIST_KEYS
        assert row["total_hours"].keys() == {"low", "high"}
        assert row["remaining_hours"].keys() == {"low", "high"}


@pytest.mark.parametrize("roadmap_id", list(ROADMAPS))
def test_list_json_starts_every_roadmap_at_zero_with_every_hour_left(
    invoke: Invoke, roadmap_id: str
) -> None:
    row = listed(invoke)[roadmap_id]
    resources = resources_of(roadmap_id)
    assert row["title"] == ROADMAPS[roadmap_id]["title"]
    assert (row["done"], row["total"], row["percent"]) == (0, len(resources), 0)
    assert (row["skipped"], row["in_progress"]) == (0, 0)
    assert row["total_hours"] == total_hours(resources)
    assert row["remaining_hours"] == total_hours(resources)


def test_list_json_headline_figures(invoke: Invoke) -> None:
    rows = listed(invoke)
    assert rows["long"]["remaining_hours"] == {"low": 80, "high": 100}
    assert rows["long"]["stated_hours"] == {"low": 80, "high": 100, "plus": True}
    assert rows["short"]["remaining_hours"] == {"low": 2, "high": 3}


def test_list_shows_each_roadmap_with_progress_and_hours(invoke: Invoke) -> None:
    out = ok(invoke("list"))
    long_row = line_with(out, "Long Learning Roadmap")
    assert long_row.startswith("long ")
    for text in ("░░░░░░░░░░   0%", "0/5", "80–100 h", "80–100+ h"):
        assert text in long_row
    short_row = line_with(out, "Shorter Learning Roadmap")
    assert short_row.startswith("short ")
    for text in ("0%", "0/3", "2–3 h"):
        assert text in short_row
    assert "roadmap show ID" in out


def test_list_shows_progress_after_done(invoke: Invoke) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    long_row = line_with(ok(invoke("list")), "Long Learning Roadmap")
    for text in ("██░░░░░░░░  20%", "1/5", "65–81 h", "80–100+ h"):
        assert text in long_row


def test_hour_sums_read_cleanly(invoke: Invoke, write_roadmap: WriteRoadmap) -> None:
    extra = write_roadmap(
        "roadmaps:\n  - id: tiny\n    title: Tiny\n    resources:\n"
        "      - {id: a, title: A, url: 'https://a.test/', hours: 0.1}\n"
        "      - {id: b, title: B, url: 'https://b.test/', hours: 0.2}\n"
    )
    row = listed(invoke, "--roadmaps", str(extra))["tiny"]
    assert row["total_hours"] == {"low": 0.3, "high": 0.3}
    tiny_row = line_with(ok(invoke("--roadmaps", str(extra), "list")), "Tiny")
    assert "0.3 h" in tiny_row
    assert "0.30000000000000004" not in tiny_row


# --- done and reset ----------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ALL_REFS)
@pytest.mark.usefixtures("wide")
def test_done_takes_off_exactly_its_estimate_and_reset_restores_it(
    invoke: Invoke, ref: str
) -> None:
    roadmap_id, resource_id = ref.split("/")
    resource = next(r for r in resources_of(roadmap_id) if r["id"] == resource_id)
    before = listed(invoke)

    out = ok(invoke("done", ref))

    assert f"Done: {resource['title']} ({ref})" in out
    after = listed(invoke)
    row, old = after[roadmap_id], before[roadmap_id]
    assert row["remaining_hours"] == {
        end: round(old["remaining_hours"][end] - estimate(resource)[end], 2)
        for end in ("low", "high")
    }
    assert row["done"] == 1
    assert row["percent"] == 100 // row["total"]
    assert row["total_hours"] == old["total_hours"]
    others = {rid: r for rid, r in after.items() if rid != roadmap_id}
    assert others == {rid: r for rid, r in before.items() if rid != roadmap_id}

    out = ok(invoke("reset", ref))

    assert f"Reset: {resource['title']} ({ref})" in out
    assert listed(invoke) == before


def test_done_reports_where_the_roadmap_stands(invoke: Invoke) -> None:
    out = ok(invoke("done", "long/stanford-cs25"))
    assert out == (
        "Done: Stanford CS25 - Transformers United (long/stanford-cs25)\n"
        "Long Learning Roadmap: Done 1/5 (20%) · 65–81 h left of 80–100+ h\n"
    )


def test_done_twice_says_already_done_and_changes_nothing(
    invoke: Invoke, progress_path: Path
) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    saved = progress_path.read_bytes()

    out = ok(invoke("done", "long/stanford-cs25"))

    assert "Already done: Stanford CS25 - Transformers United (long/stanford-cs25)" in out
    assert "65–81 h left" in out
    assert progress_path.read_bytes() == saved


def test_reset_of_something_never_done_writes_nothing(invoke: Invoke, progress_path: Path) -> None:
    out = ok(invoke("reset", "long/stanford-cs25"))
    assert "Not started yet: Stanford CS25 - Transformers United (long/stanford-cs25)" in out
    assert not progress_path.exists()


@pytest.mark.usefixtures("wide")
def test_done_with_several_refs_across_roadmaps(invoke: Invoke) -> None:
    out = ok(invoke("done", "long/stanford-cs25", "short/rlhf-huggingface", "stanford-cs224n"))
    lines = out.splitlines()
    assert lines[:3] == [
        "Done: Stanford CS25 - Transformers United (long/stanford-cs25)",
        "Done: Illustrating Reinforcement Learning from Human Feedback (RLHF) – HuggingFace "
        "(short/rlhf-huggingface)",
        "Done: Stanford CS224N - NLP with Deep Learning (long/stanford-cs224n)",
    ]
    assert lines[3].startswith("Long Learning Roadmap: Done 2/5 (40%)")
    assert lines[4].startswith("Shorter Learning Roadmap: Done 1/3 (33%)")
    rows = listed(invoke)
    assert (rows["long"]["done"], rows["short"]["done"]) == (2, 1)


def test_done_with_a_bare_resource_id(invoke: Invoke) -> None:
    out = ok(invoke("done", "illustrated-transformer"))
    assert out.splitlines() == [
        "Done: Jay Alammar’s Illustrated Transformers (short/illustrated-transformer)",
        "Shorter Learning Roadmap: Done 1/3 (33%) · 1.5–2.25 h left of 2–3 h",
    ]
    assert listed(invoke)["short"]["remaining_hours"] == {"low": 1.5, "high": 2.25}


def test_the_same_resource_named_twice_is_marked_once(invoke: Invoke) -> None:
    out = ok(invoke("done", "stanford-cs25", "long/stanford-cs25"))
    assert out.count("stanford-cs25") == 1
    assert listed(invoke)["long"]["done"] == 1


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        (["nope"], ["No resource 'nope'.", *ALL_REFS]),
        (["long/stanford-cs2"], ["'long/stanford-cs2'", "Did you mean:", "long/stanford-cs25"]),
        (["stanford-cs2"], ["'stanford-cs2'", "Did you mean:", "stanford-cs25"]),
        (["nosuch/stanford-cs25"], ["'nosuch/stanford-cs25'", "long/stanford-cs25"]),
        (["long"], ["'long' is a roadmap", "long/RESOURCE"]),
    ],
)
@pytest.mark.parametrize("command", ["done", "reset"])
def test_an_unknown_ref_is_named_with_suggestions(
    invoke: Invoke, progress_path: Path, command: str, refs: list[str], expected: list[str]
) -> None:
    stderr = failed(invoke(command, *refs), 2, *expected)
    assert stderr.startswith("Error: ")
    assert not progress_path.exists()


@pytest.mark.parametrize(
    "refs",
    [["long/stanford-cs25", "nope"], ["nope", "long/stanford-cs25"], ["stanford-cs25", "long/x"]],
)
def test_one_unknown_ref_means_no_ref_is_marked(invoke: Invoke, refs: list[str]) -> None:
    failed(invoke("done", *refs), 2, "No resource")
    assert listed(invoke)["long"]["done"] == 0


@pytest.mark.parametrize("command", ["done", "reset"])
def test_one_unknown_ref_leaves_the_progress_file_as_it_was(
    invoke: Invoke, progress_path: Path, command: str
) -> None:
    ok(invoke("done", "long/stanford-cs224n"))
    saved = progress_path.read_bytes()
    failed(invoke(command, "long/stanford-cs25", "long/stanford-cs224n", "nope"), 2, "'nope'")
    assert progress_path.read_bytes() == saved


def test_an_ambiguous_resource_id_lists_both_refs(
    invoke: Invoke, write_roadmap: WriteRoadmap, progress_path: Path
) -> None:
    extra = str(write_roadmap(MINE))
    failed(
        invoke("--roadmaps", extra, "done", "stanford-cs25"),
        2,
        "'stanford-cs25'",
        "long/stanford-cs25",
        "mine/stanford-cs25",
    )
    assert not progress_path.exists()

    out = ok(invoke("--roadmaps", extra, "done", "mine/stanford-cs25"))
    assert "Done: My CS25 notes (mine/stanford-cs25)" in out
    rows = listed(invoke, "--roadmaps", extra)
    assert (rows["mine"]["done"], rows["long"]["done"]) == (1, 0)


# --- show --------------------------------------------------------------------------------------


def test_show_long_lists_steps_in_order_with_status_hours_ref_and_link(invoke: Invoke) -> None:
    out = ok(invoke("show", "long"))
    lines = out.splitlines()
    assert lines[0] == "Long Learning Roadmap  (long)"
    expected = [
        "1. Machine Learning – Builds the foundation for deep learning",
        "   [ ] Andrew Ng’s Machine Learning Course  course · 18–23 h",
        "       long/andrew-ng-machine-learning  https://www.coursera.org/learn/machine-learning",
        "2. Deep Learning – Essential for understanding neural networks",
        "   [ ] Deep Learning Specialization on Coursera  course · 24–30 h",
        "       long/deep-learning-specialization  "
        "https://www.coursera.org/specializations/deep-learning",
        "3. NLP Basics – Covers RNNs, transformers, and attention",
        "   [ ] Stanford CS224N - NLP with Deep Learning  course · 20–25 h",
        "       long/stanford-cs224n  http://web.stanford.edu/class/cs224n/",
        "4. LLM Architecture and Training – Covers large-scale model training and fine-tuning",
        "   [ ] Stanford CS25 - Transformers United  course · 15–19 h",
        "       long/stanford-cs25  https://cs25.github.io/",
        "5. Building LLMs from the Ground Up – A 3-hour coding workshop",
        "   [ ] Workshop Link  workshop · 3 h",
        "       long/llm-workshop  link pending",
        "Done 0/5 (0%) · 80–100 h left of 80–100+ h",
    ]
    assert [line for line in lines if line in expected] == expected


def test_show_follows_the_roadmap_file(invoke: Invoke) -> None:
    out = ok(invoke("show", "long"))
    steps = ROADMAPS["long"]["steps"]
    positions = [out.index(f"\n{n}. {s['title']} – ") for n, s in enumerate(steps, start=1)]
    assert positions == sorted(positions)
    for res in resources_of("long"):
        assert res["title"] in out
        assert f"long/{res['id']}" in out


def test_show_hides_a_placeholder_link(invoke: Invoke) -> None:
    workshop = next(r for r in resources_of("long") if r["id"] == "llm-workshop")
    out = ok(invoke("show", "long"))
    assert "long/llm-workshop  link pending" in out
    assert workshop["url"] not in out
    assert "example.com" not in out


def test_show_marks_done_resources_and_updates_the_footer(invoke: Invoke) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    out = ok(invoke("show", "long"))
    assert "   [x] Stanford CS25 - Transformers United  course · 15–19 h" in out
    assert "   [ ] Stanford CS224N - NLP with Deep Learning  course · 20–25 h" in out
    assert "Done 1/5 (20%) · 65–81 h left of 80–100+ h" in out


@pytest.mark.usefixtures("wide")
def test_show_short_is_a_flat_checklist(invoke: Invoke) -> None:
    out = ok(invoke("show", "short"))
    lines = out.splitlines()
    assert lines[0] == "Shorter Learning Roadmap  (short)"
    assert not [line for line in lines if re.match(r"\d+\. ", line)]
    for res in resources_of("short"):
        assert f"   [ ] {res['title']}  {res['kind']} · " in out
        assert f"       short/{res['id']}  {res['url']}\n" in out
    assert "Done 0/3 (0%) · 2–3 h left of 2–3 h" in out


def test_show_json_has_the_documented_shape(invoke: Invoke) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    data = run_json(invoke, "show", "long", "--json")
    assert data.keys() == LIST_KEYS | {"summary", "note", "steps"}
    assert (data["id"], data["title"]) == ("long", "Long Learning Roadmap")
    assert (data["done"], data["total"], data["percent"]) == (1, 5, 20)
    assert (data["skipped"], data["in_progress"]) == (0, 0)
    steps = ROADMAPS["long"]["steps"]
    assert [step["title"] for step in data["steps"]] == [step["title"] for step in steps]
    for got_step, step in zip(data["steps"], steps, strict=True):
        assert got_step.keys() == STEP_KEYS
        for got, res in zip(got_step["resources"], step["resources"], strict=True):
            assert got.keys() == RESOURCE_KEYS
            assert got["link_pending"] == (res["id"] == "llm-workshop")
            assert (got["id"], got["ref"], got["title"]) == (
                res["id"],
                f"long/{res['id']}",
                res["title"],
            )
            assert got["hours"] == estimate(res)
            is_done = res["id"] == "stanford-cs25"
            assert got["status"] == ("done" if is_done else "pending")
            left = {"low": 0, "high": 0} if is_done else estimate(res)
            assert (got["hours_logged"], got["remaining_hours"], got["notes"]) == (0, left, 0)
            assert got["optional"] is False
            assert got["url"] == (None if res["id"] == "llm-workshop" else res["url"])


def test_show_json_of_a_flat_roadmap_has_one_untitled_step(invoke: Invoke) -> None:
    data = run_json(invoke, "show", "short", "--json")
    assert [step["title"] for step in data["steps"]] == [None]
    got = [res["ref"] for res in data["steps"][0]["resources"]]
    assert got == [f"short/{res['id']}" for res in resources_of("short")]


@pytest.mark.parametrize(
    ("roadmap_id", "expected"),
    [("nosuch", "Roadmaps: long, short."), ("lnog", "Did you mean: long?")],
)
@pytest.mark.parametrize("command", ["show", "remaining"])
def test_an_unknown_roadmap_is_exit_2_with_a_suggestion(
    invoke: Invoke, command: str, roadmap_id: str, expected: str
) -> None:
    stderr = failed(invoke(command, roadmap_id), 2, f"No roadmap with id '{roadmap_id}'.")
    assert expected in stderr


# --- remaining ---------------------------------------------------------------------------------


def test_remaining_shows_hours_left_per_roadmap(invoke: Invoke) -> None:
    out = ok(invoke("remaining"))
    for text in ("Long Learning Roadmap (long)", "0/5", "80–100 h"):
        assert text in line_with(out, "(long)")
    for text in ("Shorter Learning Roadmap (short)", "0/3", "2–3 h"):
        assert text in line_with(out, "(short)")


def test_remaining_long_breaks_the_hours_down_by_step(invoke: Invoke) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    out = ok(invoke("remaining", "long"))
    expected = {
        "1. Machine Learning": "18–23 h",
        "2. Deep Learning": "24–30 h",
        "3. NLP Basics": "20–25 h",
        "4. LLM Architecture and Training": "0 h",
        "5. Building LLMs from the Ground Up": "3 h",
        "Long Learning Roadmap": "65–81 h",
    }
    for title, left in expected.items():
        assert line_with(out, title).rstrip().endswith(left)
    assert "1/1" in line_with(out, "4. LLM Architecture")


def test_remaining_in_a_narrow_terminal_wraps_titles_and_keeps_figures_aligned(
    invoke: Invoke,
) -> None:
    out = ok(invoke("remaining", "long", env={"COLUMNS": "40"}))
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 40
    # A title too long for its column goes on in the next line; the figures stay on the first.
    first = line_with(out, "4. LLM Architecture")
    assert first.rstrip().endswith("15–19 h")
    assert "Training" not in first
    assert lines[lines.index(first) + 1].strip() == "Training"
    # Figures are right-aligned: every line with hours ends in the same column.
    ends = {len(line.rstrip()) for line in lines if line.rstrip().endswith(" h")}
    assert len(ends) == 1


def test_remaining_json_per_roadmap(invoke: Invoke) -> None:
    rows = run_json(invoke, "remaining", "--json")
    assert [row["id"] for row in rows] == list(ROADMAPS)
    for row in rows:
        assert row.keys() == {"id", "title", "remaining_hours", "unestimated", "steps"}
        assert row["title"] == ROADMAPS[row["id"]]["title"]
        assert row["remaining_hours"] == total_hours(resources_of(row["id"]))


def test_remaining_json_of_one_roadmap_has_its_steps(invoke: Invoke) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    data = run_json(invoke, "remaining", "long", "--json")
    assert (data["id"], data["title"]) == ("long", "Long Learning Roadmap")
    assert data["remaining_hours"] == {"low": 65, "high": 81}
    assert all(step.keys() == {"title", "remaining_hours", "unestimated"} for step in data["steps"])
    steps = ROADMAPS["long"]["steps"]
    assert [s["title"] for s in data["steps"]] == [s["title"] for s in steps]
    expected = [
        {"low": 0, "high": 0}
        if step["resources"][0]["id"] == "stanford-cs25"
        else total_hours(step["resources"])
        for step in steps
    ]
    assert [s["remaining_hours"] for s in data["steps"]] == expected


def test_remaining_of_a_flat_roadmap_names_it_once(invoke: Invoke) -> None:
    out = ok(invoke("remaining", "short"))
    assert out.count("Shorter Learning Roadmap") == 1


# --- where and about ---------------------------------------------------------------------------


def test_where_json_names_every_file_in_use(
    invoke: Invoke,
    write_roadmap: WriteRoadmap,
    data_dir: Path,
    progress_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from_env = write_roadmap(MINE, "env.yaml")
    from_flag = write_roadmap(MARKUP, "flag.yaml")
    monkeypatch.setenv("ROADMAP_CLI_ROADMAPS", str(from_env))
    data = run_json(invoke, "--roadmaps", str(from_flag), "where", "--json")
    tmp = data_dir.parent
    assert data == {
        "roadmaps": [
            {"path": str(paths.shipped_roadmaps()), "origin": "shipped"},
            {"path": str(from_env), "origin": "ROADMAP_CLI_ROADMAPS"},
            {"path": str(from_flag), "origin": "--roadmaps"},
        ],
        "roadmaps_folder": str(tmp / "home/.config/roadmap-cli/roadmaps"),
        "data_dir": str(data_dir),
        "progress_file": str(progress_path),
        "lock_file": str(progress_path) + ".lock",
        "focus_file": str(progress_path.parent / "focus.json"),
        # conftest points ROADMAP_CLI_CACHE_DIR at tmp_path/cache, unless the run is cache-free
        "cache_dir": None if os.environ.get("ROADMAP_CLI_NO_CACHE") else str(tmp / "cache"),
        "state_dir": str(tmp / "home/.local/state/roadmap-cli"),
        "environment": {v.name: os.environ.get(v.name) for v in paths.ENVIRONMENT},
    }


@pytest.mark.usefixtures("wide")
def test_where_shows_files_folders_and_what_is_missing(
    invoke: Invoke,
    write_roadmap: WriteRoadmap,
    data_dir: Path,
    progress_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extra = write_roadmap(MINE)
    missing = data_dir.parent / "missing.yaml"
    monkeypatch.setenv("ROADMAP_CLI_ROADMAPS", str(missing))
    out = ok(invoke("--roadmaps", str(extra), "where")).split("\nEnvironment:")[0]
    assert line_with(out, str(paths.shipped_roadmaps())).startswith("roadmaps (shipped): ")
    row = line_with(out, str(missing))
    assert row.startswith("roadmaps (ROADMAP_CLI_ROADMAPS): ")
    assert row.rstrip().endswith("(missing)")
    row = line_with(out, str(extra))
    assert row.startswith("roadmaps (--roadmaps): ")
    assert not row.rstrip().endswith("missing")
    row = line_with(out, str(data_dir.parent / "home/.config/roadmap-cli/roadmaps"))
    assert row.startswith("roadmaps folder: ")
    assert row.rstrip().endswith("(not created yet)")
    row = line_with(out, f"{data_dir} ")
    assert row.startswith("data folder: ")
    assert row.rstrip().endswith("(from ROADMAP_CLI_DATA_DIR)")
    row = line_with(out, f"{progress_path} ")
    assert row.startswith("progress file: ")
    assert row.rstrip().endswith("(not created yet)")
    assert line_with(out, f"{progress_path}.lock").startswith("lock file: ")
    row = line_with(out, str(data_dir / "focus.json"))
    assert row.startswith("focus session: ")
    assert row.rstrip().endswith("(none open)")

    monkeypatch.delenv("ROADMAP_CLI_ROADMAPS")
    ok(invoke("done", "long/stanford-cs25"))
    row = line_with(ok(invoke("where")), "progress file: ")
    assert row.rstrip().endswith(str(progress_path))


def test_where_uses_the_user_data_folder_by_default(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ROADMAP_CLI_DATA_DIR")
    data = run_json(invoke, "where", "--json")
    data_dir = Path(data["data_dir"])
    assert data_dir.name == "roadmap-cli"
    assert data_dir.is_relative_to(tmp_path / "home")
    assert data["progress_file"] == str(data_dir / "progress.json")
    paths_part, environment = ok(invoke("where")).split("\nEnvironment:")
    assert "ROADMAP_CLI_DATA_DIR" not in paths_part
    assert line_with(environment, "ROADMAP_CLI_DATA_DIR").split()[1:] == ["not", "set"]


def test_where_still_works_when_the_files_are_broken(
    invoke: Invoke, write_roadmap: WriteRoadmap, progress_path: Path
) -> None:
    broken = write_roadmap("roadmaps: [", "broken.yaml")
    progress_path.parent.mkdir()
    progress_path.write_text("{bad", encoding="utf-8")
    data = run_json(invoke, "--roadmaps", str(broken), "where", "--json")
    assert data["roadmaps"][-1] == {"path": str(broken), "origin": "--roadmaps"}
    assert data["progress_file"] == str(progress_path)


def test_where_keeps_each_path_on_one_line(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As long as e.g. ~/Library/Application Support/roadmap-cli/progress.json.lock on macOS.
    data_dir = tmp_path / "Application Support For A User" / "roadmap-cli"
    monkeypatch.setenv("ROADMAP_CLI_DATA_DIR", str(data_dir))
    out = ok(invoke("where"))
    for path in (data_dir, data_dir / "progress.json", data_dir / "progress.json.lock"):
        assert str(path) in out


def test_about_shows_the_guide(invoke: Invoke) -> None:
    out = ok(invoke("about"))
    guide = SHIPPED["guide"]
    assert out.splitlines()[0] == guide["title"]
    for paragraph in guide["overview"].split("\n\n"):
        assert words(paragraph) in words(out)
    assert "• Long Learning Roadmap (long), 80–100+ h" in out
    assert "• Shorter Learning Roadmap (short), 2–3 h" in out


# --- extra roadmap files -----------------------------------------------------------------------


def test_roadmaps_option_adds_roadmaps_and_is_repeatable(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    first = write_roadmap(MINE, "first.yaml")
    second = write_roadmap(MARKUP, "second.yaml")
    rows = listed(invoke, "--roadmaps", str(first), "--roadmaps", str(second))
    assert list(rows) == ["long", "short", "mine", "markup"]
    assert rows["mine"]["remaining_hours"] == {"low": 2, "high": 2}
    assert "My CS25 notes" in ok(invoke("--roadmaps", str(first), "show", "mine"))


def test_roadmaps_env_adds_files_separated_by_pathsep(
    invoke: Invoke, write_roadmap: WriteRoadmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write_roadmap(MINE, "first.yaml")
    second = write_roadmap(MARKUP, "second.yaml")
    monkeypatch.setenv("ROADMAP_CLI_ROADMAPS", os.pathsep.join([str(first), "", str(second)]))
    assert list(listed(invoke)) == ["long", "short", "mine", "markup"]


def test_env_files_load_before_option_files(
    invoke: Invoke, write_roadmap: WriteRoadmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_CLI_ROADMAPS", str(write_roadmap(MARKUP, "env.yaml")))
    rows = listed(invoke, "--roadmaps", str(write_roadmap(MINE, "flag.yaml")))
    assert list(rows) == ["long", "short", "markup", "mine"]


@pytest.mark.parametrize("via", ["option", "env"])
def test_a_roadmap_id_defined_twice_names_both_files(
    invoke: Invoke, write_roadmap: WriteRoadmap, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    extra = write_roadmap(MINE.replace("id: mine", "id: long"), "also-long.yaml")
    options = ["--roadmaps", str(extra)] if via == "option" else []
    if via == "env":
        monkeypatch.setenv("ROADMAP_CLI_ROADMAPS", str(extra))
    failed(
        invoke(*options, "list"),
        2,
        str(extra),
        str(paths.shipped_roadmaps()),
        "'long'",
        "already defined",
    )


def test_a_roadmap_id_in_two_extra_files_names_both(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    first = write_roadmap(MINE, "first.yaml")
    second = write_roadmap(MINE, "second.yaml")
    failed(
        invoke("--roadmaps", str(first), "--roadmaps", str(second), "list"),
        2,
        str(first),
        str(second),
        "'mine'",
    )


def test_the_same_file_named_twice_is_loaded_once(
    invoke: Invoke, write_roadmap: WriteRoadmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = write_roadmap(MINE)
    monkeypatch.setenv("ROADMAP_CLI_ROADMAPS", str(extra))
    assert list(listed(invoke, "--roadmaps", str(extra))) == ["long", "short", "mine"]


MINE_LINES = MINE.splitlines(keepends=True)


def broken(line: int, new: str) -> str:
    """MINE with its line `line` (1-based) replaced by `new`."""
    return "".join([*MINE_LINES[: line - 1], new + "\n", *MINE_LINES[line:]])


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        (broken(7, "        url: ftp://notes.test/"), ":7:", "http:// or https://"),
        (broken(8, "        hours: {low: 3, high: 2}"), ":8:", "must not be greater"),
        (broken(8, "        hours: [2"), ":9:", "invalid YAML"),
        (broken(8, "        hours: 2\n        hours: 3"), ":9:", "duplicate key 'hours'"),
        (broken(2, "  - id: My Roadmap"), ":2:", "lowercase id"),
        (broken(3, "    title: !!python/object:os.system x"), ":3:", "tags"),
        ("- just\n- a list\n", ":1:", "mapping"),
    ],
    ids=["url", "hours", "yaml", "duplicate-key", "id", "tag", "top-level"],
)
@pytest.mark.parametrize("command", [["list"], ["done", "long/stanford-cs25"], ["show", "long"]])
def test_a_broken_roadmap_file_is_exit_2_with_file_and_line(
    invoke: Invoke,
    write_roadmap: WriteRoadmap,
    progress_path: Path,
    command: list[str],
    text: str,
    where: str,
    problem: str,
) -> None:
    ok(invoke("done", "long/stanford-cs224n"))
    saved = progress_path.read_bytes()
    extra = write_roadmap(text, "broken.yaml")
    stderr = failed(invoke("--roadmaps", str(extra), *command), 2, f"{extra}{where}", problem)
    assert stderr.count("\n") == 1
    assert progress_path.read_bytes() == saved


def test_a_missing_roadmap_file_is_exit_2(invoke: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    failed(invoke("--roadmaps", str(missing), "list"), 2, f"{missing}: roadmap file not found.")


# --- a progress file we cannot read --------------------------------------------------------------


CORRUPT = [
    pytest.param(b"{bad", "invalid JSON", id="bad-json"),
    pytest.param(b"", "it is empty", id="empty"),
    pytest.param(b"\xff\xfe{}", "not UTF-8", id="not-utf8"),
    pytest.param(b"[1, 2]", "top level", id="a-list"),
    pytest.param(b'{"entries": {}}', "version", id="no-version"),
    pytest.param(
        b'{"version": 1, "entries": {"long/stanford-cs25": '
        b'{"status": "finished", "changed": "2026-01-31T12:00:00Z"}}}',
        "'pending', 'in-progress', 'done' or 'skipped'",
        id="bad-status",
    ),
    pytest.param(b'{"version": 99, "entries": {}}', "newer roadmap-cli", id="newer-version"),
]


@pytest.mark.parametrize(("content", "problem"), CORRUPT)
@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "long"],
        ["remaining"],
        ["done", "long/stanford-cs25"],
        ["reset", "long/stanford-cs25"],
        ["start", "long/stanford-cs25"],
        ["skip", "long/stanford-cs25"],
        ["log", "long/stanford-cs25", "1h"],
        ["note", "long/stanford-cs25", "a note"],
        ["undo"],
        ["next"],
        ["stats"],
        ["plan", "long", "--hours-per-week", "6"],
        ["notes", "long/stanford-cs25"],
    ],
)
def test_an_unreadable_progress_file_is_exit_1_and_left_untouched(
    invoke: Invoke, progress_path: Path, command: list[str], content: bytes, problem: str
) -> None:
    progress_path.parent.mkdir()
    progress_path.write_bytes(content)
    stderr = failed(invoke(*command), 1, str(progress_path), problem)
    assert stderr.startswith("Error: Cannot read the progress file")
    assert stderr.count("\n") == 1
    assert progress_path.read_bytes() == content


def test_a_progress_file_from_a_newer_version_says_to_upgrade(
    invoke: Invoke, progress_path: Path
) -> None:
    progress_path.parent.mkdir()
    progress_path.write_text('{"version": 99, "entries": {}}', encoding="utf-8")
    failed(invoke("list"), 1, "format version 99", "Upgrade roadmap-cli")


def test_control_characters_from_the_progress_file_are_shown_escaped(
    invoke: Invoke, progress_path: Path
) -> None:
    progress_path.parent.mkdir()
    progress_path.write_text(
        '{"version": 1, "entries": {"\\u001b[2J\\u202e": {"status": "x", "changed": "z"}}}',
        encoding="utf-8",
    )
    stderr = failed(invoke("list"), 1, "\\x1b[2J\\u202e")
    assert "\x1b" not in stderr
    assert "\u202e" not in stderr


def test_a_progress_entry_without_time_zone_is_explained_plainly(
    invoke: Invoke, progress_path: Path
) -> None:
    progress_path.parent.mkdir()
    progress_path.write_text(
        '{"version": 1, "entries": {"long/stanford-cs25": '
        '{"status": "done", "changed": "2026-01-31T12:00:00"}}}',
        encoding="utf-8",
    )
    stderr = failed(invoke("list"), 1, "must include a time zone")
    assert "Value error" not in stderr


# --- help and version --------------------------------------------------------------------------


COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"roadmap {name}" not in readme]
    assert missing == []


def test_version(invoke: Invoke) -> None:
    assert ok(invoke("--version")) == f"roadmap-cli {__version__}\n"


def test_help_describes_the_tool_and_lists_every_command(invoke: Invoke) -> None:
    out = ok(invoke("--help"))
    assert "Track your way through a learning roadmap" in out
    for name, command in COMMANDS.items():
        opening = " ".join(command.help.split()[:4])
        assert line_with(out, opening).startswith(f"  {name} ")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(invoke: Invoke, name: str) -> None:
    out = ok(invoke(name, "--help"))
    assert f"Usage: roadmap {name}" in out
    assert words(COMMANDS[name].help.splitlines()[0]) in words(out)


@pytest.mark.parametrize(
    ("name", "usages"),
    [
        ("remaining", {"roadmap remaining [OPTIONS] [ROADMAP]"}),
        ("done", {"roadmap done [OPTIONS] REF..."}),
    ],
)
def test_usage_line_shows_each_argument_once_bracketed(
    invoke: Invoke, name: str, usages: set[str]
) -> None:
    usage = line_with(ok(invoke(name, "--help")), "Usage:")
    assert usage.strip().removeprefix("Usage: ") in usages


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show"], "Error: 'roadmap show' needs a ROADMAP."),
        (["done"], "Error: 'roadmap done' needs at least one REF."),
        (["show", "long", "[red]oops[/red]"], "[red]oops[/red]"),
        (["[bold]nosuch[/bold]"], "There is no command '[bold]nosuch[/bold]'"),
    ],
)
def test_usage_errors_are_exit_2_on_stderr(invoke: Invoke, args: list[str], message: str) -> None:
    failed(invoke(*args), 2, message)


# --- text is data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["list"], MARKUP_TEXTS[:1]),
        (["show", "markup"], MARKUP_TEXTS),
        (["remaining"], MARKUP_TEXTS[:1]),
        (["remaining", "markup"], MARKUP_TEXTS[:2]),
        (["about"], ("[bold]Guide[/bold] of [red]", "[link=file:///etc/passwd]this[/link]")),
        (["done", "tricky"], MARKUP_TEXTS[::2]),
    ],
)
def test_markup_in_a_roadmap_file_is_printed_as_written(
    invoke: Invoke, write_roadmap: WriteRoadmap, command: list[str], expected: tuple[str, ...]
) -> None:
    out = ok(invoke("--roadmaps", str(write_roadmap(MARKUP)), *command))
    for text in expected:
        assert text in out


@pytest.mark.parametrize("env", FORCED_TERMINALS)
def test_markup_cannot_make_a_link_on_a_terminal(
    invoke: Invoke, write_roadmap: WriteRoadmap, env: dict[str, str]
) -> None:
    out = ok(invoke("--roadmaps", str(write_roadmap(MARKUP)), "show", "markup", env=env))
    assert links(out) == {"https://docs.python.org/3/?q=[bold]x[/bold]"}
    plain = ANSI.sub("", out)
    for text in MARKUP_TEXTS:
        assert text in plain


@pytest.mark.parametrize(
    ("yaml_text", "code"),
    [
        ('"evil \\e[2J title"', "U+001B"),
        ('"evil \\x9b2J title"', "U+009B"),
        ('"evil \\u202e title"', "U+202E"),
        ('"evil \\a title"', "U+0007"),
        ('"two\\nlines"', "U+000A"),
    ],
)
def test_a_roadmap_file_cannot_smuggle_control_characters(
    invoke: Invoke, write_roadmap: WriteRoadmap, yaml_text: str, code: str
) -> None:
    extra = write_roadmap(broken(3, f"    title: {yaml_text}"))
    failed(invoke("--roadmaps", str(extra), "list"), 2, f"{extra}:3:", code)


def test_a_url_cannot_smuggle_an_escape_sequence(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    extra = write_roadmap(broken(7, '        url: "https://notes.test/\\e]8;;file:///etc/"'))
    failed(invoke("--roadmaps", str(extra), "show", "mine"), 2, f"{extra}:7:", "url")


@pytest.mark.parametrize("typed", ["[red]nosuch[/red]", "\x1b[2Jnosuch", "a\u202enosuch"])
def test_what_the_user_typed_is_echoed_as_text(invoke: Invoke, typed: str) -> None:
    stderr = failed(invoke("show", typed), 2, "No roadmap with id")
    assert "\x1b" not in stderr
    assert "\u202e" not in stderr
    assert typed.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e") in stderr


# --- colour and terminals ----------------------------------------------------------------------


@pytest.mark.parametrize("env", FORCED_TERMINALS)
def test_a_terminal_gets_colour_and_hyperlinks(invoke: Invoke, env: dict[str, str]) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    out = ok(invoke("show", "long", env=env))
    assert colour_codes(out)
    assert "\x1b[32m[x]" in out
    real = {res["url"] for res in resources_of("long") if res["id"] != "llm-workshop"}
    assert links(out) == real
    assert "example.com" not in out


@pytest.mark.parametrize("env", FORCED_TERMINALS)
@pytest.mark.parametrize("command", [["list"], ["show", "long"], ["remaining", "long"]])
def test_a_terminal_reads_the_same_as_plain_output(
    invoke: Invoke, env: dict[str, str], command: list[str]
) -> None:
    plain = ok(invoke(*command))
    coloured = ok(invoke(*command, env=env))
    assert coloured != plain
    assert ANSI.sub("", coloured) == plain


@pytest.mark.parametrize("env", FORCED_TERMINALS)
@pytest.mark.parametrize("command", [["list"], ["show", "long"], ["done", "stanford-cs25"]])
def test_no_color_means_no_colour_on_a_terminal(
    invoke: Invoke, env: dict[str, str], command: list[str]
) -> None:
    ok(invoke("done", "long/stanford-cs224n"))
    out = ok(invoke(*command, env={**env, "NO_COLOR": "1"}))
    assert colour_codes(out) == set()
    if command[0] != "done":  # done changes nothing the second time, but says so
        assert ANSI.sub("", out) == ok(invoke(*command))


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "long"],
        ["show", "short"],
        ["remaining"],
        ["remaining", "long"],
        ["about"],
        ["where"],
        ["doctor"],
        ["done", "stanford-cs25"],
    ],
)
def test_without_a_terminal_there_are_no_escape_sequences(
    invoke: Invoke, command: list[str]
) -> None:
    assert "\x1b" not in ok(invoke(*command))


def test_errors_carry_no_escape_sequences_without_a_terminal(invoke: Invoke) -> None:
    assert "\x1b" not in failed(invoke("done", "nope"), 2)


# --- narrow terminals --------------------------------------------------------------------------


def test_show_keeps_refs_and_urls_whole_on_a_narrow_terminal(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    out = ok(invoke("show", "long"))
    lines = out.splitlines()
    for res in resources_of("long"):
        ref = f"long/{res['id']}"
        # whole, at the start of a line of its own ("long/llm-workshop  link pending")
        assert [line.split()[0] for line in lines if ref in line] == [ref]
        if res["id"] != "llm-workshop":  # a URL longer than the terminal is whole, on its own
            assert res["url"] in [line.strip() for line in lines]


def test_done_keeps_its_report_whole_on_a_narrow_terminal(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    out = ok(invoke("done", "deep-learning-specialization"))
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert " ".join(out.split()).startswith(
        "Done: Deep Learning Specialization on Coursera (long/deep-learning-specialization)"
    )
    assert "(long/deep-learning-specialization)" in [line.strip() for line in lines]


@pytest.mark.parametrize("columns", ["40", "50"])
def test_list_never_truncates_ids_or_figures(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    ok(invoke("done", "illustrated-transformer"))
    monkeypatch.setenv("COLUMNS", columns)
    out = ok(invoke("list"))
    assert "…" not in out
    for text in ("long", "short", "80–100 h", "80–100+ h", "1.5–2.25 h", "0/5", "1/3"):
        assert text in out


# --- durations as people write them ------------------------------------------------------------


@pytest.mark.parametrize(
    "duration", ["1h30", "1:30", "1h 30m", "90 min", "1.5h", "1.5", "90m", "1h30m", "1.5 hours"]
)
def test_log_reads_durations_as_people_write_them(invoke: Invoke, duration: str) -> None:
    out = ok(invoke("log", "long/stanford-cs25", duration))
    assert "Logged 1.5 h" in out
    steps = run_json(invoke, "show", "long", "--json")["steps"]
    [row] = [r for step in steps for r in step["resources"] if r["ref"] == "long/stanford-cs25"]
    assert row["hours_logged"] == 1.5


@pytest.mark.parametrize("duration", ["-1h", "-1:30", "-2"])
def test_a_negative_duration_needs_no_double_dash(
    invoke: Invoke, progress_path: Path, duration: str
) -> None:
    failed(invoke("log", "long/stanford-cs25", duration), 2, "a duration must be more than zero")
    assert not progress_path.exists()


# --- a bug is not a data error -------------------------------------------------------------------


def test_a_bug_in_the_middle_of_a_change_leaves_progress_as_it_was(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, progress_path: Path
) -> None:
    from roadmap_cli import store

    ok(invoke("done", "long/stanford-cs25"))
    before = progress_path.read_bytes()
    real = store.Changes.set_status

    def broken_after_the_first(self: store.Changes, ref: str, status: Any) -> bool:
        if ref != "long/stanford-cs224n":
            return real(self, ref, status)
        raise ZeroDivisionError("half way")

    monkeypatch.setattr(store.Changes, "set_status", broken_after_the_first)
    result = invoke("done", "short/rlhf-huggingface", "long/stanford-cs224n")

    assert result.exit_code == 3, result.output
    assert "hit a bug (ZeroDivisionError)" in result.stderr
    assert progress_path.read_bytes() == before  # the first REF's change was not saved either


def test_a_bug_is_exit_3_with_one_line_and_the_traceback_in_a_log(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from roadmap_cli import cli

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(cli.tracker, "summaries", broken)
    result = invoke("list")
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: roadmap-cli hit a bug (ZeroDivisionError); the details are in ")
    assert "Traceback" not in result.stderr
    log = Path(line.split("the details are in ")[1].removesuffix(". Please report it."))
    assert log.parent == tmp_path / "home/.local/state/roadmap-cli"  # the user state folder
    text = log.read_text(encoding="utf-8")
    assert f"roadmap-cli {__version__}" in text
    assert "command: roadmap list" in text
    assert "ZeroDivisionError: oops" in text
    assert "Traceback (most recent call last)" in text


# --- resources without an estimate (an import whose source gives none) -----------------------

UNESTIMATED = """\
roadmaps:
  - id: go
    title: Go
    steps:
      - title: Start
        resources:
          - {id: tour, title: Tour of Go, url: 'https://go.test/tour', hours: 3}
          - {id: spec, title: The Spec, url: 'https://go.test/spec'}
      - title: Then
        resources:
          - {id: blog, title: The Blog, url: 'https://go.test/blog'}
"""


def test_what_has_no_estimate_is_said_not_counted_as_nothing_left(
    invoke: Invoke, write_roadmap: WriteRoadmap, wide: None
) -> None:
    extra = str(write_roadmap(UNESTIMATED))
    note = "2 resources left have no estimate: the hours leave them out."

    shown = ok(invoke("--roadmaps", extra, "show", "go"))
    assert "The Spec  other · no estimate" in shown
    assert "Tour of Go  other · 3 h" in shown
    assert "Done 0/3 (0%) · 3+ h left of 3+ h" in shown
    assert note in shown
    listed = ok(invoke("--roadmaps", extra, "list"))
    assert re.search(r"go\s+Go\s+░+\s+0%\s+0/3\s+3\+ h\s+3\+ h", listed), listed
    assert note in listed
    left = ok(invoke("--roadmaps", extra, "remaining", "go"))
    assert re.search(r"1\. Start\s+0/2\s+3\+ h", left)
    assert re.search(r"2\. Then\s+0/1\s+\? h", left)
    assert note in left
    ok(invoke("--roadmaps", extra, "done", "go/tour"))
    plan = ok(invoke("--roadmaps", extra, "plan", "go", "-w", "5"))
    assert "Left: ? h" in plan
    assert note in plan
    assert "Nothing to plan in hours: what is left has no estimate." in plan
    assert "finished" not in plan


def test_a_resource_without_an_estimate_can_be_started_logged_and_exported(
    invoke: Invoke, write_roadmap: WriteRoadmap, wide: None
) -> None:
    extra = str(write_roadmap(UNESTIMATED))

    logged = ok(invoke("--roadmaps", extra, "log", "go/spec", "90m"))
    assert "1.5 h spent · in-progress" in logged  # no "of ..." without an estimate
    upcoming = ok(invoke("--roadmaps", extra, "next"))
    assert "other · no estimate · 1.5 h spent" in upcoming
    assert "left" not in upcoming
    nxt = run_json(invoke, "--roadmaps", extra, "next", "--json")
    assert (nxt["ref"], nxt["hours"], nxt["remaining_hours"]) == ("go/spec", None, None)
    csv_rows = ok(invoke("--roadmaps", extra, "export", "--format", "csv")).splitlines()
    spec = next(row for row in csv_rows if row.startswith("go,go/spec,"))
    assert spec.split(",")[4:9] == ["", "", "1.5", "", ""]
    markdown = ok(invoke("--roadmaps", extra, "export", "--format", "md"))
    assert "— in-progress · no estimate · 1.5 h spent" in markdown
    assert "Done 0/3, 1 in progress (0%) · 3+ h left of 3+ h" in markdown
    listed = run_json(invoke, "--roadmaps", extra, "list", "--json")
    go = next(r for r in listed if r["id"] == "go")
    assert (go["unestimated"], go["remaining_hours"]) == (2, {"low": 3.0, "high": 3.0})
