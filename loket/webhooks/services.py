"""Every write to webhooks, and the sending of deliveries.

The path of an event: a ticket service writes an outbox message in the ticket's transaction;
`fan_out` (an outbox handler) turns it into one `WebhookDelivery` per subscribed webhook, in the
transaction that marks the message processed; `deliver_due` (a worker job) posts each due delivery,
outside any transaction, and records the outcome. A crash anywhere loses nothing; a delivery may
be sent again only when the worker dies between the POST and recording it (receivers deduplicate
on X-Loket-Delivery).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.errors import DomainError
from loket.core.models import OutboxMessage
from loket.core.outbox import retry_delay

from .models import Event, Webhook, WebhookDelivery
from .selectors import webhooks_subscribed_to

log = logging.getLogger(__name__)

Status = WebhookDelivery.Status

# After this many failed attempts a delivery is given up (status failed); with the outbox's
# backoff (30 s doubling, capped at 6 hours) that is about 32 hours after the event.
MAX_ATTEMPTS = 15

# How long a claimed delivery is hidden from other workers, on top of the HTTP timeout.
LEASE_MARGIN = timedelta(seconds=60)

USER_AGENT = "Loket-Webhooks"


# ---------------------------------------------------------------- registering


def validate_webhook_url(url: str) -> str:
    """A webhook posts to an http or https address with a host; anything else is refused."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number or out of range
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in {"http", "https"}
        or not parts.hostname
        or any(char.isspace() for char in url)
    ):
        raise DomainError(
            "invalid_webhook_url",
            _("Vul een http- of https-adres in, bijvoorbeeld https://koppeling.example.nl/loket."),
            field="url",
        )
    return url


def clean_events(events) -> list[str]:
    """The events a webhook listens to: at least one, all known, in a fixed order."""
    wanted = set(events or [])
    unknown = wanted - set(Event.values)
    if unknown:
        raise DomainError(
            "unknown_event",
            _("Onbekende gebeurtenis(sen): %(events)s.") % {"events": ", ".join(sorted(unknown))},
            field="events",
        )
    if not wanted:
        raise DomainError("events_required", _("Kies minstens één gebeurtenis."), field="events")
    return [event for event in Event.values if event in wanted]


def save_webhook(
    *,
    webhook: Webhook | None = None,
    name: str,
    url: str,
    events: list[str],
    active: bool = True,
) -> Webhook:
    """Register a webhook, or change one (`webhook` given). The secret is generated once and
    never changes here: receivers keep working when a name, address or event list changes."""
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", _("Geef de webhook een naam."), field="name")
    webhook = webhook or Webhook()
    webhook.name = name
    webhook.url = validate_webhook_url(url)
    webhook.events = clean_events(events)
    webhook.active = active
    with transaction.atomic():
        webhook.save()
    return webhook


# ---------------------------------------------------------------- fan-out (outbox handler)


def event_for_topic(topic: str) -> str | None:
    """Created and resolved are events of their own; every other change to a ticket (an update,
    reopening, closing, a comment) reaches receivers as ticket.updated."""
    if topic in (Event.TICKET_CREATED, Event.TICKET_RESOLVED):
        return topic
    if topic.startswith("ticket."):
        return Event.TICKET_UPDATED
    return None


def fan_out(message: OutboxMessage) -> list[WebhookDelivery]:
    """Outbox handler for ``ticket.*``: one delivery per active webhook subscribed to the event.

    Runs in the transaction that marks the message processed; the unique (webhook, message)
    constraint makes a second run create nothing.
    """
    event = event_for_topic(message.topic)
    if event is None:
        return []
    deliveries = []
    for webhook in webhooks_subscribed_to(event):
        delivery, _created = WebhookDelivery.objects.get_or_create(
            webhook=webhook,
            outbox_message_id=message.pk,
            defaults={
                "event": event,
                "change": message.topic,
                "occurred_at": message.created_at,
                "payload": message.payload,
                "next_attempt_at": message.created_at,
            },
        )
        deliveries.append(delivery)
    return deliveries


# ---------------------------------------------------------------- signing


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The JSON body, the same bytes on every attempt."""
    body = {
        "id": delivery.pk,
        "event": delivery.event,
        "change": delivery.change,
        "occurred_at": delivery.occurred_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature_for(*, secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` + hex HMAC-SHA256 over ``"{timestamp}." + body``, keyed with the webhook's secret."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify_signature(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    tolerance: timedelta | None = None,
    now: datetime | None = None,
) -> bool:
    """For receivers and tests: does X-Loket-Signature match? With `tolerance`, a timestamp further
    than that from `now` is refused too, so a recorded delivery cannot be replayed later."""
    if tolerance is not None:
        try:
            sent = int(timestamp)
        except (TypeError, ValueError):
            return False
        moment = (now or timezone.now()).timestamp()
        if abs(moment - sent) > tolerance.total_seconds():
            return False
    expected = signature_for(secret=secret, timestamp=str(timestamp), body=body)
    return hmac.compare_digest(expected.encode(), (header or "").encode())


# ---------------------------------------------------------------- sending (worker job)


@dataclass(frozen=True)
class Attempt:
    """The outcome of one POST: a status code, or an error when no answer came."""

    status_code: int | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class DeliveryRound:
    """What one run of `deliver_due` did (shown by `loket worker --once`)."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"delivered={self.delivered} retrying={self.retrying} failed={self.failed}"


def _timeout() -> float:
    return float(getattr(settings, "LOKET_WEBHOOK_TIMEOUT", 10))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would turn the POST into a GET without body; it counts as a failed attempt."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(delivery: WebhookDelivery) -> Attempt:
    """POST the delivery to its webhook, signed with the current time; never raises."""
    webhook = delivery.webhook
    if urlsplit(webhook.url).scheme not in {"http", "https"}:
        return Attempt(error=_("Ongeldig adres: %(url)s") % {"url": webhook.url})
    body = delivery_body(delivery)
    timestamp = str(int(time.time()))  # the moment of sending, which receivers compare to their clock
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Loket-Event": delivery.event,
        "X-Loket-Delivery": str(delivery.pk),
        "X-Loket-Timestamp": timestamp,
        "X-Loket-Signature": signature_for(secret=webhook.secret, timestamp=timestamp, body=body),
    }
    request = urllib.request.Request(webhook.url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
    try:
        with _opener.open(request, timeout=_timeout()) as response:
            return Attempt(status_code=response.status)
    except urllib.error.HTTPError as exc:  # an answer, but not 2xx (redirects included)
        with exc:
            answer = exc.read(500).decode("utf-8", "replace").strip()
        error = f"HTTP {exc.code}: {answer}" if answer else f"HTTP {exc.code}"
        return Attempt(status_code=exc.code, error=error)
    except urllib.error.URLError as exc:  # no connection: refused, unknown host, connect timeout
        return Attempt(error=_describe(exc.reason))
    except (OSError, http.client.HTTPException, ValueError) as exc:  # read timeout, reset, bad answer
        return Attempt(error=_describe(exc))


def _describe(reason) -> str:
    if isinstance(reason, BaseException):
        return f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__
    return str(reason)


def _claim_next(*, now: datetime, skip_webhooks: set[int]) -> WebhookDelivery | None:
    """Take the oldest due delivery and hide it from other workers for the length of one POST.

    A short transaction of its own, so no lock is held while waiting for a receiver. If the
    worker dies before recording the outcome, the lease ends and the delivery is tried again.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook")
            .filter(status=Status.PENDING, next_attempt_at__lte=now, webhook__active=True)
            .exclude(webhook_id__in=skip_webhooks)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if delivery is None:
            return None
        delivery.next_attempt_at = now + timedelta(seconds=_timeout()) + LEASE_MARGIN
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def _record(delivery: WebhookDelivery, attempt: Attempt, *, now: datetime) -> None:
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = attempt.status_code
    delivery.last_error = attempt.error[:2000]
    if attempt.ok:
        delivery.status = Status.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Status.FAILED
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    with transaction.atomic():
        delivery.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )


def deliver_due(
    *, now: datetime | None = None, limit: int = 100, budget_seconds: float = 30.0
) -> DeliveryRound:
    """Send up to `limit` due deliveries (worker job "webhooks").

    A 2xx answer delivers; any other answer, a refused connection or a timeout is retried with
    the outbox's backoff, and after MAX_ATTEMPTS the delivery is marked failed (an administrator
    can retry it). The worker runs its jobs one after another, so a round must stay short: once
    a webhook fails in a round its other deliveries wait for the next round (a receiver that is
    down costs one timeout per round, not one per delivery), and no new delivery is started once
    `budget_seconds` have passed.

    Safe to run concurrently: each delivery is claimed (SKIP LOCKED) and leased before it is sent.
    Must not be called inside a transaction: the POSTs happen between the claim and the record.
    """
    result = DeliveryRound()
    failing: set[int] = set()
    deadline = time.monotonic() + budget_seconds
    for _i in range(limit):
        if time.monotonic() > deadline:
            break
        delivery = _claim_next(now=now or timezone.now(), skip_webhooks=failing)
        if delivery is None:
            break
        attempt = _post(delivery)
        _record(delivery, attempt, now=now or timezone.now())
        if attempt.ok:
            result.delivered += 1
            continue
        failing.add(delivery.webhook_id)
        log.warning(
            "webhook delivery %s to %s failed (attempt %s): %s",
            delivery.pk,
            delivery.webhook.url,
            delivery.attempts,
            attempt.error or attempt.status_code,
        )
        if delivery.status == Status.FAILED:
            result.failed += 1
        else:
            result.retrying += 1
    return result


def retry_delivery(*, delivery: WebhookDelivery, now: datetime | None = None) -> WebhookDelivery:
    """The admin's "Nu opnieuw proberen": a pending or failed delivery is due now, and a failed
    one gets the full retry schedule again. A delivered one is not sent twice."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)  # the worker's latest
        if delivery.status == Status.DELIVERED:
            raise DomainError("already_delivered", _("Dit bericht is al bezorgd."))
        delivery.status = Status.PENDING
        delivery.next_attempt_at = now or timezone.now()
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.attempts = 0
        delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    return delivery
