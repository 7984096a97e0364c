"""What a learner does: mark resources, log time, keep notes, undo; and what each shows."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from roadmap_cli.catalog import Catalog, ResolvedRef
from roadmap_cli.entries import (
    MAX_LOG_HOURS,
    Action,
    Change,
    Entry,
    LogEntry,
    Note,
    ProgressFile,
    Status,
    hours_by_day,
    newest_entry,
    status_of,
)
from roadmap_cli.errors import InputError
from roadmap_cli.progress import RoadmapSummary, format_number, summarize
from roadmap_cli.records import Roadmap
from roadmap_cli.store import Store

ACTION_OF: dict[Status, Action] = {
    "done": "done",
    "pending": "reset",
    "in-progress": "start",
    "skipped": "skip",
}


@dataclass(frozen=True)
class Marked:
    """The outcome of `done`, `reset`, `start` or `skip` for one resource."""

    found: ResolvedRef
    status: Status
    changed: bool


def mark(store: Store, found: Sequence[ResolvedRef], status: Status) -> list[Marked]:
    """Give every resource in `found` the status `status` in one locked, undoable change."""
    with store.update(ACTION_OF[status]) as changes:
        results = []
        for f in found:
            changes.adopt(f.ref, f.keys)
            results.append(Marked(f, status, changes.set_status(f.ref, status)))
        return results


def log_time(store: Store, found: ResolvedRef, hours: float, day: date) -> Entry:
    """Record `hours` spent on a resource on `day`, as one undoable change."""
    with store.update("log") as changes:
        that_day = hours_by_day(changes.entries.values()).get(day, 0.0)
        if that_day + hours > MAX_LOG_HOURS:
            raise InputError(
                f"{day.isoformat()} already has {format_number(that_day)} h logged; another "
                f"{format_number(hours)} h would be more than the {MAX_LOG_HOURS:g} hours of a day."
            )
        changes.adopt(found.ref, found.keys)
        return changes.add_log(found.ref, day, hours)


def add_note(store: Store, found: ResolvedRef, text: str) -> Entry:
    """Add a dated note to a resource, as one undoable change."""
    from roadmap_cli.models import check_note  # the rules of a note

    try:
        text = check_note(text)
    except ValueError as exc:
        raise InputError(f'A note {exc}; e.g. roadmap note REF "watch lecture 3 again".') from None
    with store.update("note") as changes:
        changes.adopt(found.ref, found.keys)
        return changes.add_note(found.ref, text)


@dataclass(frozen=True)
class Undone:
    """What `undo` reverted: the change, and each entry it touched as it was just before.

    `change.before` holds the entries as they are again now; `undone` holds them as the change
    had left them, so the difference says what was taken back (a log entry, a note, a status).
    """

    change: Change
    undone: dict[str, Entry | None]

    def status_before(self, ref: str) -> Status:
        """The status `ref` had before the undo."""
        entry = self.undone.get(ref)
        return status_of(entry)

    def status_after(self, ref: str) -> Status:
        """The status `ref` has again after the undo."""
        entry = self.change.before.get(ref)
        return status_of(entry)

    def removed_logs(self, ref: str) -> list[LogEntry]:
        """The time logged by the change (taken back by the undo)."""
        kept = self.change.before.get(ref)
        gone = self.undone.get(ref)
        return [log for log in (gone.log if gone else []) if not kept or log not in kept.log]

    def removed_notes(self, ref: str) -> list[Note]:
        """The notes added by the change (taken back by the undo)."""
        kept = self.change.before.get(ref)
        gone = self.undone.get(ref)
        return [n for n in (gone.notes if gone else []) if not kept or n not in kept.notes]


def undo(store: Store) -> Undone | None:
    """Revert the most recent change; say what it was, or None when there is nothing to undo."""
    with store.update() as changes:
        last = changes.history[-1] if changes.history else None
        current = {ref: changes.entries.get(ref) for ref in last.before} if last else {}
        change = changes.undo()
        return None if change is None else Undone(change, current)


def entry_lookup(catalog: Catalog, progress: ProgressFile) -> Callable[[str], Entry | None]:
    """Return how to find the entry of a REF: the newest among all keys that count for it.

    A plain dict lookup (no Python call per REF): the progress entries as they are, except for
    the REFs that read several keys (renamed, or one resource in several roadmaps), which get
    the newest of theirs (None if none). The catalog lists only those: a table of them costs
    next to nothing.
    """
    if not catalog.progress_keys:
        return progress.entries.get  # the usual case: every REF reads its own key only
    table: dict[str, Entry | None] = dict(progress.entries)
    for ref, keys in catalog.progress_keys.items():
        newest = newest_entry(progress.entries, keys, ref)
        table[ref] = None if newest is None else newest[1]
    return table.get


def summaries(
    catalog: Catalog, roadmaps: Iterable[Roadmap], progress: ProgressFile
) -> list[RoadmapSummary]:
    """Summarize each roadmap against the learner's progress."""
    lookup = entry_lookup(catalog, progress)
    return [summarize(roadmap, lookup, catalog.identities.get) for roadmap in roadmaps]


def touched(catalog: Catalog, results: Iterable[Marked]) -> list[Roadmap]:
    """Return the roadmaps that `results` touched, in catalog order, once each."""
    ids = {result.found.roadmap.id for result in results}
    return [r for r in catalog.roadmaps.values() if r.id in ids]


_DURATION = re.compile(
    r"(?:(?P<h>\d+(?:\.\d+)?|\.\d+)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*(?P<unit>m(?:in(?:ute)?s?)?)?)?",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?P<h>\d+):(?P<m>[0-5]\d)")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?|[-+]?\.\d+")


def parse_duration(text: str) -> float:
    """Turn a duration as people write it into hours, or raise InputError.

    Hours alone ("1.5", "2h", "1.5 hours"), minutes ("90m", "90 min"), both ("1h30m", "1h30",
    "1h 30m") or a clock ("1:30") are all read.
    """
    value = text.strip()
    hours: float | None = None
    if value.startswith("-"):
        raise InputError(f"{text!r}: a duration must be more than zero.")
    clock = _CLOCK.fullmatch(value)
    if _NUMBER.fullmatch(value):
        hours = float(value)
    elif clock:
        hours = int(clock["h"]) + int(clock["m"]) / 60
    else:
        match = _DURATION.fullmatch(value)
        # A bare number after hours is minutes ("1h30"); a bare number alone was hours above.
        if match and (match["h"] or (match["m"] and match["unit"])):
            hours = float(match["h"] or 0) + float(match["m"] or 0) / 60
    if hours is None or not math.isfinite(hours):
        raise InputError(
            f"{text!r} is not a duration. Write hours as 1.5 or 2h, minutes as 90m, or both as "
            "1h30m or 1:30."
        )
    if hours <= 0:
        raise InputError(f"{text!r}: a duration must be more than zero.")
    if hours < 1 / 60:
        raise InputError(f"{text!r} is less than a minute; log at least 1m.")
    if hours > MAX_LOG_HOURS:
        raise InputError(
            f"{text!r} is more than {MAX_LOG_HOURS:g} hours; log each day's time on its own "
            "with --date."
        )
    return round(hours, 4)


def parse_day(text: str | None, today: date) -> date:
    """Turn YYYY-MM-DD into a date no later than `today` (None means today)."""
    if text is None:
        return today
    if not _DAY.fullmatch(text.strip()):
        raise InputError(f"{text!r} is not a date; write it as YYYY-MM-DD.")
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{text!r} is not a day of the calendar.") from None
    if day > today:
        raise InputError(f"{day.isoformat()} is in the future; time can only be logged once spent.")
    return day
