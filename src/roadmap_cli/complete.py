"""TAB completion: what each kind of argument offers, and a bash TAB press answered quickly.

Which argument of which command completes what is said in one place: each argument's
`autocompletion` in cli.py. A TAB press that goes through Typer saves what it read there (each
command's arguments in order, and what each one offers; the options of `roadmap` itself) in
the cache, under the fingerprint of this version of the code (`cache.get_named`). The next TAB
presses of bash are answered from it, by the same functions, without importing Typer, Pydantic
or Rich. Whatever the saved knowledge does not plainly cover (an option or a quote on the line,
the command name itself, another shell, no cache) goes through Typer as before.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from roadmap_cli import cache, paths
from roadmap_cli.catalog import completion_ids

COMPLETE_VAR = "_ROADMAP_COMPLETE"
SPEC_NAME = "completion"

# What each command can change, so what its completion offers: the statuses it is not.
OFFERED: dict[str, frozenset[str]] = {
    "done": frozenset({"pending", "in-progress", "skipped"}),
    "start": frozenset({"pending"}),
    "reset": frozenset({"in-progress", "done", "skipped"}),
    "skip": frozenset({"pending", "in-progress"}),
}


def roadmaps(command: str, given: Sequence[Path], incomplete: str) -> list[str]:
    """Offer the ids of the roadmaps loaded (`given`: the files of --roadmaps)."""
    return [r for r in _ids(given) if r.startswith(incomplete)]


def refs(command: str, given: Sequence[Path], incomplete: str) -> list[str]:
    """Offer each resource once: its bare id when unique overall, else its REF.

    `done`, `start`, `reset` and `skip` offer only the resources they would change.
    """
    found = _ids(given)
    times = Counter(i for ids in found.values() for i in ids)  # no pairwise compare at 10,000
    wanted = OFFERED.get(command)
    statuses = _statuses() if wanted is not None else {}
    offered: list[str] = []
    for roadmap_id, ids in found.items():
        for i in ids:
            ref = f"{roadmap_id}/{i}"
            if wanted is not None and statuses.get(ref, "pending") not in wanted:
                continue
            name = i if times[i] == 1 and i.startswith(incomplete) else ref
            if name.startswith(incomplete):
                offered.append(name)
    return offered


# The kinds of argument completion, by the name the saved knowledge gives them.
COMPLETERS = {"roadmap": roadmaps, "ref": refs}


def _ids(given: Sequence[Path]) -> dict[str, list[str]]:
    # Quietly, and with what loads: this is a TAB press.
    return completion_ids(paths.roadmap_sources(list(given)))


def _statuses() -> dict[str, str]:
    """Return each REF's status from the progress file, read plainly; {} on any problem."""
    try:
        entries = json.loads(paths.progress_file().read_bytes())["entries"]
        return {
            ref: entry["status"]
            for ref, entry in entries.items()
            if isinstance(entry, dict) and isinstance(entry.get("status"), str)
        }
    except Exception:  # a TAB press never fails: without statuses, everything is offered
        return {}


def save(spec: dict[str, Any]) -> None:
    """Keep what cli.py says about completion for the next TAB presses (see the module doc).

    `spec` is {"options": {option: takes a value}, "commands": {name: [[argument, nargs,
    kind or None], ...]}}, with a kind of COMPLETERS.
    """
    if cache.get_named(SPEC_NAME) != spec:
        cache.put_named(SPEC_NAME, spec)


_SPACE = re.compile(r"[ \t\r\n]+")


def answer() -> bool:
    """Answer a bash TAB press from the saved knowledge and return True; else return False.

    The answer is what Typer would print: the values, one a line. False (nothing printed)
    for anything it does not plainly cover, so that Typer answers it.
    """
    if os.environ.get(COMPLETE_VAR) != "complete_bash":
        return False
    try:
        found = _offered(os.environ.get("COMP_WORDS", ""), os.environ.get("COMP_CWORD", ""))
    except Exception:  # never worse than Typer's answer: let it give one
        return False
    if found is None:
        return False
    sys.stdout.write("\n".join(found) + "\n")
    sys.stdout.flush()
    return True


def _offered(words: str, cword: str) -> list[str] | None:
    """What a TAB press offers on the line `words` at word `cword`; None if not plain."""
    if not cword.isdigit() or any(c in words for c in "\"'\\="):
        return None
    # Without quotes and backslashes, the shell-like split Typer does is a split at blanks.
    typed = _SPACE.split(words.strip(" \t\r\n"))
    if any(ch.isspace() for word in typed for ch in word):
        return None
    position = int(cword)
    args, incomplete = typed[1:position], typed[position] if position < len(typed) else ""
    spec = cache.get_named(SPEC_NAME)
    if not isinstance(spec, dict) or incomplete.startswith("-"):
        return None
    options, commands = spec.get("options"), spec.get("commands")
    if not isinstance(options, dict) or not isinstance(commands, dict):
        return None
    given: list[Path] = []
    at = 0
    while at < len(args) and args[at].startswith("-"):
        if args[at] != paths.ROADMAPS_OPTION or options.get(args[at]) is not True:
            return None  # a flag (--version, --help), an option we do not know
        if at + 1 >= len(args):
            return None
        given.append(Path(args[at + 1]))
        at += 2
    if at >= len(args) or args[at] not in commands:
        return None  # the command name itself, or none we know: Typer lists them
    command, rest = args[at], args[at + 1 :]
    if any(word.startswith("-") for word in rest):
        return None  # an option of the command (or "--"): Typer knows what it takes
    kind = _argument_at(commands[command], len(rest))
    completer = COMPLETERS.get(kind) if isinstance(kind, str) else None
    if completer is None:
        return None
    return completer(command, given, incomplete)


def _argument_at(arguments: Any, filled: int) -> object:
    """The kind of the argument that the word after `filled` complete ones goes to."""
    for _name, nargs, kind in arguments:
        if nargs == -1 or filled < nargs:
            return kind
        filled -= nargs
    return None
