"""Reads of satisfaction scores."""

from __future__ import annotations

from .models import SatisfactionScore


def score_for(ticket) -> SatisfactionScore | None:
    return SatisfactionScore.objects.filter(ticket_id=ticket.pk).first()
