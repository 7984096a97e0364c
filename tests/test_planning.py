"""Plans and stats: finish dates, schedules, the pace needed for a date, pace, calibration.

Everything here is a pure function of the entries and a fixed `today`, so every expected
value is worked out by hand (the arithmetic is in the comments).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli import jsonout
from roadmap_cli.entries import Entry
from roadmap_cli.errors import InputError
from roadmap_cli.planning import (
    MAX_SCHEDULE_WEEKS,
    check_hours_per_week,
    finish_dates,
    make_plan,
    make_stats,
    recent_pace,
    schedule,
)
from roadmap_cli.progress import HourRange, ResourceItem, RoadmapSummary, summarize
from roadmap_cli.records import Roadmap
from tests.records_from import make_entry, make_roadmap

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so that the local date of a timestamp is known."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def entry(
    status: str,
    changed: date = date(2026, 1, 5),
    log: tuple[tuple[date, float], ...] = (),
    notes: tuple[date, ...] = (),
) -> Entry:
    """An entry whose status changed at noon on `changed`, with `log` and notes on `notes`."""
    return make_entry(
        {
            "status": status,
            "changed": noon(changed),
            "log": [{"day": day, "hours": hours, "logged": noon(day)} for day, hours in log],
            "notes": [{"text": "A note", "added": noon(day)} for day in notes],
        }
    )


def resource(resource_id: str, hours: float | dict[str, float], **more: Any) -> dict[str, Any]:
    return {
        "id": resource_id,
        "title": resource_id.upper(),
        "url": f"https://learn.test/{resource_id}",
        "hours": hours,
        **more,
    }


def roadmap(roadmap_id: str, *resources: dict[str, Any]) -> Roadmap:
    return make_roadmap(
        {"id": roadmap_id, "title": roadmap_id.title(), "resources": list(resources)}
    )


def summary_of(road: Roadmap, known: dict[str, Entry]) -> RoadmapSummary:
    return summarize(road, known.get)


# The roadmap most plans below are made for. In roadmap order:
#   a  4 h      done
#   c  2–4 h    pending                      remaining 2–4   (middle 3)
#   b  10 h     in progress, 3 h logged      remaining 7     (10 - 3)
#   d  5 h      pending                      remaining 5
# Remaining: low 2 + 7 + 5 = 14, high 4 + 7 + 5 = 16, middle 15.
PLAN = roadmap(
    "plan",
    resource("a", 4),
    resource("c", {"low": 2, "high": 4}),
    resource("b", 10),
    resource("d", 5),
)


def plan_summary() -> RoadmapSummary:
    return summary_of(
        PLAN,
        {
            "plan/a": entry("done"),
            "plan/b": entry("in-progress", log=((date(2026, 9, 1), 3.0),)),
        },
    )


def week_rows(weeks: list[Any]) -> list[tuple[int, date, list[tuple[str, float]]]]:
    return [(w.number, w.start, [(item.ref, hours) for item, hours in w.items]) for w in weeks]


# --- finish dates --------------------------------------------------------------------------


def test_finish_date_rounds_up_to_a_whole_day() -> None:
    # 78.5 h / 6 h a week * 7 = 91.58 days, so 92 days: 2026-11-25 + 92 = 2027-02-25.
    assert finish_dates(HourRange(78.5, 78.5), 6, TODAY) == (date(2027, 2, 25), date(2027, 2, 25))


def test_finish_dates_of_a_range_are_earliest_and_latest() -> None:
    # 12 h at 6 h/week is exactly 2 weeks (14 days); 18 h is exactly 3 weeks (21 days).
    assert finish_dates(HourRange(12, 18), 6, TODAY) == (date(2026, 12, 9), date(2026, 12, 16))


def test_nothing_left_finishes_today() -> None:
    assert finish_dates(HourRange(0, 0), 6, TODAY) == (TODAY, TODAY)


def test_finish_date_is_not_pushed_a_day_later_by_float_noise() -> None:
    # 2.1 h at 0.3 h a week is 7 weeks, 49 days (2027-01-13), though 2.1 / 0.3 * 7 is
    # 49.00000000000001 in floats; and 0.8 / 0.7 * 7 = 8 days (Dec 3), not 8.000000000000002.
    assert finish_dates(HourRange(2.1, 2.1), 0.3, TODAY) == (date(2027, 1, 13), date(2027, 1, 13))
    assert finish_dates(HourRange(0.8, 0.8), 0.7, TODAY) == (date(2026, 12, 3), date(2026, 12, 3))


# --- the pace ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.1, 0.5, 6, 40, 168])
def test_a_weekly_pace_up_to_the_hours_of_a_week_is_accepted(value: float) -> None:
    assert check_hours_per_week(value) == value


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (0, "must be a number of hours, at least 0.1"),
        (0.09, "must be a number of hours, at least 0.1"),
        (-1, "must be a number of hours, at least 0.1"),
        (math.inf, "must be a number of hours, at least 0.1"),
        (math.nan, "must be a number of hours, at least 0.1"),
        (168.5, "cannot exceed the 168 hours of a week"),
        (1000, "cannot exceed the 168 hours of a week"),
    ],
)
def test_an_impossible_weekly_pace_is_refused(value: float, problem: str) -> None:
    with pytest.raises(InputError, match="--hours-per-week") as info:
        check_hours_per_week(value)
    assert problem in str(info.value)
    with pytest.raises(InputError, match=problem):
        make_plan(plan_summary(), today=TODAY, hours_per_week=value)


def logged_history() -> list[ResourceItem]:
    """Time logged on a resource of another roadmap: 12 h in the last four weeks, 10 h before."""
    other = roadmap("other", resource("x", 100))
    log = (
        (date(2026, 10, 28), 10.0),  # 28 days ago: just outside the four weeks
        (date(2026, 10, 29), 5.0),  # 27 days ago: the first day inside
        (date(2026, 11, 10), 3.0),
        (TODAY, 4.0),
    )
    return summary_of(other, {"other/x": entry("in-progress", log=log)}).items


def test_recent_pace_is_the_last_four_weeks_of_logged_time() -> None:
    # 5 + 3 + 4 = 12 h in the 28 days ending today: 12 / 4 = 3 h a week.
    assert recent_pace(logged_history(), TODAY) == 3.0


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        # 6 h in the last four weeks each time, measured since the first log (at least one
        # week, at most four).
        pytest.param(((TODAY, 6.0),), 6.0, id="first-log-today"),
        pytest.param(((date(2026, 11, 22), 1.0), (TODAY, 5.0)), 6.0, id="4-days-one-week"),
        # Nov 15 to Nov 25 is 11 days: 6 / (11 / 7) = 3.82 h a week.
        pytest.param(((date(2026, 11, 15), 1.0), (TODAY, 5.0)), 42 / 11, id="11-days"),
        pytest.param(((date(2026, 10, 29), 1.0), (TODAY, 5.0)), 1.5, id="28-days"),  # 6 / 4
        pytest.param(
            ((date(2026, 6, 1), 3.0), (date(2026, 11, 1), 1.0), (TODAY, 5.0)),
            1.5,  # the June hours are too old; 6 / 4
            id="months-ago",
        ),
    ],
)
def test_a_newcomers_pace_counts_the_weeks_since_the_first_log(
    log: tuple[tuple[date, float], ...], expected: float
) -> None:
    summary = summary_of(roadmap("n", resource("x", 50)), {"n/x": entry("in-progress", log=log)})

    assert recent_pace(summary.items, TODAY) == pytest.approx(expected)


def test_no_recent_time_means_no_pace() -> None:
    assert recent_pace(logged_history(), date(2026, 12, 24)) is None  # 4 h on Nov 25: 29 days
    assert recent_pace(plan_summary().items, TODAY) is None  # 3 h, logged in September
    assert recent_pace([], TODAY) is None


def test_plan_at_the_logged_pace() -> None:
    plan = make_plan(plan_summary(), today=TODAY, history=plan_summary().items + logged_history())

    assert (plan.hours_per_week, plan.pace) == (3.0, "logged")
    # 14 h / 3 * 7 = 32.67 -> 33 days: Dec 28; 16 h / 3 * 7 = 37.33 -> 38 days: 2027-01-02.
    assert plan.finish == (date(2026, 12, 28), date(2027, 1, 2))


def test_a_given_pace_wins_over_the_logged_one() -> None:
    plan = make_plan(plan_summary(), today=TODAY, hours_per_week=6, history=logged_history())

    assert (plan.hours_per_week, plan.pace) == (6, "given")


def test_without_a_pace_or_recent_time_or_a_date_the_plan_asks_for_a_pace() -> None:
    for history in ([], plan_summary().items):  # nothing logged, or only long ago
        with pytest.raises(InputError) as info:
            make_plan(plan_summary(), today=TODAY, history=history)
        assert "--hours-per-week" in str(info.value)
        assert info.value.exit_code == 2


# --- the plan at a given pace --------------------------------------------------------------


def test_plan_finish_is_the_finish_of_the_hours_left() -> None:
    plan = make_plan(plan_summary(), today=TODAY, hours_per_week=6)

    assert (plan.remaining.low, plan.remaining.high) == (14, 16)
    # 14 / 6 * 7 = 16.33 -> 17 days: Dec 12; 16 / 6 * 7 = 18.67 -> 19 days: Dec 14.
    assert plan.finish == (date(2026, 12, 12), date(2026, 12, 14))
    assert plan.finish == finish_dates(plan.remaining, 6, TODAY)
    assert plan.weeks_left_out == 0


def test_schedule_fills_weeks_with_what_is_in_progress_first() -> None:
    plan = make_plan(plan_summary(), today=TODAY, hours_per_week=6)

    # b (7 h, in progress) first, then c (middle 3 h) and d (5 h) in roadmap order, 6 h a week:
    # week 1: b 6; week 2: b 1, c 3, d 2; week 3: d 3. In all 15 h, the middle of 14-16.
    assert week_rows(plan.weeks) == [
        (1, date(2026, 11, 25), [("plan/b", 6.0)]),
        (2, date(2026, 12, 2), [("plan/b", 1.0), ("plan/c", 3.0), ("plan/d", 2.0)]),
        (3, date(2026, 12, 9), [("plan/d", 3.0)]),
    ]
    assert [w.hours for w in plan.weeks] == [6.0, 6.0, 3.0]
    assert [w.end for w in plan.weeks] == [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)]


def test_schedule_leaves_out_optional_resources_never_started() -> None:
    road = roadmap("opt", resource("core", 3), resource("extra", 50, optional=True))

    weeks = schedule(summary_of(road, {}).items, 5, TODAY)

    assert week_rows(weeks) == [(1, TODAY, [("opt/core", 3.0)])]


def test_a_finished_roadmap_has_no_weeks_and_finishes_today() -> None:
    done = {f"plan/{r}": entry("done") for r in "abcd"}

    plan = make_plan(summary_of(PLAN, done), today=TODAY, hours_per_week=6)

    assert (plan.weeks, plan.finish) == ([], (TODAY, TODAY))


def test_schedule_is_cut_at_two_years_and_says_how_many_weeks_are_left_out() -> None:
    road = roadmap("long", resource("huge", 110))

    plan = make_plan(summary_of(road, {}), today=TODAY, hours_per_week=1)

    # 110 h at 1 h a week is 110 weeks: 104 are shown, 6 are left out.
    assert MAX_SCHEDULE_WEEKS == 104
    assert len(plan.weeks) == 104
    assert plan.weeks_left_out == 6
    assert plan.weeks[-1].number == 104
    assert plan.weeks[-1].start == TODAY + timedelta(weeks=103)
    assert {w.hours for w in plan.weeks} == {1.0}
    assert plan.finish == (TODAY + timedelta(days=770), TODAY + timedelta(days=770))  # 110 * 7


estimates = st.lists(
    st.tuples(
        st.sampled_from(["pending", "in-progress", "done", "skipped"]),
        st.integers(min_value=0, max_value=40),  # estimate, in quarter hours
        st.integers(min_value=0, max_value=20),  # time logged, in quarter hours
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(rows=estimates, quarter_hours_per_week=st.integers(min_value=1, max_value=60))
def test_schedule_weeks_hold_exactly_the_hours_left(
    rows: list[tuple[str, int, int]], quarter_hours_per_week: int
) -> None:
    road = roadmap(
        "p", *(resource(f"r{n}", quarters / 4) for n, (_, quarters, _) in enumerate(rows))
    )
    known = {
        f"p/r{n}": entry(status, log=((TODAY, logged / 4),) if logged else ())
        for n, (status, _, logged) in enumerate(rows)
    }
    summary = summary_of(road, known)
    per_week = quarter_hours_per_week / 4

    weeks = schedule(summary.items, per_week, TODAY)

    assert sum(w.hours for w in weeks) == pytest.approx(summary.remaining_hours.middle)
    assert all(0 < w.hours <= per_week + 1e-9 for w in weeks)
    assert all(w.hours == pytest.approx(per_week) for w in weeks[:-1])  # only the last is short
    assert [w.start for w in weeks] == [TODAY + timedelta(weeks=n) for n in range(len(weeks))]
    assert [w.number for w in weeks] == list(range(1, len(weeks) + 1))
    order = list(dict.fromkeys(item.ref for w in weeks for item, _ in w.items))
    started = [i.ref for i in summary.items if i.status == "in-progress" and i.remaining.middle]
    assert order[: len(started)] == started  # everything in progress comes first


# --- the pace needed for a date ------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "low", "high"),
    [
        (date(2026, 12, 23), 3.5, 4.0),  # 28 days: 14 * 7 / 28 = 3.5, 16 * 7 / 28 = 4
        (date(2026, 11, 26), 98.0, 112.0),  # 1 day: 14 * 7 = 98, 16 * 7 = 112
        (date(2027, 2, 3), 1.4, 1.6),  # 70 days: 14 * 7 / 70 = 1.4, 16 * 7 / 70 = 1.6
    ],
)
def test_hours_per_week_needed_to_finish_by_a_date(by: date, low: float, high: float) -> None:
    plan = make_plan(plan_summary(), today=TODAY, by=by)

    assert plan.needed_per_week is not None
    assert plan.needed_per_week.low == pytest.approx(low)
    assert plan.needed_per_week.high == pytest.approx(high)
    # No pace given and none logged: only the reverse question is answered.
    assert (plan.hours_per_week, plan.pace, plan.finish, plan.weeks) == (None, None, None, [])


def test_by_and_a_pace_together_answer_both() -> None:
    plan = make_plan(plan_summary(), today=TODAY, hours_per_week=6, by=date(2026, 12, 23))

    assert plan.needed_per_week == HourRange(3.5, 4.0)
    assert plan.finish == (date(2026, 12, 12), date(2026, 12, 14))
    assert len(plan.weeks) == 3


@pytest.mark.parametrize("by", [TODAY, date(2026, 11, 24), date(2020, 1, 1)])
def test_by_today_or_in_the_past_is_refused(by: date) -> None:
    with pytest.raises(InputError) as info:
        make_plan(plan_summary(), today=TODAY, hours_per_week=6, by=by)

    assert str(info.value) == f"--by {by.isoformat()} is not in the future."


# --- calibration ---------------------------------------------------------------------------


CAL = roadmap(
    "cal",
    resource("e1", {"low": 4, "high": 6}),  # done, 6.5 h logged; middle 5
    resource("e2", 10),  # done, 13 h logged
    resource("e3", 100),  # done, nothing logged: not counted
    resource("e4", 1),  # skipped with time logged: not counted
    resource("p", 20),  # pending: the 20 h left
)


def cal_summary() -> RoadmapSummary:
    old = date(2026, 6, 1)
    return summary_of(
        CAL,
        {
            "cal/e1": entry("done", log=((old, 6.5),)),
            "cal/e2": entry("done", log=((old, 13.0),)),
            "cal/e3": entry("done"),
            "cal/e4": entry("skipped", log=((old, 9.0),)),
        },
    )


def test_calibration_compares_time_logged_with_estimates_of_what_is_done() -> None:
    plan = make_plan(cal_summary(), today=TODAY, hours_per_week=6.5)

    assert plan.calibration is not None
    # (6.5 + 13) / (5 + 10) = 19.5 / 15 = 1.3, over 2 resources.
    assert plan.calibration.ratio == pytest.approx(1.3)
    assert plan.calibration.resources == 2
    # 20 h left * 1.3 = 26 h; at 6.5 h a week 26 / 6.5 * 7 = 28 days: Dec 23.
    assert plan.calibration.remaining.low == pytest.approx(26)
    assert plan.calibration.remaining.high == pytest.approx(26)
    assert plan.calibration.finish == (date(2026, 12, 23), date(2026, 12, 23))
    # Without calibration: 20 / 6.5 * 7 = 21.54 -> 22 days: Dec 17.
    assert plan.finish == (date(2026, 12, 17), date(2026, 12, 17))
    assert jsonout.calibration(plan.calibration) == {
        "ratio": 1.3,
        "resources": 2,
        "remaining_hours": {"low": 26.0, "high": 26.0},
        "finish": {"earliest": "2026-12-23", "latest": "2026-12-23"},
    }


def test_no_calibration_without_done_resources_with_time_logged() -> None:
    plan = make_plan(plan_summary(), today=TODAY, hours_per_week=6)  # b has time, is not done

    assert plan.calibration is None


# --- JSON ----------------------------------------------------------------------------------


def test_plan_json() -> None:
    plan = make_plan(plan_summary(), today=TODAY, hours_per_week=6)

    out = jsonout.plan(plan)

    assert out == {
        "roadmap": "plan",
        "remaining_hours": {"low": 14.0, "high": 16.0},
        "unestimated": 0,
        "hours_per_week": 6.0,
        "pace": "given",
        "finish": {"earliest": "2026-12-12", "latest": "2026-12-14"},
        "weeks": [
            {
                "week": 1,
                "start": "2026-11-25",
                "end": "2026-12-01",
                "hours": 6.0,
                "resources": [{"ref": "plan/b", "title": "B", "hours": 6.0}],
            },
            {
                "week": 2,
                "start": "2026-12-02",
                "end": "2026-12-08",
                "hours": 6.0,
                "resources": [
                    {"ref": "plan/b", "title": "B", "hours": 1.0},
                    {"ref": "plan/c", "title": "C", "hours": 3.0},
                    {"ref": "plan/d", "title": "D", "hours": 2.0},
                ],
            },
            {
                "week": 3,
                "start": "2026-12-09",
                "end": "2026-12-15",
                "hours": 3.0,
                "resources": [{"ref": "plan/d", "title": "D", "hours": 3.0}],
            },
        ],
        "calibration": None,
        "by": None,
    }


def test_plan_json_for_a_date_only() -> None:
    out = jsonout.plan(make_plan(plan_summary(), today=TODAY, by=date(2026, 12, 23)))

    assert out["by"] == {
        "date": "2026-12-23",
        "hours_per_week": {"low": 3.5, "high": 4.0},
        "possible": True,
    }
    assert (out["hours_per_week"], out["pace"], out["finish"], out["weeks"]) == (
        None,
        None,
        None,
        [],
    )


def test_a_finish_more_than_100_years_away_is_refused() -> None:
    # 36,500 h at 7 h a week is 36,500 days: 2026-11-25 + 36,500 days = 2126-11-01
    # (100 years, 36,524 days with 24 leap days, end on 2126-11-25; 24 days less).
    limit = make_plan(
        summary_of(roadmap("l", resource("x", 36_500)), {}), today=TODAY, hours_per_week=7
    )
    assert limit.finish == (date(2126, 11, 1), date(2126, 11, 1))

    with pytest.raises(InputError) as info:  # one hour more is one day more: 36,501 days
        make_plan(
            summary_of(roadmap("l", resource("x", 36_501)), {}), today=TODAY, hours_per_week=7
        )
    assert str(info.value) == (
        "At 7 h/week the 36501 h left would take more than 100 years; plan with a higher "
        "--hours-per-week."
    )


def test_a_logged_pace_too_slow_for_100_years_is_an_input_error_not_a_crash() -> None:
    # 0.0001 h logged today, the only log: 0.0001 h a week. 15 h would take
    # 15 / 0.0001 * 7 = 1,050,000 days, which is past 9999-12-31.
    sliver = roadmap("s", resource("x", 1))
    history = summary_of(sliver, {"s/x": entry("in-progress", log=((TODAY, 0.0001),))}).items

    with pytest.raises(InputError, match="would take more than 100 years"):
        make_plan(summary_of(roadmap("slow", resource("y", 15)), {}), today=TODAY, history=history)


def test_a_slow_calibrated_projection_does_not_refuse_the_plan() -> None:
    old = date(2026, 6, 1)
    road = roadmap("c", resource("e", 1), resource("p", 1000))
    # e: estimated 1 h, took 6 h: a calibration ratio of 6.
    summary = summary_of(road, {"c/e": entry("done", log=((old, 6.0),))})

    plan = make_plan(summary, today=TODAY, hours_per_week=1)

    # 1000 h at 1 h a week: 7000 days from 2026-11-25 is 2046-01-24.
    assert plan.finish == (date(2046, 1, 24), date(2046, 1, 24))


# --- a finished roadmap, and dates that cannot be met ------------------------------------


def test_a_finished_roadmap_needs_no_pace() -> None:
    done = {f"plan/{r}": entry("done" if r != "c" else "skipped") for r in "abcd"}

    plan = make_plan(summary_of(PLAN, done), today=TODAY)

    assert (plan.finish, plan.weeks, plan.weeks_left_out) == ((TODAY, TODAY), [], 0)
    assert (plan.remaining.low, plan.remaining.high) == (0, 0)


@pytest.mark.parametrize(
    ("hours", "possible"),
    [
        (24, True),  # by tomorrow: 24 * 7 = 168 h a week, every hour of the week
        (25, False),  # 25 * 7 = 175 h a week: no week has that many
    ],
)
def test_a_date_that_would_need_more_than_the_hours_of_a_week_is_not_possible(
    hours: float, possible: bool
) -> None:
    summary = summary_of(roadmap("f", resource("x", hours)), {})

    plan = make_plan(summary, today=TODAY, by=date(2026, 11, 26))

    assert plan.needed_per_week == HourRange(hours * 7, hours * 7)
    assert plan.by_possible is possible
    assert jsonout.plan(plan)["by"]["possible"] is possible


# --- stats ---------------------------------------------------------------------------------

# Today is Wednesday 2026-11-25; three weeks of stats start on Mondays Nov 9, 16 and 23.
STATS = roadmap("st", *(resource(f"r{n}", 1) for n in range(1, 7)))


def stats_items() -> list[ResourceItem]:
    known = {
        # done Wed Nov 18 (week of Nov 16); 2 h on Tue Nov 10, 1.5 h on Mon Nov 16
        "st/r1": entry(
            "done", date(2026, 11, 18), log=((date(2026, 11, 10), 2.0), (date(2026, 11, 16), 1.5))
        ),
        # done today (week of Nov 23); 1 h on Sun Nov 22, 0.5 h on Mon Nov 23
        "st/r2": entry("done", TODAY, log=((date(2026, 11, 22), 1.0), (date(2026, 11, 23), 0.5))),
        # done Nov 1, before the three weeks; 3 h on Sun Nov 8, also before
        "st/r3": entry("done", date(2026, 11, 1), log=((date(2026, 11, 8), 3.0),)),
        # skipped yesterday: not a completion
        "st/r4": entry("skipped", date(2026, 11, 24)),
        # started Nov 2, two notes on Nov 20
        "st/r5": entry("in-progress", date(2026, 11, 2), notes=(date(2026, 11, 20),) * 2),
        # st/r6: nothing recorded
    }
    return summary_of(STATS, known).items


def test_stats_per_monday_week() -> None:
    stats = make_stats(stats_items(), today=TODAY, weeks=3)

    assert [(w.start, w.hours, w.completed) for w in stats.weeks] == [
        (date(2026, 11, 9), 2.0, 0),  # 2 h on Nov 10
        (date(2026, 11, 16), 2.5, 1),  # 1.5 h on Nov 16 + 1 h on Sun Nov 22; r1 done Nov 18
        (date(2026, 11, 23), 0.5, 1),  # 0.5 h on Nov 23; r2 done today
    ]


def test_stats_totals_and_streak() -> None:
    stats = make_stats(stats_items(), today=TODAY, weeks=3)

    # Active: Nov 25, 24, 23, 22 in a row (21 is idle): a streak of 4.
    assert stats.streak == 4
    # Nov 1, 2, 8, 10, 16, 18, 20, 22, 23, 24, 25.
    assert stats.active_days == 11
    # All time logged, inside the weeks or not: 2 + 1.5 + 1 + 0.5 + 3 = 8.
    assert (stats.hours_logged, stats.done, stats.skipped, stats.in_progress) == (8.0, 3, 1, 1)
    assert stats.notes == 2
    assert jsonout.stats(stats) == {
        "weeks": [
            {"start": "2026-11-09", "hours": 2.0, "completed": 0},
            {"start": "2026-11-16", "hours": 2.5, "completed": 1},
            {"start": "2026-11-23", "hours": 0.5, "completed": 1},
        ],
        "streak_days": 4,
        "active_days": 11,
        "totals": {"hours_logged": 8.0, "done": 3, "skipped": 1, "in_progress": 1, "notes": 2},
    }


def test_stats_default_to_eight_weeks_ending_this_week() -> None:
    stats = make_stats(stats_items(), today=TODAY)

    # Monday Nov 23 back seven weeks: Oct 5.
    assert [w.start for w in stats.weeks] == [
        date(2026, 10, 5) + timedelta(weeks=n) for n in range(8)
    ]
    # Weeks of Oct 5, 12, 19, 26, Nov 2, 9, 16, 23. Sun Nov 8 (3 h) is in the week of Nov 2.
    assert [w.hours for w in stats.weeks] == [0, 0, 0, 0, 3.0, 2.0, 2.5, 0.5]
    # r3 done on Sun Nov 1: the week of Oct 26; r1 the week of Nov 16; r2 this week.
    assert [w.completed for w in stats.weeks] == [0, 0, 0, 1, 0, 0, 1, 1]


def test_a_monday_starts_its_own_week() -> None:
    monday = date(2026, 11, 23)
    items = summary_of(
        STATS,
        {"st/r1": entry("done", monday, log=((date(2026, 11, 22), 1.0), (monday, 2.0)))},
    ).items

    stats = make_stats(items, today=monday, weeks=1)

    assert [(w.start, w.hours, w.completed) for w in stats.weeks] == [(monday, 2.0, 1)]


def test_a_completion_counts_in_the_learners_local_week(monkeypatch: pytest.MonkeyPatch) -> None:
    # Done at 02:00 UTC on Monday Nov 23, which is 21:00 on Sunday Nov 22 five hours west.
    done = make_entry({"status": "done", "changed": datetime(2026, 11, 23, 2, 0, tzinfo=UTC)})
    items = summary_of(STATS, {"st/r1": done}).items
    monkeypatch.setenv("TZ", "XST5")
    time.tzset()

    stats = make_stats(items, today=TODAY, weeks=2)

    assert [(w.start, w.completed) for w in stats.weeks] == [
        (date(2026, 11, 16), 1),
        (date(2026, 11, 23), 0),
    ]


@pytest.mark.parametrize(
    ("days_ago", "streak"),
    [
        pytest.param({0}, 1, id="today-only"),
        pytest.param({0, 1, 2}, 3, id="three-days"),
        pytest.param({1, 2}, 2, id="yesterday-and-before-today-idle"),
        pytest.param({0, 1, 3, 4, 5}, 2, id="a-gap-ends-it"),
        pytest.param({2, 3}, 0, id="neither-today-nor-yesterday"),
        pytest.param(set(), 0, id="nothing"),
    ],
)
def test_streak_counts_active_days_in_a_row_up_to_today_or_yesterday(
    days_ago: set[int], streak: int
) -> None:
    log = tuple((TODAY - timedelta(days=n), 0.5) for n in sorted(days_ago))
    items = summary_of(STATS, {"st/r1": entry("in-progress", date(2026, 1, 5), log=log)}).items

    assert make_stats(items, today=TODAY).streak == streak


def test_a_note_or_a_status_change_is_activity_too() -> None:
    known = {
        "st/r1": entry("pending", date(2026, 1, 5), notes=(TODAY,)),
        "st/r2": entry("done", TODAY - timedelta(days=1)),
    }

    stats = make_stats(summary_of(STATS, known).items, today=TODAY)

    assert stats.streak == 2  # a note today, a resource done yesterday
    assert stats.hours_logged == 0


def test_a_resource_listed_in_two_roadmaps_counts_once() -> None:
    shared = entry("done", TODAY, log=((TODAY, 4.0),))
    first = ResourceItem("one/x", next(STATS.all_resources()), shared, identity="url:learn.test/x")
    second = ResourceItem("two/x", next(STATS.all_resources()), shared, identity="url:learn.test/x")

    stats = make_stats([first, second], today=TODAY, weeks=1)

    assert (stats.hours_logged, stats.done, stats.weeks[0].hours) == (4.0, 1, 4.0)
    assert stats.weeks[0].completed == 1
    assert recent_pace([first, second], TODAY) == 4.0  # 4 h in the one week since the first log
