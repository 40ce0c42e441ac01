"""The business-time engine against an obviously correct minute-by-minute reference."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from loket.sla.business_time import CalendarError, WorkingCalendar, parse_hours

AMS = ZoneInfo("Europe/Amsterdam")
MINUTE = timedelta(minutes=1)


def reference_is_open(calendar: WorkingCalendar, moment: datetime) -> bool:
    local = moment.astimezone(ZoneInfo(calendar.zone))
    if local.date() in calendar.closed:
        return False
    minute = local.hour * 60 + local.minute
    return any(start <= minute < end for start, end in calendar.weekly[local.weekday()])


def reference_add(calendar: WorkingCalendar, start: datetime, minutes: int) -> datetime:
    moment, counted = start, 0
    while counted < minutes:
        if reference_is_open(calendar, moment):
            counted += 1
        moment += MINUTE
    return moment


def reference_between(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    moment, counted = start, 0
    while moment < end:
        counted += reference_is_open(calendar, moment)
        moment += MINUTE
    return counted


# ---------------------------------------------------------------- strategies

BOUNDARIES = [m for m in range(0, 1441, 15) if not 120 <= m < 180]


@st.composite
def days(draw):
    points = sorted(set(draw(st.lists(st.sampled_from(BOUNDARIES), min_size=0, max_size=4))))
    if len(points) % 2:
        points = points[:-1]
    return tuple((points[i], points[i + 1]) for i in range(0, len(points), 2))


# Dates that matter: the DST switches, Koningsdag on a Sunday (2025), Easter, Christmas.
SPECIAL = [
    date(2025, 3, 30),
    date(2025, 10, 26),
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2025, 4, 26),
    date(2025, 4, 27),
    date(2026, 4, 5),
    date(2026, 4, 6),
    date(2025, 12, 25),
]


@st.composite
def calendars(draw):
    weekly = tuple(draw(days()) for _ in range(7))
    # At least four open hours a week: norms of a few working days must fit well within the
    # engine's three-year search (a calendar open 15 minutes a week is a configuration error).
    if sum(end - start for day in weekly for start, end in day) < 240:
        weekly = (((510, 1020),),) * 5 + ((), ())
    closed = frozenset(draw(st.lists(st.sampled_from(SPECIAL), max_size=4)))
    return WorkingCalendar(weekly=weekly, closed=closed)


@st.composite
def moments(draw):
    around = draw(st.sampled_from(SPECIAL))
    local = datetime(around.year, around.month, around.day, tzinfo=AMS)
    offset = draw(st.integers(min_value=-3 * 1440, max_value=2 * 1440))
    return (local.astimezone(UTC) + offset * MINUTE).replace(second=0, microsecond=0)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(calendar=calendars(), start=moments(), minutes=st.integers(min_value=0, max_value=2400))
def test_adding_business_minutes_agrees_with_counting_minute_by_minute(calendar, start, minutes):
    assert calendar.add(start, minutes) == reference_add(calendar, start, minutes)


@SETTINGS
@given(calendar=calendars(), start=moments(), length=st.integers(min_value=0, max_value=6 * 1440))
def test_counting_business_minutes_agrees_with_counting_minute_by_minute(calendar, start, length):
    end = start + length * MINUTE
    assert calendar.minutes_between(start, end) == reference_between(calendar, start, end)


@SETTINGS
@given(calendar=calendars(), start=moments(), minutes=st.integers(min_value=1, max_value=2400))
def test_counting_back_from_a_due_time_gives_the_norm(calendar, start, minutes):
    assert calendar.minutes_between(start, calendar.add(start, minutes)) == minutes


def test_opening_hours_inside_the_daylight_saving_switch_hour_are_refused():
    with pytest.raises(CalendarError):
        WorkingCalendar(weekly=(((150, 600),),) * 7)


def test_a_calendar_that_is_never_open_is_refused():
    with pytest.raises(CalendarError):
        WorkingCalendar(weekly=((),) * 7)


def test_opening_hours_are_read_from_text():
    assert parse_hours("08:30-12:00, 13:00-17:00") == ((510, 720), (780, 1020))
    assert parse_hours("") == ()
    assert parse_hours("00:00-24:00") == ((0, 1440),)
    with pytest.raises(CalendarError):
        parse_hours("half negen tot vijf")


def reference_add_with_pause(calendar, start, minutes, pause_from, pause_until) -> datetime:
    """Count open minutes one by one, skipping those inside the pause."""
    moment, counted = start, 0
    while counted < minutes:
        if reference_is_open(calendar, moment) and not pause_from <= moment < pause_until:
            counted += 1
        moment += MINUTE
    return moment


@SETTINGS
@given(
    calendar=calendars(),
    start=moments(),
    minutes=st.integers(min_value=1, max_value=2400),
    pause_offset=st.integers(min_value=0, max_value=4 * 1440),
    pause_length=st.integers(min_value=0, max_value=4 * 1440),
)
def test_a_paused_clock_is_due_later_by_exactly_the_open_minutes_of_the_pause(
    calendar, start, minutes, pause_offset, pause_length
):
    # The clock's rule (sla.services): due = add(start, norm + open minutes while paused), for a
    # pause that begins while the clock still runs, before it is due.
    pause_from = start + pause_offset * MINUTE
    pause_until = pause_from + pause_length * MINUTE
    assume(pause_from < calendar.add(start, minutes))

    paused = calendar.minutes_between(pause_from, pause_until)

    assert calendar.add(start, minutes + paused) == reference_add_with_pause(
        calendar, start, minutes, pause_from, pause_until
    )
