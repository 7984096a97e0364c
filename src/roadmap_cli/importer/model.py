"""What an import finds and makes: problems, results, and the parts of roadmaps on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from roadmap_cli import yamlfile
from roadmap_cli.errors import InputError
from roadmap_cli.safetext import escape_unsafe

if TYPE_CHECKING:
    from roadmap_cli.importer.markdown import _Node

# The fewest values (as the loader counts them) a resource takes in a roadmap file: its
# mapping, and id, title, kind, url, hours and basis with their values. Past MAX_VALUES // 13
# resources no roadmap file could hold them, so import stops there.
VALUES_PER_RESOURCE = 13
# The most links (resources) one import makes: each costs some 130 µs from the Markdown to the
# roadmap file checked; 5,000 of them in a list of steps take 1.7 s in all.
MAX_IMPORTED_LINKS = 5_000


class Problem(NamedTuple):
    """Something in the Markdown that the importer could not place, and its 1-based line."""

    line: int
    message: str


@dataclass(frozen=True)
class Counts:
    """What an import found: roadmaps, steps and resources, and where each estimate came from."""

    roadmaps: int = 0
    steps: int = 0
    resources: int = 0
    from_text: int = 0  # a figure the source gives for the resource (or its one-resource step)
    apportioned: int = 0  # a share of a stated total
    missing: int = 0  # no figure and no total to share: no estimate
    lines_not_placed: int = 0  # lines with something the import could not place


@dataclass(frozen=True)
class ImportResult:
    """Roadmap-file data ready for `yamlfile.dump`, what could not be placed, and ticked items.

    `progress` maps the REF of each resource ticked in the source (`- [x]`) to "done";
    `skipped` names the sections left out as not part of the path (Contributing, License...);
    `counts` says how many roadmaps, steps and resources were found, and how each estimate was
    made.
    """

    data: dict[str, Any]
    problems: list[Problem]
    progress: dict[str, str]
    skipped: list[str] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class _Phrase:
    """An hour phrase found in text: its range, an open end ("100+"), and where it stands."""

    low: float
    high: float
    plus: bool
    start: int
    end: int
    rate: str = ""  # how days or weeks became hours: "a day counted as 4 h"


@dataclass(frozen=True)
class _Piece:
    """A run of inline text: plain text, a link (or bare URL), or bold or italic text.

    Text with a `url` was a link that cannot be a resource (an #anchor, mailto:, a badge).
    """

    kind: Literal["text", "link", "strong", "em"]
    text: str
    url: str = ""
    bare: bool = False


@dataclass
class _Estimate:
    low: float
    high: float
    basis: str
    apportioned: bool = False  # a share of a stated total, not a figure of its own


@dataclass
class _Resource:
    title: str
    url: str
    line: int
    placeholder: bool = False
    description: str | None = None
    estimate: _Estimate | None = None
    done: bool = False
    kind: str | None = None  # as the text says ("Book:", a Type column); else guessed


@dataclass
class _Step:
    title: str
    line: int
    description: str | None = None
    resources: list[_Resource] = field(default_factory=list)
    hours: _Phrase | None = None
    hours_text: str = ""


@dataclass
class _Roadmap:
    title: str
    line: int
    stated: _Phrase | None
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    steps: list[_Step] = field(default_factory=list)
    resources: list[_Resource] = field(default_factory=list)


@dataclass
class _Section:
    """A heading, the blocks right under it, and the deeper headings that follow it."""

    level: int
    title: str
    line: int
    blocks: list[_Node] = field(default_factory=list)
    children: list[_Section] = field(default_factory=list)


@dataclass
class _Context:
    source: str
    problems: list[Problem] = field(default_factory=list)
    overview: list[str] = field(default_factory=list)
    roadmaps: list[_Roadmap] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    resources: int = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def count_resource(self, line: int) -> None:
        """Count a resource made (at `line`); refuse at once past MAX_IMPORTED_LINKS, or when no
        roadmap file could hold them all."""
        self.resources += 1
        if self.resources > MAX_IMPORTED_LINKS:
            raise InputError(
                f"{escape_unsafe(self.source)}:{line}: it holds more than "
                f"{MAX_IMPORTED_LINKS:,} links to import, more than import takes on in one file "
                "(the largest awesome lists hold some 3,000); nothing was written. Split the "
                "Markdown into smaller files and import each."
            )
        most = yamlfile.MAX_VALUES // VALUES_PER_RESOURCE
        if self.resources > most:
            raise InputError(
                f"{escape_unsafe(self.source)}: it holds more than {most:,} links to import, and "
                f"a roadmap file may hold at most {yamlfile.MAX_VALUES:,} values (each resource "
                f"takes at least {VALUES_PER_RESOURCE}), so roadmap could not load what it "
                "would make; nothing was written. Split the Markdown into smaller files and "
                "import each."
            )
