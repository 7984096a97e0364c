"""The `roadmap` command's entry point: Ctrl-C at any moment is one line and exit status 130.

The handler is set before anything heavy is imported (Typer, Pydantic, Rich) and needs only
what is loaded already: it may run in the middle of any import, a lock wait, a write or a sync.
A write in progress is never torn (roadmap_cli.atomic holds Ctrl-C back during the rename);
its temporary file is removed, and the line says whether the change had already been saved.
"""

# Only modules that are loaded before any script runs (os, sys) and the C signal module: every
# millisecond before the handler is set is a moment when Ctrl-C gives a traceback. (`signal`
# imports enum, and `from __future__` is an import too.)
import _signal  # type: ignore[import-not-found]
import os
import sys

TYPE_CHECKING = False
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


def _progress_and_cache() -> "tuple[Path | None, Path | None]":
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


def _on_interrupt(signum: int, frame: "FrameType | None") -> None:
    atomic = sys.modules.get("roadmap_cli.atomic")
    for tmp in list(getattr(atomic, "pending", ())):
        try:  # noqa: SIM105 (contextlib may not be imported yet)
            os.unlink(tmp)
        except OSError:
            pass
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
    _signal.signal(_signal.SIGINT, _on_interrupt)
    code: object = 0
    try:
        if os.environ.get("_ROADMAP_COMPLETE"):  # a TAB press: from the cache if it can be
            from roadmap_cli.complete import answer

            if answer():
                return
        from roadmap_cli.cli import main as run

        run()
    except SystemExit as done:
        code = done.code
    finally:
        # The command is over: a Ctrl-C now would only kill the interpreter as it shuts down
        # (Python restores the default action then), so it is held back for good.
        if hasattr(_signal, "pthread_sigmask"):
            _signal.pthread_sigmask(_signal.SIG_BLOCK, {_signal.SIGINT})
    _leave(code)


def _leave(code: object) -> None:
    """End the process with exit status `code`, without the interpreter's teardown if it can.

    Once a command is over, Python would free every object it loaded one by one (30 ms after a
    `list` of 10,000 resources) and tear down every module, for memory the system takes back at
    once anyway. Nothing of roadmap-cli runs at exit: every file is written and closed, and the
    lock released, before the command returns. So the process ends here, once what it printed
    is flushed, unless something would still run: an exit handler (atexit) or another thread;
    then, or when the output cannot be flushed (a closed pipe), it ends the usual way.
    """
    import atexit

    threading = sys.modules.get("threading")
    others = threading is not None and threading.active_count() > 1
    handlers = getattr(atexit, "_ncallbacks", lambda: 1)()
    if isinstance(code, int) and not others and not handlers:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe, a closed stream: Python says what
            pass
        else:
            os._exit(code)
    raise SystemExit(code)
