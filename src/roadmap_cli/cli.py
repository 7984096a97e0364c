"""The `roadmap` command: parse what the user typed, call the core, hand the result to render."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from roadmap_cli import __version__, doctor, paths, render, tracker
from roadmap_cli.catalog import Catalog, Source, load_catalog
from roadmap_cli.errors import RoadmapError
from roadmap_cli.models import Status
from roadmap_cli.progress import summarize
from roadmap_cli.store import Store


class RoadmapGroup(TyperGroup):
    """Runs a command and turns our errors into a message on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RoadmapError as exc:
            render.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            render.error("Interrupted.")
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=RoadmapGroup,
    name="roadmap",
    help="Track your way through a learning roadmap: checklists, progress and hours left.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
)


@dataclass
class Session:
    """What every command needs, loaded only when a command asks for it."""

    cli_roadmaps: list[Path] = field(default_factory=list)

    def sources(self) -> list[Source]:
        """Return the roadmap files to load, in order, each file once."""
        given = (
            [Source(paths.shipped_roadmaps(), "shipped")]
            + [Source(p, paths.ROADMAPS_ENV) for p in paths.env_roadmap_files()]
            + [Source(p, "--roadmaps") for p in self.cli_roadmaps]
        )
        unique: dict[Path, Source] = {}
        for source in given:
            unique.setdefault(source.path.resolve(), source)
        return list(unique.values())

    @cached_property
    def catalog(self) -> Catalog:
        return load_catalog(self.sources())

    @cached_property
    def store(self) -> Store:
        return Store(paths.progress_file())


JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON instead of a table (fields in the README).")
]
RefsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="REF",
        help="ROADMAP/RESOURCE as 'roadmap show' prints it, or a resource id unique overall.",
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
    with 'roadmap done REF'.
    """
    ctx.obj = Session(cli_roadmaps=list(roadmaps or []))


def _session(ctx: typer.Context) -> Session:
    session = ctx.find_object(Session)
    assert session is not None, "the main callback sets the session"
    return session


@app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show every roadmap with how far you are and the hours left."""
    session = _session(ctx)
    found = tracker.summaries(session.catalog.roadmaps.values(), session.store.load())
    if as_json:
        render.print_json([summary.to_json() for summary in found])
    else:
        render.roadmap_list(found)


@app.command()
def show(
    ctx: typer.Context,
    roadmap_id: Annotated[str, typer.Argument(metavar="ROADMAP", help="A roadmap id.")],
    as_json: JsonOption = False,
) -> None:
    """Show a roadmap as a checklist: steps in order, each resource with status, hours, link.

    Example: roadmap show long
    """
    session = _session(ctx)
    roadmap = session.catalog.roadmap(roadmap_id)
    summary = summarize(roadmap, session.store.load().status)
    if as_json:
        render.print_json(summary.to_json(with_steps=True))
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


def _mark(ctx: typer.Context, refs: list[str], status: Status) -> None:
    session = _session(ctx)
    found = session.catalog.resolve_all(refs)
    results = tracker.mark(session.store, found, status)
    roadmaps = tracker.touched(session.catalog, results)
    render.marked(results, tracker.summaries(roadmaps, session.store.load()))


@app.command()
def remaining(
    ctx: typer.Context,
    roadmap_id: Annotated[
        str | None,
        typer.Argument(metavar="ROADMAP", help="Break one roadmap down by step."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the hours left (low–high) per roadmap, or per step of one roadmap."""
    session = _session(ctx)
    catalog = session.catalog
    roadmaps = [catalog.roadmap(roadmap_id)] if roadmap_id else list(catalog.roadmaps.values())
    found = tracker.summaries(roadmaps, session.store.load())
    if not as_json:
        render.remaining(found, per_step=roadmap_id is not None)
        return
    rows = [
        {
            "id": s.roadmap.id,
            "title": s.roadmap.title,
            "remaining_hours": s.remaining_hours.to_json(),
            "steps": [
                {"title": step.title, "remaining_hours": step.remaining_hours.to_json()}
                for step in s.steps
            ],
        }
        for s in found
    ]
    render.print_json(rows[0] if roadmap_id else rows)


@app.command()
def about(ctx: typer.Context) -> None:
    """Show the guide behind the roadmaps: its title, overview and roadmaps."""
    render.about(_session(ctx).catalog.files)


@app.command()
def where(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the files in use: roadmap files, the data folder and the progress file."""
    session = _session(ctx)
    progress = paths.progress_file()
    rows: list[tuple[str, Path, str]] = [
        (f"roadmaps ({source.origin})", source.path, "" if source.path.is_file() else "missing")
        for source in session.sources()
    ]
    from_env = f"from {paths.DATA_DIR_ENV}" if os.environ.get(paths.DATA_DIR_ENV) else ""
    rows += [
        ("data folder", progress.parent, from_env),
        ("progress file", progress, "" if progress.exists() else "not created yet"),
        ("lock file", paths.lock_file(progress), ""),
    ]
    if as_json:
        render.print_json(
            {
                "roadmaps": [{"path": str(s.path), "origin": s.origin} for s in session.sources()],
                "data_dir": str(progress.parent),
                "progress_file": str(progress),
                "lock_file": str(paths.lock_file(progress)),
            }
        )
    else:
        render.where(rows)


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
    session = _session(ctx)
    moved = doctor.move_aside_if_unreadable(session.store) if move_aside else None
    findings = doctor.examine(session.sources(), session.store)
    if as_json:
        render.print_json(
            {
                "findings": [
                    {"subject": f.subject, "severity": f.severity, "detail": f.detail}
                    for f in findings
                ],
                "moved_to": str(moved) if moved else None,
            }
        )
    else:
        render.findings(findings, moved)
    if doctor.has_errors(findings):
        raise typer.Exit(1)


def main() -> None:
    """Run the `roadmap` command."""
    app(prog_name="roadmap")
