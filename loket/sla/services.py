"""Every write of the SLA clocks: start, pause, resume, recompute, stop, sweep and escalate.

The clocks follow the ticket's own events (`tickets.events`), inside the ticket's transaction,
so a ticket and its clock never disagree. The sweep (a worker job) only moves states forward
(on time -> at risk -> breached) with conditional updates, so running it twice or concurrently
changes nothing twice and escalates once.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date, datetime

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from loket.core import services as core
from loket.people.models import TeamMembership
from loket.people.selectors import Actor
from loket.tickets.models import Status, Ticket, TicketChange
from loket.tickets.services import record_change

from .business_time import CalendarError, WorkingCalendar, parse_hours
from .models import WEEKDAYS, BusinessCalendar, EscalationRule, ServiceAgreement, ServiceNorm, TicketClock


def at_risk_share() -> float:
    """Share of the resolution norm after which a clock is at risk (LOKET_SLA_AT_RISK_PERCENT)."""
    return settings.LOKET_SLA_AT_RISK_PERCENT / 100


log = logging.getLogger(__name__)

# Norms (response, resolution, in working minutes) by priority when neither a catalogue item nor
# a service norm says otherwise. An 8-hour working day: 480 minutes.
DEFAULT_NORMS = {1: (30, 240), 2: (60, 480), 3: (240, 1440), 4: (480, 2400), 5: (960, 4800)}

# The statuses in which the resolution clock does not run.
PAUSED_STATUSES = (Status.WAITING_CUSTOMER, Status.WAITING_SUPPLIER)
STOPPED_STATUSES = (Status.RESOLVED, Status.CLOSED)

HOLIDAY_YEARS = range(1990, 2071)


# ---------------------------------------------------------------- calendars


def working_calendar(calendar: BusinessCalendar) -> WorkingCalendar:
    """The engine's view of a calendar, rebuilt only when the calendar changed (saving a calendar,
    also with its closing days in the admin, updates `updated_at`)."""
    key = (calendar.pk, calendar.updated_at)
    cached = _calendars.get(calendar.pk)
    if cached is not None and cached[0] == key:
        return cached[1]
    closing = tuple(calendar.closing_days.values_list("date", flat=True)) if calendar.pk else ()
    built = build_working_calendar(
        hours=calendar.hours_text(),
        zone=calendar.time_zone,
        public_holidays=calendar.public_holidays,
        good_friday=calendar.good_friday,
        liberation_day=calendar.liberation_day,
        closing_days=closing,
        key=f"{calendar.pk}:{calendar.updated_at}",
    )
    _calendars[calendar.pk] = (key, built)
    return built


_calendars: dict = {}


def build_working_calendar(
    *,
    hours: tuple[str, ...],
    zone: str = "Europe/Amsterdam",
    public_holidays: bool = True,
    good_friday: bool = False,
    liberation_day: str = BusinessCalendar.LiberationDay.EVERY_FIVE_YEARS,
    closing_days=(),
    key: str = "",
) -> WorkingCalendar:
    return WorkingCalendar(
        weekly=tuple(parse_hours(text) for text in hours),
        closed=frozenset(closed_days(public_holidays, good_friday, liberation_day)) | frozenset(closing_days),
        zone=zone,
        key=key,
    )


def closed_days(public_holidays: bool, good_friday: bool, liberation_day: str) -> set[date]:
    """Dutch public holidays from the `holidays` package (Koningsdag moves to Saturday when
    27 April is a Sunday), with Good Friday and Liberation Day as the organisation chooses."""
    if not public_holidays:
        days: set[date] = set()
    else:
        days = {
            day
            for day, name in holidays.country_holidays("NL", years=HOLIDAY_YEARS, language="en_US").items()
            if name not in ("Good Friday", "Liberation Day")
        }
    for year in HOLIDAY_YEARS:
        if good_friday:
            days |= {
                day
                for day, name in holidays.country_holidays("NL", years=year, language="en_US").items()
                if name == "Good Friday"
            }
        if liberation_day == BusinessCalendar.LiberationDay.EVERY_YEAR or (
            liberation_day == BusinessCalendar.LiberationDay.EVERY_FIVE_YEARS and year % 5 == 0
        ):
            days.add(date(year, 5, 5))
    return days


# ---------------------------------------------------------------- configuration snapshot
#
# Calendars, norms and agreements change rarely and are read on every ticket change. Each process
# keeps a snapshot: saving any of them in this process drops it at once (signals, see apps.py);
# other processes (gunicorn and Celery workers) reload theirs within CONFIG_TTL seconds.

CONFIG_TTL = 60


@dataclass
class _Config:
    loaded_at: float
    default: BusinessCalendar | None
    by_item: dict
    by_team: dict
    norms: list
    agreements: list


_config: _Config | None = None


# True while a calendar made by `default_calendar` is not committed yet: no snapshot may hold it,
# since a rollback would leave the snapshot pointing at a calendar that does not exist.
_uncommitted = False


def invalidate_config(**_kwargs) -> None:
    global _config
    _config = None


def _committed() -> None:
    global _uncommitted
    _uncommitted = False
    invalidate_config()


def _configuration() -> _Config:
    global _config
    import time

    if _config is not None and time.monotonic() - _config.loaded_at < CONFIG_TTL:
        return _config
    calendars = {calendar.pk: calendar for calendar in BusinessCalendar.objects.order_by("pk")}
    by_item: dict[int, BusinessCalendar] = {}
    for item_id, calendar_id in BusinessCalendar.catalog_items.through.objects.order_by(
        "businesscalendar_id"
    ).values_list("catalogitem_id", "businesscalendar_id"):
        by_item.setdefault(item_id, calendars[calendar_id])
    by_team: dict[int, BusinessCalendar] = {}
    for team_id, calendar_id in BusinessCalendar.teams.through.objects.order_by(
        "businesscalendar_id"
    ).values_list("team_id", "businesscalendar_id"):
        by_team.setdefault(team_id, calendars[calendar_id])
    default = next((calendar for calendar in calendars.values() if calendar.is_default), None)
    snapshot = _Config(
        loaded_at=time.monotonic(),
        default=default,
        by_item=by_item,
        by_team=by_team,
        norms=list(ServiceNorm.objects.all()),
        agreements=list(ServiceAgreement.objects.filter(active=True).order_by("valid_from", "pk")),
    )
    if not _uncommitted:
        _config = snapshot
    return snapshot


def default_calendar() -> BusinessCalendar:
    """The calendar marked default; office hours are made on the spot if none is (a migration
    makes one on every install, so this happens only after someone removed it)."""
    global _uncommitted
    calendar = _configuration().default
    if calendar is None:
        _uncommitted = True
        transaction.on_commit(_committed)
        calendar, _created = BusinessCalendar.objects.get_or_create(
            code="KANTOOR",
            defaults={
                "name": "Kantoortijden",
                **{day: "08:30-17:00" for day in WEEKDAYS[:5]},
                "is_default": True,
            },
        )
        invalidate_config()
    return calendar


def calendar_for(ticket: Ticket) -> BusinessCalendar:
    """The item's calendar, else the team's, else the default."""
    config = _configuration()
    return (
        config.by_item.get(ticket.catalog_item_id) or config.by_team.get(ticket.team_id) or default_calendar()
    )


# ---------------------------------------------------------------- norms


@dataclass(frozen=True)
class Norms:
    response_minutes: int
    resolution_minutes: int
    agreement: ServiceAgreement | None = None


def agreement_for(ticket: Ticket, on: date) -> ServiceAgreement | None:
    """The DVO of the requester's unit (or a unit above it) valid on that day."""
    valid = {
        agreement.customer_unit_id: agreement
        for agreement in _configuration().agreements
        if agreement.valid_from <= on and (agreement.valid_until is None or agreement.valid_until >= on)
    }
    if not valid or not ticket.requester_id:
        return None
    unit, seen = ticket.requester.unit, set()
    while unit is not None and unit.pk not in seen:
        if unit.pk in valid:
            return valid[unit.pk]
        seen.add(unit.pk)
        unit = unit.parent
    return None


def norms_for(ticket: Ticket, *, now: datetime) -> Norms:
    """The catalogue item's norms, overridden by the most specific matching service norm:
    agreement (DVO) beats item beats priority."""
    agreement = agreement_for(ticket, timezone.localdate(now))
    candidates = [
        norm
        for norm in _configuration().norms
        if norm.agreement_id in (None, agreement.pk if agreement else None)
        and norm.catalog_item_id in (None, ticket.catalog_item_id)
        and norm.priority in (None, ticket.priority)
    ]
    best, best_score = None, -1
    for norm in candidates:
        score = (
            4 * (norm.agreement_id is not None)
            + 2 * (norm.catalog_item_id is not None)
            + (norm.priority is not None)
        )
        if score > best_score:
            best, best_score = norm, score
    if best is not None:
        return Norms(best.response_minutes, best.resolution_minutes, agreement if best.agreement_id else None)
    if ticket.catalog_item_id:
        item = ticket.catalog_item
        return Norms(item.response_minutes, item.resolution_minutes)
    response, resolution = DEFAULT_NORMS.get(ticket.priority, DEFAULT_NORMS[3])
    return Norms(response, resolution)


# ---------------------------------------------------------------- clocks


def _due_times(clock: TicketClock, engine: WorkingCalendar) -> None:
    """Due moments from the start, the norms and the working minutes spent paused. A calendar
    too sparse for the norm (a configuration error) must not stop a ticket from being
    registered: office hours stand in and the problem is logged."""
    try:
        _set_due_times(clock, engine)
    except CalendarError:
        log.error(
            "calendar %s cannot hold the norms of ticket %s; using office hours", engine.key, clock.ticket_id
        )
        _set_due_times(clock, _office_hours())


def _office_hours() -> WorkingCalendar:
    return build_working_calendar(hours=("08:30-17:00",) * 5 + ("", ""), key="office-hours")


def _set_due_times(clock: TicketClock, engine: WorkingCalendar) -> None:
    clock.response_due = engine.add(clock.started_at, clock.response_minutes)
    clock.resolution_due = engine.add(clock.started_at, clock.resolution_minutes + clock.paused_minutes)
    clock.at_risk_at = engine.add(
        clock.started_at, math.ceil(clock.resolution_minutes * at_risk_share()) + clock.paused_minutes
    )


def _state_at(clock: TicketClock, moment: datetime) -> str:
    if moment >= clock.resolution_due:
        return TicketClock.State.BREACHED
    if moment >= clock.at_risk_at:
        return TicketClock.State.AT_RISK
    return TicketClock.State.ON_TIME


def _history(ticket, *, actor, now, new: str, note: str = "") -> None:
    record_change(
        ticket, actor=actor, action=TicketChange.Action.CLOCK, at=now, field="sla", new=new, note=note
    )


def start_clock(*, ticket: Ticket, now: datetime, actor: Actor | None = None) -> TicketClock:
    """Registration starts both clocks: response and resolution, on the ticket's calendar."""
    calendar = calendar_for(ticket)
    norms = norms_for(ticket, now=now)
    clock = TicketClock(
        ticket=ticket,
        calendar=calendar,
        agreement=norms.agreement,
        response_minutes=norms.response_minutes,
        resolution_minutes=norms.resolution_minutes,
        started_at=now,
        updated_at=now,
    )
    _due_times(clock, working_calendar(calendar))
    clock.save(force_insert=True)
    return clock


def _pause(clock: TicketClock, *, now, actor, reason: str) -> None:
    if clock.paused_at is not None or clock.stopped_at is not None:
        return
    _move_forward(clock, now=now)
    clock.paused_at = now
    _history(clock.ticket, actor=actor, now=now, new="paused", note=reason)


def _resume(clock: TicketClock, *, now, actor, reason: str) -> None:
    if clock.paused_at is None and clock.stopped_at is None:
        return
    since = clock.paused_at or clock.stopped_at
    engine = working_calendar(clock.calendar)
    clock.paused_minutes += engine.minutes_between(since, now)
    clock.paused_at = None
    clock.stopped_at = None
    _due_times(clock, engine)
    _move_forward(clock, now=now)
    _history(clock.ticket, actor=actor, now=now, new="running", note=reason)


_STATE_ORDER = [TicketClock.State.ON_TIME, TicketClock.State.AT_RISK, TicketClock.State.BREACHED]


def _move_forward(clock: TicketClock, *, now: datetime) -> None:
    """States only move forward. A clock that moves here (a pause, resume or new norm that finds
    the moment already past) is escalated here, exactly as the sweep would have: the sweep only
    sees clocks still in the earlier state."""
    new = _state_at(clock, now)
    if _STATE_ORDER.index(new) <= _STATE_ORDER.index(clock.state):
        return
    clock.state = new
    trigger = (
        EscalationRule.Trigger.RESOLUTION_BREACHED
        if new == TicketClock.State.BREACHED
        else EscalationRule.Trigger.RESOLUTION_AT_RISK
    )
    rules = list(EscalationRule.objects.filter(active=True, trigger=trigger))
    if rules:
        _escalate([clock.ticket_id], rules, trigger=trigger, now=now)


def _respond(clock: TicketClock, *, now) -> None:
    if clock.responded_at is None:
        clock.responded_at = now
        if clock.response_state == TicketClock.ResponseState.PENDING:
            clock.response_state = (
                TicketClock.ResponseState.MET if now <= clock.response_due else TicketClock.ResponseState.LATE
            )
        elif clock.response_state == TicketClock.ResponseState.BREACHED:
            clock.response_state = TicketClock.ResponseState.LATE


def _respond_case(case_id: int, *, now) -> None:
    clock = TicketClock.objects.filter(ticket_id=case_id, responded_at__isnull=True).first()
    if clock is not None:
        _respond(clock, now=now)
        clock.updated_at = now
        clock.save(update_fields=["responded_at", "response_state", "updated_at"])


def on_ticket_event(
    *, topic: str, ticket: Ticket, now: datetime, actor: Actor | None = None, **extra
) -> None:
    """Keep the clock in step with the ticket (subscribed to `tickets.events`)."""
    if topic == "ticket.created":
        start_clock(ticket=ticket, now=now, actor=actor)
        return
    clock = TicketClock.objects.select_related("calendar").filter(ticket=ticket).first()
    if clock is None:
        return
    clock.ticket = ticket
    staff = actor is not None and actor.is_staff_member and actor.employee_id is not None
    fields = set(extra.get("fields") or ())
    if staff and (topic == "ticket.commented" or "status" in fields or topic == "ticket.resolved"):
        _respond(clock, now=now)
        if ticket.parent_id:  # a team answering on its part answers the case
            _respond_case(ticket.parent_id, now=now)
    status = ticket.status
    if status in STOPPED_STATUSES:
        if clock.stopped_at is None:
            if clock.paused_at is None:
                clock.state = max(clock.state, _state_at(clock, now), key=_STATE_ORDER.index)
            else:  # resolved while waiting: the wait counts as paused time
                clock.paused_minutes += working_calendar(clock.calendar).minutes_between(clock.paused_at, now)
                clock.paused_at = None
            clock.stopped_at = now
            _history(ticket, actor=actor, now=now, new="stopped")
    elif status in PAUSED_STATUSES:
        _pause(clock, now=now, actor=actor, reason=Status(status).label)
    elif clock.paused_at is not None or clock.stopped_at is not None:
        _resume(clock, now=now, actor=actor, reason=Status(status).label)
    if fields & {"priority", "catalog_item", "department", "team"} and clock.stopped_at is None:
        _recompute(clock, ticket=ticket, now=now, actor=actor)
    clock.updated_at = now
    clock.save()


def _recompute(clock: TicketClock, *, ticket: Ticket, now, actor) -> None:
    """A new priority or item brings new norms; the time already spent still counts."""
    norms = norms_for(ticket, now=clock.started_at)
    calendar = calendar_for(ticket)
    if (norms.response_minutes, norms.resolution_minutes, calendar.pk) == (
        clock.response_minutes,
        clock.resolution_minutes,
        clock.calendar_id,
    ):
        return
    old_due = clock.resolution_due
    clock.response_minutes = norms.response_minutes
    clock.resolution_minutes = norms.resolution_minutes
    clock.agreement = norms.agreement
    clock.calendar = calendar
    _due_times(clock, working_calendar(calendar))
    if clock.running:
        if clock.state == TicketClock.State.AT_RISK and _state_at(clock, now) == TicketClock.State.ON_TIME:
            clock.state = TicketClock.State.ON_TIME  # more time after all (a lower priority)
        _move_forward(clock, now=now)
    record_change(
        ticket,
        actor=actor,
        action=TicketChange.Action.CLOCK,
        at=now,
        field="resolution_due",
        old=timezone.localtime(old_due).strftime("%Y-%m-%d %H:%M"),
        new=timezone.localtime(clock.resolution_due).strftime("%Y-%m-%d %H:%M"),
    )


# ---------------------------------------------------------------- the sweep and escalation


@dataclass
class SweepResult:
    at_risk: int = 0
    breached: int = 0
    response_breached: int = 0
    escalations: int = 0

    def __str__(self) -> str:
        return (
            f"at risk {self.at_risk}, breached {self.breached}, response breached {self.response_breached}, "
            f"escalations {self.escalations}"
        )


def sweep(*, now: datetime | None = None, batch: int = 2000) -> SweepResult:
    """Move running clocks whose moment has come to at risk or breached, and escalate each change
    once. Only rows still in the old state are updated, so concurrent sweeps cannot double up."""
    now = now or timezone.now()
    result = SweepResult()
    running = Q(paused_at__isnull=True, stopped_at__isnull=True)
    steps = (
        ("breached", "state", [TicketClock.State.ON_TIME, TicketClock.State.AT_RISK], "resolution_due",
         TicketClock.State.BREACHED, EscalationRule.Trigger.RESOLUTION_BREACHED),
        ("at_risk", "state", [TicketClock.State.ON_TIME], "at_risk_at",
         TicketClock.State.AT_RISK, EscalationRule.Trigger.RESOLUTION_AT_RISK),
        ("response_breached", "response_state", [TicketClock.ResponseState.PENDING], "response_due",
         TicketClock.ResponseState.BREACHED, EscalationRule.Trigger.RESPONSE_BREACHED),
    )  # fmt: skip
    rules = list(EscalationRule.objects.filter(active=True))
    for counter, field, old_states, due_field, new_state, trigger in steps:
        condition = running if field == "state" else running & Q(responded_at__isnull=True)
        while True:
            with transaction.atomic():
                # The rows are locked until commit (PostgreSQL: a concurrent sweep skips them;
                # SQLite: one writer at a time), so updating them by key cannot change a clock
                # that another sweep already moved.
                ids = list(
                    TicketClock.objects.select_for_update(skip_locked=True)
                    .filter(condition, **{f"{field}__in": old_states, f"{due_field}__lte": now})
                    .values_list("ticket_id", flat=True)[:batch]
                )
                if not ids:
                    break
                changed = TicketClock.objects.filter(ticket_id__in=ids).update(
                    **{field: new_state, "updated_at": now}
                )
                setattr(result, counter, getattr(result, counter) + changed)
                matching = [rule for rule in rules if rule.trigger == trigger]
                if matching:
                    result.escalations += _escalate(ids, matching, trigger=trigger, now=now)
            if len(ids) < batch:
                break
    return result


def _escalate(ticket_ids: list[int], rules: list[EscalationRule], *, trigger: str, now: datetime) -> int:
    """Tell the people the rules name, through the outbox (the mail channel delivers it): one
    message per person and trigger per batch, listing their tickets, so a team lead gets one
    mail about forty breached tickets rather than forty mails. Returns the tickets escalated."""
    rows = list(
        Ticket.objects.filter(pk__in=ticket_ids).values_list(
            "pk", "number", "assignee_id", "team_id", "department_id", "priority"
        )
    )
    team_ids = {row[3] for row in rows if row[3]}
    leads: dict[int, dict[str, list[int]]] = {}
    for team_id, employee_id, role in TeamMembership.objects.filter(
        team_id__in=team_ids, role__in=[TeamMembership.Role.TEAM_LEAD, TeamMembership.Role.MANAGER]
    ).values_list("team_id", "employee_id", "role"):
        leads.setdefault(team_id, {}).setdefault(role, []).append(employee_id)
    per_recipient: dict[int, list[dict]] = {}
    escalated = 0
    for pk, number, assignee_id, team_id, department_id, priority in rows:
        recipients: set[int] = set()
        for rule in rules:
            if rule.department_id and rule.department_id != department_id:
                continue
            if rule.max_priority and priority > rule.max_priority:
                continue
            if rule.recipient == EscalationRule.Recipient.ASSIGNEE and assignee_id:
                recipients.add(assignee_id)
            elif rule.recipient == EscalationRule.Recipient.TEAM_LEAD:
                recipients.update(leads.get(team_id, {}).get(TeamMembership.Role.TEAM_LEAD, []))
            elif rule.recipient == EscalationRule.Recipient.MANAGER:
                recipients.update(leads.get(team_id, {}).get(TeamMembership.Role.MANAGER, []))
        for recipient in recipients:
            per_recipient.setdefault(recipient, []).append({"ticket_id": pk, "number": number})
        escalated += bool(recipients)
    payloads = [
        {"trigger": trigger, "recipient": recipient, "tickets": tickets}
        for recipient, tickets in sorted(per_recipient.items())
    ]
    core.enqueue_many("sla.escalation", payloads=payloads, now=now)
    return escalated


def sweep_job() -> str:
    return str(sweep())


def ensure_escalation_rule(*, name: str, trigger: str, recipient: str, max_priority: int | None = None):
    """An escalation rule by name, created once (the demo and installers use it)."""
    if trigger not in EscalationRule.Trigger.values or recipient not in EscalationRule.Recipient.values:
        raise ValueError("unknown trigger or recipient")
    rule, _created = EscalationRule.objects.get_or_create(
        name=name, defaults={"trigger": trigger, "recipient": recipient, "max_priority": max_priority}
    )
    return rule


def ensure_calendar(
    *,
    code: str,
    name: str,
    weekdays: str,
    saturday: str = "",
    sunday: str = "",
    teams=(),
    is_default: bool = False,
) -> BusinessCalendar:
    """A calendar by code with the same hours Monday to Friday, created once; `teams` are added
    to it (the demo and installers use this)."""
    parse_hours(weekdays), parse_hours(saturday), parse_hours(sunday)  # refuse unreadable hours early
    calendar, _created = BusinessCalendar.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            **dict.fromkeys(WEEKDAYS[:5], weekdays),
            "saturday": saturday,
            "sunday": sunday,
            "is_default": is_default,
        },
    )
    if teams:
        calendar.teams.add(*teams)
    return calendar
