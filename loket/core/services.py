"""Shared write helpers: readable sequence numbers and the outbox."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage, Sequence


def next_sequence_value(*, name: str) -> int:
    """The next value of a named counter; safe under concurrency (row lock)."""
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
