"""Due times worked out by hand, the way a team lead would check them on a wall calendar.

Unless said otherwise the calendar is the office's: Monday to Friday 08:30-17:00 (510 minutes a
day), Dutch public holidays off, Bevrijdingsdag once every five years.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from loket.sla.models import BusinessCalendar, TicketClock
from loket.sla.services import build_working_calendar
from loket.tickets.models import Status, TicketChange
from loket.tickets.selectors import history_of
from loket.tickets.services import change_status
from tests import factories

AMS = ZoneInfo("Europe/Amsterdam")
OFFICE_HOURS = ("08:30-17:00",) * 5 + ("", "")
ROUND_THE_CLOCK = ("00:00-24:00",) * 7
LiberationDay = BusinessCalendar.LiberationDay


def office(**options):
    return build_working_calendar(hours=OFFICE_HOURS, **options)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def clock_of(ticket) -> TicketClock:
    return TicketClock.objects.get(ticket=ticket)


# ---------------------------------------------------------------- over the weekend


def test_an_eight_hour_norm_started_late_on_friday_runs_out_on_monday_afternoon():
    # Friday 6 November 2026 16:45-17:00 uses 15 minutes; the other 465 (7:45) run from
    # Monday 08:30: 08:30 + 7:45 = 16:15.
    friday = at(2026, 11, 6, 16, 45)

    assert office().add(friday, 480) == at(2026, 11, 9, 16, 15)


def test_a_ticket_registered_late_on_friday_is_due_on_monday(org, requester, office_calendar, make_norm):
    storing = org.items["ICT-STORING"]
    make_norm(item=storing, response=60, resolution=480)

    ticket = factories.ticket(requester=requester, item=storing, now=at(2026, 11, 6, 16, 45))

    clock = clock_of(ticket)
    # Response: 15 minutes on Friday, 45 on Monday from 08:30. Resolution: as above.
    assert clock.response_due == at(2026, 11, 9, 9, 15)
    assert clock.resolution_due == at(2026, 11, 9, 16, 15)


# ---------------------------------------------------------------- Koningsdag


def test_on_koningsdag_the_clock_starts_the_next_working_day_at_half_past_eight():
    # Monday 27 April 2026 is Koningsdag: nothing counts until Tuesday 08:30; an hour later
    # the first 60 minutes are used.
    koningsdag = at(2026, 4, 27, 10, 0)

    assert office().minutes_between(koningsdag, at(2026, 4, 28, 8, 30)) == 0
    assert office().add(koningsdag, 60) == at(2026, 4, 28, 9, 30)


def test_a_ticket_registered_on_koningsdag_must_be_answered_by_tuesday_afternoon(
    org, requester, office_calendar
):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=at(2026, 4, 27, 10, 0))

    # Storing melden: 8 hours to respond, from Tuesday 08:30: 16:30.
    assert clock_of(ticket).response_due == at(2026, 4, 28, 16, 30)


def test_when_27_april_is_a_sunday_koningsdag_is_the_saturday_before():
    # A desk open seven days a week: Saturday 26 April 2025 is Koningsdag and closed, so an hour
    # started that morning is used on Sunday 27 April (an ordinary Sunday) from 08:30.
    seven_days = build_working_calendar(hours=("08:30-17:00",) * 7)

    assert seven_days.add(at(2025, 4, 26, 10, 0), 60) == at(2025, 4, 27, 9, 30)


def test_koningsdag_on_a_saturday_leaves_an_office_week_unchanged():
    # Saturday 26 April 2025 is closed anyway: Friday 16:30 + 60 minutes is Monday 09:00.
    assert office().add(at(2025, 4, 25, 16, 30), 60) == at(2025, 4, 28, 9, 0)


# ---------------------------------------------------------------- daylight saving time


def test_a_day_of_norm_across_the_end_of_summer_time_ends_an_hour_earlier_on_the_clock():
    # Sunday 25 October 2026 the clocks go back from 03:00 to 02:00, so that night has 25 hours.
    # 24 hours from Saturday 12:00 (10:00 UTC) is Sunday 10:00 UTC, which is 11:00 in winter time.
    always_open = build_working_calendar(
        hours=ROUND_THE_CLOCK, public_holidays=False, liberation_day=LiberationDay.NEVER
    )

    assert always_open.add(at(2026, 10, 24, 12, 0), 1440) == at(2026, 10, 25, 11, 0)
    assert always_open.minutes_between(at(2026, 10, 25, 0, 0), at(2026, 10, 26, 0, 0)) == 25 * 60


def test_office_hours_stay_office_hours_across_the_end_of_summer_time():
    # Friday 23 October 2026 15:00-17:00 is 120 minutes; the other 360 (6 hours) run from
    # Monday 26 October 08:30 (winter time): 14:30. Office hours are wall-clock hours, so the
    # extra hour of that Sunday night changes nothing.
    assert office().add(at(2026, 10, 23, 15, 0), 480) == at(2026, 10, 26, 14, 30)


# ---------------------------------------------------------------- waiting for the customer


def test_two_working_days_waiting_for_the_customer_move_the_resolution_due_time_two_working_days(
    org, requester, ict_agent, office_calendar
):
    # Storing melden: 40 hours (2400 minutes) to resolve. From Monday 2 November 2026 09:00:
    # Monday 480, Tuesday to Thursday 3 x 510 = 1530, together 2010; the last 390 (6:30) on
    # Friday from 08:30: Friday 6 November 15:00.
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=at(2026, 11, 2, 9, 0))
    assert clock_of(ticket).resolution_due == at(2026, 11, 6, 15, 0)
    ticket = change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS, now=at(2026, 11, 2, 9, 30))

    ticket = change_status(
        ticket=ticket, actor=ict_agent, to=Status.WAITING_CUSTOMER, now=at(2026, 11, 3, 11, 0)
    )
    change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS, now=at(2026, 11, 5, 11, 0))

    clock = clock_of(ticket)
    # Paused Tuesday 11:00 to Thursday 11:00: 360 + 510 + 150 = 1020 working minutes, two office
    # days of 8.5 hours. Two working days after Friday 6 November 15:00 is Tuesday 10 November.
    assert clock.paused_minutes == 1020
    assert clock.resolution_due == at(2026, 11, 10, 15, 0)
    assert clock.running
    assert [
        (change.at, change.new_value, change.note, change.actor)
        for change in history_of(ticket).filter(action=TicketChange.Action.CLOCK)
    ] == [
        (at(2026, 11, 3, 11, 0), "paused", "wacht op klant", ict_agent),
        (at(2026, 11, 5, 11, 0), "running", "in behandeling", ict_agent),
    ]


def test_a_ticket_still_waiting_for_the_customer_keeps_its_due_time_until_work_resumes(
    org, requester, ict_agent, office_calendar
):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=at(2026, 11, 2, 9, 0))

    change_status(ticket=ticket, actor=ict_agent, to=Status.WAITING_CUSTOMER, now=at(2026, 11, 3, 11, 0))

    clock = clock_of(ticket)
    assert clock.paused_at == at(2026, 11, 3, 11, 0)
    assert clock.paused_minutes == 0
    assert clock.resolution_due == at(2026, 11, 6, 15, 0)


# ---------------------------------------------------------------- Bevrijdingsdag and Goede Vrijdag


@pytest.mark.parametrize(
    ("liberation_day", "start", "due"),
    [
        # 2026 is not a lustrum year: 5 May is an ordinary Tuesday for every_five_years.
        # Monday 16:30-17:00 uses 30 minutes, the other 30 run from Tuesday 08:30.
        (LiberationDay.EVERY_FIVE_YEARS, at(2026, 5, 4, 16, 30), at(2026, 5, 5, 9, 0)),
        # Closed every year: the other 30 minutes run on Wednesday 6 May.
        (LiberationDay.EVERY_YEAR, at(2026, 5, 4, 16, 30), at(2026, 5, 6, 9, 0)),
        # 2025 is a lustrum year: Monday 5 May 2025 is closed; Friday 16:30 + 60 is Tuesday 09:00.
        (LiberationDay.EVERY_FIVE_YEARS, at(2025, 5, 2, 16, 30), at(2025, 5, 6, 9, 0)),
        # Never a day off: Monday 5 May 2025 09:00.
        (LiberationDay.NEVER, at(2025, 5, 2, 16, 30), at(2025, 5, 5, 9, 0)),
    ],
)
def test_bevrijdingsdag_is_closed_as_the_organisation_chose(liberation_day, start, due):
    assert office(liberation_day=liberation_day).add(start, 60) == due


@pytest.mark.parametrize(
    ("good_friday", "due"),
    [
        # Thursday 2 April 2026 16:30 + 60: 30 minutes that day, 30 on Good Friday from 08:30.
        (False, at(2026, 4, 3, 9, 0)),
        # Good Friday off: then the weekend, then Easter Monday (6 April): Tuesday 7 April 09:00.
        (True, at(2026, 4, 7, 9, 0)),
    ],
)
def test_good_friday_is_a_day_off_only_when_chosen(good_friday, due):
    assert office(good_friday=good_friday).add(at(2026, 4, 2, 16, 30), 60) == due


def test_christmas_and_new_year_are_closed():
    # Thursday 24 December 2026 16:30 + 60: 30 minutes that day; Christmas (Friday 25) and
    # Boxing Day (Saturday 26) closed, the weekend too: Monday 28 December 09:00.
    assert office().add(at(2026, 12, 24, 16, 30), 60) == at(2026, 12, 28, 9, 0)
    # Thursday 31 December 16:30 + 60: New Year's Day is a Friday: Monday 4 January 2027 09:00.
    assert office().add(at(2026, 12, 31, 16, 30), 60) == at(2027, 1, 4, 9, 0)
