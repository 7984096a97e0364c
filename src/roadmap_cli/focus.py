"""Focus sessions: time a stretch of study on one resource, then log it as `roadmap log` does.

Nothing is lost when the terminal closes. The open session is recorded in the data folder
(`focus.json`, written whole by atomic.write_atomic) when it starts and every REFRESH seconds;
a live session holds an inter-process lock (`focus.json.lock`, flock on POSIX). The OS releases
the lock of a process that dies, so the next command tells the two cases apart: the lock is held
(a session runs elsewhere: refused), or it is free while focus.json is there (the session ended
unexpectedly: logged up to its last refresh, or dropped with --discard).

Ctrl-C ends a session early: while it runs, the session takes SIGINT over from the program's
handler (roadmap_cli.entry) and gives it back when the time is logged. The handler only notes
the request (and wakes the wait through a pipe), so the terminal's settings and the state file
are never left half done.

The clock is injectable: `CLOCK` is what `roadmap focus` uses; tests replace it with a clock
they control (in process), or with `SystemClock(scale=N)` in a process of their own, where a
minute lasts 60/N real seconds. No environment variable changes it.

Only `roadmap focus` imports this module.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from types import FrameType
from typing import Any, Literal, Protocol

from roadmap_cli import paths
from roadmap_cli.atomic import write_atomic
from roadmap_cli.catalog import Catalog, ResolvedRef
from roadmap_cli.entries import MAX_LOG_HOURS, Entry
from roadmap_cli.errors import InputError, RoadmapError
from roadmap_cli.progress import RoadmapSummary
from roadmap_cli.store import Store

STATE_NAME = paths.FOCUS_FILE
STATE_VERSION = 1
REFRESH = 30.0  # seconds between two records of the time studied
TICK = 1.0  # seconds between two updates of the view
DEFAULT_MINUTES = 25
MAX_MINUTES = int(MAX_LOG_HOURS * 60)

How = Literal["done", "q", "interrupted"]


class Clock(Protocol):
    """What a session needs of time: a monotonic reading, and a wait that files can cut short."""

    def monotonic(self) -> float:
        """Seconds, from any origin; never going back."""

    def wait(self, seconds: float, fds: list[int]) -> list[int]:
        """Wait up to `seconds`, or until one of `fds` can be read; return those that can."""


class SystemClock:
    """The real clock; `scale` > 1 makes time pass faster (tests only: see the module's doc)."""

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale

    def monotonic(self) -> float:
        return time.monotonic() * self.scale

    def wait(self, seconds: float, fds: list[int]) -> list[int]:
        if sys.platform == "win32":  # pragma: no cover - select takes sockets only there
            time.sleep(min(max(0.0, seconds), 0.2) / self.scale)  # Ctrl-C seen within 0.2 s
            return []
        ready, _, _ = select.select(fds, [], [], max(0.0, seconds) / self.scale)
        return list(ready)


CLOCK: Clock = SystemClock()


def parse_minutes(text: str) -> int:
    """Read --minutes: a whole number from 1 to MAX_MINUTES, or raise InputError."""
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_MINUTES:
        raise InputError(
            f"--minutes takes a whole number of minutes from 1 to {MAX_MINUTES}, not {text!r}. "
            "Run 'roadmap focus --help' for its usage."
        )
    return int(value)


# --- the record of an open session ---------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """What focus.json holds: the session, and the time studied at its last refresh."""

    ref: str
    title: str
    minutes: int  # planned
    day: date  # the local day it started, the day its time is logged on
    started: datetime  # aware
    studied: float  # seconds, at the last refresh
    refreshed: datetime  # aware
    log: bool  # False for --no-log
    pid: int
    over: bool = False  # True once it ended but its time could not be logged

    @property
    def whole_minutes(self) -> int:
        """The whole minutes studied (never more than planned)."""
        return min(self.minutes, math.floor(self.studied / 60 + 1e-9))

    def to_json(self) -> bytes:
        data = {
            "version": STATE_VERSION,
            "ref": self.ref,
            "title": self.title,
            "minutes": self.minutes,
            "day": self.day.isoformat(),
            "started": self.started.isoformat(),
            "studied_seconds": round(self.studied, 3),
            "refreshed": self.refreshed.isoformat(),
            "log": self.log,
            "pid": self.pid,
            "over": self.over,
        }
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Record:
        """Read focus.json; ValueError when it is not one we wrote."""
        data: Any = json.loads(raw)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("not a focus session of this version")
        try:
            record = cls(
                ref=_typed(data["ref"], str),
                title=_typed(data["title"], str),
                minutes=_typed(data["minutes"], int),
                day=date.fromisoformat(_typed(data["day"], str)),
                started=datetime.fromisoformat(_typed(data["started"], str)),
                studied=float(_typed(data["studied_seconds"], (int, float))),
                refreshed=datetime.fromisoformat(_typed(data["refreshed"], str)),
                log=_typed(data["log"], bool),
                pid=_typed(data["pid"], int),
                over=_typed(data.get("over", False), bool),
            )
        except KeyError as exc:
            raise ValueError(f"{exc.args[0]} is missing") from None
        if not (record.studied >= 0 and 1 <= record.minutes <= MAX_MINUTES):
            raise ValueError("its figures are out of range")
        return record


def _typed(value: Any, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{value!r} is not what was expected")
    return value


@dataclass(frozen=True)
class Unreadable:
    """A focus.json that cannot be read (edited by hand, or from a newer roadmap-cli)."""

    path: Path
    problem: str


def _now() -> datetime:
    return datetime.now(timezone.utc).astimezone()


# --- the lock: one session at a time on this machine ----------------------------------------


class Claim:
    """The focus lock, held: the right to start, recover, or drop a session."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_NAME
        self.record: Record | None = None

    def left_over(self) -> Record | Unreadable | None:
        """A session whose process ended without logging it (its lock was freed), if any."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return Unreadable(self.path, exc.strerror or str(exc))
        try:
            return Record.from_json(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            return Unreadable(self.path, str(exc) or type(exc).__name__)

    def begin(self, found: ResolvedRef, minutes: int, day: date, *, log: bool) -> Record:
        """Record a new session as started now."""
        now = _now()
        record = Record(
            ref=found.ref,
            title=found.resource.title,
            minutes=minutes,
            day=day,
            started=now,
            studied=0.0,
            refreshed=now,
            log=log,
            pid=os.getpid(),
        )
        self.save(record)
        return record

    def save(self, record: Record) -> None:
        try:
            write_atomic(self.path, record.to_json())
        except OSError as exc:
            raise RoadmapError(
                f"Cannot record the focus session in {self.path}: {exc.strerror or exc}. "
                "Nothing was started."
            ) from None
        self.record = record

    def refresh(self, studied: float, *, over: bool = False) -> None:
        """Record the time studied so far; a failure is not fatal (the last record stands)."""
        if self.record is None:
            return
        record = replace(self.record, studied=studied, refreshed=_now(), over=over)
        with contextlib.suppress(OSError):
            write_atomic(self.path, record.to_json())
            self.record = record

    def drop(self) -> None:
        """Forget the session: its file goes."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.record = None


@contextlib.contextmanager
def claim(folder: Path) -> Iterator[Claim]:
    """Hold the focus lock, or raise RoadmapError naming the session that holds it."""
    import filelock

    folder.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(folder / f"{STATE_NAME}.lock", timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise RoadmapError(_running_elsewhere(folder / STATE_NAME)) from None
    try:
        yield Claim(folder)
    finally:
        lock.release()


def _running_elsewhere(path: Path) -> str:
    what = "A focus session is running already"
    try:
        record = Record.from_json(path.read_bytes())
    except (OSError, ValueError, UnicodeDecodeError):
        record = None
    if record is not None:
        started = record.started.astimezone().strftime("%H:%M")
        what = (
            f"A focus session on {record.title} ({record.ref}) is running already, started at "
            f"{started} (process {record.pid})"
        )
    return (
        f"{what}; one session at a time. End it where it runs (q or Ctrl-C), or wait for it; "
        "nothing was started or changed."
    )


# --- logging ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    """Time booked on a resource, with what `render.logged` shows."""

    found: ResolvedRef
    hours: float
    day: date
    entry: Entry
    summary: RoadmapSummary


def hours_of(minutes: int) -> float:
    """Whole minutes as the hours `roadmap log 25m` would record."""
    return round(minutes / 60, 4)


def book(store: Store, catalog: Catalog, record: Record, minutes: int) -> Logged:
    """Log `minutes` on the record's resource as `roadmap log` does (same lock, undo, checks)."""
    from roadmap_cli import tracker

    found = catalog.resolve(record.ref)
    hours = hours_of(minutes)
    entry = tracker.log_time(store, found, hours, record.day)
    [summary] = tracker.summaries(catalog, [found.roadmap], store.load())
    return Logged(found, hours, record.day, entry, summary)


@dataclass(frozen=True)
class Recovered:
    """A session found left over: logged, dropped, or with too little to log."""

    record: Record
    minutes: int
    logged: Logged | None
    discarded: bool


def recover(
    store: Store, catalog: Catalog | None, left: Record | Unreadable, here: Claim, *, discard: bool
) -> Recovered | Unreadable:
    """Deal with a session left over: log its whole minutes up to its last refresh, or drop it.

    A record that cannot be read is dropped only with `discard`; otherwise RoadmapError says
    how to go on. `catalog` may be None only with `discard`.
    """
    if isinstance(left, Unreadable):
        if discard:
            here.drop()
            return left
        raise RoadmapError(
            f"{left.path} holds a focus session that cannot be read ({left.problem}); it is left "
            "as it is. 'roadmap focus --discard' removes it."
        )
    minutes = left.whole_minutes
    if discard or not left.log or minutes < 1:
        here.drop()
        return Recovered(left, minutes, None, discarded=discard)
    assert catalog is not None
    try:
        logged = book(store, catalog, left, minutes)
    except RoadmapError as exc:
        raise RoadmapError(
            f"{exc} The {minutes} min of the focus session on {left.title} ({left.ref}) are kept "
            f"in {here.path}; 'roadmap focus --stop' logs them once this is fixed, and "
            "'roadmap focus --discard' drops them."
        ) from None
    here.drop()
    return Recovered(left, minutes, logged, discarded=False)


# --- running a session -----------------------------------------------------------------------


@dataclass(frozen=True)
class Ended:
    """How a session ended, and the time studied."""

    record: Record
    studied: float  # seconds
    how: How

    @property
    def minutes(self) -> int:
        """The whole minutes to log: all of them when the time ran out."""
        if self.how == "done":
            return self.record.minutes
        return min(self.record.minutes, math.floor(self.studied / 60 + 1e-9))


class _Interrupt:
    """SIGINT taken over: a request to stop is noted, and the wait is woken through a pipe."""

    def __init__(self) -> None:
        self.requested = False
        self.read_end, self.write_end = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # not on Windows before 3.12
            os.set_blocking(self.write_end, False)

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True
        with contextlib.suppress(OSError):
            os.write(self.write_end, b"\0")

    def close(self) -> None:
        os.close(self.read_end)
        os.close(self.write_end)


@contextlib.contextmanager
def ctrl_c_stops() -> Iterator[_Interrupt]:
    """For the duration of the block, Ctrl-C notes a request to stop instead of ending us."""
    interrupt = _Interrupt()
    previous = signal.signal(signal.SIGINT, interrupt.on_signal)
    try:
        yield interrupt
    finally:
        signal.signal(signal.SIGINT, previous)
        interrupt.close()


@contextlib.contextmanager
def keys() -> Iterator[int | None]:
    """The terminal in cbreak mode (keys read as typed, no echo); None when stdin is no TTY.

    Ctrl-C still sends SIGINT in cbreak mode. The settings are restored however the block ends.
    """
    fd = _tty_fd()
    if fd is None:
        yield None
        return
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        yield fd
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _tty_fd() -> int | None:
    if sys.platform == "win32":  # pragma: no cover - no termios: Ctrl-C only
        return None
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


def run(
    here: Claim,
    *,
    clock: Clock,
    show: Callable[[float], None],
    interrupt: _Interrupt,
    key_fd: int | None,
) -> Ended:
    """Count the session down, refreshing its record every REFRESH s; return how it ended.

    `show` gets the seconds studied at every tick. `q` on `key_fd` or Ctrl-C ends early.
    """
    record = here.record
    assert record is not None
    total = record.minutes * 60.0
    start = clock.monotonic()
    next_refresh = REFRESH
    how: How = "done"
    fds = [interrupt.read_end] + ([key_fd] if key_fd is not None else [])
    while True:
        studied = min(total, clock.monotonic() - start)
        if interrupt.requested:
            how = "interrupted"
            break
        show(studied)
        if studied >= total:
            break
        if studied >= next_refresh:
            here.refresh(studied)
            next_refresh = (studied // REFRESH + 1) * REFRESH
        step = min(TICK - studied % TICK, total - studied, next_refresh - studied)
        ready = clock.wait(step, fds)
        if key_fd is not None and key_fd in ready and _quit_pressed(key_fd):
            how = "q"
            break
    studied = min(total, clock.monotonic() - start)
    here.refresh(studied)
    return Ended(here.record or record, studied, how)


def _quit_pressed(fd: int) -> bool:
    try:
        typed = os.read(fd, 64)
    except OSError:
        return False
    return b"q" in typed.lower()


def finish(store: Store, catalog: Catalog, here: Claim, ended: Ended) -> Logged | None:
    """Log what an ended session studied (if it is to be logged and is a minute or more).

    When logging fails, the session stays recorded (as over) for `roadmap focus --stop`.
    """
    record = ended.record
    if not record.log or ended.minutes < 1:
        here.drop()
        return None
    try:
        logged = book(store, catalog, record, ended.minutes)
    except RoadmapError as exc:
        here.refresh(ended.minutes * 60.0, over=True)
        kept = (
            f"The {ended.minutes} min of this focus session are kept in {here.path}; "
            "'roadmap focus --stop' logs them once this is fixed, and 'roadmap focus --discard' "
            "drops them."
        )
        if isinstance(exc, InputError):
            raise InputError(f"{exc} {kept}") from None
        raise RoadmapError(f"{exc} {kept}") from None
    # Logged, then forgotten: a crash between the two (milliseconds) would log it twice on
    # recovery, which 'roadmap undo' takes back; the other order could lose the session.
    here.drop()
    return logged
