"""Ingesting e-mail: one service for every way a message arrives (`loket mail ingest` on standard
input, an MTA pipe, IMAP polling). Idempotent by Message-ID: the InboundMessage row is written in
the same transaction as the ticket or comment it made, so a message seen twice (a retry, IMAP
after a crash) finds its row and makes nothing new."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core import services as core
from loket.core.errors import DomainError
from loket.people.models import Employee
from loket.people.selectors import actor_for_employee
from loket.tickets import policies
from loket.tickets.models import Channel, Status, Ticket
from loket.tickets.services import (
    add_attachment,
    add_comment,
    create_ticket,
    reopen_ticket,
    unknown_requester,
    validate_upload,
)

from .models import InboundMessage
from .parsing import TICKET_NUMBER_RE, ParsedMail, parse

Outcome = InboundMessage.Outcome


def _record(
    parsed: ParsedMail | None, *, message_id: str, size: int, outcome: str, now, department=None, **fields
) -> InboundMessage:
    return InboundMessage.objects.create(
        message_id=message_id,
        received_at=now,
        sender=(parsed.sender if parsed else "")[:320],
        subject=(parsed.subject if parsed else "")[:255],
        size=size,
        outcome=outcome,
        department=department,
        **fields,
    )


def _ticket_for(parsed: ParsedMail) -> Ticket | None:
    """The ticket a reply belongs to: its number in the subject, or a message it answers."""
    for number in parsed.ticket_numbers:
        ticket = Ticket.objects.filter(number=number).first()
        if ticket is not None:
            return ticket
    if parsed.in_reply_to:
        earlier = (
            InboundMessage.objects.filter(message_id__in=parsed.in_reply_to, ticket__isnull=False)
            .select_related("ticket")
            .first()
        )
        if earlier is not None:
            return earlier.ticket
        for reference in parsed.in_reply_to:  # our own notifications: <M2026-000123.…@…>
            for number in TICKET_NUMBER_RE.findall(reference):
                ticket = Ticket.objects.filter(number=number).first()
                if ticket is not None:
                    return ticket
    return None


def _add_files(ticket: Ticket, actor, parsed: ParsedMail, comment=None) -> list[str]:
    """Attachments that pass the upload rules are kept; the others are named in the ticket."""
    refused = []
    for attachment in parsed.attachments:
        upload = SimpleUploadedFile(attachment.filename, attachment.content, attachment.content_type)
        try:
            validate_upload(upload)
        except DomainError as error:
            refused.append(f"{attachment.filename}: {error.message}")
            continue
        add_attachment(ticket=ticket, actor=actor, upload=upload, comment=comment)
    return refused


def _sender_is_flooding(sender: str, now) -> bool:
    limit = settings.LOKET_MAIL_RATE_LIMIT
    if not limit or not sender:
        return False
    since = now - timedelta(hours=1)
    return InboundMessage.objects.filter(sender=sender, received_at__gte=since).count() >= limit


def ingest(*, raw: bytes, department=None, now=None) -> InboundMessage:
    """Turn one message into a ticket, a comment on its ticket, or a recorded refusal; the same
    message twice gives the first result."""
    now = now or timezone.now()
    size = len(raw)
    try:
        parsed = parse(raw)
    except Exception as error:  # a message we cannot read is recorded, never raised
        digest = hashlib.sha256(raw).hexdigest()
        existing = InboundMessage.objects.filter(message_id=f"<{digest}@unreadable.loket>").first()
        return existing or _record(
            None,
            message_id=f"<{digest}@unreadable.loket>",
            size=size,
            outcome=Outcome.INVALID,
            now=now,
            detail=str(error)[:500],
        )
    existing = InboundMessage.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _ingest(parsed, size=size, now=now, department=department)
    except IntegrityError:  # the same message ingested at the same moment by another worker
        return InboundMessage.objects.get(message_id=parsed.message_id)


def _ingest(parsed: ParsedMail, *, size: int, now, department=None) -> InboundMessage:
    common = {"message_id": parsed.message_id, "size": size, "now": now, "department": department}
    if size > settings.LOKET_MAIL_MAX_BYTES:
        return _record(parsed, outcome=Outcome.TOO_LARGE, detail=f"{size} bytes", **common)
    if parsed.bounce:
        return _record(parsed, outcome=Outcome.BOUNCE, **common)
    if parsed.automatic:
        return _record(parsed, outcome=Outcome.AUTO_REPLY, detail=parsed.automatic, **common)
    own = {address.lower() for address in settings.LOKET_MAIL_ADDRESSES}
    if parsed.sender in own:
        return _record(parsed, outcome=Outcome.LOOP, **common)
    if _sender_is_flooding(parsed.sender, now):
        return _record(parsed, outcome=Outcome.RATE_LIMITED, **common)
    requester = (
        Employee.objects.filter(email__iexact=parsed.sender, active=True).first() if parsed.sender else None
    )
    if requester is None and settings.LOKET_MAIL_UNKNOWN_SENDERS == "reject":
        if "@" in parsed.sender:  # a polite reply, sent by the worker (automatic mail never gets here)
            core.enqueue(
                "mail.refused",
                payload={
                    "address": parsed.sender,
                    "name": parsed.sender_name,
                    "subject": parsed.subject,
                    "message_id": parsed.message_id,
                },
                now=now,
            )
        return _record(parsed, outcome=Outcome.UNKNOWN_SENDER, **common)
    ticket = _ticket_for(parsed)
    if ticket is not None and requester is not None:
        actor = actor_for_employee(requester)
        if policies.can_comment(actor, ticket):
            return _reply(parsed, ticket=ticket, requester=requester, actor=actor, common=common)
    return _new_ticket(parsed, requester=requester, common=common)


def _reply(parsed: ParsedMail, *, ticket: Ticket, requester: Employee, actor, common: dict) -> InboundMessage:
    """A reply lands as a comment. On a gereed ticket it reopens it (within the period); on a
    closed one it reopens or starts a new ticket, as LOKET_MAIL_REPLY_TO_CLOSED says."""
    outcome = Outcome.COMMENTED
    body = parsed.text or parsed.subject or _("(lege e-mail)")
    resolved = ticket.status == Status.RESOLVED
    if ticket.status == Status.CLOSED or (
        resolved
        and (
            settings.LOKET_MAIL_REPLY_TO_CLOSED == "new" or policies.reopen_period_over(ticket, common["now"])
        )
    ):
        return _new_ticket(parsed, requester=requester, common=common, follow_up_of=ticket)
    if ticket.status == Status.RESOLVED:
        ticket = reopen_ticket(ticket=ticket, actor=actor, reason=body[:2000], now=common["now"])
        outcome = Outcome.REOPENED
    comment = add_comment(ticket=ticket, actor=actor, body=body, now=common["now"])
    refused = _add_files(ticket, actor, parsed, comment=comment)
    return _record(
        parsed,
        outcome=outcome,
        requester=requester,
        ticket=ticket,
        comment=comment,
        detail="; ".join(refused)[:500],
        **common,
    )


def _new_ticket(
    parsed: ParsedMail, *, requester: Employee | None, common: dict, follow_up_of=None
) -> InboundMessage:
    known = requester is not None
    requester = requester or unknown_requester()
    description = parsed.text
    if not known:
        who = (
            _("Afzender (onbekend in Loket): %(who)s <%(address)s>")
            % {"who": parsed.sender_name, "address": parsed.sender}
            if parsed.sender
            else _("Afzender onbekend: het bericht had geen leesbaar afzenderadres.")
        )
        description = who + "\n\n" + description
    if follow_up_of is not None:
        description = _("Vervolg op %(number)s.") % {"number": follow_up_of.number} + "\n\n" + description
    ticket = create_ticket(
        requester=requester,
        actor=None,
        subject=(parsed.subject or _("(geen onderwerp)"))[:200],
        description=description,
        channel=Channel.EMAIL,
        department=common.get("department"),
        require_form=False,
        now=common["now"],
    )
    # The files are the sender's, attached as the requester (as in the portal).
    refused = _add_files(ticket, actor_for_employee(requester), parsed)
    return _record(
        parsed,
        outcome=Outcome.CREATED,
        requester=requester if known else None,
        ticket=ticket,
        detail=("; ".join(refused) or ("" if known else _("onbekende afzender")))[:500],
        **common,
    )
