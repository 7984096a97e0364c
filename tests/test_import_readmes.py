"""Importing roadmaps as people write them on GitHub: READMEs and awesome-lists.

Each tests/data/readmes/NAME.md is a README of a shape found in the wild (numbered headings,
tables with a Type column, tables of contents, badges, Contributing and License sections,
awesome-lists of nested categories, totals in prose, durations in days and weeks, bold lines
as headings, a heading per course with one "Link to Course"); NAME.expected.yaml is the
roadmap file a person would want from it, read and checked by eye. The import must give that
file exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_cli.importer import import_file
from roadmap_cli.models import RoadmapFile
from roadmap_cli.yamlfile import parse_yaml

READMES = Path(__file__).parent / "data" / "readmes"
DOCUMENTS = sorted(READMES.glob("*.md"))

# What each import reports as skipped, and the lines it reports as not placed.
SKIPPED = {
    "awesome-go": ["Sponsors", "Contribution"],
    "awesome-ml-nested": ["Credits", "License"],
    "bootcamp-durations": ["Contributing"],
    "course-index": ["Contributing"],
    "courses-table": ["Authors", "Support"],
    "curriculum-h1s": ["Code of conduct", "Team"],
    "lectures-bold": ["License"],
    "parts-roman": ["Changelog"],
    "phases": ["Code of Conduct", "Star History"],
    "prose-totals": ["License"],
    "rust-numbered": ["Contributing", "License"],
    "several-paths": ["Acknowledgements", "License"],
    "talks-medium": ["Credits & License"],
    "weeks-checklist": ["Support"],
}

# What each import reports it found: roadmaps, steps, resources; estimates taken from the
# text, apportioned from a stated total, and missing (none is made up).
COUNTS = {
    "awesome-go": (1, 5, 10, 0, 0, 10),
    "awesome-ml-nested": (1, 6, 9, 0, 0, 9),
    "bootcamp-durations": (1, 4, 11, 9, 0, 2),
    "course-index": (1, 0, 3, 2, 0, 1),
    "courses-table": (1, 2, 6, 0, 0, 6),
    "curriculum-h1s": (1, 3, 5, 5, 0, 0),
    "lectures-bold": (1, 3, 6, 2, 2, 2),
    "parts-roman": (1, 4, 7, 0, 0, 7),
    "phases": (1, 4, 10, 0, 0, 10),
    "prose-totals": (1, 4, 11, 6, 5, 0),
    "rust-numbered": (1, 3, 9, 9, 0, 0),
    "several-paths": (2, 2, 7, 3, 4, 0),
    "talks-medium": (1, 3, 8, 7, 0, 1),
    "weeks-checklist": (1, 3, 7, 4, 0, 3),
}


def imported(markdown: Path) -> str:
    return import_file(markdown, target=None, taken_ids=set(), force=False).text


def test_there_are_readmes_each_with_its_expected_roadmap_file() -> None:
    assert len(DOCUMENTS) >= 12
    assert sorted(p.stem for p in DOCUMENTS) == sorted(SKIPPED) == sorted(COUNTS)
    for markdown in DOCUMENTS:
        assert markdown.with_suffix(".expected.yaml").is_file(), markdown.name


@pytest.mark.parametrize("markdown", DOCUMENTS, ids=lambda p: p.stem)
def test_a_readme_imports_as_its_expected_roadmap_file(markdown: Path) -> None:
    expected = markdown.with_suffix(".expected.yaml")
    assert imported(markdown) == expected.read_text(encoding="utf-8")
    RoadmapFile.model_validate(parse_yaml(expected.read_text(encoding="utf-8"), expected).data)


@pytest.mark.parametrize("markdown", DOCUMENTS, ids=lambda p: p.stem)
def test_a_readme_names_its_skipped_sections_and_reports_no_anchor_or_badge(
    markdown: Path,
) -> None:
    done = import_file(markdown, target=None, taken_ids=set(), force=False)
    assert done.result.skipped == SKIPPED[markdown.stem]
    for problem in done.result.problems:
        assert "(#" not in problem.message, problem
        assert "shields.io" not in problem.message, problem
        assert "badge" not in problem.message.lower(), problem


@pytest.mark.parametrize("markdown", DOCUMENTS, ids=lambda p: p.stem)
def test_a_readme_reports_what_it_found_and_where_each_estimate_came_from(
    markdown: Path,
) -> None:
    counts = import_file(markdown, target=None, taken_ids=set(), force=False).result.counts
    found = (counts.roadmaps, counts.steps, counts.resources)
    estimates = (counts.from_text, counts.apportioned, counts.missing)
    assert (*found, *estimates) == COUNTS[markdown.stem]
    assert sum(estimates) == counts.resources
    expected = parse_yaml(markdown.with_suffix(".expected.yaml").read_text("utf-8"), markdown)
    resources = [
        resource
        for roadmap in expected.data["roadmaps"]
        for step in roadmap.get("steps", [roadmap])
        for resource in step["resources"]
    ]
    # A resource without a figure in the text has no estimate in the file, not a made-up one.
    assert sum("hours" not in r for r in resources) == counts.missing
    assert sum("Apportioned" in r.get("basis", "") for r in resources) <= counts.apportioned
