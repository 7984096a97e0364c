"""The roadmap cache (cache.py) as a user meets it: a warm run gives exactly what a cold one
gives, an edited file is never served stale, a damaged or foreign entry is rebuilt rather than
trusted, and a cache that cannot be used is silently not used.

conftest points ROADMAP_CLI_CACHE_DIR at tmp_path/"cache" for every test. Tests that need the
cache on remove ROADMAP_CLI_NO_CACHE (the `cache_on` fixture), so they hold when the whole suite
runs with ROADMAP_CLI_NO_CACHE=1. Whether a load was a hit is seen by recording each call of
yamlfile.parse_bytes_plain, with which every miss starts reading (a file with problems is then
read again with positions): a hit neither parses nor validates.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_cli import cache, models, paths, records, yamlfile
from roadmap_cli.catalog import LoadedFile, Source, completion_ids, load_file
from roadmap_cli.errors import RoadmapFileError
from tests.conftest import Invoke

WriteRoadmap = Callable[..., Path]

SIMPLE = """\
roadmaps:
  - id: mine
    title: Alpha roadmap
    resources:
      - id: one
        title: One
        url: https://one.org/a
        hours: 1
"""
# `hours: 1` stands on line 8; "hours: x" has the same size and is invalid there.
SIMPLE_BROKEN = SIMPLE.replace("hours: 1", "hours: x")

# Every kind of field a roadmap file can hold, so each one goes through the cache.
RICH = """\
version: 1
guide:
  title: Ünïcode guide ✓
  overview: |
    Two lines
    of overview.
roadmaps:
  - id: stepped
    title: Étapes — 日本語
    summary: |
      A summary
      over two lines.
    note: A note.
    stated_hours: {low: 3, high: 5.5, plus: true}
    formerly: [old-stepped]
    steps:
      - title: Étape un
        description: "First: the basics"
        resources:
          - id: a
            title: Ä video
            kind: video
            url: https://videos.example.edu/a
            hours: {low: 1, high: 2}
            formerly: [old-a, older-a]
            shared: true
          - id: pending
            title: Link to come
            url: https://TODO
            hours: 0
            placeholder: true
            optional: true
      - title: Two
        resources:
          - id: b
            title: 3.10
            url: http://b.example.edu/
            hours: 2.5
            basis: My guess.
            description: |
              Read it twice.
              Then again.
  - id: flat
    title: Flat ☕
    stated_hours: 7
    resources:
      - id: x
        title: X
        kind: book
        url: https://example.com/x
        hours: 1e2
        optional: true
"""


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def cache_on(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Turn the cache on whatever the environment says; return the cache folder."""
    monkeypatch.delenv(paths.NO_CACHE_ENV, raising=False)
    folder = paths.cache_dir()
    assert folder is not None
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record the path of every file parsed from here on: a cache hit parses nothing."""
    parsed: list[Path] = []
    real = yamlfile.parse_bytes_plain

    def recording(raw: bytes, path: Path) -> yamlfile.Document | None:
        parsed.append(path)
        return real(raw, path)

    monkeypatch.setattr(yamlfile, "parse_bytes_plain", recording)
    return parsed


def load(path: Path) -> LoadedFile:
    return load_file(Source(path, "--roadmaps"))


def entry_of(path: Path) -> Path:
    entry = cache.entry_path(path)
    assert entry is not None, "the cache is on"
    return entry


def cold(monkeypatch: pytest.MonkeyPatch, path: Path) -> LoadedFile:
    """Load `path` with the cache off."""
    with monkeypatch.context() as m:
        m.setenv(paths.NO_CACHE_ENV, "1")
        return load(path)


def assert_same(a: LoadedFile, b: LoadedFile) -> None:
    """Equal records, and of the same types (a tuple equals a NamedTuple; its repr does not)."""
    assert a.roadmaps == b.roadmaps
    assert a.guide == b.guide
    assert repr((a.guide, a.roadmaps)) == repr((b.guide, b.roadmaps))


def rewrite_keeping_stat(path: Path, text: str) -> None:
    """Write `text` (of the same size) and put back the old modification time."""
    before = path.stat()
    data = text.encode("utf-8")
    assert len(data) == before.st_size, "the edit must keep the size"
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def run_ok(invoke: Invoke, *args: str) -> str:
    """Run a command that must succeed quietly; return what it printed."""
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def uncached_output(invoke: Invoke, *args: str) -> str:
    """What a command prints with the cache off."""
    result = invoke(*args, env={paths.NO_CACHE_ENV: "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def without_stamp(blob: bytes) -> tuple[Any, ...]:
    """An entry's fields but the roadmap file's stamp, which a slow machine may see settle
    between two writes of the same entry (cache._settled)."""
    body = memoryview(blob)[len(cache._MAGIC) + cache._CHECK_SIZE :]
    fields: tuple[Any, ...] = marshal.loads(body[1 + body[0] :])  # the stamp comes first
    return fields


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- 1. A warm load gives what a cold load gives ----------------------------------------------


@pytest.mark.parametrize("which", ["shipped", "rich user file"])
def test_warm_load_equals_cold_load(
    which: str,
    cache_on: Path,
    parses: list[Path],
    write_roadmap: WriteRoadmap,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = paths.shipped_roadmaps() if which == "shipped" else write_roadmap(RICH)
    entry = entry_of(path)
    assert not entry.exists()

    first = load_file(Source(path, which))
    assert parses == [path], "the first load is a miss"
    assert entry.is_file(), "the miss wrote the entry"
    assert entry.is_relative_to(cache_on)

    second = load_file(Source(path, which))
    assert parses == [path], "the second load is a hit: nothing parsed"
    assert second.source == Source(path, which)
    assert_same(first, second)
    assert_same(second, cold(monkeypatch, path))
    assert parses == [path, path], "the load with ROADMAP_CLI_NO_CACHE=1 parsed"


def test_rich_file_keeps_every_field_through_the_cache(
    cache_on: Path, parses: list[Path], write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(RICH)
    load(path)
    warm = load(path)
    assert parses == [path]
    assert warm.guide == records.Guide("Ünïcode guide ✓", "Two lines\nof overview.")
    stepped, flat = warm.roadmaps
    assert stepped.stated_hours == records.StatedHours(3.0, 5.5, True)
    assert stepped.summary == "A summary\nover two lines."
    assert stepped.formerly == ("old-stepped",)
    assert [s.title for s in stepped.sections()] == ["Étape un", "Two"]
    a, pending, b = stepped.all_resources()
    assert (a.shared, a.formerly, a.identity) == (True, ("old-a", "older-a"), "shared:a")
    assert (pending.placeholder, pending.link_pending, pending.optional) == (True, True, True)
    assert (b.title, b.hours, b.basis) == ("3.10", records.Hours(2.5, 2.5), "My guess.")
    assert b.description == "Read it twice.\nThen again."
    assert flat.sections()[0].title is None
    assert flat.stated_hours == records.StatedHours(7.0, 7.0, False)
    [x] = flat.all_resources()
    assert (x.kind, x.hours, x.link_pending) == ("book", records.Hours(100.0, 100.0), True)


# --- 2. Never stale -------------------------------------------------------------------------


def test_an_edit_of_the_same_size_and_mtime_is_seen(
    invoke: Invoke, cache_on: Path, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(SIMPLE)
    assert "Alpha roadmap" in run_ok(invoke, "--roadmaps", str(path), "show", "mine")
    assert entry_of(path).is_file()

    rewrite_keeping_stat(path, SIMPLE.replace("Alpha", "Omega"))
    shown = run_ok(invoke, "--roadmaps", str(path), "show", "mine")
    assert "Omega roadmap" in shown
    assert "Alpha" not in shown
    assert load(path).roadmaps[0].title == "Omega roadmap"


def test_an_edit_that_breaks_the_file_is_reported_not_served_from_the_cache(
    invoke: Invoke, cache_on: Path, parses: list[Path], write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(SIMPLE)
    run_ok(invoke, "--roadmaps", str(path), "show", "mine")
    good_entry = entry_of(path).read_bytes()

    rewrite_keeping_stat(path, SIMPLE_BROKEN)
    for _ in range(2):
        result = invoke("--roadmaps", str(path), "show", "mine")
        assert result.exit_code == 2, result.output
        assert f"{path}:8:" in result.stderr
        assert "Alpha" not in result.stdout
    with pytest.raises(RoadmapFileError):
        load(path)
    assert entry_of(path).read_bytes() == good_entry, "an invalid file writes no entry"

    rewrite_keeping_stat(path, SIMPLE)  # fixed again: the old entry fits once more
    parses.clear()
    assert "Alpha roadmap" in run_ok(invoke, "--roadmaps", str(path), "show", "mine")
    assert path not in parses, "the entry of the same bytes is a hit again"


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let a roadmap file's stamp stand for its bytes at once, as it does once the file is a
    few seconds old (a real test would have to wait that long)."""
    if not cache._CHANGE_TIME:  # pragma: no cover - Windows
        pytest.skip("no change time (st_ctime is the creation time): every file is hashed")
    monkeypatch.setattr(cache, "_RACY_NS", -3_600_000_000_000)
    monkeypatch.setattr(cache, "_RACY_FINE_NS", -3_600_000_000_000)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record the path of every roadmap file read from here on."""
    read: list[Path] = []
    real = paths.read_roadmap_file

    def recording(path: Path) -> bytes:
        read.append(path)
        return real(path)

    monkeypatch.setattr(paths, "read_roadmap_file", recording)
    return read


def wait_for_a_new_change_time(path: Path) -> None:
    """Return once a change made now gives `path` another ctime than it has (file times move
    in ticks of the clock): what makes an edit after caching visible in the file's stamp."""
    probe = path.with_name(path.name + ".probe")
    before = path.stat().st_ctime_ns
    probe.write_bytes(b"")
    while probe.stat().st_ctime_ns == before:
        time.sleep(0.005)
        probe.write_bytes(b"")
    probe.unlink()


def test_a_file_untouched_since_it_was_cached_is_not_even_read(
    cache_on: Path,
    settled: None,
    parses: list[Path],
    reads: list[Path],
    write_roadmap: WriteRoadmap,
) -> None:
    path = write_roadmap(RICH)
    first = load(path)
    assert (parses, reads) == ([path], [path])
    second = load(path)
    assert (parses, reads) == ([path], [path]), "neither parsed nor read: its stamp is unchanged"
    assert_same(first, second)


def test_an_edit_of_the_same_size_and_mtime_is_seen_even_once_the_stamp_is_trusted(
    cache_on: Path,
    settled: None,
    parses: list[Path],
    reads: list[Path],
    write_roadmap: WriteRoadmap,
) -> None:
    path = write_roadmap(SIMPLE)
    assert load(path).roadmaps[0].title == "Alpha roadmap"
    assert load(path).roadmaps[0].title == "Alpha roadmap"
    assert reads == [path], "the second load came from the stamp"

    wait_for_a_new_change_time(path)
    rewrite_keeping_stat(path, SIMPLE.replace("Alpha", "Omega"))
    assert load(path).roadmaps[0].title == "Omega roadmap"
    assert parses == [path, path], "read and parsed afresh: the change time moved"


def test_a_file_touched_but_unchanged_is_still_a_hit_and_its_new_stamp_is_kept(
    cache_on: Path,
    settled: None,
    parses: list[Path],
    reads: list[Path],
    write_roadmap: WriteRoadmap,
) -> None:
    path = write_roadmap(SIMPLE)
    load(path)
    wait_for_a_new_change_time(path)
    os.utime(path, ns=(0, 0))  # a `touch`, a checkout: another stamp, the same bytes
    assert load(path).roadmaps[0].title == "Alpha roadmap"
    assert parses == [path], "the same bytes: a hit"
    assert reads == [path, path], "read, to be compared"
    load(path)
    assert reads == [path, path], "the new stamp was kept: not read again"


def test_a_file_changed_just_after_it_was_cached_is_never_trusted_by_its_stamp(
    cache_on: Path, parses: list[Path], reads: list[Path], write_roadmap: WriteRoadmap
) -> None:
    # The racy case: a file written within a tick of the clock of being cached might change
    # again and keep its whole stamp, so a fresh stamp is not stored, and the bytes are read.
    path = write_roadmap(SIMPLE)
    load(path)
    rewrite_keeping_stat(path, SIMPLE.replace("Alpha", "Omega"))
    assert load(path).roadmaps[0].title == "Omega roadmap"
    rewrite_keeping_stat(path, SIMPLE)
    assert load(path).roadmaps[0].title == "Alpha roadmap"
    assert reads == [path, path, path], "never served by the stamp"
    assert parses == [path, path, path]


# --- 3. Damaged entries are rebuilt, never trusted --------------------------------------------


def _truncate(entry: Path) -> None:
    blob = entry.read_bytes()
    entry.write_bytes(blob[: len(blob) // 2])


def _flip_last_byte(entry: Path) -> None:
    blob = bytearray(entry.read_bytes())
    blob[-1] ^= 0xFF
    entry.write_bytes(bytes(blob))


def _flip_checksum_byte(entry: Path) -> None:
    blob = bytearray(entry.read_bytes())
    blob[len(cache._MAGIC)] ^= 0x01
    entry.write_bytes(bytes(blob))


def _tamper_title(entry: Path) -> None:
    # Were the checksum not checked, `show` would print the tampered title.
    blob = entry.read_bytes()
    assert b"Alpha roadmap" in blob
    entry.write_bytes(blob.replace(b"Alpha roadmap", b"Evilx roadmap"))


def _wrong_magic(entry: Path) -> None:
    entry.write_bytes(b"roadmap-cli cache 0\n" + entry.read_bytes()[len(cache._MAGIC) :])


def _checksummed_garbage(entry: Path) -> None:
    # A body whose checksum matches but that is no marshal data.
    body = b"\xffnot marshal"
    entry.write_bytes(cache._seal(body))


def _checksummed_wrong_shape(entry: Path) -> None:
    body = marshal.dumps(("only", "two"))
    entry.write_bytes(cache._seal(body))


def _garbage(entry: Path) -> None:
    entry.write_bytes(os.urandom(64) + b"\x00" * 64)


def _empty(entry: Path) -> None:
    entry.write_bytes(b"")


def _directory(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()
    (entry / "inside").write_text("a folder where an entry should be")


REBUILT = [
    _truncate,
    _flip_last_byte,
    _flip_checksum_byte,
    _tamper_title,
    _wrong_magic,
    _checksummed_garbage,
    _checksummed_wrong_shape,
    _garbage,
    _empty,
]


@pytest.mark.parametrize("damage", [*REBUILT, _directory], ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("command", [("list",), ("show", "mine")], ids=" ".join)
def test_a_damaged_entry_is_rebuilt_never_trusted(
    damage: Callable[[Path], None],
    command: tuple[str, ...],
    invoke: Invoke,
    cache_on: Path,
    parses: list[Path],
    write_roadmap: WriteRoadmap,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_roadmap(SIMPLE)
    args = ("--roadmaps", str(path), *command)
    expected = uncached_output(invoke, *args)
    assert run_ok(invoke, *args) == expected
    entry = entry_of(path)
    good = entry.read_bytes()

    damage(entry)
    parses.clear()
    assert run_ok(invoke, *args) == expected
    assert path in parses, "the damaged entry was a miss"

    parses.clear()
    warm = load(path)
    if damage in REBUILT:
        assert without_stamp(entry.read_bytes()) == without_stamp(good), "rewritten whole"
        assert path not in parses, "the rewritten entry is a hit"
    else:
        assert entry.is_dir(), "a folder in the way is left alone"
        assert path in parses
    assert_same(warm, cold(monkeypatch, path))
    assert run_ok(invoke, *args) == expected
    leftovers = [p.name for p in entry.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [], "no temporary file is left behind"


# --- 4. An entry written by other code is ignored ---------------------------------------------


def test_an_entry_from_other_code_is_a_miss(
    cache_on: Path,
    parses: list[Path],
    write_roadmap: WriteRoadmap,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_roadmap(RICH)
    first = load(path)
    load(path)
    assert parses == [path], "warm with this code"

    with monkeypatch.context() as m:
        m.setattr(cache, "_fingerprint", lambda: "some other version of roadmap-cli")
        other = load(path)
        assert parses == [path, path], "an entry of other code is not used"
        assert_same(other, first)
        load(path)
        assert parses == [path, path], "the other code rewrote the entry for itself"

    again = load(path)
    assert parses == [path, path, path], "and this code does not trust that entry either"
    assert_same(again, first)


def _fingerprint_of_copy(package: Path) -> str:
    """The fingerprint cache.py computes when it lives in `package` (a copy of the sources)."""
    spec = importlib.util.spec_from_file_location("roadmap_cli_cache_copy", package / "cache.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module._fingerprint())


# Every module of the package may change what a roadmap file gives, so every one counts.
PACKAGE_MODULES = sorted(p.name for p in Path(cache.__file__).parent.glob("*.py"))


@pytest.mark.parametrize("module", PACKAGE_MODULES)
def test_editing_any_module_changes_the_fingerprint(module: str, tmp_path: Path) -> None:
    package = tmp_path / "roadmap_cli_copy"
    shutil.copytree(Path(cache.__file__).parent, package)
    before = _fingerprint_of_copy(package)
    assert _fingerprint_of_copy(package) == before, "the fingerprint is stable"
    with (package / module).open("a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert _fingerprint_of_copy(package) != before


def test_a_new_module_changes_the_fingerprint_without_a_list_to_keep(tmp_path: Path) -> None:
    package = tmp_path / "roadmap_cli_copy"
    shutil.copytree(Path(cache.__file__).parent, package)
    before = _fingerprint_of_copy(package)
    (package / "sub").mkdir()
    (package / "sub" / "new_rules.py").write_text("LIMIT = 3\n", encoding="utf-8")
    assert _fingerprint_of_copy(package) != before


def test_upgrading_pydantic_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An upgrade rewrites the library's files; stand in for it with a file we can rewrite.
    fake = tmp_path / "pydantic_init.py"
    fake.write_text("VERSION = '2.0'\n")
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        spec = real_find_spec(name, *args)
        if name == "pydantic" and spec is not None:
            spec.origin = str(fake)
        return spec

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    package = tmp_path / "roadmap_cli_copy"
    shutil.copytree(Path(cache.__file__).parent, package)
    before = _fingerprint_of_copy(package)
    fake.write_text("VERSION = '2.99'\n")
    os.utime(fake, ns=(fake.stat().st_atime_ns, fake.stat().st_mtime_ns + 1_000_000_000))
    assert _fingerprint_of_copy(package) != before


# --- 5. A cache that cannot be written is not used --------------------------------------------


@pytest.fixture
def restore_modes() -> Iterator[list[Path]]:
    """Folders made read-only by a test, made writable again so tmp_path can be removed."""
    changed: list[Path] = []
    yield changed
    for folder in changed:
        folder.chmod(stat.S_IRWXU)


def _under_a_file(tmp_path: Path, changed: list[Path]) -> Path:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return blocker / "cache"


def _read_only_folder(tmp_path: Path, changed: list[Path]) -> Path:
    folder = tmp_path / "ro-cache"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    changed.append(folder)
    return folder


def _read_only_entries_folder(tmp_path: Path, changed: list[Path]) -> Path:
    folder = tmp_path / "ro-entries"
    (folder / "roadmaps").mkdir(parents=True)
    (folder / "roadmaps").chmod(stat.S_IRUSR | stat.S_IXUSR)
    changed.append(folder / "roadmaps")
    return folder


@pytest.mark.parametrize(
    "make", [_under_a_file, _read_only_folder, _read_only_entries_folder], ids=lambda f: f.__name__
)
def test_an_unwritable_cache_is_silently_not_used(
    make: Callable[[Path, list[Path]], Path],
    invoke: Invoke,
    cache_on: Path,
    write_roadmap: WriteRoadmap,
    tmp_path: Path,
    restore_modes: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if make is not _under_a_file and os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    path = write_roadmap(SIMPLE)
    commands = [("list",), ("show", "mine")]
    expected = [uncached_output(invoke, "--roadmaps", str(path), *cmd) for cmd in commands]

    folder = make(tmp_path, restore_modes)
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(folder))
    for _ in range(2):
        assert [run_ok(invoke, "--roadmaps", str(path), *cmd) for cmd in commands] == expected
        assert_same(load(path), cold(monkeypatch, path))
    assert files_under(folder) == []


# --- 6. ROADMAP_CLI_NO_CACHE ------------------------------------------------------------------


def test_no_cache_writes_nothing(
    invoke: Invoke,
    write_roadmap: WriteRoadmap,
    monkeypatch: pytest.MonkeyPatch,
    parses: list[Path],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv(paths.NO_CACHE_ENV, "1")
    path = write_roadmap(SIMPLE)
    assert cache.entry_path(path) is None
    for _ in range(2):
        run_ok(invoke, "--roadmaps", str(path), "list")
        run_ok(invoke, "--roadmaps", str(path), "show", "mine")
        load(path)
    assert parses.count(path) == 6, "every load parses"
    assert files_under(tmp_path / "cache") == []
    assert files_under(tmp_path / "home") == []


def test_cache_dir_env_moves_the_cache(
    invoke: Invoke, cache_on: Path, write_roadmap: WriteRoadmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = cache_on.parent / "elsewhere"
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(elsewhere))
    path = write_roadmap(SIMPLE)
    run_ok(invoke, "--roadmaps", str(path), "list")
    assert entry_of(path) == elsewhere / "roadmaps" / entry_of(path).name
    assert entry_of(path).is_file()
    assert files_under(cache_on) == []


# --- 7. The errors of a broken file are cached, apart from its last valid entry ------------


def error_entry_of(path: Path) -> Path:
    entry = cache.entry_path(path, "err")
    assert entry is not None, "the cache is on"
    return entry


def test_a_broken_file_is_parsed_once_and_its_errors_come_from_the_cache(
    invoke: Invoke, cache_on: Path, parses: list[Path], write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(SIMPLE_BROKEN)
    errors = []
    for _ in range(3):
        result = invoke("--roadmaps", str(path), "list")
        assert result.exit_code == 2, result.output
        assert f"{path}:8:" in result.stderr
        errors.append(result.stderr)
    assert errors[0] == errors[1] == errors[2]
    assert parses.count(path) == 1, "the same broken bytes are not parsed again"
    assert not entry_of(path).exists(), "a broken file has no entry of roadmaps"
    shipped_entry = entry_of(paths.shipped_roadmaps())
    assert sorted(files_under(cache_on)) == sorted([shipped_entry, error_entry_of(path)])

    # One byte changed (the same size and modification time): read afresh.
    rewrite_keeping_stat(path, SIMPLE_BROKEN.replace("hours: x", "hours: y"))
    result = invoke("--roadmaps", str(path), "list")
    assert result.exit_code == 2
    assert parses.count(path) == 2, "changed bytes are parsed again"
    assert f"{path}:8:" in result.stderr


def test_a_cached_error_keeps_its_count_of_more_problems(
    cache_on: Path, parses: list[Path], write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(SIMPLE_BROKEN.replace("title: Alpha roadmap", "title: ''"))
    messages = []
    for _ in range(2):
        with pytest.raises(RoadmapFileError) as caught:
            load(path)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "(1 more problem in this file.)" in messages[0]
    assert parses.count(path) == 1


def test_a_cached_error_needs_the_same_code(
    cache_on: Path, parses: list[Path], write_roadmap: WriteRoadmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_roadmap(SIMPLE_BROKEN)
    with pytest.raises(RoadmapFileError):
        load(path)
    monkeypatch.setattr(cache, "_fingerprint", lambda: "other code")
    with pytest.raises(RoadmapFileError):
        load(path)
    assert parses.count(path) == 2, "an error found by other code is found again"


# --- 8. The same bytes at two paths -----------------------------------------------------------


def test_identical_files_at_two_paths_have_an_entry_each(
    cache_on: Path, parses: list[Path], write_roadmap: WriteRoadmap
) -> None:
    one = write_roadmap(RICH, name="one.yaml")
    two = write_roadmap(RICH, name="two.yaml")
    assert entry_of(one) != entry_of(two)
    first, second = load(one), load(two)
    assert entry_of(one).is_file()
    assert entry_of(two).is_file()
    assert parses == [one, two]

    assert_same(load(one), first)
    assert_same(load(two), second)
    assert parses == [one, two], "both are hits"
    assert load(one).source.path == one
    assert load(two).source.path == two

    two.write_text(RICH.replace("Flat ☕", "Level"), encoding="utf-8")
    assert load(two).roadmaps[1].title == "Level"
    assert_same(load(one), first)
    assert parses == [one, two, two], "changing one file leaves the other's entry alone"


# --- 9. Completion ----------------------------------------------------------------------------


def test_completion_ids_from_the_cache_equal_a_cold_load(
    cache_on: Path,
    parses: list[Path],
    write_roadmap: WriteRoadmap,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources = [
        Source(paths.shipped_roadmaps(), "shipped"),
        Source(write_roadmap(RICH), "--roadmaps"),
        Source(write_roadmap(SIMPLE, name="simple.yaml"), "--roadmaps"),
    ]
    with monkeypatch.context() as m:
        m.setenv(paths.NO_CACHE_ENV, "1")
        uncached = completion_ids(sources)
    assert list(uncached) == ["long", "short", "stepped", "flat", "mine"]
    assert uncached["stepped"] == ["a", "pending", "b"]

    cold_ids = completion_ids(sources)  # a miss: writes the entries
    parses.clear()
    warm_ids = completion_ids(sources)
    assert parses == [], "completion read everything from the cache"
    assert cold_ids == warm_ids == uncached


def test_completion_leaves_out_a_broken_file_quietly(
    cache_on: Path,
    write_roadmap: WriteRoadmap,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = Source(write_roadmap(RICH), "--roadmaps")
    broken = Source(write_roadmap(SIMPLE_BROKEN, name="broken.yaml"), "--roadmaps")
    missing = Source(good.path.with_name("missing.yaml"), "--roadmaps")
    for _ in range(2):  # cold, then warm for the good file
        assert completion_ids([broken, good, missing]) == {
            "stepped": ["a", "pending", "b"],
            "flat": ["x"],
        }
    assert capsys.readouterr() == ("", "")
    assert not entry_of(broken.path).exists()


def test_completion_keeps_the_first_definition_of_an_id(
    cache_on: Path, write_roadmap: WriteRoadmap
) -> None:
    first = Source(write_roadmap(SIMPLE, name="first.yaml"), "--roadmaps")
    other = SIMPLE.replace("id: one", "id: two")
    second = Source(write_roadmap(other, name="second.yaml"), "--roadmaps")
    for _ in range(2):
        assert completion_ids([first, second]) == {"mine": ["one"]}


# --- 10. Records to plain tuples and back ------------------------------------------------------

_slugs = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
_titles = st.from_regex(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 ,.:!?'()-]{0,30}", fullmatch=True).map(
    str.strip
)
_prose = st.lists(_titles, min_size=1, max_size=3).map("\n".join)
_hours = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def _hours_field(draw: st.DrawFn) -> Any:
    low = draw(_hours)
    if draw(st.booleans()):
        return low
    return {"low": low, "high": draw(st.floats(min_value=low, max_value=1000))}


@st.composite
def _resource(draw: st.DrawFn) -> dict[str, Any]:
    host = draw(st.sampled_from(["one.org", "example.com", "a.b.edu", "TODO"]))
    return {
        "id": draw(_slugs),
        "title": draw(_titles),
        "kind": draw(st.sampled_from(["course", "video", "book", "other"])),
        "url": f"https://{host}/{draw(_slugs)}",
        "hours": draw(_hours_field()),
        "basis": draw(st.none() | _titles),
        "description": draw(st.none() | _prose),
        "optional": draw(st.booleans()),
        "shared": draw(st.booleans()),
        "placeholder": draw(st.booleans()),
        "formerly": draw(st.lists(_slugs, max_size=2)),
    }


@st.composite
def _roadmap(draw: st.DrawFn) -> dict[str, Any]:
    resources = st.lists(_resource(), min_size=1, max_size=3)
    data: dict[str, Any] = {
        "id": draw(_slugs),
        "title": draw(_titles),
        "summary": draw(st.none() | _prose),
        "note": draw(st.none() | _prose),
        "formerly": draw(st.lists(_slugs, max_size=2)),
    }
    if draw(st.booleans()):
        stated = draw(_hours_field())
        if isinstance(stated, dict) and draw(st.booleans()):
            stated["plus"] = draw(st.booleans())
        data["stated_hours"] = stated
    if draw(st.booleans()):
        data["resources"] = draw(resources)
    else:
        step = st.fixed_dictionaries(
            {"title": _titles, "resources": resources},
            optional={"description": _prose},
        )
        data["steps"] = draw(st.lists(step, min_size=1, max_size=3))
    return data


@st.composite
def _roadmap_file(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {"roadmaps": draw(st.lists(_roadmap(), min_size=1, max_size=2))}
    if draw(st.booleans()):
        data["guide"] = {"title": draw(_titles), "overview": draw(st.none() | _prose)}
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_roadmap_file())
def test_records_round_trip_through_plain_tuples(data: dict[str, Any]) -> None:
    parsed = models.RoadmapFile.model_validate(data)
    guide, roadmaps = records.from_file(parsed)
    plain = records.to_plain(guide, roadmaps)
    stored = marshal.loads(marshal.dumps(plain))
    assert stored == plain
    back = records.from_plain(stored)
    assert back == (guide, roadmaps)
    assert repr(back) == repr((guide, roadmaps)), "the same record types, not bare tuples"
    assert records.ids_of(plain) == [
        (r.id, [res.id for res in r.all_resources()]) for r in roadmaps
    ]


# --- 6. Entries of roadmap files that are gone are pruned by doctor ---------------------------


def test_prune_removes_the_entries_of_files_that_are_gone(tmp_path: Path, cache_on: Path) -> None:
    kept, gone = tmp_path / "kept.yaml", tmp_path / "gone.yaml"
    for path in (kept, gone):
        path.write_text("x", encoding="utf-8")
        cache.put(path, cache.Found(None, b"x", None), ("value",))
        cache.put_error(path, cache.Found(None, b"y", None), ("problem", 1, 1, 0))
    gone.unlink()
    stray = cache_on / "roadmaps" / "0123.bin"
    stray.write_bytes(b"not an entry")

    assert cache.prune() == [gone]

    entries = sorted(p.name for p in (cache_on / "roadmaps").iterdir())
    assert entries == sorted(p.name for p in (entry_of(kept), entry_of(kept).with_suffix(".err")))
    assert cache.get(kept, lambda _path: b"x").value == ("value",)
    assert cache.prune() == []


@pytest.mark.parametrize(
    ("age_s", "whole_seconds", "trusted"),
    [
        (0.01, False, False),  # within a few ticks of the kernel's clock
        (0.5, False, True),  # nanosecond times, half a second old: settled
        (0.5, True, False),  # whole-second times (FAT, some network disks): not yet
        (2.5, True, False),
        (4.5, True, True),
        (-5.0, False, False),  # in the future: a clock apart, never trusted
    ],
)
def test_a_stamp_is_trusted_once_its_times_are_older_than_their_clock_s_tick(
    age_s: float, whole_seconds: bool, trusted: bool
) -> None:
    if not cache._CHANGE_TIME:  # pragma: no cover - Windows
        pytest.skip("no change time (st_ctime is the creation time): every file is hashed")
    when = time.time_ns() - int(age_s * 1e9)
    if whole_seconds:  # up to the next whole second: at most a second younger
        when += -when % 1_000_000_000
    else:
        when += 1 if when % 1_000_000_000 == 0 else 0
    stamp = (1, 2, 0o100644, 3, when, when)

    assert (cache._settled(stamp) == stamp) is trusted
