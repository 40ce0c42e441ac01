"""The outbox: side effects written in the same transaction as their cause, handed out afterwards.

Apps register a handler for a topic prefix (webhooks for ``ticket.``, mail later). The worker
calls `process_outbox`; each message is handled in its own transaction together with marking it
processed, so a crash either leaves it pending or has done everything it causes, never half.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], None]
_handlers: list[tuple[str, Handler]] = []


def register_handler(prefix: str, handler: Handler) -> None:
    """Call `handler` for every message whose topic starts with `prefix` (from AppConfig.ready)."""
    if (prefix, handler) not in _handlers:
        _handlers.append((prefix, handler))


def handlers_for(topic: str) -> list[Handler]:
    return [handler for prefix, handler in _handlers if topic.startswith(prefix)]


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min, ... capped at 6 hours."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def process_outbox(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Hand pending messages to their handlers, each message in its own transaction.

    Safe to run twice or concurrently: a message's row is locked while it is handled (SKIP
    LOCKED on PostgreSQL; SQLite serialises writers) and marked processed in the transaction of
    its effects. Each handler runs in a savepoint of its own; when one fails the message is
    retried later with backoff, so handlers must be idempotent (the others run again too).
    Returns how many messages were processed.
    """
    now = now or timezone.now()
    done = 0
    last_id = 0
    while done < limit:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, available_at__lte=now, pk__gt=last_id)
                .order_by("id")
                .first()
            )
            if message is None:
                return done
            last_id = message.pk
            _process_one(message, now)
        done += 1
    return done


def _process_one(message: OutboxMessage, now: datetime) -> None:
    errors = []
    for handler in handlers_for(message.topic):
        try:
            with transaction.atomic():
                handler(message)
        except Exception as exc:  # one failing handler must not stop the others; retried later
            log.exception("outbox message %s (%s) failed in %s", message.pk, message.topic, handler)
            errors.append(f"{getattr(handler, '__qualname__', handler)}: {type(exc).__name__}: {exc}")
    if errors:
        message.attempts += 1
        message.last_error = "\n".join(errors)[:2000]
        message.available_at = now + retry_delay(message.attempts)
        message.save(update_fields=["attempts", "last_error", "available_at"])
        return
    message.sent_at = now
    message.save(update_fields=["sent_at"])
