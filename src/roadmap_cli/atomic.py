"""The one way roadmap-cli writes a file: whole or not at all.

The bytes go to a temporary file in the target's own folder, are flushed and fsynced, and the
temporary file is then renamed over the target (or, when the target must not be replaced, linked
to its name, which fails if that name exists). A crash, a full disk or Ctrl-C leaves the old file
or the new one, never part of one, and at worst a `.NAME.*.tmp` file that holds no only copy.

A target that is a symbolic link is written through: the new file replaces the link's target in
the target's folder, so the link (to a synced folder, say) keeps working.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

# What this process has written, for the Ctrl-C handler (roadmap_cli.entry): the files it has
# given their new contents, and the temporary files of a write under way, to remove.
written: list[Path] = []
pending: set[str] = set()


def resolve_link(path: Path) -> Path:
    """Return the file a write to `path` must replace: the end of its symbolic links."""
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def write_output(path: Path, text: str, *, force: bool) -> None:
    """Write a file a user asked for (`-o FILE`): whole, and over an existing file only if `force`.

    Raises InputError for a file that exists or a folder, RoadmapError for any other failure,
    each saying that nothing was written.
    """
    from roadmap_cli.errors import InputError, RoadmapError

    try:
        write_atomic(path, text.encode("utf-8"), replace=force)
    except FileExistsError:
        raise InputError(
            f"{path} already exists; nothing was written. Use --force to replace it, "
            "or -o another file."
        ) from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder; -o takes the name of a file.") from None
    except OSError as exc:
        raise RoadmapError(f"Cannot write {path}: {exc.strerror or exc}.") from None


def temp_files(path: Path) -> list[Path]:
    """Return the temporary files that writers of `path` killed mid-write left behind."""
    target = resolve_link(path)
    return sorted(target.parent.glob(f".{target.name}.*.tmp"))


def write_atomic(path: Path, data: bytes, *, replace: bool = True, durable: bool = True) -> Path:
    """Write `data` to `path` atomically and durably; return the file actually written.

    With `replace=False` an existing file at `path` is never touched: FileExistsError is raised
    instead, even when another process creates it at the same moment. Any other failure raises
    OSError and leaves `path` as it was. `durable=False` leaves out the waits for the disk
    (fsync), for a file that may be lost in a power cut without harm (a cache entry).
    """
    target = resolve_link(path)
    folder = target.parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    pending.add(tmp)
    try:
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        with _uninterrupted():
            # The rename and its record go together: a Ctrl-C handler sees both or neither.
            if replace:
                os.replace(tmp, target)
            else:
                _link_new(tmp, target)
            written.append(target)
            pending.discard(tmp)
        tmp = ""
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            pending.discard(tmp)
    if durable:
        _fsync_folder(folder)
    return target


def _mode_for(target: Path) -> int:
    """Return the permissions the new file gets: the old file's, else what the umask allows.

    (A temporary file is made readable by its owner only; a file the user asked for, such as
    an export, must come out as any file they create would.)
    """
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) until the block is over, where the platform allows."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _link_new(tmp: str, target: Path) -> None:
    """Give `tmp` the name `target` only if nothing has that name; then drop `tmp`."""
    try:
        os.link(tmp, target)  # atomic, and fails with FileExistsError when target exists
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check, then rename (a narrow race, no clobber
        # of a file that existed when the command started).
        if os.path.lexists(target):
            raise FileExistsError(17, "File exists", str(target)) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not supported everywhere, and not needed for atomicity.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
