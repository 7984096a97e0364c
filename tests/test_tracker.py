"""What a learner does: mark several resources at once, and see which roadmaps that touched."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli.catalog import Catalog, LoadedFile, ResolvedRef, Source
from roadmap_cli.errors import StoreWriteError
from roadmap_cli.models import Roadmap
from roadmap_cli.store import Store
from roadmap_cli.tracker import Marked, mark, summaries, touched


def roadmap(roadmap_id: str, *resource_ids: str) -> Roadmap:
    return Roadmap.model_validate(
        {
            "id": roadmap_id,
            "title": roadmap_id.title(),
            "resources": [
                {"id": r, "title": r.title(), "url": f"https://{roadmap_id}.test/{r}", "hours": 2}
                for r in resource_ids
            ],
        }
    )


ALPHA = roadmap("alpha", "one", "two")
BETA = roadmap("beta", "one")
GAMMA = roadmap("gamma", "one", "two", "three")
CATALOG = Catalog([LoadedFile(Source(Path("roadmaps.yaml"), "test"), None, [ALPHA, BETA, GAMMA])])


def found(ref: str) -> ResolvedRef:
    roadmap_id, resource_id = ref.split("/")
    r = CATALOG.roadmaps[roadmap_id]
    return ResolvedRef(r, next(res for res in r.all_resources() if res.id == resource_id))


def outcome(results: list[Marked]) -> list[tuple[str, str, bool]]:
    return [(m.found.ref, m.status, m.changed) for m in results]


def saved(path: Path) -> dict[str, str]:
    return {ref: e.status for ref, e in Store(path).load().entries.items()}


def test_mark_changes_several_refs_and_reports_each(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/two")], "done")

    results = mark(store, [found("alpha/one"), found("alpha/two"), found("gamma/three")], "done")

    assert outcome(results) == [
        ("alpha/one", "done", True),
        ("alpha/two", "done", False),
        ("gamma/three", "done", True),
    ]
    assert saved(progress_path) == {"alpha/one": "done", "alpha/two": "done", "gamma/three": "done"}


def test_mark_saves_all_refs_in_one_write(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced: list[Path] = []
    real_replace = os.replace

    def counting_replace(src: Any, dst: Any) -> None:
        replaced.append(Path(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", counting_replace)

    mark(Store(progress_path), [found("alpha/one"), found("beta/one"), found("gamma/two")], "done")

    assert replaced == [progress_path]
    assert saved(progress_path) == {"alpha/one": "done", "beta/one": "done", "gamma/two": "done"}


def test_failed_save_changes_none_of_the_refs(
    progress_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(progress_path)
    mark(store, [found("beta/one")], "done")
    before = progress_path.read_bytes()

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)

    with pytest.raises(StoreWriteError, match="No space left on device"):
        mark(store, [found("alpha/one"), found("beta/one"), found("gamma/one")], "pending")

    assert progress_path.read_bytes() == before


def test_reset_reports_only_what_was_done(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/one"), found("gamma/one")], "done")

    results = mark(store, [found("alpha/one"), found("alpha/two")], "pending")

    assert outcome(results) == [("alpha/one", "pending", True), ("alpha/two", "pending", False)]
    assert saved(progress_path) == {"alpha/one": "pending", "gamma/one": "done"}


def test_mark_with_nothing_to_change_writes_nothing(progress_path: Path) -> None:
    results = mark(Store(progress_path), [found("alpha/one"), found("beta/one")], "pending")

    assert outcome(results) == [("alpha/one", "pending", False), ("beta/one", "pending", False)]
    assert not progress_path.exists()


def test_touched_lists_roadmaps_in_catalog_order_once_each(progress_path: Path) -> None:
    refs = [found("gamma/two"), found("alpha/one"), found("gamma/one"), found("alpha/two")]
    results = mark(Store(progress_path), refs, "done")

    assert [r.id for r in touched(CATALOG, results)] == ["alpha", "gamma"]


def test_touched_counts_refs_that_did_not_change(progress_path: Path) -> None:
    results = mark(Store(progress_path), [found("beta/one")], "pending")

    assert [r.id for r in touched(CATALOG, results)] == ["beta"]
    assert touched(CATALOG, []) == []


def test_summaries_follow_the_saved_progress(progress_path: Path) -> None:
    store = Store(progress_path)
    mark(store, [found("alpha/one"), found("gamma/one"), found("gamma/three")], "done")

    result = summaries([GAMMA, ALPHA], store.load())

    assert [(s.roadmap.id, s.done, s.total, s.percent) for s in result] == [
        ("gamma", 2, 3, 66),
        ("alpha", 1, 2, 50),
    ]
    assert [(s.remaining_hours.low, s.remaining_hours.high) for s in result] == [
        (2.0, 2.0),
        (2.0, 2.0),
    ]
