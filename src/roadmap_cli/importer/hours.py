"""Hours: the hour phrases of text ("80–100+ hours", "45 min", "~6 weeks at 10 h/week",
"3 days"), totals stated in prose, and the estimates of a roadmap's resources, with what a
stated total leaves shared among the resources that state none, so that the estimates add up
to the total. Without a stated total, a resource without a figure gets no estimate."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from roadmap_cli.errors import InputError
from roadmap_cli.importer.inline import _SEPARATORS, _clip, _line_text, _quote
from roadmap_cli.importer.model import _Context, _Estimate, _Phrase, _Resource, _Roadmap

MAX_HOURS = 100_000.0
# What "3 days" and "2 weeks" count as when the text gives no pace: a day of study, and a week
# of part-time study beside work. `roadmap import --hours-per-day/--hours-per-week` change them.
HOURS_PER_DAY = 4.0
HOURS_PER_WEEK = 10.0


@dataclass(frozen=True)
class Rates:
    """How many hours a day and a week of study count as."""

    per_day: float = HOURS_PER_DAY
    per_week: float = HOURS_PER_WEEK

    def __post_init__(self) -> None:
        for option, value, most in (
            ("--hours-per-day", self.per_day, 24),
            ("--hours-per-week", self.per_week, 7 * 24),
        ):
            if not (math.isfinite(value) and 0 < value <= most):
                raise InputError(
                    f"{option} must be a number of hours more than 0 and at most {most}; "
                    f"{value:g} is not. Nothing was written."
                )


_RATES: ContextVar[Rates | None] = ContextVar("rates", default=None)


@contextmanager
def reading_rates(chosen: Rates) -> Iterator[None]:
    """Read days and weeks at `chosen` rates within the block (one import)."""
    token = _RATES.set(chosen)
    try:
        yield
    finally:
        _RATES.reset(token)


_NUM = r"(\d+(?:\.\d+)?)"
_START = r"(?<![\w.])"
_TO = r"\s*(?:-|–|—|to)\s*"
_HOUR = r"(?:hours?|hrs?|h)"
_MINUTE = r"(?:minutes?|mins?|m)"
_WEEKS = re.compile(
    rf"{_START}{_NUM}(?:{_TO}{_NUM})?\s*weeks?\b[^\d\n]{{0,12}}?"
    rf"{_NUM}(?:{_TO}{_NUM})?\s*{_HOUR}\s*(?:/|per\b|a\b)\s*(?:week|wk)\b",
    re.IGNORECASE,
)
_HOURS_AND_MINUTES = re.compile(rf"{_START}{_NUM}\s*{_HOUR}\s*(\d+)\s*{_MINUTE}\b", re.IGNORECASE)
# "10 h/week" and "2 hours a day" are a pace, not an estimate: the lookahead leaves them alone.
_NOT_PACE = r"(?!\s*(?:/|per\b|an?\s+(?:day|week|month)\b|each\b|every\b))"
_SPAN = re.compile(
    rf"{_START}{_NUM}(?:{_TO}{_NUM})?\s*(\+)?(?:\s*-\s*|\s*)(hours?|hrs?|h|minutes?|mins?|m)\b"
    + _NOT_PACE,
    re.IGNORECASE,
)
# Days and weeks, read only where a duration is expected (a column of durations, an item, a
# total in prose): in a heading, "30 Days of Python" is a title.
_DAYS = re.compile(
    rf"{_START}{_NUM}(?:{_TO}{_NUM})?\s*(\+)?(?:\s*-\s*|\s*)(days?|weeks?|wks?)\b" + _NOT_PACE,
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(rf"\s*~?\s*{_NUM}(?:{_TO}{_NUM})?\s*(\+)?\s*")
_APPROX = re.compile(r"(?:~|≈|about|around|approx\.?|approximately|roughly|ca\.)\s*$", re.I)


def _find_hours(text: str, *, days: bool = False) -> _Phrase | None:
    """Find the first hour phrase in text: "2–3 hours", "45 min", "~6 weeks at 10 h/week".

    With `days`, "3 days" and "2 weeks" count too, at the rates of this import.
    """
    patterns = (_WEEKS, _HOURS_AND_MINUTES, _SPAN, *((_DAYS,) if days else ()))
    found = [m for m in (p.search(text) for p in patterns) if m]
    for match in sorted(found, key=lambda m: (m.start(), -m.end())):
        phrase = _phrase(match)
        if phrase is not None:
            return phrase
    return None


def _phrase(match: re.Match[str]) -> _Phrase | None:
    groups = match.groups()
    plus = False
    rate = ""
    if match.re is _WEEKS:
        weeks_low, weeks_high, rate_low, rate_high = (_number(g) for g in groups)
        low = weeks_low * rate_low
        high = (weeks_high or weeks_low) * (rate_high or rate_low)
    elif match.re is _HOURS_AND_MINUTES:
        low = high = _number(groups[0]) + _number(groups[1]) / 60
    else:
        low = _number(groups[0])
        high = _number(groups[1]) or low
        plus = groups[2] is not None
        unit = groups[3].lower()
        if unit.startswith("m"):
            low, high = low / 60, high / 60
        elif unit.startswith(("d", "w")):
            chosen = _RATES.get() or Rates()
            day = unit.startswith("d")
            factor = chosen.per_day if day else chosen.per_week
            low, high = low * factor, high * factor
            rate = f"a {'day' if day else 'week'} counted as {factor:g} h"
    low, high = sorted((round(low, 2), round(high, 2)))
    if not (math.isfinite(low) and math.isfinite(high)) or high > MAX_HOURS:
        return None
    return _Phrase(low, high, plus, match.start(), match.end(), rate)


def stated_basis(context: str, phrase: _Phrase) -> str:
    """The basis of an estimate read from text: “Stated in the source: “2 weeks” (…).”"""
    rate = f" ({phrase.rate})" if phrase.rate else ""
    return f"Stated in the source: “{_clip(context).rstrip('.')}”{rate}."


# What makes an hour phrase in running text a total: "Total time: about 60–80 hours",
# "Estimated effort: ~40h", "takes 3 weeks at 5 h/week", "≈ 12 hrs". A phrase about each part
# ("each video is about 10 minutes") is not one.
_TOTAL_CUE = re.compile(
    r"\b(?:total|overall|in all|altogether|all told|estimated|estimates?|effort|commitment"
    r"|takes?|taking|expect|budget|duration|time|length)\b",
    re.IGNORECASE,
)
_PART_CUE = re.compile(r"\b(?:each|every|per|a piece|apiece)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\d“\"(])|\n")


def prose_total(paragraphs: list[str]) -> tuple[_Phrase, str] | None:
    """Find the total a roadmap's or step's introduction states, and the sentence saying it."""
    for paragraph in paragraphs:
        for sentence in _SENTENCE_END.split(paragraph):
            phrase = _find_hours(sentence, days=True)
            if phrase is None:
                continue
            before = sentence[: phrase.start]
            rest = before + " " + sentence[phrase.end :]
            if _PART_CUE.search(rest):
                continue
            if _TOTAL_CUE.search(before) or _APPROX.search(before):
                return phrase, sentence.strip()
    return None


def _bare_hours(text: str) -> _Phrase | None:
    """Read a plain number ("12", "10-12") in a column of hours."""
    match = _BARE_NUMBER.fullmatch(text)
    if match is None:
        return None
    low = _number(match.group(1))
    high = _number(match.group(2)) or low
    if not math.isfinite(high) or high > MAX_HOURS or low > high:
        return None
    return _Phrase(low, high, match.group(3) is not None, 0, len(text))


def _number(text: str | None) -> float:
    return float(text) if text else 0.0


def _without_hours(text: str) -> tuple[str, _Phrase | None]:
    """Split a heading into its title and its hour phrase, if it has one."""
    phrase = _find_hours(text)
    if phrase is None:
        return text or "Untitled", None
    return _strip_phrase(text, phrase) or text, phrase


def _strip_phrase(text: str, phrase: _Phrase) -> str:
    """Remove an hour phrase that stands apart: "(2 h)", "Title – 2 h", "2 h"; keep others."""
    before, after = text[: phrase.start], text[phrase.end :]
    approx = _APPROX.search(before)
    if approx is not None:
        before = before[: approx.start()]
    head, tail = before.rstrip(), after.lstrip()
    if head.endswith("(") and tail.startswith(")"):
        return _line_text(f"{head[:-1]} {tail[1:]}")
    if not tail.strip(" .") and (not head or head[-1] in _SEPARATORS):
        return _line_text(head.rstrip(_SEPARATORS + " "))
    if not head and (not tail or tail[0] in _SEPARATORS):
        return _line_text(tail.lstrip(_SEPARATORS + " "))
    return text


def _estimate(ctx: _Context, roadmap: _Roadmap) -> None:
    """Give resources without an estimate a share of their step's or roadmap's stated hours.

    With no stated total, a resource the source gives no figure for gets no estimate.
    """
    for step in roadmap.steps:
        if step.hours is None or all(r.estimate for r in step.resources):
            continue
        context = _clip(step.hours_text).rstrip(".")
        unknown = sum(r.estimate is None for r in step.resources)
        rate = f"; {step.hours.rate}" if step.hours.rate else ""
        if unknown > 1:
            basis = f"Split evenly from the step’s stated hours (“{context}”{rate})."
        elif len(step.resources) > 1:
            basis = f"What the step’s stated hours (“{context}”{rate}) leave after the others."
        else:
            basis = stated_basis(step.hours_text, step.hours)
        shared = len(step.resources) > 1  # the step's hours, or a share of them
        if not _apportion(step.resources, step.hours, basis, apportioned=shared):
            ctx.problem(
                step.line, f"the estimates in {_quote(step.title)} do not fit its stated hours"
            )
    stated = roadmap.stated
    resources = roadmap.resources + [r for step in roadmap.steps for r in step.resources]
    if stated is None or all(r.estimate for r in resources):
        return
    basis = (
        f"Apportioned on import from the roadmap’s stated {_hours_text(stated)} hours; "
        "the source gives no figure for it."
    )
    if not _apportion(resources, stated, basis, apportioned=True):
        ctx.problem(
            roadmap.line,
            f"the estimates in {_quote(roadmap.title)} do not fit its stated "
            f"{_hours_text(stated)} hours; check the ones without a figure in the source",
        )


def _apportion(
    resources: list[_Resource], total: _Phrase, basis: str, *, apportioned: bool
) -> bool:
    """Share what `total` leaves after the known estimates among the resources without one.

    Return whether it fits; when the known estimates exceed the total, the others get 0.
    """
    unknown = [r for r in resources if r.estimate is None]
    known = [r.estimate for r in resources if r.estimate is not None]
    low = total.low - sum(e.low for e in known)
    high = total.high - sum(e.high for e in known)
    if unknown:
        for resource, (share_low, share_high) in zip(
            unknown, _shares(low, high, len(unknown)), strict=True
        ):
            resource.estimate = _Estimate(share_low, share_high, basis, apportioned)
    return 0 <= low <= high


def _shares(low: float, high: float, count: int) -> list[tuple[float, float]]:
    """Split low and high hours into `count` shares of whole cents that add up exactly.

    The rounding remainder goes to the last share; each share keeps low <= high.
    """
    low_cents = max(0, round(low * 100))
    high_cents = max(low_cents, round(high * 100))
    lows = _split_cents(low_cents, count)
    highs = _split_cents(high_cents, count)
    if any(lo > hi for lo, hi in zip(lows, highs, strict=True)):
        # Rounding both ends apart can cross them; share the difference instead.
        highs = [
            lo + d for lo, d in zip(lows, _split_cents(high_cents - low_cents, count), strict=True)
        ]
    return [(lo / 100, hi / 100) for lo, hi in zip(lows, highs, strict=True)]


def _split_cents(total: int, count: int) -> list[int]:
    each = total // count
    return [each] * (count - 1) + [total - each * (count - 1)]


def _hours_text(phrase: _Phrase) -> str:
    span = f"{phrase.low:g}" if phrase.low == phrase.high else f"{phrase.low:g}–{phrase.high:g}"
    return span + ("+" if phrase.plus else "")
