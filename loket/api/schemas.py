"""Request and response shapes of the JSON API (published in /api/v1/openapi.json)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Annotated, Any

from django.conf import settings
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

from loket.catalog.models import Kwis
from loket.tickets.models import Channel, Status

# ---------------------------------------------------------------- shared value types


def _clean_text(value: str) -> str:
    """Text the database can store: no NUL characters, valid Unicode (no lone surrogates)."""
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return value


def _clean_moment(value: datetime) -> datetime:
    """Aware and within the years a database stores; a naive time is Dutch local time."""
    if value.tzinfo is None:
        from zoneinfo import ZoneInfo

        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("date and time out of range") from None
    if not 1900 <= utc.year <= 9998:
        raise ValueError("date and time out of range (years 1900-9998)")
    return utc


Text = Annotated[str, AfterValidator(_clean_text)]
Moment = Annotated[datetime, AfterValidator(_clean_moment)]
Code = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(_clean_text)]

KwisCode = Enum("KwisCode", {k.name: k.value for k in Kwis}, type=str)
ChannelCode = Enum("ChannelCode", {c.name: c.value for c in Channel}, type=str)
StatusCode = Enum("StatusCode", {s.name: s.value for s in Status}, type=str)
StatusFilter = Enum(
    "StatusFilter", {"OPEN": "open", "DONE": "done", **{s.name: s.value for s in Status}}, type=str
)


class WorkingStatus(StrEnum):
    """The statuses an agent sets by hand; gereed, reopen and accept have their own endpoints."""

    IN_PROGRESS = Status.IN_PROGRESS.value
    WAITING_CUSTOMER = Status.WAITING_CUSTOMER.value
    WAITING_SUPPLIER = Status.WAITING_SUPPLIER.value


class Input(Schema):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- errors


class FieldError(Schema):
    field: str | None = Field(description="The input that was wrong (dotted path), if one.")
    code: str
    message: str


class Error(Schema):
    """Every error has this shape, whatever the status."""

    status: int
    code: str = Field(description="Machine-readable, stable: e.g. not_found, validation_error.")
    message: str = Field(description="For people, in Dutch or English (Accept-Language).")
    errors: list[FieldError] = []


# ---------------------------------------------------------------- people, catalogue


class PersonRef(Schema):
    employee_number: str
    name: str


class Person(Schema):
    employee_number: str
    name: str
    first_name: str
    last_name: str
    email: str
    phone: str
    unit: str | None
    location: str | None


class FormField(Schema):
    name: str
    label: str
    type: str
    required: bool = False
    options: list[str] = []
    help: str = ""


class CatalogItemOut(Schema):
    code: str
    name: str
    department: str
    description: str
    expectations: str
    conditions: str
    kwis_types: list[KwisCode]
    standard: bool
    response_minutes: int
    resolution_minutes: int
    default_team: str | None
    active: bool
    form_fields: list[FormField]


class CatalogPage(Schema):
    items: list[CatalogItemOut]


# ---------------------------------------------------------------- tickets


class TicketSummary(Schema):
    number: str
    subject: str
    status: StatusCode
    status_label: str
    kwis: KwisCode
    channel: ChannelCode
    priority: int
    impact: int
    urgency: int
    confidential: bool
    requester: PersonRef
    department: str | None
    team: str | None
    assignee: PersonRef | None
    catalog_item: str | None
    parent: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int = Field(description="Send it back with a change to detect concurrent edits.")


class TicketPage(Schema):
    items: list[TicketSummary]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last.")


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    internal: bool
    created_at: datetime
    url: str


class CommentOut(Schema):
    id: int
    author: PersonRef | None
    visibility: str
    body: str
    created_at: datetime


class ChangeOut(Schema):
    at: datetime
    actor: PersonRef | None
    action: str
    field: str
    old_value: str
    new_value: str
    note: str


class ClockOut(Schema):
    """The service norms of the ticket (SLA): when a response and a resolution are due."""

    state: str = Field(description="on_time, at_risk or breached (resolution)")
    response_state: str = Field(description="pending, met, late or breached")
    response_due: datetime
    resolution_due: datetime
    paused: bool
    stopped: bool
    calendar: str


class TicketDetail(TicketSummary):
    description: str
    form_answers: dict[str, Any]
    resolution: str
    reopen_count: int
    external_ref: str | None
    comments: list[CommentOut]
    attachments: list[AttachmentOut]
    history: list[ChangeOut]
    children: list[TicketSummary]
    clock: ClockOut | None = None


class TicketCreate(Input):
    subject: Annotated[Text, Field(min_length=1, max_length=200)]
    description: Annotated[Text, Field(max_length=20000)] = ""
    requester: Code | None = Field(None, description="Employee number; leave out to ask for yourself.")
    channel: ChannelCode = ChannelCode.API
    kwis: KwisCode | None = None
    catalog_item: Code | None = Field(None, description="Catalogue item code.")
    department: Code | None = Field(None, description="Service department code (without an item).")
    impact: int = Field(3, ge=1, le=3)
    urgency: int = Field(2, ge=1, le=3)
    form_answers: dict[Annotated[Text, Field(max_length=60)], Any] = Field(
        default_factory=dict, description="Answers to the item's form fields, by field name."
    )
    external_ref: Annotated[Text, Field(min_length=1, max_length=100)] | None = None


class TicketUpdate(Input):
    subject: Annotated[Text, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[Text, Field(max_length=20000)] | None = None
    kwis: KwisCode | None = None
    catalog_item: Code | None = None
    impact: int | None = Field(None, ge=1, le=3)
    urgency: int | None = Field(None, ge=1, le=3)
    confidential: bool | None = None
    version: int | None = Field(None, ge=0, le=2**31 - 1)


class Versioned(Input):
    version: int | None = Field(
        None, ge=0, le=2**31 - 1, description="The version you saw; a newer one gives 409 conflict."
    )


class AssignIn(Versioned):
    team: Code | None = None
    assignee: Code | None = Field(None, description="Employee number of a member of the team.")
    reason: Annotated[Text, Field(max_length=2000)] = ""


class StatusIn(Versioned):
    status: WorkingStatus
    note: Annotated[Text, Field(max_length=2000)] = ""


class ResolveIn(Versioned):
    resolution: Annotated[Text, Field(min_length=1, max_length=20000)]


class ReopenIn(Versioned):
    reason: Annotated[Text, Field(min_length=1, max_length=2000)]


class CommentIn(Input):
    body: Annotated[Text, Field(min_length=1, max_length=20000)]
    internal: bool = False
