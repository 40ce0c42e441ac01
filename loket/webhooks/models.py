"""Webhooks: URLs that administrators register to hear about tickets, and every delivery to them."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    """The shared secret a receiver uses to check that a delivery comes from Loket."""
    return secrets.token_urlsafe(32)


class Event(models.TextChoices):
    """What a receiver can subscribe to. Reopening, closing and comments arrive as `ticket.updated`."""

    TICKET_CREATED = "ticket.created", _("melding aangemaakt")
    TICKET_UPDATED = "ticket.updated", _("melding gewijzigd")
    TICKET_RESOLVED = "ticket.resolved", _("melding gereed gemeld")


class Webhook(models.Model):
    """A receiver of ticket events, registered by a functional administrator (beheerder)."""

    name = models.CharField(_("naam"), max_length=100)
    url = models.URLField(_("adres (URL)"), max_length=500)
    secret = models.CharField(
        _("geheim"),
        max_length=100,
        default=new_secret,
        help_text=_("Hiermee controleert de ontvanger de handtekening (X-Loket-Signature)."),
    )
    events = models.JSONField(_("gebeurtenissen"), default=list)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def is_subscribed_to(self, event: str) -> bool:
        return self.active and event in self.events


class WebhookDelivery(models.Model):
    """One event for one webhook: sent by the worker, retried with backoff until it arrives.

    One row per webhook and outbox message, so handing out an outbox message twice sends nothing
    twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("in de wachtrij")
        DELIVERED = "delivered", _("afgeleverd")
        FAILED = "failed", _("mislukt")

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("gebeurtenis"), max_length=50, choices=Event.choices)
    change = models.CharField(
        _("wijziging"),
        max_length=100,
        help_text=_("De oorspronkelijke gebeurtenis in Loket, zoals ticket.commented."),
    )
    outbox_message_id = models.PositiveBigIntegerField(_("uitgaand bericht"))
    occurred_at = models.DateTimeField(_("gebeurd op"))
    payload = models.JSONField(_("inhoud"), default=dict)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging op"))
    last_attempt_at = models.DateTimeField(_("laatste poging op"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("laatste statuscode"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhookaflevering")
        verbose_name_plural = _("webhookafleveringen")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "outbox_message_id"], name="webhook_delivery_once"),
        ]
        indexes = [
            # The worker's question: which pending deliveries are due? Delivered rows stay out.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} → {self.webhook}"
