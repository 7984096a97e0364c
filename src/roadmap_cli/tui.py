"""`roadmap tui`: the whole tracker as a full-screen terminal app (Textual).

Only the `tui` command imports this module, so no other command pays for Textual at start-up.

Every change goes through the same code as the commands: the tracker's functions with the
Store (the lock, the atomic write, the undo history), so a change made here can be undone with
`roadmap undo` and the reverse. What a change reports is what the command prints (render's own
functions, captured), shown as a notification; an error is the command's error message. Changes
run in a worker thread, one at a time, so that a lock held elsewhere never freezes the screen.

The progress file is polled twice a second (inode, size, mtime): a change made from another
terminal shows within a second. An unreadable progress file makes the app read-only, with the
reason on screen, until the file can be read again.

Text from roadmap and progress files is data, never markup: every widget here gets `Text`
objects (or `markup=False`), and control characters are shown escaped (render.clean).
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import webbrowser
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from roadmap_cli import render, tracker
from roadmap_cli.catalog import Catalog, ResolvedRef
from roadmap_cli.entries import ProgressFile, Status, hours_by_day
from roadmap_cli.errors import BUG, InputError, LinkPendingError, ProgressFileError, RoadmapError
from roadmap_cli.models import check_note
from roadmap_cli.progress import (
    ResourceItem,
    RoadmapSummary,
    estimate_text,
    find_next,
    format_number,
    hours_left,
)
from roadmap_cli.safetext import display_url
from roadmap_cli.store import Store, empty_progress

T = TypeVar("T")
# What a change reports: the render function the command calls, with its arguments bound.
Report = Callable[[], None]

POLL_SECONDS = 0.5

# The keys, as `?` lists them (and the README).
KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓  j k", "move"),
    ("Tab  ← →", "move between the panes: roadmaps, checklist, details"),
    ("Enter", "open the highlighted roadmap"),
    ("space", "mark done, or not started again if done"),
    ("s", "start: mark in progress"),
    ("x", "skip"),
    ("r", "reset: mark not started"),
    ("l", "log time: a duration (1.5, 90m, 1h30, 1:30) and a day"),
    ("n", "add a note"),
    ("o", "open the link in your web browser"),
    ("u", "undo the last change (made here or by a command)"),
    ("/", "filter the checklist by text; Esc clears the filter"),
    ("?", "show these keys"),
    ("q", "quit"),
)

_STATUSES: dict[str, Status] = {
    "pending": "pending",
    "in-progress": "in-progress",
    "done": "done",
    "skipped": "skipped",
}


class AppFailed(RoadmapError):
    """The app stopped on an unexpected error (Textual has printed its traceback)."""

    exit_code = BUG


def run(catalog: Catalog, store: Store, roadmap_id: str | None = None) -> None:
    """Run the app full screen until the user quits."""
    if roadmap_id is not None:
        catalog.roadmap(roadmap_id)  # an unknown id is refused before the screen is taken
    app = RoadmapApp(catalog, store, roadmap_id)
    app.run()
    if app.return_code:
        raise AppFailed(
            "roadmap tui hit a bug and stopped; the details are above. Your progress is as the "
            "last change shown left it. Please report it."
        )


def said(show: Callable[[], None]) -> str:
    """What a render function prints, as plain text with one line per paragraph.

    render lays each paragraph out at its console's width, which a Console takes from COLUMNS;
    a wide one keeps each paragraph on one line, for the notification to wrap.
    """
    out = io.StringIO()
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "10000"
    try:
        with contextlib.redirect_stdout(out):
            show()
    finally:
        if before is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = before
    lines = Text.from_ansi(out.getvalue()).plain.splitlines()
    return "\n".join(line.rstrip() for line in lines).strip()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells that the progress file changed: inode, size, mtime (None: no file)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _safe(value: str, style: str | Style = "", *, newlines: bool = False) -> Text:
    return Text(render.clean(value, allow_newlines=newlines), style=style)


def _matches(item: ResourceItem, words: str) -> bool:
    res = item.resource
    haystack = " ".join(
        part for part in (res.title, res.kind, item.ref, res.description or "", item.step or "")
    )
    return words.casefold() in haystack.casefold()


# --- what the panes show -----------------------------------------------------------------------


def roadmap_prompt(summary: RoadmapSummary) -> Text:
    """A roadmap in the list: its title, progress bar and percent, hours left."""
    text = _safe(summary.roadmap.title, "bold")
    text.append("\n")
    text.append(render.bar(summary.percent))
    text.append("\n")
    text.append(f"{hours_left(summary)} left", style="cyan")
    return text


def resource_prompt(item: ResourceItem, *, is_next: bool) -> Table:
    """A resource in the checklist: status mark, title, kind, estimate, time spent, notes."""
    row = Table.grid(expand=True, padding=(0, 1))
    row.add_column(no_wrap=True, width=1)  # ▶ for the one `next` names
    row.add_column(no_wrap=True, width=3)  # [x]
    row.add_column(no_wrap=True, ratio=1, overflow="ellipsis")
    row.add_column(no_wrap=True, justify="right")
    status = item.status
    title_style = render.TITLE_STYLE[status] + (" reverse" if is_next else "")
    spent = f"{format_number(item.hours_logged)} h spent · " if item.hours_logged else ""
    notes = f" ✎{item.notes}" if item.notes else ""
    extra = " opt" if item.resource.optional else ""
    row.add_row(
        Text("▶" if is_next else " ", style="bold yellow"),
        Text(render.MARKS[status], style=render.STATUS_STYLE[status]),
        _safe(item.resource.title, title_style),
        Text.assemble(
            (f"{item.resource.kind} · ", "cyan"),
            (estimate_text(item), "cyan"),
            (f" · {spent.removesuffix(' · ')}" if spent else "", "yellow"),
            (extra, "dim"),
            (notes, "magenta"),
        ),
    )
    return row


def detail(item: ResourceItem | None) -> RenderableType:
    """Everything about one resource: description, link, estimate and basis, time, notes."""
    if item is None:
        return Text("No resource highlighted.", style="dim")
    res = item.resource
    parts: list[RenderableType] = []
    parts.append(_safe(res.title, "bold"))
    status = Text(f"{render.MARKS[item.status]} {item.status}", render.STATUS_STYLE[item.status])
    parts.append(status + Text("  ") + _safe(item.ref, "dim"))
    if res.description:
        parts.append(_safe(res.description, newlines=True))
    if res.link_pending:
        parts.append(Text("Link: ") + Text("link pending (none to open yet)", style="yellow"))
    else:
        url = display_url(res.url)  # escaped, and a look-alike host in ASCII
        parts.append(Text("Link: ") + Text(url, Style(color="blue", underline=True, link=url)))
    estimate = Text(f"Estimate: {estimate_text(item)} ({res.kind})")
    if res.basis:
        estimate.append(" · basis: ")
        estimate.append(_safe(res.basis, "dim"))
    if res.optional:
        estimate.append(" · optional" + ("" if item.counted else ", not counted"), "dim")
    parts.append(estimate)
    entry = item.entry
    if entry is not None and entry.log:
        logged = Text(f"Time logged: {format_number(entry.hours_logged)} h")
        for day, hours in sorted(hours_by_day([entry]).items()):
            logged.append(f"\n  {day:%a} {day.isoformat()}  {format_number(hours)} h")
        parts.append(logged)
    else:
        parts.append(Text("Time logged: none yet (l logs time)", style="dim"))
    if entry is not None and entry.notes:
        notes = Text("Notes:")
        for note in entry.notes:
            notes.append(f"\n  {note.added.astimezone():%Y-%m-%d %H:%M}  ", style="dim")
            notes.append(render.clean(note.text, allow_newlines=True).replace("\n", "\n    "))
        parts.append(notes)
    else:
        parts.append(Text("Notes: none yet (n adds one)", style="dim"))
    return Group(*parts)


# --- widgets and dialogs -----------------------------------------------------------------------


class Pane(OptionList):
    """A list moved through with the arrows or j and k."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class Details(VerticalScroll):
    """The detail panel: scrolls with the arrows or j and k when it has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]


class Ask(ModalScreen[T]):
    """A small dialog of one or more fields; `check` turns what was typed into a value.

    `check` raises InputError with the command's own message; the dialog stays open and says it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        fields: Sequence[tuple[str, str]],
        check: Callable[[list[str]], T],
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_safe(self.title_text, "bold"), id="dialog-title")
            for label, placeholder in self.fields:
                yield Static(Text(label))
                yield Input(placeholder=placeholder, compact=True)
            yield Static(Text(""), id="dialog-error")
            yield Static(Text("Enter saves · Tab next field · Esc cancels", style="dim"))

    @on(Input.Submitted)
    def submit(self) -> None:
        values = [field.value for field in self.query(Input)]
        try:
            value = self.check(values)
        except InputError as exc:
            self.query_one("#dialog-error", Static).update(_safe(str(exc), "bold red"))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Keys(ModalScreen[None]):
    """Every key, listed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,enter", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        for key, what in KEYS:
            table.add_row(Text(key), Text(what))
        with Vertical(id="dialog"):
            yield Static(Text("Keys", style="bold"))
            yield Static(table)
            yield Static(Text("Esc closes this list", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)


def _log_values(today: date) -> Callable[[list[str]], tuple[float, date]]:
    def check(values: list[str]) -> tuple[float, date]:
        duration, day = values
        return tracker.parse_duration(duration), tracker.parse_day(day.strip() or None, today)

    return check


def _note_text(values: list[str]) -> str:
    try:
        return check_note(values[0])
    except ValueError as exc:
        raise InputError(f"A note {exc}.") from None


# --- the app -----------------------------------------------------------------------------------


class Main(Screen[None]):
    """Roadmaps on the left; the open roadmap's checklist and the detail panel on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark('toggle')", "Done"),
        Binding("s", "mark('in-progress')", "Start"),
        Binding("x", "mark('skipped')", "Skip"),
        Binding("r", "mark('pending')", "Reset", show=False),
        Binding("l", "log", "Log"),
        Binding("n", "note", "Note"),
        Binding("o", "open_link", "Open", show=False),
        Binding("u", "undo", "Undo"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("left", "focus_pane('roadmaps')", "Roadmaps", show=False),
        Binding("right", "focus_pane('checklist')", "Checklist", show=False),
        Binding("question_mark", "keys", "Keys"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="banner", markup=False)
        with Vertical(id="left"):
            yield Pane(id="roadmaps", markup=False)
        with Vertical(id="right"):
            yield Pane(id="checklist", markup=False)
            with Details(id="detail"):
                yield Static(Text(""), id="detail-text", markup=False)
        yield Input(placeholder="Filter the checklist: Enter keeps it, Esc clears", id="filter")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def tracker_app(self) -> RoadmapApp:
        app = self.app
        assert isinstance(app, RoadmapApp)
        return app

    def on_mount(self) -> None:
        self.query_one("#roadmaps", Pane).border_title = "Roadmaps"
        self.query_one("#detail", Details).border_title = "Details"
        self.query_one("#filter", Input).display = False
        self.tracker_app.start()

    # --- actions --------------------------------------------------------------------------

    def action_mark(self, status: str) -> None:
        self.tracker_app.mark_highlighted(_STATUSES.get(status))

    def action_log(self) -> None:
        self.tracker_app.log_highlighted()

    def action_note(self) -> None:
        self.tracker_app.note_highlighted()

    def action_open_link(self) -> None:
        self.tracker_app.open_highlighted()

    def action_undo(self) -> None:
        self.tracker_app.undo()

    def action_keys(self) -> None:
        self.app.push_screen(Keys())

    def action_focus_pane(self, pane: str) -> None:
        self.query_one(f"#{pane}", Pane).focus()

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.display = False
        self.tracker_app.set_filter("")
        self.query_one("#checklist", Pane).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.tracker_app.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def filter_kept(self, event: Input.Submitted) -> None:
        if not event.value:
            event.input.display = False
        self.query_one("#checklist", Pane).focus()

    @on(OptionList.OptionHighlighted, "#roadmaps")
    def roadmap_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.tracker_app.open_roadmap(event.option.id)

    @on(OptionList.OptionSelected, "#roadmaps")
    def roadmap_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.tracker_app.open_roadmap(event.option.id)
        self.query_one("#checklist", Pane).focus()

    @on(OptionList.OptionHighlighted, "#checklist")
    def resource_highlighted(self) -> None:
        self.tracker_app.show_detail()


class RoadmapApp(App[None]):
    """The tracker, full screen."""

    TITLE = "roadmap"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Main { layout: horizontal; }
    #banner {
        dock: top; height: auto; max-height: 5; display: none;
        background: $error; color: $text; padding: 0 1;
    }
    #banner.shown { display: block; }
    #left { width: 30%; min-width: 26; max-width: 40; height: 1fr; }
    #right { width: 1fr; height: 1fr; }
    #roadmaps, #checklist, #detail { border: round $panel; height: 1fr; }
    #roadmaps:focus, #checklist:focus, #detail:focus { border: round $accent; }
    #detail { height: 40%; min-height: 7; padding: 0 1; }
    #filter { dock: bottom; margin-bottom: 1; }
    Ask, Keys { align: center middle; }
    #dialog {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    #dialog-error { height: auto; }
    """

    def __init__(self, catalog: Catalog, store: Store, roadmap_id: str | None = None) -> None:
        super().__init__()
        self.catalog = catalog
        # The session's store, with our own way of saying that another command holds the lock.
        self.store = Store(
            store.path,
            lock_timeout=store.lock_timeout,
            advice=store.advice,
            on_wait=self._waiting,
        )
        self.progress: ProgressFile = empty_progress()
        self.read_only: str | None = None
        self.summaries: dict[str, RoadmapSummary] = {}
        self.current: str | None = roadmap_id
        self.filter_text = ""
        self._stamp: tuple[int, int, int] | None = None
        self._serial = threading.Lock()  # one change at a time, in the order asked

    # --- loading and showing ------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return Main()

    def start(self) -> None:
        """Load, show the roadmap asked for (or the one `next` names), and start polling."""
        self.reload()
        if self.current is None:
            found = find_next(list(self.summaries.values()))
            self.current = found[0].roadmap.id if found else next(iter(self.summaries), None)
        self.show_roadmaps()
        self.show_checklist()
        checklist = self.screen.query_one("#checklist", Pane)
        checklist.focus()
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        """Reload when the progress file changed on disk (another terminal, a sync)."""
        if _stamp(self.store.path) != self._stamp:
            self.refresh_all()

    def reload(self) -> None:
        """Read the progress file; when it cannot be read, go read-only and say why."""
        self._stamp = _stamp(self.store.path)
        try:
            self.progress = self.store.load()
        except ProgressFileError as exc:
            self.read_only = str(exc)  # said on the banner, which stays until it can be read
        else:
            if self.read_only is not None:
                self.notify("The progress file can be read again; changes are saved again.")
            self.read_only = None
        self.summaries = {
            s.roadmap.id: s
            for s in tracker.summaries(self.catalog, self.catalog.roadmaps.values(), self.progress)
        }
        banner = self._main.query_one("#banner", Static)
        if self.read_only is None:
            banner.remove_class("shown")
        else:
            banner.update(_safe(f"Read-only: {self.read_only}"))
            banner.add_class("shown")

    @property
    def _main(self) -> Main:
        for screen in self.screen_stack:
            if isinstance(screen, Main):
                return screen
        raise LookupError("the main screen is not up")

    def refresh_all(self) -> None:
        self.reload()
        self.show_roadmaps()
        self.show_checklist()

    def show_roadmaps(self) -> None:
        pane = self._main.query_one("#roadmaps", Pane)
        keep = self.current
        with pane.prevent(OptionList.OptionHighlighted):
            pane.clear_options()
            options: list[Option | None] = []
            for roadmap_id, summary in self.summaries.items():
                if options:
                    options.append(None)  # a rule between roadmaps
                options.append(Option(roadmap_prompt(summary), id=roadmap_id))
            pane.add_options(options)
            if keep is not None and keep in self.summaries:
                pane.highlighted = pane.get_option_index(keep)

    def open_roadmap(self, roadmap_id: str) -> None:
        if roadmap_id != self.current:
            self.current = roadmap_id
            self.show_checklist(keep=False)

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self.show_checklist()

    def show_checklist(self, *, keep: bool = True) -> None:
        """Fill the checklist of the open roadmap, keeping the highlight on the same REF."""
        main = self._main
        pane = main.query_one("#checklist", Pane)
        before = self.highlighted_item()
        wanted = before.ref if keep is True and before is not None else None
        summary = self.summaries.get(self.current or "")
        pane.clear_options()
        if summary is None:
            pane.border_title = "Checklist"
            pane.border_subtitle = ""
            pane.add_option(Option(Text("No roadmaps are loaded.", style="dim"), disabled=True))
            self.show_detail()
            return
        # A Text: a str given to a border title would be read as markup.
        pane.border_title = _safe(f"{summary.roadmap.title} ({summary.roadmap.id})")
        pane.border_subtitle = Text(
            f"{summary.done + summary.skipped}/{summary.total} · {summary.percent}% · "
            f"{hours_left(summary)} left"
        )
        found = find_next([summary])
        next_ref = found[1].ref if found else None
        options: list[Option] = []
        for number, step in enumerate(summary.steps, start=1):
            items = [i for i in step.items if not self.filter_text or _matches(i, self.filter_text)]
            if not items:
                continue
            if step.title is not None:
                heading = _safe(f"{number}. {step.title}", "bold underline")
                options.append(Option(heading, disabled=True))
            options += [
                Option(resource_prompt(i, is_next=i.ref == next_ref), id=i.ref) for i in items
            ]
        if not options:
            nothing = Text("Nothing matches “") + _safe(self.filter_text) + Text("”.")
            options.append(Option(nothing, disabled=True))
        pane.add_options(options)
        target = wanted if wanted is not None else next_ref
        ids = [o.id for o in options if o.id is not None]
        if ids:
            pane.highlighted = pane.get_option_index(target if target in ids else ids[0])
        self.show_detail()

    def highlighted_item(self) -> ResourceItem | None:
        try:
            pane = self._main.query_one("#checklist", Pane)
        except LookupError:
            return None
        if pane.highlighted is None or pane.option_count == 0:
            return None
        option = pane.get_option_at_index(pane.highlighted)
        summary = self.summaries.get(self.current or "")
        if option.id is None or summary is None:
            return None
        return next((i for i in summary.items if i.ref == option.id), None)

    def show_detail(self) -> None:
        self._main.query_one("#detail-text", Static).update(detail(self.highlighted_item()))

    # --- changes ------------------------------------------------------------------------------

    def _found(self) -> ResolvedRef | None:
        item = self.highlighted_item()
        if item is None:
            self.notify("Highlight a resource in the checklist first.", severity="warning")
            return None
        return self.catalog.resolve(item.ref)

    def _writable(self) -> bool:
        if self.read_only is not None:
            self.notify(
                "Read-only: nothing was changed; the progress file cannot be read (the top "
                "line says why).",
                severity="error",
            )
            return False
        return True

    def mark_highlighted(self, status: Status | None) -> None:
        """Give the highlighted resource `status`; None toggles done and not started."""
        found = self._found()
        if found is None or not self._writable():
            return

        def job() -> Report:
            wanted = status
            if wanted is None:
                entry = tracker.entry_lookup(self.catalog, self.store.load())(found.ref)
                wanted = "pending" if entry is not None and entry.status == "done" else "done"
            results = tracker.mark(self.store, [found], wanted)
            summaries = tracker.summaries(self.catalog, [found.roadmap], self.store.load())
            return lambda: render.marked(results, summaries)

        self.change(job)

    def log_highlighted(self) -> None:
        found = self._found()
        if found is None or not self._writable():
            return
        today = date.today()

        def logged(value: tuple[float, date] | None) -> None:
            if value is None:
                return
            hours, day = value

            def job() -> Report:
                entry = tracker.log_time(self.store, found, hours, day)
                [summary] = tracker.summaries(self.catalog, [found.roadmap], self.store.load())
                return lambda: render.logged(found, hours, day, entry, summary)

            self.change(job)

        title = f"Log time on {found.resource.title}"
        fields = [
            ("Duration", "1.5, 90m, 1h30, 1:30 or 2h"),
            ("Day", f"YYYY-MM-DD; empty for today ({today.isoformat()})"),
        ]
        self.push_screen(Ask(title, fields, _log_values(today)), logged)

    def note_highlighted(self) -> None:
        found = self._found()
        if found is None or not self._writable():
            return

        def noted(text: str | None) -> None:
            if text is None:
                return

            def job() -> Report:
                entry = tracker.add_note(self.store, found, text)
                return lambda: render.noted(found, len(entry.notes))

            self.change(job)

        title = f"Add a note to {found.resource.title}"
        fields = [("Note", "what to remember about it")]
        self.push_screen(Ask(title, fields, _note_text), noted)

    def undo(self) -> None:
        if not self._writable():
            return

        def job() -> Report:
            result = tracker.undo(self.store)
            return lambda: render.undone(result)

        self.change(job)

    def open_highlighted(self) -> None:
        found = self._found()
        if found is None:
            return
        resource = found.resource
        try:
            if resource.link_pending:
                raise LinkPendingError(
                    f"{found.ref} ({resource.title}): link pending; the roadmap has no working "
                    "link for it yet, so nothing was opened."
                )
            if not resource.url.startswith(("http://", "https://")):
                raise InputError(f"{found.ref}: only http(s) links are opened.")
            if not _open_in_browser(self, resource.url):
                raise RoadmapError(f"No web browser could be started. The link is {resource.url}")
        except RoadmapError as exc:
            self.notify(render.clean(str(exc)), severity="warning", timeout=8, markup=False)
            return
        self.notify(said(lambda: render.opened(found)), markup=False)

    def change(self, job: Callable[[], Report]) -> None:
        """Run a change of the progress file in a worker thread; report it, then reload."""
        self._run_change(job)

    @work(thread=True, group="change")
    def _run_change(self, job: Callable[[], Report]) -> None:
        with self._serial:
            try:
                report = job()
            except RoadmapError as exc:
                self.call_from_thread(self._failed, str(exc))
            else:
                self.call_from_thread(self._changed, report)

    def _changed(self, report: Report) -> None:
        self.notify(said(report), markup=False)
        self.refresh_all()

    def _failed(self, message: str) -> None:
        self.notify(
            render.clean(message), title="Error", severity="error", timeout=10, markup=False
        )
        self.refresh_all()

    def _waiting(self, timeout: float) -> None:
        # Called by the store in the worker thread while another command holds the lock.
        self.call_from_thread(
            self.notify,
            f"Waiting for another roadmap command to finish (up to {timeout:g} s)…",
            markup=False,
        )


def _open_in_browser(app: App[Any], url: str) -> bool:
    """Open `url`; a browser that runs in this terminal gets the terminal while it runs."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    in_terminal = isinstance(browser, webbrowser.GenericBrowser) and not isinstance(
        browser, webbrowser.BackgroundBrowser
    )
    with app.suspend() if in_terminal else contextlib.nullcontext():
        return bool(browser.open(url))
