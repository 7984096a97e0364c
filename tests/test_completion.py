"""Completion that helps: each resource once, only what a command would change, roadmap ids."""

from __future__ import annotations

import json
import os
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
