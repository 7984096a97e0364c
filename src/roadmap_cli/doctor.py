"""Check the roadmap files and the progress file, and explain what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from roadmap_cli import cache
from roadmap_cli.catalog import Catalog, LoadedFile, load_file
from roadmap_cli.entries import ProgressFile
from roadmap_cli.errors import ProgressFileError, RoadmapError
from roadmap_cli.paths import Source
from roadmap_cli.store import Store

Severity = Literal["ok", "warning", "error"]


@dataclass(frozen=True)
class Finding:
    """One thing checked: what, how it stands, and a sentence about it."""

    subject: str
    severity: Severity
    detail: str


def examine(sources: Sequence[Source], store: Store) -> list[Finding]:
    """Check each roadmap file on its own, then the progress file and its folder; remove the
    cache entries of roadmap files that are gone."""
    findings: list[Finding] = []
    files: list[LoadedFile] = []
    for source in sources:
        try:
            loaded = load_file(source)
        except RoadmapError as exc:
            findings.append(Finding(str(source.path), "error", str(exc)))
            continue
        files.append(loaded)
        count = len(loaded.roadmaps)
        findings.append(
            Finding(str(source.path), "ok", f"{count} roadmap{'s' if count != 1 else ''}")
        )
    # Progress under an earlier id (formerly) or in another roadmap's copy is not orphaned.
    findings.append(_progress_finding(store, Catalog(files).known_keys()))
    pruned = cache.prune()
    if pruned:
        names = ", ".join(str(p) for p in pruned)
        findings.append(
            Finding(
                "roadmap cache",
                "ok",
                f"removed what it kept of {len(pruned)} roadmap file"
                f"{'s' if len(pruned) != 1 else ''} that no longer exist: {names}",
            )
        )
    leftovers = store.stale_temp_files()
    if leftovers:
        names = ", ".join(p.name for p in leftovers)
        findings.append(
            Finding(
                str(store.path.parent),
                "warning",
                f"temporary files from an interrupted write: {names}. They hold no progress "
                "of their own; the next change removes them.",
            )
        )
    return findings


def _progress_finding(store: Store, known_refs: set[str]) -> Finding:
    subject = str(store.path)
    if not store.path.exists():
        return Finding(subject, "ok", "no progress recorded yet")
    try:
        progress = store.load()
    except RoadmapError as exc:
        return Finding(subject, "error", str(exc))
    return _unknown_refs(subject, progress, known_refs)


def _unknown_refs(subject: str, progress: ProgressFile, known_refs: set[str]) -> Finding:
    entries = len(progress.entries)
    unknown = sorted(ref for ref in progress.entries if ref not in known_refs)
    if not unknown:
        return Finding(subject, "ok", f"{entries} entr{'y' if entries == 1 else 'ies'}")
    return Finding(
        subject,
        "warning",
        f"{len(unknown)} of {entries} entries name resources no loaded roadmap has "
        f"({', '.join(unknown)}). They are kept, and count again if the roadmap returns.",
    )


def has_errors(findings: Sequence[Finding]) -> bool:
    """Whether any finding is an error."""
    return any(f.severity == "error" for f in findings)


def move_aside_if_unreadable(store: Store) -> Path | None:
    """Rename an unreadable progress file out of the way (kept); return where it went."""
    try:
        store.load()
    except ProgressFileError:
        return store.move_aside()
    return None
