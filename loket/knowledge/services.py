"""Writes for announcements: publish and end them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.errors import DomainError, PermissionDenied
from loket.people.models import Employee
from loket.people.selectors import Actor, actor_for_employee

from .models import Announcement


def publish_announcement(
    *,
    actor: Actor | Employee,
    title: str,
    body: str = "",
    kind: str = Announcement.Kind.INFO,
    department=None,
    starts_at=None,
    ends_at=None,
) -> Announcement:
    """Put a message on the portal's home page, e.g. a known outage; desk staff only."""
    actor = actor_for_employee(actor) if isinstance(actor, Employee) else actor
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


def end_announcement(*, actor: Actor | Employee, announcement: Announcement, now=None) -> Announcement:
    """Take a message off the home page now (e.g. the outage is over); the record stays. One that
    had not started yet never shows."""
    actor = actor_for_employee(actor) if isinstance(actor, Employee) else actor
    if not actor.is_staff_member:
        raise PermissionDenied(_("Alleen medewerkers van de servicedesk beëindigen mededelingen."))
    now = now or timezone.now()
    if announcement.ends_at is None or announcement.ends_at > now:
        if announcement.starts_at >= now:
            announcement.starts_at = now - timedelta(seconds=1)
        announcement.ends_at = now
        announcement.save(update_fields=["starts_at", "ends_at"])
    return announcement
