"""A cache of validated roadmap files: a warm run neither parses YAML nor validates.

Each roadmap file has one entry in the cache folder (paths.cache_dir(): the platform's user
cache folder for "roadmap-cli", or ROADMAP_CLI_CACHE_DIR; ROADMAP_CLI_NO_CACHE=1 turns the
cache off), named after the file's path. An entry is used only if all of these hold:

- its checksum matches its contents (a torn or damaged entry is never read as data);
- it was written by this version of the code (a fingerprint of every module of the package
  and of the libraries that shape validation, Pydantic and PyYAML, and completion, Typer, so
  an upgrade or any edit rebuilds it: a new module needs no list kept by hand);
- it was made from exactly the bytes the roadmap file holds now: a hash of those bytes, not
  the modification time, which an editor, a `git checkout` or a copy may leave unchanged. The
  hash is skipped, and the file not even read, only when the file is provably untouched since
  its bytes were hashed (see `_stamp`).

Anything else (no entry, a stale, damaged or unreadable one) is a miss: the file is parsed and
validated as if there were no cache, and the entry is rewritten. A file that does not load has
an entry of its own (`.err` beside the `.bin` of its last valid bytes) holding its first error
and how many more it has, under the same three conditions: a broken file in the roadmaps folder
costs one parse, not one per command, and any edit of it is read afresh. The cache is never a
source of errors it would not report itself: a cache folder that cannot be written is simply not
used. Each entry names the roadmap file it was made from, so `roadmap doctor` can remove the
entries of files that are gone (`prune`).

The progress file, which every command reads whole anyway, has entries of its own under
`progress/` (`get_version`, `put_version`): one per version of its bytes, named after a hash of
them, the last `VERSIONS` kept. What a change writes is stored as it is written, so the next
command validates nothing; a file put back as it was a moment ago is a hit too.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import marshal
import os
import stat
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from roadmap_cli import __version__, paths

# Bumped whenever the layout of an entry changes: an entry of another layout is a miss.
_MAGIC = b"roadmap-cli cache 4\n"
# The entry's checksum guards against a torn write or a damaged disk, not against an adversary
# (who could as well write the roadmap file itself): CRC-32 is the tool for that, and costs a
# fifth of a cryptographic hash of the same 2 MB.
_CHECK_SIZE = 4
# The libraries whose versions shape what validation accepts (and, Typer, what completes what).
_LIBRARIES = ("pydantic", "pydantic_core", "yaml", "typer")
# How recent a timestamp may be and still be refused as a proof that a file is unchanged: a
# file can change again within one tick of its clock and keep the very same timestamps. A file
# system that keeps whole seconds (FAT's tick is 2 s; some network disks) gets 3 s. One that
# keeps nanoseconds stamps a change with the kernel's clock, whose tick is at most 10 ms: a
# tenth of a second is ten of them, so that the command right after an edit (or right after
# the first read of a new file) can already store the stamp.
_RACY_NS = 3_000_000_000
_RACY_FINE_NS = 100_000_000
_SECOND_NS = 1_000_000_000

# Whether st_ctime is the time of the last change (POSIX), which no tool can set back. On
# Windows it is the creation time, which an edit keeps: there a file is always hashed.
_CHANGE_TIME = os.name == "posix"

Stamp = tuple[int, ...]


class Found(NamedTuple):
    """What `get` found for a roadmap file."""

    value: Any | None  # what `put` stored, or None: a miss
    raw: bytes | None  # the file's bytes when they had to be read (always on a miss)
    # The file's stamp, taken before its bytes were read, if it had settled (`_settled`): what
    # `put` stores, to know the file unchanged later without reading it.
    stamp: Stamp | None


def _digest(data: bytes) -> bytes:
    """Name exactly these bytes. Only a miss, or a file touched since it was cached, needs it:
    hashlib (which loads OpenSSL, 2-3 ms) is imported then, never on a warm run."""
    import hashlib

    return hashlib.blake2b(data, digest_size=32).digest()


def _stamp(source: Path) -> Stamp | None:
    """Return what identifies the state of the file at `source` without reading it, or None.

    Like git's index: device, inode, type and permissions, size, modification and change times.
    The change time (ctime) cannot be set by any tool: writing the file, renaming another onto
    it, `touch`, `git checkout` or a copy all set it to the present. So an unchanged stamp means
    unchanged bytes -- unless the file changed again within one tick of the clock after the
    stamp was taken (the "racy" case), which is why `_settled` refuses a recent stamp.
    """
    try:
        st = os.stat(source)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _settled(stamp: Stamp | None) -> Stamp | None:
    """Return `stamp`, just taken, if it may later stand for the bytes read after it, else None.

    Only a stamp whose times lie well before the moment it was taken: a file changed after that
    moment then has another ctime. A recent one (or one in the future) is not stored, and the
    next run hashes the bytes instead (and stores the stamp then, once it has settled).
    """
    if not _CHANGE_TIME or stamp is None:
        return None
    times = stamp[-2:]  # modification and change time
    coarse = all(t % _SECOND_NS == 0 for t in times)
    if max(times) >= time.time_ns() - (_RACY_NS if coarse else _RACY_FINE_NS):
        return None
    return stamp


@functools.cache
def _fingerprint() -> str:
    """Name this version of the validating code: the package version and its sources' state.

    Each module of the package by its path, size and times (no need to read and hash them: an
    edit, even by hand in an editable install, changes its size or modification time, and an
    install or upgrade writes new files), and each library by where its files are and when
    they were written.
    """
    here = os.path.dirname(__file__)
    parts = [f"{__version__} {sys.version_info[:2]}"]
    # Every module of the package: any of them may change what a roadmap file gives.
    modules: list[tuple[str, str]] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(os.path.join(here, folder)))
        except OSError:  # pragma: no cover - a folder that cannot be listed: its name stands in
            parts.append(f"unlisted {folder}")
            continue
        for entry in entries:
            name = f"{folder}{entry.name}"
            if entry.name.endswith(".py"):
                try:
                    module = entry.stat()
                    state = f"{module.st_size} {module.st_mtime_ns} {module.st_ctime_ns}"
                except OSError:  # pragma: no cover - a module that cannot be read: its name
                    state = "?"
                modules.append((name, state))
            elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                folders.append(f"{name}/")
    parts.extend(f"{name} {state}" for name, state in sorted(modules))
    # An upgrade of a library rewrites its files: where each one is and when it was written
    # stands for its version without importing it.
    for library in _LIBRARIES:
        origin = _origin(library)
        try:
            st = os.stat(origin) if origin else None
        except OSError:  # pragma: no cover - a library without a file of its own
            st = None
        parts.append(f"{library} {origin} {st and (st.st_size, st.st_mtime_ns)}")
    # The names and states themselves, not a hash of them: a few kilobytes, compared exactly.
    return "\n".join(parts)


def _origin(library: str) -> str | None:
    spec = importlib.util.find_spec(library)
    return spec.origin if spec is not None else None


def entry_path(source: Path, kind: str = "bin") -> Path | None:
    """Return where the cache entry of the roadmap file at `source` lives, or None if off.

    `kind` "bin" is the entry of a valid file, "err" the entry of the errors of a broken one.
    Two paths that happen to share a name share an entry (each names its file, so neither
    reads the other's), and only take turns filling it.
    """
    folder = paths.cache_dir()
    if folder is None:
        return None
    name = os.fsencode(source.absolute())
    key = f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}"
    return folder / "roadmaps" / f"{key}.{kind}"


def get(source: Path, read: Callable[[Path], bytes]) -> Found:
    """Return what `put` stored for `source` if it was made from the bytes it holds now.

    `read` reads the file (raising what it raises) when its bytes are needed: always on a
    miss, and never when its stamp proves it unchanged since it was cached.
    """
    return _get(entry_path(source), source, read)


def put(source: Path, found: Found, value: Any) -> None:
    """Store `value` (plain built-in types only) as what `source` holding `found.raw` gives."""
    _write(entry_path(source), source, found, value)


def get_error(source: Path, found: Found) -> tuple[str, int | None, int | None, int] | None:
    """Return the error `put_error` stored for `source` holding exactly `found.raw`, else None.

    The error is (problem, line, column, how many more problems the file holds).
    """
    assert found.raw is not None  # a miss: the bytes were read
    raw = found.raw
    value = _get(entry_path(source, "err"), source, lambda _path: raw, found).value
    if not (isinstance(value, tuple) and len(value) == 4):  # pragma: no cover - checksummed
        return None
    problem, line, column, more = value
    return str(problem), line, column, int(more)


def put_error(source: Path, found: Found, error: tuple[str, int | None, int | None, int]) -> None:
    """Store the error that `source` holding `found.raw` gives: a broken file is parsed once.

    Its own entry, so that the entry of the file's last valid bytes stays: an edit undone is a
    hit again.
    """
    _write(entry_path(source, "err"), source, found, error)


# Versions of the progress file kept: the one just written, and the one it replaced.
VERSIONS = 2


def _version_path(folder: Path, source: Path, digest: bytes) -> Path:
    key = entry_path(source)
    assert key is not None  # the cache is on: `folder` is its folder
    return folder / "progress" / f"{key.stem}-{digest[:12].hex()}.bin"


def get_version(source: Path, raw: bytes) -> Any | None:
    """Return what `put_version` stored for `source` holding exactly `raw` (already read)."""
    folder = paths.cache_dir()
    if folder is None:
        return None
    digest = _digest(raw)
    fields = _unpack(_version_path(folder, source, digest))
    if fields is None or (fields.fingerprint, fields.source, fields.digest) != (
        _fingerprint(),
        str(source.absolute()),
        digest,
    ):
        return None
    return fields.value


def put_version(source: Path, raw: bytes, value: Any) -> None:
    """Store `value` as what `source` holding `raw` gives, beside its other recent versions.

    Only the newest `VERSIONS` entries of `source` are kept.
    """
    folder = paths.cache_dir()
    if folder is None:
        return
    digest = _digest(raw)
    entry = _version_path(folder, source, digest)
    _seal_to(entry, None, (str(source.absolute()), digest, value))
    with contextlib.suppress(OSError):
        older = [
            (item.stat().st_mtime_ns, item.path)
            for item in os.scandir(entry.parent)
            if item.name.startswith(entry.name.split("-", 1)[0]) and item.path != str(entry)
        ]
        for _when, path in sorted(older)[: max(0, len(older) - VERSIONS + 1)]:
            os.unlink(path)


def get_named(name: str) -> Any | None:
    """Return what `put_named` stored under `name` with this version of the code, else None."""
    folder = paths.cache_dir()
    if folder is None:
        return None
    fields = _unpack(folder / f"{name}.bin")
    if fields is None or fields.fingerprint != _fingerprint() or fields.source != name:
        return None
    return fields.value


def put_named(name: str, value: Any) -> None:
    """Store `value` (plain built-in types only) under `name`, for this version of the code.

    For what the code itself says (what a TAB press completes), not made from a roadmap file:
    its entry lies beside the roadmaps' folder, out of `prune`'s way.
    """
    folder = paths.cache_dir()
    if folder is not None:
        _seal_to(folder / f"{name}.bin", None, (name, None, value))


def _seal(body: bytes) -> bytes:
    """An entry: the layout's name, the checksum of the body, the body."""
    return _MAGIC + zlib.crc32(body).to_bytes(_CHECK_SIZE, "big") + body


class _Fields(NamedTuple):
    fingerprint: Any
    source: Any
    stamp: Any
    digest: Any
    value: Any
    rest: bytes | memoryview  # all but the stamp, as stored: a new stamp needs no new marshal


def _body(stamp: Stamp | None, rest: bytes | memoryview) -> bytes:
    """An entry's body: the stamp apart (its length in one byte, then marshal), then the rest.

    The stamp stands apart so that storing a new one (the same bytes found under a new stamp)
    copies the rest as it is, instead of marshalling every record again.
    """
    stamped = marshal.dumps(stamp)
    return b"".join((len(stamped).to_bytes(1, "big"), stamped, rest))


def _unpack(entry: Path) -> _Fields | None:
    """An entry's fields, or None if it is not whole."""
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _CHECK_SIZE
    body = memoryview(blob)[head:]
    check = int.from_bytes(blob[len(_MAGIC) : head], "big")
    if blob[: len(_MAGIC)] != _MAGIC or check != zlib.crc32(body):
        return None
    try:
        split = 1 + body[0]
        stamp, rest = marshal.loads(body[1:split]), body[split:]
        fields = marshal.loads(rest)
    except (EOFError, ValueError, TypeError, IndexError):  # a body of another shape
        return None
    if not (isinstance(fields, tuple) and len(fields) == 4):  # pragma: no cover - checksummed
        return None
    fingerprint, source, digest, value = fields
    return _Fields(fingerprint, source, stamp, digest, value, rest)


def _get(
    entry: Path | None,
    source: Path,
    read: Callable[[Path], bytes],
    known: Found | None = None,
) -> Found:
    """Look `source` up in `entry`; `known` is what an earlier look-up read of it, if any."""
    if entry is None:
        return Found(None, read(source), None)
    fields = _unpack(entry)
    stamp = known.stamp if known is not None else _stamp(source)
    settled = known.stamp if known is not None else _settled(stamp)
    if (
        fields is None
        or fields.fingerprint != _fingerprint()
        or fields.source != str(source.absolute())
    ):
        return Found(None, read(source), settled)
    value = fields.value
    if stamp is not None and stamp == fields.stamp:
        return Found(value, None, settled)  # provably untouched since it was hashed: not read
    raw = read(source)
    if fields.digest != _digest(raw):
        return Found(None, raw, settled)
    if settled is not None:
        # The same bytes under a new stamp (a `touch`, a checkout, or a stamp too recent when
        # the entry was written): store the stamp, so that the next run need not hash them.
        _store(entry, _body(settled, fields.rest))
    return Found(value, raw, settled)


def _source_of(entry: Path) -> str | None:
    """The roadmap file an entry was made from, or None if the entry cannot be read."""
    fields = _unpack(entry)
    source = None if fields is None else fields.source
    return source if isinstance(source, str) else None


def prune() -> list[Path]:
    """Remove the entries whose roadmap or progress file is gone, and those no version can
    read; return the files whose entries were removed (an unreadable entry counts as none)."""
    folder = paths.cache_dir()
    if folder is None:
        return []
    removed: list[Path] = []
    for entry in sorted([*(folder / "roadmaps").glob("*.*"), *(folder / "progress").glob("*.*")]):
        if entry.suffix not in (".bin", ".err"):
            continue
        source = _source_of(entry)
        if source is not None and Path(source).exists():
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            if source is not None and Path(source) not in removed:
                removed.append(Path(source))
    return removed


def _write(entry: Path | None, source: Path, found: Found, value: Any) -> None:
    if entry is None or found.raw is None:
        return
    # The stamp taken before the bytes were read, if it had settled (see `_settled`).
    _seal_to(entry, found.stamp, (str(source.absolute()), _digest(found.raw), value))


def _seal_to(entry: Path, stamp: Stamp | None, fields: tuple[Any, ...]) -> None:
    """Store an entry: the stamp, then this code's fingerprint and `fields` (source, digest of
    its bytes, value)."""
    _store(entry, _body(stamp, marshal.dumps((_fingerprint(), *fields))))


def _store(entry: Path, body: bytes) -> None:
    from roadmap_cli.atomic import write_atomic  # only a miss writes; a warm run never needs it

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Not durable: an entry lost or torn in a power cut is a miss (its checksum says so).
        write_atomic(entry, _seal(body), durable=False)
    except OSError:
        return  # a read-only or full disk: run without the cache
