"""What a learner has recorded, as the program uses it once the progress file is read.

models.py decides what the progress file may say (Pydantic: strict validation and the schema).
What it accepts becomes these records: named tuples, cheap to build and small in memory, like
the roadmap records of records.py. The cache (cache.py) keeps them as plain values keyed by the
file's exact bytes, and every change saved puts what it wrote there too, so that a command
that finds the file as roadmap-cli last read or wrote it validates nothing; any other bytes
(an edit by hand, a file copied over) are validated in full. `to_json` writes the file's
format, the same whoever writes it (the progress file, `export`, a sync snapshot). This module
imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Literal, NamedTuple

PROGRESS_FORMAT_VERSION = 2

Status = Literal["pending", "in-progress", "done", "skipped"]
STATUSES: tuple[Status, ...] = ("pending", "in-progress", "done", "skipped")
FINISHED: tuple[Status, ...] = ("done", "skipped")
Action = Literal["done", "reset", "start", "skip", "log", "note", "merge", "sync"]
HISTORY_LIMIT = 100
NEVER = datetime(1970, 1, 1, tzinfo=UTC)  # the status date of an entry whose status never changed
MAX_LOG_HOURS = 24.0


class LogEntry(NamedTuple):
    """Time spent on a resource on one day."""

    day: date
    hours: float
    logged: datetime


class Note(NamedTuple):
    text: str
    added: datetime


class Entry(NamedTuple):
    """What is recorded for one REF: status, when it last changed, time logged and notes."""

    status: Status
    changed: datetime
    log: tuple[LogEntry, ...] = ()
    notes: tuple[Note, ...] = ()

    @property
    def hours_logged(self) -> float:
        return sum(item.hours for item in self.log)

    @property
    def last_touched(self) -> datetime:
        """When anything about it last changed: status, time logged or notes."""
        if not self.log and not self.notes:
            return self.changed
        return max(
            [self.changed, *(item.logged for item in self.log), *(n.added for n in self.notes)]
        )


class Change(NamedTuple):
    """One change that `roadmap undo` can revert: each touched entry as it was before."""

    at: datetime
    action: Action
    refs: tuple[str, ...]
    before: Mapping[str, Entry | None]


class ProgressFile(NamedTuple):
    """The progress: one entry per REF ("roadmap/resource"), and the undo history."""

    version: int
    entries: Mapping[str, Entry]
    history: tuple[Change, ...] = ()

    def status(self, ref: str) -> Status:
        """Return the status of `ref`; a REF never marked is pending."""
        return status_of(self.entries.get(ref))


def empty() -> ProgressFile:
    """Return the progress of someone who has not started anything."""
    return ProgressFile(PROGRESS_FORMAT_VERSION, {}, ())


def status_of(entry: Entry | None) -> Status:
    """The status of a resource with this entry: one never marked (no entry) is pending."""
    return entry.status if entry is not None else "pending"


def newest_entry(
    entries: Mapping[str, Entry], keys: Iterable[str], ref: str
) -> tuple[str, Entry] | None:
    """Return the entry among `keys` touched last (status, time or note), `ref`'s on a tie.

    One resource can have progress under several REFs (other roadmaps, earlier ids); the copy
    changed last is its true state.
    """
    found = [(key, entries[key]) for key in keys if key in entries]
    if not found:
        return None
    return max(found, key=lambda pair: (pair[1].last_touched, pair[0] == ref))


def hours_by_day(entries: Iterable[Entry]) -> dict[date, float]:
    """Hours logged on each day across `entries`.

    A resource in several roadmaps has a copy of its log under each REF: each time log (its
    moment and hours) counts once.
    """
    logs = {(item.day, item.logged, item.hours) for entry in entries for item in entry.log}
    totals: dict[date, float] = {}
    for day, _, hours in logs:
        totals[day] = totals.get(day, 0.0) + hours
    return totals


# --- The file's format ----------------------------------------------------------------------


def to_json(progress: ProgressFile, *, history: bool = True) -> bytes:
    """Write `progress` in the progress file's format: JSON indented by two, a final newline.

    Without `history`, the undo history is left out (a sync snapshot shares no history).
    Pydantic's serializer (already loaded with Typer) writes dates and times as validation
    reads them back: "2026-01-31T12:00:00Z".
    """
    from pydantic_core import to_json as dump

    data: dict[str, Any] = {
        "version": progress.version,
        "entries": {ref: _entry_json(entry) for ref, entry in progress.entries.items()},
    }
    if history:
        data["history"] = [
            {
                "at": change.at,
                "action": change.action,
                "refs": list(change.refs),
                "before": {
                    ref: None if entry is None else _entry_json(entry)
                    for ref, entry in change.before.items()
                },
            }
            for change in progress.history
        ]
    return dump(data, indent=2) + b"\n"


def _entry_json(entry: Entry) -> dict[str, Any]:
    status, changed, log, notes = entry
    return {
        "status": status,
        "changed": changed,
        # Most entries have neither: no list to walk for them (a write walks them all).
        "log": [{"day": i.day, "hours": i.hours, "logged": i.logged} for i in log] if log else [],
        "notes": [{"text": n.text, "added": n.added} for n in notes] if notes else [],
    }


# --- From the validated models, and to and from plain values for the cache ----------------


def from_model(model: Any) -> ProgressFile:
    """Turn a validated `models.ProgressFile` into records."""

    def entry(e: Any) -> Entry:
        return Entry(
            e.status,
            e.changed,
            tuple(LogEntry(i.day, i.hours, i.logged) for i in e.log),
            tuple(Note(n.text, n.added) for n in e.notes),
        )

    return ProgressFile(
        model.version,
        {ref: entry(e) for ref, e in model.entries.items()},
        tuple(
            Change(
                c.at,
                c.action,
                tuple(c.refs),
                {ref: None if e is None else entry(e) for ref, e in c.before.items()},
            )
            for c in model.history
        ),
    )


class Plain(NamedTuple):
    """Progress records with their plain values (`to_plain`), as the cache holds them."""

    progress: ProgressFile
    plain: tuple[Any, ...]


# marshal keeps only built-in types: a date or time goes as its ISO text. An entry with no log
# and no notes, as most are, goes as (status, changed) alone.


def _plain_entry(e: Entry) -> tuple[Any, ...]:
    if not e.log and not e.notes:
        return (e.status, e.changed.isoformat())
    return (
        e.status,
        e.changed.isoformat(),
        tuple((i.day.isoformat(), i.hours, i.logged.isoformat()) for i in e.log),
        tuple((n.text, n.added.isoformat()) for n in e.notes),
    )


def to_plain(progress: ProgressFile, like: Plain | None = None) -> tuple[Any, ...]:
    """Return the progress as nested plain values (what marshal can store).

    `like` is an earlier progress with its plain values: an entry that is still the very same
    record keeps its plain value (a change touches a few entries of thousands).
    """
    known: Mapping[str, Entry] = {}
    earlier: Mapping[str, Any] = {}
    if like is not None:
        known, earlier = like.progress.entries, like.plain[1]

    def plain(ref: str, e: Entry) -> tuple[Any, ...]:
        return earlier[ref] if known.get(ref) is e else _plain_entry(e)

    return (
        progress.version,
        {ref: plain(ref, e) for ref, e in progress.entries.items()},
        tuple(
            (
                c.at.isoformat(),
                c.action,
                c.refs,
                {ref: None if e is None else _plain_entry(e) for ref, e in c.before.items()},
            )
            for c in progress.history
        ),
    )


def from_plain(plain: tuple[Any, ...]) -> ProgressFile:
    """Rebuild the records that `to_plain` flattened."""
    version, entries, history = plain
    at = datetime.fromisoformat
    new = tuple.__new__  # a record straight from its values: 5,000 of them on every command

    def entry(p: tuple[Any, ...]) -> Entry:
        if len(p) == 2:
            return new(Entry, (p[0], at(p[1]), (), ()))
        status, changed, log, notes = p
        return Entry(
            status,
            at(changed),
            tuple(LogEntry(date.fromisoformat(d), h, at(t)) for d, h, t in log),
            tuple(Note(text, at(t)) for text, t in notes),
        )

    return ProgressFile(
        version,
        {ref: entry(p) for ref, p in entries.items()},
        tuple(
            Change(
                at(c_at),
                action,
                tuple(refs),
                {ref: None if p is None else entry(p) for ref, p in before.items()},
            )
            for c_at, action, refs, before in history
        ),
    )
