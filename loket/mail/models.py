"""The e-mail channel: every inbound message Loket has seen, by Message-ID, with what became of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.people.models import Employee, ServiceDepartment
from loket.tickets.models import Comment, Ticket


class InboundMessage(models.Model):
    """One received message. The unique Message-ID is what makes ingesting idempotent: a message
    delivered twice (an MTA retry, IMAP after a crash) finds its row and changes nothing."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("nieuwe melding")
        COMMENTED = "commented", _("reactie op melding")
        REOPENED = "reopened", _("melding heropend")
        AUTO_REPLY = "auto_reply", _("automatisch antwoord genegeerd")
        BOUNCE = "bounce", _("onbestelbaar-bericht genegeerd")
        LOOP = "loop", _("eigen adres genegeerd")
        RATE_LIMITED = "rate_limited", _("te veel berichten van deze afzender")
        UNKNOWN_SENDER = "unknown_sender", _("onbekende afzender geweigerd")
        TOO_LARGE = "too_large", _("te groot")
        INVALID = "invalid", _("onleesbaar")

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    received_at = models.DateTimeField(_("ontvangen op"), db_index=True)
    sender = models.CharField(_("afzender"), max_length=320, blank=True, db_index=True)
    subject = models.CharField(_("onderwerp"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    detail = models.CharField(_("toelichting"), max_length=500, blank=True)
    requester = models.ForeignKey(
        Employee,
        verbose_name=_("aanvrager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("melding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mails",
    )
    comment = models.ForeignKey(
        Comment, verbose_name=_("reactie"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        ServiceDepartment,
        verbose_name=_("afdeling"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ontvangen e-mail")
        verbose_name_plural = _("ontvangen e-mails")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.outcome})"


class OutboundMessage(models.Model):
    """One notification for one recipient, made from an outbox message in the transaction that
    handles it (one row per outbox message and address: handing it out twice sends nothing twice)
    and sent by the worker over SMTP with retries and backoff."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("ontvangstbevestiging")
        REPLY = "reply", _("reactie van de servicedesk")
        RESOLVED = "resolved", _("gereed gemeld")
        REOPENED = "reopened", _("heropend")
        ESCALATION = "escalation", _("escalatie servicenorm")
        REFUSED = "refused", _("onbekende afzender: beleefd antwoord")

    class Status(models.TextChoices):
        PENDING = "pending", _("in de wachtrij")
        SENT = "sent", _("verstuurd")
        FAILED = "failed", _("mislukt")

    outbox_message_id = models.PositiveBigIntegerField(_("uitgaand bericht"))
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        Employee,
        verbose_name=_("ontvanger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_address = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    body_text = models.TextField(_("tekst"))
    body_html = models.TextField(_("HTML"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    thread_id = models.CharField(_("draad"), max_length=255, blank=True)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("melding"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    created_at = models.DateTimeField(_("aangemaakt op"))
    next_attempt_at = models.DateTimeField(_("volgende poging op"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("verstuurde e-mail")
        verbose_name_plural = _("verstuurde e-mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["outbox_message_id", "to_address"], name="outbound_once_per_address"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_due_idx")]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"


class Mailbox(models.Model):
    """An IMAP mailbox the worker polls (one per service department, or one for the desk)."""

    class Auth(models.TextChoices):
        PASSWORD = "password", _("wachtwoord")
        OAUTH2 = "oauth2", _("OAuth2-token (XOAUTH2)")

    name = models.CharField(_("naam"), max_length=100)
    host = models.CharField(_("server"), max_length=255)
    port = models.PositiveIntegerField(_("poort"), default=993)
    use_ssl = models.BooleanField(_("TLS (IMAPS)"), default=True)
    username = models.CharField(_("gebruikersnaam"), max_length=255)
    auth = models.CharField(_("aanmelden met"), max_length=10, choices=Auth.choices, default=Auth.PASSWORD)
    secret = models.CharField(
        _("wachtwoord of token"), max_length=4000, help_text=_("Het wachtwoord, of het OAuth2-toegangstoken.")
    )
    folder = models.CharField(_("map"), max_length=255, default="INBOX")
    processed_folder = models.CharField(
        _("map voor verwerkte berichten"),
        max_length=255,
        blank=True,
        help_text=_("Leeg: verwerkte berichten worden als gelezen gemarkeerd en blijven staan."),
    )
    department = models.ForeignKey(
        ServiceDepartment,
        verbose_name=_("afdeling"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Nieuwe meldingen uit deze mailbox komen bij deze afdeling."),
    )
    active = models.BooleanField(_("actief"), default=True)
    last_polled_at = models.DateTimeField(_("laatst opgehaald"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
