"""The catalogue in the portal: browse, search, read what to expect, and ask."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loket.api import services as idempotency
from loket.catalog.selectors import (
    catalog_items,
    departments_with_items,
    norm_in_words,
    search_catalog,
    theme_by_code,
    themes_with_items,
)
from loket.core.errors import DomainError
from loket.people.selectors import active_employee, actor_for
from loket.tickets.models import Channel, Kwis
from loket.tickets.selectors import ticket_for
from loket.tickets.services import add_attachment, create_ticket, validate_upload

ATTACHMENT_HINT_MB = round(settings.LOKET_ATTACHMENT_MAX_BYTES / 1024 / 1024)


@login_required
def catalog_index(request):
    """Everything you can ask for, by service department; or the items that match a question."""
    query = request.GET.get("q", "").strip()[:200]
    context = {"query": query}
    if query:
        context["results"] = search_catalog(query)
    else:
        context["departments"] = departments_with_items()
        context["themes"] = themes_with_items()
    return render(request, "portal/catalog_index.html", context)


@login_required
def catalog_theme(request, code: str):
    """One theme across departments (e.g. "Nieuw in dienst"): its items, with who delivers each."""
    theme = theme_by_code(code)
    if theme is None:
        raise Http404
    items = catalog_items().filter(themes=theme).order_by("name")
    return render(request, "portal/catalog_theme.html", {"theme": theme, "items": items})


def _item_or_404(code: str):
    item = catalog_items().filter(code=code).select_related("department", "default_team").first()
    if item is None:
        raise Http404
    return item


def _fields(item, answers: dict, errors: dict) -> list[dict]:
    return [
        {
            **spec,
            "id": f"id_f_{spec['name']}",
            "input_name": f"f_{spec['name']}",
            "value": answers.get(spec["name"], ""),
            "error": errors.get(spec["name"]),
        }
        for spec in item.form_fields
    ]


def _render_item(request, item, *, answers=None, errors=None, values=None, status=200):
    errors = errors or {}
    values = values or {}
    context = {
        "item": item,
        "norm": norm_in_words(item.resolution_minutes) if item else None,
        "response_norm": norm_in_words(item.response_minutes) if item else None,
        "fields": _fields(item, answers or {}, errors) if item else [],
        "kwis_choices": [(code, Kwis(code).label) for code in (item.kwis_types if item else Kwis.values)],
        "errors": errors,
        "values": values,
        "submission": values.get("submission") or uuid.uuid4().hex,
        "max_mb": ATTACHMENT_HINT_MB,
        "extensions": ", ".join(settings.LOKET_ATTACHMENT_EXTENSIONS),
    }
    template = "portal/catalog_item.html" if item else "portal/general_request.html"
    return render(request, template, context, status=status)


@login_required
def catalog_item(request, code: str):
    """An item: what you get, the norm in plain words, the conditions, who delivers it, and the
    request form generated from its form fields."""
    item = _item_or_404(code)
    if request.method != "POST":
        return _render_item(request, item)
    return _submit(request, item)


@login_required
def general_request(request):
    """Not in the catalogue, or not sure where a question belongs: the desk routes it."""
    if request.method != "POST":
        return _render_item(request, None)
    return _submit(request, None)


def _submit(request, item):
    actor = actor_for(request.user)
    post = request.POST
    specs = item.form_fields if item else []
    answers = {spec["name"]: post.get(f"f_{spec['name']}", "") for spec in specs}
    for spec in specs:
        if spec.get("type") == "boolean":
            answers[spec["name"]] = post.get(f"f_{spec['name']}") == "on"
    values = {
        name: post.get(name, "").strip()
        for name in ("subject", "description", "kwis", "on_behalf", "submission")
    }
    upload = request.FILES.get("attachment")
    errors: dict[str, str] = {}
    requester = actor.employee
    if values["on_behalf"]:
        requester = active_employee(values["on_behalf"])
        if requester is None:
            errors["on_behalf"] = _("Onbekend personeelsnummer: %(n)s.") % {"n": values["on_behalf"]}
    if requester is None and not errors:
        errors["general"] = _(
            "Je account is nog niet gekoppeld aan een medewerker. Neem contact op met de servicedesk."
        )
    if not values["description"]:
        errors["description"] = _("Beschrijf je vraag.")
    if item is None and not values["subject"]:
        errors["subject"] = _("Geef je vraag een onderwerp.")
    if upload is not None:
        try:
            validate_upload(upload)
        except DomainError as error:
            errors["attachment"] = str(error.message)
    if errors:
        return _render_item(request, item, answers=answers, errors=errors, values=values, status=422)

    def create():
        ticket = create_ticket(
            requester=requester,
            actor=actor,
            subject=values["subject"] or (item.name if item else ""),
            description=values["description"],
            channel=Channel.PORTAL,
            kwis=values["kwis"] or None,
            catalog_item=item,
            # An unticked box is an answer ("nee"); an empty optional field is not.
            form_answers={name: value for name, value in answers.items() if value != ""} or None,
        )
        if upload is not None:
            add_attachment(ticket=ticket, actor=actor, upload=upload)
        return ticket

    fingerprint = hashlib.sha256(
        repr(sorted((k, v) for k, v in post.items() if k != "csrfmiddlewaretoken")).encode()
    ).hexdigest()
    try:
        ticket, _created = idempotency.create_once(
            user=request.user,
            key=f"portal:{values['submission'] or uuid.uuid4().hex}",
            request_fingerprint=fingerprint,
            create=create,
        )
    except DomainError as error:
        field = error.field if error.field in {*answers, "subject", "kwis"} else "general"
        errors[field] = str(error.message)
        return _render_item(request, item, answers=answers, errors=errors, values=values, status=422)
    clock = getattr(ticket, "clock", None)
    expected = date_format(timezone.localtime(clock.resolution_due), "l j F Y") if clock is not None else None
    message = _("Je aanvraag %(number)s is ontvangen.") % {"number": ticket.number}
    if expected:
        message += " " + _("We verwachten hem uiterlijk %(date)s af te ronden.") % {"date": expected}
    messages.success(request, message)
    if ticket_for(request.user, number=ticket.number) is None:  # asked for someone else, confidentially
        return redirect("home")
    return redirect("ticket-detail", ticket.number)
