"""Reads of webhooks that more than one place needs."""

from __future__ import annotations

from .models import Webhook


def webhooks_subscribed_to(event: str) -> list[Webhook]:
    """The active webhooks that listen to `event`.

    Filtered in Python: a JSON containment lookup does not exist on SQLite, and there are a
    handful of webhooks, not thousands.
    """
    return [webhook for webhook in Webhook.objects.filter(active=True) if webhook.is_subscribed_to(event)]
