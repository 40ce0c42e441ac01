"""Portal pages: thin views over the ticket selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from loket.api import selectors as api_tokens
from loket.api import services as token_services
from loket.catalog.selectors import theme_list
from loket.core.errors import DomainError
from loket.knowledge.selectors import current_announcements
from loket.people.selectors import actor_for
from loket.surveys import services as surveys
from loket.surveys.selectors import score_for
from loket.tickets import policies
from loket.tickets import selectors as tickets
from loket.tickets import services as ticket_services

PAGE_SIZE = 25
HOME_SIZE = 10


@login_required
def home(request):
    actor = actor_for(request.user)
    visible = tickets.tickets_visible_to(request.user, actor=actor)
    context = {
        "actor": actor,
        "announcements": current_announcements()[:5],
        "popular": tickets.popular_items(limit=6),
        "themes": theme_list(),
        "own_tickets": _labelled(tickets.requests_of(request.user, actor=actor, open_only=True)[:HOME_SIZE]),
        "team_tickets": (
            _labelled(visible.filter(team_id__in=actor.team_ids).order_by("-updated_at", "-id")[:PAGE_SIZE])
            if actor.team_ids
            else None
        ),
    }
    return render(request, "portal/home.html", context)


@login_required
@require_GET
def my_requests(request):
    """Mijn meldingen: open ones first, then what was handled; 25 a page."""
    actor = actor_for(request.user)
    show = request.GET.get("toon", "open")
    open_only = {"open": True, "afgehandeld": False}.get(show)
    page = Paginator(tickets.requests_of(request.user, actor=actor, open_only=open_only), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    page.object_list = _labelled(page.object_list)
    return render(request, "portal/my_requests.html", {"page": page, "show": show, "actor": actor})


def _labelled(tickets_list) -> list:
    """Status words translated once per list, not once per row (get_status_display hashes every
    lazy label of the choices on each call)."""
    from loket.tickets.models import Status

    rows = list(tickets_list)
    words = {value: str(label) for value, label in Status.choices}
    for ticket in rows:
        ticket.status_label = words.get(ticket.status, ticket.status)
    return rows


def _ticket_page(request, ticket, *, status: int = 200, **extra):
    actor = actor_for(request.user)
    parts = tickets.case_parts(request.user, ticket=ticket)
    context = {
        "ticket": ticket,
        "parent": tickets.ticket_for(request.user, pk=ticket.parent_id) if ticket.parent_id else None,
        "comments": tickets.comments_visible_to(request.user, ticket=ticket),
        "history": tickets.history_of(ticket) if actor.is_staff_member else None,
        "timeline": tickets.timeline_for_requester(request.user, ticket=ticket, parts=parts)
        if not actor.is_staff_member
        else None,
        "parts": [_part(part) for part in parts],
        "actor": actor,
        "can_accept": policies.can_accept(actor, ticket),
        "can_reopen": policies.can_reopen(actor, ticket),
        "reopen_days": settings.LOKET_REOPEN_DAYS,
        "can_reply": ticket.is_open and policies.is_requester(actor, ticket),
        "can_rate": (can_rate := surveys.can_rate(actor, ticket)),
        "satisfaction": score_for(ticket) if can_rate else None,
        "scores": range(1, 6),
        **extra,
    }
    return render(request, "portal/ticket_detail.html", context, status=status)


def _part(part) -> dict:
    """One part of a split case as the requester reads it: who, what, how far, and when."""
    clock = getattr(part, "clock", None) if part.is_open else None
    return {
        "ticket": part,
        "who": part.team.name if part.team else (part.department.name if part.department else "-"),
        "status": tickets.status_in_words(part.status),
        "expected": clock.resolution_due if clock is not None else None,
    }


def _visible(request, number: str):
    ticket = tickets.ticket_for(request.user, number=number)
    if ticket is None:
        raise Http404
    return ticket


@login_required
def ticket_detail(request, number: str):
    return _ticket_page(request, _visible(request, number))


@login_required
@require_POST
def accept_resolution(request, number: str):
    """The requester agrees the ticket is solved: it is closed."""
    ticket = _visible(request, number)
    try:
        ticket_services.close_ticket(ticket=ticket, actor=actor_for(request.user))
    except DomainError as error:
        return _ticket_page(request, ticket, status=422, resolution_error=error.message)
    messages.success(request, _("Dank je. De melding %(number)s is afgesloten.") % {"number": ticket.number})
    return redirect("ticket-detail", ticket.number)


@login_required
@require_POST
def reopen(request, number: str):
    """Not solved after all: back to the team that resolved it, with the reason (counts as rework)."""
    ticket = _visible(request, number)
    reason = request.POST.get("reason", "")
    try:
        ticket_services.reopen_ticket(ticket=ticket, actor=actor_for(request.user), reason=reason)
    except DomainError as error:
        return _ticket_page(request, ticket, status=422, reopen_error=error.message, reason=reason[:2000])
    messages.success(
        request,
        _("De melding %(number)s is heropend. We gaan er opnieuw mee aan de slag.")
        % {"number": ticket.number},
    )
    return redirect("ticket-detail", ticket.number)


TOKEN_DAYS = (30, 90, 180, 365)


def _profile(request, *, status: int = 200, **extra):
    context = {
        "actor": actor_for(request.user),
        "tokens": api_tokens.tokens(user=request.user),
        "now": timezone.now(),
        "docs_url": reverse("api:openapi-view"),
        "day_choices": [
            (days, ngettext("%(count)d dag", "%(count)d dagen", days) % {"count": days})
            for days in TOKEN_DAYS
        ],
        "form_days": token_services.DEFAULT_TOKEN_DAYS,
        "form_name": "",
        **extra,
    }
    return render(request, "portal/profile.html", context, status=status)


@login_required
@require_GET
def profile(request):
    """Mijn profiel: who I am, and my personal API tokens."""
    return _profile(request)


@login_required
@require_POST
def token_create(request):
    """Make a personal API token; its value is shown on this one response and never again."""
    name = request.POST.get("name", "")
    try:
        days = int(request.POST.get("days", ""))
    except ValueError:
        days = 0
    try:
        token, plaintext = token_services.create_token(user=request.user, name=name, days=days)
    except DomainError as error:
        return _profile(request, status=422, errors=[error.message], form_name=name[:100], form_days=days)
    response = _profile(request, new_token=token, new_plaintext=plaintext)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = api_tokens.tokens(user=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    token_services.revoke_token(token=token, by=request.user)
    messages.success(request, _("Sleutel '%(name)s' is ingetrokken.") % {"name": token.name})
    return redirect(reverse("profile") + "#api-sleutels")


@login_required
@require_POST
def reply(request, number: str):
    """The requester adds a reaction (and optionally a file) for the desk to an open ticket."""
    ticket = _visible(request, number)
    actor = actor_for(request.user)
    body = request.POST.get("body", "")
    upload = request.FILES.get("attachment")
    try:
        ticket_services.add_reply(ticket=ticket, actor=actor, body=body, upload=upload)
    except DomainError as error:
        return _ticket_page(request, ticket, status=422, reply_error=error.message, reply=body[:20000])
    messages.success(request, _("Je reactie is toegevoegd. De behandelaar ziet hem bij de melding."))
    return redirect("ticket-detail", ticket.number)


@login_required
@require_POST
def rate(request, number: str):
    """One click on a score (1-5), with an optional comment typed first."""
    ticket = _visible(request, number)
    try:
        surveys.rate_ticket(
            ticket=ticket,
            actor=actor_for(request.user),
            score=request.POST.get("score"),
            comment=request.POST.get("comment", ""),
        )
    except DomainError as error:
        return _ticket_page(request, ticket, status=422, rating_error=error.message)
    messages.success(request, _("Dank je wel voor je beoordeling."))
    return redirect("ticket-detail", ticket.number)


@require_GET
def health(request):
    """For load balancers: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
