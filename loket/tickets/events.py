"""In-transaction listeners for ticket events.

Apps above tickets (the SLA clocks) must change together with the ticket, in the same
transaction, but tickets may not import them. They subscribe here (from AppConfig.ready); every
ticket service publishes its event (ticket.created, ticket.updated, ...) before it commits. A
listener that raises rolls the ticket change back: it is part of the change.
Side effects that may happen later (mail, webhooks) use the outbox instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Listener = Callable[..., None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """`listener(topic=..., ticket=..., now=..., actor=..., **extra)` is called for every event."""
    if listener not in _listeners:
        _listeners.append(listener)


def publish(topic: str, *, ticket, now: datetime, actor=None, **extra) -> None:
    for listener in _listeners:
        listener(topic=topic, ticket=ticket, now=now, actor=actor, **extra)
