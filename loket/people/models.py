"""The organisation: internal customers (units, employees, locations) and the providers
(service departments, their teams, and who works in which team in which role)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Location(models.Model):
    """Where someone works: building, floor, room."""

    building = models.CharField(_("gebouw"), max_length=120)
    floor = models.CharField(_("verdieping"), max_length=20, blank=True)
    room = models.CharField(_("ruimte"), max_length=40, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["building", "floor", "room"]
        constraints = [
            models.UniqueConstraint(fields=["building", "floor", "room"], name="location_unique_place"),
        ]

    def __str__(self) -> str:
        parts = [self.building]
        if self.floor:
            parts.append(str(_("verdieping %(floor)s") % {"floor": self.floor}))
        if self.room:
            parts.append(self.room)
        return ", ".join(parts)


class OrgUnit(models.Model):
    """An organisational unit: the internal customer, e.g. "Burgerzaken"."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("valt onder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("organisatieonderdeel")
        verbose_name_plural = _("organisatieonderdelen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceDepartment(models.Model):
    """A provider of internal services (ICT, HRM, FAC, FIN, COM, JUR): dienstverlenende afdeling."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    confidential_by_default = models.BooleanField(
        _("meldingen standaard vertrouwelijk"),
        default=False,
        help_text=_("Meldingen voor deze afdeling zijn alleen zichtbaar voor het behandelende team."),
    )
    default_team = models.ForeignKey(
        "Team",
        verbose_name=_("standaardteam"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("dienstverlenende afdeling")
        verbose_name_plural = _("dienstverlenende afdelingen")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"


class Team(models.Model):
    """A team that handles tickets: the front office (servicedesk) or a back-office team."""

    class Kind(models.TextChoices):
        FRONT_OFFICE = "front_office", _("frontoffice (servicedesk)")
        BACK_OFFICE = "back_office", _("backoffice")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.BACK_OFFICE)
    department = models.ForeignKey(
        ServiceDepartment,
        verbose_name=_("afdeling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
        help_text=_("Leeg voor een centrale servicedesk die alle afdelingen bedient."),
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A person in the organisation. May exist without a login (most requesters never log in)."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("Nederlands")
        ENGLISH = "en", _("Engels")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inlogaccount"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    employee_number = models.CharField(_("personeelsnummer"), max_length=30, unique=True)
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisatieonderdeel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("leidinggevende"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    language = models.CharField(_("taal"), max_length=5, choices=Language.choices, default=Language.DUTCH)
    active = models.BooleanField(_("in dienst"), default=True)

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(Lower("email"), name="employee_email_ci_idx"),
            models.Index(fields=["last_name", "first_name"], name="employee_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class TeamMembership(models.Model):
    """Who works in which team, in which role."""

    class Role(models.TextChoices):
        AGENT = "agent", _("servicedeskmedewerker")
        SPECIALIST = "specialist", _("specialist")
        TEAM_LEAD = "team_lead", _("teamleider")
        MANAGER = "manager", _("manager")
        ADMINISTRATOR = "administrator", _("beheerder")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.SPECIALIST)

    class Meta:
        verbose_name = _("teamlidmaatschap")
        verbose_name_plural = _("teamlidmaatschappen")
        ordering = ["team__name", "employee__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "employee"], name="membership_unique_team_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} - {self.team} ({self.get_role_display()})"
