"""The safe YAML reader: YAML 1.2 core scalars, positions, and everything it refuses."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_cli import yamlfile
from roadmap_cli.errors import RoadmapFileError
from roadmap_cli.yamlfile import Document, load_yaml, parse_yaml
from tests.conftest import billion_laughs

PATH = Path("roadmaps.yaml")


def parse(text: str) -> Any:
    return parse_yaml(text, PATH).data


def parse_error(text: str) -> str:
    """Parse `text`, expect a RoadmapFileError and return its message, checked for form."""
    with pytest.raises(RoadmapFileError) as caught:
        parse_yaml(text, PATH)
    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert "\n" not in message, "an error is reported as one paragraph"
    return message


def write_bytes(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "roadmaps.yaml"
    path.write_bytes(data)
    return path


def load_error(path: Path) -> str:
    with pytest.raises(RoadmapFileError) as caught:
        load_yaml(path)
    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert "\n" not in message, "an error is reported as one paragraph"
    return message


# --- Scalars follow YAML 1.2's core schema ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YAML 1.1 would turn these into False, True, 90, 10 and an octal 8.
        ("no", "no"),
        ("yes", "yes"),
        ("off", "off"),
        ("on", "on"),
        ("1:30", "1:30"),
        ("012", "012"),
        ("010", "010"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("2024-01-31", "2024-01-31"),
        ("'true'", "true"),
        ('"12"', "12"),
        ("!!str 12", "12"),
        ("! 12", "12"),
    ],
)
def test_scalars_that_yaml_1_1_would_convert_stay_text(text: str, expected: str) -> None:
    assert parse(f"value: {text}\n") == {"value": expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("null", None),
        ("~", None),
        ("", None),
        ("0", 0),
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("-2.5E-1", -0.25),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
    ],
)
def test_core_schema_scalars_become_values(text: str, expected: object) -> None:
    value = parse(f"value: {text}\n")["value"]
    assert value == expected
    # Numbers come as int/float subclasses that remember their text; bools stay bools.
    assert isinstance(value, type(expected))
    assert isinstance(value, bool) == isinstance(expected, bool)


def test_nan_becomes_a_float_nan() -> None:
    value = parse("value: .nan\n")["value"]
    assert isinstance(value, float)
    assert math.isnan(value)


def test_a_huge_number_does_not_crash_the_reader() -> None:
    # Python refuses to convert more than 4300 digits to an int; the reader must not crash.
    digits = "9" * 5000
    value = parse(f"value: {digits}\n")["value"]
    assert value == digits or value >= 10**4999


def test_a_byte_order_mark_is_ignored() -> None:
    assert parse("\ufeffvalue: x\n") == {"value": "x"}


def test_block_scalars_keep_their_text() -> None:
    text = "value: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n"
    assert parse(text) == {"value": "line one\nline two\n", "folded": "a b"}


# --- Positions ---------------------------------------------------------------------------


def test_every_value_has_its_line_and_column() -> None:
    text = (
        "# a comment\n"  # 1
        "roadmaps:\n"  # 2
        "  - id: a\n"  # 3
        "    title: A\n"  # 4
        "    hours: {low: 1, high: 2}\n"  # 5
    )
    doc = parse_yaml(text, PATH)
    assert doc.position(("roadmaps",)) == (3, 3)
    assert doc.position(("roadmaps", 0)) == (3, 5)
    assert doc.position(("roadmaps", 0, "id")) == (3, 9)
    assert doc.position(("roadmaps", 0, "title")) == (4, 12)
    assert doc.position(("roadmaps", 0, "hours", "high")) == (5, 27)


def test_position_of_a_missing_value_is_that_of_its_nearest_parent() -> None:
    doc = parse_yaml("top: 1\nroadmaps:\n  - id: a\n", PATH)
    assert doc.position(("roadmaps", 0, "title")) == (3, 5)
    assert doc.position(("roadmaps", 7, "x")) == (3, 3)
    assert doc.position(("nothing",)) == (1, 1)


def test_load_yaml_returns_path_and_data(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "title: café – ’\n".encode())
    doc = load_yaml(path)
    assert isinstance(doc, Document)
    assert doc.path == path
    assert doc.data == {"title": "café – ’"}


# --- What the reader refuses -------------------------------------------------------------


def test_duplicate_keys_name_both_lines() -> None:
    message = parse_error("a: 1\nb: 2\na: 3\n")
    assert message.startswith("roadmaps.yaml:3:1: ")
    assert "duplicate key 'a'" in message
    assert "line 1" in message


def test_duplicate_keys_are_found_in_nested_mappings() -> None:
    message = parse_error("x:\n  - k: 1\n    j: 2\n    k: 3\n")
    assert message.startswith("roadmaps.yaml:4:5: ")
    assert "duplicate key 'k'" in message
    assert "line 2" in message


def test_keys_that_read_the_same_are_duplicates() -> None:
    # `1` (a number) and "1" (quoted) are the same key once they are text.
    message = parse_error('1: a\n"1": b\n')
    assert message.startswith("roadmaps.yaml:2:1: ")
    assert "duplicate key '1'" in message


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: !!python/object/apply:os.system ['echo hi']\n", 1, "python/object/apply:os.system"),
        ("!!python/object/apply:os.system\nargs: [echo]\n", 1, "python/object/apply:os.system"),
        ("a: 1\nb: !!python/name:os.system ''\n", 2, "python/name:os.system"),
        ("a: 1\nb: !custom x\n", 2, "'!custom'"),
        ("a: !!binary aGVsbG8=\n", 1, "binary"),
        ("a: !!int '5'\n", 1, "tag:yaml.org,2002:int"),
        ("a: !!map {b: 1}\n", 1, "tag:yaml.org,2002:map"),
        ("a:\n  - !!set {b: null}\n", 2, "tag:yaml.org,2002:set"),
        ("%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n", 3, "tag:example.com,2000:foo"),
    ],
)
def test_tags_are_refused(text: str, line: int, fragment: str) -> None:
    message = parse_error(text)
    assert message.startswith(f"roadmaps.yaml:{line}:")
    assert "tags" in message
    assert fragment in message


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: &x 1\n", 1, "anchors (&name)"),
        ("a: 1\nb: &x [1, 2]\n", 2, "anchors (&name)"),
        ("a: 1\nb: &x {c: 1}\n", 2, "anchors (&name)"),
        ("a: 1\nb: *x\n", 2, "aliases (*name)"),
        ("a:\n  - 1\n  - *x\n", 3, "aliases (*name)"),
        ("a: 1\n<<: *base\n", 2, "aliases (*name)"),
    ],
)
def test_anchors_and_aliases_are_refused(text: str, line: int, fragment: str) -> None:
    message = parse_error(text)
    assert message.startswith(f"roadmaps.yaml:{line}:")
    assert fragment in message


def test_an_alias_bomb_is_refused_at_its_first_anchor() -> None:
    # Expanded, this document holds 9**9 strings; refusing the first anchor is the protection.
    message = parse_error(billion_laughs())
    assert message.startswith("roadmaps.yaml:1:")
    assert "anchor" in message


def test_an_alias_bomb_in_a_file_is_refused(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, billion_laughs().encode())
    assert "anchor" in load_error(path)


def nested_lists(levels: int) -> str:
    return "a: " + "[" * levels + "]" * levels + "\n"


def test_nesting_up_to_the_limit_is_read() -> None:
    # The top-level mapping is one level, so MAX_DEPTH - 1 lists inside it reach the limit.
    value = parse(nested_lists(yamlfile.MAX_DEPTH - 1))["a"]
    lists = 0
    while isinstance(value, list):
        lists += 1
        value = value[0] if value else None
    assert lists == yamlfile.MAX_DEPTH - 1


@pytest.mark.parametrize("extra", [0, 1, 500])
def test_nesting_deeper_than_the_limit_is_refused(extra: int) -> None:
    message = parse_error(nested_lists(yamlfile.MAX_DEPTH + extra))
    assert message.startswith("roadmaps.yaml:1:")
    assert f"deeper than {yamlfile.MAX_DEPTH} levels" in message


def test_deep_block_mappings_are_refused() -> None:
    text = (
        "".join("  " * i + f"k{i}:\n" for i in range(yamlfile.MAX_DEPTH + 1))
        + "  " * (yamlfile.MAX_DEPTH + 1)
        + "leaf: 1\n"
    )
    message = parse_error(text)
    assert f"deeper than {yamlfile.MAX_DEPTH} levels" in message


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"#" * (yamlfile.MAX_BYTES + 1))
    message = load_error(path)
    assert message.startswith(f"{path}: ")
    assert "larger than 5 MiB" in message


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    head = b"a: 1\n"
    path = write_bytes(tmp_path, head + b"#" * (yamlfile.MAX_BYTES - len(head)))
    assert load_yaml(path).data == {"a": 1}


@pytest.mark.parametrize(
    ("data", "line", "column", "byte"),
    [
        (b"\xffa: 1\n", 1, 1, "0xff"),
        (b"a: 1\nb: caf\xe9\n", 2, 7, "0xe9"),
        (b"a: 1\nb: 2\n# \x80 in a comment\n", 3, 3, "0x80"),
        # UTF-16 is not UTF-8 either.
        ("a: 1\n".encode("utf-16"), 1, 1, "0xff"),
    ],
)
def test_non_utf8_bytes_are_refused_with_their_line(
    tmp_path: Path, data: bytes, line: int, column: int, byte: str
) -> None:
    path = write_bytes(tmp_path, data)
    message = load_error(path)
    assert message.startswith(f"{path}:{line}:{column}: ")
    assert "not valid UTF-8" in message
    assert byte in message


def test_the_column_of_a_non_utf8_byte_counts_characters(tmp_path: Path) -> None:
    # "title: café" is 11 characters (12 bytes); the bad byte is the 12th character.
    path = write_bytes(tmp_path, "a: 1\ntitle: café".encode() + b"\xff\n")
    assert load_error(path).startswith(f"{path}:2:12: ")


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    message = load_error(path)
    assert message.startswith(f"{path}: ")
    assert "not found" in message


def test_a_folder_is_not_a_roadmap_file(tmp_path: Path) -> None:
    path = tmp_path / "folder.yaml"
    path.mkdir()
    assert "is a folder" in load_error(path)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("# only\n# comments\n", "the file is empty"),
        ("\ufeff", "the file is empty"),
        ("---\n", "no roadmap data"),
        ("~\n", "no roadmap data"),
        ("null\n", "no roadmap data"),
        ("# comment\n---\n...\n", "no roadmap data"),
    ],
)
def test_a_file_without_data_is_refused(text: str, fragment: str) -> None:
    message = parse_error(text)
    assert message.startswith("roadmaps.yaml:")
    assert fragment in message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\n---\nb: 2\n", 2),
        ("---\na: 1\n---\nb: 2\n", 3),
        ("a: 1\n...\n---\nb: 2\n", 3),
        ("- 1\n---\n- 2\n", 2),
    ],
)
def test_more_than_one_document_is_refused(text: str, line: int) -> None:
    message = parse_error(text)
    assert message.startswith(f"roadmaps.yaml:{line}:")
    assert "more than one YAML document" in message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("roadmaps:\n  - id: a\n   title: x\n", 3, 4),
        ("roadmaps: [a, b\n", 2, 1),
        ("a: b: c\n", 1, 5),
        ('a: 1\nb: "unterminated\n', 3, 1),
        ('a: "\\q"\n', 1, 5),
        ("a: 1\n\tb: 2\n", 2, 1),
        ("? [a]\n: 1\n", 1, 3),
    ],
)
def test_invalid_yaml_gives_line_and_column(text: str, line: int, column: int) -> None:
    message = parse_error(text)
    assert message.startswith(f"roadmaps.yaml:{line}:{column}: ")


def test_invalid_yaml_says_so() -> None:
    message = parse_error("roadmaps: [a, b\n")
    assert "invalid YAML" in message


def test_an_invalid_unicode_escape_is_refused() -> None:
    message = parse_error('a: 1\nb: "\\ud800"\n')
    assert message.startswith("roadmaps.yaml:2:")


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x07", "\x9b", "\ufffe"])
def test_raw_control_characters_are_refused_with_their_line(char: str) -> None:
    message = parse_error(f"a: 1\nb: 2\ntitle: red{char}[31m\n")
    assert message.startswith("roadmaps.yaml:3:")


def test_raw_control_characters_are_refused() -> None:
    # Whatever the wording, the file must not load.
    for char in ("\x1b", "\x00", "\x9b"):
        with pytest.raises(RoadmapFileError):
            parse_yaml(f"title: red{char}[31m\n", PATH)


# --- Property: arbitrary text never escapes as an unexpected exception -------------------

YAML_PIECES = [
    "roadmaps:",
    "\n",
    "  ",
    "- ",
    "id: a",
    "title: ",
    "hours: ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    ": ",
    "? ",
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "'",
    '"',
    "\\",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "|\n",
    ">-\n",
    "\t",
    ".nan",
    "1:30",
    "012",
    "no",
    "\ufeff",
    "\x1b",
    "\x85",
    "\u2028",
    "é",
]


def attempt(read: Callable[[], Document]) -> Document | RoadmapFileError:
    """Return what `read` returns, or the RoadmapFileError it raises; anything else escapes."""
    try:
        return read()
    except RoadmapFileError as exc:
        return exc


yaml_like_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=40).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(text=yaml_like_text)
def test_parse_yaml_returns_data_or_raises_our_error(text: str) -> None:
    doc = attempt(lambda: parse_yaml(text, PATH))
    if isinstance(doc, RoadmapFileError):
        assert str(doc).startswith("roadmaps.yaml")
    else:
        assert doc.data is not None


@settings(
    max_examples=200,
    deadline=None,
    # The autouse fixture only sets environment variables; nothing to reset between examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=200) | yaml_like_text.map(lambda t: t.encode("utf-8")))
def test_load_yaml_of_arbitrary_bytes_raises_only_our_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "roadmaps.yaml"
    path.write_bytes(data)
    doc = attempt(lambda: load_yaml(path))
    if isinstance(doc, RoadmapFileError):
        assert str(doc).startswith(str(path))
    else:
        assert doc.data is not None


# --- writing ----------------------------------------------------------------------------------


@settings(deadline=None, max_examples=300)
@given(
    st.text(),
    st.integers(-(10**9), 10**9) | st.floats(allow_nan=False, allow_infinity=False) | st.booleans(),
)
def test_yaml_writer_reads_back_any_text_and_number(text: str, number: float) -> None:
    data = {
        "version": 1,
        "text": text,
        "list": [text, number, {"title": text, "hours": {"low": number, "high": number}}],
        "nested": {"deeper": {"x": text}},
    }
    assert parse_yaml(yamlfile.dump(data), Path("w.yaml")).data == data


@settings(max_examples=300, deadline=None)
@given(text=yaml_like_text)
def test_reading_without_positions_gives_the_same_data_or_none(text: str) -> None:
    # A changed roadmap file is read without positions first; anything the reader with
    # positions refuses, that one refuses too (None: read again, to say where).
    raw = text.encode("utf-8")
    full = attempt(lambda: yamlfile.parse_bytes(raw, PATH))
    plain = yamlfile.parse_bytes_plain(raw, PATH)
    if isinstance(full, RoadmapFileError):
        assert plain is None
    else:
        assert plain is not None
        assert repr(plain.data) == repr(full.data)  # repr: NaN is not equal to itself


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a: &x 1\nb: *x\n",
        "a: !!python/object:os.system x\n",
        "a: " + "[" * 20 + "]" * 20 + "\n",
        "",
        "a: 1\n---\nb: 2\n",
        "a: [1\n",
        "\ufeffa: \x07\n",
    ],
)
def test_reading_without_positions_refuses_what_the_reader_refuses(text: str) -> None:
    with pytest.raises(RoadmapFileError):
        parse_yaml(text, PATH)
    assert yamlfile.parse_bytes_plain(text.encode("utf-8"), PATH) is None
