"""Outbound e-mail: notifications made from outbox messages and sent by the worker.

`notify` is the outbox handler (``ticket.`` and ``sla.escalation``): it writes one
OutboundMessage per recipient in the transaction that marks the outbox message processed (unique
per outbox message and address, so a second run makes nothing). `send_due` is the worker job: it
sends due messages over SMTP (Django's mail backend), retrying with the outbox's backoff and marking
a message failed after MAX_ATTEMPTS; failures are visible in the admin.

Every notification of a ticket names the same thread root in In-Reply-To and References, so mail
clients group them, carries the ticket number in the subject (replies thread back by it), and says
Auto-Submitted: auto-generated (and asks Exchange not to auto-reply) so no loop starts."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from loket.core.models import OutboxMessage
from loket.core.outbox import retry_delay
from loket.people.models import Employee
from loket.tickets.models import Comment, Ticket

from .models import OutboundMessage

log = logging.getLogger(__name__)
Kind = OutboundMessage.Kind
MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=2)

TOPIC_KINDS = {
    "ticket.created": Kind.RECEIVED,
    "ticket.commented": Kind.REPLY,
    "ticket.resolved": Kind.RESOLVED,
    "ticket.reopened": Kind.REOPENED,
    "sla.escalation": Kind.ESCALATION,
}


def mail_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return settings.LOKET_MAIL_DOMAIN or (address.split("@", 1)[1] if "@" in address else "loket.local")


def thread_id(ticket: Ticket) -> str:
    """The root every message about a ticket refers to."""
    return f"<{ticket.number}@{mail_domain()}>"


def _message_id(number: str, outbox_id: int, address: str) -> str:
    digest = hashlib.sha256(address.lower().encode()).hexdigest()[:10]
    return f"<{number}.{outbox_id}.{digest}@{mail_domain()}>"


def _recipients(kind: str, ticket: Ticket | None, payload: dict) -> list[Employee]:
    if kind == Kind.ESCALATION:
        employee = Employee.objects.filter(pk=payload.get("recipient"), active=True).first()
        return [employee] if employee else []
    if ticket is None or ticket.parent_id:  # the parts of a case are told as one story, on the case
        return []
    if kind == Kind.REOPENED:  # the team that resolved it hears; the requester did it themselves
        return [ticket.assignee] if ticket.assignee_id else []
    if kind == Kind.RECEIVED and ticket.solved_at_first_contact:
        return []
    if kind == Kind.REPLY:
        comment = Comment.objects.filter(pk=payload.get("comment_id")).select_related("author").first()
        if comment is None or comment.visibility != Comment.Visibility.PUBLIC:
            return []
        if comment.author_id is None or comment.author_id == ticket.requester_id:
            return []  # the requester's own words are not mailed back to them
    return [ticket.requester]


def _render(kind: str, *, ticket: Ticket | None, recipient: Employee, payload: dict) -> tuple[str, str, str]:
    comment = None
    if kind == Kind.REPLY:
        comment = Comment.objects.filter(pk=payload.get("comment_id")).select_related("author").first()
    tickets = []
    if kind == Kind.ESCALATION:
        tickets = list(Ticket.objects.filter(pk__in=[t["ticket_id"] for t in payload.get("tickets", [])]))
    context = {
        "kind": kind,
        "ticket": ticket,
        "recipient": recipient,
        "comment": comment,
        "tickets": tickets,
        "trigger": payload.get("trigger", ""),
        "base_url": settings.LOKET_BASE_URL.rstrip("/"),
        "clock": getattr(ticket, "clock", None) if ticket is not None else None,
    }
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("mail/subject.txt", context).split())
        text = render_to_string("mail/notification.txt", context)
        html = render_to_string("mail/notification.html", context)
    return subject[:300], text, html


def notify(message: OutboxMessage) -> list[OutboundMessage]:
    """Outbox handler: the notifications an event causes, one per recipient with an address."""
    kind = TOPIC_KINDS.get(message.topic)
    if kind is None:
        return []
    payload = message.payload
    ticket = None
    if kind != Kind.ESCALATION:
        ticket = (
            Ticket.objects.select_related("requester", "assignee", "team")
            .filter(pk=payload.get("ticket_id"))
            .first()
        )
    made = []
    for recipient in _recipients(kind, ticket, payload):
        if recipient is None or not recipient.email:
            continue
        subject, text, html = _render(kind, ticket=ticket, recipient=recipient, payload=payload)
        number = ticket.number if ticket else "escalation"
        outbound, _created = OutboundMessage.objects.get_or_create(
            outbox_message_id=message.pk,
            to_address=recipient.email,
            defaults={
                "kind": kind,
                "recipient": recipient,
                "subject": subject,
                "body_text": text,
                "body_html": html,
                "message_id": _message_id(number, message.pk, recipient.email),
                "thread_id": thread_id(ticket) if ticket else "",
                "ticket": ticket,
                "created_at": message.created_at,
                "next_attempt_at": message.created_at,
            },
        )
        made.append(outbound)
    return made


def _claim(now: datetime) -> OutboundMessage | None:
    with transaction.atomic():
        outbound = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundMessage.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if outbound is not None:  # hidden from other workers while this one talks to the server
            outbound.next_attempt_at = now + LEASE
            outbound.save(update_fields=["next_attempt_at"])
        return outbound


def as_email(outbound: OutboundMessage, connection=None) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": outbound.message_id,
        # RFC 3834: an answer to someone's message is auto-replied, a notification auto-generated.
        "Auto-Submitted": "auto-replied" if outbound.kind == Kind.REFUSED else "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    if outbound.thread_id:
        headers["In-Reply-To"] = outbound.thread_id
        headers["References"] = outbound.thread_id
    email = EmailMultiAlternatives(
        subject=outbound.subject,
        body=outbound.body_text,
        to=[outbound.to_address],
        headers=headers,
        connection=connection,
    )
    if outbound.body_html:
        email.attach_alternative(outbound.body_html, "text/html")
    return email


def send_due(*, now: datetime | None = None, limit: int = 200) -> dict:
    """Worker job "mail": send what is due; a failure is retried with backoff, then marked failed.
    Must not run inside a transaction (the SMTP conversation happens between claim and record)."""
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    connection = None
    try:
        for _i in range(limit):
            current = now or timezone.now()
            outbound = _claim(current)
            if outbound is None:
                break
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                as_email(outbound, connection).send()
            except Exception as error:  # any SMTP or network failure: try again later
                connection = _close(connection)
                outbound.attempts += 1
                outbound.last_error = f"{type(error).__name__}: {error}"[:2000]
                if outbound.attempts >= MAX_ATTEMPTS:
                    outbound.status = OutboundMessage.Status.FAILED
                    counts["failed"] += 1
                else:
                    outbound.next_attempt_at = current + retry_delay(outbound.attempts)
                    counts["retrying"] += 1
                outbound.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
                log.warning("mail %s to %s failed: %s", outbound.pk, outbound.to_address, outbound.last_error)
                break  # the server is unwell: the rest waits for the next round
            outbound.attempts += 1
            outbound.status = OutboundMessage.Status.SENT
            outbound.sent_at = current
            outbound.last_error = ""
            outbound.save(update_fields=["attempts", "status", "sent_at", "last_error"])
            counts["sent"] += 1
    finally:
        _close(connection)
    return counts


def _close(connection):
    if connection is not None:
        with contextlib.suppress(Exception):  # closing a broken connection may fail: nothing to do
            connection.close()
    return None


def retry_now(*, outbound: OutboundMessage, now: datetime | None = None) -> OutboundMessage:
    """The admin's retry: a failed or pending message is due now with a fresh set of attempts."""
    now = now or timezone.now()
    if outbound.status != OutboundMessage.Status.SENT:
        if outbound.status == OutboundMessage.Status.FAILED:
            outbound.attempts = 0
        outbound.status = OutboundMessage.Status.PENDING
        outbound.next_attempt_at = now
        outbound.save(update_fields=["status", "attempts", "next_attempt_at"])
    return outbound


def refuse(message: OutboxMessage) -> OutboundMessage | None:
    """Outbox handler for ``mail.refused``: a polite answer to a sender Loket does not know (with
    LOKET_MAIL_UNKNOWN_SENDERS=reject), in the thread of their message, once."""
    payload = message.payload
    address = str(payload.get("address") or "")
    if "@" not in address:
        return None
    context = {"name": payload.get("name") or "", "subject": payload.get("subject") or ""}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("mail/refused_subject.txt", context).split())
        text = render_to_string("mail/refused.txt", context)
    original = str(payload.get("message_id") or "")
    outbound, _created = OutboundMessage.objects.get_or_create(
        outbox_message_id=message.pk,
        to_address=address[:254],
        defaults={
            "kind": Kind.REFUSED,
            "subject": subject[:300],
            "body_text": text,
            "message_id": _message_id("refused", message.pk, address),
            "thread_id": original[:255],
            "created_at": message.created_at,
            "next_attempt_at": message.created_at,
        },
    )
    return outbound
