"""Shared write helpers: readable sequence numbers and the outbox."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from .models import OutboxMessage, Sequence


def next_sequence_value(*, name: str) -> int:
    """The next value of a named counter; safe under concurrency.

    One statement (UPDATE ... RETURNING) takes the row lock and the value at once; the lock is
    held until the caller's transaction ends, so numbers are handed out in commit order.
    """
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET value = value + 1 WHERE name = %s RETURNING value", [name])  # noqa: S608
        row = cursor.fetchone()
        if row is not None:
            return row[0]
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        sequence = Sequence.objects.select_for_update().get(name=name)
        sequence.value += 1
        sequence.save(update_fields=["value"])
        return sequence.value


def raise_sequence_to(*, name: str, value: int) -> None:
    """Make sure the counter is at least `value` (after bulk loads that assigned numbers)."""
    with transaction.atomic():
        sequence, _ = Sequence.objects.select_for_update().get_or_create(name=name)
        if sequence.value < value:
            sequence.value = value
            sequence.save(update_fields=["value"])


def enqueue(topic: str, *, payload: dict, now: datetime | None = None) -> OutboxMessage:
    """Write a side effect to the outbox; must be called inside the transaction of its cause."""
    now = now or timezone.now()
    return OutboxMessage.objects.create(topic=topic, payload=payload, created_at=now, available_at=now)


def enqueue_many(topic: str, *, payloads: list[dict], now: datetime | None = None) -> int:
    """Write many side effects of one kind at once (a sweep escalating thousands of tickets)."""
    now = now or timezone.now()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(topic=topic, payload=payload, created_at=now, available_at=now)
            for payload in payloads
        ],
        batch_size=500,
    )
    return len(payloads)
