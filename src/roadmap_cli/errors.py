"""The errors roadmap-cli reports to a user, each with its exit code.

Exit codes: 0 success; 1 a runtime or data problem (an unreadable progress file, a failed write,
a lock held too long); 2 invalid input (a bad roadmap file, an unknown REF, a usage error);
3 a bug in roadmap-cli (an unexpected exception: one line, the traceback in a log file);
130 interrupted with Ctrl-C. `cli.RoadmapGroup` is the one place that turns these into exits
(and `entry` the one that handles Ctrl-C in the `roadmap` command).
"""

from __future__ import annotations

BUG = 3


class RoadmapError(Exception):
    """A problem the user can act on, reported as one paragraph without a traceback."""

    exit_code = 1


class InputError(RoadmapError):
    """The user gave us something we cannot use: a bad roadmap file, an unknown REF."""

    exit_code = 2


class RoadmapFileError(InputError):
    """A roadmap file that cannot be loaded: where (file, line, column) and what is wrong."""

    def __init__(
        self,
        path: object,
        problem: str,
        line: int | None = None,
        column: int | None = None,
        *,
        more: int = 0,
    ) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        self.column = column
        where = f"{path}:{line}:{column}" if line is not None else f"{path}"
        tail = f" ({more:,} more problem{'s' if more > 1 else ''} in this file.)" if more else ""
        super().__init__(f"{where}: {problem}{tail}")


class UnknownRefError(InputError):
    """A roadmap id or REF that matches nothing, or more than one thing."""


class ProgressFileError(RoadmapError):
    """A progress file that cannot be read; it is left untouched."""


class StoreWriteError(RoadmapError):
    """Progress could not be saved; the previous file is left as it was."""


class LockTimeoutError(RoadmapError):
    """Another roadmap command held the progress lock for too long."""


class LinkPendingError(RoadmapError):
    """The resource has only a placeholder link, so there is nothing to open."""
