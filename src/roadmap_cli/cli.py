"""The `roadmap` command: parse what the user typed, call the core, hand the result to render."""

from __future__ import annotations

import difflib
import gc
import importlib.util
import inspect
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from typer import _click as click
from typer._click import exceptions as click_errors
from typer._click.parser import _OptionParser, _ParsingState
from typer.core import TyperArgument, TyperCommand, TyperGroup

from roadmap_cli import __version__, complete, paths
from roadmap_cli.catalog import Catalog, load_catalog
from roadmap_cli.entry import INTERRUPTED, interrupted_line
from roadmap_cli.errors import BUG, InputError, LinkPendingError, RoadmapError
from roadmap_cli.progress import find_next


def _lazy(name: str) -> ModuleType:
    """Import module `name` on first use of one of its attributes (importlib's LazyLoader).

    render (Rich) and tracker (the Pydantic models, the store) cost tens of milliseconds to
    import; a TAB press and --help need neither.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None
    assert spec.loader is not None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    from roadmap_cli import render, store, tracker
    from roadmap_cli.entries import Status
else:
    render = _lazy("roadmap_cli.render")
    store = _lazy("roadmap_cli.store")
    tracker = _lazy("roadmap_cli.tracker")


class RoadmapGroup(TyperGroup):
    """The one place where errors become a message on stderr and an exit code.

    Our own errors, the framework's usage errors (reworded: see `_usage_message`), Ctrl-C
    and bugs all leave as one paragraph in the same form, "Error: ...".
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        self.typed = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except click.ClickException as exc:
            render.error(_usage_message(exc))
            code = exc.exit_code
        except typer.Abort:
            _say_interrupted()
            code = INTERRUPTED
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RoadmapError as exc:
            render.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _say_interrupted()
            raise typer.Exit(INTERRUPTED) from None
        except (typer.Exit, typer.Abort, click.ClickException):
            raise
        except Exception as exc:
            _report_bug(getattr(self, "typed", []), exc)
            raise typer.Exit(BUG) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            if ctx.resilient_parsing:
                return None, None, args[1:]
            hint = _did_you_mean(name, self.list_commands(ctx))
            raise _Worded(
                f"There is no command {name!r}.{hint} 'roadmap --help' lists the commands.", ctx
            )
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Each command's first sentence whole, wrapped under its column, never cut with "...".
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class _Worded(click_errors.UsageError):
    """A usage error already in our own words."""


class _Parser(_OptionParser):
    """Reads a word like -1h or -2 as an argument (a negative duration), not as options."""

    def _process_opts(self, arg: str, state: _ParsingState) -> None:
        if _NEGATIVE.match(arg):
            state.largs.append(arg)
            return
        super()._process_opts(arg, state)


_NEGATIVE = re.compile(r"-[\d.]")  # no option of ours starts with a digit or a dot


class RoadmapCommand(TyperCommand):
    """A command whose help reads like a man page: metavars, no type markers, no braces."""

    def make_parser(self, ctx: click.Context) -> _OptionParser:
        parser = super().make_parser(ctx)
        parser.__class__ = _Parser
        return parser

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click_errors.UsageError as exc:
            if exc.ctx is None:  # the parser raises some without one: say which command
                exc.ctx = ctx
            raise

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The example ends the text, on lines of its own, never rewrapped.
        text = inspect.cleandoc(self.help or "").partition("\f")[0]
        body, example, rest = text.partition("Example")
        if example:
            text = f"{body.rstrip()}\n\n\b\n{example}{rest}"
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = _metavar(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                arguments.append((_metavar(param), param.help or ""))
            else:
                options.append((_TYPE_MARKER.sub("", record[0]), record[1]))
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


_TYPE_MARKER = re.compile(r"\s*<[^>]*>")


def _metavar(param: click.Parameter) -> str:
    name = param.metavar or (param.name or "").upper()
    return f"{name}..." if param.nargs == -1 and not name.endswith("...") else name


def _did_you_mean(typed: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(typed, list(choices), n=3)
    if not close:
        return ""
    if len(close) == 1:
        return f" Did you mean {close[0]}?"
    return f" Did you mean {', '.join(close[:-1])} or {close[-1]}?"


# What each parameter takes, for a value the framework could not convert: "--weeks takes ...".
_TAKES = {
    "hours_per_week": "a number of hours such as 6 or 7.5",
    "hours_per_day": "a number of hours such as 4 or 2.5",
    "weeks": "a whole number of weeks from 1 to 104",
    "export.output_format": "json, csv or md",
    "card.output_format": "svg or html",
}


def _usage_message(exc: click.ClickException) -> str:
    """Word a usage error the framework raised as ours: what is wrong, and where to look."""
    ctx: click.Context | None = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "roadmap"
    usage = f" Run '{command} --help' for its usage."
    if isinstance(exc, _Worded):
        return exc.message
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        param = exc.param
        if param.nargs == -1:  # "REF...": one or more
            name = (param.metavar or param.name or "").upper().removesuffix("...")
            return f"'{command}' needs at least one {name}.{usage}"
        return f"'{command}' needs a {_metavar(param)}.{usage}"
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        param = exc.param
        shown = _option_name(param)
        value = _bad_value(exc)
        command_name = ctx.command.name if ctx is not None else ""
        takes = _TAKES.get(f"{command_name}.{param.name}") or _TAKES.get(param.name or "")
        if takes is None:
            takes = _metavar(param)
        tail = f", not {value!r}" if value is not None else ""
        return f"{shown} takes {takes}{tail}.{usage}"
    if isinstance(exc, click_errors.NoSuchOption):
        known = [o for p in ctx.command.params for o in p.opts] if ctx is not None else []
        known += ctx.help_option_names if ctx is not None else []
        hint = _did_you_mean(exc.option_name, [o for o in known if o.startswith("-")])
        return f"'{command}' has no option {exc.option_name}.{hint}{usage}"
    if isinstance(exc, click_errors.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"{exc.option_name.split('=')[0]} takes no value.{usage}"
        return f"{exc.option_name} needs a value.{usage}"
    extra = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", exc.message)
    if extra:
        return f"'{command}' does not take {extra[1]!r}.{usage}"
    if exc.message.startswith("Missing command"):
        return "Name a command; 'roadmap --help' lists them."
    return f"{exc.format_message()}{usage}"  # pragma: no cover - none left that we know of


def _option_name(param: click.Parameter) -> str:
    longest = sorted(param.opts, key=len)[-1] if param.opts else ""
    return longest if longest.startswith("-") else _metavar(param)


def _bad_value(exc: click_errors.BadParameter) -> object:
    errors = getattr(exc.__cause__, "errors", None)  # a ValidationError, from Typer's adapters
    if errors is None:
        return None
    try:
        found = errors()
        return found[0].get("input") if found else None
    except Exception:  # pragma: no cover - a shape we do not know: the value is left out
        return None


def _say_interrupted() -> None:
    # Straight to stderr: the lazy modules (render) may be half imported when Ctrl-C comes.
    sys.stderr.write(interrupted_line() + "\n")
    sys.stderr.flush()


def _report_bug(typed: list[str], exc: BaseException) -> None:
    """Say in one line that this is a bug; put the traceback in a log file and name it."""
    import shlex
    import traceback
    from datetime import datetime, timezone

    when = datetime.now(timezone.utc)
    command = shlex.join(["roadmap", *typed])
    text = (
        f"roadmap-cli {__version__}, Python {sys.version.split()[0]}, {when.isoformat()}\n"
        f"command: {command}\n\n" + "".join(traceback.format_exception(exc))
    )
    log: Path | str = "not written"
    try:
        folder = paths.state_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"bug-{when.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"
        from roadmap_cli.atomic import write_atomic

        write_atomic(log, text.encode("utf-8"))
        where = f"the details are in {log}"
    except OSError:
        sys.stderr.write(text)
        where = "the details are above"
    sys.stderr.write(
        f"Error: roadmap-cli hit a bug ({type(exc).__name__}); {where}. Please report it.\n"
    )


app = typer.Typer(
    cls=RoadmapGroup,
    name="roadmap",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # help text is text: "[x]" is shown as written
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class Session:
    """What every command needs, loaded only when a command asks for it."""

    cli_roadmaps: list[Path] = field(default_factory=list)
    _warned: bool = False

    def sources(self) -> list[paths.Source]:
        """Return the roadmap files to load, in load order, each file once."""
        return paths.roadmap_sources(self.cli_roadmaps)

    @cached_property
    def _loaded(self) -> tuple[Catalog, list[RoadmapError]]:
        return load_catalog(self.sources(), skippable=(paths.FOLDER,))

    @property
    def catalog(self) -> Catalog:
        """The roadmaps; a broken file of the roadmaps folder is skipped with a warning."""
        catalog, skipped = self._loaded
        if not self._warned:
            self._warned = True
            for problem in skipped:
                render.warning(f"{problem} This file is skipped; the other roadmaps are loaded.")
        return catalog

    def catalog_for_change(self) -> Catalog:
        """The roadmaps, for a command that writes: no file may be broken."""
        catalog, skipped = self._loaded
        if skipped:
            raise InputError(
                f"{skipped[0]} Fix this roadmap file before changing progress ('roadmap "
                "validate FILE' lists every problem); commands that only read skip it."
            )
        return catalog

    @cached_property
    def store(self) -> store.Store:
        return store.Store(paths.progress_file(), on_wait=render.waiting)


def _given(ctx: typer.Context) -> list[Path]:
    return list(ctx.find_root().params.get("roadmaps") or [])


def complete_roadmap(ctx: typer.Context, incomplete: str) -> list[str]:
    """Offer the ids of the roadmaps loaded."""
    return complete.roadmaps(ctx.command.name or "", _given(ctx), incomplete)


def complete_ref(ctx: typer.Context, incomplete: str) -> list[str]:
    """Offer each resource once: its bare id when unique overall, else its REF.

    `done`, `start`, `reset` and `skip` offer only the resources they would change.
    """
    return complete.refs(ctx.command.name or "", _given(ctx), incomplete)


# Each completion function above, by the kind complete.COMPLETERS knows it as.
_COMPLETION_KINDS: dict[Any, str] = {complete_roadmap: "roadmap", complete_ref: "ref"}


JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON instead of a table (fields in the README).")
]
_REF_HELP = "ROADMAP/RESOURCE as 'roadmap show' prints it, or a resource id unique overall."
RefsArgument = Annotated[
    list[str],
    typer.Argument(metavar="REF", help=_REF_HELP, show_default=False, autocompletion=complete_ref),
]
RefArgument = Annotated[
    str,
    typer.Argument(metavar="REF", help=_REF_HELP, show_default=False, autocompletion=complete_ref),
]
RoadmapArgument = Annotated[
    str,
    typer.Argument(metavar="ROADMAP", help="A roadmap id.", autocompletion=complete_roadmap),
]
OptionalRoadmapArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="ROADMAP",
        help="A roadmap id; all roadmaps when left out.",
        autocompletion=complete_roadmap,
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"roadmap-cli {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    roadmaps: Annotated[
        list[Path] | None,
        typer.Option(
            "--roadmaps",
            metavar="PATH",
            help="Also load the roadmaps in this YAML file (repeatable). "
            f"{paths.ROADMAPS_ENV} adds files too.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Track your way through a learning roadmap: checklists, progress and hours left.

    Start with 'roadmap list', open a roadmap with 'roadmap show ID', and tick resources off
    with 'roadmap done REF'. 'roadmap COMMAND -h' tells more of each.

    \b
    Example:
      roadmap show long
    """
    ctx.obj = Session(cli_roadmaps=list(roadmaps or []))


def _session(ctx: typer.Context) -> Session:
    session = ctx.find_object(Session)
    assert session is not None, "the main callback sets the session"
    return session


@app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show every roadmap with how far you are and the hours left.

    Example: roadmap list --json
    """
    session = _session(ctx)
    catalog = session.catalog
    found = tracker.summaries(catalog, catalog.roadmaps.values(), session.store.load())
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.roadmap_list(found))
    else:
        render.roadmap_list(found)


@app.command()
def show(ctx: typer.Context, roadmap_id: RoadmapArgument, as_json: JsonOption = False) -> None:
    """Show a roadmap as a checklist: steps in order, each resource with status, hours, link.

    Example: roadmap show long
    """
    session = _session(ctx)
    roadmap = session.catalog.roadmap(roadmap_id)
    [summary] = tracker.summaries(session.catalog, [roadmap], session.store.load())
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.roadmap_shown(summary))
    else:
        render.roadmap_show(summary, session.catalog.guide_of(roadmap.id))


@app.command()
def done(ctx: typer.Context, refs: RefsArgument) -> None:
    """Mark resources as done.

    Example: roadmap done long/stanford-cs224n illustrated-transformer
    """
    _mark(ctx, refs, "done")


@app.command()
def reset(ctx: typer.Context, refs: RefsArgument) -> None:
    """Mark resources as not started again.

    Example: roadmap reset long/stanford-cs224n
    """
    _mark(ctx, refs, "pending")


@app.command()
def start(ctx: typer.Context, refs: RefsArgument) -> None:
    """Mark resources as in progress: what you are working on now.

    Example: roadmap start long/deep-learning-specialization
    """
    _mark(ctx, refs, "in-progress")


@app.command()
def skip(ctx: typer.Context, refs: RefsArgument) -> None:
    """Mark resources as skipped: known already, or not needed. They count as finished.

    Example: roadmap skip short/illustrated-transformer
    """
    _mark(ctx, refs, "skipped")


def _mark(ctx: typer.Context, refs: list[str], status: Status) -> None:
    session = _session(ctx)
    found = session.catalog_for_change().resolve_all(refs)
    results = tracker.mark(session.store, found, status)
    roadmaps = tracker.touched(session.catalog, results)
    render.marked(results, tracker.summaries(session.catalog, roadmaps, session.store.load()))


@app.command()
def remaining(
    ctx: typer.Context,
    roadmap_id: OptionalRoadmapArgument = None,
    as_json: JsonOption = False,
) -> None:
    """Show the hours left (low–high) per roadmap, or per step of one roadmap.

    Example: roadmap remaining long
    """
    found = _summaries(ctx, roadmap_id)
    if not as_json:
        render.remaining(found, per_step=roadmap_id is not None)
        return
    from roadmap_cli import jsonout

    rows = [jsonout.remaining(summary) for summary in found]
    render.print_json(rows[0] if roadmap_id else rows)


@app.command("next")
def next_command(
    ctx: typer.Context, roadmap_id: OptionalRoadmapArgument = None, as_json: JsonOption = False
) -> None:
    """Name the resource to work on: the one in progress, else the first not started.

    Example: roadmap next long
    """
    summaries = _summaries(ctx, roadmap_id)
    found = find_next(summaries)
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.next_up(found))
    else:
        render.next_up(found, summaries[0].roadmap.title if roadmap_id else None)


def _summaries(ctx: typer.Context, roadmap_id: str | None) -> list[Any]:
    session = _session(ctx)
    catalog = session.catalog
    roadmaps = [catalog.roadmap(roadmap_id)] if roadmap_id else list(catalog.roadmaps.values())
    return tracker.summaries(catalog, roadmaps, session.store.load())


@app.command("log")
def log_command(
    ctx: typer.Context,
    ref: RefArgument,
    duration: Annotated[
        str,
        typer.Argument(
            metavar="DURATION", help="Hours and minutes: 1.5, 90m, 1h30, 1:30, '1h 30m' or 2h."
        ),
    ],
    day: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="The day the time was spent (default: today)."
        ),
    ] = None,
) -> None:
    """Record time spent on a resource; a resource not started becomes in progress.

    Example: roadmap log long/stanford-cs224n 1h30m --date 2026-11-20
    """
    hours = tracker.parse_duration(duration)
    when = tracker.parse_day(day, date.today())
    session = _session(ctx)
    found = session.catalog_for_change().resolve(ref)
    entry = tracker.log_time(session.store, found, hours, when)
    [summary] = tracker.summaries(session.catalog, [found.roadmap], session.store.load())
    render.logged(found, hours, when, entry, summary)


@app.command("focus")
def focus_command(
    ctx: typer.Context,
    ref: Annotated[
        str | None,
        typer.Argument(
            metavar="REF",
            help=f"{_REF_HELP} By default the one 'roadmap next' names.",
            show_default=False,
            autocompletion=complete_ref,
        ),
    ] = None,
    minutes: Annotated[
        str,
        typer.Option(
            "--minutes",
            "-m",
            metavar="N",
            help="How long, in minutes (default 25).",
            show_default=False,
        ),
    ] = "25",
    no_log: Annotated[
        bool, typer.Option("--no-log", help="A timer only: log nothing at the end.")
    ] = False,
    stop: Annotated[
        bool,
        typer.Option(
            "--stop",
            help="Log a session that ended unexpectedly (its terminal closed); start none.",
        ),
    ] = False,
    discard: Annotated[
        bool,
        typer.Option(
            "--discard", help="Drop a session that ended unexpectedly, unlogged; start none."
        ),
    ] = False,
) -> None:
    """Time a study session on a resource, then log it as 'roadmap log' would.

    A live view shows the resource, a bar and the time left; the bell rings at the end. q or
    Ctrl-C ends early and logs the whole minutes studied. A session whose terminal closed is
    logged up to its last record (every 30 s) by the next 'roadmap focus' or by --stop.
    Example: roadmap focus long/stanford-cs224n --minutes 50
    """
    from roadmap_cli import focus as focusing  # only this command needs it

    gc.enable()  # a session runs for minutes (see main)
    length = focusing.parse_minutes(minutes)
    usage = f" Run '{ctx.command_path} --help' for its usage."
    if stop and discard:
        raise _Worded(f"--stop logs a session, --discard drops it: give one.{usage}", ctx)
    if (stop or discard) and ref is not None:
        flag = "--stop" if stop else "--discard"
        raise _Worded(f"{flag} takes no REF: it deals with the session left open.{usage}", ctx)
    session = _session(ctx)
    catalog = None if discard else session.catalog_for_change()
    found = catalog.resolve(ref) if catalog is not None and ref is not None else None
    with focusing.claim(paths.data_dir()) as here:
        left = here.left_over()
        if left is not None:
            recovered = focusing.recover(session.store, catalog, left, here, discard=discard)
            render.focus_recovered(recovered)
        elif stop or discard:
            render.focus_none_open("--stop" if stop else "--discard")
        if stop or discard or catalog is None:
            return
        found = found or _focus_next(catalog, session.store)
        session.store.load()  # a progress file it could not log to is said now, not at the end
        with focusing.ctrl_c_stops() as interrupt:  # Ctrl-C now ends the session, logged
            here.begin(found, length, date.today(), log=not no_log)
            with (
                focusing.keys() as key_fd,
                render.focus_view(found, length, no_log=no_log, keys=key_fd is not None) as view,
            ):
                ended = focusing.run(
                    here, clock=focusing.CLOCK, show=view.update, interrupt=interrupt, key_fd=key_fd
                )
            if ended.how == "done":
                render.bell()
            logged = focusing.finish(session.store, catalog, here, ended)
    render.focus_ended(ended, logged)


def _focus_next(catalog: Catalog, progress_store: store.Store) -> Any:
    """The resource 'roadmap next' names, for a focus session without REF."""
    summaries = tracker.summaries(catalog, catalog.roadmaps.values(), progress_store.load())
    found = find_next(summaries)
    if found is None:
        raise InputError(
            "Every roadmap is done (or skipped), so 'roadmap next' names nothing to focus on; "
            "name a resource: roadmap focus REF."
        )
    return catalog.resolve(found[1].ref)


@app.command()
def plan(
    ctx: typer.Context,
    roadmap_id: RoadmapArgument,
    hours_per_week: Annotated[
        float | None,
        typer.Option("--hours-per-week", "-w", metavar="N", help="Hours you study per week."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="YYYY-MM-DD", help="Tell the hours per week needed."),
    ] = None,
    as_json: JsonOption = False,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Write the schedule as calendar events to FILE (.ics); '-' is stdout.",
        ),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option(
            "--days", metavar="DAYS", help="With --ics: the days to study (default mon,wed,sat)."
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", metavar="HH:MM", help="With --ics: when sessions start (default 19:00)."
        ),
    ] = None,
    session_length: Annotated[
        str | None,
        typer.Option(
            "--session",
            metavar="DURATION",
            help="With --ics: how long a session lasts, such as 90m (default: the week's hours "
            "shared by its days).",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Project when you finish a roadmap, with a week-by-week schedule.

    Without --hours-per-week, your pace over the last four weeks of logged time is used.
    With --ics, the schedule goes to your calendar: study sessions on the chosen days and time
    in your time zone, each named after its resource; importing a newer plan updates them.

    Examples:
      roadmap plan long --hours-per-week 6
      roadmap plan long --by 2027-03-01
      roadmap plan long -w 6 --ics study.ics --days mon,wed,sat --session 90m
    """
    from roadmap_cli import planning

    calendar = _calendar_options(ctx, ics, days, at, session_length, force=force, as_json=as_json)
    session = _session(ctx)
    today = date.today()
    target = None
    if by is not None:
        try:
            target = date.fromisoformat(by)
        except ValueError:
            raise InputError(f"--by {by!r} is not a date; write it as YYYY-MM-DD.") from None
    roadmap = session.catalog.roadmap(roadmap_id)
    progress = session.store.load()
    everything = [
        item
        for s in tracker.summaries(session.catalog, session.catalog.roadmaps.values(), progress)
        for item in s.items
    ]
    result = planning.make_plan(
        tracker.summaries(session.catalog, [roadmap], progress)[0],
        today=today,
        hours_per_week=hours_per_week,
        by=target,
        history=everything,
    )
    if ics is not None and calendar is not None:
        _write_calendar(result, ics, calendar, force=force)
    elif as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.plan(result))
    else:
        render.plan(result)


@dataclass(frozen=True)
class _CalendarOptions:
    days: tuple[int, ...]
    at: Any  # datetime.time
    session_hours: float | None


def _calendar_options(
    ctx: typer.Context,
    ics: Path | None,
    days: str | None,
    at: str | None,
    session_length: str | None,
    *,
    force: bool,
    as_json: bool,
) -> _CalendarOptions | None:
    """Check plan's --ics options before anything is read; None without --ics."""
    usage = f" Run '{ctx.command_path} --help' for its usage."
    if ics is None:
        given = [
            name
            for name, value in (("--days", days), ("--at", at), ("--session", session_length))
            if value is not None
        ] + (["--force"] if force else [])
        if given:
            raise _Worded(f"{given[0]} goes with --ics FILE, which was not given.{usage}", ctx)
        return None
    if as_json:
        raise _Worded(f"--ics and --json each choose the output: give one.{usage}", ctx)
    from roadmap_cli import ics as calendar  # only --ics imports icalendar

    if str(ics) != "-":
        if ics.is_dir():
            raise InputError(f"{ics} is a folder; --ics takes the name of a file ending in .ics.")
        if ics.suffix.lower() != ".ics":
            raise InputError(
                f"--ics {ics}: the file name must end in .ics; '--ics -' prints to the screen."
            )
    try:
        chosen = calendar.parse_days(days or calendar.DEFAULT_DAYS)
    except ValueError:
        raise _Worded(
            f"--days takes days of the week separated by commas such as mon,wed,sat, "
            f"not {days!r}.{usage}",
            ctx,
        ) from None
    try:
        start = calendar.parse_at(at or calendar.DEFAULT_AT)
    except ValueError:
        raise _Worded(
            f"--at takes a time of day on the 24-hour clock such as 19:00 or 7:30, "
            f"not {at!r}.{usage}",
            ctx,
        ) from None
    hours = None
    if session_length is not None:
        try:
            hours = tracker.parse_duration(session_length)
        except InputError as exc:
            raise InputError(f"--session {exc}") from None
    return _CalendarOptions(chosen, start, hours)


def _write_calendar(result: Any, out: Path, chosen: _CalendarOptions, *, force: bool) -> None:
    """Write the plan's schedule as an iCalendar file (or print it for '--ics -')."""
    from datetime import datetime, timezone

    from roadmap_cli import ics as calendar

    if not result.weeks:
        if result.remaining.high <= 0 and result.summary.unestimated:
            raise InputError(
                "Nothing to plan in hours: what is left of this roadmap has no estimate; nothing "
                "was written. Set estimates in the roadmap file to plan it."
            )
        if result.remaining.high <= 0:
            raise InputError("Nothing left to plan: this roadmap is finished; nothing was written.")
        raise InputError(
            "--ics needs a pace to lay the sessions out: give --hours-per-week N; nothing was "
            "written."
        )
    zone = calendar.local_zone()
    per_session = chosen.session_hours or result.hours_per_week / len(chosen.days)
    laid = calendar.sessions(
        result.weeks,
        days=chosen.days,
        at=chosen.at,
        session_hours=per_session,
        zone=zone,
        now=datetime.now(zone),
    )
    roadmap = result.summary.roadmap
    text = calendar.to_ics(
        laid,
        roadmap_id=roadmap.id,
        roadmap_title=roadmap.title,
        zone=zone,
        now=datetime.now(timezone.utc),
    )
    if str(out) == "-":
        render.print_text(text)
        return
    from roadmap_cli.atomic import write_output

    if not force and os.path.lexists(out):  # said here in --ics terms; write_output checks too
        raise InputError(
            f"{out} already exists; nothing was written. Use --force to replace it, or --ics "
            "another file."
        )
    write_output(out, text, force=force)
    render.calendar_written(out, laid, str(zone), result.weeks_left_out)


@app.command()
def stats(
    ctx: typer.Context,
    roadmap_id: OptionalRoadmapArgument = None,
    weeks: Annotated[
        int,
        typer.Option(
            min=1,
            max=104,
            metavar="N",
            help="How many weeks to chart, 1 to 104 (default 8).",
            show_default=False,
        ),
    ] = 8,
    as_json: JsonOption = False,
) -> None:
    """Chart hours logged and resources completed per week, with your streak and totals.

    Example: roadmap stats long --weeks 12
    """
    from roadmap_cli import planning

    items = [item for s in _summaries(ctx, roadmap_id) for item in s.items]
    result = planning.make_stats(items, today=date.today(), weeks=weeks)
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.stats(result))
    else:
        render.stats(result)


@app.command()
def undo(ctx: typer.Context) -> None:
    """Revert the last change (done, reset, start, skip, log, note, merge, sync); repeat it.

    Example: roadmap undo
    """
    session = _session(ctx)
    render.undone(tracker.undo(session.store))


@app.command()
def note(
    ctx: typer.Context,
    ref: RefArgument,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note, in quotes.")],
) -> None:
    """Add a dated note to a resource.

    Example: roadmap note long/stanford-cs224n "lecture 8 on attention is the key one"
    """
    session = _session(ctx)
    found = session.catalog_for_change().resolve(ref)
    entry = tracker.add_note(session.store, found, text)
    render.noted(found, len(entry.notes))


@app.command()
def notes(ctx: typer.Context, ref: RefArgument, as_json: JsonOption = False) -> None:
    """Print the notes of a resource, oldest first.

    Example: roadmap notes long/stanford-cs224n
    """
    session = _session(ctx)
    found = session.catalog.resolve(ref)
    entry = tracker.entry_lookup(session.catalog, session.store.load())(found.ref)
    kept = entry.notes if entry else []
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.notes(found.ref, kept))
    else:
        render.notes(found, kept)


@app.command("open")
def open_command(ctx: typer.Context, ref: RefArgument) -> None:
    """Open a resource's link in your web browser (the BROWSER variable is honoured).

    Example: roadmap open short/illustrated-transformer
    """
    import webbrowser

    found = _session(ctx).catalog.resolve(ref)
    resource = found.resource
    if resource.link_pending:
        raise LinkPendingError(
            f"{found.ref} ({resource.title}): link pending; the roadmap has no working link "
            "for it yet, so nothing was opened."
        )
    if not resource.url.startswith(("http://", "https://")):  # validated, checked again
        raise InputError(f"{found.ref}: only http(s) links are opened.")
    if not webbrowser.open(resource.url):
        raise RoadmapError(f"No web browser could be started. The link is {resource.url}")
    render.opened(found)


ExportFormat = Literal["json", "csv", "md"]
CardFormat = Literal["svg", "html"]
EXPORT_SUFFIXES: dict[str, ExportFormat] = {".json": "json", ".csv": "csv", ".md": "md"}
CARD_SUFFIXES: dict[str, CardFormat] = {".svg": "svg", ".html": "html", ".htm": "html"}
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the file if it exists (never done otherwise).")
]


@app.command()
def export(
    ctx: typer.Context,
    output_format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json (to merge elsewhere), csv or md; by default the one -o FILE ends in, "
            "else json.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (.json, .csv or .md) instead of stdout; '-' is stdout.",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Export your progress as JSON (versioned, for 'roadmap merge'), CSV or Markdown.

    Example: roadmap export -o progress.csv
    """
    from roadmap_cli import export as exporting

    chosen = _output_format(out, output_format, EXPORT_SUFFIXES, "json")
    session = _session(ctx)
    progress = session.store.load()
    if chosen == "json":
        from roadmap_cli import jsonout

        text = jsonout.export_progress(progress)
    else:
        catalog = session.catalog
        found = tracker.summaries(catalog, catalog.roadmaps.values(), progress)
        text = exporting.to_csv(found) if chosen == "csv" else exporting.to_markdown(found)
    _deliver(text, out, force=force)


def _output_format(
    out: Path | None, given: str | None, suffixes: dict[str, Any], default: str
) -> str:
    """Return the format to write: --format, or the one -o FILE's extension names.

    An extension we do not write, one that says another format than --format, and a folder
    are refused before anything is read or written.
    """
    if out is None or str(out) == "-":
        return given or default
    names = _either([*dict.fromkeys(suffixes)])
    if out.is_dir():
        raise InputError(f"{out} is a folder; -o takes the name of a file ending in {names}.")
    named = suffixes.get(out.suffix.lower())
    if named is None:
        raise InputError(
            f"-o {out}: the file name must end in {names}, the formats written here; "
            "'-o -' prints to the screen."
        )
    if given is not None and given != named:
        raise InputError(
            f"-o {out} ends in {out.suffix} but --format is {given}; name the file "
            f"{out.with_suffix('.' + given).name} or leave --format out."
        )
    return str(named)


def _either(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _deliver(text: str, out: Path | None, *, force: bool) -> None:
    """Write `text` to `out` whole or not at all (never over a file unless `force`); or print it."""
    if out is None or str(out) == "-":
        render.print_text(text)
        return
    from roadmap_cli.atomic import write_output

    write_output(out, text, force=force)
    render.written(out)


@app.command()
def card(
    ctx: typer.Context,
    roadmap_id: OptionalRoadmapArgument = None,
    output_format: Annotated[
        CardFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="svg (a picture) or html (a web page); by default the one -o FILE ends in, "
            "else svg.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (.svg or .html; default progress.svg); '-' is stdout.",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Draw your progress as a picture to share: bars, percent, hours left, next up.

    Example: roadmap card long -o long.svg
    """
    from roadmap_cli import card as cards

    chosen = _output_format(out, output_format, CARD_SUFFIXES, "svg")
    if out is None:
        out = Path(f"progress.{chosen}")
        if out.is_dir():
            raise InputError(f"{out} is a folder; give -o the name of a file.")
    found = _summaries(ctx, roadmap_id)
    title = found[0].roadmap.title if roadmap_id else "My learning roadmaps"
    draw = cards.to_html if chosen == "html" else cards.to_svg
    _deliver(draw(found, title=title, next_up=find_next(found)), out, force=force)


@app.command("merge")
def merge_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="An export (roadmap export) or a progress.json."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Merge progress from another machine or an export into yours.

    For each resource the most recent change wins; time logged and notes from both sides are
    kept, each once. Undo with 'roadmap undo'. Example: roadmap merge laptop-progress.json
    """
    from roadmap_cli import merge

    session = _session(ctx)
    theirs = merge.read_other(file).entries
    if dry_run:
        outcome = merge.merge_progress(session.store.load().entries, theirs, source=str(file))
    else:
        with session.store.update("merge") as changes:
            outcome = merge.merge_progress(changes.entries, theirs, source=str(file))
            for item in outcome.writes:
                changes.put(item.ref, item.after)
    found = outcome.changes
    unknown = sorted(i.ref for i in found if i.ref not in session.catalog.known_keys())
    render.from_the_future(outcome.future, str(file))
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.merged(found, unknown, outcome.future, dry_run=dry_run))
    else:
        render.merged(found, unknown, dry_run=dry_run)


@app.command("sync")
def sync_command(
    ctx: typer.Context,
    setup: Annotated[
        str | None,
        typer.Option(
            "--setup",
            metavar="REMOTE_URL",
            help="Set up sync with this git remote, then sync once (all or nothing).",
        ),
    ] = None,
) -> None:
    """Sync progress with your other machines through a git remote.

    Fetches the remote's progress-sync.json (the only file sync reads from it), merges it
    resource by resource (the most recent change wins), and pushes the merged progress.
    Example: roadmap sync --setup git@example.org:me/progress.git
    """
    from roadmap_cli import sync

    store = _session(ctx).store
    report = sync.setup(store, setup) if setup is not None else sync.sync(store)
    render.synced(report)


@app.command()
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Roadmap files to check.", show_default=False),
    ],
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Check roadmap files and print every problem as file:line:column: message.

    Exits with 0 when they are valid (warnings allowed unless --strict), 2 otherwise.
    Example: roadmap validate ~/.config/roadmap-cli/roadmaps/*.yaml
    """
    from roadmap_cli import validate as validation

    results = {path: validation.validate_file(path) for path in files}
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.validation(results))
    else:
        render.validation(results)
    failing = ("error", "warning") if strict else ("error",)
    if any(p.severity in failing for problems in results.values() for p in problems):
        raise typer.Exit(2)


@app.command("import")
def import_command(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="FILE.md", help="A Markdown learning roadmap.")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT.yaml",
            help="Where to write the roadmap file ('-' for the screen); the roadmaps folder "
            "by default.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    with_progress: Annotated[
        bool,
        typer.Option("--with-progress", help="Mark the items ticked '- [x]' as done."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Report what the import would make; write nothing."),
    ] = False,
    # The defaults are the importer's (importer.HOURS_PER_DAY/WEEK), said in the help here so
    # that the Markdown parser is loaded by this command only; a test holds the two together.
    hours_per_day: Annotated[
        float | None,
        typer.Option(
            "--hours-per-day",
            metavar="N",
            help="Hours that a day of study counts as, in '3 days' (default 4).",
        ),
    ] = None,
    hours_per_week: Annotated[
        float | None,
        typer.Option(
            "--hours-per-week",
            metavar="N",
            help="Hours that a week of study counts as, in '2 weeks' (default 10).",
        ),
    ] = None,
) -> None:
    """Turn a Markdown roadmap (headings, lists of links, hour phrases) into a roadmap file.

    Reports what became what: roadmaps, steps, resources, where each estimate came from, the
    sections skipped and the lines it could not place.
    Example: roadmap import guide.md --dry-run      (then again without --dry-run)
    """
    from roadmap_cli import importer  # only this command needs the Markdown parser

    session = _session(ctx)
    catalog = session.catalog
    target = importer.target_path(source, out, paths.roadmaps_folder())
    # Replacing a file with --force keeps its ids, so that progress stays with them.
    replaced = target.resolve() if target is not None else None
    taken = {
        roadmap.id
        for loaded in catalog.files
        if loaded.source.path.resolve() != replaced
        for roadmap in loaded.roadmaps
    }
    rates = importer.Rates(
        per_day=importer.HOURS_PER_DAY if hours_per_day is None else hours_per_day,
        per_week=importer.HOURS_PER_WEEK if hours_per_week is None else hours_per_week,
    )
    done = importer.import_file(
        source, target=target, taken_ids=taken, force=force, rates=rates, dry_run=dry_run
    )
    if done.path is None and not dry_run:
        render.print_text(done.text)
    written = done.path is not None and not dry_run
    marked = with_progress and written and bool(done.result.progress)
    if marked and done.path is not None:
        sources = [s for s in session.sources() if s.path.resolve() != done.path.resolve()]
        imported, _ = load_catalog([*sources, paths.Source(done.path, "imported")])
        tracker.mark(session.store, imported.resolve_all(done.result.progress), "done")
    render.imported(source, done, marked=marked)


@app.command()
def schema() -> None:
    """Print the JSON Schema of roadmap files, for editors that check YAML as you type.

    Example: roadmap schema > ~/.config/roadmap-cli/roadmaps/roadmap.schema.json
    """
    from roadmap_cli.models import RoadmapFile

    render.print_json(RoadmapFile.model_json_schema())


@app.command()
def about(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the guide behind the roadmaps: its title, overview and roadmaps.

    Example: roadmap about
    """
    files = _session(ctx).catalog.files
    if not as_json:
        render.about(files)
        return
    from roadmap_cli import jsonout

    render.print_json(jsonout.about(files))


@app.command()
def tui(
    ctx: typer.Context,
    roadmap_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ROADMAP",
            help="The roadmap to open first; by default the one 'roadmap next' names.",
            autocompletion=complete_roadmap,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Open the tracker full screen: roadmaps, checklist and details; tick things off by key.

    Every change is saved as the commands save it (undo it with 'roadmap undo'); press ? in
    the app for the keys, q to quit. Example: roadmap tui long
    """
    from roadmap_cli import tui as interactive  # only this command imports Textual

    gc.enable()  # it runs until the user leaves (see main)
    session = _session(ctx)
    interactive.run(session.catalog_for_change(), session.store, roadmap_id)


@app.command()
def where(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the files in use: roadmap files, the data folder, the progress file, the cache.

    Example: roadmap where --json
    """
    session = _session(ctx)
    progress = paths.progress_file()
    focus_file = progress.parent / paths.FOCUS_FILE
    rows: list[tuple[str, Path, str]] = [
        (f"roadmaps ({source.origin})", source.path, "" if source.path.is_file() else "missing")
        for source in session.sources()
    ]
    from_env = f"from {paths.DATA_DIR_ENV}" if os.environ.get(paths.DATA_DIR_ENV) else ""
    folder = paths.roadmaps_folder()
    rows += [
        ("roadmaps folder", folder, "" if folder.is_dir() else "not created yet"),
        ("data folder", progress.parent, from_env),
        ("progress file", progress, "" if progress.exists() else "not created yet"),
        ("lock file", paths.lock_file(progress), ""),
        ("focus session", focus_file, "" if focus_file.exists() else "none open"),
    ]
    cache = paths.cache_dir()
    if cache is not None:
        from_cache_env = (
            f"from {paths.CACHE_DIR_ENV}" if os.environ.get(paths.CACHE_DIR_ENV) else ""
        )
        rows.append(("roadmap cache", cache, from_cache_env))
    rows.append(("bug logs", paths.state_dir(), ""))
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(
            jsonout.where(
                session.sources(),
                roadmaps_folder=folder,
                progress_file=progress,
                lock_file=paths.lock_file(progress),
                focus_file=focus_file,
                cache_dir=cache,
                state_dir=paths.state_dir(),
                environment=paths.environment(),
            )
        )
    else:
        render.where(rows, paths.environment())


@app.command("doctor")
def doctor_command(
    ctx: typer.Context,
    move_aside: Annotated[
        bool,
        typer.Option(
            "--move-aside",
            help="If the progress file cannot be read, rename it (it is kept) and start fresh.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check the roadmap files and the progress file, and explain any problem.

    Exits with 1 when something needs fixing. Example: roadmap doctor --move-aside
    """
    from roadmap_cli import doctor

    session = _session(ctx)
    moved = doctor.move_aside_if_unreadable(session.store) if move_aside else None
    findings = doctor.examine(session.sources(), session.store)
    if as_json:
        from roadmap_cli import jsonout

        render.print_json(jsonout.doctor(findings, moved))
    else:
        render.findings(findings, moved)
    if doctor.has_errors(findings):
        raise typer.Exit(1)


def main() -> None:
    """Run the `roadmap` command, turning only the command typed into a Click command.

    Typer turns every registered command, and each of its parameters, into Click's objects
    before it parses anything: a few milliseconds a command. The command line names the one
    that will run, so the others are left out for this run; --help, a TAB press and anything
    that does not name a command plainly get them all.
    """
    # Without the cyclic collector: a command reads, prints and ends within a second, making
    # next to no reference cycles (reference counting frees the rest), while the collector's
    # passes over what it has loaded cost a tenth of its time at 10,000 resources. The
    # commands that run until the user leaves (tui, focus) turn it back on.
    gc.disable()
    everything = app.registered_commands
    if os.environ.get(complete.COMPLETE_VAR):
        complete.save(_completion_spec())
    app.registered_commands = _typed_command(everything, sys.argv[1:])
    try:
        app(prog_name="roadmap")
    finally:
        app.registered_commands = everything


# The options of `roadmap` itself (main_options, and the completion options Typer adds), and
# whether each takes a value: what may come before the command's name.
_GROUP_OPTIONS = {"--roadmaps": True, "--version": False}


def _typed_command(commands: list[Any], args: Sequence[str]) -> list[Any]:
    """The command that `args` runs, alone, if they name one plainly; else all of them."""
    if os.environ.get(complete.COMPLETE_VAR):
        return commands
    words = iter(args)
    for word in words:
        if word.startswith("-"):
            name, equals, _ = word.partition("=")
            if name not in _GROUP_OPTIONS:  # help, an unknown option, "--": let Click see all
                return commands
            if _GROUP_OPTIONS[name] and not equals:
                next(words, None)
            continue
        named = [info for info in commands if _command_name(info) == word]
        return named if len(named) == 1 else commands
    return commands


# Every command gets the help and parsing of RoadmapCommand (one place, not one per decorator).
for _info in app.registered_commands:
    if _info.cls in (None, TyperCommand):
        _info.cls = RoadmapCommand


def _command_name(info: Any) -> str:
    """The name of a registered command, as Typer gives it."""
    return str(info.name or typer.main.get_command_name(info.callback.__name__))


def _completion_spec() -> dict[str, Any]:
    """What the commands say about completion, for complete.answer: read from the app itself.

    Each command's arguments in order, with how many words each takes and the kind of
    completion it offers; the options of `roadmap` itself, and whether each takes a value.
    """
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    options = {
        name: not (getattr(param, "is_flag", False) or getattr(param, "count", False))
        for param in group.params
        for name in param.opts
    }
    commands = {}
    for info in app.registered_commands:
        assert info.callback is not None
        function = {
            name: getattr(meta.default, "autocompletion", None)
            for name, meta in typer.utils.get_params_from_function(info.callback).items()
        }
        name = _command_name(info)
        command = group.commands[name]
        commands[name] = [
            [param.name, param.nargs, _COMPLETION_KINDS.get(function.get(param.name))]
            for param in command.params
            if isinstance(param, TyperArgument)
        ]
    return {"options": options, "commands": commands}
