"""Tables of links: each row with a link is a resource; the header names the columns."""

from __future__ import annotations

from roadmap_cli.importer.emit import kind_named
from roadmap_cli.importer.hours import _bare_hours, _find_hours
from roadmap_cli.importer.inline import _line, _line_text, _pieces, _plain, _quote, _text_of
from roadmap_cli.importer.items import _make_resource
from roadmap_cli.importer.markdown import _Node
from roadmap_cli.importer.model import _Context, _Piece, _Resource

_COLUMNS = {
    "title": ("title", "course", "name", "resource", "topic", "what"),
    "link": ("link", "url", "where", "website"),
    "kind": ("type", "kind", "format", "category", "medium"),
    "hours": ("duration", "effort", "hours", "time", "length", "estimate", "est."),
    # "Duration | Effort" as "10 weeks | 10 hours/week": the second is the pace.
    "pace": ("effort", "pace", "per week"),
    "description": ("description", "notes", "note", "why", "details", "summary", "about"),
}


def _table_resources(ctx: _Context, table: _Node) -> list[_Resource]:
    """Read each row of a table with a link as a resource; its header names the columns."""
    rows = [node for node in table.walk() if node.type == "tr"]
    if not rows:
        return []
    header = [_plain(cell).lower() for cell in rows[0].children]
    roles = _column_roles(header)
    # A title column named "Courses" or "Books" names the kind of its rows.
    named = kind_named(header[roles["title"]]) if "title" in roles else None
    resources: list[_Resource] = []
    for row in rows[1:]:
        cells = [_pieces(cell.children[0]) if cell.children else [] for cell in row.children]
        if _only_images(row, cells):
            continue  # a picture (a diagram, a logo) is not a resource: nothing is lost
        resource = _row_resource(ctx, cells, roles, _line(row))
        if resource is not None:
            resource.kind = resource.kind or named
            resources.append(resource)
    return resources


def _only_images(row: _Node, cells: list[list[_Piece]]) -> bool:
    """Whether a row holds an image and no link that could be a resource."""
    has_link = any(p.kind == "link" for cell in cells for p in cell)
    return not has_link and any(node.type == "image" for node in row.walk())


def _column_roles(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for role, names in _COLUMNS.items():
        for index, name in enumerate(header):
            # "Est" is "Est.": compared with its dot, so that "test" or "best" is not it.
            label = f"{name}." if name == "est" else name
            if index not in roles.values() and any(word in label for word in names):
                roles[role] = index
                break
    return roles


def _row_resource(
    ctx: _Context, cells: list[list[_Piece]], roles: dict[str, int], line: int
) -> _Resource | None:
    def cell(role: str) -> list[_Piece]:
        index = roles.get(role)
        return cells[index] if index is not None and index < len(cells) else []

    links = [p for p in cell("link") + cell("title") if p.kind == "link"]
    links += [p for row_cell in cells for p in row_cell if p.kind == "link"]
    if not links:
        row_text = " | ".join(text for c in cells if (text := _line_text(_text_of(c))))
        ctx.problem(line, f"a table row without a link: {_quote(row_text)}; not imported")
        return None
    title = _line_text(_text_of(cell("title"))) or _line_text(links[0].text)
    if links[0].bare and title == links[0].url:
        title = ""
    duration = _line_text(_text_of(cell("hours")))
    pace = _line_text(_text_of(cell("pace")))
    if duration and pace and _find_hours(duration) is None:
        duration = f"{duration} at {pace}"  # "10 weeks at 10 hours/week"
    hours = _find_hours(duration, days=True) or _bare_hours(duration)
    if duration and hours is None:
        ctx.problem(line, f"no hour estimate could be read from {_quote(duration)}")
    resource = _make_resource(
        ctx,
        title,
        links[0].url,
        line,
        description=_text_of(cell("description")),
        hours=hours,
        context=duration,
    )
    if resource is not None:
        resource.kind = kind_named(_text_of(cell("kind")))
    return resource
