"""The sweep: running clocks become at risk and breached as time passes, and the people the
escalation rules name are told once, through the outbox."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from loket.core.models import OutboxMessage
from loket.people.selectors import SYSTEM
from loket.sla.models import EscalationRule, TicketClock
from loket.sla.services import SweepResult, sweep
from loket.tickets.models import Impact, Priority, Status, Urgency
from loket.tickets.services import add_comment, assign_ticket, change_status, mark_resolved, update_ticket
from tests import factories

AMS = ZoneInfo("Europe/Amsterdam")
Trigger = EscalationRule.Trigger
Recipient = EscalationRule.Recipient

# Storing melden registered Monday 2 November 2026 09:00 on office hours (08:30-17:00):
# - respond within 480 minutes: Monday 17:00;
# - 75% of the 2400 resolution minutes is 1800: Monday 480, Tuesday and Wednesday 2 x 510 = 1020,
#   together 1500; the last 300 on Thursday from 08:30: at risk from Thursday 5 November 13:30;
# - resolve within 2400 minutes: 390 more after Thursday's 1530: Friday 6 November 15:00.
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=AMS)
RESPONSE_DUE = datetime(2026, 11, 2, 17, 0, tzinfo=AMS)
AT_RISK = datetime(2026, 11, 5, 13, 30, tzinfo=AMS)
DUE = datetime(2026, 11, 6, 15, 0, tzinfo=AMS)
MINUTE = timedelta(minutes=1)
LATER = datetime(2026, 12, 1, 9, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def at_risk_at_75_percent(settings):
    settings.LOKET_SLA_AT_RISK_PERCENT = 75


def clock_of(ticket) -> TicketClock:
    return TicketClock.objects.get(ticket=ticket)


def escalations() -> list[dict]:
    return list(
        OutboxMessage.objects.filter(topic="sla.escalation").order_by("id").values_list("payload", flat=True)
    )


def listed(*tickets) -> list[dict]:
    return [{"ticket_id": ticket.pk, "number": ticket.number} for ticket in tickets]


@pytest.fixture
def ticket(org, requester, office_calendar):
    return factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=MONDAY)


@pytest.fixture
def answered(ticket, ict_agent):
    """The ticket, answered in time, so only the resolution clock is left to watch."""
    add_comment(ticket=ticket, actor=ict_agent, body="We kijken ernaar.", now=MONDAY + timedelta(hours=1))
    return ticket


# ---------------------------------------------------------------- at risk and breached


def test_a_clock_is_at_risk_once_three_quarters_of_the_norm_is_used_and_not_before(answered):
    before = sweep(now=AT_RISK - MINUTE)
    state_before = clock_of(answered).state

    result = sweep(now=AT_RISK)

    assert before == SweepResult()
    assert state_before == TicketClock.State.ON_TIME
    assert result == SweepResult(at_risk=1)
    assert clock_of(answered).state == TicketClock.State.AT_RISK


def test_a_clock_is_breached_after_its_due_time_and_not_before(answered):
    sweep(now=DUE - MINUTE)
    state_before = clock_of(answered).state

    result = sweep(now=DUE + MINUTE)

    assert state_before == TicketClock.State.AT_RISK
    assert result == SweepResult(breached=1)
    assert clock_of(answered).state == TicketClock.State.BREACHED


def test_a_clock_found_long_after_its_due_time_goes_straight_to_breached(answered):
    assert sweep(now=LATER) == SweepResult(breached=1)
    assert clock_of(answered).state == TicketClock.State.BREACHED


def test_the_response_is_breached_when_nobody_reacted_in_time(ticket):
    before = sweep(now=RESPONSE_DUE - MINUTE)

    result = sweep(now=RESPONSE_DUE + MINUTE)

    assert before == SweepResult()
    assert result == SweepResult(response_breached=1)
    clock = clock_of(ticket)
    assert clock.response_state == TicketClock.ResponseState.BREACHED
    assert clock.state == TicketClock.State.ON_TIME


def test_a_response_in_time_is_never_breached(answered):
    sweep(now=LATER)

    assert clock_of(answered).response_state == TicketClock.ResponseState.MET


def test_a_clock_waiting_for_the_customer_is_not_swept(answered, ict_agent):
    change_status(
        ticket=answered,
        actor=ict_agent,
        to=Status.WAITING_CUSTOMER,
        now=datetime(2026, 11, 3, 11, 0, tzinfo=AMS),
    )

    result = sweep(now=LATER)

    assert result == SweepResult()
    assert clock_of(answered).state == TicketClock.State.ON_TIME


def test_a_resolved_clock_is_not_swept(ticket, ict_agent):
    mark_resolved(
        ticket=ticket,
        actor=ict_agent,
        resolution="Printer herstart.",
        now=datetime(2026, 11, 3, 11, 0, tzinfo=AMS),
    )

    result = sweep(now=LATER)

    assert result == SweepResult()
    clock = clock_of(ticket)
    assert clock.state == TicketClock.State.ON_TIME
    assert clock.response_state == TicketClock.ResponseState.LATE  # set when resolved, not by the sweep


def test_a_paused_clock_is_swept_again_once_work_resumes(answered, ict_agent):
    waiting = change_status(
        ticket=answered,
        actor=ict_agent,
        to=Status.WAITING_CUSTOMER,
        now=datetime(2026, 11, 3, 11, 0, tzinfo=AMS),
    )
    change_status(
        ticket=waiting, actor=ict_agent, to=Status.IN_PROGRESS, now=datetime(2026, 11, 5, 11, 0, tzinfo=AMS)
    )

    # Paused two office days (1020 minutes): due Tuesday 10 November 15:00 instead of Friday.
    sweep(now=DUE + MINUTE)
    state_on_friday = clock_of(answered).state
    sweep(now=datetime(2026, 11, 10, 15, 1, tzinfo=AMS))

    assert state_on_friday == TicketClock.State.ON_TIME
    assert clock_of(answered).state == TicketClock.State.BREACHED


def test_sweeping_twice_changes_and_escalates_nothing_the_second_time(ticket, ict_lead, make_rule):
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD)
    make_rule(trigger=Trigger.RESPONSE_BREACHED, recipient=Recipient.TEAM_LEAD)
    first = sweep(now=LATER)
    messages = escalations()

    second = sweep(now=LATER)

    assert first == SweepResult(breached=1, response_breached=1, escalations=2)
    assert second == SweepResult()
    assert escalations() == messages
    assert clock_of(ticket).state == TicketClock.State.BREACHED


# ---------------------------------------------------------------- escalation


def test_a_breached_ticket_is_escalated_once_to_the_team_lead(answered, ict_lead, make_rule):
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD)

    sweep(now=DUE + MINUTE)

    assert escalations() == [
        {"trigger": "resolution_breached", "recipient": ict_lead.pk, "tickets": listed(answered)},
    ]
    message = OutboxMessage.objects.get(topic="sla.escalation")
    assert message.created_at == message.available_at == DUE + MINUTE
    assert message.sent_at is None


def test_a_team_lead_gets_one_message_listing_all_tickets_breached_in_one_sweep(
    org, requester, ict_lead, office_calendar, make_rule
):
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD)
    first, second = (
        factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=MONDAY) for _ in range(2)
    )

    result = sweep(now=LATER)

    assert result.escalations == 2
    [message] = escalations()
    assert (message["trigger"], message["recipient"]) == ("resolution_breached", ict_lead.pk)
    assert sorted(message["tickets"], key=lambda entry: entry["ticket_id"]) == listed(first, second)


def test_a_ticket_at_risk_is_escalated_to_its_assignee_under_an_at_risk_rule(answered, ict_agent, make_rule):
    assign_ticket(ticket=answered, actor=ict_agent, assignee=ict_agent, now=MONDAY + timedelta(hours=2))
    make_rule(trigger=Trigger.RESOLUTION_AT_RISK, recipient=Recipient.ASSIGNEE)
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD)

    sweep(now=AT_RISK)

    assert escalations() == [
        {"trigger": "resolution_at_risk", "recipient": ict_agent.pk, "tickets": listed(answered)},
    ]


def test_a_rule_for_another_department_skips_the_ticket(
    org, requester, ict_lead, hr_lead, office_calendar, make_rule
):
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD, department=org.hrm)
    factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=MONDAY)
    leave = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], now=MONDAY)

    result = sweep(now=LATER)

    assert result.breached == 2
    assert result.escalations == 1
    assert escalations() == [
        {"trigger": "resolution_breached", "recipient": hr_lead.pk, "tickets": listed(leave)},
    ]


def test_a_rule_up_to_a_priority_skips_less_urgent_tickets(
    org, requester, ict_lead, office_calendar, make_rule
):
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD, max_priority=Priority.HIGH)
    storing = org.items["ICT-STORING"]
    urgent = factories.ticket(
        requester=requester, item=storing, impact=Impact.HIGH, urgency=Urgency.MEDIUM, now=MONDAY
    )
    factories.ticket(requester=requester, item=storing, now=MONDAY)  # P4

    result = sweep(now=LATER)

    assert urgent.priority == Priority.HIGH
    assert result.breached == 2
    assert escalations() == [
        {"trigger": "resolution_breached", "recipient": ict_lead.pk, "tickets": listed(urgent)},
    ]


def test_an_inactive_rule_escalates_nothing(answered, ict_lead, make_rule):
    rule = make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD)
    rule.active = False
    rule.save()

    assert sweep(now=LATER).escalations == 0
    assert escalations() == []


def test_a_ticket_breached_by_raising_its_priority_is_still_escalated(
    answered, ict_agent, ict_lead, make_norm, make_rule
):
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD)
    make_norm(priority=Priority.CRITICAL, response=30, resolution=240)
    # Registered Monday 09:00; as P1 the 240 minutes ran out Monday 13:00. Raised at 14:00.
    update_ticket(
        ticket=answered,
        actor=ict_agent,
        changes={"impact": Impact.HIGH, "urgency": Urgency.HIGH},
        now=datetime(2026, 11, 2, 14, 0, tzinfo=AMS),
    )

    sweep(now=datetime(2026, 11, 2, 14, 1, tzinfo=AMS))

    assert clock_of(answered).state == TicketClock.State.BREACHED
    assert escalations() == [
        {"trigger": "resolution_breached", "recipient": ict_lead.pk, "tickets": listed(answered)},
    ]


def test_a_ticket_put_on_hold_after_its_due_time_is_still_escalated(answered, ict_agent, ict_lead, make_rule):
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD)
    waiting = change_status(
        ticket=answered, actor=ict_agent, to=Status.WAITING_CUSTOMER, now=DUE + timedelta(minutes=30)
    )
    change_status(
        ticket=waiting, actor=ict_agent, to=Status.IN_PROGRESS, now=datetime(2026, 11, 9, 9, 0, tzinfo=AMS)
    )

    sweep(now=LATER)

    assert clock_of(answered).state == TicketClock.State.BREACHED
    assert escalations() == [
        {"trigger": "resolution_breached", "recipient": ict_lead.pk, "tickets": listed(answered)},
    ]


def test_a_ticket_waiting_for_the_customer_is_not_swept_for_its_response(ticket, ict_lead, make_rule):
    make_rule(trigger=Trigger.RESPONSE_BREACHED, recipient=Recipient.TEAM_LEAD)
    change_status(ticket=ticket, actor=SYSTEM, to=Status.WAITING_CUSTOMER, now=MONDAY + timedelta(hours=1))

    result = sweep(now=LATER)

    assert result == SweepResult()
    assert clock_of(ticket).response_state == TicketClock.ResponseState.PENDING
    assert escalations() == []


# ---------------------------------------------------------------- the worker


def test_the_worker_runs_the_sweep_as_its_sla_job(org, requester, ict_lead, office_calendar, make_rule):
    make_rule(trigger=Trigger.RESOLUTION_BREACHED, recipient=Recipient.TEAM_LEAD)
    # The worker sweeps at the real now: a ticket nobody touched for thirty days is long overdue.
    old = factories.ticket(
        requester=requester, item=org.items["ICT-STORING"], now=timezone.now() - timedelta(days=30)
    )
    out = StringIO()

    call_command("worker", once=True, stdout=out)

    assert "sla: at risk 0, breached 1, response breached 1, escalations 1" in out.getvalue().splitlines()
    clock = clock_of(old)
    assert clock.state == TicketClock.State.BREACHED
    assert clock.response_state == TicketClock.ResponseState.BREACHED
    assert escalations() == [
        {"trigger": "resolution_breached", "recipient": ict_lead.pk, "tickets": listed(old)},
    ]
