# ruff: noqa: E501 (the screens at 120 columns are kept as they are)
"""`roadmap tui`, driven headless with Textual's pilot, key by key.

After each key that changes something, the progress file (read with Store.load) must say what
the screen says. Waits are on conditions, bounded: never a fixed sleep as the synchronisation.
The layout is checked as the screen's text at 80×24 and 120×40 (not as SVG: an SVG changes with
every Textual release and with the colours, the text does not).
"""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import webbrowser
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import filelock
import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import OptionList

from roadmap_cli import paths
from roadmap_cli.cli import Session
from roadmap_cli.entries import Entry
from roadmap_cli.store import Store
from roadmap_cli.tui import RoadmapApp
from tests.conftest import Invoke, WriteRoadmap, ok

Scenario = Callable[[RoadmapApp, Pilot[None]], Awaitable[None]]

WIDE = (120, 40)


def run_app(
    scenario: Scenario,
    roadmap: str | None = None,
    *,
    size: tuple[int, int] = WIDE,
    files: list[Path] | None = None,
) -> RoadmapApp:
    """Run the app headless at `size` and play `scenario` on it; return the app."""
    session = Session(cli_roadmaps=files or [])
    app = RoadmapApp(session.catalog_for_change(), session.store, roadmap)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(main())
    return app


def screen_text(app: RoadmapApp) -> str:
    """What the screen shows, as text (the way App.export_screenshot renders it)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def line_of(app: RoadmapApp, text: str) -> str:
    found = [line for line in screen_text(app).splitlines() if text in line]
    assert found, f"{text!r} is not on the screen:\n{screen_text(app)}"
    return found[0]


def entry(ref: str) -> Entry | None:
    return Store(paths.progress_file()).load().entries.get(ref)


async def settle(app: RoadmapApp, pilot: Pilot[None]) -> None:
    """Wait until every change asked for is saved and shown."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until `condition` holds; fail after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), "the condition never held"


def notifications(app: RoadmapApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def focused(app: RoadmapApp) -> str | None:
    return app.focused.id if app.focused is not None else None


def highlighted(app: RoadmapApp) -> str | None:
    item = app.highlighted_item()
    return item.ref if item else None


# --- key by key --------------------------------------------------------------------------------


def test_keys_mark_done_start_skip_and_undo() -> None:
    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        # Opened on the roadmap asked for, on the resource `next` names.
        assert highlighted(app) == "short/illustrated-transformer"
        assert "▶ [ ] Jay Alammar" in line_of(app, "Jay Alammar")

        await pilot.press("space")
        await settle(app, pilot)
        assert entry("short/illustrated-transformer").status == "done"  # type: ignore[union-attr]
        assert "[x] Jay Alammar" in line_of(app, "Jay Alammar")
        assert "Done: Jay Alammar’s Illustrated Transformers" in notifications(app)
        assert "33%" in line_of(app, "█")

        await pilot.press("j", "s")
        await settle(app, pilot)
        assert highlighted(app) == "short/karpathy-llm-training"
        assert entry("short/karpathy-llm-training").status == "in-progress"  # type: ignore[union-attr]
        assert "[~] Andrej Karpathy" in line_of(app, "Andrej Karpathy")

        await pilot.press("down", "x")
        await settle(app, pilot)
        assert entry("short/rlhf-huggingface").status == "skipped"  # type: ignore[union-attr]
        assert "[-] Illustrating" in line_of(app, "Illustrating Reinforcement")

        await pilot.press("u")
        await settle(app, pilot)
        assert entry("short/rlhf-huggingface") is None
        assert "[ ] Illustrating" in line_of(app, "Illustrating Reinforcement")
        assert "Undid marking short/rlhf-huggingface skipped" in notifications(app)

        await pilot.press("k", "k", "space")  # space again: done becomes not started
        await settle(app, pilot)
        assert entry("short/illustrated-transformer").status == "pending"  # type: ignore[union-attr]
        assert "[ ] Jay Alammar" in line_of(app, "Jay Alammar")

        await pilot.press("r")  # reset what is not started: nothing changes, and it says so
        await settle(app, pilot)
        assert "Not started yet: Jay Alammar" in notifications(app)

    run_app(scenario, "short")


def test_log_time_through_the_dialog(invoke: Invoke) -> None:
    yesterday = date.today() - timedelta(days=1)

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await pilot.press(*"1h30", "tab", *yesterday.isoformat(), "enter")
        await settle(app, pilot)
        found = entry("short/illustrated-transformer")
        assert found is not None
        assert [(log.day, log.hours) for log in found.log] == [(yesterday, 1.5)]
        assert found.status == "in-progress"
        assert "1.5 h spent" in line_of(app, "Jay Alammar")
        assert f"{yesterday.isoformat()}  1.5 h" in screen_text(app)  # the detail panel
        assert f"Logged 1.5 h on {yesterday.isoformat()}" in notifications(app)

        # The same validation as `roadmap log`: the dialog says what is wrong and stays open.
        await pilot.press("l", *"abc", "enter")
        await pilot.pause()
        assert "'abc' is not a duration" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(entry("short/illustrated-transformer").log) == 1  # type: ignore[union-attr]

        # More than a day on one day: the tracker refuses, as the command does.
        await pilot.press("l", *"23", "tab", *yesterday.isoformat(), "enter")
        await settle(app, pilot)
        assert "would be more than the 24 hours of a day" in notifications(app)
        assert len(entry("short/illustrated-transformer").log) == 1  # type: ignore[union-attr]

    run_app(scenario, "short")
    # The change made in the app is the CLI's to undo.
    assert "Undid 1.5 h logged on" in ok(invoke("undo"))


def test_add_a_note_and_filter() -> None:
    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        await pilot.press("n", *"watch it again", "enter")
        await settle(app, pilot)
        found = entry("short/illustrated-transformer")
        assert found is not None
        assert [note.text for note in found.notes] == ["watch it again"]
        assert "✎1" in line_of(app, "Jay Alammar")
        assert "watch it again" in screen_text(app)
        assert "Noted on Jay Alammar’s Illustrated Transformers" in notifications(app)

        await pilot.press("slash", *"karpathy")
        await pilot.pause()
        assert "Jay Alammar" not in screen_text(app)
        assert "Andrej Karpathy" in screen_text(app)
        await pilot.press("enter")  # keeps the filter, back in the checklist
        assert highlighted(app) == "short/karpathy-llm-training"
        await pilot.press("s")
        await settle(app, pilot)
        assert entry("short/karpathy-llm-training").status == "in-progress"  # type: ignore[union-attr]

        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert "Nothing matches “zzz”" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Jay Alammar" in screen_text(app)

    run_app(scenario, "short")


def test_move_between_panes_open_a_roadmap_and_quit() -> None:
    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        assert focused(app) == "checklist"
        await pilot.press("shift+tab")
        assert focused(app) == "roadmaps"
        await pilot.press("j", "enter")
        await pilot.pause()
        assert focused(app) == "checklist"
        assert app.current == "short"
        assert "Shorter Learning Roadmap (short)" in screen_text(app)
        assert highlighted(app) == "short/illustrated-transformer"
        await pilot.press("tab")
        assert focused(app) == "detail"
        await pilot.press("left", "k")
        assert app.current == "long"
        assert "Long Learning Roadmap (long)" in screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "undo the last change" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "undo the last change" not in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    app = run_app(scenario, "long")
    assert app.return_code == 0


def test_open_link_and_a_pending_link(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    class Browser(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: Browser())

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await pilot.pause()
        assert opened == ["https://www.coursera.org/learn/machine-learning"]
        assert "Opened https://www.coursera.org/learn/machine-learning" in notifications(app)
        await pilot.press("end", "o")
        await pilot.pause()
        assert highlighted(app) == "long/llm-workshop"
        assert opened == ["https://www.coursera.org/learn/machine-learning"]
        assert "link pending" in notifications(app)
        assert "nothing was opened" in notifications(app)

    run_app(scenario, "long")


# --- the layout --------------------------------------------------------------------------------

AT_80x24 = """\
╭─ Roadmaps ─────────────╮╭─ Shorter Learning Roadmap (short) ─────────────────╮
│ Long Learning Roadmap  ││ ▶ [ ] Jay Alammar’s Illustrated… post · 0.5–0.75 h │
│ ░░░░░░░░░░   0%        ││   [ ] Andrej Karpathy’s Video on … video · 1–1.5 h │
│ 80–100 h left          ││   [ ] Illustrating Reinforcemen… post · 0.5–0.75 h │
│ ────────────────────── ││                                                    │
│ Shorter Learning       ││                                                    │
│ Roadmap                ││                                                    │
│ ░░░░░░░░░░   0%        ││                                                    │
│ 2–3 h left             ││                                                    │
│                        ││                                                    │
│                        ││                                                    │
│                        ││                                                    │
│                        ││                                                    │
│                        │╰──────────────────────────── 0/3 · 0% · 2–3 h left ─╯
│                        │╭─ Details ──────────────────────────────────────────╮
│                        ││ Jay Alammar’s Illustrated Transformers             │
│                        ││ [ ] pending  short/illustrated-transformer         │
│                        ││ Link:                                              │
│                        ││ http://jalammar.github.io/illustrated-transforme   │
│                        ││ r/                                                 │
│                        ││ Estimate: 0.5–0.75 h (post) · basis: Apportioned   │
│                        ││ from the roadmap’s stated 2–3 hours; the guide     │
╰────────────────────────╯╰────────────────────────────────────────────────────╯
space Done s Start x Skip l Log n Note u Undo / Filter ? Keys q Quit
"""

AT_120x40 = """\
╭─ Roadmaps ───────────────────────╮╭─ Long Learning Roadmap (long) ───────────────────────────────────────────────────╮
│ Long Learning Roadmap            ││ 1. Machine Learning                                                              │
│ ░░░░░░░░░░   0%                  ││ ▶ [ ] Andrew Ng’s Machine Learning Course                       course · 18–23 h │
│ 80–100 h left                    ││ 2. Deep Learning                                                                 │
│ ──────────────────────────────── ││   [ ] Deep Learning Specialization on Coursera                  course · 24–30 h │
│ Shorter Learning Roadmap         ││ 3. NLP Basics                                                                    │
│ ░░░░░░░░░░   0%                  ││   [ ] Stanford CS224N - NLP with Deep Learning                  course · 20–25 h │
│ 2–3 h left                       ││ 4. LLM Architecture and Training                                                 │
│                                  ││   [ ] Stanford CS25 - Transformers United                       course · 15–19 h │
│                                  ││ 5. Building LLMs from the Ground Up                                              │
│                                  ││   [ ] Workshop Link                                               workshop · 3 h │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  │╰─────────────────────────────────────────────────────── 0/5 · 0% · 80–100 h left ─╯
│                                  │╭─ Details ────────────────────────────────────────────────────────────────────────╮
│                                  ││ Andrew Ng’s Machine Learning Course                                              │
│                                  ││ [ ] pending  long/andrew-ng-machine-learning                                     │
│                                  ││ Link: https://www.coursera.org/learn/machine-learning                            │
│                                  ││ Estimate: 18–23 h (course) · basis: Apportioned from the roadmap’s stated        │
│                                  ││ 80–100+ hours; the guide gives no per-course figure.                             │
│                                  ││ Time logged: none yet (l logs time)                                              │
│                                  ││ Notes: none yet (n adds one)                                                     │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
│                                  ││                                                                                  │
╰──────────────────────────────────╯╰──────────────────────────────────────────────────────────────────────────────────╯
space Done s Start x Skip l Log n Note u Undo / Filter ? Keys q Quit
"""


@pytest.mark.parametrize(("size", "expected"), [((80, 24), AT_80x24), ((120, 40), AT_120x40)])
def test_main_screen_layout(size: tuple[int, int], expected: str) -> None:
    roadmap = "short" if size == (80, 24) else "long"

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        # On a loaded machine the first frame can come before the last line is laid out.
        await until(pilot, lambda: len(screen_text(app).splitlines()) == size[1])
        text = screen_text(app)
        lines = text.splitlines()
        assert all(len(line) <= size[0] for line in lines)
        assert text == expected.rstrip("\n"), text
        assert "q Quit" in lines[-1]
        assert "Details" in text

    run_app(scenario, roadmap, size=size)


def test_follows_a_resize() -> None:
    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = screen_text(app).splitlines()
        assert len(narrow) == 24
        assert max(len(line) for line in narrow) == 80
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert len(screen_text(app).splitlines()) == 40
        assert "Andrew Ng’s Machine Learning Course " in screen_text(app)

    run_app(scenario, "long")


def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        assert app.no_color  # Textual renders in monochrome
        # What colour would say is said in characters too: the status marks, the next one.
        assert "▶ [ ] Jay Alammar" in line_of(app, "Jay Alammar")
        await pilot.press("space")
        await settle(app, pilot)
        assert "[x] Jay Alammar" in line_of(app, "Jay Alammar")

    run_app(scenario, "short")


# --- text from files is data -------------------------------------------------------------------

MARKUP = """\
roadmaps:
  - id: markup
    title: "[bold]Markup[/] roadmap"
    resources:
      - id: tricky
        title: "[bold]x[/]"
        kind: post
        basis: "[red]a guess[/]"
        url: https://example.test/x
        hours: 1
        description: "[link=https://evil.test]click[/link] $var"
"""


def test_text_from_roadmap_files_is_never_markup(write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap(MARKUP)

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "[bold]Markup[/] roadmap" in line_of(app, "╭─ Roadmaps")  # the border title
        assert "[bold]Markup[/] roadmap" in line_of(app, "│ [bold]Markup")  # the list
        assert "[ ] [bold]x[/]" in line_of(app, "post · 1 h")
        assert "basis: [red]a guess[/]" in text
        assert "[link=https://evil.test]click[/link] $var" in text
        await pilot.press("space")
        await settle(app, pilot)
        assert "Done: [bold]x[/] (markup/tricky)" in notifications(app)
        await pilot.press("n", *"[b]note[/b]", "enter")
        await settle(app, pilot)
        assert "[b]note[/b]" in screen_text(app)

    run_app(scenario, "markup", files=[path])
    assert entry("markup/tricky").status == "done"  # type: ignore[union-attr]


# --- other terminals, the lock, an unreadable file ---------------------------------------------


def test_a_change_from_another_terminal_appears(invoke: Invoke) -> None:
    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        ok(invoke("done", "short/karpathy-llm-training"))
        await until(pilot, lambda: "[x] Andrej Karpathy" in screen_text(app))
        # And the app's undo takes back that command's change: one history.
        await pilot.press("u")
        await settle(app, pilot)
        assert entry("short/karpathy-llm-training") is None
        assert "[ ] Andrej Karpathy" in line_of(app, "Andrej Karpathy")

    run_app(scenario, "short")


def test_a_change_from_another_process_appears() -> None:
    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        command = [sys.executable, "-m", "roadmap_cli", "start", "short/rlhf-huggingface"]
        subprocess.run(command, check=True, capture_output=True)
        await until(pilot, lambda: "[~] Illustrating" in screen_text(app))

    run_app(scenario, "short")


def test_a_lock_held_elsewhere_is_said_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROADMAP_CLI_LOCK_TIMEOUT", "0.2")
    lock = filelock.FileLock(paths.lock_file(paths.progress_file()))

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        await pilot.press("space")  # saved: there is something to lose
        await settle(app, pilot)
        before = paths.progress_file().read_bytes()
        lock.acquire()
        try:
            await pilot.press("j", "space")
            await settle(app, pilot)
            assert "Another roadmap command is running" in notifications(app)
            assert "nothing was changed" in notifications(app)
            assert paths.progress_file().read_bytes() == before
            assert "[ ] Andrej Karpathy" in line_of(app, "Andrej Karpathy")
            assert "[x] Jay Alammar" in line_of(app, "Jay Alammar")
        finally:
            lock.release()
        await pilot.press("space")
        await settle(app, pilot)
        assert entry("short/karpathy-llm-training").status == "done"  # type: ignore[union-attr]
        assert entry("short/illustrated-transformer").status == "done"  # type: ignore[union-attr]

    paths.progress_file().parent.mkdir(parents=True, exist_ok=True)
    run_app(scenario, "short")


def test_a_wait_for_the_lock_is_said_and_the_change_is_saved_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROADMAP_CLI_LOCK_TIMEOUT", "20")
    lock = filelock.FileLock(paths.lock_file(paths.progress_file()))

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        lock.acquire()
        try:
            await pilot.press("space")
            await until(pilot, lambda: "Waiting for another roadmap command" in notifications(app))
            assert entry("short/illustrated-transformer") is None
            await pilot.press("j")  # the screen is not frozen while the change waits
            assert highlighted(app) == "short/karpathy-llm-training"
        finally:
            lock.release()
        await settle(app, pilot)
        assert entry("short/illustrated-transformer").status == "done"  # type: ignore[union-attr]
        assert "[x] Jay Alammar" in line_of(app, "Jay Alammar")

    paths.progress_file().parent.mkdir(parents=True, exist_ok=True)
    run_app(scenario, "short")


def test_an_unreadable_progress_file_opens_read_only() -> None:
    progress = paths.progress_file()
    progress.parent.mkdir(parents=True, exist_ok=True)
    progress.write_text("{not json", encoding="utf-8")

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        assert app.read_only is not None
        assert "Read-only: Cannot read the progress file" in screen_text(app)
        await pilot.press("space", "l", "n", "u")
        await settle(app, pilot)
        assert "Read-only: nothing was changed" in notifications(app)
        assert len(app.screen_stack) == 1  # no dialog opened
        assert progress.read_text(encoding="utf-8") == "{not json"

        # Fixed from elsewhere: the app can save again.
        progress.write_text('{"version": 2, "entries": {}, "history": []}\n', encoding="utf-8")
        await until(pilot, lambda: "Read-only" not in screen_text(app))
        assert app.read_only is None
        await pilot.press("space")
        await settle(app, pilot)
        assert entry("short/illustrated-transformer").status == "done"  # type: ignore[union-attr]

    run_app(scenario, "short")


# --- the command -------------------------------------------------------------------------------


def test_an_unknown_roadmap_is_refused_before_the_screen_is_taken(invoke: Invoke) -> None:
    result = invoke("tui", "nope")
    assert result.exit_code == 2
    assert "No roadmap with id 'nope'" in result.stderr


def test_the_command_runs_the_app(monkeypatch: pytest.MonkeyPatch, invoke: Invoke) -> None:
    ran: list[Any] = []
    monkeypatch.setattr(RoadmapApp, "run", lambda self, **kw: ran.append(self.current))
    ok(invoke("tui", "short"))
    assert ran == ["short"]


def test_a_bug_in_the_app_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, invoke: Invoke
) -> None:
    def crash(self: RoadmapApp, **kw: Any) -> None:
        self._return_code = 1  # what Textual leaves after showing an unexpected error

    monkeypatch.setattr(RoadmapApp, "run", crash)
    result = invoke("tui")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: roadmap tui hit a bug")


def test_other_commands_do_not_import_textual() -> None:
    code = "import sys, roadmap_cli.entry as e; e.main()"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "textual" not in result.stderr.lower()


def test_checklist_options_carry_refs() -> None:
    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        pane = app.screen.query_one("#checklist", OptionList)
        ids = [pane.get_option_at_index(i).id for i in range(pane.option_count)]
        assert ids == [
            "short/illustrated-transformer",
            "short/karpathy-llm-training",
            "short/rlhf-huggingface",
        ]

    run_app(scenario, "short")


def test_a_resource_without_an_estimate_says_so(write_roadmap: WriteRoadmap) -> None:
    extra = write_roadmap(
        "roadmaps:\n  - id: go\n    title: Go\n    resources:\n"
        "      - {id: tour, title: Tour of Go, url: 'https://go.test/tour', hours: 3}\n"
        "      - {id: spec, title: The Spec, url: 'https://go.test/spec'}\n"
    )

    seen: list[str] = []

    async def scenario(app: RoadmapApp, pilot: Pilot[None]) -> None:
        await pilot.press("j")  # the second resource
        await until(pilot, lambda: highlighted(app) == "go/spec")
        seen.extend([line_of(app, "The Spec"), screen_text(app)])

    run_app(scenario, "go", files=[extra])

    row, screen = seen
    assert "other · no estimate" in row
    assert "Estimate: no estimate (other)" in screen
    assert "3+ h left" in screen
