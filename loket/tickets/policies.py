"""Who may do what with a ticket. Services enforce these; templates and the API reuse them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from loket.people.selectors import Actor

from .models import Status, Ticket


def can_view(actor: Actor, ticket: Ticket) -> bool:
    if actor.is_administrator:
        return True
    if actor.employee is None:
        return False
    if ticket.requester_id == actor.employee_id:
        return True
    if ticket.created_by_id == actor.employee_id and not ticket.confidential:
        return True
    if actor.is_staff_member:
        return not ticket.confidential or ticket.team_id in actor.team_ids
    return False


def can_work_on(actor: Actor, ticket: Ticket) -> bool:
    """Desk and back-office staff handle tickets they can see; requesters do not."""
    return actor.is_staff_member and can_view(actor, ticket)


def is_requester(actor: Actor, ticket: Ticket) -> bool:
    return actor.employee is not None and ticket.requester_id == actor.employee_id


def can_comment(actor: Actor, ticket: Ticket, *, internal: bool = False) -> bool:
    if internal:
        return can_work_on(actor, ticket)
    return can_work_on(actor, ticket) or is_requester(actor, ticket)


def can_respond_to_resolution(actor: Actor, ticket: Ticket) -> bool:
    """The requester accepts or reopens a resolution; the desk may do so on their behalf. The
    parts of a split case are not the requester's to accept: they answer for the whole case."""
    if ticket.parent_id:
        return can_work_on(actor, ticket)
    return is_requester(actor, ticket) or can_work_on(actor, ticket)


def reopen_period_over(ticket: Ticket, now: datetime | None = None) -> bool:
    """A resolution can be reopened for LOKET_REOPEN_DAYS days after gereed melden."""
    if ticket.resolved_at is None:
        return False
    now = now or timezone.now()
    return now > ticket.resolved_at + timedelta(days=settings.LOKET_REOPEN_DAYS)


def can_reopen(actor: Actor, ticket: Ticket, now: datetime | None = None) -> bool:
    return (
        ticket.status == Status.RESOLVED
        and can_respond_to_resolution(actor, ticket)
        and not reopen_period_over(ticket, now)
    )


def can_accept(actor: Actor, ticket: Ticket) -> bool:
    return ticket.status == Status.RESOLVED and can_respond_to_resolution(actor, ticket)
