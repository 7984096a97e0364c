"""card: the SVG progress card and the HTML page that shows it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from roadmap_cli import paths
from roadmap_cli.card import to_html, to_svg
from roadmap_cli.catalog import Catalog, LoadedFile, Source, load_catalog
from roadmap_cli.entries import ProgressFile
from roadmap_cli.progress import RoadmapSummary, StepSummary, find_next
from roadmap_cli.store import Store
from roadmap_cli.tracker import summaries
from tests.records_from import make_roadmap

SVG = "{http://www.w3.org/2000/svg}"


def shipped_catalog() -> Catalog:
    catalog, skipped = load_catalog([Source(paths.shipped_roadmaps(), "shipped")])
    assert not skipped
    return catalog


def shipped_summaries(path: Path, done: Sequence[str]) -> list[RoadmapSummary]:
    """The shipped roadmaps after marking `done` done in a progress file at `path`."""
    catalog = shipped_catalog()
    store = Store(path)
    with store.update("done") as changes:
        for ref in done:
            changes.set_status(ref, "done")
    return summaries(catalog, catalog.roadmaps.values(), store.load())


def own_summaries(*titles: str) -> list[RoadmapSummary]:
    """One flat roadmap per title, each with one resource titled like it, nothing recorded."""
    roadmaps = [
        make_roadmap(
            {
                "id": f"own{index}",
                "title": title,
                "resources": [{"id": "r", "title": title, "url": "https://own.test/", "hours": 1}],
            }
        )
        for index, title in enumerate(titles)
    ]
    catalog = Catalog([LoadedFile(Source(Path("own.yaml"), "test"), None, roadmaps)])
    return summaries(catalog, roadmaps, ProgressFile(version=2, entries={}))


def card(found: Sequence[RoadmapSummary], title: str = "My progress") -> str:
    return to_svg(found, title=title, next_up=find_next(found))


def texts(svg: str) -> list[str]:
    """Return each line of text on the card as a reader sees it."""
    return ["".join(el.itertext()) for el in ET.fromstring(svg).iter(f"{SVG}text")]


def bars(svg: str, kind: str) -> list[float]:
    return [
        float(el.get("width", "nan"))
        for el in ET.fromstring(svg).iter(f"{SVG}rect")
        if el.get("class") == kind
    ]


def test_svg_is_xml_with_its_size_set(tmp_path: Path) -> None:
    root = ET.fromstring(card(shipped_summaries(tmp_path / "p.json", [])))
    assert root.tag == f"{SVG}svg"
    width, height = int(root.get("width", "0")), int(root.get("height", "0"))
    assert width == 600
    assert height > 0
    assert root.get("viewBox") == f"0 0 {width} {height}"


def test_svg_grows_taller_with_each_roadmap() -> None:
    heights = [
        int(ET.fromstring(card(own_summaries(*titles))).get("height", "0"))
        for titles in (["A"], ["A", "B"], ["A", "B", "C"])
    ]
    assert heights[0] < heights[1] < heights[2]
    assert heights[2] - heights[1] == heights[1] - heights[0]
    last = ET.fromstring(card(own_summaries("A", "B", "C")))
    assert all(float(el.get("y", "0")) < heights[2] for el in last.iter(f"{SVG}text"))


@pytest.mark.parametrize(
    ("done", "percents"),
    [
        ([], [0, 0]),
        (["long/andrew-ng-machine-learning"], [20, 0]),
        (
            [
                "long/andrew-ng-machine-learning",
                "short/illustrated-transformer",
                "short/karpathy-llm-training",
                "short/rlhf-huggingface",
            ],
            [20, 100],
        ),
    ],
)
def test_one_bar_per_roadmap_filled_to_its_percent(
    tmp_path: Path, done: list[str], percents: list[int]
) -> None:
    found = shipped_summaries(tmp_path / "p.json", done)
    assert [s.percent for s in found] == percents
    svg = card(found)
    [full, *others] = set(bars(svg, "track"))  # every track is the whole width
    assert not others
    assert bars(svg, "bar") == pytest.approx([full * p / 100 for p in percents])
    shown = texts(svg)
    assert all(any(text.startswith(f"{p}% · ") for text in shown) for p in percents)


def test_card_shows_figures_and_next_up(tmp_path: Path) -> None:
    shown = texts(card(shipped_summaries(tmp_path / "p.json", ["long/andrew-ng-machine-learning"])))
    assert "Long Learning Roadmap" in shown
    assert "20% · 1/5 done · 62–77 h left" in shown
    assert "0% · 0/3 done · 2–3 h left" in shown
    assert (
        shown[-1]
        == "Next: Deep Learning Specialization on Coursera (long/deep-learning-specialization)"
    )


def test_card_says_all_done_when_nothing_is_left(tmp_path: Path) -> None:
    found = shipped_summaries(tmp_path / "p.json", shipped_catalog().all_refs())
    assert find_next(found) is None
    assert texts(card(found))[-1] == "All done"


def test_long_titles_are_cut_short_with_an_ellipsis() -> None:
    long_title = "Deep " * 60
    heading, roadmap_title, *_ = texts(card(own_summaries(long_title), title=long_title))
    # About 0.6 em a character: 552 px of room hold 46 characters at 20 px, 61 at 15 px.
    assert heading.startswith("Deep Deep")
    assert heading.endswith("…")
    assert len(heading) <= 46
    assert roadmap_title.startswith("Deep Deep")
    assert roadmap_title.endswith("…")
    assert len(roadmap_title) <= 61
    next_line = texts(card(own_summaries(long_title)))[-1]
    assert next_line.startswith("Next: Deep Deep")
    assert next_line.endswith("… (own0/r)")
    assert len(next_line.removesuffix(" (own0/r)")) <= 61  # the REF has a line of its own


@pytest.mark.parametrize(
    "hostile", ["<script>alert(1)</script>", '"/><script>alert(1)</script>', "a & b < c > d ' \""]
)
def test_titles_are_text_never_markup(hostile: str) -> None:
    svg = to_svg(own_summaries(hostile), title=hostile, next_up=find_next(own_summaries(hostile)))
    root = ET.fromstring(svg)
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    assert "<script" not in svg
    assert root.get("aria-label") == hostile
    shown = texts(svg)
    assert shown.count(hostile) == 2  # the card's title and the roadmap's
    assert f"Next: {hostile} (own0/r)" in shown


def test_control_characters_are_removed() -> None:
    [summary] = own_summaries("Plain")
    [item] = summary.items
    # Validation refuses such titles; a copy made without it checks the card's own guard.
    bad = item.resource._replace(title="Red\x1b[31m\u202e\x00text")
    tainted = replace(summary, steps=[StepSummary(None, None, [item._replace(resource=bad)])])
    svg = to_svg([tainted], title="Me\x07 \x1b[2J", next_up=(tainted, tainted.items[0]))
    assert texts(svg)[0] == "Me [2J"
    assert texts(svg)[-1] == "Next: Red[31mtext (own0/r)"
    for char in "\x1b\u202e\x00\x07":
        assert char not in svg


def test_card_has_no_external_references(tmp_path: Path) -> None:
    svg = card(shipped_summaries(tmp_path / "p.json", []))
    root = ET.fromstring(svg)
    attributes = {name for el in root.iter() for name in el.attrib}
    assert not {name for name in attributes if name.endswith("href")}
    assert not [
        el for el in root.iter() if el.tag.split("}")[-1] in ("script", "image", "a", "style")
    ]
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "url(" not in svg


def test_html_holds_the_svg_with_a_charset_and_title(tmp_path: Path) -> None:
    found = shipped_summaries(tmp_path / "p.json", [])
    page = to_html(found, title="Ada's <roadmaps>", next_up=find_next(found))
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "<title>Ada's &lt;roadmaps&gt;</title>" in page
    assert to_svg(found, title="Ada's <roadmaps>", next_up=find_next(found)) in page
    assert "<script" not in page
