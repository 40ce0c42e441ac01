"""/api/v1/tickets: the same selectors and services as the pages, so the same rules hold."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import Field

from loket.catalog.models import CatalogItem
from loket.core.errors import DomainError
from loket.people.models import Employee, ServiceDepartment, Team
from loket.people.selectors import active_employee, actor_for
from loket.sla.selectors import clock_of
from loket.tickets import selectors
from loket.tickets import services as tickets
from loket.tickets.models import Status, Ticket

from . import services
from .schemas import (
    AssignIn,
    AttachmentOut,
    ChannelCode,
    Code,
    CommentIn,
    CommentOut,
    Error,
    KwisCode,
    Moment,
    ReopenIn,
    ResolveIn,
    StatusFilter,
    StatusIn,
    Text,
    TicketCreate,
    TicketDetail,
    TicketPage,
    TicketUpdate,
    Versioned,
)

router = Router(tags=["tickets"])

ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}
NumberPath = Code


# ---------------------------------------------------------------- output shaping


def _person(employee: Employee | None) -> dict | None:
    if employee is None:
        return None
    return {"employee_number": employee.employee_number, "name": employee.full_name}


def summary(ticket: Ticket) -> dict:
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "status_label": str(Status(ticket.status).label),
        "kwis": ticket.kwis,
        "channel": ticket.channel,
        "priority": ticket.priority,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "confidential": ticket.confidential,
        "requester": _person(ticket.requester),
        "department": ticket.department.code if ticket.department_id else None,
        "team": ticket.team.code if ticket.team_id else None,
        "assignee": _person(ticket.assignee),
        "catalog_item": ticket.catalog_item.code if ticket.catalog_item_id else None,
        "parent": ticket.parent.number if ticket.parent_id else None,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "version": ticket.version,
    }


def detail(request, ticket: Ticket) -> dict:
    user = request.user
    comments = list(selectors.comments_visible_to(user, ticket=ticket))
    visible_comment_ids = {comment.pk for comment in comments}
    actor = actor_for(user)
    attachments = [
        attachment
        for attachment in ticket.attachments.all()
        if actor.is_staff_member
        or (
            not attachment.internal
            and (attachment.comment_id is None or attachment.comment_id in visible_comment_ids)
        )
    ]
    return {
        **summary(ticket),
        "description": ticket.description,
        "form_answers": ticket.form_answers or {},
        "resolution": ticket.resolution,
        "reopen_count": ticket.reopen_count,
        "external_ref": ticket.external_ref,
        "comments": [
            {
                "id": comment.pk,
                "author": _person(comment.author),
                "visibility": comment.visibility,
                "body": comment.body,
                "created_at": comment.created_at,
            }
            for comment in comments
        ],
        "attachments": [_attachment(ticket, attachment) for attachment in attachments],
        "history": [
            {
                "at": change.at,
                "actor": _person(change.actor),
                "action": change.action,
                "field": change.field,
                "old_value": change.old_value,
                "new_value": change.new_value,
                "note": change.note,
            }
            for change in selectors.history_visible_to(user, ticket=ticket)
        ],
        "children": [summary(child) for child in selectors.children_of(user, ticket=ticket)],
        "clock": _clock(ticket),
    }


def _clock(ticket: Ticket, clock=None) -> dict | None:
    clock = clock or clock_of(ticket)
    if clock is None:
        return None
    return {
        "state": clock.state,
        "response_state": clock.response_state,
        "response_due": clock.response_due,
        "resolution_due": clock.resolution_due,
        "paused": clock.paused_at is not None,
        "stopped": clock.stopped_at is not None,
        "calendar": clock.calendar.name,
    }


def _attachment(ticket: Ticket, attachment) -> dict:
    return {
        "id": attachment.pk,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "internal": attachment.internal,
        "created_at": attachment.created_at,
        "url": reverse(
            "api:download_attachment", kwargs={"number": ticket.number, "attachment_id": attachment.pk}
        ),
    }


def _visible_ticket(request, number: str) -> Ticket:
    ticket = selectors.ticket_for(request.user, number=number)
    if ticket is None:
        raise Http404
    return ticket


# ---------------------------------------------------------------- lookups by code


def _lookup(model, field: str, value: str | None, message: str):
    if value is None:
        return None
    found = model.objects.filter(**{"code" if model is not Employee else "employee_number": value}).first()
    if found is None:
        raise DomainError("unknown_" + field, message % {"value": value}, field=field)
    return found


def _requester(request, value: str | None) -> Employee:
    if value is None:
        employee = actor_for(request.user).employee
        if employee is None:
            raise DomainError(
                "requester_required",
                _("Je account is nog niet gekoppeld aan een medewerker; geef de aanvrager op."),
                field="requester",
            )
        return employee
    employee = active_employee(value)
    if employee is None:
        raise DomainError(
            "unknown_requester", _("Onbekende medewerker: %(value)s.") % {"value": value}, field="requester"
        )
    return employee


# ---------------------------------------------------------------- cursor pagination


def _encode_cursor(ticket: Ticket) -> str:
    raw = f"{ticket.created_at.isoformat()}|{ticket.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|")
        parsed = parse_datetime(moment)
        if parsed is None or parsed.tzinfo is None:
            raise ValueError
        return parsed, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise DomainError(
            "invalid_cursor", _("Ongeldige cursor; begin opnieuw zonder cursor."), field="cursor"
        ) from None


class TicketFilters(Schema):
    status: list[StatusFilter] = Field(
        default_factory=list, description="One or more statuses, or the groups open and done."
    )
    team: Code | None = Field(None, description="Team code.")
    department: Code | None = Field(None, description="Service department code.")
    kwis: KwisCode | None = None
    channel: ChannelCode | None = None
    requester: Code | None = Field(None, description="Employee number of the requester.")
    created_after: Moment | None = None
    created_before: Moment | None = None
    updated_after: Moment | None = None
    updated_before: Moment | None = None
    q: Text | None = Field(None, max_length=200, description="Text in number, subject or description.")
    cursor: Text | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=100)


# ---------------------------------------------------------------- endpoints


@router.get("/tickets", response={200: TicketPage, **ERRORS}, summary="List tickets you may see")
def list_tickets(request, filters: Query[TicketFilters]):
    qs = selectors.search_tickets(
        request.user,
        statuses=[status.value for status in filters.status],
        team=filters.team,
        department=filters.department,
        kwis=filters.kwis.value if filters.kwis else None,
        channel=filters.channel.value if filters.channel else None,
        requester=filters.requester,
        created_after=filters.created_after,
        created_before=filters.created_before,
        updated_after=filters.updated_after,
        updated_before=filters.updated_before,
        text=filters.q,
    ).prefetch_related("parent")
    if filters.cursor:
        moment, pk = _decode_cursor(filters.cursor)
        from django.db.models import Q

        qs = qs.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    rows = list(qs.order_by("-created_at", "-id")[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {
        "items": [summary(ticket) for ticket in rows],
        "next_cursor": _encode_cursor(rows[-1]) if more else None,
    }


@router.post("/tickets", response={200: TicketDetail, 201: TicketDetail, **ERRORS}, summary="Create a ticket")
def create_ticket(request, payload: TicketCreate):
    """Send an `Idempotency-Key` header to make retries safe: a retry returns the first ticket
    (status 200) instead of creating another."""

    def create() -> Ticket:
        item = _lookup(
            CatalogItem, "catalog_item", payload.catalog_item, _("Onbekend product of dienst: %(value)s.")
        )
        department = _lookup(
            ServiceDepartment, "department", payload.department, _("Onbekende afdeling: %(value)s.")
        )
        return tickets.create_ticket(
            requester=_requester(request, payload.requester),
            actor=actor_for(request.user),
            subject=payload.subject,
            description=payload.description,
            channel=payload.channel.value,
            kwis=payload.kwis.value if payload.kwis else None,
            catalog_item=item,
            department=department,
            impact=payload.impact,
            urgency=payload.urgency,
            form_answers=payload.form_answers,
            external_ref=payload.external_ref,
        )

    key = request.headers.get("Idempotency-Key")
    if key is not None:
        ticket, created = services.create_once(
            user=request.user, key=key, request_fingerprint=services.fingerprint(request.body), create=create
        )
    else:
        ticket, created = create(), True
    if not created:
        return Answer(200, _answer(request, ticket))
    if ticket.catalog_item_id and ticket.catalog_item.task_template:
        return Answer(201, _answer(request, ticket))  # split into child tasks: read it back whole
    return Answer(201, _new_ticket_detail(request, ticket))


def _new_ticket_detail(request, ticket: Ticket) -> dict:
    """A ticket just created (and not split) has no comments, attachments or children and one
    history line:
    answer from memory instead of reading it all back (creates are the hot path of integrations)."""
    created_by = actor_for(request.user).employee
    return {
        **summary(ticket),
        "description": ticket.description,
        "form_answers": ticket.form_answers or {},
        "resolution": ticket.resolution,
        "reopen_count": ticket.reopen_count,
        "external_ref": ticket.external_ref,
        "comments": [],
        "attachments": [],
        "history": [
            {
                "at": ticket.created_at,
                "actor": _person(created_by),
                "action": "created",
                "field": "",
                "old_value": "",
                "new_value": ticket.number,
                "note": "",
            }
        ],
        "children": [],
        # The clock was started in the same transaction; it is cached on the ticket.
        "clock": _clock(ticket, clock=_cached_clock(ticket)),
    }


def _cached_clock(ticket: Ticket):
    relation = Ticket._meta.get_field("clock")
    return relation.get_cached_value(ticket) if relation.is_cached(ticket) else None


@router.get(
    "/tickets/{number}", response={200: TicketDetail, **ERRORS}, summary="One ticket with its history"
)
def get_ticket(request, number: NumberPath):
    return detail(request, _visible_ticket(request, number))


def _answer(request, ticket: Ticket) -> dict:
    """The ticket after the caller's action, as far as the caller may now see it."""
    visible = selectors.ticket_for(request.user, pk=ticket.pk)
    return detail(request, visible) if visible is not None else _receipt(ticket)


def _receipt(ticket: Ticket) -> dict:
    """For a ticket the caller may no longer see (routed to a confidential team): its number and
    state confirm the action, but nothing of what others added (notes, history, assignee)."""
    return {
        **summary(ticket),
        "assignee": None,
        "description": "",
        "form_answers": {},
        "resolution": "",
        "reopen_count": 0,
        "external_ref": None,
        "comments": [],
        "attachments": [],
        "history": [],
        "children": [],
    }


@router.patch("/tickets/{number}", response={200: TicketDetail, **ERRORS}, summary="Change classification")
def update_ticket(request, number: NumberPath, payload: TicketUpdate):
    ticket = _visible_ticket(request, number)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "catalog_item" in changes:
        changes["catalog_item"] = _lookup(
            CatalogItem, "catalog_item", changes["catalog_item"], _("Onbekend product of dienst: %(value)s.")
        )
    if changes.get("kwis") is not None:
        changes["kwis"] = changes["kwis"].value
    for name in ("subject", "kwis", "impact", "urgency", "confidential", "description"):
        if name in changes and changes[name] is None:
            raise DomainError("value_required", _("Dit veld mag niet leeg zijn."), field=name)
    ticket = tickets.update_ticket(
        ticket=ticket, actor=actor_for(request.user), changes=changes, expected_version=payload.version
    )
    return _answer(request, ticket)


@router.post(
    "/tickets/{number}/assign", response={200: TicketDetail, **ERRORS}, summary="Route to a team or person"
)
def assign(request, number: NumberPath, payload: AssignIn):
    ticket = _visible_ticket(request, number)
    team = _lookup(Team, "team", payload.team, _("Onbekend team: %(value)s."))
    assignee = _lookup(Employee, "assignee", payload.assignee, _("Onbekende medewerker: %(value)s."))
    if team is None and assignee is None:
        raise DomainError("team_or_assignee_required", _("Kies een team of een behandelaar."), field="team")
    ticket = tickets.assign_ticket(
        ticket=ticket,
        actor=actor_for(request.user),
        team=team,
        assignee=assignee,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _answer(request, ticket)


@router.post(
    "/tickets/{number}/status", response={200: TicketDetail, **ERRORS}, summary="Set a working status"
)
def set_status(request, number: NumberPath, payload: StatusIn):
    ticket = _visible_ticket(request, number)
    ticket = tickets.change_status(
        ticket=ticket,
        actor=actor_for(request.user),
        to=payload.status.value,
        note=payload.note,
        expected_version=payload.version,
    )
    return _answer(request, ticket)


@router.post("/tickets/{number}/resolve", response={200: TicketDetail, **ERRORS}, summary="Gereed melden")
def resolve(request, number: NumberPath, payload: ResolveIn):
    ticket = _visible_ticket(request, number)
    ticket = tickets.mark_resolved(
        ticket=ticket,
        actor=actor_for(request.user),
        resolution=payload.resolution,
        expected_version=payload.version,
    )
    return _answer(request, ticket)


@router.post("/tickets/{number}/reopen", response={200: TicketDetail, **ERRORS}, summary="Not solved: reopen")
def reopen(request, number: NumberPath, payload: ReopenIn):
    ticket = _visible_ticket(request, number)
    ticket = tickets.reopen_ticket(
        ticket=ticket, actor=actor_for(request.user), reason=payload.reason, expected_version=payload.version
    )
    return _answer(request, ticket)


@router.post(
    "/tickets/{number}/accept", response={200: TicketDetail, **ERRORS}, summary="Accept the resolution"
)
def accept(request, number: NumberPath, payload: Versioned):
    ticket = _visible_ticket(request, number)
    ticket = tickets.close_ticket(
        ticket=ticket, actor=actor_for(request.user), expected_version=payload.version
    )
    return _answer(request, ticket)


@router.post(
    "/tickets/{number}/comments", response={201: CommentOut, **ERRORS}, summary="Reply or internal note"
)
def comment(request, number: NumberPath, payload: CommentIn):
    ticket = _visible_ticket(request, number)
    created = tickets.add_comment(
        ticket=ticket, actor=actor_for(request.user), body=payload.body, internal=payload.internal
    )
    return Answer(
        201,
        {
            "id": created.pk,
            "author": _person(created.author),
            "visibility": created.visibility,
            "body": created.body,
            "created_at": created.created_at,
        },
    )


@router.post(
    "/tickets/{number}/attachments", response={201: AttachmentOut, **ERRORS}, summary="Upload an attachment"
)
def upload(request, number: NumberPath, file: File[UploadedFile], internal: Form[bool] = False):
    ticket = _visible_ticket(request, number)
    attachment = tickets.add_attachment(
        ticket=ticket, actor=actor_for(request.user), upload=file, internal=internal
    )
    return Answer(201, _attachment(ticket, attachment))


@router.get(
    "/tickets/{number}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="download_attachment",
    summary="Download an attachment",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download(request, number: NumberPath, attachment_id: Annotated[int, Field(ge=1, le=2**62)]):
    ticket = _visible_ticket(request, number)
    attachment = selectors.attachment_for(request.user, ticket=ticket, pk=attachment_id)
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response
