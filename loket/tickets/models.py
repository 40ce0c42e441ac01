"""Tickets (meldingen): every question, wish, complaint or disruption the desk takes in."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.catalog.models import CatalogItem, Kwis
from loket.people.models import Employee, ServiceDepartment, Team


class Channel(models.TextChoices):
    PORTAL = "portal", _("portaal")
    PHONE = "phone", _("telefoon")
    EMAIL = "email", _("e-mail")
    WALK_IN = "walk_in", _("balie")
    API = "api", _("koppeling (API)")


class Status(models.TextChoices):
    NEW = "new", _("nieuw")
    IN_PROGRESS = "in_progress", _("in behandeling")
    WAITING_CUSTOMER = "waiting_customer", _("wacht op klant")
    WAITING_SUPPLIER = "waiting_supplier", _("wacht op leverancier")
    RESOLVED = "resolved", _("gereed")
    CLOSED = "closed", _("gesloten")
    REOPENED = "reopened", _("heropend")


OPEN_STATUSES = (
    Status.NEW,
    Status.IN_PROGRESS,
    Status.WAITING_CUSTOMER,
    Status.WAITING_SUPPLIER,
    Status.REOPENED,
)


class Impact(models.IntegerChoices):
    HIGH = 1, _("hoog (afdeling of organisatie)")
    MEDIUM = 2, _("midden (groep)")
    LOW = 3, _("laag (één persoon)")


class Urgency(models.IntegerChoices):
    HIGH = 1, _("hoog (werk ligt stil)")
    MEDIUM = 2, _("midden (werk wordt belemmerd)")
    LOW = 3, _("laag (kan wachten)")


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("P1 kritiek")
    HIGH = 2, _("P2 hoog")
    MEDIUM = 3, _("P3 normaal")
    LOW = 4, _("P4 laag")
    PLANNED = 5, _("P5 gepland")


class Ticket(models.Model):
    """A melding. Its number is what people read and quote ("M2026-000123")."""

    number = models.CharField(_("nummer"), max_length=20, unique=True)
    external_ref = models.CharField(
        _("externe referentie"),
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Kenmerk uit een ander systeem of een import; voorkomt dubbele meldingen."),
    )
    requester = models.ForeignKey(
        Employee,
        verbose_name=_("aanvrager"),
        on_delete=models.PROTECT,
        db_index=False,
        related_name="requested_tickets",
    )
    created_by = models.ForeignKey(
        Employee,
        verbose_name=_("geregistreerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_tickets",
    )
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    kwis = models.CharField(_("KWIS"), max_length=1, choices=Kwis.choices, default=Kwis.WISH)
    catalog_item = models.ForeignKey(
        CatalogItem,
        verbose_name=_("product of dienst"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    department = models.ForeignKey(
        ServiceDepartment,
        verbose_name=_("afdeling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        Employee,
        verbose_name=_("behandelaar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="assigned_tickets",
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices, default=Impact.LOW)
    urgency = models.PositiveSmallIntegerField(_("urgentie"), choices=Urgency.choices, default=Urgency.MEDIUM)
    priority = models.PositiveSmallIntegerField(
        _("prioriteit"), choices=Priority.choices, default=Priority.LOW
    )
    subject = models.CharField(_("onderwerp"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    form_answers = models.JSONField(_("antwoorden aanvraagformulier"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hoofdzaak"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    resolution = models.TextField(_("oplossing"), blank=True)
    reopen_count = models.PositiveIntegerField(_("aantal keer heropend"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd met"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    solved_at_first_contact = models.BooleanField(
        _("direct opgelost"),
        default=False,
        help_text=_("Opgelost tijdens het eerste contact met de servicedesk."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), db_index=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), db_index=True)
    resolved_at = models.DateTimeField(_("gereed gemeld op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        # Foreign keys with db_index=False are covered by these composite indexes (leading column).
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_idx"),
            models.Index(fields=["status", "team"], name="ticket_status_team_idx"),
            models.Index(fields=["team", "-created_at"], name="ticket_team_created_idx"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_idx"),
            models.Index(fields=["confidential", "-created_at"], name="ticket_confidential_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Comment(models.Model):
    """A public reply (seen by the requester) or an internal note (desk and back office only)."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("openbare reactie")
        INTERNAL = "internal", _("interne notitie")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("melding"), on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        Employee, verbose_name=_("auteur"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visibility = models.CharField(
        _("zichtbaarheid"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    body = models.TextField(_("tekst"))
    created_at = models.DateTimeField(_("geplaatst op"))

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="comment_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket.number}: {self.body[:40]}"


def attachment_path(instance, filename: str) -> str:
    return f"attachments/{instance.ticket_id}/{filename}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("melding"), on_delete=models.CASCADE, related_name="attachments"
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("reactie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("bestand"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    internal = models.BooleanField(_("alleen intern"), default=False)
    uploaded_by = models.ForeignKey(
        Employee,
        verbose_name=_("toegevoegd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename


class TicketChange(models.Model):
    """One line of a ticket's history: who changed what, when, from which value to which."""

    class Action(models.TextChoices):
        CREATED = "created", _("aangemaakt")
        CHANGED = "changed", _("gewijzigd")
        STATUS = "status", _("status gewijzigd")
        COMMENTED = "commented", _("reactie toegevoegd")
        ATTACHED = "attached", _("bijlage toegevoegd")
        CHILD_ADDED = "child_added", _("deeltaak toegevoegd")
        CLOCK = "clock", _("klok servicenorm")
        MERGED = "merged", _("samengevoegd")
        LINKED = "linked", _("gekoppeld")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("melding"), on_delete=models.CASCADE, related_name="changes", db_index=False
    )
    actor = models.ForeignKey(
        Employee, verbose_name=_("door"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("op"))
    action = models.CharField(_("actie"), max_length=20, choices=Action.choices)
    field = models.CharField(_("veld"), max_length=50, blank=True)
    old_value = models.TextField(_("oude waarde"), blank=True)
    new_value = models.TextField(_("nieuwe waarde"), blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("historie")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="change_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.field}"

    @property
    def field_label(self) -> str:
        """The changed field in the reader's language ("status", "team", ...)."""
        if self.field in _OTHER_FIELD_LABELS:  # "children", "merged", "attachments": not plain fields
            return str(_OTHER_FIELD_LABELS[self.field])
        if self.field in Comment.Visibility.values:
            return str(Comment.Visibility(self.field).label)
        try:
            field = Ticket._meta.get_field(self.field)
        except FieldDoesNotExist:
            return self.field
        return str(getattr(field, "verbose_name", self.field))

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)

    def _label(self, value: str) -> str:
        """Stored codes shown as words in the reader's language (in_progress -> in behandeling)."""
        choices = _HISTORY_CHOICES.get(self.field)
        if choices is not None and value != "":
            try:
                return str(choices(type(choices.values[0])(value)).label)
            except (ValueError, TypeError):
                return value
        if value in ("true", "false"):
            return str(_("ja") if value == "true" else _("nee"))
        return value


# History lines that only staff may read: internal notes and internal attachments.
INTERNAL_HISTORY_FIELDS = ("internal", "internal_attachments")

_OTHER_FIELD_LABELS = {
    "attachments": _("bijlagen"),
    "internal_attachments": _("interne bijlagen"),
    "children": _("deeltaken"),
    "merged": _("samengevoegde melding"),
    "links": _("koppelingen"),
}

_HISTORY_CHOICES = {
    "status": Status,
    "kwis": Kwis,
    "channel": Channel,
    "priority": Priority,
    "impact": Impact,
    "urgency": Urgency,
}


def _default_greetings():
    return ["beste", "hallo", "goedemorgen", "goedemiddag", "goedenavond", "dag", "hoi", "dear", "hello"]


def _default_next_steps():
    return [
        "we gaan", "wij gaan", "je hoort", "u hoort", "volgende stap", "we nemen", "wij nemen",
        "we komen", "wij komen", "we sturen", "wij sturen", "uiterlijk", "verwacht", "we bellen",
        "wij bellen", "kun je", "kunt u", "wil je", "wilt u", "is opgelost", "komt", "komen",
        "morgen", "vandaag", "vanmiddag", "straks", "maandag", "dinsdag", "woensdag", "donderdag",
        "vrijdag", "volgende week", "we will", "you will", "tomorrow", "today",
    ]  # fmt: skip


def _default_jargon():
    return [
        "incident",
        "ticket",
        "escalatie",
        "sla",
        "backoffice",
        "tweede lijn",
        "2e lijn",
        "cmdb",
        "p1",
        "p2",
    ]


class RegistrationGuide(models.Model):
    """The callregistratiegids as checks on every public reply from the desk: greet the customer
    by name, say what happens next and when, no internal jargon, not too long. One row; the
    agent sees the warnings and corrects the reply or sends it with a reason."""

    require_greeting = models.BooleanField(_("begroeten met naam"), default=True)
    greetings = models.JSONField(_("begroetingen"), default=_default_greetings, blank=True)
    require_next_step = models.BooleanField(_("volgende stap noemen"), default=True)
    next_step_phrases = models.JSONField(
        _("woorden voor de volgende stap"), default=_default_next_steps, blank=True
    )
    jargon = models.JSONField(_("intern jargon (te vermijden)"), default=_default_jargon, blank=True)
    max_length = models.PositiveIntegerField(_("maximale lengte (tekens)"), default=1500)

    class Meta:
        verbose_name = _("registratiegids")
        verbose_name_plural = _("registratiegids")

    def __str__(self) -> str:
        return str(_("Registratiegids"))


class ReplyTemplate(models.Model):
    """A reply the desk uses often. Placeholders: {voornaam}, {naam}, {nummer}, {onderwerp},
    {verwachte_datum}, {team}, {behandelaar}."""

    name = models.CharField(_("naam"), max_length=100)
    body = models.TextField(_("tekst"))
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply_templates",
        help_text=_("Leeg: voor iedereen."),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("antwoordsjabloon")
        verbose_name_plural = _("antwoordsjablonen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TicketLink(models.Model):
    """Two tickets that are related (the same outage, a follow-up), shown on both."""

    from_ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_from")
    to_ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_to")
    created_at = models.DateTimeField(_("gekoppeld op"))
    created_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        constraints = [
            models.UniqueConstraint(fields=["from_ticket", "to_ticket"], name="ticket_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(from_ticket=models.F("to_ticket")), name="ticket_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_ticket_id} - {self.to_ticket_id}"
