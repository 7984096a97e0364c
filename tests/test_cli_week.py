"""A learner's week at the command line: start, skip, log, next, plan, stats, undo, notes, open.

Every test runs `roadmap` in-process against the shipped roadmaps (`long`: 80–100 h in five
resources, `short`: 2–3 h in three) with a data folder of its own. Dates are relative to today,
as the commands compute them.
"""

from __future__ import annotations

import json
import math
import re
import shlex
import sys
import webbrowser
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import Result

from roadmap_cli import cli
from tests.conftest import MINE, Invoke, WriteRoadmap, failed, line_with, ok, run_json

Json = dict[str, Any]

ANDREW = "long/andrew-ng-machine-learning"
CS25 = "long/stanford-cs25"
LONG_REFS = [
    ANDREW,
    "long/deep-learning-specialization",
    "long/stanford-cs224n",
    CS25,
    "long/llm-workshop",
]
SHORT_REFS = [
    "short/illustrated-transformer",
    "short/karpathy-llm-training",
    "short/rlhf-huggingface",
]
DAY = re.compile(r"\d{4}-\d{2}-\d{2} ")
KARPATHY_TITLE = "Andrej Karpathy’s Video on LLM Training – LLMs: Training & Fine-Tuning"


@pytest.fixture(autouse=True)
def no_forced_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the environment that makes Rich think it writes to a terminal."""
    for name in ("COLORTERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


# --- helpers -----------------------------------------------------------------------------------


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def listed(invoke: Invoke) -> dict[str, Json]:
    return {row["id"]: row for row in run_json(invoke, "list", "--json")}


def resource(invoke: Invoke, ref: str) -> Json:
    """Return the resource `ref` as `roadmap show ROADMAP --json` gives it."""
    data = run_json(invoke, "show", ref.split("/")[0], "--json")
    found = [res for step in data["steps"] for res in step["resources"] if res["ref"] == ref]
    assert len(found) == 1, ref
    return found[0]


def finish_after(hours: float, per_week: float) -> str:
    """The day someone who starts today finishes `hours` at `per_week` hours a week."""
    return (date.today() + timedelta(days=math.ceil(hours / per_week * 7))).isoformat()


def one_error(result: Result, *expected: str) -> str:
    """Check an input error: exit 2, nothing on stdout, one line on stderr naming `expected`."""
    stderr = failed(result, 2, *expected)
    assert stderr.startswith("Error: ")
    assert stderr.count("\n") == 1
    return stderr


# --- the first session of a new learner ----------------------------------------------------------


def test_a_new_learner_starts_logs_plans_and_undoes(invoke: Invoke, progress_path: Path) -> None:
    before = run_json(invoke, "show", "long", "--json")
    assert listed(invoke)["long"]["remaining_hours"] == {"low": 80, "high": 100}

    ok(invoke("start", ANDREW))
    out = ok(invoke("log", "andrew-ng-machine-learning", "1h30m"))

    assert f"Logged 1.5 h on {date.today().isoformat()}: " in out
    assert listed(invoke)["long"]["remaining_hours"] == {"low": 78.5, "high": 98.5}

    out = ok(invoke("next"))
    assert out.splitlines()[0] == (
        "Continue: Andrew Ng’s Machine Learning Course  (long/andrew-ng-machine-learning)"
    )
    assert "1.5 h spent · 16.5–21.5 h left" in out
    found = run_json(invoke, "next", "--json")
    assert {key: found[key] for key in ("ref", "title", "url", "hours", "status")} == {
        "ref": ANDREW,
        "title": "Andrew Ng’s Machine Learning Course",
        "url": "https://www.coursera.org/learn/machine-learning",
        "hours": {"low": 18, "high": 23},
        "status": "in-progress",
    }
    assert (found["hours_logged"], found["remaining_hours"]) == (1.5, {"low": 16.5, "high": 21.5})

    planned = run_json(invoke, "plan", "long", "--hours-per-week", "6", "--json")
    earliest, latest = finish_after(78.5, 6), finish_after(98.5, 6)
    assert planned["finish"] == {"earliest": earliest, "latest": latest}
    assert (planned["pace"], planned["hours_per_week"]) == ("given", 6)
    assert planned["remaining_hours"] == {"low": 78.5, "high": 98.5}
    finish = line_with(ok(invoke("plan", "long", "--hours-per-week", "6")), "Finish between")
    assert earliest in finish
    assert latest in finish

    today = date.today().isoformat()
    assert ok(invoke("undo")) == f"Undid 1.5 h logged on {today} on {ANDREW}.\n"
    assert ok(invoke("undo")) == f"Undid marking {ANDREW} in progress; it is not started again.\n"
    assert run_json(invoke, "show", "long", "--json") == before

    saved = progress_path.read_bytes()
    assert ok(invoke("undo")) == "Nothing to undo.\n"
    assert progress_path.read_bytes() == saved


def test_undo_reverts_one_command_at_a_time_and_only_real_changes(invoke: Invoke) -> None:
    ok(invoke("done", CS25, "short/rlhf-huggingface"))
    ok(invoke("skip", ANDREW))
    assert "Already skipped" in ok(invoke("skip", ANDREW))  # changes nothing: not undoable

    assert ok(invoke("undo")) == f"Undid marking {ANDREW} skipped; it is not started again.\n"
    assert resource(invoke, CS25)["status"] == "done"
    out = ok(invoke("undo"))
    assert out == (
        f"Undid marking {CS25} and short/rlhf-huggingface done; they are not started again.\n"
    )
    assert [row["done"] for row in listed(invoke).values()] == [0, 0]
    assert ok(invoke("undo")) == "Nothing to undo.\n"


# --- open ----------------------------------------------------------------------------------------


def install_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exit_code: int = 0) -> Path:
    """Make BROWSER a script that records each link it gets; return the file it writes."""
    record = tmp_path / "opened.txt"
    script = tmp_path / "record-browser"
    script.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" >> {shlex.quote(str(record))}\nexit {exit_code}\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    # Only BROWSER: no graphical or console browser to fall back on.
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TERM"):
        monkeypatch.delenv(name, raising=False)
    # webbrowser reads BROWSER once, when first used, and caches what it found.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return record


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="BROWSER is a shell script")


@posix_only
def test_open_hands_the_link_to_the_browser(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = install_browser(tmp_path, monkeypatch)

    out = ok(invoke("open", "long/stanford-cs25"))

    assert out == "Opened https://cs25.github.io/\n"
    # A BROWSER command runs as webbrowser.GenericBrowser, which waits for it to exit: the
    # file is complete by now, no polling needed.
    assert record.read_text(encoding="utf-8") == "https://cs25.github.io/\n"


@posix_only
@pytest.mark.parametrize(
    ("ref", "exit_code", "message"),
    [
        ("long/llm-workshop", 1, "link pending"),
        ("long/nosuch", 2, "No resource 'long/nosuch'."),
    ],
)
def test_open_runs_no_browser_without_a_working_link(
    invoke: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ref: str,
    exit_code: int,
    message: str,
) -> None:
    record = install_browser(tmp_path, monkeypatch)
    failed(invoke("open", ref), exit_code, message)
    assert not record.exists()


@posix_only
def test_open_says_so_when_the_browser_fails(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = install_browser(tmp_path, monkeypatch, exit_code=1)
    failed(
        invoke("open", "long/stanford-cs25"),
        1,
        "No web browser could be started. The link is https://cs25.github.io/",
    )
    assert record.read_text(encoding="utf-8") == "https://cs25.github.io/\n"


# --- statuses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "mark", "status"),
    [
        ("start", "[~]", "in-progress"),
        ("skip", "[-]", "skipped"),
        ("done", "[x]", "done"),
        ("reset", "[ ]", "pending"),
    ],
)
def test_each_status_has_its_own_mark(invoke: Invoke, command: str, mark: str, status: str) -> None:
    if command == "reset":
        ok(invoke("done", "short/karpathy-llm-training"))
    ok(invoke(command, "short/karpathy-llm-training"))

    out = ok(invoke("show", "short"))

    assert line_with(out, KARPATHY_TITLE).startswith(f"   {mark} {KARPATHY_TITLE}  video · ")
    for title in ("Jay Alammar’s Illustrated Transformers", "Illustrating Reinforcement"):
        assert line_with(out, title).startswith("   [ ] ")
    assert resource(invoke, "short/karpathy-llm-training")["status"] == status


def test_skipped_counts_as_finished_with_no_hours_left(invoke: Invoke) -> None:
    out = ok(invoke("skip", "short/illustrated-transformer"))
    assert "Skipped: Jay Alammar’s Illustrated Transformers (short/illustrated-transformer)" in out
    row = listed(invoke)["short"]
    assert (row["done"], row["skipped"], row["percent"]) == (0, 1, 33)
    assert row["remaining_hours"] == {"low": 1.5, "high": 2.25}
    show = ok(invoke("show", "short"))
    assert line_with(show, "Jay Alammar").endswith(" · skipped")
    assert "Done 0/3, 1 skipped (33%) · 1.5–2.25 h left of 2–3 h" in show

    ok(invoke("done", "short/rlhf-huggingface"))

    row = listed(invoke)["short"]
    assert (row["done"], row["skipped"], row["percent"]) == (1, 1, 66)
    assert row["remaining_hours"] == {"low": 1, "high": 1.5}


def test_time_logged_is_shown_and_taken_off_what_is_left(invoke: Invoke) -> None:
    ok(invoke("start", "short/karpathy-llm-training"))
    ok(invoke("log", "short/karpathy-llm-training", "45m"))

    shown = ok(invoke("show", "short", env={"COLUMNS": "120"}))
    assert line_with(shown, KARPATHY_TITLE).startswith(
        f"   [~] {KARPATHY_TITLE}  video · 1–1.5 h · 0.75 h spent"
    )
    got = resource(invoke, "short/karpathy-llm-training")
    assert (got["hours_logged"], got["remaining_hours"]) == (0.75, {"low": 0.25, "high": 0.75})
    row = listed(invoke)["short"]
    assert (row["in_progress"], row["remaining_hours"]) == (1, {"low": 1.25, "high": 2.25})


def test_more_time_than_the_estimate_leaves_nothing_never_less(invoke: Invoke) -> None:
    out = ok(invoke("log", "short/illustrated-transformer", "2h"))
    assert "2 h spent of 0.5–0.75 h · in-progress" in out

    got = resource(invoke, "short/illustrated-transformer")
    assert (got["status"], got["remaining_hours"]) == ("in-progress", {"low": 0, "high": 0})
    assert listed(invoke)["short"]["remaining_hours"] == {"low": 1.5, "high": 2.25}
    assert "1.5–2.25 h left of 2–3 h" in ok(invoke("show", "short"))


# --- log -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["abc"], ["'abc' is not a duration", "1h30m"]),
        (["0"], ["'0'", "more than zero"]),
        (["--", "-1h"], ["'-1h'", "duration"]),
        (["25h"], ["'25h' is more than 24 hours"]),
        (["1h", "--date", "{tomorrow}"], ["{tomorrow} is in the future"]),
        (["1h", "--date", "2026-02-30"], ["'2026-02-30' is not a day of the calendar"]),
    ],
    ids=["words", "zero", "negative", "over-a-day", "future", "no-such-day"],
)
def test_log_refuses_bad_input_and_changes_nothing(
    invoke: Invoke, progress_path: Path, args: list[str], expected: list[str]
) -> None:
    ok(invoke("start", "long/stanford-cs224n"))
    saved = progress_path.read_bytes()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()

    one_error(
        invoke("log", CS25, *(arg.format(tomorrow=tomorrow) for arg in args)),
        *(text.format(tomorrow=tomorrow) for text in expected),
    )

    assert progress_path.read_bytes() == saved


@pytest.mark.parametrize("duration", ["0.00001", "0.0001m"])
def test_log_refuses_a_duration_too_short_to_record(
    invoke: Invoke, progress_path: Path, duration: str
) -> None:
    ok(invoke("start", "long/stanford-cs224n"))
    saved = progress_path.read_bytes()
    one_error(invoke("log", CS25, duration), f"'{duration}'")
    assert progress_path.read_bytes() == saved


def test_log_refuses_more_than_a_day_on_one_day(invoke: Invoke, progress_path: Path) -> None:
    ok(invoke("log", CS25, "20h", "--date", days_ago(1).isoformat()))
    saved = progress_path.read_bytes()
    one_error(invoke("log", "long/stanford-cs224n", "5h", "--date", days_ago(1).isoformat()))
    assert progress_path.read_bytes() == saved


def test_log_with_a_past_date_counts_in_that_week(invoke: Invoke) -> None:
    day = days_ago(10)

    out = ok(invoke("log", CS25, "2h", "--date", day.isoformat()))

    assert out.startswith(f"Logged 2 h on {day.isoformat()}: Stanford CS25")
    weeks = run_json(invoke, "stats", "--json")["weeks"]
    assert {w["start"]: w["hours"] for w in weeks if w["hours"]} == {monday_of(day).isoformat(): 2}


# --- plan ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["lnog", "-w", "6"], ["No roadmap with id 'lnog'.", "Did you mean: long?"]),
        (["long", "--hours-per-week", "0"], ["--hours-per-week", "at least 0.1"]),
        (["long", "--hours-per-week", "200"], ["--hours-per-week", "168 hours"]),
        (["long"], ["--hours-per-week", "last four weeks"]),
        (["long", "--by", "{yesterday}"], ["--by {yesterday} is not in the future."]),
        (["long", "--by", "{today}"], ["--by {today} is not in the future."]),
        (["long", "--by", "soon"], ["--by 'soon' is not a date", "YYYY-MM-DD"]),
    ],
    ids=["unknown", "zero-pace", "too-fast", "no-pace", "past", "today", "not-a-date"],
)
@pytest.mark.parametrize("as_json", [[], ["--json"]], ids=["text", "json"])
def test_plan_refuses_what_it_cannot_plan(
    invoke: Invoke, args: list[str], expected: list[str], as_json: list[str]
) -> None:
    days = {"today": date.today().isoformat(), "yesterday": days_ago(1).isoformat()}
    one_error(
        invoke("plan", *(arg.format(**days) for arg in args), *as_json),
        *(text.format(**days) for text in expected),
    )


def test_plan_by_a_date_gives_the_hours_per_week_needed(invoke: Invoke) -> None:
    by = (date.today() + timedelta(days=70)).isoformat()

    data = run_json(invoke, "plan", "long", "--by", by, "--json")

    assert data["by"] == {"date": by, "hours_per_week": {"low": 8, "high": 10}, "possible": True}
    assert (data["pace"], data["hours_per_week"], data["finish"]) == (None, None, None)
    assert f"To finish by {date.fromisoformat(by):%a} {by}: 8–10 h/week" in ok(
        invoke("plan", "long", "--by", by)
    )


def test_plan_uses_the_pace_of_the_last_four_weeks(invoke: Invoke) -> None:
    ok(invoke("log", "short/karpathy-llm-training", "3h"))
    ok(invoke("log", "short/rlhf-huggingface", "5h", "--date", days_ago(27).isoformat()))
    ok(invoke("log", "short/illustrated-transformer", "20h", "--date", days_ago(28).isoformat()))

    data = run_json(invoke, "plan", "long", "--json")

    assert (data["pace"], data["hours_per_week"]) == ("logged", 2)
    assert data["finish"] == {"earliest": finish_after(80, 2), "latest": finish_after(100, 2)}
    out = ok(invoke("plan", "long"))
    assert "At 2 h/week (your pace over the last four weeks of logged time):" in out


def test_plan_without_recent_time_asks_for_a_pace(invoke: Invoke) -> None:
    ok(invoke("log", "short/illustrated-transformer", "20h", "--date", days_ago(28).isoformat()))
    one_error(invoke("plan", "long"), "--hours-per-week")


def test_plan_calibrates_with_the_time_finished_resources_took(invoke: Invoke) -> None:
    # 1.3 × the middle of its 1–1.5 h estimate.
    ok(invoke("log", "short/karpathy-llm-training", "1.625"))
    ok(invoke("done", "short/karpathy-llm-training"))

    data = run_json(invoke, "plan", "long", "--hours-per-week", "6", "--json")

    assert data["calibration"]["ratio"] == 1.3
    assert data["calibration"]["resources"] == 1
    assert data["calibration"]["remaining_hours"] == {"low": 104, "high": 130}
    out = ok(invoke("plan", "long", "--hours-per-week", "6"))
    assert "You take 1.30× the estimate (from 1 finished resource with time logged)" in out


def test_plan_of_a_finished_roadmap_needs_no_pace(invoke: Invoke) -> None:
    ok(invoke("done", *SHORT_REFS))
    assert "Nothing left to plan" in ok(invoke("plan", "short"))


def test_plan_at_a_pace_too_slow_for_the_calendar_is_an_input_error(invoke: Invoke) -> None:
    one_error(invoke("plan", "long", "--hours-per-week", "0.0001"), "--hours-per-week")


def test_plan_by_a_date_too_close_says_it_cannot_be_done(invoke: Invoke) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = invoke("plan", "long", "--by", tomorrow)
    assert "168" in result.output, result.output


# --- notes ---------------------------------------------------------------------------------------


def test_a_note_is_kept_shown_and_undone(invoke: Invoke) -> None:
    started = datetime.now().astimezone()
    out = ok(invoke("note", CS25, "lecture 8 is the key one"))
    assert out == (
        "Noted on Stanford CS25 - Transformers United (long/stanford-cs25); 1 note in all.\n"
    )

    assert "  lecture 8 is the key one\n" in ok(invoke("notes", CS25))
    data = run_json(invoke, "notes", "stanford-cs25", "--json")
    assert data["ref"] == CS25
    assert [note["text"] for note in data["notes"]] == ["lecture 8 is the key one"]
    added = datetime.fromisoformat(data["notes"][0]["added"])
    assert started - timedelta(seconds=1) <= added <= datetime.now().astimezone()
    assert line_with(ok(invoke("show", "long")), "Stanford CS25").endswith(" · 1 note")
    assert resource(invoke, CS25)["notes"] == 1

    assert ok(invoke("undo")) == f"Undid the note added to {CS25}: “lecture 8 is the key one”\n"

    assert run_json(invoke, "notes", CS25, "--json") == {"ref": CS25, "notes": []}
    assert "No notes yet." in ok(invoke("notes", CS25))
    assert "note" not in line_with(ok(invoke("show", "long")), "Stanford CS25")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("bad \x1b[2J", "U+001B"), ("a\u202eb", "U+202E"), ("   ", "must not be empty")],
    ids=["escape", "bidi", "blank"],
)
def test_a_note_with_control_characters_or_no_text_is_refused(
    invoke: Invoke, progress_path: Path, text: str, expected: str
) -> None:
    ok(invoke("note", CS25, "first"))
    saved = progress_path.read_bytes()
    stderr = one_error(invoke("note", CS25, text), expected)
    assert "\x1b" not in stderr
    assert progress_path.read_bytes() == saved


# --- next ----------------------------------------------------------------------------------------


def test_next_when_everything_is_finished(invoke: Invoke) -> None:
    ok(invoke("skip", *LONG_REFS[:3]))
    ok(invoke("done", *LONG_REFS[3:], *SHORT_REFS))

    assert ok(invoke("next")) == "Every roadmap is done (or skipped). Well done!\n"
    assert ok(invoke("next", "--json")) == "null\n"


def test_next_names_the_first_resource_not_started(invoke: Invoke) -> None:
    out = ok(invoke("next"))
    assert out.splitlines() == [
        f"Next: Andrew Ng’s Machine Learning Course  ({ANDREW})",
        "  Long Learning Roadmap › Machine Learning",
        "  course · 18–23 h",
        "  https://www.coursera.org/learn/machine-learning",
    ]


def test_next_prefers_what_is_in_progress_and_can_keep_to_one_roadmap(invoke: Invoke) -> None:
    ok(invoke("start", CS25))

    assert ok(invoke("next")).startswith(f"Continue: Stanford CS25 - Transformers United  ({CS25})")
    assert run_json(invoke, "next", "long", "--json")["ref"] == CS25
    found = run_json(invoke, "next", "short", "--json")
    assert (found["ref"], found["status"]) == ("short/illustrated-transformer", "pending")
    assert ok(invoke("next", "short")).startswith("Next: Jay Alammar’s Illustrated Transformers")


def test_next_skips_what_is_done_or_skipped(invoke: Invoke) -> None:
    ok(invoke("done", ANDREW))
    ok(invoke("skip", "long/deep-learning-specialization"))
    assert run_json(invoke, "next", "long", "--json")["ref"] == "long/stanford-cs224n"


def test_next_of_one_finished_roadmap_does_not_claim_everything_is_done(invoke: Invoke) -> None:
    ok(invoke("done", *SHORT_REFS))
    out = ok(invoke("next", "short"))
    assert "Everything is done" not in out
    assert "Shorter Learning Roadmap" in out


def test_next_of_an_unknown_roadmap_is_exit_2(invoke: Invoke) -> None:
    one_error(invoke("next", "shrot"), "No roadmap with id 'shrot'.", "Did you mean: short?")


# --- stats ---------------------------------------------------------------------------------------


def test_stats_charts_weeks_streak_and_totals(invoke: Invoke) -> None:
    logs = [(CS25, 3.0, 20), (CS25, 2.0, 2), (CS25, 1.0, 1), ("short/rlhf-huggingface", 0.5, 0)]
    for ref, hours, ago in logs:
        ok(invoke("log", ref, str(hours), "--date", days_ago(ago).isoformat()))
    ok(invoke("done", "short/rlhf-huggingface"))
    ok(invoke("note", CS25, "keep going"))

    data = run_json(invoke, "stats", "--json")

    this_week = monday_of(date.today())
    starts = [this_week - timedelta(weeks=n) for n in range(7, -1, -1)]
    hours = dict.fromkeys(starts, 0.0)
    for _, spent, ago in logs:
        hours[monday_of(days_ago(ago))] += spent
    assert data["weeks"] == [
        {"start": s.isoformat(), "hours": hours[s], "completed": int(s == this_week)}
        for s in starts
    ]
    assert (data["streak_days"], data["active_days"]) == (3, 4)
    assert data["totals"] == {
        "hours_logged": 6.5,
        "done": 1,
        "skipped": 0,
        "in_progress": 1,
        "notes": 1,
    }
    out = ok(invoke("stats"))
    assert "Streak: 3 days · 4 active days in all" in out
    assert "Totals: 6.5 h logged · 1 done · 0 skipped · 1 in progress · 1 note" in out
    assert line_with(out, this_week.isoformat()).rstrip().endswith("1")


def test_stats_weeks_option_sets_how_many_weeks(invoke: Invoke) -> None:
    weeks = run_json(invoke, "stats", "--weeks", "3", "--json")["weeks"]
    this_week = monday_of(date.today())
    assert [w["start"] for w in weeks] == [
        (this_week - timedelta(weeks=n)).isoformat() for n in (2, 1, 0)
    ]
    rows = [line for line in ok(invoke("stats", "--weeks", "3")).splitlines() if DAY.match(line)]
    assert [row.split()[0] for row in rows] == [w["start"] for w in weeks]


def test_stats_before_anything_happened(invoke: Invoke) -> None:
    data = run_json(invoke, "stats", "--json")
    assert [w["hours"] for w in data["weeks"]] == [0] * 8
    assert (data["streak_days"], data["active_days"]) == (0, 0)
    assert "Streak: 0 days" in ok(invoke("stats"))


@pytest.mark.parametrize("weeks", ["0", "105", "x"])
def test_stats_refuses_a_bad_number_of_weeks(invoke: Invoke, weeks: str) -> None:
    failed(invoke("stats", "--weeks", weeks), 2, "--weeks")


# --- completion ----------------------------------------------------------------------------------


def completion_context(*roadmaps: Path) -> typer.Context:
    """The context a TAB press gives: the root's params hold what --roadmaps parsed to."""
    ctx = typer.Context(typer.main.get_command(cli.app), info_name="roadmap")
    ctx.params["roadmaps"] = list(roadmaps) if roadmaps else None
    return ctx


@pytest.mark.parametrize(
    ("incomplete", "expected"), [("", ["long", "short"]), ("s", ["short"]), ("x", [])]
)
def test_roadmap_completion_offers_the_roadmap_ids(incomplete: str, expected: list[str]) -> None:
    assert cli.complete_roadmap(completion_context(), incomplete) == expected


@pytest.mark.parametrize(
    ("incomplete", "expected"),
    [
        # each resource once: its bare id, which is unique among the shipped roadmaps
        ("", [ref.split("/")[1] for ref in LONG_REFS + SHORT_REFS]),
        ("lo", LONG_REFS),
        ("short/k", ["short/karpathy-llm-training"]),
        ("stanford", ["stanford-cs224n", "stanford-cs25"]),  # a bare id is a REF too
        ("nope", []),
    ],
)
def test_ref_completion_offers_the_refs(incomplete: str, expected: list[str]) -> None:
    assert cli.complete_ref(completion_context(), incomplete) == expected


def test_completion_includes_a_roadmap_file_given_with_roadmaps(
    write_roadmap: WriteRoadmap,
) -> None:
    ctx = completion_context(write_roadmap(MINE))
    assert cli.complete_roadmap(ctx, "") == ["long", "short", "mine"]
    assert cli.complete_ref(ctx, "m") == ["mine/stanford-cs25"]


def test_completion_with_a_broken_roadmap_file_neither_fails_nor_prints(
    write_roadmap: WriteRoadmap, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = completion_context(write_roadmap("roadmaps: [", "broken.yaml"))
    # The broken file is left out; the shipped roadmaps are still offered.
    assert cli.complete_ref(ctx, "") == [ref.split("/")[1] for ref in LONG_REFS + SHORT_REFS]
    assert cli.complete_roadmap(ctx, "") == ["long", "short"]
    assert capsys.readouterr() == ("", "")


# --- JSON ----------------------------------------------------------------------------------------


JSON_COMMANDS = [
    ["list"],
    ["show", "long"],
    ["remaining"],
    ["remaining", "long"],
    ["next"],
    ["next", "short"],
    ["plan", "long", "--hours-per-week", "6"],
    ["plan", "long"],
    ["stats"],
    ["stats", "short", "--weeks", "3"],
    ["notes", "long/stanford-cs25"],
    ["where"],
    ["doctor"],
    ["about"],
]


@pytest.mark.parametrize(
    "env", [{}, {"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}], ids=["pipe", "FORCE_COLOR", "TTY"]
)
@pytest.mark.parametrize("command", JSON_COMMANDS, ids=" ".join)
def test_json_output_is_json_and_nothing_else(
    invoke: Invoke, command: list[str], env: dict[str, str]
) -> None:
    ok(invoke("log", CS25, "1h"))
    ok(invoke("note", CS25, "a [bold]note[/bold]"))

    out = ok(invoke(*command, "--json", env=env))

    json.loads(out)
    assert "\x1b" not in out
    assert out.endswith("}\n") or out.endswith("]\n")
