"""Writes for announcements: publish and end them."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.errors import DomainError
from loket.people.selectors import Actor

from .models import Announcement


def publish_announcement(
    *,
    actor: Actor,
    title: str,
    body: str = "",
    kind: str = Announcement.Kind.INFO,
    department=None,
    starts_at=None,
    ends_at=None,
) -> Announcement:
    """Put a message on the portal's home page, e.g. a known outage; desk staff only."""
    if not actor.is_staff_member:
        raise PermissionDenied(_("Alleen medewerkers van de servicedesk plaatsen mededelingen."))
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", _("Geef de mededeling een titel."), field="title")
    if len(title) > 200:
        raise DomainError("title_too_long", _("De titel mag hoogstens 200 tekens zijn."), field="title")
    if kind not in Announcement.Kind.values:
        raise DomainError("invalid_kind", _("Onbekende soort mededeling."), field="kind")
    starts_at = starts_at or timezone.now()
    if ends_at is not None and ends_at <= starts_at:
        raise DomainError("ends_before_start", _("Het einde moet na het begin liggen."), field="ends_at")
    return Announcement.objects.create(
        title=title,
        body=(body or "").strip(),
        kind=kind,
        department=department,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor.employee,
    )


def end_announcement(*, actor: Actor, announcement: Announcement, now=None) -> Announcement:
    """Take a message off the home page now (e.g. the outage is over); the record stays."""
    if not actor.is_staff_member:
        raise PermissionDenied(_("Alleen medewerkers van de servicedesk beëindigen mededelingen."))
    now = now or timezone.now()
    if announcement.ends_at is None or announcement.ends_at > now:
        announcement.ends_at = max(now, announcement.starts_at + timedelta(seconds=1))
        announcement.save(update_fields=["ends_at"])
    return announcement
