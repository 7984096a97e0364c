"""export: JSON that merges back, CSV for spreadsheets, Markdown for notes."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt

from roadmap_cli import paths
from roadmap_cli.catalog import Catalog, LoadedFile, Source, load_catalog
from roadmap_cli.entries import ProgressFile
from roadmap_cli.export import CSV_FIELDS, to_csv, to_markdown
from roadmap_cli.jsonout import export_progress
from roadmap_cli.progress import RoadmapSummary, StepSummary
from roadmap_cli.store import Store
from roadmap_cli.tracker import summaries
from tests.records_from import make_progress, make_roadmap

DONE = ("long/andrew-ng-machine-learning", "short/illustrated-transformer")


def shipped() -> Catalog:
    catalog, skipped = load_catalog([Source(paths.shipped_roadmaps(), "shipped")])
    assert not skipped
    return catalog


def learner_progress(path: Path) -> ProgressFile:
    """Two resources done, one skipped, one in progress with time on two days and a note."""
    store = Store(path)
    with store.update("done") as changes:
        for ref in DONE:
            changes.set_status(ref, "done")
        changes.set_status("short/rlhf-huggingface", "skipped")
    with store.update("log") as changes:
        changes.add_log("long/deep-learning-specialization", date(2026, 3, 2), 1.5)
        changes.add_log("long/deep-learning-specialization", date(2026, 3, 4), 2)
        changes.add_note("long/deep-learning-specialization", "watch week 2 again")
    return store.load()


@pytest.fixture
def progress(tmp_path: Path) -> ProgressFile:
    return learner_progress(tmp_path / "progress.json")


@pytest.fixture
def shipped_summaries(progress: ProgressFile) -> list[RoadmapSummary]:
    catalog = shipped()
    return summaries(catalog, catalog.roadmaps.values(), progress)


def one_roadmap(*resources: dict[str, Any]) -> list[RoadmapSummary]:
    """Summaries of a single flat roadmap `own` with nothing recorded."""
    roadmap = make_roadmap({"id": "own", "title": "Own", "resources": list(resources)})
    catalog = Catalog([LoadedFile(Source(Path("own.yaml"), "test"), None, [roadmap])])
    return summaries(catalog, [roadmap], ProgressFile(version=2, entries={}))


def resource(title: str, **extra: Any) -> dict[str, Any]:
    return {"id": "r", "title": title, "url": "https://own.test/r", "hours": 2, **extra}


def rows(text: str) -> dict[str, dict[str, str]]:
    return {row["ref"]: row for row in csv.DictReader(io.StringIO(text))}


def test_json_loads_back_equal_to_the_progress(progress: ProgressFile) -> None:
    exported = export_progress(progress)
    loaded = make_progress(exported)
    assert loaded == progress
    assert loaded.version == 2
    [note] = loaded.entries["long/deep-learning-specialization"].notes
    assert note.text == "watch week 2 again"
    assert len(loaded.history) == 2  # undo history travels with it


def test_csv_has_one_row_per_resource_with_status_and_hours(
    shipped_summaries: list[RoadmapSummary],
) -> None:
    text = to_csv(shipped_summaries)
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == CSV_FIELDS
    found = rows(text)
    assert list(found) == shipped().all_refs()
    assert {ref: row["status"] for ref, row in found.items() if row["status"] != "pending"} == {
        "long/andrew-ng-machine-learning": "done",
        "short/illustrated-transformer": "done",
        "short/rlhf-huggingface": "skipped",
        "long/deep-learning-specialization": "in-progress",
    }
    started = found["long/deep-learning-specialization"]
    assert (started["estimate_low"], started["estimate_high"]) == ("24", "30")
    assert started["hours_logged"] == "3.5"
    assert (started["remaining_low"], started["remaining_high"]) == ("20.5", "26.5")
    assert (started["first_logged"], started["last_logged"]) == ("2026-03-02", "2026-03-04")
    assert started["notes"] == "1"
    assert datetime.fromisoformat(started["changed"]).tzinfo is not None
    done = found["long/andrew-ng-machine-learning"]
    assert (done["remaining_low"], done["remaining_high"], done["hours_logged"]) == ("0", "0", "0")
    untouched = found["long/stanford-cs25"]
    assert (untouched["changed"], untouched["first_logged"], untouched["notes"]) == ("", "", "0")
    assert found["short/illustrated-transformer"]["estimate_high"] == "0.75"
    assert found["long/stanford-cs224n"]["url"] == "http://web.stanford.edu/class/cs224n/"
    assert found["long/llm-workshop"]["url"] == ""  # a placeholder link is no link


def test_optional_resources_are_exported_and_marked_as_such() -> None:
    extra = resource("Extra reading", id="extra", optional=True)
    found = one_roadmap(resource("Main"), extra)
    assert list(rows(to_csv(found))) == ["own/r", "own/extra"]
    lines = to_markdown(found).splitlines()
    assert "Done 0/1 (0%) · 2 h left of 2 h" in lines
    assert lines[-1] == "- [ ] [Extra reading](https://own.test/r) — 2 h · optional, not counted"


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("https://evil.test","x")', "+1+1", "-2+3", "@SUM(A1:A2)"]
)
def test_csv_neutralises_a_title_a_spreadsheet_would_run(title: str) -> None:
    found = rows(to_csv(one_roadmap(resource(title))))
    assert found["own/r"]["title"] == "'" + title


def test_csv_keeps_ordinary_titles_as_they_are() -> None:
    title = 'Stanford CS224N - NLP, "with" Deep Learning'
    assert rows(to_csv(one_roadmap(resource(title))))["own/r"]["title"] == title


def markdown_html(text: str) -> str:
    return str(MarkdownIt("commonmark").enable("strikethrough").render(text))


def test_markdown_ticks_exactly_the_done_resources(
    shipped_summaries: list[RoadmapSummary],
) -> None:
    text = to_markdown(shipped_summaries)
    ticked = [line for line in text.splitlines() if line.startswith("- [x] ")]
    assert len(ticked) == len(DONE)
    assert "Andrew Ng’s Machine Learning Course" in ticked[0]
    assert "Jay Alammar’s Illustrated Transformers" in ticked[1]
    items = [line for line in text.splitlines() if line.startswith("- [")]
    assert len(items) == len(shipped().all_refs())


def test_markdown_shows_headings_progress_hours_and_status(
    shipped_summaries: list[RoadmapSummary],
) -> None:
    lines = to_markdown(shipped_summaries).splitlines()
    assert "## Long Learning Roadmap (long)" in lines
    assert "Done 1/5, 1 in progress (20%) · 58.5–73.5 h left of 80–100+ h" in lines
    assert "### 1. Machine Learning" in lines
    assert (
        "- [x] [Andrew Ng’s Machine Learning Course](https://www.coursera.org/learn/"
        "machine-learning) — done · 18–23 h"
    ) in lines
    started = next(line for line in lines if "Deep Learning Specialization" in line)
    assert started.startswith("- [ ] ")
    assert started.endswith(" — in-progress · 24–30 h · 3.5 h spent")
    skipped = next(line for line in lines if "RLHF" in line)
    assert skipped.startswith("- [ ] ")
    assert " — skipped · " in skipped
    short = lines[lines.index("## Shorter Learning Roadmap (short)") :]
    assert not [line for line in short if line.startswith("###")]  # a flat roadmap: no steps


def test_markdown_says_link_pending_for_the_workshop(
    shipped_summaries: list[RoadmapSummary],
) -> None:
    text = to_markdown(shipped_summaries)
    workshop = next(line for line in text.splitlines() if "Workshop Link" in line)
    assert workshop == "- [ ] Workshop Link (link pending) — 3 h"
    assert "example.com" not in text


def visible(html: str) -> str:
    """Return the text a reader sees in rendered HTML."""
    return unescape(re.sub(r"<[^>]*>", "", html))


@pytest.mark.parametrize("placeholder", [False, True])
@pytest.mark.parametrize(
    ("title", "forbidden"),
    [
        ("[click](https://evil.test)", 'href="https://evil.test"'),
        ("![pixel](https://evil.test/p.png)", "<img"),
        ("<https://evil.test>", 'href="https://evil.test"'),
        ("**bold**", "<strong>"),
        ("_slanted_", "<em>"),
        ("`code`", "<code>"),
        ("~~gone~~", "<s>"),
        ("<script>alert(1)</script>", "<script>"),
        ("AT&#x26;T &lt;b&gt;", "AT&amp;T"),  # an entity must not be decoded
    ],
)
def test_markdown_title_cannot_make_markup(title: str, forbidden: str, placeholder: bool) -> None:
    html = markdown_html(to_markdown(one_roadmap(resource(title, placeholder=placeholder))))
    assert forbidden not in html
    assert title in visible(html)


def test_markdown_javascript_link_in_a_title_stays_text() -> None:
    text = to_markdown(one_roadmap(resource("[click](javascript:alert(1))")))
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # no unescaped "](" starts a link
    assert "[click](javascript:alert(1))" in visible(markdown_html(text))


def test_markdown_step_heading_keeps_its_title_as_written() -> None:
    roadmap = make_roadmap(
        {
            "id": "own",
            "title": "Own",
            "steps": [{"title": "Week *one* #", "resources": [resource("R")]}],
        }
    )
    catalog = Catalog([LoadedFile(Source(Path("own.yaml"), "test"), None, [roadmap])])
    html = markdown_html(
        to_markdown(summaries(catalog, [roadmap], ProgressFile(version=2, entries={})))
    )
    assert "<h3>1. Week *one* #</h3>" in html


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Transformer_(deep_learning)",
        "https://own.test/a)b",
        "https://own.test/notes_(draft",
        'https://own.test/say"hi"<now>',
    ],
)
def test_markdown_link_keeps_the_whole_url(url: str) -> None:
    html = markdown_html(to_markdown(one_roadmap(resource("Wiki", url=url))))
    [href] = re.findall(r'href="([^"]*)"', html)
    assert unquote(unescape(href)) == url


def test_markdown_and_csv_never_carry_control_characters() -> None:
    [summary] = one_roadmap(resource("Plain"))
    [item] = summary.items
    # Validation refuses such titles; a copy made without it checks the export's own guard.
    bad = item.resource._replace(title="Red\x1b[31m\u202etext")
    tainted = [
        RoadmapSummary(summary.roadmap, [StepSummary(None, None, [item._replace(resource=bad)])])
    ]
    for text in (to_markdown(tainted), to_csv(tainted)):
        assert "\x1b" not in text
        assert "\u202e" not in text
        assert "\\x1b" in text
