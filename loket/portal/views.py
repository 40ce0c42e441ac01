"""Portal pages: thin views over the ticket selectors."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from loket.people.selectors import actor_for
from loket.tickets import selectors as tickets

PAGE_SIZE = 25


@login_required
def home(request):
    actor = actor_for(request.user)
    visible = tickets.tickets_visible_to(request.user, actor=actor)
    own = visible.filter(requester_id=actor.employee_id) if actor.employee else visible.none()
    context = {
        "actor": actor,
        "own_tickets": own.order_by("-created_at", "-id")[:PAGE_SIZE],
        "team_tickets": (
            visible.filter(team_id__in=actor.team_ids).order_by("-updated_at", "-id")[:PAGE_SIZE]
            if actor.team_ids
            else None
        ),
    }
    return render(request, "portal/home.html", context)


@login_required
def ticket_detail(request, number: str):
    ticket = tickets.ticket_for(request.user, number=number)
    if ticket is None:
        raise Http404
    context = {
        "ticket": ticket,
        "comments": tickets.comments_visible_to(request.user, ticket=ticket),
        "history": tickets.history_of(ticket),
        "children": tickets.children_of(request.user, ticket=ticket),
        "actor": actor_for(request.user),
    }
    return render(request, "portal/ticket_detail.html", context)


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
