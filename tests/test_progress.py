"""Progress maths: done counts, percentages and hours left, on small hand-built roadmaps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from roadmap_cli import jsonout, progress
from roadmap_cli.entries import Entry
from roadmap_cli.progress import HourRange, ResourceItem, RoadmapSummary, find_next, summarize
from roadmap_cli.records import Hours
from tests.records_from import make_entry, make_roadmap

PYTHON: dict[str, Any] = {
    "id": "py",
    "title": "Python",
    "summary": "From zero to classes.",
    "note": "Go at your own pace.",
    "stated_hours": {"low": 80, "high": 100, "plus": True},
    "steps": [
        {
            "title": "Basics",
            "description": "Syntax first.",
            "resources": [
                {
                    "id": "intro",
                    "title": "Intro",
                    "kind": "video",
                    "url": "https://example.org/intro",
                    "hours": 2,
                },
                {
                    "id": "loops",
                    "title": "Loops",
                    "kind": "course",
                    "url": "https://docs.python.org/3/tutorial/",
                    "hours": {"low": 1, "high": 3},
                    "basis": "syllabus",
                },
            ],
        },
        {
            "title": "More",
            "resources": [
                {
                    "id": "oop",
                    "title": "Classes",
                    "kind": "book",
                    "url": "https://books.test/oop",
                    "hours": 4.5,
                }
            ],
        },
    ],
}

FLAT: dict[str, Any] = {
    "id": "git",
    "title": "Git",
    "resources": [
        {"id": "basics", "title": "Basics", "url": "https://git.test/a", "hours": 1},
        {"id": "branching", "title": "Branching", "url": "https://git.test/b", "hours": 2.5},
    ],
}


WHEN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def entry(status: str, *log_hours: float, notes: int = 0) -> Entry:
    """An entry with `status`, one log entry per value in `log_hours` and `notes` notes."""
    return make_entry(
        {
            "status": status,
            "changed": WHEN,
            "log": [{"day": WHEN.date(), "hours": h, "logged": WHEN} for h in log_hours],
            "notes": [{"text": f"Note {n}", "added": WHEN} for n in range(notes)],
        }
    )


def entries(known: dict[str, Entry]) -> Callable[[str], Entry | None]:
    """An entry lookup that knows exactly `known`."""
    return known.get


def done_only(*refs: str) -> Callable[[str], Entry | None]:
    """An entry lookup in which exactly `refs` are done and nothing else is recorded."""
    return entries({ref: entry("done") for ref in refs})


def python_summary(*done: str) -> RoadmapSummary:
    return summarize(make_roadmap(PYTHON), done_only(*done))


def hours(summary_hours: HourRange) -> tuple[float, float]:
    return (summary_hours.low, summary_hours.high)


@pytest.mark.parametrize(
    ("done", "count", "percent", "remaining"),
    [
        pytest.param((), 0, 0, (7.5, 9.5), id="none"),
        pytest.param(("py/intro",), 1, 33, (5.5, 7.5), id="one-of-three"),
        pytest.param(("py/intro", "py/loops"), 2, 66, (4.5, 4.5), id="two-of-three-floored"),
        pytest.param(("py/intro", "py/loops", "py/oop"), 3, 100, (0.0, 0.0), id="all"),
        pytest.param(("py/oop", "other/intro", "intro"), 1, 33, (3.0, 5.0), id="only-own-refs"),
    ],
)
def test_roadmap_totals(
    done: tuple[str, ...], count: int, percent: int, remaining: tuple[float, float]
) -> None:
    summary = python_summary(*done)

    assert summary.done == count
    assert summary.total == 3
    assert summary.percent == percent
    assert hours(summary.total_hours) == (7.5, 9.5)
    assert hours(summary.remaining_hours) == remaining


def test_percent_is_floored_so_100_means_everything_done() -> None:
    many = {
        "id": "big",
        "title": "Big",
        "resources": [
            {"id": f"r{i}", "title": f"R{i}", "url": "https://x.test/", "hours": 1}
            for i in range(200)
        ],
    }
    all_but_one = [f"big/r{i}" for i in range(199)]

    summary = summarize(make_roadmap(many), done_only(*all_but_one))

    assert summary.percent == 99


def test_status_is_looked_up_by_ref_in_roadmap_order() -> None:
    asked: list[str] = []

    def status_of(ref: str) -> Entry | None:
        asked.append(ref)
        return None

    summary = summarize(make_roadmap(PYTHON), status_of)
    assert asked == []  # nothing is looked up before a figure or an item is asked for

    assert summary.percent == 0
    assert asked == ["py/intro", "py/loops", "py/oop"]


def test_per_step_figures() -> None:
    summary = python_summary("py/intro")

    basics, more = summary.steps
    assert (basics.title, basics.description) == ("Basics", "Syntax first.")
    assert [item.ref for item in basics.items] == ["py/intro", "py/loops"]
    assert [item.status for item in basics.items] == ["done", "pending"]
    assert (basics.done, len(basics.items)) == (1, 2)
    assert hours(basics.total_hours) == (3.0, 5.0)
    assert hours(basics.remaining_hours) == (1.0, 3.0)
    assert (more.title, more.description) == ("More", None)
    assert (more.done, len(more.items)) == (0, 1)
    assert hours(more.remaining_hours) == (4.5, 4.5)


def test_json_without_steps() -> None:
    assert jsonout.roadmap(python_summary("py/intro")) == {
        "id": "py",
        "title": "Python",
        "done": 1,
        "skipped": 0,
        "in_progress": 0,
        "total": 3,
        "percent": 33,
        "total_hours": {"low": 7.5, "high": 9.5},
        "remaining_hours": {"low": 5.5, "high": 7.5},
        "unestimated": 0,
        "stated_hours": {"low": 80.0, "high": 100.0, "plus": True},
    }


def test_json_with_steps() -> None:
    out = jsonout.roadmap_shown(python_summary("py/loops"))

    assert out["summary"] == "From zero to classes."
    assert out["note"] == "Go at your own pace."
    assert out["steps"] == [
        {
            "title": "Basics",
            "description": "Syntax first.",
            "done": 1,
            "total": 2,
            "remaining_hours": {"low": 2.0, "high": 2.0},
            "unestimated": 0,
            "resources": [
                {
                    "id": "intro",
                    "ref": "py/intro",
                    "title": "Intro",
                    "kind": "video",
                    "url": None,
                    "link_pending": True,
                    "status": "pending",
                    "hours": {"low": 2.0, "high": 2.0},
                    "hours_logged": 0.0,
                    "remaining_hours": {"low": 2.0, "high": 2.0},
                    "notes": 0,
                    "optional": False,
                    "basis": None,
                },
                {
                    "id": "loops",
                    "ref": "py/loops",
                    "title": "Loops",
                    "kind": "course",
                    "url": "https://docs.python.org/3/tutorial/",
                    "link_pending": False,
                    "status": "done",
                    "hours": {"low": 1.0, "high": 3.0},
                    "hours_logged": 0.0,
                    "remaining_hours": {"low": 0.0, "high": 0.0},
                    "notes": 0,
                    "optional": False,
                    "basis": "syllabus",
                },
            ],
        },
        {
            "title": "More",
            "description": None,
            "done": 0,
            "total": 1,
            "remaining_hours": {"low": 4.5, "high": 4.5},
            "unestimated": 0,
            "resources": [
                {
                    "id": "oop",
                    "ref": "py/oop",
                    "title": "Classes",
                    "kind": "book",
                    "url": "https://books.test/oop",
                    "link_pending": False,
                    "status": "pending",
                    "hours": {"low": 4.5, "high": 4.5},
                    "hours_logged": 0.0,
                    "remaining_hours": {"low": 4.5, "high": 4.5},
                    "notes": 0,
                    "optional": False,
                    "basis": None,
                }
            ],
        },
    ]


def test_json_without_stated_hours_or_prose() -> None:
    out = jsonout.roadmap_shown(summarize(make_roadmap(FLAT), done_only()))

    assert out["stated_hours"] is None
    assert (out["summary"], out["note"]) == (None, None)


def test_flat_roadmap_is_one_untitled_step() -> None:
    summary = summarize(make_roadmap(FLAT), done_only("git/basics"))

    assert len(summary.steps) == 1
    step = summary.steps[0]
    assert (step.title, step.description) == (None, None)
    assert [item.ref for item in step.items] == ["git/basics", "git/branching"]
    assert (summary.done, summary.total, summary.percent) == (1, 2, 50)
    assert hours(summary.remaining_hours) == (2.5, 2.5)
    assert jsonout.roadmap_shown(summary)["steps"][0]["title"] is None


def test_hour_range_addition() -> None:
    total = HourRange(1, 2) + HourRange(0.5, 4)

    assert total == HourRange(1.5, 6)
    assert HourRange() + HourRange(3, 5) == HourRange(3, 5)
    assert HourRange.of(Hours(low=2, high=7)) == HourRange(2, 7)


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        pytest.param([HourRange(0.1, 0.1), HourRange(0.2, 0.2)], {"low": 0.3, "high": 0.3}),
        pytest.param([HourRange(1 / 3, 2 / 3)], {"low": 0.33, "high": 0.67}),
        pytest.param([HourRange(0.1, 0.7)] * 3, {"low": 0.3, "high": 2.1}),
        pytest.param([], {"low": 0.0, "high": 0.0}),
    ],
)
def test_hour_range_json_is_rounded(
    ranges: Iterable[HourRange], expected: dict[str, float]
) -> None:
    assert jsonout.hours(sum(ranges, HourRange())) == expected


def test_remaining_hours_in_json_read_as_on_screen() -> None:
    tenths = {
        "id": "tenths",
        "title": "Tenths",
        "resources": [
            {"id": "a", "title": "A", "url": "https://x.test/a", "hours": 0.1},
            {"id": "b", "title": "B", "url": "https://x.test/b", "hours": 0.2},
            {"id": "c", "title": "C", "url": "https://x.test/c", "hours": 5},
        ],
    }

    out = jsonout.roadmap(summarize(make_roadmap(tenths), done_only("tenths/c")))

    assert out["remaining_hours"] == {"low": 0.3, "high": 0.3}
    assert out["total_hours"] == {"low": 5.3, "high": 5.3}


# --- in progress, skipped, logged time ---------------------------------------------------


def python_with(known: dict[str, Entry]) -> RoadmapSummary:
    return summarize(make_roadmap(PYTHON), entries(known))


def item_of(summary: RoadmapSummary, ref: str) -> ResourceItem:
    return next(item for item in summary.items if item.ref == ref)


@pytest.mark.parametrize(
    ("logged", "remaining"),
    [
        pytest.param((), (1.0, 3.0), id="nothing-logged"),
        pytest.param((0.5,), (0.5, 2.5), id="half-hour"),  # 1 - 0.5, 3 - 0.5
        pytest.param((1.5, 0.5), (0.0, 1.0), id="past-the-low-end"),  # 1 - 2 < 0, 3 - 2
        pytest.param((3.0,), (0.0, 0.0), id="exactly-the-high-end"),
        pytest.param((4.0, 2.5), (0.0, 0.0), id="more-than-estimated"),  # never below zero
    ],
)
def test_in_progress_has_its_estimate_less_the_time_logged_left(
    logged: tuple[float, ...], remaining: tuple[float, float]
) -> None:
    summary = python_with({"py/loops": entry("in-progress", *logged)})

    assert hours(item_of(summary, "py/loops").remaining) == remaining
    # intro (2) and oop (4.5) are pending with their whole estimate: 6.5 more at each end.
    assert hours(summary.remaining_hours) == (remaining[0] + 6.5, remaining[1] + 6.5)
    assert (summary.in_progress, summary.done, summary.percent) == (1, 0, 0)


def test_a_pending_resource_with_logged_time_has_its_whole_estimate_left() -> None:
    # Time logged, then reset: pending again, so the whole estimate is left.
    summary = python_with({"py/loops": entry("pending", 2.0)})

    loops = item_of(summary, "py/loops")
    assert (loops.status, loops.hours_logged) == ("pending", 2.0)
    assert hours(loops.remaining) == (1.0, 3.0)


@pytest.mark.parametrize("logged", [(), (5.0,)])
def test_done_and_skipped_have_nothing_left_whatever_was_logged(logged: tuple[float, ...]) -> None:
    summary = python_with(
        {"py/intro": entry("skipped", *logged), "py/loops": entry("done", *logged)}
    )

    assert hours(item_of(summary, "py/intro").remaining) == (0.0, 0.0)
    assert hours(item_of(summary, "py/loops").remaining) == (0.0, 0.0)
    assert hours(summary.remaining_hours) == (4.5, 4.5)  # only oop is left
    assert hours(summary.total_hours) == (7.5, 9.5)  # skipping does not shrink the roadmap


def test_skipped_counts_towards_percent_but_not_as_done() -> None:
    summary = python_with({"py/intro": entry("skipped"), "py/loops": entry("done")})

    assert (summary.done, summary.skipped, summary.in_progress, summary.total) == (1, 1, 0, 3)
    assert summary.percent == 66  # (1 done + 1 skipped) * 100 // 3 = 66.67 floored
    out = jsonout.roadmap(summary)
    assert (out["done"], out["skipped"], out["in_progress"], out["percent"]) == (1, 1, 0, 66)


def test_everything_skipped_is_100_percent() -> None:
    summary = python_with({ref: entry("skipped") for ref in ("py/intro", "py/loops", "py/oop")})

    assert (summary.done, summary.skipped, summary.percent) == (0, 3, 100)
    assert hours(summary.remaining_hours) == (0.0, 0.0)


def test_resource_json_has_time_logged_hours_left_and_notes() -> None:
    summary = python_with(
        {
            "py/loops": entry("in-progress", 0.1, 0.2, notes=2),
            "py/oop": entry("done", 6.0, notes=1),
        }
    )

    resources = jsonout.roadmap_shown(summary)["steps"]
    loops, oop = resources[0]["resources"][1], resources[1]["resources"][0]
    assert (loops["status"], loops["hours_logged"], loops["notes"]) == ("in-progress", 0.3, 2)
    # 1 - 0.3 = 0.7 and 3 - 0.3 = 2.7, rounded as on screen.
    assert loops["remaining_hours"] == {"low": 0.7, "high": 2.7}
    assert (oop["status"], oop["hours_logged"], oop["notes"]) == ("done", 6.0, 1)
    assert oop["remaining_hours"] == {"low": 0.0, "high": 0.0}
    out = jsonout.roadmap(summary)
    assert out["in_progress"] == 1
    assert out["remaining_hours"] == {"low": 2.7, "high": 4.7}  # intro 2 + loops 0.7 / 2.7


# --- what to work on next ----------------------------------------------------------------


def flat_with(known: dict[str, Entry]) -> RoadmapSummary:
    return summarize(make_roadmap(FLAT), entries(known))


def next_ref(*summaries: RoadmapSummary) -> str | None:
    found = find_next(summaries)
    if found is None:
        return None
    summary, item = found
    assert item in summary.items  # the summary returned is the one that holds the item
    return item.ref


def test_next_is_the_first_pending_resource_in_roadmap_order() -> None:
    assert next_ref(python_with({})) == "py/intro"
    assert next_ref(python_with({"py/intro": entry("done")})) == "py/loops"
    assert next_ref(python_with({"py/intro": entry("skipped")})) == "py/loops"


def test_next_prefers_what_is_in_progress_over_anything_pending() -> None:
    # oop is last in roadmap order, but started.
    assert next_ref(python_with({"py/oop": entry("in-progress")})) == "py/oop"
    # Started in the second roadmap beats pending in the first.
    assert next_ref(python_with({}), flat_with({"git/branching": entry("in-progress")})) == (
        "git/branching"
    )


def test_next_takes_the_first_in_progress_in_roadmap_order() -> None:
    both = {"py/loops": entry("in-progress"), "py/oop": entry("in-progress")}
    assert next_ref(python_with(both)) == "py/loops"
    assert (
        next_ref(
            python_with({"py/oop": entry("in-progress")}),
            flat_with({"git/basics": entry("in-progress")}),
        )
        == "py/oop"
    )


def test_next_moves_to_the_next_roadmap_when_one_is_finished() -> None:
    finished = python_with(
        {"py/intro": entry("done"), "py/loops": entry("skipped"), "py/oop": entry("done")}
    )
    assert next_ref(finished, flat_with({})) == "git/basics"
    assert next_ref(finished, flat_with({"git/basics": entry("done")})) == "git/branching"


def test_nothing_is_next_when_everything_is_done_or_skipped() -> None:
    finished = python_with(
        {"py/intro": entry("done"), "py/loops": entry("skipped"), "py/oop": entry("done")}
    )
    assert next_ref(finished) is None
    assert (
        next_ref(
            finished, flat_with({r: entry("skipped") for r in ("git/basics", "git/branching")})
        )
        is None
    )
    assert next_ref() is None


# --- optional resources ------------------------------------------------------------------

WITH_OPTIONAL: dict[str, Any] = {
    "id": "opt",
    "title": "With an optional extra",
    "resources": [
        {"id": "core", "title": "Core", "url": "https://o.test/core", "hours": 4},
        {
            "id": "extra",
            "title": "Extra",
            "url": "https://o.test/extra",
            "hours": 10,
            "optional": True,
        },
    ],
}


def optional_with(known: dict[str, Entry]) -> RoadmapSummary:
    return summarize(make_roadmap(WITH_OPTIONAL), entries(known))


@pytest.mark.parametrize(
    ("extra", "total", "percent", "remaining"),
    [
        pytest.param(None, 1, 0, (4.0, 4.0), id="extra-untouched"),  # only core counts
        pytest.param("skipped", 1, 0, (4.0, 4.0), id="extra-skipped"),
        pytest.param("in-progress", 2, 0, (14.0, 14.0), id="extra-started"),  # 4 + 10
        pytest.param("done", 2, 50, (4.0, 4.0), id="extra-done"),  # 1 of 2
    ],
)
def test_an_optional_resource_counts_only_once_started(
    extra: str | None, total: int, percent: int, remaining: tuple[float, float]
) -> None:
    summary = optional_with({} if extra is None else {"opt/extra": entry(extra)})

    assert (summary.total, summary.percent) == (total, percent)
    assert hours(summary.remaining_hours) == remaining
    assert [item.ref for item in summary.items] == ["opt/core", "opt/extra"]  # still listed


def test_next_leaves_out_an_optional_resource_never_started() -> None:
    assert next_ref(optional_with({"opt/core": entry("done")})) is None
    assert next_ref(optional_with({"opt/extra": entry("in-progress")})) == "opt/extra"


# An imported roadmap in which the source gave two resources no estimate.
PARTLY: dict[str, Any] = {
    "id": "go",
    "title": "Go",
    "steps": [
        {
            "title": "Start",
            "resources": [
                {"id": "tour", "title": "Tour", "url": "https://go.test/tour", "hours": 3},
                {"id": "spec", "title": "Spec", "url": "https://go.test/spec"},
            ],
        },
        {
            "title": "Then",
            "resources": [{"id": "blog", "title": "Blog", "url": "https://go.test/blog"}],
        },
    ],
}


def test_resources_without_an_estimate_add_no_hours_and_are_counted_instead() -> None:
    summary = summarize(make_roadmap(PARTLY), entries({"go/spec": entry("in-progress", 2)}))

    assert hours(summary.total_hours) == hours(summary.remaining_hours) == (3, 3)
    assert (summary.unestimated, summary.unestimated_total) == (2, 2)
    assert [step.unestimated for step in summary.steps] == [1, 1]
    spec = summary.items[1]
    assert not spec.estimated
    assert spec.hours_logged == 2
    assert hours(spec.estimate) == hours(spec.remaining) == (0, 0)
    assert progress.hours_left(summary) == "3+ h"  # open: more is left than the figure says
    assert progress.hours_total(summary) == "3+ h"
    assert progress.estimate_text(spec) == "no estimate"
    assert progress.estimate_text(summary.items[0]) == "3 h"


def test_finished_resources_without_an_estimate_leave_nothing_unknown() -> None:
    summary = summarize(make_roadmap(PARTLY), done_only("go/spec", "go/blog"))

    assert (summary.unestimated, summary.unestimated_total) == (0, 2)
    assert progress.hours_left(summary) == "3 h"
    assert progress.hours_total(summary) == "3+ h"
    only_unknown = summarize(make_roadmap(PARTLY), done_only("go/tour"))
    assert progress.hours_left(only_unknown) == "? h"  # all that is left has no estimate


def test_a_stated_total_is_the_total_whatever_lacks_an_estimate() -> None:
    stated = {**PARTLY, "stated_hours": {"low": 10, "high": 12}}

    summary = summarize(make_roadmap(stated), done_only())

    assert progress.hours_total(summary) == "10–12 h"
    assert progress.hours_left(summary) == "3+ h"


def test_json_says_null_for_a_missing_estimate_and_counts_them() -> None:
    summary = summarize(make_roadmap(PARTLY), done_only())

    shown = jsonout.roadmap_shown(summary)

    assert shown["unestimated"] == 2
    assert [step["unestimated"] for step in shown["steps"]] == [1, 1]
    tour, spec = shown["steps"][0]["resources"]
    assert (spec["hours"], spec["remaining_hours"]) == (None, None)
    assert tour["hours"] == {"low": 3, "high": 3}
    left = jsonout.remaining(summary)
    assert (left["unestimated"], [s["unestimated"] for s in left["steps"]]) == (2, [1, 1])


# --- figures worked out without items ---------------------------------------------------------

MIXED: dict[str, Any] = {
    "id": "mix",
    "title": "Every case at once",
    "steps": [
        {
            "title": f"Step {n}",
            "resources": [
                {
                    "id": f"r{n}-{i}",
                    "title": f"R {n}.{i}",
                    "url": f"https://mix.test/{n}/{i}",
                    **({} if (n + i) % 4 == 0 else {"hours": {"low": 0.1 * i, "high": 0.3 + i}}),
                    "optional": (n * i) % 3 == 1,
                }
                for i in range(6)
            ],
        }
        for n in range(4)
    ],
}
MIXED_STATUSES = ("done", "skipped", "in-progress", "pending", None)


def _figures(summary: progress.StepSummary | RoadmapSummary) -> tuple[Any, ...]:
    return (
        summary.done,
        summary.skipped,
        summary.in_progress,
        summary.total,
        summary.percent,
        summary.remaining_hours,
        summary.total_hours,
        summary.unestimated,
        summary.unestimated_total,
        [item.ref for item in summary.counted],
    )


def test_figures_made_without_items_are_those_of_the_items() -> None:
    """`summarize` adds up its figures straight from the roadmap and the entries; a summary
    made of its items adds them up from the items: the same figures, per step and in total,
    to the last decimal (the same additions in the same order)."""
    roadmap = make_roadmap(MIXED)
    refs = [f"mix/{res.id}" for res in roadmap.all_resources()]
    known = {
        ref: entry(status, *((0.05 * n,) if status == "in-progress" else ()))
        for n, ref in enumerate(refs)
        for status in (MIXED_STATUSES[n % len(MIXED_STATUSES)],)
        if status is not None
    }
    fast = summarize(roadmap, entries(known))
    from_items = RoadmapSummary(
        roadmap,
        [
            progress.StepSummary(step.title, step.description, list(step.items))
            for step in summarize(roadmap, entries(known)).steps
        ],
    )

    assert _figures(fast) == _figures(from_items)
    for step, other in zip(fast.steps, from_items.steps, strict=True):
        assert _figures(step) == _figures(other)
    assert [item.ref for item in fast.items] == refs
    found, expected = find_next([fast]), find_next([from_items])
    assert found is not None
    assert expected is not None
    assert found[1] == expected[1]
