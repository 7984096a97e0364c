"""Importing roadmaps from Markdown: the shipped guide, each shape of list, hours, problems."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent
from typing import Any

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli import paths, records, render
from roadmap_cli.catalog import LoadedFile, Source, load_file
from roadmap_cli.errors import InputError
from roadmap_cli.importer import (
    ImportResult,
    guess_kind,
    import_file,
    import_markdown,
    repair_text,
    slugify,
)
from roadmap_cli.importer.emit import kind_named
from roadmap_cli.importer.inline import _FIXER
from roadmap_cli.models import Resource, RoadmapFile
from roadmap_cli.yamlfile import dump, parse_yaml
from tests.conftest import Invoke, failed, ok

GUIDE = Path(__file__).parent / "data" / "llm_guide.md"
MOJIBAKE = ("â€", "ðŸ", "Ã")


def run(markdown: str, taken: set[str] | None = None) -> ImportResult:
    """Import dedented Markdown and check that the data is a valid roadmap file."""
    result = import_markdown(dedent(markdown), source="test.md", taken_ids=taken or set())
    RoadmapFile.model_validate(result.data)
    return result


def roadmaps(result: ImportResult) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = result.data["roadmaps"]
    return found


def all_resources(roadmap: dict[str, Any]) -> list[dict[str, Any]]:
    if "steps" in roadmap:
        return [res for step in roadmap["steps"] for res in step["resources"]]
    found: list[dict[str, Any]] = roadmap["resources"]
    return found


def hours(resource: dict[str, Any]) -> tuple[float, float]:
    value = resource["hours"]
    if isinstance(value, dict):
        return value["low"], value["high"]
    return value, value


def totals(roadmap: dict[str, Any]) -> tuple[float, float]:
    pairs = [hours(res) for res in all_resources(roadmap)]
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def problem_lines(result: ImportResult) -> list[int]:
    return [p.line for p in result.problems]


# --- the guide the shipped roadmaps come from -------------------------------------------------


@pytest.fixture(scope="module")
def guide() -> ImportResult:
    text = GUIDE.read_text(encoding="utf-8")
    return import_markdown(text, source=str(GUIDE), taken_ids={"long", "short"})


@pytest.fixture(scope="module")
def shipped() -> LoadedFile:
    return load_file(Source(paths.shipped_roadmaps(), "shipped"))


def imported(result: ImportResult) -> LoadedFile:
    """The roadmaps an import gives, as the catalog would hold them."""
    guide, roadmaps = records.from_file(RoadmapFile.model_validate(result.data))
    return LoadedFile(Source(Path("imported.yaml"), "test"), guide, roadmaps)


def test_guide_imports_the_shipped_titles_steps_and_links(
    guide: ImportResult, shipped: LoadedFile
) -> None:
    got = imported(guide)
    assert got.guide is not None
    assert shipped.guide is not None
    assert got.guide.title == shipped.guide.title
    assert len(got.roadmaps) == len(shipped.roadmaps) == 2
    for mine, theirs in zip(got.roadmaps, shipped.roadmaps, strict=True):
        assert mine.title == theirs.title
        assert mine.summary == theirs.summary
        assert mine.note == theirs.note
        assert mine.stated_hours == theirs.stated_hours
        assert [(s.title, s.description) for s in mine.sections()] == [
            (s.title, s.description) for s in theirs.sections()
        ]
        assert [(r.title, r.url, r.kind) for r in mine.all_resources()] == [
            (r.title, r.url, r.kind) for r in theirs.all_resources()
        ]
        assert (mine.sections()[0].title is None) == (theirs.sections()[0].title is None)


def test_guide_overview_is_the_shipped_one_up_to_the_quote_style(
    guide: ImportResult, shipped: LoadedFile
) -> None:
    got = imported(guide)
    assert got.guide is not None
    assert shipped.guide is not None
    assert got.guide.overview is not None
    assert shipped.guide.overview is not None
    # The source writes one apostrophe straight ("it's"); the shipped file curls it.
    assert got.guide.overview.replace("'", "’") == shipped.guide.overview
    assert "**" not in got.guide.overview


def test_guide_estimates_add_up_to_the_stated_totals(guide: ImportResult) -> None:
    for roadmap in imported(guide).roadmaps:
        assert roadmap.stated_hours is not None
        low = sum(r.hours.low for r in roadmap.all_resources())
        high = sum(r.hours.high for r in roadmap.all_resources())
        assert low == pytest.approx(roadmap.stated_hours.low, abs=1e-9)
        assert high == pytest.approx(roadmap.stated_hours.high, abs=1e-9)
        for resource in roadmap.all_resources():
            assert resource.basis


def test_guide_workshop_is_a_three_hour_placeholder(guide: ImportResult) -> None:
    long = imported(guide).roadmaps[0]
    workshop = list(long.all_resources())[-1]
    assert workshop.kind == "workshop"
    assert workshop.placeholder
    assert workshop.link_pending
    assert (workshop.hours.low, workshop.hours.high) == (3, 3)
    assert workshop.basis is not None
    assert "3-hour" in workshop.basis
    others = [r for r in long.all_resources() if r is not workshop]
    assert all(not r.placeholder for r in others)
    assert all(r.basis is not None and "Apportioned" in r.basis for r in others)


def test_guide_ids_avoid_the_taken_ones(guide: ImportResult) -> None:
    ids = [r["id"] for r in roadmaps(guide)]
    assert not set(ids) & {"long", "short"}
    again = import_markdown(
        GUIDE.read_text(encoding="utf-8"),
        source="guide.md",
        taken_ids={ids[0], ids[1], f"{ids[1]}-2"},
    )
    assert [r["id"] for r in roadmaps(again)] == [f"{ids[0]}-2", f"{ids[1]}-3"]


def test_guide_has_no_mis_encoded_text_left(guide: ImportResult) -> None:
    written = dump(guide.data)
    for sequence in MOJIBAKE:
        assert sequence not in written
    assert "🧠" in written
    assert "Ng’s" in written
    assert "80–100+" in written


def test_guide_survives_yaml_and_the_catalog(guide: ImportResult, tmp_path: Path) -> None:
    path = tmp_path / "guide.yaml"
    path.write_text(dump(guide.data), encoding="utf-8")
    loaded = load_file(Source(path, "--roadmaps"))
    assert loaded.roadmaps == imported(guide).roadmaps
    assert guide.problems == []
    assert guide.progress == {}


# --- the shapes of Markdown it understands ----------------------------------------------------


def test_bold_leads_with_nested_links_are_steps() -> None:
    result = run("""\
        ## Python (10 hours)
        1. **Basics** – syntax and types
           - [Tutorial](https://docs.python.org/3/tutorial/)
           - [Automate](https://automatetheboringstuff.com/)
        2. **Tooling:** venv and pip
           * [Packaging](https://packaging.python.org/)
        - Testing — with pytest
          - [pytest](https://docs.pytest.org/)
        """)
    [roadmap] = roadmaps(result)
    assert roadmap["title"] == "Python"
    assert [(s["title"], s.get("description")) for s in roadmap["steps"]] == [
        ("Basics", "syntax and types"),
        ("Tooling", "venv and pip"),
        ("Testing", "with pytest"),
    ]
    assert [r["url"] for r in roadmap["steps"][0]["resources"]] == [
        "https://docs.python.org/3/tutorial/",
        "https://automatetheboringstuff.com/",
    ]
    assert result.problems == []


def test_a_flat_list_of_links_is_a_flat_roadmap_with_descriptions() -> None:
    result = run("""\
        ## Reading (3 h)
        - [One](https://one.org/a) – the first
        - [Two](https://two.org/b) - the second
        - **[Three](https://three.org/c)** — the third
        - [Four](https://four.org/d)
        """)
    [roadmap] = roadmaps(result)
    assert "steps" not in roadmap
    assert [(r["title"], r["url"], r.get("description")) for r in roadmap["resources"]] == [
        ("One", "https://one.org/a", "the first"),
        ("Two", "https://two.org/b", "the second"),
        ("Three", "https://three.org/c", "the third"),
        ("Four", "https://four.org/d", None),
    ]


def test_bare_urls_are_resources_titled_by_their_text_or_address() -> None:
    result = run("""\
        ## Links (2 h)
        - Ferris book: https://ferris.rs/book. Short and sweet.
        - https://youtu.be/abc123 – a video
        - See <https://autolink.org/page>
        """)
    resources = roadmaps(result)[0]["resources"]
    assert [(r["title"], r["url"]) for r in resources] == [
        ("Ferris book", "https://ferris.rs/book"),
        ("youtu.be/abc123", "https://youtu.be/abc123"),
        ("See", "https://autolink.org/page"),
    ]
    assert resources[0]["description"] == "Short and sweet."
    assert resources[1]["description"] == "a video"
    assert resources[1]["kind"] == "video"


def test_a_table_with_a_duration_column_is_a_list_of_resources() -> None:
    result = run("""\
        ## Courses

        | Course | Link | Duration | Notes |
        |---|---|---|---|
        | Intro to CS | [CS50](https://cs50.harvard.edu/x/) | 6 weeks at 5 h/week | Start here |
        | [Async Rust](https://async.rs/) | | 12 hours | |
        | Compilers | https://craftinginterpreters.com/ | 40 | |
        """)
    resources = roadmaps(result)[0]["resources"]
    assert [(r["title"], r["url"], hours(r)) for r in resources] == [
        ("Intro to CS", "https://cs50.harvard.edu/x/", (30, 30)),
        ("Async Rust", "https://async.rs/", (12, 12)),
        ("Compilers", "https://craftinginterpreters.com/", (40, 40)),
    ]
    assert resources[0]["description"] == "Start here"
    assert result.problems == []


def test_ticked_task_list_items_are_offered_as_progress() -> None:
    result = run("""\
        ## Tasks (3 h)
        - [x] [Done one](https://a.org/1)
        - [ ] [Open one](https://a.org/2)
        - [X] https://a.org/3
        - \\[x\\] [Escaped](https://a.org/4)
        """)
    [roadmap] = roadmaps(result)
    titles = [r["title"] for r in roadmap["resources"]]
    assert titles == ["Done one", "Open one", "a.org/3", "Escaped"]
    rid = roadmap["id"]
    assert result.progress == {f"{rid}/done-one": "done", f"{rid}/a-org-3": "done"}


def test_a_ticked_step_marks_each_of_its_resources() -> None:
    result = run("""\
        ## Steps (2 h)
        - [x] **First**
          - [A](https://a.org/a)
          - [B](https://a.org/b)
        - [ ] **Second**
          - [C](https://a.org/c)
        """)
    assert sorted(result.progress) == ["steps/a", "steps/b"]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("45 min", (0.75, 0.75)),
        ("~6 weeks at 10 h/week", (60, 60)),
        ("4–6 weeks at 5–8 h/week", (20, 48)),
        ("2-3 hours", (2, 3)),
        ("(2–3 hours)", (2, 3)),
        ("a 3-hour workshop", (3, 3)),
        ("2 h", (2, 2)),
        ("1.5 hrs", (1.5, 1.5)),
        ("1h 30m", (1.5, 1.5)),
        ("90 minutes", (1.5, 1.5)),
    ],
)
def test_hour_phrases_after_a_link_are_its_estimate(
    phrase: str, expected: tuple[float, float]
) -> None:
    result = run(f"""\
        ## Phrases
        - [A](https://a.org/) – {phrase}
        """)
    [resource] = roadmaps(result)[0]["resources"]
    assert hours(resource) == pytest.approx(expected)
    assert "Stated in the source" in resource["basis"]
    assert result.problems == []


@pytest.mark.parametrize("text", ["10 h/week", "CS224 notes", "Top 10 ML models", "3 months"])
def test_text_that_is_not_an_estimate_gives_none(text: str) -> None:
    result = run(f"""\
        ## Not hours
        - [A](https://a.org/) – {text}
        """)
    [resource] = roadmaps(result)[0]["resources"]
    assert "hours" not in resource
    assert "basis" not in resource
    assert resource["description"] == text
    assert result.counts.missing == 1


@pytest.mark.parametrize(
    ("heading", "title", "stated"),
    [
        ("Long Learning Roadmap (80–100+ hours)", "Long Learning Roadmap", (80, 100, True)),
        ("Shorter Roadmap (2-3 hours)", "Shorter Roadmap", (2, 3, False)),
        ("Rust – 20 hours", "Rust", (20, 20, False)),
        ("Rust in 100+ hours", "Rust in 100+ hours", (100, 100, True)),
        ("Rust (about 45 min)", "Rust", (0.75, 0.75, False)),
    ],
)
def test_hours_in_a_roadmap_heading_are_its_stated_total(
    heading: str, title: str, stated: tuple[float, float, bool]
) -> None:
    result = run(f"""\
        ## {heading}
        - [A](https://a.org/)
        """)
    [roadmap] = roadmaps(result)
    assert roadmap["title"] == title
    got = roadmap["stated_hours"]
    assert (got["low"], got["high"], got["plus"]) == stated
    assert hours(roadmap["resources"][0]) == (stated[0], stated[1])


def test_deeper_headings_under_a_roadmap_heading_are_steps() -> None:
    result = run("""\
        # Rust
        ## Rust Roadmap (20–30 hours)
        Start here:

        ### Week 1: Basics (5 h)
        The book and exercises.

        - [The Book](https://doc.rust-lang.org/book/)
        - [Rustlings](https://github.com/rust-lang/rustlings) (1 h)
        ### Week 2
        - [Rust by Example](https://doc.rust-lang.org/rust-by-example/)
        """)
    [roadmap] = roadmaps(result)
    assert roadmap["title"] == "Rust Roadmap"
    assert roadmap["summary"] == "Start here."
    steps = roadmap["steps"]
    assert [(s["title"], s.get("description")) for s in steps] == [
        ("Basics", "The book and exercises."),  # the heading's own numbering goes
        ("Week 2", None),
    ]
    book, rustlings = steps[0]["resources"]
    assert hours(book) == (4, 4)
    assert hours(rustlings) == (1, 1)
    assert hours(steps[1]["resources"][0]) == (15, 25)
    assert totals(roadmap) == pytest.approx((20, 30))


def test_headings_that_each_state_hours_under_a_group_heading_are_roadmaps() -> None:
    result = run("""\
        ## Learning Roadmaps
        ### Long path (10 hours)
        - [A](https://a.org/)
        ### Short path (2 hours)
        - [B](https://b.org/)
        """)
    assert [(r["title"], r["stated_hours"]["high"]) for r in roadmaps(result)] == [
        ("Long path", 10),
        ("Short path", 2),
    ]
    assert result.problems == []


def test_shares_of_the_stated_total_add_up_exactly() -> None:
    result = run("""\
        ## Short (2–3 hours)
        - [A](https://a.org/a)
        - [B](https://a.org/b)
        - [C](https://a.org/c)
        - [D](https://a.org/d) – 30 min
        """)
    resources = roadmaps(result)[0]["resources"]
    assert [hours(r) for r in resources] == [(0.5, 0.83), (0.5, 0.83), (0.5, 0.84), (0.5, 0.5)]
    assert totals(roadmaps(result)[0]) == pytest.approx((2, 3), abs=1e-9)
    assert all("stated 2–3 hours" in r["basis"] for r in resources[:3])


def test_estimates_beyond_the_stated_total_are_reported() -> None:
    result = run("""\
        ## Tight (2 hours)
        - [A](https://a.org/a) – 3 hours
        - [B](https://a.org/b)
        """)
    assert hours(roadmaps(result)[0]["resources"][1]) == (0, 0)
    assert problem_lines(result) == [1]
    assert "do not fit its stated 2 hours" in result.problems[0].message


def test_without_any_stated_hours_each_resource_gets_one_hour_and_a_problem() -> None:
    result = run("""\
        # Guide

        - [A](https://a.org/a)
        - [B](https://a.org/b) – 2 h
        """)
    a, b = roadmaps(result)[0]["resources"]
    assert "hours" not in a
    assert "basis" not in a
    assert hours(b) == (2, 2)
    assert result.problems == []
    assert (result.counts.from_text, result.counts.missing) == (1, 1)


def test_placeholders_by_remark_or_reserved_domain() -> None:
    result = run("""\
        ## Pending (3 h)
        - [Workshop Link](https://www.example.com/llm-workshop) *(replace with actual link)*
        - [Soon](https://soon.org/x) *(link coming soon)*
        - [Demo](https://example.org/demo)
        - [Real](https://real.org/x) *(great one)*
        """)
    resources = roadmaps(result)[0]["resources"]
    assert [r.get("placeholder", False) for r in resources] == [True, True, True, False]
    assert "replace with actual link" in resources[0]["description"]
    assert resources[3]["description"] == "(great one)"


@pytest.mark.parametrize(
    ("title", "url", "kind"),
    [
        ("Intro", "https://www.youtube.com/watch?v=x", "video"),
        ("Intro", "https://youtu.be/x", "video"),
        ("Intro", "https://vimeo.com/1", "video"),
        ("Machine Learning", "https://www.coursera.org/learn/ml", "course"),
        ("Intro", "https://www.edx.org/x", "course"),
        ("Stanford CS224N", "http://web.stanford.edu/class/cs224n/", "course"),
        ("NLP", "http://web.stanford.edu/class/cs224n/", "course"),
        ("Deep Learning Specialization", "https://a.org/", "course"),
        ("RLHF", "https://huggingface.co/blog/rlhf", "post"),
        ("Notes", "https://someone.medium.com/x", "post"),
        ("Notes", "https://x.substack.com/p/y", "post"),
        ("Workshop Link", "https://www.example.com/w", "workshop"),
        ("Rust docs", "https://doc.rust-lang.org/std/", "other"),
    ],
)
def test_kind_is_guessed_from_url_and_title(title: str, url: str, kind: str) -> None:
    assert guess_kind(title, url) == kind


def test_summary_is_the_line_under_the_heading_and_notes_the_quotes() -> None:
    result = run("""\
        ## Path (1 h)
        Recommended for a **deep understanding**:

        > A first *note*.

        - [A](https://a.org/)

        > This path is for **you**.

        > And one more.
        """)
    [roadmap] = roadmaps(result)
    assert roadmap["summary"] == "Recommended for a deep understanding."
    assert roadmap["note"] == "A first note.\n\nThis path is for you.\n\nAnd one more."


def test_overview_comes_from_the_h1_intro_and_the_overview_section() -> None:
    result = run("""\
        # My **Guide**

        Read this *first*.

        ## Overview
        > Quoted **wisdom**.

        Plain words.

        ## Path (1 h)
        - [A](https://a.org/)
        """)
    assert result.data["guide"] == {
        "title": "My Guide",
        "overview": "Read this first.\n\nQuoted wisdom.\n\nPlain words.",
    }


def test_a_list_of_links_under_a_bare_h1_is_a_roadmap_and_the_guide() -> None:
    result = run("""\
        # Rust links
        - [Book](https://doc.rust-lang.org/book/)
        """)
    assert result.data["guide"] == {"title": "Rust links"}
    assert roadmaps(result)[0]["title"] == "Rust links"


def test_a_headingless_list_is_a_roadmap_named_after_the_source() -> None:
    result = import_markdown(
        "- [Book](https://doc.rust-lang.org/book/)\n", source="notes/rust_links.md", taken_ids=set()
    )
    assert roadmaps(result)[0]["title"] == "rust links"


def test_what_cannot_be_placed_is_reported_with_its_line() -> None:
    result = run("""\
        # Guide

        ## Overview
        See [the site](https://site.org/) for more.

        - [Stray](https://stray.org/)

        ## Empty

        ## Path (4 h)
        - [Good](https://good.org/)
        - Just some words
        - [Relative](/docs/page)
        - [Port](https://a.org:99999/)

        | Title | Link | Hours |
        |---|---|---|
        | Nothing here | | 2 |

        ```
        code
        ```

        ## Epilogue
        Good luck!
        """)
    assert [r["title"] for r in roadmaps(result)] == ["Path"]
    assert [r["title"] for r in all_resources(roadmaps(result)[0])] == ["Good"]
    messages = dict(result.problems)
    assert problem_lines(result) == [4, 6, 8, 12, 13, 14, 18, 20, 25]
    assert "“the site” (https://site.org/) is in running text" in messages[4]
    assert "“Stray”" in messages[6]
    assert "not under a roadmap heading" in messages[6]
    assert messages[8] == "the heading “Empty” has nothing under it"
    assert messages[12] == "a list item without a link: “Just some words”; not imported"
    assert "(/docs/page) is relative: it points to a file beside the Markdown" in messages[13]
    assert "“Port”" in messages[14]
    assert "port" in messages[14]
    assert "table row without a link: “Nothing here | 2”" in messages[18]
    assert "code block" in messages[20]
    assert "“Epilogue”" in messages[25]


def test_a_step_whose_links_are_all_unusable_is_dropped_and_reported() -> None:
    result = run("""\
        ## Path (2 h)
        1. **One**
           - [A](https://a.org/)
        2. **Two**
           - [B](notes/b.md)
        """)
    assert [s["title"] for s in roadmaps(result)[0]["steps"]] == ["One"]
    assert problem_lines(result) == [4, 5]
    assert "“Two” has no usable link" in dict(result.problems)[4]


@pytest.mark.parametrize(
    "markdown",
    [
        "",
        "# Title\n\nJust prose, no links at all.\n",
        "## Overview\n- [Only](https://overview.org/) in the overview\n",
        "## Path\n- [Bad](ftp://files.org/x)\n",
    ],
)
def test_no_roadmap_at_all_is_an_input_error(markdown: str) -> None:
    with pytest.raises(InputError) as caught:
        import_markdown(markdown, source="notes.md", taken_ids=set())
    assert caught.value.exit_code == 2
    message = str(caught.value)
    assert message.startswith("notes.md: found no roadmap")
    assert "heading followed by a list of links" in message


# --- text, ids and YAML -----------------------------------------------------------------------


def test_repair_fixes_mis_encoding_and_keeps_good_text() -> None:
    assert repair_text("itâ€™s 80â€“100 ðŸ§  caf\u00c3\u00a9") == "it’s 80–100 🧠 café"
    good = "It’s “quoted” – naïve café 🧠 — it's"
    assert repair_text(good) == good


def test_mis_encoded_markdown_imports_repaired_with_line_numbers_kept() -> None:
    result = run("""\
        ## Jayâ€™s path (2â€“3 hours)
        - [Karpathyâ€™s video](https://youtu.be/x) â€“ a talk
        - no link here
        """)
    [roadmap] = roadmaps(result)
    assert roadmap["title"] == "Jay’s path"
    assert roadmap["resources"][0]["title"] == "Karpathy’s video"
    assert roadmap["resources"][0]["description"] == "a talk"
    assert problem_lines(result) == [3]


def test_windows_line_endings_give_the_same_result() -> None:
    text = dedent("""\
        # Guide
        ## Path (2 h)
        - [A](https://a.org/) – 1 h
        - no link
        """)
    unix = import_markdown(text, source="a.md", taken_ids=set())
    windows = import_markdown(text.replace("\n", "\r\n"), source="a.md", taken_ids=set())
    assert windows == unix
    assert problem_lines(windows) == [4]


def test_ids_are_short_ascii_slugs_unique_in_a_roadmap() -> None:
    long_title = "A really quite extraordinarily long title for a course about things"
    result = run(f"""\
        ## Café Ünïcode — Straße (1 h)
        - [Intro](https://a.org/1)
        - [Intro](https://a.org/2)
        - [{long_title}](https://a.org/3)
        - [🧠](https://a.org/4)
        """)
    [roadmap] = roadmaps(result)
    assert roadmap["id"] == "cafe-unicode-strae"
    ids = [r["id"] for r in roadmap["resources"]]
    assert ids[:2] == ["intro", "intro-2"]
    # Cut at a word: the next one would make it longer than 40 characters.
    assert ids[2] == "a-really-quite-extraordinarily-long"
    assert ids[3] == "a-org-4"


def test_slugify_folds_and_shortens_at_a_word() -> None:
    assert slugify("Andrew Ng’s Machine Learning Course") == "andrew-ngs-machine-learning-course"
    assert slugify("Élan & Vital") == "elan-vital"
    assert slugify("word " * 30) == "-".join(["word"] * 8)
    assert slugify("x" * 100) == "x" * 40
    assert slugify("🧠 ——") == ""


def test_yaml_is_readable_and_reads_back_the_same() -> None:
    result = run("""\
        # Guide

        One.

        Two.

        ## Path (1–2 h)
        - [A](https://a.org/) – yes: no
        """)
    text = dump(result.data)
    assert "overview: |-\n    One.\n\n    Two.\n" in text
    assert "stated_hours: {low: 1, high: 2, plus: false}" in text
    assert "\n  - id: path\n" in text
    back = parse_yaml(text, Path("back.yaml")).data
    assert RoadmapFile.model_validate(back) == RoadmapFile.model_validate(result.data)


# --- anything at all --------------------------------------------------------------------------

MARKDOWN_LINES = [
    "# Guide",
    "## Overview",
    "## Rust (2-3 h)",
    "### Week 1 (5 h)",
    "## Learning Roadmaps",
    "- [a](https://a.org)",
    "- [x] [B](https://b.org) – 45 min",
    "- [ ] https://c.org/x.",
    "1. **Step** – desc",
    "   - [c](http://c.com/x) *(replace me)*",
    "     - words",
    "| Course | Link | Hours |",
    "|---|---|---|",
    "| x | [l](https://l.org) | 3 |",
    "> note",
    "text with https://bare.org/p and [in](https://prose.org)",
    "---",
    "```",
    "- [e](https://example.com) – ~6 weeks at 10 h/week",
    "- [huge](https://h.org) – 99999999999 hours",
    "itâ€™s ðŸ§  80â€“100",
    "- [ctrl\x1b[31m](https://x.org/\u202e)",
    "- [](https://x.org)",
    "- [1e3](https://x.org/1e3) – no",
    "",
]


def check_result(text: str, result: ImportResult) -> None:
    """Check what any import must give: valid data, YAML that reads back, sound REFs."""
    parsed = RoadmapFile.model_validate(result.data)
    back = parse_yaml(dump(result.data), Path("back.yaml")).data
    assert RoadmapFile.model_validate(back) == parsed
    _, loaded = records.from_file(parsed)
    refs = {f"{r.id}/{res.id}" for r in loaded for res in r.all_resources()}
    assert set(result.progress) <= refs
    assert all(status == "done" for status in result.progress.values())
    ids = [r.id for r in parsed.roadmaps]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & {"taken"}
    last_line = len(re.split(r"\r\n|\r|\n", text))
    assert all(1 <= problem.line <= last_line for problem in result.problems)


@settings(deadline=None, max_examples=200)
@given(st.text())
def test_any_text_imports_or_is_an_input_error(text: str) -> None:
    try:
        result = import_markdown(text, source="any.md", taken_ids={"taken"})
    except InputError:
        return
    check_result(text, result)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.sampled_from(MARKDOWN_LINES) | st.text(max_size=20), max_size=25))
def test_any_mix_of_markdown_lines_imports_or_is_an_input_error(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        result = import_markdown(text, source="any.md", taken_ids={"taken"})
    except InputError:
        return
    check_result(text, result)


def test_models_accept_every_resource_kind_guessed() -> None:
    kinds = {guess_kind(t, u) for t in ("Book", "Tutorial", "Paper", "Talk", "x") for u in [""]}
    assert kinds == {"book", "tutorial", "article", "video", "other"}
    for kind in kinds:
        Resource.model_validate(
            {"id": "a", "title": "A", "kind": kind, "url": "https://a.org", "hours": 1}
        )


# --- repairing, exactly --------------------------------------------------------------------

REPAIR_ALPHABET = (
    "ab0129\u2018.,?! \t\n\r\x0c\x1b[31m\x00\x7fâ€™ðŸ§\xa0ﬁ\uff2c\x85\x92é–—…’“”•ÃÂ©®™e\u0301·"
)


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet=REPAIR_ALPHABET, max_size=60) | st.text(max_size=60))
def test_repair_is_ftfy_on_every_line_but_cheaper(text: str) -> None:
    assert repair_text(text) == ftfy.fix_text(text, _FIXER)


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("1. Basics", "Basics"),
        ("1) Basics", "Basics"),
        ("1.2 Basics", "Basics"),
        ("Step 1: Basics", "Basics"),
        ("Phase 2 — Basics", "Basics"),
        ("Week 3: Basics", "Basics"),
        ("Part IV. Basics", "Basics"),
        ("Module 5 - Basics", "Basics"),
        ("Week 3", "Week 3"),
        ("100 Days of Basics", "100 Days of Basics"),
        ("Level up: Basics", "Level up: Basics"),
    ],
)
def test_a_headings_own_numbering_is_not_part_of_the_title(heading: str, title: str) -> None:
    result = run(
        f"""\
        # 2. Rust Roadmap

        ## {heading}

        - [The Book](https://doc.rust-lang.org/book/)

        ## 2) Practice

        - [Rustlings](https://github.com/rust-lang/rustlings)
        """
    )
    (roadmap,) = roadmaps(result)
    assert roadmap["title"] == "Rust Roadmap"
    assert [step["title"] for step in roadmap["steps"]] == [title, "Practice"]


def test_a_bold_leads_own_numbering_is_not_part_of_the_step_title() -> None:
    result = run("""        ## Rust Roadmap

        - **Step 1: Read** – the book
          - [The Book](https://doc.rust-lang.org/book/)
        - **2. Practice**
          - [Rustlings](https://github.com/rust-lang/rustlings)
        """)
    (roadmap,) = roadmaps(result)
    assert [step["title"] for step in roadmap["steps"]] == ["Read", "Practice"]


CONTENTS_AND_CONTRIBUTING = """\
    # Rust Roadmap

    A path to concurrent Rust.

    - [Basics](#basics)
    - [Practice](#practice)
      - [Exercises](#exercises)

    ## 📑 Table of Contents

    1. [Basics](#basics)
    2. [Elsewhere](https://example.org/toc)

    ## Basics

    - [The Book](https://doc.rust-lang.org/book/)

    ## Practice

    - [Rustlings](https://github.com/rust-lang/rustlings)

    ## 🤝 Contributing!

    PRs welcome! See [CONTRIBUTING.md](CONTRIBUTING.md). Licensed under MIT.

    ### How to send a PR

    - [GitHub docs](https://docs.github.com/pull-requests)

    ## LICENSE

    MIT

    ## License

    Also MIT.

    ## Star History

    [![Star History Chart](https://api.star-history.com/svg?repos=a/b)](https://star-history.com/#a/b)
    """


def test_a_table_of_contents_is_skipped_silently() -> None:
    result = run(CONTENTS_AND_CONTRIBUTING)
    (roadmap,) = roadmaps(result)
    assert [step["title"] for step in roadmap["steps"]] == ["Basics", "Practice"]
    assert roadmap["summary"] == "A path to concurrent Rust."
    assert not any("#" in problem.message for problem in result.problems)
    assert not any("example.org" in problem.message for problem in result.problems)


def test_sections_that_are_not_the_path_are_skipped_and_named_once() -> None:
    result = run(CONTENTS_AND_CONTRIBUTING)
    (roadmap,) = roadmaps(result)
    assert "note" not in roadmap
    urls = {r["url"] for r in all_resources(roadmap)}
    assert urls == {"https://doc.rust-lang.org/book/", "https://github.com/rust-lang/rustlings"}
    assert result.skipped == ["Contributing", "LICENSE", "Star History"]
    assert not any("CONTRIBUTING" in problem.message for problem in result.problems)


def test_the_import_report_names_the_skipped_sections_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "rust.md"
    source.write_text(dedent(CONTENTS_AND_CONTRIBUTING), encoding="utf-8")
    done = import_file(source, target=tmp_path / "rust.yaml", taken_ids=set(), force=False)
    render.imported(source, done, marked=False)
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert [line.strip() for line in lines if "Skipped" in line] == [
        "Skipped sections: Contributing, LICENSE, Star History"
    ]


def test_badges_images_anchors_and_mailto_links_are_not_resources() -> None:
    result = run("""\
        # Go Roadmap [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

        [![Build](https://github.com/a/b/actions/workflows/ci.yml/badge.svg)](https://a.org/ci)
        [![Stars](https://img.shields.io/github/stars/a/b)](https://github.com/a/b)

        ![logo](https://example.org/logo.png) Learn Go from scratch.

        ## Basics

        - [Tour of Go](https://go.dev/tour/) - the official tour
        - [Screenshot](https://example.org/tour.png)
        - [![Go](https://img.shields.io/badge/go-1.22-blue)](https://go.dev/)
        - [Back to top](#go-roadmap)
        - [Write to me](mailto:me@example.org)
        - [Local notes](notes/basics.md)
        """)
    (roadmap,) = roadmaps(result)
    assert roadmap["title"] == "Go Roadmap"
    assert roadmap["summary"] == "Learn Go from scratch."
    assert [r["url"] for r in all_resources(roadmap)] == ["https://go.dev/tour/"]
    messages = [message for _, message in result.problems]
    assert not any(word in m for m in messages for word in ("badge", "shields", "awesome.re"))
    assert problem_lines(result) == [15]  # the relative link
    assert "(notes/basics.md) is relative" in dict(result.problems)[15]


def test_a_document_without_several_paths_is_one_roadmap_titled_by_its_h1() -> None:
    result = run("""\
        # Awesome Go

        > A curated list of Go frameworks.

        Read it top to bottom.

        ## Web

        ### Frameworks

        * [Gin](https://github.com/gin-gonic/gin) - A fast HTTP web framework.

        ### Templates

        * [templ](https://github.com/a-h/templ) - Type-safe HTML templates.

        ## Learning

        Start with a book.

        - Books
          - [Learning Go](https://www.oreilly.com/library/view/learning-go/9781492077206/)
        - Courses
          - [Go by Example](https://gobyexample.com/) - Annotated programs.
        - [Go Tour](https://go.dev/tour/)

        ## Prerequisites

        Some programming.
        """)
    (roadmap,) = roadmaps(result)
    assert roadmap["title"] == "Awesome Go"
    assert roadmap["summary"] == "A curated list of Go frameworks."
    assert roadmap["note"] == "Read it top to bottom.\n\nSome programming."
    steps = [(step["title"], step.get("description")) for step in roadmap["steps"]]
    assert steps == [
        ("Web: Frameworks", None),
        ("Web: Templates", None),
        ("Learning: Books", "Start with a book."),
        ("Learning: Courses", None),
        ("Learning", None),
    ]


def test_headings_without_a_title_heading_are_steps_of_a_roadmap_named_after_the_file() -> None:
    result = run("""\
        Links I keep.

        ## Rust
        - [The Book](https://doc.rust-lang.org/book/)
        ## Go
        - [Go Tour](https://go.dev/tour/)
        """)
    (roadmap,) = roadmaps(result)
    assert (roadmap["title"], roadmap["summary"]) == ("test", "Links I keep.")
    assert [step["title"] for step in roadmap["steps"]] == ["Rust", "Go"]


def test_the_same_url_twice_in_a_roadmap_is_one_resource() -> None:
    result = run("""\
        # Rust Roadmap

        ## Basics

        - [The Book](https://doc.rust-lang.org/book/)
        - [Rustlings](https://github.com/rust-lang/rustlings)

        ## Again

        - [x] [The Rust Book](https://doc.rust-lang.org/book) - 20 hours
        """)
    (roadmap,) = roadmaps(result)
    assert [step["title"] for step in roadmap["steps"]] == ["Basics"]
    book, _ = roadmap["steps"][0]["resources"]
    assert (book["title"], hours(book)) == ("The Book", (20, 20))
    assert result.progress == {"rust-roadmap/the-book": "done"}
    assert "is in this roadmap already (line 5); imported once" in dict(result.problems)[10]


def test_a_type_column_sets_the_kind_and_the_host_is_only_the_fallback() -> None:
    result = run("""\
        ## Rust Roadmap

        | Resource | Format | Time |
        |---|---|---|
        | [Rust Atomics and Locks](https://marabos.nl/atomics/) | Book | 15 h |
        | [Async Book](https://rust-lang.github.io/async-book/) | books | 5 h |
        | [Rustlings](https://github.com/rust-lang/rustlings) | Exercises | 10 h |
        | [Crust of Rust](https://www.youtube.com/playlist?list=PL) | | 20 h |
        | [Rust docs](https://doc.rust-lang.org/std/) | Documentation | 5 h |
        | [Tokio tutorial](https://tokio.rs/tokio/tutorial) | Interactive | 5 h |
        """)
    kinds = [r["kind"] for r in all_resources(roadmaps(result)[0])]
    assert kinds == ["book", "book", "exercises", "video", "docs", "tutorial"]  # by title last


def test_markers_in_a_list_item_set_the_kind() -> None:
    result = run("""\
        ## Python Roadmap

        - 📘 Book: [Fluent Python](https://fluentpython.com/) - the deep one
        - [Video] [Python in 100 seconds](https://a.org/py100)
        - [Real Python](https://realpython.com/) (tutorial) – hands-on guides
        - Book — [Automate the Boring Stuff](https://automatetheboringstuff.com/)
        - **Docs:** [Python docs](https://docs.python.org/3/)
        - [Exercism](https://exercism.org/tracks/python) - exercises
        - [Async Book](https://rust-lang.github.io/async-book/) - Video course
        - [Build a shell](https://b.org/shell) [Project]
        """)
    (roadmap,) = roadmaps(result)
    assert "steps" not in roadmap  # "**Docs:**" names a kind: it is no step
    got = [(r["kind"], r["title"], r.get("description")) for r in roadmap["resources"]]
    assert got == [
        ("book", "Fluent Python", "the deep one"),
        ("video", "Python in 100 seconds", None),
        ("tutorial", "Real Python", "hands-on guides"),
        ("book", "Automate the Boring Stuff", None),
        ("docs", "Python docs", None),
        ("exercises", "Exercism", None),
        ("course", "Async Book", None),
        ("project", "Build a shell", None),
    ]


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("Books", "book"),
        ("📘 Book:", "book"),
        ("Video course", "course"),
        ("Videos", "video"),
        ("Article", "article"),
        ("Blog post", "post"),
        ("Docs", "docs"),
        ("Documentation", "docs"),
        ("TUTORIALS", "tutorial"),
        ("Workshop", "workshop"),
        ("Podcast", "podcast"),
        ("Exercises", "exercises"),
        ("Projects", "project"),
        ("Web", None),
        ("a book about Rust", None),
    ],
)
def test_kind_words_map_case_insensitively_with_plurals(words: str, kind: str | None) -> None:
    assert kind_named(words) == kind
    if kind is not None:
        Resource.model_validate(
            {"id": "a", "title": "A", "kind": kind, "url": "https://a.org", "hours": 1}
        )


def test_a_category_or_a_description_names_the_kind_and_back_to_top_lines_go() -> None:
    result = run("""\
        # Awesome Go

        **Table of Contents**

        - [Books](#books)

        ## Books

        * [Learning Go](https://www.oreilly.com/library/view/learning-go/9781492077206/)
        * [Go 101](https://go101.org/) - A video series. [Video]

        **[⬆ back to top](#awesome-go)**

        ## Websites

        - Papers
          - [Go at Google](https://go.dev/talks/2012/splash.article)
        - [Maths for ML](https://mml-book.github.io/) - Free book on linear algebra.
        """)
    (roadmap,) = roadmaps(result)
    assert "note" not in roadmap
    assert [step.get("description") for step in roadmap["steps"]] == [None, None, None]
    kinds = [(r["title"], r["kind"]) for r in all_resources(roadmap)]
    assert kinds == [
        ("Learning Go", "book"),
        ("Go 101", "video"),
        ("Go at Google", "article"),
        ("Maths for ML", "book"),  # not "post", as its host (github.io) would say
    ]


def test_a_banner_heading_above_the_h1_is_no_step_and_shortcodes_go_from_titles() -> None:
    result = run("""\
        ### [Acme, the sponsor](https://acme.example.com/)

        ----

        # Every Programmer Should Know :thinking:
        A collection of things every developer should know.

        ### Services :zap:
        - [Fly](https://fly.io/)

        ### Learning through entertainment:
        - [Nandgame](https://nandgame.com/)

        ## Team

        - [Someone](https://github.com/someone)
        """)
    (roadmap,) = roadmaps(result)
    assert roadmap["title"] == "Every Programmer Should Know"
    titles = [step["title"] for step in roadmap["steps"]]
    assert titles == ["Services", "Learning through entertainment"]
    assert dict(result.problems)[1] == (
        "the heading “Acme, the sponsor” is above the document's title, not part of the path; "
        "not imported"
    )
    assert result.skipped == ["Team"]


def test_a_curriculum_heading_over_groups_of_tables_is_one_roadmap() -> None:
    result = run("""\
        # Summary

        A complete education in data science.

        # Curriculum

        ## Intro

        Courses | Duration | Effort
        :-- | :--: | :--:
        [Python for Everybody](https://www.py4e.com/lessons) | 10 weeks | 10 hours/week

        ## Core

        ### Core math

        Courses | Duration | Effort
        :-- | :--: | :--:
        [Data Structures](https://www.coursera.org/learn/data-structures) | 6 weeks | 6-8 hours/week
        """)
    assert result.data["guide"]["overview"] == "A complete education in data science."
    (roadmap,) = roadmaps(result)
    assert roadmap["title"] == "Curriculum"
    assert [step["title"] for step in roadmap["steps"]] == ["Intro", "Core: Core math"]
    python, structures = all_resources(roadmap)
    assert (python["kind"], hours(python)) == ("course", (100, 100))
    assert (structures["kind"], hours(structures)) == ("course", (36, 48))
    assert structures["basis"] == "Stated in the source: “6 weeks at 6-8 hours/week”."


@pytest.mark.parametrize(
    ("heading", "skipped"),
    [
        ("Credits & License", True),
        ("License and Authors", True),
        ("🙏 Acknowledgments", True),
        ("Code of Conduct", True),
        ("Licenses", False),  # a topic: software licenses
        ("Courses and Support", False),
    ],
)
def test_which_headings_are_not_the_path(heading: str, skipped: bool) -> None:
    result = run(f"""\
        # Roadmap

        ## Basics
        - [The Book](https://doc.rust-lang.org/book/)

        ## {heading}
        - [Elsewhere](https://example.org/x)

        | Picture | Type |
        |---|---|
        | ![diagram](img/cap.png) | Image |
        """)
    assert bool(result.skipped) == skipped
    assert not any("Image" in message for _, message in result.problems)  # a picture goes


# --- totals in prose, days and weeks, and no estimate made up ---------------------------------


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        ("Total time: about 60–80 hours.", (60, 80)),
        ("Estimated effort: ~40h.", (40, 40)),
        ("It takes 3 weeks at 5 h/week, give or take.", (15, 15)),
        ("≈ 12 hrs if you do the exercises.", (12, 12)),
        ("Expect 2 weeks of evenings.", (20, 20)),  # a week counted as 10 h
        ("Each video is about 10 minutes long.", None),
        ("I study 2 hours a day.", None),
        ("Our 12-week bootcamp, in order.", None),
    ],
)
def test_a_total_in_the_introduction_is_the_roadmaps_stated_total(
    sentence: str, stated: tuple[float, float] | None
) -> None:
    result = run(f"""\
        # Go

        Learn Go. {sentence}

        - [A](https://a.org/) – 1 h
        - [B](https://b.org/)
        """)
    (roadmap,) = roadmaps(result)
    if stated is None:
        assert "stated_hours" not in roadmap
        assert "hours" not in all_resources(roadmap)[1]
        assert result.counts.missing == 1
    else:
        assert (roadmap["stated_hours"]["low"], roadmap["stated_hours"]["high"]) == stated
        b = all_resources(roadmap)[1]
        assert hours(b) == (stated[0] - 1, stated[1] - 1)  # what the total leaves
        assert b["basis"].startswith("Apportioned on import from the roadmap’s stated")
        assert result.counts.apportioned == 1


def test_a_total_in_a_steps_introduction_is_shared_among_its_resources() -> None:
    result = run("""\
        # Go

        ## Basics

        Estimated effort: ~6h.

        - [A](https://a.org/)
        - [B](https://b.org/)
        """)
    a, b = all_resources(roadmaps(result)[0])
    assert hours(a) == hours(b) == (3, 3)
    assert a["basis"] == "Split evenly from the step’s stated hours (“Estimated effort: ~6h”)."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h 30m", (2.5, 2.5)),
        ("1.5 hrs", (1.5, 1.5)),
        ("45 minutes", (0.75, 0.75)),
        ("90 min", (1.5, 1.5)),
        ("3 days", (12, 12)),
        ("2 weeks", (20, 20)),
        ("1-2 weeks", (10, 20)),
    ],
)
def test_durations_in_an_item_become_hours(text: str, expected: tuple[float, float]) -> None:
    result = run(f"""\
        ## Go
        - [A](https://a.org/) – {text}
        """)
    [resource] = roadmaps(result)[0]["resources"]
    assert hours(resource) == expected
    assert text in resource["basis"]


def test_days_and_weeks_convert_at_the_rates_given(
    invoke: Invoke, tmp_path: Path, wide: None
) -> None:
    source = tmp_path / "go.md"
    source.write_text("## Go\n- [A](https://a.org/) – 3 days\n- [B](https://b.org/) – 2 weeks\n")
    out = tmp_path / "go.yaml"

    ok_run = invoke(
        "import", str(source), "-o", str(out), "--hours-per-day", "2.5", "--hours-per-week", "6"
    )

    assert ok_run.exit_code == 0, ok_run.output
    a, b = parse_yaml(out.read_text("utf-8"), out).data["roadmaps"][0]["resources"]
    assert (a["hours"], b["hours"]) == (7.5, 12)
    assert "(a day counted as 2.5 h)" in a["basis"]
    assert "(a week counted as 6 h)" in b["basis"]


@pytest.mark.parametrize(
    ("option", "value"),
    [("--hours-per-day", "0"), ("--hours-per-day", "25"), ("--hours-per-week", "169")],
)
def test_a_rate_that_is_not_one_is_refused_and_nothing_is_written(
    invoke: Invoke, tmp_path: Path, option: str, value: str
) -> None:
    source = tmp_path / "go.md"
    source.write_text("## Go\n- [A](https://a.org/) – 3 days\n")
    out = tmp_path / "go.yaml"

    message = failed(invoke("import", str(source), "-o", str(out), option, value), 2, option)

    assert len(message.strip().splitlines()) == 1
    assert "Nothing was written" in message
    assert not out.exists()


def test_the_help_says_the_default_rates(invoke: Invoke, wide: None) -> None:
    from roadmap_cli import importer

    shown = " ".join(ok(invoke("import", "--help")).split())
    assert f"in '3 days' (default {importer.HOURS_PER_DAY:g})" in shown
    assert f"in '2 weeks' (default {importer.HOURS_PER_WEEK:g})" in shown


REPORTED = """\
# Go

Total time: about 10 hours.

## Contents
- [Basics](#basics)

## Basics
- [A](https://a.org/) – 2 h
- [B](https://b.org/)
- [ ] [C](https://c.org/) – ticked? no
- [x] [D](https://d.org/) – 1 h
- [Notes](notes.md)

## Later
- [E](https://e.org/)

## License
MIT
"""


def test_dry_run_reports_what_the_import_would_make_and_writes_nothing(
    invoke: Invoke, tmp_path: Path, wide: None
) -> None:
    source = tmp_path / "go.md"
    source.write_text(REPORTED, encoding="utf-8")
    target = tmp_path / "go.yaml"

    dry = invoke("import", str(source), "-o", str(target), "--dry-run", "--with-progress")

    assert dry.exit_code == 0, dry.output
    assert not target.exists()
    assert not (tmp_path / "data" / "progress.json").exists()
    report = [line.strip() for line in dry.stdout.splitlines()]
    assert report[:6] == [
        f"Dry run: would import 1 roadmap (go) to {target}; nothing was written",
        "Found: 1 roadmap, 2 steps, 5 resources",
        "Estimates: 2 from the text, 3 apportioned from a stated total",
        "Skipped sections: License",
        "Not placed: 1 line (13), below",
        "Ticked items: 1, not marked: a dry run changes nothing",
    ]
    assert report[6].startswith(f"{source}:13: the link “Notes” (notes.md) is relative")
    assert "Check it with" not in dry.stdout
    real = invoke("import", str(source), "-o", str(target))
    assert real.exit_code == 0, real.output
    assert [line.strip() for line in real.stdout.splitlines()][1:5] == report[1:5]


def test_dry_run_refuses_what_the_import_would_refuse(invoke: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "go.md"
    source.write_text(REPORTED, encoding="utf-8")
    target = tmp_path / "go.yaml"
    target.write_text("keep me", encoding="utf-8")

    failed(invoke("import", str(source), "-o", str(target), "--dry-run"), 2, "already exists")

    assert target.read_text(encoding="utf-8") == "keep me"


def test_an_import_without_any_figure_makes_no_estimate_up(invoke: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "go.md"
    source.write_text("# Go\n\n- [A](https://a.org/)\n- [B](https://b.org/)\n")

    result = invoke("import", str(source), "-o", "-")

    assert result.exit_code == 0, result.output
    assert "hours:" not in result.stdout
    assert "basis:" not in result.stdout
    assert "Estimates: 0 from the text, 2 without one (none is made up)" in result.stderr


# --- bold lines as headings, and a heading that is one resource --------------------------------


def test_a_bold_line_over_a_list_of_links_is_a_step() -> None:
    result = run("""\
        # Course

        **Lecture 1: Backpropagation**

        Gradients by hand.

        - [Video](https://v.org/1)

        **Lecture 2: Language models**

        - [Video](https://v.org/2)

        **Not a step: nothing with a link follows it**

        Just prose.
        """)
    (roadmap,) = roadmaps(result)
    steps = roadmap["steps"]
    assert [s["title"] for s in steps] == [
        "Lecture 1: Backpropagation",
        "Lecture 2: Language models",
    ]
    assert steps[0]["description"] == "Gradients by hand."
    # Not a heading: its text stays in the step it is in.
    assert steps[1]["description"].startswith("Not a step: nothing with a link follows it")


def test_a_bold_label_over_a_table_of_contents_goes_with_it() -> None:
    result = run("""\
        # Courses

        **Databases**

        - [CMU 15-445](#cmu-15-445)

        ## CMU 15-445

        - [Lectures](https://db.org/445)
        """)
    (roadmap,) = roadmaps(result)
    assert "note" not in roadmap
    assert result.problems == []


def test_a_heading_with_one_link_standing_for_it_is_one_resource() -> None:
    result = run("""\
        # Courses

        ## Stanford CS229

        The basics of ML, in about 30 hours:

        - Linear regression
        - Kernels

        🔗 [Link to Course](https://cs229.org/) 🔗 [Slides](https://cs229.org/slides)

        ## Reading

        Read [the Rust book](https://doc.rust-lang.org/book/) before you start.
        """)
    (roadmap,) = roadmaps(result)
    [course] = roadmap["resources"]
    assert (course["title"], course["url"]) == ("Stanford CS229", "https://cs229.org/")
    assert course["description"] == (
        "The basics of ML, in about 30 hours. Covers: Linear regression; Kernels."
    )
    assert hours(course) == (30, 30)
    messages = dict(result.problems)
    assert (
        "“Slides” (https://cs229.org/slides) is another link of “Stanford CS229”" in (messages[10])
    )
    # A link in running text is no resource of its heading: reported, as before.
    assert "“the Rust book”" in messages[14]
    assert "is in running text" in messages[14]
