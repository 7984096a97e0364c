"""Combine progress from two places: per REF the most recent change wins, nothing is lost.

Status follows whichever side changed it last. Time logged and notes are combined from both
sides, each kept once. REFs only one side knows are kept, whatever roadmaps are loaded. What
comes from the other side is checked first: a change dated more than a day ahead of this
machine's clock is not taken (it would otherwise win over every later change, forever), and a
merge that would put more than 24 hours of logged time on one day, or more records than
roadmap-cli accepts, is refused as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from roadmap_cli.entries import (
    MAX_LOG_HOURS,
    NEVER,
    Entry,
    ProgressFile,
    Status,
    hours_by_day,
    status_of,
)
from roadmap_cli.errors import InputError, RoadmapError
from roadmap_cli.models import MAX_ENTRIES, MAX_LOGS_PER_ENTRY, MAX_NOTES_PER_ENTRY
from roadmap_cli.progress import format_number

# A clock may be a little ahead of another; a change dated further ahead than this is not taken.
AHEAD = timedelta(days=1)


class MergeError(RoadmapError):
    """Progress from elsewhere that cannot be merged; local progress is left as it was."""


@dataclass(frozen=True)
class Merged:
    """How one REF changes when the other side is merged in."""

    ref: str
    before: Entry | None
    after: Entry

    @property
    def status_change(self) -> tuple[Status, Status] | None:
        old = status_of(self.before)
        return None if old == self.after.status else (old, self.after.status)

    @property
    def new_logs(self) -> int:
        return len(self.after.log) - (len(self.before.log) if self.before else 0)

    @property
    def new_notes(self) -> int:
        return len(self.after.notes) - (len(self.before.notes) if self.before else 0)

    @property
    def visible(self) -> bool:
        """Whether the status, the time logged or the notes change (not just a timestamp)."""
        return self.status_change is not None or self.new_logs > 0 or self.new_notes > 0


@dataclass(frozen=True)
class Outcome:
    """What merging the other side's progress does to ours."""

    # Every record that changes, in the other side's order: what a merge writes. This includes
    # a later timestamp of an unchanged status, so that two machines end with identical files.
    writes: list[Merged] = field(default_factory=list)
    # REFs whose record on the other side holds a change dated too far ahead: that part of it
    # was not taken.
    future: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[Merged]:
        """What a user sees change: a status, new time logs, new notes."""
        return [item for item in self.writes if item.visible]


def merge_progress(
    ours: Mapping[str, Entry],
    theirs: Mapping[str, Entry],
    *,
    source: str,
    now: datetime | None = None,
) -> Outcome:
    """Return what merging `theirs` into `ours` changes, or raise MergeError.

    `source` names the other side in errors ("laptop.json", "the remote's progress-sync.json").
    """
    limit = (now or datetime.now(UTC)) + AHEAD
    outcome = Outcome()
    for ref, their in theirs.items():
        mine = ours.get(ref)
        present = _up_to(their, limit)
        if present is not their:
            outcome.future.append(ref)
        after = merge_entry(mine or present, present)
        if after != mine and (mine is not None or after.status != "pending" or _has_records(after)):
            outcome.writes.append(Merged(ref, mine, after))
    _check(ours, outcome.writes, source)
    return outcome


def _has_records(entry: Entry) -> bool:
    return bool(entry.log or entry.notes)


def _up_to(entry: Entry, limit: datetime) -> Entry:
    """`entry` without what is dated after `limit`: `entry` itself when nothing is."""
    log = tuple(item for item in entry.log if item.logged <= limit)
    notes = tuple(item for item in entry.notes if item.added <= limit)
    if entry.changed <= limit and len(log) == len(entry.log) and len(notes) == len(entry.notes):
        return entry
    if entry.changed > limit:  # a status set "in the future": as if never changed
        return Entry(status="pending", changed=NEVER, log=log, notes=notes)
    return Entry(status=entry.status, changed=entry.changed, log=log, notes=notes)


def _check(ours: Mapping[str, Entry], writes: list[Merged], source: str) -> None:
    """Refuse a merge whose result no roadmap command could have made."""
    for item in writes:
        for what, count, cap in (
            ("time logs", len(item.after.log), MAX_LOGS_PER_ENTRY),
            ("notes", len(item.after.notes), MAX_NOTES_PER_ENTRY),
        ):
            if count > cap:
                raise _refused(source, f"{item.ref} would hold {count:,} {what}, more than {cap:,}")
    merged = {**ours, **{item.ref: item.after for item in writes}}
    if len(merged) > MAX_ENTRIES:
        raise _refused(source, f"it would make {len(merged):,} entries, more than {MAX_ENTRIES:,}")
    before = hours_by_day(ours.values())
    for day, total in sorted(hours_by_day(merged.values()).items()):
        if total > MAX_LOG_HOURS + 1e-9 and total > before.get(day, 0.0):
            raise _refused(
                source,
                f"{day.isoformat()} would hold {format_number(total)} h of logged time, more "
                f"than the {MAX_LOG_HOURS:g} hours of a day",
            )


def _refused(source: str, problem: str) -> MergeError:
    return MergeError(
        f"Cannot merge {source}: {problem}. Nothing was merged; your progress is unchanged."
    )


# When both sides changed a status at the same instant, both must still pick the same one.
_RANK = {"pending": 0, "in-progress": 1, "skipped": 2, "done": 3}


def merge_entry(mine: Entry, their: Entry) -> Entry:
    """Merge two records of one REF: the later status, and both sides' logs and notes.

    The result is the same whichever side is "mine", so two machines that merge each
    other's progress end up with identical records. Each log and note is kept once, even
    when one side holds it several times.
    """
    newer = max(mine, their, key=lambda e: (e.changed, _RANK[e.status]))
    logs = {(item.day, item.logged, item.hours): item for item in [*mine.log, *their.log]}
    notes = {(item.added, item.text): item for item in [*mine.notes, *their.notes]}
    merged = Entry(
        status=newer.status,
        changed=newer.changed,
        log=tuple(logs[key] for key in sorted(logs)),
        notes=tuple(notes[key] for key in sorted(notes)),
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
    from roadmap_cli.store import read_foreign

    if not path.exists():
        raise InputError(f"{path}: no such file to merge.")
    return read_foreign(path, advice="Nothing was merged; your progress is unchanged.")
