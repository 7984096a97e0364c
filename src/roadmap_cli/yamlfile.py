"""Read roadmap YAML safely, remembering the line and column of every value.

PyYAML parses (with its C parser when available); we build the values ourselves from its
events so that we can refuse what a roadmap never needs and a hostile file might use:
anchors and aliases (alias bombs), tags (`!!python/object`), duplicate keys (PyYAML keeps the
last one silently), deep nesting, huge files, and more values, or longer lists, than any roadmap
needs (each value costs time and memory, so a 5 MiB file must not hold millions of them).
Plain scalars follow YAML 1.2's core schema, so `no` stays the string "no", `1:30` stays
"1:30" and `012` stays "012" instead of becoming False, 90 and 10 as YAML 1.1 would have it.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
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
# Values (keys included) in one file. A resource takes 8 to 25: the benchmark's largest file,
# 10,000 resources, holds 159,000. More than 250,000 (a 5 MiB list of 1s holds 2.6 million) is
# refused as it is read, so that no file costs more than a second or two to read and check.
MAX_VALUES = 250_000
# Items in one list or keys in one mapping: twice the resources of the benchmark's largest file.
# A roadmap needs far fewer, and Pydantic, which reports each bad item, never sees more.
MAX_ITEMS = 20_000

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
    # Where each value starts, as PyYAML's marks (0-based line and column), kept beside the
    # data: for each list or mapping (by its id()), the marks of its items or values, and of
    # its keys. No tuple of keys is built per value: most positions are never asked for.
    root_mark: Any = None
    marks: dict[int, Any] = field(default_factory=dict)
    key_marks: dict[int, dict[Any, Any]] = field(default_factory=dict)

    def position(self, loc: Sequence[str | int], *, at_key: bool = False) -> tuple[int, int]:
        """Return the (line, column), 1-based, of the value at `loc` or its nearest parent.

        With `at_key`, the position of the key that introduces the value, where there is one.
        """
        node, mark = self.data, self.root_mark
        for index, part in enumerate(loc):
            children = self.marks.get(id(node)) if isinstance(node, list | dict) else None
            if children is None or isinstance(part, bool):
                break
            try:
                child_mark, child = children[part], node[part]
            except (KeyError, IndexError, TypeError):
                break
            if at_key and index == len(loc) - 1 and isinstance(node, dict):
                return _line_column(self.key_marks[id(node)][part])
            node, mark = child, child_mark
        return _line_column(mark)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a roadmap file is read and checked.

    Reading makes a great many objects and none of them is garbage: each collection on the way
    is a pass over every object made so far, so a large file reads and validates in about half
    the time without them.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


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
        with paused_gc():
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
    return Document(path, data, builder.root_mark, builder.marks, builder.key_marks)


class _Builder:
    def __init__(self, text: str, path: Path) -> None:
        self._parser = _Parser(text)
        self._get = self._parser.get_event
        self._path = path
        self._left = MAX_VALUES  # values (keys included) still allowed
        # Marks, not (line, column) pairs: the parser made them already, and most are never
        # asked for (only an error needs a position).
        self.root_mark: Any = None
        self.marks: dict[int, Any] = {}
        self.key_marks: dict[int, dict[str, Any]] = {}

    def dispose(self) -> None:
        self._parser.dispose()

    def build(self) -> Any:
        self._expect(events.StreamStartEvent)
        if self._parser.check_event(events.StreamEndEvent):
            raise self._error(self._parser.peek_event(), "the file is empty")
        self._expect(events.DocumentStartEvent)
        event = self._get()
        self.root_mark = event.start_mark
        data = self._value(event, 0)
        self._expect(events.DocumentEndEvent)
        if not self._parser.check_event(events.StreamEndEvent):
            raise self._error(
                self._parser.peek_event(), "the file holds more than one YAML document (---)"
            )
        if data is None:
            raise self._error(self._parser.peek_event(), "the file holds no roadmap data")
        return data

    def _expect(self, kind: type[events.Event]) -> events.Event:
        event = self._get()
        if not isinstance(event, kind):  # pragma: no cover - the parser guarantees the order
            raise self._error(event, "unexpected YAML structure")
        return event

    def _error(self, event: events.Event, problem: str) -> RoadmapFileError:
        line, column = _line_column(event.start_mark)
        return RoadmapFileError(self._path, f"{problem}.", line, column)

    def _too_many(self, event: events.Event, what: str) -> RoadmapFileError:
        return self._error(
            event,
            f"more than {MAX_ITEMS:,} {what}, far more than any roadmap file needs; "
            "refusing to read further",
        )

    def _count(self, event: events.Event) -> None:
        """Refuse an alias or anchor, and a file with more values than any roadmap needs."""
        if type(event) is events.AliasEvent:
            raise self._error(event, "YAML aliases (*name) are not supported in roadmap files")
        if event.anchor is not None:  # type: ignore[attr-defined]
            raise self._error(event, "YAML anchors (&name) are not supported in roadmap files")
        self._left -= 1
        if self._left < 0:
            raise self._error(
                event,
                f"the file holds more than {MAX_VALUES:,} values, far more than any roadmap "
                "file needs; refusing to read further",
            )

    def _value(self, event: events.Event, depth: int) -> Any:
        """Build the value that `event` starts (already taken from the parser)."""
        self._count(event)
        kind = type(event)
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
            return self._sequence(depth)
        if kind is events.MappingStartEvent:
            return self._mapping(depth)
        raise self._error(event, "unexpected YAML structure")  # pragma: no cover

    def _sequence(self, depth: int) -> list[Any]:
        items: list[Any] = []
        marks: list[Any] = []
        get, value, scalar, count = self._get, self._value, self._scalar, self._count
        add, add_mark = items.append, marks.append
        while True:
            event = get()
            kind = type(event)
            if kind is events.SequenceEndEvent:
                break
            if len(items) >= MAX_ITEMS:
                raise self._too_many(event, "items in one list")
            add_mark(event.start_mark)
            if kind is events.ScalarEvent:  # most items: no call through _value
                count(event)
                add(scalar(event))
            else:
                add(value(event, depth + 1))
        self.marks[id(items)] = marks
        return items

    def _mapping(self, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        marks: dict[str, Any] = {}
        key_marks: dict[str, Any] = {}
        get, value, scalar, count = self._get, self._value, self._scalar, self._count
        while True:
            key_event = get()
            if type(key_event) is events.MappingEndEvent:
                break
            if type(key_event) is not events.ScalarEvent:
                if type(key_event) is events.AliasEvent:
                    count(key_event)
                raise self._error(key_event, "mapping keys must be plain text")
            count(key_event)
            if len(mapping) >= MAX_ITEMS:
                raise self._too_many(key_event, "keys in one mapping")
            key = scalar(key_event)
            if not isinstance(key, str):
                key = key_event.value
            if key in key_marks:
                first = _line_column(key_marks[key])[0]
                raise self._error(key_event, f"duplicate key {key!r} (first given on line {first})")
            key_marks[key] = key_event.start_mark
            event = get()
            marks[key] = event.start_mark
            if type(event) is events.ScalarEvent:
                count(event)
                mapping[key] = scalar(event)
            else:
                mapping[key] = value(event, depth + 1)
        self.marks[id(mapping)] = marks
        self.key_marks[id(mapping)] = key_marks
        return mapping

    def _scalar(self, event: Any) -> Any:
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
