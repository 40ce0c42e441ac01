"""The product and service catalogue (producten- en dienstencatalogus)."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.people.models import ServiceDepartment, Team


class Kwis(models.TextChoices):
    """KWIS: the four kinds of customer question a service desk takes in."""

    COMPLAINT = "K", _("klacht")
    WISH = "W", _("wens")
    INFORMATION = "I", _("informatie")
    DISRUPTION = "S", _("storing")


# A task template's subject or description names form fields as {field}.
TASK_PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")

FORM_FIELD_TYPES = ("text", "textarea", "select", "date", "datetime", "number", "boolean", "person", "file")


class CatalogItem(models.Model):
    """A product or service a department delivers, with its norms and its request form."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    department = models.ForeignKey(
        ServiceDepartment, verbose_name=_("afdeling"), on_delete=models.PROTECT, related_name="catalog_items"
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    expectations = models.TextField(_("wat je mag verwachten"), blank=True)
    conditions = models.TextField(_("voorwaarden (kaders)"), blank=True)
    kwis_types = models.JSONField(
        _("KWIS-soorten"), default=list, help_text=_("Toegestane KWIS-soorten, de meest gebruikelijke eerst.")
    )
    standard = models.BooleanField(_("standaardaanvraag"), default=True)
    response_minutes = models.PositiveIntegerField(_("reactietijd (kantoorminuten)"), default=8 * 60)
    resolution_minutes = models.PositiveIntegerField(_("oplostijd (kantoorminuten)"), default=40 * 60)
    form_fields = models.JSONField(_("formuliervelden"), default=list, blank=True)
    keywords = models.JSONField(_("zoekwoorden"), default=list, blank=True)
    default_team = models.ForeignKey(
        Team,
        verbose_name=_("standaardteam"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="catalog_items",
    )
    task_template = models.JSONField(
        _("deeltaken"),
        default=list,
        blank=True,
        help_text=_(
            "Voor een zaak over meer afdelingen (zoals een nieuwe medewerker): per deeltaak de afdeling, "
            "eventueel het team, en het onderwerp. Een onderwerp mag {veldnaam} uit het formulier gebruiken."
        ),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("product of dienst")
        verbose_name_plural = _("producten en diensten")
        ordering = ["department__code", "code"]

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"

    @property
    def response_hours(self):
        return _minutes_to_hours(self.response_minutes)

    @property
    def resolution_hours(self):
        return _minutes_to_hours(self.resolution_minutes)


def _minutes_to_hours(minutes: int):
    hours, rest = divmod(minutes, 60)
    return hours if rest == 0 else round(minutes / 60, 2)


class Theme(models.Model):
    """A theme across departments (life events such as "Nieuw in dienst" or "Thuiswerken"):
    a second way to browse the catalogue besides the service departments."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    items = models.ManyToManyField(
        CatalogItem, verbose_name=_("producten en diensten"), related_name="themes", blank=True
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
