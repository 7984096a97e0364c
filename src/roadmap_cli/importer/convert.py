"""Markdown text to roadmap-file data: parse, walk the sections, estimate, emit."""

from __future__ import annotations

from typing import Any

from roadmap_cli import yamlfile
from roadmap_cli.errors import InputError
from roadmap_cli.importer.emit import _assemble
from roadmap_cli.importer.hours import Rates, _estimate, reading_rates
from roadmap_cli.importer.inline import _source_title, repair_text
from roadmap_cli.importer.markdown import _MD, _TooManyElements, _tree
from roadmap_cli.importer.model import Counts, ImportResult, Problem, _Context, _Roadmap
from roadmap_cli.importer.structure import (
    _OVERVIEW,
    _one_path,
    _prune,
    _read_preamble,
    _sections,
    _several_paths,
    _walk,
)
from roadmap_cli.safetext import escape_unsafe

# What could not be placed is listed up to this many times, then counted.
MAX_LISTED_PROBLEMS = 100


def import_markdown(
    text: str, *, source: str, taken_ids: set[str], rates: Rates | None = None
) -> ImportResult:
    """Turn a Markdown roadmap into roadmap-file data, or raise InputError if it holds none.

    `source` names the input in messages; `taken_ids` are roadmap ids already in use, which
    the new roadmaps' ids avoid; `rates` say what "3 days" and "2 weeks" count as.
    """
    # Importing makes a great many objects and frees none until the end: the garbage
    # collector's passes over them on the way would cost a third of the time.
    with yamlfile.paused_gc(), reading_rates(rates or Rates()):
        return _import_markdown(text, source=source, taken_ids=taken_ids)


def _import_markdown(text: str, *, source: str, taken_ids: set[str]) -> ImportResult:
    ctx = _Context(source)
    try:
        root = _tree(_MD.parse(repair_text(text), {}))
    except _TooManyElements as stopped:
        raise InputError(stopped.message(escape_unsafe(source))) from None
    preamble, sections = _sections(root.children)
    sections = _prune(ctx, preamble, sections)
    first = sections[0] if sections else None
    # "# Summary" first is the overview, not the guide's title.
    is_title = first is not None and first.level == 1 and not _OVERVIEW.fullmatch(first.title)
    guide_title = first.title if first is not None and is_title else None
    if sections and not _several_paths(sections):
        _one_path(ctx, preamble, sections)
    else:
        _read_preamble(ctx, preamble, has_headings=bool(sections))
        for index, section in enumerate(sections):
            _walk(ctx, section, is_guide=index == 0 and guide_title is not None)
    for roadmap in ctx.roadmaps:
        _estimate(ctx, roadmap)
    roadmaps, progress = _assemble(ctx.roadmaps, taken_ids)
    if not roadmaps:
        raise InputError(
            f"{escape_unsafe(source)}: found no roadmap. Expected a heading followed by a list "
            "of links, e.g. '## Rust' and then '- [The Book](https://doc.rust-lang.org/book/)'. "
            "Nothing was written."
        )
    data: dict[str, Any] = {"version": 1}
    overview = "\n\n".join(ctx.overview)
    if guide_title or overview:
        data["guide"] = {"title": guide_title or _source_title(source)}
        if overview:
            data["guide"]["overview"] = overview
    data["roadmaps"] = roadmaps
    problems = sorted(ctx.problems, key=lambda p: p.line)
    counts = _counts(ctx.roadmaps, lines_not_placed=len({p.line for p in problems}))
    if len(problems) > MAX_LISTED_PROBLEMS:
        more = len(problems) - MAX_LISTED_PROBLEMS
        last = Problem(problems[MAX_LISTED_PROBLEMS].line, f"… and {more:,} more (not listed)")
        problems = [*problems[:MAX_LISTED_PROBLEMS], last]
    return ImportResult(data, problems, progress, ctx.skipped, counts)


def _counts(roadmaps: list[_Roadmap], *, lines_not_placed: int) -> Counts:
    """Count what the import makes (roadmaps without a resource are not made)."""
    made = [r for r in roadmaps if r.steps or r.resources]
    steps = [step for r in made for step in r.steps]
    estimates = [res.estimate for r in made for res in r.resources]
    estimates += [res.estimate for step in steps for res in step.resources]
    return Counts(
        roadmaps=len(made),
        steps=len(steps),
        resources=len(estimates),
        from_text=sum(1 for e in estimates if e is not None and not e.apportioned),
        apportioned=sum(1 for e in estimates if e is not None and e.apportioned),
        missing=estimates.count(None),
        lines_not_placed=lines_not_placed,
    )
