"""The clock of a ticket: which norms and which working hours apply, and how it follows the ticket
through its life (response, priority changes, resolving and reopening)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from loket.sla.models import ClosingDay, TicketClock
from loket.sla.services import sweep
from loket.tickets.models import Impact, Priority, Status, TicketChange, Urgency
from loket.tickets.selectors import history_of
from loket.tickets.services import add_comment, change_status, mark_resolved, reopen_ticket, update_ticket
from tests import factories

AMS = ZoneInfo("Europe/Amsterdam")

# Storing melden (ICT-STORING): 8 hours (480 minutes) to respond, 40 hours (2400) to resolve.
# Registered Monday 2 November 2026 09:00 on office hours (08:30-17:00, 510 minutes a day):
# respond by Monday 17:00; resolve by Friday 6 November 15:00 (Monday 480 + Tuesday to Thursday
# 3 x 510 = 2010, the last 390 minutes on Friday from 08:30).
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=AMS)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def clock_of(ticket) -> TicketClock:
    return TicketClock.objects.get(ticket=ticket)


def clock_history(ticket) -> list[tuple]:
    return [
        (change.at, change.field, change.old_value, change.new_value)
        for change in history_of(ticket).filter(action=TicketChange.Action.CLOCK)
    ]


def storing(org, requester, *, now=MONDAY, **kwargs):
    return factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=now, **kwargs)


# ---------------------------------------------------------------- starting the clock


def test_registering_a_ticket_starts_its_clock_with_the_norms_of_its_product(org, requester, office_calendar):
    ticket = storing(org, requester)

    clock = clock_of(ticket)
    assert (clock.response_minutes, clock.resolution_minutes) == (480, 2400)
    assert clock.calendar == office_calendar
    assert clock.started_at == MONDAY
    assert clock.response_due == at(2026, 11, 2, 17, 0)
    assert clock.resolution_due == at(2026, 11, 6, 15, 0)
    assert clock.state == TicketClock.State.ON_TIME
    assert clock.response_state == TicketClock.ResponseState.PENDING


def test_a_ticket_without_working_hours_of_its_own_runs_on_the_default_office_hours(org, requester):
    clock = clock_of(storing(org, requester))

    assert clock.calendar.is_default
    assert clock.calendar.hours_text() == ("08:30-17:00",) * 5 + ("", "")
    assert clock.resolution_due == at(2026, 11, 6, 15, 0)


def test_a_team_with_its_own_working_hours_runs_its_clocks_on_them(
    org, requester, office_calendar, make_calendar
):
    round_the_clock = make_calendar(
        code="ICT-24",
        weekdays="00:00-24:00",
        saturday="00:00-24:00",
        sunday="00:00-24:00",
        teams=[org.ict_team],
    )

    # Friday 6 November 2026 16:00 + 8 hours without a break: Saturday 00:00.
    clock = clock_of(storing(org, requester, now=at(2026, 11, 6, 16, 0)))

    assert clock.calendar == round_the_clock
    assert clock.response_due == at(2026, 11, 7, 0, 0)


def test_the_working_hours_of_the_product_go_before_those_of_the_team(
    org, requester, office_calendar, make_calendar
):
    make_calendar(code="ICT-24", weekdays="00:00-24:00", saturday="00:00-24:00", teams=[org.ict_team])
    long_days = make_calendar(code="LANG", weekdays="07:00-19:00", items=[org.items["ICT-STORING"]])

    # Friday 16:00-19:00 is 180 minutes; the other 300 from Monday 07:00: 12:00.
    clock = clock_of(storing(org, requester, now=at(2026, 11, 6, 16, 0)))

    assert clock.calendar == long_days
    assert clock.response_due == at(2026, 11, 9, 12, 0)


def test_an_extra_closing_day_of_the_calendar_is_skipped(org, requester, office_calendar):
    ClosingDay.objects.create(calendar=office_calendar, date=date(2026, 11, 3), name="Verhuizing")
    office_calendar.save()

    # Monday 2 November 09:00 + 2400: Monday 480, Tuesday closed, Wednesday to Friday
    # 3 x 510 = 1530, together 2010; the last 390 on Monday 9 November from 08:30: 15:00.
    assert clock_of(storing(org, requester)).resolution_due == at(2026, 11, 9, 15, 0)


# ---------------------------------------------------------------- which norm applies


def test_a_norm_for_the_priority_overrides_the_norms_of_the_product(
    org, requester, office_calendar, make_norm
):
    make_norm(priority=Priority.LOW, response=60, resolution=240)

    clock = clock_of(storing(org, requester))  # low impact, medium urgency: P4

    assert (clock.response_minutes, clock.resolution_minutes) == (60, 240)
    assert clock.response_due == at(2026, 11, 2, 10, 0)
    assert clock.resolution_due == at(2026, 11, 2, 13, 0)


def test_a_norm_for_another_priority_leaves_the_norms_of_the_product(
    org, requester, office_calendar, make_norm
):
    make_norm(priority=Priority.CRITICAL, response=30, resolution=240)

    clock = clock_of(storing(org, requester))

    assert (clock.response_minutes, clock.resolution_minutes) == (480, 2400)


def test_a_norm_for_the_product_beats_a_norm_for_the_priority(org, requester, office_calendar, make_norm):
    make_norm(priority=Priority.LOW, response=60, resolution=240)
    make_norm(item=org.items["ICT-STORING"], response=45, resolution=180)

    clock = clock_of(storing(org, requester))

    assert (clock.response_minutes, clock.resolution_minutes) == (45, 180)


def test_a_norm_for_the_product_and_priority_beats_a_norm_for_the_priority_alone(
    org, requester, office_calendar, make_norm
):
    make_norm(priority=Priority.LOW, response=60, resolution=240)
    make_norm(item=org.items["ICT-STORING"], response=45, resolution=180)
    make_norm(item=org.items["ICT-STORING"], priority=Priority.LOW, response=30, resolution=120)

    clock = clock_of(storing(org, requester))

    assert (clock.response_minutes, clock.resolution_minutes) == (30, 120)
    assert clock.resolution_due == at(2026, 11, 2, 11, 0)


def test_the_agreement_dvo_of_the_requesters_unit_beats_every_other_norm(
    org, citizen_affairs_requester, public_affairs, office_calendar, make_norm, make_agreement
):
    dvo = make_agreement(code="DVO-BZ", unit=public_affairs, valid_from=date(2026, 1, 1))
    make_norm(agreement=dvo, response=15, resolution=60)
    make_norm(priority=Priority.LOW, response=60, resolution=240)
    make_norm(item=org.items["ICT-STORING"], priority=Priority.LOW, response=30, resolution=120)

    clock = clock_of(storing(org, citizen_affairs_requester))

    assert clock.agreement == dvo
    assert (clock.response_minutes, clock.resolution_minutes) == (15, 60)
    assert clock.resolution_due == at(2026, 11, 2, 10, 0)


def test_an_agreement_of_a_unit_above_the_requesters_unit_applies_too(
    org, citizen_affairs_requester, public_affairs, office_calendar, make_norm, make_agreement
):
    dvo = make_agreement(code="DVO-PZ", unit=public_affairs.parent, valid_from=date(2026, 1, 1))
    make_norm(agreement=dvo, response=15, resolution=60)

    clock = clock_of(storing(org, citizen_affairs_requester))

    assert clock.agreement == dvo
    assert (clock.response_minutes, clock.resolution_minutes) == (15, 60)


def test_an_expired_agreement_no_longer_applies(
    org, citizen_affairs_requester, public_affairs, office_calendar, make_norm, make_agreement
):
    dvo = make_agreement(
        code="DVO-BZ", unit=public_affairs, valid_from=date(2025, 1, 1), valid_until=date(2026, 10, 31)
    )
    make_norm(agreement=dvo, response=15, resolution=60)
    make_norm(item=org.items["ICT-STORING"], priority=Priority.LOW, response=30, resolution=120)

    clock = clock_of(storing(org, citizen_affairs_requester))

    assert clock.agreement is None
    assert (clock.response_minutes, clock.resolution_minutes) == (30, 120)


def test_an_agreement_is_valid_until_the_end_of_its_last_day_in_the_netherlands(
    org, citizen_affairs_requester, public_affairs, office_calendar, make_norm, make_agreement
):
    dvo = make_agreement(
        code="DVO-BZ", unit=public_affairs, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31)
    )
    make_norm(agreement=dvo, response=15, resolution=60)

    # 23:30 on New Year's Eve in Amsterdam; 00:30 on New Year's Day is still 31 December in UTC.
    last_evening = clock_of(storing(org, citizen_affairs_requester, now=at(2026, 12, 31, 23, 30)))
    new_year = clock_of(storing(org, citizen_affairs_requester, now=at(2027, 1, 1, 0, 30)))

    assert last_evening.agreement == dvo
    assert new_year.agreement is None
    assert new_year.response_minutes == 480


def test_an_agreement_of_another_unit_does_not_apply(
    org, requester, public_affairs, office_calendar, make_norm, make_agreement
):
    dvo = make_agreement(code="DVO-BZ", unit=public_affairs, valid_from=date(2026, 1, 1))
    make_norm(agreement=dvo, response=15, resolution=60)

    clock = clock_of(storing(org, requester))

    assert clock.agreement is None
    assert (clock.response_minutes, clock.resolution_minutes) == (480, 2400)


# ---------------------------------------------------------------- a new priority


def test_raising_the_priority_brings_the_due_time_forward_and_says_so_in_the_history(
    org, requester, ict_agent, office_calendar, make_norm
):
    make_norm(priority=Priority.CRITICAL, response=30, resolution=240)
    ticket = storing(org, requester)

    ticket = update_ticket(
        ticket=ticket,
        actor=ict_agent,
        changes={"impact": Impact.HIGH, "urgency": Urgency.HIGH},
        now=at(2026, 11, 2, 10, 0),
    )

    clock = clock_of(ticket)
    assert ticket.priority == Priority.CRITICAL
    # The 240 minutes count from registration (Monday 09:00), not from the change: 13:00.
    assert (clock.response_minutes, clock.resolution_minutes) == (30, 240)
    assert clock.resolution_due == at(2026, 11, 2, 13, 0)
    assert clock_history(ticket) == [
        (at(2026, 11, 2, 10, 0), "resolution_due", "2026-11-06 15:00", "2026-11-02 13:00"),
    ]


def test_a_new_priority_with_the_same_norms_leaves_the_clock_and_the_history_alone(
    org, requester, ict_agent, office_calendar
):
    ticket = storing(org, requester)

    update_ticket(
        ticket=ticket, actor=ict_agent, changes={"urgency": Urgency.HIGH}, now=at(2026, 11, 2, 10, 0)
    )

    assert clock_of(ticket).resolution_due == at(2026, 11, 6, 15, 0)
    assert clock_history(ticket) == []


def test_a_clock_that_runs_out_under_the_new_priority_is_breached_at_once(
    org, requester, ict_agent, office_calendar, make_norm
):
    make_norm(priority=Priority.CRITICAL, response=30, resolution=240)
    ticket = storing(org, requester)

    update_ticket(
        ticket=ticket,
        actor=ict_agent,
        changes={"impact": Impact.HIGH, "urgency": Urgency.HIGH},
        now=at(2026, 11, 2, 14, 0),
    )

    assert clock_of(ticket).state == TicketClock.State.BREACHED


# ---------------------------------------------------------------- the response


def test_the_first_public_reply_of_staff_in_time_meets_the_response_norm(
    org, requester, ict_agent, office_calendar
):
    ticket = storing(org, requester)

    add_comment(ticket=ticket, actor=ict_agent, body="We kijken ernaar.", now=at(2026, 11, 2, 10, 0))
    add_comment(ticket=ticket, actor=ict_agent, body="Nog even geduld.", now=at(2026, 11, 3, 10, 0))

    clock = clock_of(ticket)
    assert clock.response_state == TicketClock.ResponseState.MET
    assert clock.responded_at == at(2026, 11, 2, 10, 0)


def test_taking_a_ticket_in_progress_counts_as_the_response(org, requester, ict_agent, office_calendar):
    ticket = storing(org, requester)

    change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS, now=at(2026, 11, 2, 16, 59))

    clock = clock_of(ticket)
    assert clock.response_state == TicketClock.ResponseState.MET
    assert clock.responded_at == at(2026, 11, 2, 16, 59)


def test_a_first_reply_after_the_response_due_time_is_late(org, requester, ict_agent, office_calendar):
    ticket = storing(org, requester)

    add_comment(ticket=ticket, actor=ict_agent, body="Sorry voor het wachten.", now=at(2026, 11, 3, 9, 0))

    clock = clock_of(ticket)
    assert clock.response_state == TicketClock.ResponseState.LATE
    assert clock.responded_at == at(2026, 11, 3, 9, 0)


def test_a_reply_after_the_sweep_found_the_response_breached_is_late(
    org, requester, ict_agent, office_calendar
):
    ticket = storing(org, requester)
    sweep(now=at(2026, 11, 2, 17, 30))

    add_comment(ticket=ticket, actor=ict_agent, body="Sorry voor het wachten.", now=at(2026, 11, 3, 9, 0))

    assert clock_of(ticket).response_state == TicketClock.ResponseState.LATE


def test_neither_an_internal_note_nor_the_requesters_own_reply_is_a_response(
    org, requester, ict_agent, office_calendar
):
    ticket = storing(org, requester)

    add_comment(ticket=ticket, actor=ict_agent, body="Eerst printer checken.", internal=True, now=MONDAY)
    add_comment(ticket=ticket, actor=requester, body="Hij doet het nog steeds niet.", now=MONDAY)

    clock = clock_of(ticket)
    assert clock.response_state == TicketClock.ResponseState.PENDING
    assert clock.responded_at is None


# ---------------------------------------------------------------- resolving and reopening


def test_resolving_stops_the_clock_and_its_state_stays_as_it_was(org, requester, ict_agent, office_calendar):
    ticket = storing(org, requester)

    mark_resolved(ticket=ticket, actor=ict_agent, resolution="Printer herstart.", now=at(2026, 11, 3, 10, 0))
    sweep(now=at(2026, 12, 1, 9, 0))

    clock = clock_of(ticket)
    assert clock.stopped_at == at(2026, 11, 3, 10, 0)
    assert clock.state == TicketClock.State.ON_TIME
    assert clock.response_state == TicketClock.ResponseState.LATE  # the first reaction came Tuesday
    assert clock_history(ticket) == [(at(2026, 11, 3, 10, 0), "sla", "", "stopped")]


def test_resolving_after_the_due_time_stops_the_clock_breached(org, requester, ict_agent, office_calendar):
    ticket = storing(org, requester)

    mark_resolved(ticket=ticket, actor=ict_agent, resolution="Printer herstart.", now=at(2026, 11, 9, 9, 0))

    assert clock_of(ticket).state == TicketClock.State.BREACHED


def test_reopening_resumes_the_clock_and_the_resolved_period_counts_as_paused(
    org, requester, ict_agent, office_calendar
):
    ticket = storing(org, requester)
    ticket = mark_resolved(
        ticket=ticket, actor=ict_agent, resolution="Printer herstart.", now=at(2026, 11, 3, 10, 0)
    )

    reopen_ticket(
        ticket=ticket, actor=requester, reason="Hij doet het weer niet.", now=at(2026, 11, 4, 10, 0)
    )

    clock = clock_of(ticket)
    # Resolved Tuesday 10:00 to Wednesday 10:00: 420 + 90 = 510 working minutes, one office day:
    # the due time moves from Friday 6 November 15:00 to Monday 9 November 15:00.
    assert clock.running
    assert clock.paused_minutes == 510
    assert clock.resolution_due == at(2026, 11, 9, 15, 0)
    assert clock_history(ticket) == [
        (at(2026, 11, 3, 10, 0), "sla", "", "stopped"),
        (at(2026, 11, 4, 10, 0), "sla", "", "running"),
    ]


def test_resolving_while_waiting_counts_the_wait_as_paused_when_the_ticket_is_reopened(
    org, requester, ict_agent, office_calendar
):
    ticket = storing(org, requester)
    ticket = change_status(
        ticket=ticket, actor=ict_agent, to=Status.WAITING_CUSTOMER, now=at(2026, 11, 2, 10, 0)
    )
    ticket = mark_resolved(
        ticket=ticket, actor=ict_agent, resolution="Klant meldt: opgelost.", now=at(2026, 11, 3, 10, 0)
    )

    reopen_ticket(ticket=ticket, actor=requester, reason="Toch niet.", now=at(2026, 11, 4, 10, 0))

    clock = clock_of(ticket)
    # Waiting Monday 10:00 to Tuesday 10:00 (420 + 90 = 510), resolved Tuesday 10:00 to
    # Wednesday 10:00 (510): two office days, so Friday 15:00 becomes Tuesday 10 November 15:00.
    assert clock.paused_minutes == 1020
    assert clock.resolution_due == at(2026, 11, 10, 15, 0)


def test_a_calendar_too_sparse_for_the_norm_does_not_stop_a_ticket_from_being_registered(
    org, requester, make_calendar
):
    # Open a quarter of an hour a week: 40 working hours would take years. Office hours stand in.
    make_calendar(code="ZELDEN", weekdays="", saturday="10:00-10:15", items=[org.items["ICT-STORING"]])

    ticket = factories.ticket(
        requester=requester, item=org.items["ICT-STORING"], now=datetime(2026, 11, 2, 9, 0, tzinfo=AMS)
    )

    assert TicketClock.objects.get(ticket=ticket).resolution_due > ticket.created_at
