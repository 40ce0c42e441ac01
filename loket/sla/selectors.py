"""Reads of the SLA clocks: compliance figures for management information."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from loket.tickets.selectors import tickets_visible_to

from .models import TicketClock

GROUPS = {
    "department": "ticket__department__code",
    "team": "ticket__team__code",
    "catalog_item": "ticket__catalog_item__code",
    "month": "month",
}


def compliance(
    *, by: str, since: datetime | None = None, until: datetime | None = None, user=None
) -> list[dict]:
    """Per department, team, catalogue item or month: how many tickets were resolved within the
    resolution norm. Counts tickets whose clock stopped (resolved) in [since, until); with `user`,
    only tickets that user may see.

    Each row: {"key", "total", "on_time", "breached", "percentage"} (percentage on time, or None).
    """
    if by not in GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPS)}")
    clocks = TicketClock.objects.filter(stopped_at__isnull=False)
    if since is not None:
        clocks = clocks.filter(stopped_at__gte=since)
    if until is not None:
        clocks = clocks.filter(stopped_at__lt=until)
    if user is not None:
        clocks = clocks.filter(ticket__in=tickets_visible_to(user).values("pk"))
    if by == "month":
        clocks = clocks.annotate(month=TruncMonth("stopped_at"))
    field = GROUPS[by]
    rows = (
        clocks.values(field)
        .annotate(
            total=Count("pk"),
            breached=Count("pk", filter=Q(state=TicketClock.State.BREACHED)),
        )
        .order_by(field)
    )
    return [
        {
            "key": row[field],
            "total": row["total"],
            "on_time": row["total"] - row["breached"],
            "breached": row["breached"],
            "percentage": round(100 * (row["total"] - row["breached"]) / row["total"], 1)
            if row["total"]
            else None,
        }
        for row in rows
    ]


def clock_of(ticket) -> TicketClock | None:
    """The clock of a ticket the caller already may see (None for tickets from before clocks)."""
    return TicketClock.objects.select_related("calendar").filter(ticket_id=ticket.pk).first()


def clock_states(*, user) -> dict[str, int]:
    """Open tickets by clock state (on time, at risk, breached) that the user may see."""
    rows = (
        TicketClock.objects.filter(stopped_at__isnull=True, ticket__in=tickets_visible_to(user).values("pk"))
        .values("state")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(TicketClock.State.values, 0)
    counts.update({row["state"]: row["n"] for row in rows})
    return counts
