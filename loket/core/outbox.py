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


def process_outbox(*, now: datetime | None = None, batch: int = 200) -> int:
    """Hand every pending message to its handlers; returns how many were processed.

    Safe to run twice or concurrently: rows are locked (SKIP LOCKED on PostgreSQL; SQLite
    serialises writers), and a message is marked processed in the transaction of its effects.
    """
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            messages = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, available_at__lte=now)
                .order_by("id")[:batch]
            )
            for message in messages:
                _process_one(message, now)
        done += len(messages)
        if len(messages) < batch:
            return done


def _process_one(message: OutboxMessage, now: datetime) -> None:
    try:
        with transaction.atomic():
            for handler in handlers_for(message.topic):
                handler(message)
    except Exception as exc:  # a handler's failure must not stop the others; it is retried
        log.exception("outbox message %s (%s) failed", message.pk, message.topic)
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.available_at = now + retry_delay(message.attempts)
        message.save(update_fields=["attempts", "last_error", "available_at"])
        return
    message.sent_at = now
    message.save(update_fields=["sent_at"])
