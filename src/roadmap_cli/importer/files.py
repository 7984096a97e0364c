"""Importing a file: reading the Markdown (within its cap), the YAML document checked as the
loader will check it, and writing it atomically."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roadmap_cli import yamlfile
from roadmap_cli.errors import InputError, RoadmapError, RoadmapFileError
from roadmap_cli.importer.convert import import_markdown
from roadmap_cli.importer.emit import slugify
from roadmap_cli.importer.hours import Rates
from roadmap_cli.importer.inline import _line_text
from roadmap_cli.importer.model import ImportResult
from roadmap_cli.safetext import escape_unsafe

# The most Markdown `import` reads: a real README is at most 1 MB, an awesome list some 500 kB.
# Import takes time and memory in proportion to its input, some 1.3 s and 50 MB a MiB of
# README: within this cap any input is imported or refused in under 2 s (of CPU).
MAX_MARKDOWN_BYTES = 1024 * 1024
# The most lines: markdown-it looks at each line of a paragraph or list some 15 times (can it
# end here?), about 8 µs a line. A 1 MB README has some 11,000 lines, Rust's 900 kB of release
# notes 16,000; 1 MiB of "a" lines would be 524,288.
MAX_MARKDOWN_LINES = 50_000


@dataclass(frozen=True)
class Imported:
    """What `import_file` did: the result, the YAML written, and where it went."""

    result: ImportResult
    text: str
    path: Path | None  # None when written to standard output
    dry_run: bool = False  # nothing was written


def target_path(source: Path, out: Path | None, folder: Path) -> Path | None:
    """Return where an import of `source` is written: `out`, or the folder; None for "-".

    `out` must name a roadmap file (.yaml or .yml), not a folder.
    """
    if out is None:
        return folder / f"{slugify(source.stem) or 'imported'}.yaml"
    if str(out) == "-":
        return None
    if out.is_dir():
        raise InputError(f"{out} is a folder; -o takes the name of a file ending in .yaml or .yml.")
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(
            f"-o {out}: the file name must end in .yaml or .yml, as roadmap files do; "
            "'-o -' prints to the screen."
        )
    return out


def import_file(
    source: Path,
    *,
    target: Path | None,
    taken_ids: set[str],
    force: bool,
    rates: Rates | None = None,
    dry_run: bool = False,
) -> Imported:
    """Import a Markdown file and write its roadmaps as YAML to `target` (None: nowhere).

    An existing file is replaced only with `force`. A Markdown file over MAX_MARKDOWN_BYTES is
    refused unread, and a roadmap file the loader would refuse (over its caps, or invalid) is
    refused before anything is written. `rates` say what a day and a week of study count as;
    with `dry_run` everything is done but the writing.
    """
    if target is not None and target.exists() and not force:
        raise InputError(f"{target} already exists; use --force to replace it, or -o another file.")
    text = _read_markdown(source)
    with yamlfile.paused_gc():
        result = import_markdown(text, source=str(source), taken_ids=taken_ids, rates=rates)
        document = _document(source, target, result)
    if target is None or dry_run:
        return Imported(result, document, target, dry_run)
    from roadmap_cli.atomic import write_output

    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # the roadmaps folder, the first time
    except OSError as exc:
        raise RoadmapError(f"Cannot write {target}: {exc.strerror or exc}.") from None
    write_output(target, document, force=force)
    return Imported(result, document, target)


def _read_markdown(source: Path) -> str:
    """Read a Markdown file of at most MAX_MARKDOWN_BYTES, or raise InputError saying why not."""
    shown = escape_unsafe(str(source))
    try:
        with source.open("rb") as f:
            info = os.fstat(f.fileno())
            # A pipe or device has no size, and a file may grow while it is read: at most the
            # cap and one byte are read, and a file that holds more is refused.
            size: int | None = info.st_size if stat.S_ISREG(info.st_mode) else 0
            if size is not None and size <= MAX_MARKDOWN_BYTES:
                raw = f.read(MAX_MARKDOWN_BYTES + 1)
                if len(raw) > MAX_MARKDOWN_BYTES:
                    size = None  # more than the cap: how much more is not read
    except OSError as exc:
        raise InputError(f"{shown}: cannot read it: {exc.strerror}; nothing was written.") from None
    if size is None or size > MAX_MARKDOWN_BYTES:
        holds = f"the file is {_mib(size)}," if size is not None else "the file holds"
        raise InputError(
            f"{shown}: {holds} more than the {_mib(MAX_MARKDOWN_BYTES)} of Markdown that "
            "import reads; nothing was written. Split it into smaller files and import each."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{shown}:{line}: the file is not UTF-8 text; nothing was written. Save it as UTF-8."
        ) from None
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    lines = breaks + (not text.endswith(("\n", "\r")))
    if lines > MAX_MARKDOWN_LINES:
        raise InputError(
            f"{shown}:{MAX_MARKDOWN_LINES + 1}: the file has {lines:,} lines, more than the "
            f"{MAX_MARKDOWN_LINES:,} of Markdown that import reads; nothing was written. Split it "
            "into smaller files and import each."
        )
    return text


def _document(source: Path, target: Path | None, result: ImportResult) -> str:
    """Write the roadmap file of an import, checked as the loader will check it.

    Raise InputError, before anything is written, when the file would be over the loader's
    caps (size, values, items in one list), and RoadmapError when it would not load for any
    other reason (a bug of the importer).
    """
    written = yamlfile.dump_counted(result.data)
    header = f"# Imported from {_line_text(source.name)} by roadmap-cli."
    document = f"{header} Check it: roadmap validate FILE\n{written.text}"
    size = len(document.encode("utf-8"))
    shown = escape_unsafe(str(source))
    resources = _resource_count(result.data)
    over = None
    if size > yamlfile.MAX_BYTES:
        over = (
            f"would be {_mib(size)}, more than the {_mib(yamlfile.MAX_BYTES)} a roadmap file may be"
        )
    elif written.values > yamlfile.MAX_VALUES:
        over = (
            f"would hold {written.values:,} values, more than the {yamlfile.MAX_VALUES:,} a "
            "roadmap file may hold"
        )
    elif written.most_items > yamlfile.MAX_ITEMS:
        over = (
            f"would hold a list of {written.most_items:,} items, more than the "
            f"{yamlfile.MAX_ITEMS:,} a roadmap file may hold in one list"
        )
    if over is not None:
        raise InputError(
            f"{shown}: the roadmap file made from it ({resources:,} resources) {over}, so "
            "roadmap could not load it; nothing was written. Split the Markdown into smaller "
            "files and import each."
        )
    _check_loads(document, target or Path("-"), result.data, shown)
    return document


def _check_loads(document: str, path: Path, data: dict[str, Any], shown: str) -> None:
    """Read the document back with the loader and validator of roadmap files.

    What fails here is a bug of the importer; it is refused all the same, as nothing that
    cannot be loaded may be written.
    """
    from roadmap_cli.catalog import check_document

    with yamlfile.paused_gc():
        try:
            doc = yamlfile.parse_yaml(document, path)
            checked = check_document(doc)
        except RoadmapFileError as exc:
            problem: str | None = str(exc)
        else:
            problem = str(checked.problems[0]) if checked.problems else None
            if problem is None and doc.data != data:
                problem = "it reads back different from what was imported"
    if problem is not None:
        raise RoadmapError(
            f"{shown}: the roadmap file made from it would not load ({problem}); nothing was "
            "written. This is a bug in roadmap-cli: please report it with the Markdown file."
        )


def _resource_count(data: Mapping[str, Any]) -> int:
    return sum(
        len(step.get("resources", []))
        for roadmap in data.get("roadmaps", [])
        for step in roadmap.get("steps", [roadmap])
    )


def _mib(size: int) -> str:
    """Write a size in MiB ("2 MiB", "5.6 MiB"), or in bytes when under one or near a whole
    number of them ("1,048,577 bytes", not "1.0 MiB")."""
    mib = size / (1024 * 1024)
    if mib == int(mib) and mib >= 1:
        return f"{mib:.0f} MiB"
    if mib < 1 or f"{mib:.1f}".endswith(".0"):  # "1.0 MiB" would hide that it is more
        return f"{size:,} bytes"
    return f"{mib:.1f} MiB"
