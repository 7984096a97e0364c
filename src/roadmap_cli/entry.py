"""The `roadmap` command's entry point: Ctrl-C at any moment is one line and exit status 130.

The handler is set before anything heavy is imported (Typer, Pydantic, Rich) and needs only
what is loaded already: it may run in the middle of any import, a lock wait, a write or a sync.
A write in progress is never torn (roadmap_cli.atomic holds Ctrl-C back during the rename);
its temporary file is removed, and the line says whether the change had already been saved.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path
    from types import FrameType

INTERRUPTED = 130


def interrupted_line() -> str:
    """Say that the command was interrupted, and whether a change had been saved first."""
    atomic = sys.modules.get("roadmap_cli.atomic")
    written: list[Path] = list(getattr(atomic, "written", ()))
    if not written:
        return "Interrupted."
    progress, cache = _progress_and_cache()
    if progress in written:
        return "Interrupted, after your change had been saved."
    kept = [p for p in written if cache is None or cache not in p.parents]
    if kept:
        return f"Interrupted, after {kept[-1]} had been written."
    return "Interrupted."


def _progress_and_cache() -> tuple[Path | None, Path | None]:
    paths = sys.modules.get("roadmap_cli.paths")
    atomic = sys.modules.get("roadmap_cli.atomic")
    try:
        progress = atomic.resolve_link(paths.progress_file())  # type: ignore[union-attr]
    except Exception:  # half-imported, or any other trouble: say less, never fail
        progress = None
    try:
        cache = paths.cache_dir()  # type: ignore[union-attr]
    except Exception:
        cache = None
    return progress, cache


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    atomic = sys.modules.get("roadmap_cli.atomic")
    for tmp in list(getattr(atomic, "pending", ())):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    try:
        line = interrupted_line()
        sys.stdout.flush()  # what the command printed before; may fail if it was mid-print
    except Exception:
        line = locals().get("line", "Interrupted.")
    try:
        os.write(2, f"{line}\n".encode("utf-8", "replace"))
    finally:
        os._exit(INTERRUPTED)  # no cleanup to run: writes are atomic, the OS frees the lock


def main() -> None:
    """Run the `roadmap` command, with Ctrl-C handled from the first moment."""
    signal.signal(signal.SIGINT, _on_interrupt)
    from roadmap_cli.cli import main as run

    run()
