"""Every write of the satisfaction scores."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.errors import DomainError, PermissionDenied
from loket.people.selectors import Actor
from loket.tickets import policies
from loket.tickets.models import Status, Ticket

from .models import SatisfactionScore

RATEABLE = (Status.RESOLVED, Status.CLOSED)


def can_rate(actor: Actor, ticket: Ticket) -> bool:
    """The requester scores a ticket once it is gereed (resolved or closed); a split case is
    scored as a whole, not per part."""
    return ticket.status in RATEABLE and not ticket.parent_id and policies.is_requester(actor, ticket)


def rate_ticket(
    *, ticket: Ticket, actor: Actor, score, comment: str = "", now: datetime | None = None
) -> SatisfactionScore:
    """One score (1-5) per ticket with an optional comment; scoring again replaces it."""
    if not can_rate(actor, ticket):
        raise PermissionDenied(_("Alleen de aanvrager kan een afgehandelde melding beoordelen."))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError("invalid_score", _("Kies een cijfer van 1 tot en met 5."), field="score")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise DomainError(
            "comment_too_long", _("De toelichting mag maximaal 2000 tekens zijn."), field="comment"
        )
    with transaction.atomic():
        result, _created = SatisfactionScore.objects.update_or_create(
            ticket=ticket,
            defaults={
                "respondent": actor.employee,
                "score": score,
                "comment": comment,
                "created_at": now or timezone.now(),
            },
        )
    return result
