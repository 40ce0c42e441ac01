"""The registration guide (callregistratiegids) and reply templates: how the desk speaks.

Checks run before a public reply leaves: the agent sees each warning and corrects the reply or
sends it anyway with a reason, which is recorded in the ticket's history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loket.core.errors import DomainError

from ..models import RegistrationGuide, ReplyTemplate, Ticket

PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")
# A moment named in the reply ("om 14:00", "op 3 december", "12-12") counts as saying when.
TIME_OR_DATE_RE = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}[-/]\d{1,2}\b|\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|"
    r"augustus|september|oktober|november|december)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class GuideWarning:
    code: str
    message: str


class GuideWarnings(DomainError):
    """A public reply that does not follow the guide; `warnings` lists each point."""

    def __init__(self, warnings: list[GuideWarning]):
        self.warnings = warnings
        super().__init__(
            "guide_warnings",
            _("Je reactie volgt de registratiegids niet: %(points)s")
            % {"points": " ".join(warning.message for warning in warnings)},
            field="body",
        )


def current_guide() -> RegistrationGuide:
    """The guide's settings (the defaults until an administrator changes them)."""
    guide = RegistrationGuide.objects.order_by("pk").first()
    return guide if guide is not None else RegistrationGuide()


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", text.lower())


def _contains(text: str, phrase: str) -> bool:
    return re.search(r"(?<![\w])" + re.escape(phrase.lower()) + r"(?![\w])", text.lower()) is not None


def check_reply(*, ticket: Ticket, body: str, guide: RegistrationGuide | None = None) -> list[GuideWarning]:
    """What in a public reply goes against the guide; empty when it is fine."""
    guide = guide or current_guide()
    text = (body or "").strip()
    warnings = []
    first_line = text.splitlines()[0] if text else ""
    if guide.require_greeting:
        first_words = _words(first_line)[:4]
        greeted = any(word in {g.lower() for g in guide.greetings} for word in first_words)
        name = (ticket.requester.first_name or "").lower() if ticket.requester_id else ""
        if not greeted:
            warnings.append(GuideWarning("greeting", _("Begin met een begroeting en de naam van de klant.")))
        elif name and name not in first_line.lower():
            warnings.append(
                GuideWarning(
                    "name",
                    _("Spreek de klant aan met de naam: %(name)s.") % {"name": ticket.requester.first_name},
                )
            )
    names_a_moment = TIME_OR_DATE_RE.search(text) is not None
    if (
        guide.require_next_step
        and not names_a_moment
        and not any(_contains(text, phrase) for phrase in guide.next_step_phrases)
    ):
        warnings.append(GuideWarning("next_step", _("Vertel wat de volgende stap is en wanneer.")))
    used = sorted({word for word in guide.jargon if _contains(text, word)})
    if used:
        warnings.append(
            GuideWarning(
                "jargon",
                _("Vermijd intern jargon: %(words)s.") % {"words": ", ".join(used)},
            )
        )
    if guide.max_length and len(text) > guide.max_length:
        warnings.append(
            GuideWarning(
                "too_long",
                _("Maak de reactie korter: %(length)d tekens, hoogstens %(max)d.")
                % {"length": len(text), "max": guide.max_length},
            )
        )
    return warnings


def placeholders_for(ticket: Ticket) -> dict[str, str]:
    clock = getattr(ticket, "clock", None)
    due = clock.resolution_due if clock is not None and ticket.is_open else None
    return {
        "voornaam": ticket.requester.first_name if ticket.requester_id else "",
        "naam": ticket.requester.full_name if ticket.requester_id else "",
        "nummer": ticket.number,
        "onderwerp": ticket.subject,
        "verwachte_datum": date_format(timezone.localtime(due), "l j F") if due else "",
        "team": ticket.team.name if ticket.team_id else "",
        "behandelaar": ticket.assignee.full_name if ticket.assignee_id else "",
    }


def render_reply_template(*, template: ReplyTemplate, ticket: Ticket) -> str:
    """A template's text with the ticket's values filled in; unknown placeholders stay visible
    so the agent notices them."""
    values = placeholders_for(ticket)
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template.body)


def ensure_reply_template(*, name: str, body: str, team=None) -> ReplyTemplate:
    """Create a reply template by name (idempotent: an existing one is left as it is)."""
    name, body = (name or "").strip(), (body or "").strip()
    if not name or not body:
        raise DomainError("template_incomplete", _("Een sjabloon heeft een naam en een tekst."))
    template, _created = ReplyTemplate.objects.get_or_create(name=name, team=team, defaults={"body": body})
    return template
