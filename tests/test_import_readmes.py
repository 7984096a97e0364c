"""Importing roadmaps as people write them on GitHub: READMEs and awesome-lists.

Each tests/data/readmes/NAME.md is a README of a shape found in the wild (numbered headings,
tables with a Type column, tables of contents, badges, Contributing and License sections,
awesome-lists of nested categories); NAME.expected.yaml is the roadmap file a person would
want from it, read and checked by eye. The import must give that file exactly.
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
    "courses-table": ["Authors", "Support"],
    "curriculum-h1s": ["Code of conduct", "Team"],
    "parts-roman": ["Changelog"],
    "phases": ["Code of Conduct", "Star History"],
    "rust-numbered": ["Contributing", "License"],
    "several-paths": ["Acknowledgements", "License"],
    "talks-medium": ["Credits & License"],
    "weeks-checklist": ["Support"],
}


def imported(markdown: Path) -> str:
    return import_file(markdown, target=None, taken_ids=set(), force=False).text


def test_there_are_readmes_each_with_its_expected_roadmap_file() -> None:
    assert len(DOCUMENTS) >= 6
    assert sorted(p.stem for p in DOCUMENTS) == sorted(SKIPPED)
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
