"""Combine progress from two places: per REF the most recent change wins, nothing is lost.

Status follows whichever side changed it last. Time logged and notes are combined from both
sides, each kept once. REFs only one side knows are kept, whatever roadmaps are loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roadmap_cli.errors import InputError
from roadmap_cli.models import Entry, ProgressFile, Status
from roadmap_cli.store import Store


@dataclass(frozen=True)
class Merged:
    """How one REF changes when the other side is merged in."""

    ref: str
    before: Entry | None
    after: Entry

    @property
    def status_change(self) -> tuple[Status, Status] | None:
        old = self.before.status if self.before else "pending"
        return None if old == self.after.status else (old, self.after.status)

    @property
    def new_logs(self) -> int:
        return len(self.after.log) - (len(self.before.log) if self.before else 0)

    @property
    def new_notes(self) -> int:
        return len(self.after.notes) - (len(self.before.notes) if self.before else 0)

    def to_json(self) -> dict[str, Any]:
        change = self.status_change
        return {
            "ref": self.ref,
            "status": None if change is None else {"from": change[0], "to": change[1]},
            "new_logs": self.new_logs,
            "new_notes": self.new_notes,
        }


def merge_entries(ours: Mapping[str, Entry], theirs: Mapping[str, Entry]) -> list[Merged]:
    """Return what changes in `ours` when `theirs` is merged in, REF by REF."""
    out = []
    for ref, their in theirs.items():
        mine = ours.get(ref)
        after = their if mine is None else merge_entry(mine, their)
        if after != mine:
            out.append(Merged(ref, mine, after))
    return out


# When both sides changed a status at the same instant, both must still pick the same one.
_RANK = {"pending": 0, "in-progress": 1, "skipped": 2, "done": 3}


def merge_entry(mine: Entry, their: Entry) -> Entry:
    """Merge two records of one REF: the later status, and both sides' logs and notes.

    The result is the same whichever side is "mine", so two machines that merge each
    other's progress end up with identical records.
    """
    newer = max(mine, their, key=lambda e: (e.changed, _RANK[e.status]))
    logs = {(item.day, item.logged, item.hours): item for item in [*mine.log, *their.log]}
    notes = {(item.added, item.text): item for item in [*mine.notes, *their.notes]}
    merged = Entry(
        status=newer.status,
        changed=newer.changed,
        log=[logs[key] for key in sorted(logs)],
        notes=[notes[key] for key in sorted(notes)],
    )
    # Nothing new from the other side: keep ours exactly as it is (its order included).
    if (
        newer.status == mine.status
        and newer.changed == mine.changed
        and len(merged.log) == len(mine.log)
        and len(merged.notes) == len(mine.notes)
    ):
        return mine
    return merged


def read_other(path: Path) -> ProgressFile:
    """Read another machine's progress file or a JSON export, or raise a clear error."""
    if not path.is_file():
        raise InputError(f"{path}: no such file to merge.")
    return Store(path, advice="Nothing was merged.").load()
