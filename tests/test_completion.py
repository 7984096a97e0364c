"""Completion that helps: each resource once, only what a command would change, roadmap ids."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINE, Invoke, run_roadmap

LONG = [
    "andrew-ng-machine-learning",
    "deep-learning-specialization",
    "stanford-cs224n",
    "stanford-cs25",
    "llm-workshop",
]
SHORT = ["illustrated-transformer", "karpathy-llm-training", "rlhf-huggingface"]
EVERY = LONG + SHORT


def complete(tmp_path: Path, words: str) -> list[str]:
    """Ask `roadmap` for completions as bash does, in a real process."""
    env = {
        **os.environ,
        "_ROADMAP_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    done = run_roadmap(cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.split()


@pytest.mark.parametrize("command", ["log", "note", "notes", "open", "done"])
def test_each_resource_is_offered_once_by_its_bare_id(tmp_path: Path, command: str) -> None:
    offered = complete(tmp_path, f"roadmap {command} ")
    assert offered == EVERY


def test_a_ref_is_offered_when_the_id_is_not_unique(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(MINE, encoding="utf-8")
    offered = complete(tmp_path, "roadmap --roadmaps mine.yaml log ")
    assert "stanford-cs25" not in offered
    assert offered.count("long/stanford-cs25") == 1
    assert offered.count("mine/stanford-cs25") == 1
    assert offered.count("stanford-cs224n") == 1
    assert len(offered) == len(EVERY) + 1


def test_a_ref_completes_once_a_roadmap_is_typed(tmp_path: Path) -> None:
    assert complete(tmp_path, "roadmap done long/st") == [
        "long/stanford-cs224n",
        "long/stanford-cs25",
    ]
    assert complete(tmp_path, "roadmap done stan") == ["stanford-cs224n", "stanford-cs25"]


def test_each_command_offers_what_it_would_change(invoke: Invoke, tmp_path: Path) -> None:
    for command, ref in [
        ("done", "long/stanford-cs25"),
        ("start", "long/stanford-cs224n"),
        ("skip", "short/rlhf-huggingface"),
    ]:
        result = invoke(command, ref)
        assert result.exit_code == 0, result.output
    changed = {"stanford-cs25", "stanford-cs224n", "rlhf-huggingface"}
    pending = [i for i in EVERY if i not in changed]

    assert complete(tmp_path, "roadmap done ") == [i for i in EVERY if i != "stanford-cs25"]
    assert complete(tmp_path, "roadmap start ") == pending
    assert complete(tmp_path, "roadmap reset ") == [i for i in EVERY if i in changed]
    assert complete(tmp_path, "roadmap skip ") == [
        i for i in EVERY if i not in {"stanford-cs25", "rlhf-huggingface"}
    ]
    assert complete(tmp_path, "roadmap log ") == EVERY  # logging time changes no status


@pytest.mark.parametrize(
    "content", [b"{not json", b'{"entries": []}', b'{"entries": {"long/x": 3}}', b"\xff"]
)
def test_an_unreadable_progress_file_offers_everything_quietly(
    tmp_path: Path, progress_path: Path, content: bytes
) -> None:
    progress_path.parent.mkdir(parents=True, exist_ok=True)
    progress_path.write_bytes(content)
    assert complete(tmp_path, "roadmap done ") == EVERY
    assert progress_path.read_bytes() == content


def test_statuses_come_from_a_plain_read_of_the_progress_file(
    tmp_path: Path, progress_path: Path
) -> None:
    # No validation: an entry the models would refuse still tells its status.
    progress_path.parent.mkdir(parents=True, exist_ok=True)
    progress_path.write_text(
        json.dumps({"entries": {"long/llm-workshop": {"status": "done", "odd": 1}}}),
        encoding="utf-8",
    )
    assert "llm-workshop" not in complete(tmp_path, "roadmap done ")
    assert complete(tmp_path, "roadmap reset ") == ["llm-workshop"]


@pytest.mark.parametrize("command", ["show", "next", "plan", "remaining", "stats", "card"])
def test_roadmap_arguments_offer_roadmap_ids(tmp_path: Path, command: str) -> None:
    assert complete(tmp_path, f"roadmap {command} ") == ["long", "short"]
    assert complete(tmp_path, f"roadmap {command} s") == ["short"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("roadmap done lo", [f"long/{ref}" for ref in LONG]),
        ("roadmap show ", ["long", "short"]),
        ("roadmap --roadmaps mine.yaml notes mi", ["mine/stanford-cs25"]),
    ],
)
def test_a_typed_roadmap_or_option_narrows_what_is_offered(
    tmp_path: Path, words: str, expected: list[str]
) -> None:
    (tmp_path / "mine.yaml").write_text(MINE, encoding="utf-8")
    assert complete(tmp_path, words) == expected


# Lines whose TAB press is answered from the cache once a first one has gone through Typer,
# and lines that always go through it (an option, a quote, the command name, a flag).
FROM_THE_CACHE = [
    "roadmap done ",
    "roadmap done lo",
    "roadmap reset ",
    "roadmap log st",
    "roadmap show s",
    "roadmap card ",
    "roadmap --roadmaps mine.yaml notes ",
    "roadmap --roadmaps mine.yaml --roadmaps mine.yaml done mi",
    "roadmap done long/stanford-cs25 long/",
]
THROUGH_TYPER = [
    "roadmap ",
    "roadmap d",
    "roadmap done --",
    "roadmap show --json ",
    "roadmap --version show ",
    "roadmap export --format ",
    "roadmap --roadmaps=mine.yaml show ",
    "roadmap show 'l",
    "roadmap validate ",
    "roadmap log long/stanford-cs25 ",
    "roadmap show long ",
]


def _cached() -> bool:
    """Whether a TAB press may be answered from the cache (ROADMAP_CLI_NO_CACHE: never)."""
    return not os.environ.get("ROADMAP_CLI_NO_CACHE")


def _tab(tmp_path: Path, words: str, *, shell: str = "complete_bash") -> tuple[str, bool]:
    """A TAB press in a real process: what it prints, and whether it imported Typer."""
    env = {
        **os.environ,
        "_ROADMAP_COMPLETE": shell,
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write(str('typer' in sys.modules)))\n"
        "from roadmap_cli.entry import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr in ("True", "False"), done.stderr
    return done.stdout, done.stderr == "True"


def test_a_tab_press_from_the_cache_answers_as_typer_does(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(MINE, encoding="utf-8")
    with_typer = {}
    for words in FROM_THE_CACHE + THROUGH_TYPER:
        with_typer[words] = run_roadmap(
            cwd=tmp_path,
            env={
                **os.environ,
                "ROADMAP_CLI_NO_CACHE": "1",
                "_ROADMAP_COMPLETE": "complete_bash",
                "COMP_WORDS": words,
                "COMP_CWORD": str(len(words.split(" ")) - 1),
            },
        ).stdout
    first, typer_used = _tab(tmp_path, "roadmap show ")  # the first: through Typer
    assert (first, typer_used) == ("long\nshort\n", True)
    for words in FROM_THE_CACHE:
        assert _tab(tmp_path, words) == (with_typer[words], not _cached()), words
    for words in THROUGH_TYPER:
        assert _tab(tmp_path, words) == (with_typer[words], True), words
    # Other shells go through Typer.
    assert _tab(tmp_path, "roadmap show ", shell="complete_zsh")[1]


def test_a_tab_press_from_the_cache_sees_progress_change(invoke: Invoke, tmp_path: Path) -> None:
    assert _tab(tmp_path, "roadmap show ")[1]  # through Typer, which saves what completes what
    assert _tab(tmp_path, "roadmap done stanford-cs2") == (
        "stanford-cs224n\nstanford-cs25\n",
        not _cached(),
    )
    assert invoke("done", "long/stanford-cs25").exit_code == 0
    assert _tab(tmp_path, "roadmap done stanford-cs2") == ("stanford-cs224n\n", not _cached())
    assert _tab(tmp_path, "roadmap reset ") == ("stanford-cs25\n", not _cached())


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_damaged_completion_entry_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes | None
) -> None:
    monkeypatch.delenv("ROADMAP_CLI_NO_CACHE", raising=False)  # an entry to damage
    assert _tab(tmp_path, "roadmap show ")[1]
    [entry] = (tmp_path / "cache").glob("completion.*")
    blob = entry.read_bytes()
    # Cut short, replaced, or one byte of it flipped: never read as what completes what.
    entry.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]) if damage is None else damage)
    assert _tab(tmp_path, "roadmap done stanford-cs2") == (
        "stanford-cs224n\nstanford-cs25\n",
        True,
    )
    assert _tab(tmp_path, "roadmap done stanford-cs2")[1] is False  # saved anew
