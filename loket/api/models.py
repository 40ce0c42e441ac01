"""Personal API tokens and idempotency keys for the JSON API."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal token: acts with exactly the rights of its user. Only a hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=12, db_index=True)
    token_hash = models.CharField(_("hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"))
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_at > moment


class IdempotencyKey(models.Model):
    """The first answer to a create with an Idempotency-Key header; a retry gets the same ticket."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.CASCADE)
    key = models.CharField(_("sleutel"), max_length=200)
    fingerprint = models.CharField(_("vingerafdruk van het verzoek"), max_length=64)
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("melding"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), db_index=True)

    class Meta:
        verbose_name = _("idempotentiesleutel")
        verbose_name_plural = _("idempotentiesleutels")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_uniq")]

    def __str__(self) -> str:
        return self.key
