"""Read and write roadmap YAML: the one module that does either.

Reading is safe, and remembers the line and column of every value.

PyYAML parses (with its C parser when available); we build the values ourselves from its
events so that we can refuse what a roadmap never needs and a hostile file might use:
anchors and aliases (alias bombs), tags (`!!python/object`), duplicate keys (PyYAML keeps the
last one silently), deep nesting, huge files, and more values, or longer lists, than any roadmap
needs (each value costs time and memory, so a 5 MiB file must not hold millions of them).
Plain scalars follow YAML 1.2's core schema, so `no` stays the string "no", `1:30` stays
"1:30" and `012` stays "012" instead of becoming False, 90 and 10 as YAML 1.1 would have it.

Writing (`dump`) turns plain data into a readable document that reads back the same, with a
few rules instead of PyYAML's emitter; `dump_counted` also counts what the reader's caps count.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import re
from collections.abc import Iterator, Mapping, Sequence
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
    """Build the data of a YAML document from its events, within the limits of roadmap files.

    With `positions`, the mark of every value and key is kept for the Document; without, only
    the data is built (a fifth faster), for a file that is read again if it is wrong.
    """

    def __init__(self, text: str, path: Path, *, positions: bool = True) -> None:
        self._parser = _Parser(text)
        self._positions = positions
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
        add, add_mark, positions = items.append, marks.append, self._positions
        while True:
            event = get()
            kind = type(event)
            if kind is events.SequenceEndEvent:
                break
            if len(items) >= MAX_ITEMS:
                raise self._too_many(event, "items in one list")
            if positions:
                add_mark(event.start_mark)
            if kind is events.ScalarEvent:  # most items: no call through _value
                count(event)
                add(scalar(event))
            else:
                add(value(event, depth + 1))
        if positions:
            self.marks[id(items)] = marks
        return items

    def _mapping(self, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        marks: dict[str, Any] = {}
        key_marks: dict[str, Any] = {}
        get, value, scalar, count = self._get, self._value, self._scalar, self._count
        positions = self._positions
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
            if key in mapping:
                first = _line_column(key_marks.get(key))[0]
                raise self._error(key_event, f"duplicate key {key!r} (first given on line {first})")
            event = get()
            if positions:
                key_marks[key] = key_event.start_mark
                marks[key] = event.start_mark
            if type(event) is events.ScalarEvent:
                count(event)
                mapping[key] = scalar(event)
            else:
                mapping[key] = value(event, depth + 1)
        if positions:
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


def parse_bytes_plain(raw: bytes, path: Path) -> Document | None:
    """Parse a roadmap file as `parse_bytes` does, keeping no positions; None on any problem.

    Positions are needed only to say where a file is wrong, and keeping them costs a fifth of
    the reading: a file that is probably valid (its cache entry is out of date) is read this
    way first. The same limits apply (they end the reading here with None); whoever gets None,
    or finds a problem in the data, reads the file again with `parse_bytes` to say where.
    """
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    builder = _Builder(text, path, positions=False)
    try:
        with paused_gc():
            data = builder.build()
    except (yaml.YAMLError, RoadmapFileError):
        return None
    finally:
        builder.dispose()
    return Document(path, data)


# Writing YAML: the data is plain (mappings, lists, text, numbers, booleans), so a few rules
# give the same readable file as PyYAML's emitter did, at a tenth of its cost: block mappings
# and lists (list items indented under their key), hour ranges on one line, multi-line text as
# literal blocks, and text plain where YAML reads it back as the same text, quoted otherwise.
# The importer reads what it writes back with `parse_yaml` before writing it anywhere.

_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1's implicit types: yes, on, 1_000, 2020-01-01


class _Patterns:
    """The writer's patterns, each compiled when first used: the test for printable characters
    (a class of nearly all of Unicode) takes tens of milliseconds to compile, which a command
    that only reads roadmap files should not pay."""

    @functools.cached_property
    def not_printable(self) -> re.Pattern[str]:
        """Characters YAML does not allow in a file as they are (PyYAML's test for printable)."""
        return re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

    @functools.cached_property
    def breaks(self) -> re.Pattern[str]:
        return re.compile("[\t\r\x85\u2028\u2029\ufeff]")

    @functools.cached_property
    def plain_bad(self) -> re.Pattern[str]:
        """What keeps text from being written plain: an indicator first, ": " or " #", a space
        or a colon last, a line break or tab, or a character that is not printable."""
        return re.compile(
            r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: |\s#|[:\s]$|[\n\t\r\x85\u2028\u2029\ufeff]|"
            + self.not_printable.pattern
        )

    @functools.cached_property
    def looks_typed(self) -> re.Pattern[str]:
        """What may read as a number (or a time, in YAML 1.1): 12, -1.5, .inf, 0x1F, 1e3, 1:30."""
        return re.compile(r"[-+.0-9][-+.0-9a-zA-Z_:]*")

    @functools.cached_property
    def needs_escape(self) -> re.Pattern[str]:
        return re.compile(
            '[\\\\"\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ud800-\\udfff\\ufffe\\uffff]'
        )


_RE = _Patterns()
_LOADER_WORDS = {"~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_FLOW_KEYS = ("hours", "stated_hours")


@dataclass(frozen=True)
class Dumped:
    """A YAML document and what the loader counts in it: values, longest list, deepest."""

    text: str
    values: int
    most_items: int
    depth: int


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.values = 0  # as the loader counts them: every scalar (keys too) and collection
        self.most_items = 0
        self.depth = 0  # of the deepest list or mapping, the top one being 0

    def collection(self, size: int, depth: int) -> None:
        self.values += 1
        self.most_items = max(self.most_items, size)
        self.depth = max(self.depth, depth)

    def mapping(self, mapping: Mapping[str, Any], indent: int, lead: str, depth: int) -> None:
        """Write a non-empty block mapping; its first line starts with `lead`."""
        self.collection(len(mapping), depth)
        pad = " " * indent
        for key, value in mapping.items():
            self.values += 1
            self.value(f"{lead}{_text_scalar(str(key))}:", key, value, indent, depth)
            lead = pad

    def sequence(self, items: Sequence[Any], indent: int, depth: int) -> None:
        """Write a non-empty block list, its items at `indent`."""
        self.collection(len(items), depth)
        pad = " " * indent
        for item in items:
            if isinstance(item, Mapping) and item:
                self.mapping(item, indent + 2, pad + "- ", depth + 1)
            else:
                self.value(pad + "-", "", item, indent, depth)

    def value(self, head: str, key: str, value: Any, indent: int, depth: int) -> None:
        """Write `value` after `head` ("key:" or "-"), anything under it indented more."""
        if isinstance(value, Mapping) and value and key in _FLOW_KEYS:
            self.collection(len(value), depth + 1)
            self.values += 2 * len(value)
            inner = ", ".join(f"{_scalar(str(k))}: {_scalar(v)}" for k, v in value.items())
            self.lines.append(f"{head} {{{inner}}}")
        elif isinstance(value, Mapping) and value:
            self.lines.append(head)
            self.mapping(value, indent + 2, " " * (indent + 2), depth + 1)
        elif isinstance(value, list | tuple) and value:
            self.lines.append(head)
            self.sequence(value, indent + 2, depth + 1)
        elif isinstance(value, Mapping | list | tuple):
            self.collection(0, depth + 1)
            self.lines.append(f"{head} {{}}" if isinstance(value, Mapping) else f"{head} []")
        elif isinstance(value, str) and _literal_ok(value):
            self.values += 1
            self.lines.append(f"{head} |-")
            pad = " " * (indent + 2)
            self.lines.extend(pad + line if line else "" for line in value.split("\n"))
        else:
            self.values += 1
            self.lines.append(f"{head} {_scalar(value)}")


def dump(data: Mapping[str, Any]) -> str:
    """Write plain data (mappings, lists, text, numbers, booleans) as a readable YAML document.

    Text is written plain where YAML reads it back as the same text, quoted otherwise;
    multi-line text as literal blocks; `hours` and `stated_hours` mappings on one line.
    """
    return dump_counted(data).text


def dump_counted(data: Mapping[str, Any]) -> Dumped:
    """Write data as `dump` does, counting what the loader counts (for its caps) on the way."""
    writer = _Writer()
    if data:
        writer.mapping(data, 0, "", 0)
    else:
        writer.collection(0, 0)
        writer.lines.append("{}")
    writer.lines.append("")
    return Dumped("\n".join(writer.lines), writer.values, writer.most_items, writer.depth)


def _scalar(value: object) -> str:
    """Write a number, a boolean or one-line text as a YAML scalar that reads back the same."""
    if isinstance(value, str):
        return _text_scalar(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if not math.isfinite(value):
            return {"inf": ".inf", "-inf": "-.inf"}.get(text, ".nan")
        # As PyYAML writes it: "1.0e-05", which YAML 1.1 readers take for a number too.
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    return _text_scalar(str(value))


@functools.lru_cache(maxsize=4096)
def _text_scalar(text: str) -> str:
    """Write text as a YAML scalar: plain, single-quoted, or double-quoted with escapes.

    Remembered: kinds, bases and keys come back thousands of times in a large import.
    """
    if _plain_ok(text):
        return text
    if _RE.not_printable.search(text) or _RE.breaks.search(text) or "\n" in text:
        return _double_quoted(text)
    return "'" + text.replace("'", "''") + "'"


def _plain_ok(text: str) -> bool:
    return (
        bool(text)
        and _RE.plain_bad.search(text) is None
        and text not in _LOADER_WORDS
        and (text[0] not in _NUMBER_START or _RE.looks_typed.fullmatch(text) is None)
        and _yaml11_text(text)
    )


def _yaml11_text(text: str) -> bool:
    """Whether a YAML 1.1 reader (PyYAML's default) takes `text`, unquoted, for text."""
    resolve: Any = _RESOLVER.resolve
    return bool(resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG)


def _literal_ok(text: str) -> bool:
    """Whether multi-line text can be a literal block (|-) that keeps it exactly."""
    return (
        "\n" in text
        and not text[0].isspace()
        and not text[-1].isspace()
        and " \n" not in text
        and _RE.not_printable.search(text) is None
        and _RE.breaks.search(text) is None
    )


def _double_quoted(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _ESCAPES:
            return _ESCAPES[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    escaped = _RE.needs_escape.sub(escape, text)
    # Other characters YAML does not allow as they are (U+FFFE and the like).
    escaped = _RE.not_printable.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'
