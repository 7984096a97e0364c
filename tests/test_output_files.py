"""Files are never clobbered: export, card and import choose the format from -o's extension,
refuse to write over a file without --force, refuse a folder, and print for '-o -'."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import Invoke

GUIDE = """\
# My guide

## Rust

- [x] [The Book](https://doc.rust-lang.org/book/) - 20 hours
- [ ] [Rustlings](https://github.com/rust-lang/rustlings) - 5 hours
"""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder of its own (tmp_path also holds the data and cache folders)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "guide.md").write_text(GUIDE, encoding="utf-8")
    return work


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(result: Result, *expected: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    return result.stderr


# --- the format from the extension ---------------------------------------------------------------


def test_export_to_a_csv_file_writes_csv(invoke: Invoke) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    ok(invoke("export", "-o", "p.csv"))
    rows = list(csv.DictReader(io.StringIO(Path("p.csv").read_text(encoding="utf-8"))))
    assert {row["ref"]: row["status"] for row in rows}["long/stanford-cs25"] == "done"


def test_export_to_a_markdown_file_writes_markdown(invoke: Invoke) -> None:
    ok(invoke("export", "-o", "p.md"))
    assert Path("p.md").read_text(encoding="utf-8").startswith("## Long Learning Roadmap")


def test_export_to_a_json_file_writes_what_merge_reads(invoke: Invoke) -> None:
    ok(invoke("done", "long/stanford-cs25"))
    ok(invoke("export", "-o", "p.json"))
    assert json.loads(Path("p.json").read_text(encoding="utf-8"))["version"] == 2


def test_card_to_an_html_file_writes_a_page(invoke: Invoke) -> None:
    ok(invoke("card", "-o", "card.html"))
    assert Path("card.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["export", "-o", "p.xml"], "must end in .json, .csv or .md"),
        (["export", "-o", "p"], "must end in .json, .csv or .md"),
        (["card", "-o", "card.png"], "must end in .svg, .html"),
        (["import", "guide.md", "-o", "guide.json"], "must end in .yaml or .yml"),
    ],
)
def test_an_unknown_extension_names_the_formats(
    invoke: Invoke, in_tmp: Path, args: list[str], expected: str
) -> None:
    refused(invoke(*args), expected)
    assert sorted(p.name for p in in_tmp.iterdir()) == ["guide.md"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["export", "-o", "p.csv", "--format", "json"], "ends in .csv but --format is json"),
        (["export", "-o", "p.json", "-f", "md"], "name the file p.md"),
        (["card", "-o", "c.svg", "--format", "html"], "ends in .svg but --format is html"),
    ],
)
def test_an_extension_that_contradicts_format_is_refused(
    invoke: Invoke, in_tmp: Path, args: list[str], expected: str
) -> None:
    refused(invoke(*args), expected)
    assert sorted(p.name for p in in_tmp.iterdir()) == ["guide.md"]


def test_format_and_extension_may_agree(invoke: Invoke) -> None:
    ok(invoke("export", "-o", "p.CSV", "--format", "csv"))
    assert Path("p.CSV").read_text(encoding="utf-8").startswith("roadmap,ref,")


# --- never over an existing file ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["export", "-o", "keep.json"],
        ["card", "-o", "keep.svg"],
        ["card"],  # the default name, progress.svg
        ["import", "guide.md", "-o", "keep.yaml"],
    ],
)
def test_an_existing_file_is_kept_byte_for_byte(invoke: Invoke, args: list[str]) -> None:
    name = args[args.index("-o") + 1] if "-o" in args else "progress.svg"
    Path(name).write_bytes(b"precious\x00bytes")
    refused(invoke(*args), f"{name} already exists", "--force")
    assert Path(name).read_bytes() == b"precious\x00bytes"
    assert [p.name for p in Path().iterdir() if p.name.endswith(".tmp")] == []


def test_card_over_an_exported_progress_file_is_refused(invoke: Invoke) -> None:
    # The report: "card -o keep.json replaced an exported progress file with an SVG".
    ok(invoke("export", "-o", "keep.json"))
    before = Path("keep.json").read_bytes()
    refused(invoke("card", "-o", "keep.json"), "must end in .svg, .html")
    assert Path("keep.json").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "name", "start"),
    [
        (["export", "-o", "keep.json", "--force"], "keep.json", b'{\n  "version"'),
        (["card", "-o", "keep.svg", "--force"], "keep.svg", b"<svg"),
        (["import", "guide.md", "-o", "keep.yaml", "--force"], "keep.yaml", b"# Imported"),
    ],
)
def test_force_replaces(invoke: Invoke, args: list[str], name: str, start: bytes) -> None:
    Path(name).write_bytes(b"old")
    ok(invoke(*args))
    assert Path(name).read_bytes().startswith(start)


def test_a_new_file_gets_the_usual_permissions(invoke: Invoke) -> None:
    ok(invoke("export", "-o", "new.json"))
    probe = Path("probe")
    probe.touch()
    assert Path("new.json").stat().st_mode & 0o777 == probe.stat().st_mode & 0o777


# --- folders and stdout --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["export", "-o", "out.json"],
        ["card", "-o", "out.svg"],
        ["import", "guide.md", "-o", "out.yaml"],
        ["export", "-o", "."],
    ],
)
def test_a_folder_is_refused(invoke: Invoke, args: list[str]) -> None:
    folder = Path(args[args.index("-o") + 1])
    folder.mkdir(exist_ok=True)
    refused(invoke(*args), "is a folder")
    assert folder.is_dir()


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["export", "-o", "-"], '{\n  "version"'),
        (["export", "-o", "-", "--format", "csv"], "roadmap,ref,"),
        (["card", "-o", "-"], "<svg"),
        (["card", "-o", "-", "-f", "html"], "<!DOCTYPE html>"),
        (["import", "guide.md", "-o", "-"], "# Imported"),
    ],
)
def test_dash_writes_to_stdout(invoke: Invoke, in_tmp: Path, args: list[str], start: str) -> None:
    assert ok(invoke(*args)).startswith(start)
    assert sorted(p.name for p in in_tmp.iterdir()) == ["guide.md"]


def test_every_write_goes_through_write_atomic(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roadmap_cli import atomic

    calls: list[tuple[str, bool]] = []
    real = atomic.write_atomic

    def spy(path: Path, data: bytes, *, replace: bool = True, durable: bool = True) -> Path:
        calls.append((Path(path).name, replace))
        return real(path, data, replace=replace, durable=durable)

    monkeypatch.setattr(atomic, "write_atomic", spy)
    ok(invoke("export", "-o", "a.json"))
    ok(invoke("card", "-o", "a.svg", "--force"))
    ok(invoke("import", "guide.md", "-o", "a.yaml"))
    assert [c for c in calls if c[0].startswith("a.")] == [
        ("a.json", False),
        ("a.svg", True),
        ("a.yaml", False),
    ]
