"""roadmap plan --ics: the week-by-week schedule as calendar events, per RFC 5545."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from roadmap_cli import ics
from roadmap_cli.planning import WeekPlan
from roadmap_cli.progress import HourRange
from tests.conftest import Invoke, WriteRoadmap, failed, ok

ROADMAP = """\
roadmaps:
  - id: cal
    title: Calendar Test
    resources:
      - {id: alpha, title: "Alpha, the first; part 1", url: "https://learn.test/alpha", hours: 3}
      - {id: beta, title: Beta, url: "https://learn.test/beta", hours: {low: 4, high: 6}}
      - {id: gamma, title: Gamma, url: "https://learn.test/gamma", hours: 2}
"""
PLAN = ["plan", "cal", "-w", "4", "--days", "mon,wed,sat", "--session", "90m"]


@pytest.fixture
def cal(write_roadmap: WriteRoadmap, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_roadmap(ROADMAP, "cal.yaml")
    monkeypatch.setenv("ROADMAP_CLI_ROADMAPS", str(path))
    monkeypatch.setenv("TZ", "Europe/Paris")
    return path


def events(text: str) -> list[Any]:
    calendar = Calendar.from_ical(text)
    found = list(calendar.walk("VEVENT"))
    return sorted(found, key=lambda e: e.decoded("dtstart"))


def minutes(event: Any) -> int:
    return int((event.decoded("dtend") - event.decoded("dtstart")).total_seconds() // 60)


def ref_of(event: Any) -> str:
    return str(event["description"]).splitlines()[0]


def week_dates(week: int, days: tuple[int, ...] = (0, 2, 5)) -> list[date]:
    """The days of a week of sessions at 19:00 in Paris: from today, or from tomorrow once
    today's 19:00 has passed (no session is laid in the past)."""
    now = datetime.now(ZoneInfo("Europe/Paris"))
    first = now.date() + timedelta(days=1 if now.time() >= time(19) else 0)
    start = first + timedelta(weeks=week - 1)
    return [d for d in (start + timedelta(days=n) for n in range(7)) if d.weekday() in days]


def test_the_calendar_holds_exactly_the_sessions_the_schedule_implies(
    invoke: Invoke, cal: Path
) -> None:
    found = events(ok(invoke(*PLAN, "--ics", "-")))
    # 4 h a week in sessions of 90 min on Monday, Wednesday and Saturday: 90 + 90 + 60 min.
    # Week 1: alpha 3 h, then beta 1 h; week 2: beta 4 h; week 3: gamma 2 h.
    slots = {
        week: [datetime.combine(d, datetime.min.time()).replace(hour=19) for d in week_dates(week)]
        for week in (1, 2, 3)
    }
    expected = [
        ("cal/alpha", slots[1][0], 90),
        ("cal/alpha", slots[1][1], 90),
        ("cal/beta", slots[1][2], 60),
        ("cal/beta", slots[2][0], 90),
        ("cal/beta", slots[2][1], 90),
        ("cal/beta", slots[2][2], 60),
        ("cal/gamma", slots[3][0], 90),
        ("cal/gamma", slots[3][1], 30),
    ]
    got = [(ref_of(e), e.decoded("dtstart").replace(tzinfo=None), minutes(e)) for e in found]
    assert got == expected
    first = found[0]
    assert str(first["summary"]) == "Alpha, the first; part 1"
    assert str(first["url"]) == "https://learn.test/alpha"
    description = str(first["description"])
    assert "https://learn.test/alpha" in description
    assert "Hours left: about 3 h before this session (3 h left when planned)." in description
    assert "roadmap focus cal/alpha --minutes 90" in description
    assert "Hours left: about 1.5 h" in str(found[1]["description"])


def test_each_week_gives_each_resource_the_hours_of_the_schedule(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    args = ["plan", "long", "-w", "6", "--days", "tue,thu,sat,sun", "--session", "50m"]
    plan = json.loads(ok(invoke(*args[:4], "--json")))
    found = events(ok(invoke(*args, "--ics", "-")))
    got: dict[tuple[int, str], int] = defaultdict(int)
    for event in found:
        start = event.decoded("dtstart").date()
        week = (start - date.today()).days // 7 + 1
        got[week, ref_of(event)] += minutes(event)
        assert start.weekday() in (1, 3, 5, 6)
    wanted = {
        (week["week"], item["ref"]): item["hours"] * 60
        for week in plan["weeks"]
        for item in week["resources"]
    }
    assert set(got) == set(wanted)
    for key, value in wanted.items():
        assert abs(got[key] - value) <= 1.5, key  # the JSON rounds to 0.01 h, events to 1 min
    for week in plan["weeks"]:
        sessions = [
            e
            for e in found
            if (e.decoded("dtstart").date() - date.today()).days // 7 == week["week"] - 1
        ]
        assert sum(minutes(e) for e in sessions) == round(week["hours"] * 60)


def test_the_default_session_shares_the_week_between_its_days(invoke: Invoke, cal: Path) -> None:
    found = events(ok(invoke("plan", "cal", "-w", "6", "--ics", "-")))
    # 6 h a week on mon,wed,sat (the default days) at 19:00 (the default time): 2 h each,
    # alpha's 3 h in the first session and half the second, beta in the rest of it.
    assert [(ref_of(e), minutes(e)) for e in found[:4]] == [
        ("cal/alpha", 120),
        ("cal/alpha", 60),
        ("cal/beta", 60),
        ("cal/beta", 120),
    ]
    assert found[2].decoded("dtstart") == found[1].decoded("dtend")
    by_day: dict[date, list[Any]] = defaultdict(list)
    for event in found:
        by_day[event.decoded("dtstart").date()].append(event)
    for day, held in by_day.items():
        assert day.weekday() in (0, 2, 5)
        assert held[0].decoded("dtstart").strftime("%H:%M") == "19:00"
        assert sum(minutes(e) for e in held) <= 120


def test_uids_are_stable_and_follow_the_sessions_that_moved(invoke: Invoke, cal: Path) -> None:
    first = ok(invoke(*PLAN, "--ics", "-"))
    again = ok(invoke(*PLAN, "--ics", "-"))
    before = {str(e["uid"]): e for e in events(first)}
    assert list(before) == [str(e["uid"]) for e in events(again)]
    assert len(before) == 8  # one UID per event
    # Every export's SEQUENCE is at least the last one's: calendars take the newer times.
    sequences = [int(e["sequence"]) for e in events(first)]
    assert len(set(sequences)) == 1
    assert sequences[0] > 0
    assert min(int(e["sequence"]) for e in events(again)) >= sequences[0]
    ok(invoke("log", "cal/alpha", "1h"))
    after = {str(e["uid"]): e for e in events(ok(invoke(*PLAN, "--ics", "-")))}
    # Alpha has 2 h left: its two events stay (the second shorter); each later session keeps
    # the UID of the same resource's same session, moved: a calendar updates it in place.
    moved = 0
    for uid, event in after.items():
        if uid in before:
            assert ref_of(event) == ref_of(before[uid])
            moved += event.decoded("dtstart") != before[uid].decoded("dtstart")
    assert moved > 0
    by_ref: dict[str, list[str]] = defaultdict(list)
    for uid, event in before.items():
        by_ref[ref_of(event)].append(uid)
    for ref, uids in by_ref.items():
        kept = [uid for uid, event in after.items() if ref_of(event) == ref]
        assert kept == uids[: len(kept)]  # the first N sessions of a resource, same UIDs
    unchanged = [
        uid
        for uid, event in after.items()
        if uid in before
        and (event.decoded("dtstart"), minutes(event))
        == (before[uid].decoded("dtstart"), minutes(before[uid]))
    ]
    assert unchanged  # the first of alpha's sessions did not change at all
    assert ics.uid("cal", "cal/alpha", 1) in unchanged


def test_times_carry_the_local_zone_and_its_rules(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    text = ok(invoke("plan", "long", "-w", "2", "--at", "7:30", "--ics", "-"))
    assert "DTSTART;TZID=America/New_York:" in text
    calendar = Calendar.from_ical(text)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/New_York"
    starts = [e.decoded("dtstart") for e in calendar.walk("VEVENT")]
    assert {s.strftime("%H:%M") for s in starts} >= {"07:30"}
    assert all(str(s.tzinfo) == "America/New_York" for s in starts)
    # 45 weeks of sessions cross a change of clocks: 7:30 stays 7:30, the offset changes.
    assert max(starts) - min(starts) > timedelta(weeks=40)
    assert {s.utcoffset() for s in starts} == {timedelta(hours=-5), timedelta(hours=-4)}


def test_a_zone_is_found_from_tz_in_every_form(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, key in [
        ("Europe/Paris", "Europe/Paris"),
        (":Asia/Tokyo", "Asia/Tokyo"),
        ("/usr/share/zoneinfo/America/Sao_Paulo", "America/Sao_Paulo"),
    ]:
        monkeypatch.setenv("TZ", value)
        assert str(ics.local_zone()) == key
    monkeypatch.setenv("TZ", "Not/AZone")
    assert ics.local_zone() is not None  # /etc/localtime, or UTC: never a failure


def test_ics_dash_prints_the_calendar_alone_on_stdout(cal: Path, tmp_path: Path) -> None:
    done = subprocess.run(  # a real process, read as bytes: the CRLF line ends as written
        [sys.executable, "-m", "roadmap_cli", *PLAN, "--ics", "-"],
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    out = done.stdout.decode("utf-8")
    assert out.startswith("BEGIN:VCALENDAR\r\n")
    assert out.endswith("END:VCALENDAR\r\n")
    lines = out.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)  # folded per RFC 5545
    assert "\n" not in "".join(lines)


def test_a_file_is_written_whole_and_never_replaced_without_force(
    invoke: Invoke, cal: Path, tmp_path: Path
) -> None:
    target = tmp_path / "study.ics"
    out = ok(invoke(*PLAN, "--ics", str(target)))
    assert f"Wrote {target}" in " ".join(out.split())
    assert "8 study sessions from " in out
    assert "(Europe/Paris)" in out
    written = target.read_bytes()
    assert len(events(written.decode())) == 8
    failed(invoke(*PLAN, "--ics", str(target)), 2, "already exists", "--force", "or --ics another")
    assert target.read_bytes() == written
    ok(invoke("log", "cal/alpha", "1h"))
    ok(invoke(*PLAN, "--ics", str(target), "--force"))
    assert target.read_bytes() != written


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--ics", "-", "--days", "funday"],
            "Error: --days takes days of the week separated by commas such as mon,wed,sat, "
            "not 'funday'. Run 'roadmap plan --help' for its usage.",
        ),
        (["--ics", "-", "--days", "mon,,sat"], "not 'mon,,sat'"),
        (
            ["--ics", "-", "--at", "25:00"],
            "Error: --at takes a time of day on the 24-hour clock such as 19:00 or 7:30, "
            "not '25:00'.",
        ),
        (["--ics", "-", "--at", "7pm"], "not '7pm'"),
        (["--ics", "-", "--session", "lots"], "--session 'lots' is not a duration"),
        (["--ics", "-", "--session", "0m"], "must be more than zero"),
        (["--days", "mon"], "Error: --days goes with --ics FILE, which was not given."),
        (["--at", "19:00"], "--at goes with --ics FILE"),
        (["--force"], "--force goes with --ics FILE"),
        (["--ics", "-", "--json"], "--ics and --json each choose the output: give one."),
        (["--ics", "plan.txt"], "--ics plan.txt: the file name must end in .ics"),
        (["--ics", "."], ". is a folder; --ics takes the name of a file ending in .ics."),
        (
            ["--ics", "-", "-w", "40", "--days", "sat", "--at", "20:00", "--session", "3h"],
            "would run past midnight",
        ),
    ],
)
def test_bad_calendar_options_are_refused_in_one_voice(
    invoke: Invoke, cal: Path, tmp_path: Path, args: list[str], expected: str
) -> None:
    err = failed(invoke(*PLAN[:4], *args), 2, expected)
    assert err.startswith("Error: ")
    assert err.count("\n") == 1
    assert list(tmp_path.glob("*.ics")) == []


def test_a_finished_roadmap_has_no_calendar(invoke: Invoke, cal: Path, tmp_path: Path) -> None:
    ok(invoke("done", "cal/alpha", "cal/beta", "cal/gamma"))
    failed(invoke(*PLAN, "--ics", str(tmp_path / "x.ics")), 2, "Nothing left to plan")
    assert not (tmp_path / "x.ics").exists()


def test_the_calendar_is_valid_for_an_independent_strict_parser(
    invoke: Invoke, cal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `ical` (a separate RFC 5545 implementation with its own strict parser and models).
    calendar_stream = pytest.importorskip("ical.calendar_stream")
    for zone in ("Europe/Paris", "UTC"):
        monkeypatch.setenv("TZ", zone)
        text = ok(invoke("plan", "long", "-w", "6", "--session", "90m", "--ics", "-"))
        parsed = calendar_stream.IcsCalendarStream.calendar_from_ics(text)
        mine = events(text)
        assert len(parsed.events) == len(mine)
        assert [e.uid for e in parsed.events] == [str(e["uid"]) for e in mine]
        assert parsed.events[0].dtstart == mine[0].decoded("dtstart")
        assert parsed.events[0].summary == str(mine[0]["summary"])


def test_only_plan_ics_imports_icalendar_and_focus_is_imported_by_focus_alone(
    tmp_path: Path,
) -> None:
    for args in (["list"], ["--help"], ["plan", "long", "-w", "6"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "roadmap_cli", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
        assert not {m for m in imported if m.startswith("icalendar")}, args
        assert "roadmap_cli.focus" not in imported
        assert "roadmap_cli.ics" not in imported


@pytest.mark.parametrize(("clock", "first_day"), [("18:59", 0), ("19:00", 1), ("23:30", 1)])
def test_no_session_is_laid_in_the_past(clock: str, first_day: int) -> None:
    zone = ZoneInfo("Europe/Paris")
    today = date(2026, 12, 7)  # a Monday
    item = SimpleNamespace(ref="cal/alpha", remaining=HourRange(3, 3))
    week = WeekPlan(1, today, [(item, 3.0)])  # type: ignore[list-item]
    now = datetime.combine(today, time.fromisoformat(clock), tzinfo=zone)

    laid = ics.sessions([week], days=range(7), at=time(19), session_hours=1.5, zone=zone, now=now)

    starts = [s.start for s in laid]
    assert starts[0] == datetime.combine(today + timedelta(days=first_day), time(19), tzinfo=zone)
    assert all(start >= now for start in starts)
    assert sum(s.minutes for s in laid) == 180  # the week's hours, whatever the day it starts
