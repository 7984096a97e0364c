"""A cache of validated roadmap files: a warm run neither parses YAML nor validates.

Each roadmap file has one entry in the cache folder (paths.cache_dir(): the platform's user
cache folder for "roadmap-cli", or ROADMAP_CLI_CACHE_DIR; ROADMAP_CLI_NO_CACHE=1 turns the
cache off), named after a hash of the file's path. An entry is used only if all of these hold:

- its checksum matches its contents (a torn or damaged entry is never read as data);
- it was written by this version of the code (a fingerprint of every module of the package
  and of the libraries that shape validation, Pydantic and PyYAML, and completion, Typer, so
  an upgrade or any edit rebuilds it: a new module needs no list kept by hand);
- it was made from exactly the bytes the roadmap file holds now (a hash of those bytes, not
  the modification time, which an editor, a `git checkout` or a copy may leave unchanged).

Anything else (no entry, a stale, damaged or unreadable one) is a miss: the file is parsed and
validated as if there were no cache, and the entry is rewritten. A file that does not load has
an entry of its own (`.err` beside the `.bin` of its last valid bytes) holding its first error
and how many more it has, under the same three conditions: a broken file in the roadmaps folder
costs one parse, not one per command, and any edit of it is read afresh. The cache is never a
source of errors it would not report itself: a cache folder that cannot be written is simply not
used. Each entry names the roadmap file it was made from, so `roadmap doctor` can remove the
entries of files that are gone (`prune`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from roadmap_cli import __version__, paths

_MAGIC = b"roadmap-cli cache 2\n"
_DIGEST_SIZE = 32
# The libraries whose versions shape what validation accepts (and, Typer, what completes what).
_LIBRARIES = ("pydantic", "pydantic_core", "yaml", "typer")


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


@functools.cache
def _fingerprint() -> str:
    """Name this version of the validating code: the package version and its sources' hash."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__} {sys.version_info[:2]}".encode())
    here = Path(__file__).parent
    # Every module of the package: any of them may change what a roadmap file gives.
    for module in sorted(here.rglob("*.py")):
        h.update(module.relative_to(here).as_posix().encode())
        with contextlib.suppress(OSError):  # a module that cannot be read: its name stands in
            h.update(module.read_bytes())
    # An upgrade of a library rewrites its files: where each one is and when it was written
    # stands for its version without importing it.
    for library in _LIBRARIES:
        spec = importlib.util.find_spec(library)
        origin = spec.origin if spec is not None else None
        try:
            stat = os.stat(origin) if origin else None
        except OSError:  # pragma: no cover - a library without a file of its own
            stat = None
        h.update(f"{library} {origin} {stat and (stat.st_size, stat.st_mtime_ns)}".encode())
    return h.hexdigest()


def entry_path(source: Path, kind: str = "bin") -> Path | None:
    """Return where the cache entry of the roadmap file at `source` lives, or None if off.

    `kind` "bin" is the entry of a valid file, "err" the entry of the errors of a broken one.
    """
    folder = paths.cache_dir()
    if folder is None:
        return None
    key = hashlib.blake2b(os.fsencode(source.absolute()), digest_size=16).hexdigest()
    return folder / "roadmaps" / f"{key}.{kind}"


def get(source: Path, raw: bytes) -> Any | None:
    """Return what `put` stored for `source` when it held exactly `raw`, else None."""
    return _read(entry_path(source), raw)


def put(source: Path, raw: bytes, value: Any) -> None:
    """Store `value` (plain built-in types only) as what `source` holding `raw` gives."""
    _write(entry_path(source), source, raw, value)


def get_error(source: Path, raw: bytes) -> tuple[str, int | None, int | None, int] | None:
    """Return the error `put_error` stored for `source` holding exactly `raw`, else None.

    The error is (problem, line, column, how many more problems the file holds).
    """
    value = _read(entry_path(source, "err"), raw)
    if not (isinstance(value, tuple) and len(value) == 4):  # pragma: no cover - checksummed
        return None
    problem, line, column, more = value
    return str(problem), line, column, int(more)


def put_error(source: Path, raw: bytes, error: tuple[str, int | None, int | None, int]) -> None:
    """Store the error that `source` holding `raw` gives: a broken file is parsed only once.

    Its own entry, so that the entry of the file's last valid bytes stays: an edit undone is a
    hit again.
    """
    _write(entry_path(source, "err"), source, raw, error)


def get_named(name: str) -> Any | None:
    """Return what `put_named` stored under `name` with this version of the code, else None."""
    folder = paths.cache_dir()
    return None if folder is None else _read(folder / f"{name}.bin", b"")


def put_named(name: str, value: Any) -> None:
    """Store `value` (plain built-in types only) under `name`, for this version of the code.

    For what the code itself says (what a TAB press completes), not made from a roadmap file:
    its entry lies beside the roadmaps' folder, out of `prune`'s way.
    """
    folder = paths.cache_dir()
    if folder is not None:
        _write(folder / f"{name}.bin", Path(name), b"", value)


def _unpack(entry: Path) -> tuple[Any, ...] | None:
    """An entry's (fingerprint, source, source digest, value), or None if it is not whole."""
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _DIGEST_SIZE
    body = blob[head:]
    if blob[: len(_MAGIC)] != _MAGIC or blob[len(_MAGIC) : head] != _digest(body):
        return None
    try:
        fields = marshal.loads(body)
    except (EOFError, ValueError, TypeError):  # pragma: no cover - the checksum matched
        return None
    if not (isinstance(fields, tuple) and len(fields) == 4):  # pragma: no cover - checksummed
        return None
    return fields


def _read(entry: Path | None, raw: bytes) -> Any | None:
    fields = None if entry is None else _unpack(entry)
    if fields is None:
        return None
    fingerprint, _source, source_digest, value = fields
    if fingerprint != _fingerprint() or source_digest != _digest(raw):
        return None
    return value


def _source_of(entry: Path) -> str | None:
    """The roadmap file an entry was made from, or None if the entry cannot be read."""
    fields = _unpack(entry)
    source = None if fields is None else fields[1]
    return source if isinstance(source, str) else None


def prune() -> list[Path]:
    """Remove the entries whose roadmap file is gone, and those no version can read; return
    the roadmap files whose entries were removed (an unreadable entry counts as no file)."""
    folder = paths.cache_dir()
    if folder is None:
        return []
    removed: list[Path] = []
    for entry in sorted((folder / "roadmaps").glob("*.*")):
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


def _write(entry: Path | None, source: Path, raw: bytes, value: Any) -> None:
    if entry is None:
        return
    from roadmap_cli.atomic import write_atomic  # only a miss writes; a warm run never needs it

    body = marshal.dumps((_fingerprint(), str(source.absolute()), _digest(raw), value))
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(entry, _MAGIC + _digest(body) + body)
    except OSError:
        return  # a read-only or full disk: run without the cache
