"""A plan's week-by-week schedule as calendar events (iCalendar, RFC 5545). Pure functions.

Each week of `planning.schedule` is laid out as study sessions on the chosen days at the chosen
time; a session that ends one resource and starts the next is two events, each named after its
resource. A week that needs more sessions than it has chosen days gets them back to back.

An event's UID is derived from the roadmap id, the REF and the event's place among that
resource's events (its first, second, ...), never from the time of the export: importing an
updated plan into the same calendar moves the events it had put there instead of doubling them.

Only `roadmap plan --ics` imports this module (and with it the `icalendar` library).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from roadmap_cli import __version__
from roadmap_cli.errors import InputError
from roadmap_cli.planning import WeekPlan
from roadmap_cli.progress import ResourceItem, format_hours, format_number
from roadmap_cli.safetext import escape_unsafe

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_DAYS = "mon,wed,sat"
DEFAULT_AT = "19:00"
_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
_AT = re.compile(r"(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)")


def parse_days(text: str) -> tuple[int, ...]:
    """Turn "mon,wed,sat" into weekday numbers (Monday is 0), in week order; ValueError if bad.

    Full names ("monday") and any case are read too; a day named twice counts once.
    """
    found: set[int] = set()
    for word in text.split(","):
        name = word.strip().lower()
        matches = [i for i, day in enumerate(DAYS) if len(name) >= 3 and _names(name, day)]
        if len(matches) != 1:
            raise ValueError(word)
        found.add(matches[0])
    return tuple(sorted(found))


def _names(word: str, day: str) -> bool:
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return full[DAYS.index(day)].startswith(word)


def parse_at(text: str) -> time:
    """Turn "19:00" or "7:30" (24-hour clock) into a time of day; ValueError if bad."""
    match = _AT.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    return time(int(match["h"]), int(match["m"]))


def local_zone() -> tzinfo:
    """Return the local time zone as an IANA zone (Europe/Paris), so that calendars get its rules.

    The TZ variable is honoured, then /etc/localtime. When no zone name can be found (only an
    offset is known), UTC is returned: the events are then written in UTC, at the right moments.
    """
    from zoneinfo import ZoneInfo

    for key in _zone_names():
        try:
            return ZoneInfo(key)
        except (KeyError, ValueError, OSError):  # not a zone name, or not in the database
            continue
    return timezone.utc


def _zone_names() -> list[str]:
    names: list[str] = []
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        names.append(_after_zoneinfo(tz) if tz.startswith("/") else tz)
    try:
        link = os.path.realpath("/etc/localtime")
    except OSError:  # pragma: no cover - no such file on this system
        link = ""
    if "zoneinfo/" in link:
        names.append(_after_zoneinfo(link))
    return [name for name in names if name]


def _after_zoneinfo(path: str) -> str:
    return path.split("zoneinfo/", 1)[1] if "zoneinfo/" in path else ""


@dataclass(frozen=True)
class Session:
    """One event: a stretch of study on one resource."""

    item: ResourceItem
    start: datetime  # aware, in the calendar's zone
    minutes: int
    week: int  # the number of the schedule's week it belongs to
    index: int  # 1 for the resource's first event, 2 for its second, ...
    count: int = 0  # how many events the resource has in all
    left_before: float = 0.0  # hours of the resource left (middle of the estimate) before it

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


def sessions(
    weeks: Sequence[WeekPlan],
    *,
    days: Sequence[int],
    at: time,
    session_hours: float,
    zone: tzinfo,
    now: datetime | None = None,
) -> list[Session]:
    """Lay out each week's hours as sessions of `session_hours` on `days` at `at`.

    Within a week the resources take the sessions in the schedule's order; minutes are whole,
    and each resource gets, week by week, the hours the schedule gives it (to the minute).
    The weeks are laid from the first day's `at` that is still ahead of `now`: when today's
    has passed, every week starts a day later, so that no session is in the past.
    Raises InputError when a day's sessions would run past midnight.
    """
    length = max(1, round(session_hours * 60))
    late = (
        now is not None and bool(weeks) and now >= datetime.combine(weeks[0].start, at, tzinfo=zone)
    )
    shift = timedelta(days=1 if late else 0)
    found: list[tuple[ResourceItem, datetime, int, int]] = []
    for week in weeks:
        bounds, done = [0], 0.0  # where each resource's minutes of the week end
        for _, hours in week.items:
            done += hours
            bounds.append(round(done * 60))
        slots = _slots(week, week.start + shift, bounds[-1], days, at, length, zone)
        for (item, _), begin, finish in zip(week.items, bounds, bounds[1:], strict=False):
            while begin < finish:
                slot = begin // length
                stop = min(finish, (slot + 1) * length)
                start = slots[slot] + timedelta(minutes=begin - slot * length)
                found.append((item, start, stop - begin, week.number))
                begin = stop
    counts: dict[str, int] = {}
    for item, *_ in found:
        counts[item.ref] = counts.get(item.ref, 0) + 1
    seen: dict[str, int] = {}
    spent: dict[str, float] = {}
    laid: list[Session] = []
    for item, start, minutes, number in found:
        seen[item.ref] = seen.get(item.ref, 0) + 1
        before = spent.get(item.ref, 0.0)
        spent[item.ref] = before + minutes / 60
        left = max(0.0, item.remaining.middle - before)
        laid.append(Session(item, start, minutes, number, seen[item.ref], counts[item.ref], left))
    return laid


def _slots(
    week: WeekPlan,
    start: date,
    total: int,
    days: Sequence[int],
    at: time,
    length: int,
    zone: tzinfo,
) -> list[datetime]:
    """The start of each session the week needs, in order (back to back on a day when needed):
    on `days` of the seven from `start`."""
    dates = [d for d in (start + timedelta(days=n) for n in range(7)) if d.weekday() in days]
    needed = max(1, math.ceil(total / length))
    per_day = math.ceil(needed / len(dates))
    if at.hour * 60 + at.minute + per_day * length > 24 * 60:
        raise InputError(
            f"{format_number(week.hours)} h in week {week.number} take {needed} sessions of "
            f"{_minutes(length)} on {len(dates)} day{'s' if len(dates) > 1 else ''}: "
            f"{per_day} a day from {at:%H:%M} would run past midnight. Choose more --days, an "
            "earlier --at or fewer --hours-per-week; nothing was written."
        )
    starts = [
        datetime.combine(dates[i % len(dates)], at, tzinfo=zone)
        + timedelta(minutes=(i // len(dates)) * length)
        for i in range(needed)
    ]
    return sorted(starts)


def _minutes(length: int) -> str:
    hours, minutes = divmod(length, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" if not minutes else f"{hours} h {minutes:02d}"


def uid(roadmap_id: str, ref: str, index: int) -> str:
    """The event's UID: the same for the same resource's n-th session in every export."""
    digest = hashlib.sha256(f"{roadmap_id}\n{ref}\n{index}".encode()).hexdigest()[:32]
    return f"{digest}@roadmap-cli"


def to_ics(
    laid: Sequence[Session],
    *,
    roadmap_id: str,
    roadmap_title: str,
    zone: tzinfo,
    now: datetime,
) -> str:
    """Return the sessions as an iCalendar document (CRLF lines, folded and escaped by icalendar).

    Times carry the zone `zone` with its VTIMEZONE (or are in UTC when `zone` is UTC).
    """
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//roadmap-cli//roadmap-cli {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _text(f"Study: {roadmap_title}"))
    stamp = now.astimezone(timezone.utc).replace(microsecond=0)
    # The revision of every event: the minutes since 2026 at the export, so that a newer export
    # always has the higher SEQUENCE and calendars take its times over the older ones.
    revision = max(0, int((stamp - _EPOCH).total_seconds() // 60))
    for session in laid:
        item = session.item
        event = Event()
        event.add("uid", uid(roadmap_id, item.ref, session.index))
        event.add("dtstamp", stamp)
        event.add("sequence", revision)
        event.add("dtstart", session.start)
        event.add("dtend", session.end)
        event.add("summary", _text(item.resource.title))
        event.add("description", _description(session, roadmap_title))
        if not item.resource.link_pending:
            event.add("url", item.resource.url)
        event.add("categories", [_text(roadmap_title)])
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    if laid and zone is not timezone.utc:
        first = min(s.start for s in laid).date()
        last = max(s.end for s in laid).date()
        calendar.add_missing_timezones(first_date=first, last_date=last + timedelta(days=1))
    return str(calendar.to_ical().decode("utf-8"))


def _description(session: Session, roadmap_title: str) -> str:
    item = session.item
    link = "link pending" if item.resource.link_pending else item.resource.url
    lines = [
        item.ref,
        link,
        f"Hours left: about {format_number(session.left_before)} h before this session "
        f"({format_hours(item.remaining.low, item.remaining.high)} left when planned).",
        f"Session {session.index} of {session.count} for this resource; roadmap: {roadmap_title}.",
        f"Start it with: roadmap focus {item.ref} --minutes {session.minutes}",
    ]
    return _text("\n".join(lines), allow_newlines=True)


def _text(value: str, *, allow_newlines: bool = False) -> str:
    # RFC 5545 TEXT has no control characters; any that got past validation is shown escaped.
    return escape_unsafe(value, allow_newlines=allow_newlines)
