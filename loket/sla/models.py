"""Service norms and the clocks that watch them (seed 003: monitoren op basis van contractafspraken).

- `BusinessCalendar`: opening hours per weekday, Dutch public holidays, extra closing days.
- `ServiceAgreement` (DVO): agreed norms for a customer unit during a validity period.
- `ServiceNorm`: a response and resolution norm that overrides the catalogue item's own, for a
  priority, an item, an agreement or a combination; the most specific one applies.
- `TicketClock`: per ticket, the norms that apply, when they fall due, paused time, and the state
  (on time, at risk, breached).
- `EscalationRule`: who is told when a clock is at risk or breached.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loket.catalog.models import CatalogItem
from loket.people.models import OrgUnit, ServiceDepartment, Team
from loket.tickets.models import Priority, Ticket

from .business_time import CalendarError, parse_hours

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def validate_hours(value: str) -> None:
    try:
        parse_hours(value)
    except CalendarError:
        raise ValidationError(
            _("Schrijf openingstijden als 08:30-17:00, meerdere gescheiden door komma's.")
        ) from None
    for start, end in parse_hours(value):
        if 120 <= start < 180 or 120 <= end < 180:
            raise ValidationError(
                _(
                    "Openingstijden mogen niet beginnen of eindigen tussen 02:00 en 02:59 "
                    "(de nacht van de zomertijd)."
                )
            )


class BusinessCalendar(models.Model):
    """Werktijden: when the clock runs. Teams and catalogue items choose one; one is the default."""

    class LiberationDay(models.TextChoices):
        EVERY_YEAR = "every_year", _("elk jaar vrij")
        EVERY_FIVE_YEARS = "every_five_years", _("eens in de vijf jaar vrij (2025, 2030, ...)")
        NEVER = "never", _("geen vrije dag")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    monday = models.CharField(_("maandag"), max_length=100, blank=True, validators=[validate_hours])
    tuesday = models.CharField(_("dinsdag"), max_length=100, blank=True, validators=[validate_hours])
    wednesday = models.CharField(_("woensdag"), max_length=100, blank=True, validators=[validate_hours])
    thursday = models.CharField(_("donderdag"), max_length=100, blank=True, validators=[validate_hours])
    friday = models.CharField(_("vrijdag"), max_length=100, blank=True, validators=[validate_hours])
    saturday = models.CharField(_("zaterdag"), max_length=100, blank=True, validators=[validate_hours])
    sunday = models.CharField(_("zondag"), max_length=100, blank=True, validators=[validate_hours])
    time_zone = models.CharField(_("tijdzone"), max_length=50, default="Europe/Amsterdam")
    public_holidays = models.BooleanField(
        _("Nederlandse feestdagen vrij"),
        default=True,
        help_text=_(
            "Nieuwjaarsdag, Tweede Paasdag, Koningsdag, Hemelvaartsdag, Tweede Pinksterdag "
            "en beide Kerstdagen."
        ),
    )
    good_friday = models.BooleanField(_("Goede Vrijdag vrij"), default=False)
    liberation_day = models.CharField(
        _("Bevrijdingsdag"),
        max_length=20,
        choices=LiberationDay.choices,
        default=LiberationDay.EVERY_FIVE_YEARS,
    )
    is_default = models.BooleanField(
        _("standaard"), default=False, help_text=_("Voor teams en producten zonder eigen werktijden.")
    )
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="+")
    catalog_items = models.ManyToManyField(
        CatalogItem, verbose_name=_("producten en diensten"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("werktijden")
        verbose_name_plural = _("werktijden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def hours_text(self) -> tuple[str, ...]:
        return tuple(getattr(self, day) for day in WEEKDAYS)


class ClosingDay(models.Model):
    """An extra day the desk is closed (a collective day off, a move)."""

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("werktijden"), on_delete=models.CASCADE, related_name="closing_days"
    )
    date = models.DateField(_("datum"))
    name = models.CharField(_("omschrijving"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("extra sluitingsdag")
        verbose_name_plural = _("extra sluitingsdagen")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="closingday_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ServiceAgreement(models.Model):
    """Dienstverleningsovereenkomst (DVO) with a customer unit: its own norms for a period."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=150)
    customer_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("klantorganisatie"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("dienstverleningsovereenkomst (DVO)")
        verbose_name_plural = _("dienstverleningsovereenkomsten (DVO's)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceNorm(models.Model):
    """Agreed response and resolution times in working minutes. Empty fields match everything;
    the most specific norm wins (agreement, then item, then priority)."""

    agreement = models.ForeignKey(
        ServiceAgreement,
        verbose_name=_("DVO"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="norms",
    )
    catalog_item = models.ForeignKey(
        CatalogItem,
        verbose_name=_("product of dienst"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    priority = models.PositiveSmallIntegerField(
        _("prioriteit"), choices=Priority.choices, null=True, blank=True
    )
    response_minutes = models.PositiveIntegerField(_("reactietijd (kantoorminuten)"))
    resolution_minutes = models.PositiveIntegerField(_("oplostijd (kantoorminuten)"))

    class Meta:
        verbose_name = _("servicenorm")
        verbose_name_plural = _("servicenormen")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "catalog_item", "priority"],
                name="servicenorm_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement or '-'} / {self.catalog_item or '-'} / P{self.priority or '-'}"


class TicketClock(models.Model):
    """The clocks of one ticket. Times are stored as due moments so the sweep is a range query."""

    class State(models.TextChoices):
        ON_TIME = "on_time", _("op tijd")
        AT_RISK = "at_risk", _("dreigt te verlopen")
        BREACHED = "breached", pgettext_lazy("klok", "verlopen")

    class ResponseState(models.TextChoices):
        PENDING = "pending", _("wacht op reactie")
        MET = "met", _("op tijd gereageerd")
        LATE = "late", _("te laat gereageerd")
        BREACHED = "breached", _("reactietijd verlopen")

    ticket = models.OneToOneField(
        Ticket, verbose_name=_("melding"), on_delete=models.CASCADE, primary_key=True, related_name="clock"
    )
    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("werktijden"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        ServiceAgreement,
        verbose_name=_("DVO"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response_minutes = models.PositiveIntegerField(_("reactietijd (kantoorminuten)"))
    resolution_minutes = models.PositiveIntegerField(_("oplostijd (kantoorminuten)"))
    started_at = models.DateTimeField(_("gestart op"))
    response_due = models.DateTimeField(_("reageren vóór"))
    responded_at = models.DateTimeField(_("gereageerd op"), null=True, blank=True)
    response_state = models.CharField(
        _("reactiestatus"), max_length=10, choices=ResponseState.choices, default=ResponseState.PENDING
    )
    resolution_due = models.DateTimeField(_("oplossen vóór"))
    at_risk_at = models.DateTimeField(_("dreigt te verlopen vanaf"))
    paused_at = models.DateTimeField(_("gepauzeerd sinds"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("gepauzeerde kantoorminuten"), default=0)
    stopped_at = models.DateTimeField(_("gestopt op"), null=True, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.ON_TIME)
    updated_at = models.DateTimeField(_("bijgewerkt op"))

    class Meta:
        verbose_name = _("klok")
        verbose_name_plural = _("klokken")
        indexes = [
            models.Index(fields=["state", "at_risk_at"], name="clock_risk_idx"),
            models.Index(fields=["state", "resolution_due"], name="clock_due_idx"),
            models.Index(fields=["response_state", "response_due"], name="clock_response_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.state}"

    @property
    def running(self) -> bool:
        return self.paused_at is None and self.stopped_at is None


class EscalationRule(models.Model):
    """Who hears about a clock that is at risk or breached. Empty filters match every ticket."""

    class Trigger(models.TextChoices):
        RESOLUTION_AT_RISK = "resolution_at_risk", _("oplostijd dreigt te verlopen")
        RESOLUTION_BREACHED = "resolution_breached", _("oplostijd verlopen")
        RESPONSE_BREACHED = "response_breached", _("reactietijd verlopen")

    class Recipient(models.TextChoices):
        ASSIGNEE = "assignee", _("behandelaar")
        TEAM_LEAD = "team_lead", _("teamleider")
        MANAGER = "manager", _("manager van het team")

    name = models.CharField(_("naam"), max_length=100)
    trigger = models.CharField(_("aanleiding"), max_length=30, choices=Trigger.choices)
    recipient = models.CharField(_("ontvanger"), max_length=20, choices=Recipient.choices)
    department = models.ForeignKey(
        ServiceDepartment, verbose_name=_("afdeling"), null=True, blank=True, on_delete=models.CASCADE
    )
    max_priority = models.PositiveSmallIntegerField(
        _("tot en met prioriteit"),
        choices=Priority.choices,
        null=True,
        blank=True,
        help_text=_("Bijvoorbeeld P2: alleen voor P1 en P2."),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("escalatieregel")
        verbose_name_plural = _("escalatieregels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
