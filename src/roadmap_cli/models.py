"""The schemas: roadmap files and the progress file, validated by Pydantic.

Text that comes from a file is data: validation refuses control characters, escape sequences
and bidirectional overrides, so nothing a roadmap says can change how a terminal behaves, and
invisible characters in titles, ids and URLs, so that no two of them look alike but differ.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from roadmap_cli import records
from roadmap_cli.entries import (
    HISTORY_LIMIT,
    MAX_LOG_HOURS,
    Action,
    Status,
)
from roadmap_cli.safetext import unsafe_chars, unsafe_codes

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SPACE = re.compile(r"\s")  # what str.isspace() calls a space, Unicode spaces included


def _numbers_as_text(value: Any) -> Any:
    # `title: 3.10` is a title, not a number: keep it as written.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return getattr(value, "source", str(value))
    return value


def _text_checker(*, allow_newlines: bool) -> Any:
    def check(value: str) -> str:
        codes = unsafe_codes(value, allow_newlines=allow_newlines)
        if codes:
            kind = (
                "control or bidirectional characters"
                if allow_newlines
                else ("line breaks, control, bidirectional or invisible characters")
            )
            raise ValueError(f"must not contain {kind} (found {codes})")
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    return check


def _check_slug(value: str) -> str:
    codes = unsafe_codes(value, allow_newlines=False)
    if codes:
        # A zero-width space makes "rust\u200b" look like "rust": name what is hidden.
        raise ValueError(
            "must not contain invisible, control or bidirectional characters "
            f"(found {codes}); an id is lowercase letters a-z, digits and single hyphens"
        )
    if not _SLUG.fullmatch(value) or len(value) > 64:
        raise ValueError(
            "must be a lowercase id of letters a-z, digits and single hyphens, "
            "at most 64 characters, e.g. 'deep-learning'"
        )
    return value


def _check_url(value: str) -> str:
    if records.plain_url(value) is not None and len(value) <= 2000:
        return value  # a plain http(s) link, as nearly all are: no check of the URL can fail
    return _check_url_fully(value)


def _check_url_fully(value: str) -> str:
    if unsafe_chars(value, allow_newlines=False) or _SPACE.search(value):
        codes = unsafe_codes(value, allow_newlines=False)
        found = f" (found {codes})" if codes else ""
        raise ValueError(f"must be a URL without spaces, invisible or control characters{found}")
    if len(value) > 2000:
        raise ValueError("must be at most 2000 characters long")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    if not parts.hostname:
        raise ValueError("must name a host, e.g. https://example.org/course")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not contain a user name or password")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise ValueError("must have a valid port number (0-65535)") from None
    return value


# What editors are told (roadmap schema): the YAML a user may write, numbers included.
_TEXT_SCHEMA = WithJsonSchema({"type": ["string", "number"]})
_SLUG_SCHEMA = WithJsonSchema(
    {
        "anyOf": [
            {"type": "string", "pattern": f"^{_SLUG.pattern}$", "maxLength": 64},
            {"type": "integer", "minimum": 0},
        ]
    }
)
Line = Annotated[
    str,
    BeforeValidator(_numbers_as_text),
    AfterValidator(_text_checker(allow_newlines=False)),
    _TEXT_SCHEMA,
]
Prose = Annotated[
    str,
    BeforeValidator(_numbers_as_text),
    AfterValidator(_text_checker(allow_newlines=True)),
    _TEXT_SCHEMA,
]
Slug = Annotated[str, BeforeValidator(_numbers_as_text), AfterValidator(_check_slug), _SLUG_SCHEMA]
Url = Annotated[str, AfterValidator(_check_url)]
HourValue = Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]


class _Model(BaseModel):
    # defer_build: a validator is built the first time it is needed, so a run that validates
    # nothing (roadmaps from the cache, no progress yet) builds none.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Hours(_Model):
    """An hour estimate as a range; a single number means low = high."""

    low: HourValue
    high: HourValue

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"low": value, "high": value}
        if not isinstance(value, dict):
            raise ValueError("must be a number of hours, or a range such as {low: 2, high: 3}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Hours:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not be greater than high ({self.high:g})")
        return self


class StatedHours(Hours):
    """A roadmap's total as its author states it; `plus` marks an open end ("100+ hours")."""

    plus: bool = False


ResourceKind = Literal[
    "course",
    "video",
    "post",
    "article",
    "book",
    "tutorial",
    "workshop",
    "podcast",
    "docs",
    "exercises",
    "project",
    "other",
]


_HOUR_SCHEMA: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 100_000}
# Hours is written either as one number or as {low, high}; say both to editors.
HoursField = Annotated[
    Hours,
    WithJsonSchema(
        {
            "description": "An estimate in hours: one number, or a range {low, high}.",
            "anyOf": [
                _HOUR_SCHEMA,
                {
                    "type": "object",
                    "properties": {"low": _HOUR_SCHEMA, "high": _HOUR_SCHEMA},
                    "required": ["low", "high"],
                    "additionalProperties": False,
                },
            ],
        }
    ),
]


class Resource(_Model):
    id: Slug
    title: Line
    kind: ResourceKind = "other"
    url: Url
    placeholder: bool = Field(
        default=False, description="The URL is a stand-in: shown as 'link pending'."
    )
    hours: HoursField | None = Field(
        default=None, description="The estimate; none when the source gives none."
    )
    basis: Line | None = Field(default=None, description="Where the hour estimate comes from.")
    description: Prose | None = None
    optional: bool = Field(
        default=False, description="Not counted in percent or hours left unless started."
    )
    shared: bool = Field(
        default=False,
        description="The same resource in every roadmap that has this id and shared: true.",
    )
    formerly: list[Slug] = Field(
        default_factory=list, description="Earlier ids of this resource: its progress follows."
    )

    @property
    def link_pending(self) -> bool:
        """Whether the link is a placeholder rather than a working address."""
        return records.link_pending(self.url, self.placeholder)


class Step(_Model):
    title: Line
    description: Prose | None = None
    resources: list[Resource] = Field(default_factory=list)


class Roadmap(_Model):
    """An ordered path: either `steps`, each with resources, or a flat list of `resources`."""

    id: Slug
    title: Line
    summary: Prose | None = None
    note: Prose | None = None
    stated_hours: Annotated[
        StatedHours | None,
        WithJsonSchema(
            {
                "description": "The total as the author states it: hours, or {low, high, plus}.",
                "anyOf": [
                    _HOUR_SCHEMA,
                    {
                        "type": "object",
                        "properties": {
                            "low": _HOUR_SCHEMA,
                            "high": _HOUR_SCHEMA,
                            "plus": {"type": "boolean"},
                        },
                        "required": ["low", "high"],
                        "additionalProperties": False,
                    },
                    {"type": "null"},
                ],
            }
        ),
    ] = None
    formerly: list[Slug] = Field(
        default_factory=list, description="Earlier ids of this roadmap: its progress follows."
    )
    steps: list[Step] | None = Field(default=None, min_length=1)
    resources: list[Resource] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _steps_or_resources(self) -> Roadmap:
        if (self.steps is None) == (self.resources is None):
            raise ValueError("give either 'steps' or 'resources', not both and not neither")
        if self.steps is not None and not any(step.resources for step in self.steps):
            # Matches `resources` needing one: a roadmap with nothing to learn is a mistake.
            raise ValueError("its steps list no resources; add at least one")
        return self


class Guide(_Model):
    title: Line
    overview: Prose | None = None


class RoadmapFile(_Model):
    """The top level of a roadmap file."""

    version: Literal[1] = 1
    guide: Guide | None = None
    roadmaps: list[Roadmap] = Field(min_length=1)


# Caps on progress that comes from elsewhere (`merge FILE`, a sync snapshot), and on what a
# merge may make of an entry: far beyond any learner's records, far below a denial of service.
MAX_LOGS_PER_ENTRY = 10_000
MAX_NOTES_PER_ENTRY = 10_000
MAX_ENTRIES = 100_000


def ref_problem(ref: str) -> str | None:
    """Why `ref` cannot be a REF ("roadmap/resource", both lowercase ids), or None if it can."""
    roadmap, slash, resource = ref.partition("/")
    for part in (roadmap, resource):
        if not _SLUG.fullmatch(part) or len(part) > 64:
            break
    else:
        if slash:
            return None
    return (
        "a REF must be 'roadmap/resource', two lowercase ids of letters a-z, digits and single "
        "hyphens, at most 64 characters each"
    )


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone, e.g. 2026-01-31T12:00:00Z")
    return value


Timestamp = Annotated[datetime, AfterValidator(_aware)]


class LogEntry(_Model):
    """Time spent on a resource on one day."""

    day: date
    hours: Annotated[float, Field(gt=0, le=MAX_LOG_HOURS, allow_inf_nan=False)]
    logged: Timestamp


MAX_NOTE_CHARS = 10_000
_check_prose = _text_checker(allow_newlines=True)


def check_note(text: str) -> str:
    """Return a note's text as it is kept (stripped), or raise ValueError saying what is wrong.

    The one set of rules for a note, whether typed (`roadmap note`) or read from a file.
    """
    text = _check_prose(text.strip())  # surrounding blanks (a tab, a newline) are not kept
    if len(text) > MAX_NOTE_CHARS:
        raise ValueError(f"must be at most {MAX_NOTE_CHARS:,} characters long")
    return text


class Note(_Model):
    text: Annotated[str, AfterValidator(check_note)]
    added: Timestamp


class Entry(_Model):
    """What is recorded for one REF: status, when it last changed, time logged and notes."""

    status: Status
    changed: Timestamp
    log: list[LogEntry] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class Change(_Model):
    """One change that `roadmap undo` can revert: each touched entry as it was before."""

    at: Timestamp
    action: Action
    refs: list[str]
    before: dict[str, Entry | None]


class ProgressFile(_Model):
    """The progress file: `version`, one entry per REF ("roadmap/resource"), undo history.

    What it accepts becomes the records of entries.py, which the program uses.
    """

    version: int = Field(ge=1)
    entries: dict[str, Entry] = Field(default_factory=dict)
    history: list[Change] = Field(default_factory=list, max_length=HISTORY_LIMIT)
