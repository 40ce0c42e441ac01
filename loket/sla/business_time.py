"""Business time: adding working minutes to a moment and counting them between two moments.

A `WorkingCalendar` is plain data (weekly opening hours in local wall-clock time, closed dates, a
time zone), so the arithmetic is pure, fast and testable against a minute-by-minute reference.

The rule the engine implements, exactly: a moment is *open* when its local wall-clock time (in the
calendar's zone) falls inside one of that weekday's opening intervals and its local date is not a
closed day. Opening hours may not begin or end inside the daylight-saving switch hour
(02:00-03:00 in Europe/Amsterdam), so every boundary is one well-defined instant; an interval
that spans the switch (a 24-hour calendar) is simply an hour shorter or longer that night.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

MINUTE = timedelta(minutes=1)
# A norm is measured in whole minutes; searching further than this for open time means the
# calendar is never open (a configuration error), not that the answer is far away.
MAX_SEARCH_DAYS = 3 * 366


class CalendarError(ValueError):
    """A calendar that cannot be used: no opening hours, or a boundary in the DST switch hour."""


@dataclass(frozen=True)
class WorkingCalendar:
    """Opening hours per weekday (0 = Monday) as (start, end) minutes after local midnight
    (end may be 1440), closed local dates, and the zone the hours are in."""

    weekly: tuple[tuple[tuple[int, int], ...], ...]
    closed: frozenset[date] = field(default_factory=frozenset)
    zone: str = "Europe/Amsterdam"
    key: str = ""  # identifies the calendar's configuration in caches

    def __post_init__(self):
        if len(self.weekly) != 7:
            raise CalendarError("weekly needs seven days (Monday first)")
        if not any(self.weekly):
            raise CalendarError("the calendar is never open")
        for day in self.weekly:
            previous_end = -1
            for start, end in day:
                if not 0 <= start < end <= 1440 or start < previous_end:
                    raise CalendarError(f"bad opening interval {start}-{end}")
                for boundary in (start, end):
                    if 120 <= boundary < 180:
                        raise CalendarError("opening hours may not begin or end between 02:00 and 03:00")
                previous_end = end

    # ------------------------------------------------------------ per-day open ranges (UTC)

    def open_ranges(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The open stretches of a local date as UTC instants (cached per calendar and date)."""
        return _open_ranges(self, day)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.zone)).date()

    # ------------------------------------------------------------ arithmetic

    def add(self, start: datetime, minutes: int) -> datetime:
        """The earliest moment d >= start with exactly `minutes` open minutes in [start, d):
        when a norm of that many working minutes, started at `start`, runs out."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        if minutes == 0:
            return start
        cursor = start.astimezone(UTC)
        remaining = timedelta(minutes=minutes)
        day = self.local_date(cursor)
        for _ in range(MAX_SEARCH_DAYS):
            for opens, closes in self.open_ranges(day):
                if closes <= cursor:
                    continue
                begin = max(opens, cursor)
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
                cursor = closes
            day += timedelta(days=1)
        raise CalendarError("the calendar has no open time within three years")

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Open minutes in [start, end), rounded down to whole minutes; 0 when end <= start."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return 0
        total = timedelta()
        day = self.local_date(start)
        last = self.local_date(end)
        while day <= last:
            for opens, closes in self.open_ranges(day):
                lo, hi = max(opens, start), min(closes, end)
                if lo < hi:
                    total += hi - lo
            day += timedelta(days=1)
        return int(total // MINUTE)

    def is_open(self, moment: datetime) -> bool:
        moment = moment.astimezone(UTC)
        return any(opens <= moment < closes for opens, closes in self.open_ranges(self.local_date(moment)))


@lru_cache(maxsize=65536)
def _open_ranges(calendar: WorkingCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
    if day in calendar.closed:
        return ()
    zone = ZoneInfo(calendar.zone)
    ranges = []
    for start, end in calendar.weekly[day.weekday()]:
        opens = _instant(day, start, zone)
        closes = _instant(day, end, zone)
        if ranges and ranges[-1][1] == opens:  # 17:00-24:00 followed by nothing, or touching
            ranges[-1] = (ranges[-1][0], closes)
        else:
            ranges.append((opens, closes))
    return tuple(ranges)


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    if minute == 1440:
        day, minute = day + timedelta(days=1), 0
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return local.astimezone(UTC)


def parse_hours(text: str) -> tuple[tuple[int, int], ...]:
    """'08:30-12:00, 13:00-17:00' -> ((510, 720), (780, 1020)); '' -> closed all day."""
    intervals = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            begin, finish = (piece.strip() for piece in part.split("-"))
            intervals.append((_minutes(begin), _minutes(finish)))
        except ValueError:
            raise CalendarError(f"cannot read opening hours {part!r} (use 08:30-17:00)") from None
    return tuple(sorted(intervals))


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    value = int(hours) * 60 + int(minutes)
    if not 0 <= int(minutes) < 60 or not 0 <= value <= 1440:
        raise ValueError(text)
    return value
