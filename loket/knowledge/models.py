"""What the desk tells everyone: announcements (a known outage, planned maintenance) now;
knowledge articles follow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.people.models import Employee, ServiceDepartment


class Announcement(models.Model):
    """A message on the portal's home page for a period, e.g. a known outage, so that people
    need not report what the desk already knows."""

    class Kind(models.TextChoices):
        INFO = "info", _("mededeling")
        MAINTENANCE = "maintenance", _("gepland onderhoud")
        OUTAGE = "outage", _("bekende storing")

    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"), blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.INFO)
    department = models.ForeignKey(
        ServiceDepartment,
        verbose_name=_("afdeling"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
    )
    starts_at = models.DateTimeField(_("zichtbaar vanaf"))
    ends_at = models.DateTimeField(_("zichtbaar tot"), null=True, blank=True)
    created_by = models.ForeignKey(
        Employee,
        verbose_name=_("geplaatst door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("mededeling")
        verbose_name_plural = _("mededelingen")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="announcement_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title
