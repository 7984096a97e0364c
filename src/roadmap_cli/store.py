"""The progress file: read it strictly, change it under a lock, replace it atomically.

Every change is a read-modify-write while holding an inter-process lock on a separate lock file
(`progress.json.lock`; flock on POSIX, so a killed process never leaves it held). The new content
goes to a temporary file in the same folder, is flushed and fsynced, then `os.replace`d over the
old file: a reader sees the old state or the new one, never half of one. A file we cannot read is
reported and never written over.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import accumulate
from pathlib import Path
from typing import Any

from roadmap_cli import cache, entries, paths
from roadmap_cli.atomic import temp_files, write_atomic
from roadmap_cli.entries import (
    HISTORY_LIMIT,
    NEVER,
    PROGRESS_FORMAT_VERSION,
    Action,
    Change,
    Entry,
    LogEntry,
    Note,
    ProgressFile,
    Status,
    newest_entry,
    status_of,
)
from roadmap_cli.errors import LockTimeoutError, ProgressFileError, StoreWriteError

DEFAULT_LOCK_TIMEOUT = 10.0
# Progress from elsewhere (a file to merge, a sync snapshot) is refused beyond this size, before
# it is parsed. A year of daily logs and notes on a thousand resources is well under 1 MiB; at
# 8 MiB the worst file (a million tiny values) still reads in well under 300 MB of memory.
MAX_FOREIGN_BYTES = 8 * 1024 * 1024
# A progress file nests objects and lists at most 7 deep (history, before, REF, log, item).
MAX_JSON_DEPTH = 16
# After this long waiting for the lock, a command says that it is waiting (once).
WAIT_NOTICE_AFTER = 0.5


# How to bring a progress document of format version N up to N + 1, for every N before
# PROGRESS_FORMAT_VERSION. Reading migrates in memory; the first change saved afterwards keeps
# the original file beside the new one as progress.json.vN.bak.
def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 2 added in-progress and skipped statuses, time logs, notes and the undo history;
    # every version 1 entry is a valid version 2 entry without them.
    return {**data, "history": []}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


@dataclass(frozen=True)
class _Loaded:
    progress: ProgressFile
    raw: bytes | None  # the file's bytes, None when there was no file
    version: int  # the format version the file was written in
    plain: tuple[Any, ...] | None = None  # the progress as the cache holds it, if known


def empty_progress() -> ProgressFile:
    """Return the progress of someone who has not started anything."""
    return entries.empty()


class Store:
    """The progress file at `path`."""

    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float | None = None,
        advice: str | None = None,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        self.path = path
        # Called once, with the timeout, when the lock has been busy for WAIT_NOTICE_AFTER s.
        self.on_wait = on_wait
        self.lock_path = paths.lock_file(path)
        self.lock_timeout = _lock_timeout() if lock_timeout is None else lock_timeout
        # What to tell the user when the file cannot be read.
        self.advice = advice or (
            "Nothing was changed and the file is left as it is; fix it by hand, or run "
            "'roadmap doctor --move-aside' to keep it under another name and start with empty "
            "progress."
        )
        # The progress last read or written, with its exact bytes: reading the same bytes
        # again (a command shows what it just changed) needs no second parse and validation.
        self._memo: _Loaded | None = None

    def load(self) -> ProgressFile:
        """Read the progress file; a missing file means no progress yet."""
        return self._read().progress

    @contextlib.contextmanager
    def update(self, action: Action | None = None) -> Iterator[Changes]:
        """Lock, read, let the caller change the progress, and save it if anything changed.

        With an `action`, the change is recorded so that `roadmap undo` can revert it.
        """
        with self._locked():
            loaded = self._read()
            changes = Changes(loaded.progress, action)
            yield changes
            if changes.changed:
                self._remove_stale_temp_files()
                if loaded.raw is not None and loaded.version != PROGRESS_FORMAT_VERSION:
                    self._atomic_write(self._backup_path(loaded.version), loaded.raw)
                progress = changes.progress
                data = entries.to_json(progress)
                self._atomic_write(self.path, data)
                # What was just written needs no validation when it is read next.
                known = loaded.plain
                like = None if known is None else entries.Plain(loaded.progress, known)
                plain = entries.to_plain(progress, like)
                cache.put_version(self.path, data, plain)
                self._memo = _Loaded(progress, data, PROGRESS_FORMAT_VERSION, plain)

    def move_aside(self) -> Path:
        """Rename the progress file out of the way, keeping it, so that progress starts fresh."""
        with self._locked():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            target = _unused(self.path.with_name(f"{self.path.name}.broken-{stamp}"))
            try:
                os.rename(self.path, target)
            except OSError as exc:
                raise StoreWriteError(
                    f"Cannot move {self.path} aside: {exc.strerror}; it is unchanged."
                ) from None
        return target

    def stale_temp_files(self) -> list[Path]:
        """Return temporary files that a writer killed mid-write left behind."""
        return temp_files(self.path)

    def _read(self) -> _Loaded:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _Loaded(empty_progress(), None, PROGRESS_FORMAT_VERSION)
        except IsADirectoryError:
            raise self._unreadable("it is a folder, not a file") from None
        except NotADirectoryError:
            raise self._unreadable(f"{self.path.parent} is a file, not a folder") from None
        except OSError as exc:
            raise self._unreadable(f"it cannot be read ({exc.strerror})") from None
        return self._parse(raw)

    def _backup_path(self, version: int) -> Path:
        return _unused(self.path.with_name(f"{self.path.name}.v{version}.bak"))

    def _remove_stale_temp_files(self) -> None:
        # Only called under the lock: any temp file now belongs to a writer that died.
        for leftover in self.stale_temp_files():
            with contextlib.suppress(OSError):
                leftover.unlink()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the progress lock: flock on the lock file, released when it is closed.

        flock straight from the standard library where the system has it (filelock, whose
        FileLock is the same flock there, takes 11 ms to import); filelock's portable lock
        where it has not (Windows, a file system without flock).
        """
        self._ensure_folder()
        fd = self._flocked()
        if fd is None:
            with self._locked_portably():
                yield
            return
        try:
            yield
        finally:
            os.close(fd)  # releases the lock

    def _flocked(self) -> int | None:
        """Take the lock with flock, waiting as long as allowed; None if there is no flock."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return None
        flags = os.O_RDWR | os.O_CLOEXEC
        try:
            try:
                fd, created = os.open(self.lock_path, flags | os.O_CREAT | os.O_EXCL, 0o644), True
            except FileExistsError:
                fd, created = os.open(self.lock_path, flags), False
        except OSError as exc:
            raise self._no_lock_file(exc) from None
        try:
            if self._wait_for(lambda: _try_flock(fcntl, fd)):
                return fd
        except OSError as exc:
            os.close(fd)
            raise self._no_lock_file(exc) from None
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if created:  # the portable lock is the file's existence: leave none of ours behind
            with contextlib.suppress(OSError):
                os.unlink(self.lock_path)
        return None

    def _wait_for(self, take: Callable[[], bool | None]) -> bool:
        """Call `take` until it gets the lock (True), or says there is no flock (None).

        Once WAIT_NOTICE_AFTER has passed, `on_wait` is told, once; after the lock timeout,
        LockTimeoutError.
        """
        start = time.monotonic()
        told = self.lock_timeout <= WAIT_NOTICE_AFTER or self.on_wait is None
        while True:
            taken = take()
            if taken is not False:
                return taken is True
            waited = time.monotonic() - start
            if waited >= self.lock_timeout:
                raise self._timed_out()
            if not told and waited >= WAIT_NOTICE_AFTER:
                told = True
                assert self.on_wait is not None
                self.on_wait(self.lock_timeout)
            time.sleep(min(_POLL, max(0.0, self.lock_timeout - waited)))

    def _timed_out(self) -> LockTimeoutError:
        return LockTimeoutError(
            f"Another roadmap command is running and has held {self.lock_path} for more "
            f"than {self.lock_timeout:g} s; nothing was changed. Try again when it has "
            "finished."
        )

    def _no_lock_file(self, exc: OSError) -> StoreWriteError:
        return StoreWriteError(
            f"Cannot create the lock file {self.lock_path}: {exc.strerror}; nothing was changed."
        )

    @contextlib.contextmanager
    def _locked_portably(self) -> Iterator[None]:
        import filelock  # only where flock is missing: see _locked

        lock = filelock.FileLock(self.lock_path, timeout=self.lock_timeout)
        try:
            try:
                lock.acquire(timeout=min(WAIT_NOTICE_AFTER, self.lock_timeout))
            except filelock.Timeout:
                if self.lock_timeout <= WAIT_NOTICE_AFTER:
                    raise
                if self.on_wait is not None:
                    self.on_wait(self.lock_timeout)
                lock.acquire(timeout=self.lock_timeout - WAIT_NOTICE_AFTER)
        except filelock.Timeout:
            raise self._timed_out() from None
        except OSError as exc:
            raise self._no_lock_file(exc) from None
        try:
            yield
        finally:
            lock.release()

    def _ensure_folder(self) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise StoreWriteError(
                f"Cannot save progress: {folder} should be a folder but is a file. Move that "
                f"file away or set ROADMAP_CLI_DATA_DIR to another folder; nothing was changed."
            ) from None
        except OSError as exc:
            raise StoreWriteError(
                f"Cannot create the data folder {folder}: {exc.strerror}; nothing was changed."
            ) from None

    def _atomic_write(self, path: Path, data: bytes) -> None:
        existed = os.path.lexists(path)
        try:
            write_atomic(path, data)
        except OSError as exc:
            kept = (
                f"The previous progress file {self.path} is unchanged."
                if existed or path != self.path
                else "Nothing was saved; there was no progress file before, and there is none now."
            )
            raise StoreWriteError(
                f"Cannot save progress to {path}: {exc.strerror or exc}. {kept}"
            ) from None

    def _parse(self, raw: bytes) -> _Loaded:
        if self._memo is not None and self._memo.raw == raw:
            return self._memo
        self._memo = self._parse_anew(raw)
        return self._memo

    def _parse_anew(self, raw: bytes) -> _Loaded:
        # Bytes this version of roadmap-cli read or wrote before are in the cache, validated.
        plain = cache.get_version(self.path, raw)
        if plain is not None:
            return _Loaded(entries.from_plain(plain), raw, PROGRESS_FORMAT_VERSION, plain)
        # The usual case, a valid file of the current format, in one pass of Pydantic's JSON
        # parser. Anything else (an old format, a problem to explain) takes the long way.
        model, _problem = _validate(raw)
        if model is not None and model.version == PROGRESS_FORMAT_VERSION:
            progress = entries.from_model(model)
            plain = entries.to_plain(progress)
            cache.put_version(self.path, raw, plain)
            return _Loaded(progress, raw, PROGRESS_FORMAT_VERSION, plain)
        return self._parse_explained(raw)

    def _parse_explained(self, raw: bytes) -> _Loaded:
        return self._validated(self._json(raw), raw)

    def _json(self, raw: bytes) -> Any:
        """The JSON value in `raw`, or the error that says why there is none."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self._unreadable(f"it is not UTF-8 text (byte {exc.start + 1})") from None
        if not text.strip():
            raise self._unreadable("it is empty")
        if _nesting(raw) > MAX_JSON_DEPTH:
            raise self._unreadable(
                f"it is nested far too deeply to be a progress file (lists or objects more than "
                f"{MAX_JSON_DEPTH} levels deep)"
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise self._unreadable(
                f"line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}"
            ) from None
        except _RefusedConstant as exc:
            raise self._unreadable(f"invalid JSON: {exc}") from None
        except ValueError:  # int() past Python's digit limit
            raise self._unreadable("it holds a number with far too many digits") from None
        except RecursionError:  # pragma: no cover - the depth check above comes first
            raise self._unreadable("it is nested far too deeply to be a progress file") from None

    def _validated(self, data: Any, raw: bytes) -> _Loaded:
        """Migrate an older format and validate: the progress, or the first problem found."""
        version = data.get("version") if isinstance(data, dict) else None
        text: str | bytes = raw
        if isinstance(version, int) and not isinstance(version, bool):
            if version > PROGRESS_FORMAT_VERSION:
                raise self._unreadable(
                    f"it was written by a newer roadmap-cli (format version {version}; this one "
                    f"reads up to {PROGRESS_FORMAT_VERSION}). Upgrade roadmap-cli to use it"
                )
            if version < PROGRESS_FORMAT_VERSION:
                text = json.dumps(self._migrate(data, version))
        else:
            version = PROGRESS_FORMAT_VERSION  # validation below reports the bad version
        model, problem = _validate(text)
        if model is None:
            assert problem is not None
            where = ".".join(str(p) for p in problem["loc"]) or "top level"
            message = str(problem["msg"]).removeprefix("Value error, ")
            raise self._unreadable(f"{where}: {message}")
        return _Loaded(entries.from_model(model), raw, version)

    def _migrate(self, data: dict[str, Any], version: int) -> dict[str, Any]:
        while version < PROGRESS_FORMAT_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise self._unreadable(f"format version {version} is not one roadmap-cli knows")
            data = step(data)
            version += 1
            data["version"] = version
        return data

    def _unreadable(self, problem: str) -> ProgressFileError:
        return ProgressFileError(
            f"Cannot read the progress file {self.path}: {problem}. {self.advice}"
        )


def parse_foreign(raw: bytes, source: str, *, advice: str) -> ProgressFile:
    """Parse progress that came from elsewhere (a file to merge, a sync snapshot), strictly.

    The same reader as for progress.json (format migrations included), plus what foreign input
    must also pass: at most MAX_FOREIGN_BYTES, REFs shaped like REFs, and at most
    MAX_ENTRIES entries of at most MAX_LOGS_PER_ENTRY time logs and MAX_NOTES_PER_ENTRY notes.
    `source` names the input in errors ("the progress file X"); `advice` says what was kept.
    """
    return _Foreign(source, advice).parse(raw)


def read_foreign(path: Path, *, advice: str) -> ProgressFile:
    """Read a progress file from elsewhere, refusing a huge or special file before reading it."""
    reader = _Foreign(f"the progress file {path}", advice)
    try:
        raw = paths.read_regular_file(path, MAX_FOREIGN_BYTES)
    except IsADirectoryError:
        raise reader._unreadable("it is a folder, not a file") from None
    except paths.SpecialFileError:
        raise reader._unreadable("it is not a regular file") from None
    except OSError as exc:
        raise reader._unreadable(f"it cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_FOREIGN_BYTES:  # only the cap and a byte were read: say its real size
        with contextlib.suppress(OSError):
            raise reader._too_big(os.stat(path).st_size)
    return reader.parse(raw)


class _Foreign(Store):
    """The reader of progress.json, pointed at bytes from elsewhere.

    What comes from elsewhere is counted before it is validated: validation builds a model
    (or an error) per item, so a file of millions of them must be refused by its counts first.
    """

    def __init__(self, source: str, advice: str) -> None:
        super().__init__(Path(os.devnull), lock_timeout=0, advice=advice)
        self.source = source

    def parse(self, raw: bytes) -> ProgressFile:
        if len(raw) > MAX_FOREIGN_BYTES:
            raise self._too_big(len(raw))
        data = self._json(raw)
        self._count(data)
        return self._validated(data, raw).progress

    def _count(self, data: Any) -> None:
        """Refuse what no roadmap-cli writes, by counting: entries, REFs, logs, notes, history."""
        from roadmap_cli.models import (
            MAX_ENTRIES,
            MAX_LOGS_PER_ENTRY,
            MAX_NOTES_PER_ENTRY,
            ref_problem,
        )

        if not isinstance(data, dict):
            return  # validation says what is wrong
        found = data.get("entries")
        if isinstance(found, dict):
            if len(found) > MAX_ENTRIES:
                raise self._unreadable(
                    f"it has {len(found):,} entries, more than the {MAX_ENTRIES:,} "
                    "roadmap-cli accepts"
                )
            for ref, entry in found.items():
                problem = ref_problem(ref)
                if problem is not None:
                    raise self._unreadable(f"entries: {json.dumps(ref)} is not a REF ({problem})")
                if not isinstance(entry, dict):
                    continue
                for name, key, cap in (
                    ("time logs", "log", MAX_LOGS_PER_ENTRY),
                    ("notes", "notes", MAX_NOTES_PER_ENTRY),
                ):
                    items = entry.get(key)
                    if isinstance(items, list) and len(items) > cap:
                        raise self._unreadable(
                            f"{ref} has {len(items):,} {name}, more than the {cap:,} "
                            "roadmap-cli accepts for one resource"
                        )
        history = data.get("history")
        if isinstance(history, list) and len(history) > HISTORY_LIMIT:
            raise self._unreadable(
                f"history: it has {len(history):,} records, more than the {HISTORY_LIMIT} "
                "roadmap-cli keeps"
            )

    def _too_big(self, size: int) -> ProgressFileError:
        return self._unreadable(
            f"it is {size / 2**20:.1f} MiB, more than the {MAX_FOREIGN_BYTES // 2**20} MiB "
            "roadmap-cli reads from elsewhere"
        )

    def _unreadable(self, problem: str) -> ProgressFileError:
        return ProgressFileError(f"Cannot read {self.source}: {problem}. {self.advice}")


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _nesting(raw: bytes) -> int:
    """How deep lists and objects nest in JSON text, found without parsing it."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    opening = brackets.count(b"[") + brackets.count(b"{")
    if opening <= MAX_JSON_DEPTH:
        return opening
    return max(accumulate(_DEPTH_STEP[b] for b in brackets))


class Changes:
    """Progress being changed inside `Store.update`, and what each touched entry was before."""

    def __init__(self, progress: ProgressFile, action: Action | None) -> None:
        self.entries: dict[str, Entry] = dict(progress.entries)
        self.history: list[Change] = list(progress.history)
        self.now = datetime.now(UTC)
        self.undone: Change | None = None
        self._action = action
        self._before: dict[str, Entry | None] = {}

    @property
    def changed(self) -> bool:
        return bool(self._before) or self.undone is not None

    @property
    def progress(self) -> ProgressFile:
        """The progress as it stands now, with this change at the end of the undo history."""
        history = self.history
        if self._before and self._action is not None:
            change = Change(self.now, self._action, tuple(self._before), self._before)
            history = [*history, change][-HISTORY_LIMIT:]
        return ProgressFile(PROGRESS_FORMAT_VERSION, self.entries, tuple(history))

    def status(self, ref: str) -> Status:
        entry = self.entries.get(ref)
        return status_of(entry)

    def adopt(self, ref: str, keys: Sequence[str]) -> None:
        """Carry the newest entry among `keys` over to `ref`, before `ref` is changed."""
        newest = newest_entry(self.entries, keys, ref)
        if newest is not None and newest[0] != ref:
            self._put(ref, newest[1])

    def put(self, ref: str, entry: Entry) -> None:
        """Record `entry` for `ref` as it is (a merge decided it)."""
        if self.entries.get(ref) != entry:
            self._put(ref, entry)

    def set_status(self, ref: str, status: Status) -> bool:
        """Record `status` for `ref`; return False when it already had it."""
        current = self.entries.get(ref)
        if self.status(ref) == status:
            return False
        if current is None:
            self._put(ref, Entry(status, self.now))
        else:
            self._put(ref, current._replace(status=status, changed=self.now))
        return True

    def add_log(self, ref: str, day: date, hours: float) -> Entry:
        """Record `hours` spent on `ref` on `day`; a resource not started becomes in progress."""
        current = self.entries.get(ref) or Entry("pending", self.now)
        entry = current._replace(log=(*current.log, LogEntry(day, hours, self.now)))
        if current.status == "pending":
            entry = entry._replace(status="in-progress", changed=self.now)
        self._put(ref, entry)
        return entry

    def add_note(self, ref: str, text: str) -> Entry:
        """Add a dated note to `ref`."""
        # A note is not a status change: a new entry's status dates from "never", so that a
        # status set elsewhere still wins when progress from two machines is merged.
        from roadmap_cli.models import check_note  # the rules of a note, for any caller

        current = self.entries.get(ref) or Entry("pending", NEVER)
        entry = current._replace(notes=(*current.notes, Note(check_note(text), self.now)))
        self._put(ref, entry)
        return entry

    def undo(self) -> Change | None:
        """Revert the most recent recorded change; return it, or None when there is none."""
        if not self.history:
            return None
        last = self.history.pop()
        for ref, entry in last.before.items():
            if entry is None:
                self.entries.pop(ref, None)
            else:
                self.entries[ref] = entry
        self.undone = last
        return last

    def _put(self, ref: str, entry: Entry) -> None:
        self._before.setdefault(ref, self.entries.get(ref))
        self.entries[ref] = entry


# How often a command waiting for the lock tries again (filelock's default too).
_POLL = 0.05
# What flock says when another process holds the lock (some file systems say EACCES).
_HELD = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK})


def _try_flock(fcntl: Any, fd: int) -> bool | None:
    """Try to take the flock on `fd`: True if taken, False if held elsewhere, None if the file
    system has no flock (then filelock's portable lock is used)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _HELD:
            return False
        if exc.errno in (errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK):
            return None
        raise
    return True


def _validate(text: str | bytes) -> tuple[Any, Any]:
    """Validate progress JSON strictly against the schema: (the model, None), or (None, the
    first problem Pydantic found). The models are imported here only: bytes the cache knows
    need none."""
    from pydantic import ValidationError

    from roadmap_cli.models import ProgressFile as Validated

    try:
        return Validated.model_validate_json(text, strict=True), None
    except ValidationError as exc:
        return None, exc.errors(include_url=False)[0]


def _unused(path: Path) -> Path:
    """Return `path`, or `path` with a counter added, whichever names no existing file."""
    candidate, n = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{n}")
        n += 1
    return candidate


class _RefusedConstant(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _RefusedConstant(f"{name} is not a number we accept")


def _lock_timeout() -> float:
    value = os.environ.get(paths.LOCK_TIMEOUT_ENV)
    if not value:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return seconds if 0 <= seconds < float("inf") else DEFAULT_LOCK_TIMEOUT
