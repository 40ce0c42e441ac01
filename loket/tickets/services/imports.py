"""Loading historical tickets (the tickets-train.jsonl format): each line on its own, so a
bad line is reported and the rest still loads."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from loket.catalog.models import CatalogItem
from loket.core.errors import DomainError
from loket.people.models import Employee
from loket.people.selectors import SYSTEM
from loket.people.services import upsert_employee

from ..models import Channel, Status, Ticket
from .workflow import change_status, close_ticket, create_ticket, mark_resolved

CHANNEL_ALIASES = {
    "portal": Channel.PORTAL,
    "portaal": Channel.PORTAL,
    "telefoon": Channel.PHONE,
    "phone": Channel.PHONE,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "mail": Channel.EMAIL,
    "balie": Channel.WALK_IN,
    "walk_in": Channel.WALK_IN,
    "api": Channel.API,
}

UNKNOWN_REQUESTER_NUMBER = "ONBEKEND"


@dataclass
class TicketImportResult:
    created: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(created)d meldingen geïmporteerd, %(skipped)d al aanwezig, %(errors)d regels met fouten."
        ) % {
            "created": self.created,
            "skipped": self.skipped,
            "errors": len(self.errors),
        }


@dataclass(frozen=True)
class Timeline:
    """When a historical ticket was created and how far it got (for the demo's realistic history)."""

    created_at: datetime
    status: str = Status.CLOSED
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    worked_at: datetime | None = None


def unknown_requester() -> Employee:
    """The placeholder requester for imported tickets whose requester is not known."""
    return upsert_employee(
        employee_number=UNKNOWN_REQUESTER_NUMBER, first_name="", last_name=_("Onbekende aanvrager")
    )


def _requester_from_record(record: dict) -> Employee | None:
    ref = record.get("requester")
    if not ref:
        return None
    ref = str(ref).strip()
    employee = (
        Employee.objects.filter(employee_number=ref).first()
        or Employee.objects.filter(email__iexact=ref).first()
    )
    if employee is None:
        raise DomainError(
            "unknown_requester", _("onbekende aanvrager %(ref)r") % {"ref": ref}, field="requester"
        )
    return employee


def import_ticket_record(
    *,
    record: dict,
    requester: Employee,
    timeline: Timeline,
    resolver: Employee | None = None,
) -> Ticket | None:
    """Create one historical ticket through the normal services, replaying its timeline.

    Returns None when a ticket with the same id was imported before (idempotent).
    """
    if not isinstance(record, dict):
        raise DomainError("invalid_record", _("verwacht een JSON-object"))
    ref = str(record.get("id") or "").strip()
    if not ref:
        raise DomainError("id_required", _("veld 'id' ontbreekt"), field="id")
    if Ticket.objects.filter(external_ref=ref).exists():
        return None
    code = record.get("catalog_code")
    item = (
        CatalogItem.objects.select_related("department", "department__default_team", "default_team")
        .filter(code=code)
        .first()
    )
    if item is None:
        raise DomainError(
            "unknown_item", _("onbekende productcode %(code)r") % {"code": code}, field="catalog_code"
        )
    department = record.get("department")
    if department and department != item.department.code:
        raise DomainError(
            "department_mismatch",
            _("afdeling %(dep)r past niet bij product %(code)s (%(item_dep)s)")
            % {"dep": department, "code": code, "item_dep": item.department.code},
            field="department",
        )
    channel = CHANNEL_ALIASES.get(str(record.get("channel", "portal")).lower())
    if channel is None:
        raise DomainError(
            "invalid_channel", _("onbekend kanaal %(c)r") % {"c": record.get("channel")}, field="channel"
        )
    with transaction.atomic():
        ticket = create_ticket(
            requester=requester,
            actor=None,
            subject=str(record.get("subject") or ""),
            description=str(record.get("text") or ""),
            channel=channel,
            kwis=record.get("kwis"),
            catalog_item=item,
            external_ref=ref,
            require_form=False,
            split=False,  # history: the parts, if any, are not in the record
            now=timeline.created_at,
        )
        resolver_actor = resolver or SYSTEM
        if timeline.status != Status.NEW and timeline.worked_at:
            ticket = change_status(
                ticket=ticket, actor=resolver_actor, to=Status.IN_PROGRESS, now=timeline.worked_at
            )
        if timeline.status in (Status.WAITING_CUSTOMER, Status.WAITING_SUPPLIER):
            ticket = change_status(
                ticket=ticket, actor=resolver_actor, to=timeline.status, now=timeline.worked_at
            )
        if timeline.status in (Status.RESOLVED, Status.CLOSED):
            ticket = mark_resolved(
                ticket=ticket,
                actor=resolver_actor,
                resolution=str(record.get("resolution") or _("Afgehandeld (historische melding).")),
                now=timeline.resolved_at or timeline.created_at,
            )
        if timeline.status == Status.CLOSED:
            ticket = close_ticket(
                ticket=ticket,
                actor=None,
                now=timeline.closed_at or timeline.resolved_at or timeline.created_at,
            )
    return ticket


def import_ticket_lines(
    *,
    lines: Iterable[str],
    requester_for: Callable[[int, dict], Employee] | None = None,
    timeline_for: Callable[[int, dict], Timeline] | None = None,
    resolver_for: Callable[[int, dict, Ticket | None], Employee | None] | None = None,
    now: datetime | None = None,
) -> TicketImportResult:
    """`loket tickets import`: one JSON object per line; bad lines are reported, the rest loads.

    Optional keys beyond the demo format: `requester` (employee number or e-mail),
    `created_at` (ISO 8601) and `status` (closed by default: history is history).
    """
    now = now or timezone.now()
    result = TicketImportResult()
    placeholder = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.errors.append(
                _("Regel %(n)d: geen geldige JSON (%(why)s).") % {"n": number, "why": exc.msg}
            )
            continue
        label = (record.get("id") or "?") if isinstance(record, dict) else "?"
        try:
            if not isinstance(record, dict):
                raise DomainError("invalid_record", _("verwacht een JSON-object"))
            requester = _requester_from_record(record)
            if requester is None and requester_for is not None:
                requester = requester_for(number, record)
            if requester is None:
                placeholder = placeholder or unknown_requester()
                requester = placeholder
            timeline = timeline_for(number, record) if timeline_for else _timeline_from_record(record, now)
            resolver = resolver_for(number, record, None) if resolver_for else None
            ticket = import_ticket_record(
                record=record, requester=requester, timeline=timeline, resolver=resolver
            )
        except DomainError as exc:
            result.errors.append(
                _("Regel %(n)d (%(id)s): %(msg)s.") % {"n": number, "id": label, "msg": str(exc).rstrip(".")}
            )
            continue
        if ticket is None:
            result.skipped += 1
        else:
            result.created += 1
    return result


def _timeline_from_record(record: dict, now: datetime) -> Timeline:
    created = record.get("created_at")
    created_at = now
    if created:
        try:
            parsed = parse_datetime(str(created))
        except ValueError:
            parsed = None
        if parsed is None:
            raise DomainError(
                "invalid_created_at", _("'created_at' is geen geldige datum en tijd"), field="created_at"
            )
        created_at = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        if created_at > now:
            raise DomainError("created_in_future", _("'created_at' ligt in de toekomst"), field="created_at")
    status = record.get("status", Status.CLOSED)
    if status not in Status.values or status == Status.REOPENED:
        raise DomainError("invalid_status", _("onbekende status %(s)r") % {"s": status}, field="status")
    return Timeline(
        created_at=created_at,
        status=status,
        worked_at=created_at,
        resolved_at=created_at,
        closed_at=created_at,
    )
