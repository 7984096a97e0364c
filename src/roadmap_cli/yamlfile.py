"""Read roadmap YAML safely, remembering the line and column of every value.

PyYAML parses (with its C parser when available); we build the values ourselves from its
events so that we can refuse what a roadmap never needs and a hostile file might use:
anchors and aliases (alias bombs), tags (`!!python/object`), duplicate keys (PyYAML keeps the
last one silently), deep nesting and huge files. Plain scalars follow YAML 1.2's core schema,
so `no` stays the string "no", `1:30` stays "1:30" and `012` stays "012" instead of becoming
False, 90 and 10 as YAML 1.1 would have it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml import events

from roadmap_cli import paths
from roadmap_cli.errors import RoadmapFileError

try:
    _Parser: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader

MAX_BYTES = paths.MAX_ROADMAP_BYTES
MAX_DEPTH = 16

Loc = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}
# Decimal only: a leading zero ("012") or a sexagesimal "1:30" stays a string.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_NUMBER_START = set("0123456789+-.")  # what a number, .inf or .nan can start with


class YamlInt(int):
    """An integer from a YAML file that remembers how it was written."""

    source: str

    def __new__(cls, text: str) -> YamlInt:
        value = super().__new__(cls, text)
        value.source = text
        return value


class YamlFloat(float):
    """A number from a YAML file that remembers how it was written ("3.10", not 3.1)."""

    source: str

    def __new__(cls, text: str) -> YamlFloat:
        value = super().__new__(cls, _float_text(text))
        value.source = text
        return value


def _float_text(text: str) -> str:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return lowered.replace(".inf", "inf")
    if lowered == ".nan":
        return "nan"
    return text


@dataclass(frozen=True)
class Document:
    """The plain data of a YAML file and where each value of it stands."""

    path: Path
    data: Any
    # Where each value (and each key) starts, as PyYAML's marks: 0-based line and column.
    positions: dict[Loc, Any]
    key_positions: dict[Loc, Any]

    def position(self, loc: Sequence[str | int], *, at_key: bool = False) -> tuple[int, int]:
        """Return the (line, column), 1-based, of the value at `loc` or its nearest parent.

        With `at_key`, the position of the key that introduces the value, where there is one.
        """
        key = tuple(loc)
        if at_key and key in self.key_positions:
            return _line_column(self.key_positions[key])
        while key not in self.positions and key:
            key = key[:-1]
        return _line_column(self.positions.get(key))


def load_yaml(path: Path) -> Document:
    """Read and parse the YAML file at `path`, or raise RoadmapFileError."""
    return parse_bytes(paths.read_roadmap_file(path), path)


def parse_bytes(raw: bytes, path: Path) -> Document:
    """Parse the bytes of the roadmap file at `path`, or raise RoadmapFileError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise RoadmapFileError(
            path,
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8.",
            line,
            column,
        ) from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> Document:
    """Parse YAML text that came from `path` into a Document, or raise RoadmapFileError."""
    text = text.removeprefix("\ufeff")
    builder = _Builder(text, path)
    try:
        data = builder.build()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise RoadmapFileError(
            path,
            f"the file holds the character U+{ord(char):04X} (a control character or "
            "non-character), which roadmap files may not contain.",
            line,
            column,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = f"invalid YAML: {exc.problem or exc.context or 'syntax error'}."
        if mark is None:
            raise RoadmapFileError(path, problem) from None
        raise RoadmapFileError(path, problem, mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise RoadmapFileError(path, f"invalid YAML: {exc}.") from None
    finally:
        builder.dispose()
    return Document(path, data, builder.positions, builder.key_positions)


class _Builder:
    def __init__(self, text: str, path: Path) -> None:
        self._parser = _Parser(text)
        self._path = path
        # Marks, not (line, column) pairs: the parser made them already, and most are never
        # asked for (only an error needs a position).
        self.positions: dict[Loc, Any] = {}
        self.key_positions: dict[Loc, Any] = {}

    def dispose(self) -> None:
        self._parser.dispose()

    def build(self) -> Any:
        self._expect(events.StreamStartEvent)
        if self._parser.check_event(events.StreamEndEvent):
            raise self._error(self._parser.peek_event(), "the file is empty")
        self._expect(events.DocumentStartEvent)
        data = self._value((), 0)
        self._expect(events.DocumentEndEvent)
        if not self._parser.check_event(events.StreamEndEvent):
            raise self._error(
                self._parser.peek_event(), "the file holds more than one YAML document (---)"
            )
        if data is None:
            raise self._error(self._parser.peek_event(), "the file holds no roadmap data")
        return data

    def _expect(self, kind: type[events.Event]) -> events.Event:
        event = self._parser.get_event()
        if not isinstance(event, kind):  # pragma: no cover - the parser guarantees the order
            raise self._error(event, "unexpected YAML structure")
        return event

    def _error(self, event: events.Event, problem: str) -> RoadmapFileError:
        line, column = _line_column(event.start_mark)
        return RoadmapFileError(self._path, f"{problem}.", line, column)

    def _value(self, loc: Loc, depth: int) -> Any:
        event = self._parser.get_event()
        kind = type(event)
        if kind is events.AliasEvent:
            raise self._error(event, "YAML aliases (*name) are not supported in roadmap files")
        if getattr(event, "anchor", None) is not None:
            raise self._error(event, "YAML anchors (&name) are not supported in roadmap files")
        self.positions[loc] = event.start_mark
        if kind is events.ScalarEvent:
            return self._scalar(event)
        if depth >= MAX_DEPTH:
            raise self._error(
                event, f"nesting is deeper than {MAX_DEPTH} levels, more than a roadmap needs"
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise self._error(event, f"YAML tags such as {tag!r} are not supported")
        if kind is events.SequenceStartEvent:
            items: list[Any] = []
            check_event = self._parser.check_event
            while not check_event(events.SequenceEndEvent):
                items.append(self._value((*loc, len(items)), depth + 1))
            self._parser.get_event()
            return items
        if kind is events.MappingStartEvent:
            return self._mapping(loc, depth)
        raise self._error(event, "unexpected YAML structure")  # pragma: no cover

    def _mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        check_event, peek_event = self._parser.check_event, self._parser.peek_event
        key_loc = (*loc, "<key>")
        while not check_event(events.MappingEndEvent):
            key_event = peek_event()
            if type(key_event) is not events.ScalarEvent:
                raise self._error(key_event, "mapping keys must be plain text")
            key = self._value(key_loc, depth + 1)
            if not isinstance(key, str):
                key = key_event.value
            mark = key_event.start_mark
            if key in key_lines:
                raise self._error(
                    key_event, f"duplicate key {key!r} (first given on line {key_lines[key]})"
                )
            key_lines[key] = _line_column(mark)[0]
            value_loc = (*loc, key)
            self.key_positions[value_loc] = mark
            mapping[key] = self._value(value_loc, depth + 1)
        self._parser.get_event()
        self.positions.pop(key_loc, None)
        return mapping

    def _scalar(self, event: events.ScalarEvent) -> Any:
        tag = event.tag
        if tag is not None and tag not in ("!", _STR_TAG):
            raise self._error(event, f"YAML tags such as {tag!r} are not supported")
        value: str = event.value
        if event.style or tag is not None:
            return value  # quoted, block or explicitly a string (plain style is None or "")
        if value in _NULLS:
            return None
        if value in _TRUES:
            return True
        if value in _FALSES:
            return False
        if value[0] not in _NUMBER_START:  # text, as most values are: no pattern can match
            return value
        if _INT.fullmatch(value) and len(value) <= 30:
            return YamlInt(value)
        if _FLOAT.fullmatch(value) or _INF.fullmatch(value) or _NAN.fullmatch(value):
            return YamlFloat(value)
        return value


def _line_column(mark: Any) -> tuple[int, int]:
    """The 1-based (line, column) of a PyYAML mark; the top of the file when there is none."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
