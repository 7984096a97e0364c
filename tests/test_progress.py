"""Progress maths: done counts, percentages and hours left, on small hand-built roadmaps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from roadmap_cli.models import Hours, Roadmap, Status
from roadmap_cli.progress import HourRange, RoadmapSummary, summarize

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


def done_only(*refs: str) -> Callable[[str], Status]:
    """A status lookup in which exactly `refs` are done."""
    return lambda ref: "done" if ref in refs else "pending"


def python_summary(*done: str) -> RoadmapSummary:
    return summarize(Roadmap.model_validate(PYTHON), done_only(*done))


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

    summary = summarize(Roadmap.model_validate(many), done_only(*all_but_one))

    assert summary.percent == 99


def test_status_is_looked_up_by_ref_in_roadmap_order() -> None:
    asked: list[str] = []

    def status_of(ref: str) -> Status:
        asked.append(ref)
        return "pending"

    summarize(Roadmap.model_validate(PYTHON), status_of)

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


def test_to_json_without_steps() -> None:
    assert python_summary("py/intro").to_json() == {
        "id": "py",
        "title": "Python",
        "done": 1,
        "total": 3,
        "percent": 33,
        "total_hours": {"low": 7.5, "high": 9.5},
        "remaining_hours": {"low": 5.5, "high": 7.5},
        "stated_hours": {"low": 80.0, "high": 100.0, "plus": True},
    }


def test_to_json_with_steps() -> None:
    out = python_summary("py/loops").to_json(with_steps=True)

    assert out["summary"] == "From zero to classes."
    assert out["note"] == "Go at your own pace."
    assert out["steps"] == [
        {
            "title": "Basics",
            "description": "Syntax first.",
            "done": 1,
            "total": 2,
            "remaining_hours": {"low": 2.0, "high": 2.0},
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
                    "basis": None,
                }
            ],
        },
    ]


def test_to_json_without_stated_hours_or_prose() -> None:
    out = summarize(Roadmap.model_validate(FLAT), done_only()).to_json(with_steps=True)

    assert out["stated_hours"] is None
    assert (out["summary"], out["note"]) == (None, None)


def test_flat_roadmap_is_one_untitled_step() -> None:
    summary = summarize(Roadmap.model_validate(FLAT), done_only("git/basics"))

    assert len(summary.steps) == 1
    step = summary.steps[0]
    assert (step.title, step.description) == (None, None)
    assert [item.ref for item in step.items] == ["git/basics", "git/branching"]
    assert (summary.done, summary.total, summary.percent) == (1, 2, 50)
    assert hours(summary.remaining_hours) == (2.5, 2.5)
    assert summary.to_json(with_steps=True)["steps"][0]["title"] is None


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
    assert sum(ranges, HourRange()).to_json() == expected


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

    out = summarize(Roadmap.model_validate(tenths), done_only("tenths/c")).to_json()

    assert out["remaining_hours"] == {"low": 0.3, "high": 0.3}
    assert out["total_hours"] == {"low": 5.3, "high": 5.3}
