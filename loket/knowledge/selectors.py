"""Reads of announcements (and, later, knowledge articles)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Announcement

# Outages first: they answer "is it just me?" before anyone calls.
KIND_ORDER = Case(
    When(kind=Announcement.Kind.OUTAGE, then=Value(0)),
    When(kind=Announcement.Kind.MAINTENANCE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def current_announcements(*, now=None) -> QuerySet[Announcement]:
    """What is shown now: started and not yet ended; outages first, then the newest."""
    now = now or timezone.now()
    return (
        Announcement.objects.filter(starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("department")
        .order_by(KIND_ORDER, "-starts_at", "-id")
    )
