"""Customer satisfaction: the requester's score for a handled ticket (seed: quality from the
customer's view; follow-up of scores comes with the reports)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.people.models import Employee
from loket.tickets.models import Ticket


class SatisfactionScore(models.Model):
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("melding"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="satisfaction",
    )
    respondent = models.ForeignKey(
        Employee, verbose_name=_("gegeven door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("cijfer (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("gegeven op"))

    class Meta:
        verbose_name = _("tevredenheidsscore")
        verbose_name_plural = _("tevredenheidsscores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="satisfaction_score_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"
