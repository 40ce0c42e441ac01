"""What every app shares: sequences for readable numbers and the outbox for side effects."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sequence(models.Model):
    """A named counter for numbers people read (ticket numbers per year)."""

    name = models.CharField(_("naam"), max_length=64, unique=True)
    value = models.PositiveBigIntegerField(_("waarde"), default=0)

    class Meta:
        verbose_name = _("nummerreeks")
        verbose_name_plural = _("nummerreeksen")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class OutboxMessage(models.Model):
    """A side effect (mail, webhook, escalation) written in the same transaction as its cause.

    The worker sends what is pending after commit, so a crash loses nothing and a rollback
    sends nothing.
    """

    topic = models.CharField(_("onderwerp"), max_length=100, db_index=True)
    payload = models.JSONField(_("inhoud"), default=dict)
    created_at = models.DateTimeField(_("aangemaakt op"), db_index=True)
    available_at = models.DateTimeField(_("beschikbaar vanaf"), db_index=True)
    sent_at = models.DateTimeField(_("verwerkt op"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        indexes = [models.Index(fields=["sent_at", "available_at"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
