"""The service desk's workspace: queues, one ticket with every action, intake. Thin views over
the ticket selectors and services; pages work without JavaScript, htmx makes them quicker."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from loket.catalog.models import Kwis
from loket.catalog.selectors import catalog_item_by_code, departments_with_items
from loket.core.errors import DomainError
from loket.people.selectors import active_employee, active_team, actor_for, employee_search, teams_for_routing
from loket.tickets import selectors as tickets
from loket.tickets import services
from loket.tickets.models import OPEN_STATUSES, Channel, Impact, Priority, Status, Urgency

QUEUE_SIZE = 50
QUEUE_LABELS = {
    "unassigned": gettext_lazy("Niet toegewezen"),
    "mine": gettext_lazy("Van mij"),
    "team": gettext_lazy("Mijn teams"),
    "waiting": gettext_lazy("Wachtend"),
    "at_risk": gettext_lazy("Dreigt te verlopen"),
    "breached": gettext_lazy("Verlopen"),
    "reopened": gettext_lazy("Heropend"),
}


def staff_only(view):
    """Desk pages are for the front and back office; anyone else gets 'not found'."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not actor_for(request.user).is_staff_member:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@staff_only
@require_GET
def queue(request):
    actor = actor_for(request.user)
    name = request.GET.get("wachtrij", "unassigned")
    if name not in tickets.QUEUES:
        name = "unassigned"
    filters = {
        "kwis": request.GET.get("kwis") if request.GET.get("kwis") in Kwis.values else None,
        "department": (request.GET.get("afdeling") or "").strip()[:10] or None,
        "priority": int(request.GET["prio"]) if request.GET.get("prio") in {"1", "2", "3", "4"} else None,
        "sort": request.GET.get("sorteer", "updated"),
    }
    try:
        page = max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        page = 1
    counts = tickets.queue_counts(request.user, actor=actor)
    start = (page - 1) * QUEUE_SIZE
    # one more than a page: is there a next one?
    rows = tickets.desk_queue_page(
        request.user, queue=name, actor=actor, offset=start, limit=QUEUE_SIZE + 1, **filters
    )
    context = {
        "queue": name,
        "queues": [(key, QUEUE_LABELS[key], counts[key]) for key in tickets.QUEUES],
        "rows": _queue_rows(rows[:QUEUE_SIZE]),
        "page": page,
        "has_next": len(rows) > QUEUE_SIZE,
        "filters": filters,
        "kwis_choices": Kwis.choices,
        "priority_choices": Priority.choices,
        "teams": teams_for_routing(),
        "sorts": [
            ("updated", _("laatst gewijzigd")),
            ("newest", _("nieuwste eerst")),
            ("oldest", _("oudste eerst")),
            ("priority", _("prioriteit")),
            ("due", _("uiterste datum")),
        ],
        "now": timezone.now(),
    }
    template = "desk/_queue_table.html" if request.headers.get("HX-Request") else "desk/queue.html"
    return render(request, template, context)


ROW = (
    '<tr class="utrecht-table__row">'
    '<td class="utrecht-table__cell"><input type="checkbox"'
    ' class="utrecht-checkbox utrecht-checkbox--html-input" name="tickets" value="{number}"'
    ' form="bulk-form" id="pick-{number}" aria-label="{pick} {number}"></td>'
    '<td class="utrecht-table__cell"><a class="utrecht-link" href="{url}">{number}</a></td>'
    '<td class="utrecht-table__cell">{subject}{confidential}</td>'
    '<td class="utrecht-table__cell">{requester}</td>'
    '<td class="utrecht-table__cell">{team}</td>'
    '<td class="utrecht-table__cell">{assignee}</td>'
    '<td class="utrecht-table__cell">P{priority}</td>'
    '<td class="utrecht-table__cell">{status}</td>'
    '<td class="utrecht-table__cell">{due}</td>'
    "</tr>"
)


def _queue_rows(rows) -> str:
    """The rows of a queue table as HTML, every value escaped by format_html. Fifty rows through
    the template engine took 12 of a page's 26 ms (bench/README.md); words are translated once."""
    from django.urls import reverse
    from django.utils.html import format_html

    from loket.sla.models import TicketClock

    statuses = {value: str(label) for value, label in Status.choices}
    states = {value: str(label) for value, label in TicketClock.State.choices}
    pick, confidential = _("Kies"), format_html(" <em>({})</em>", _("vertrouwelijk"))
    base = reverse("desk")
    html = []
    for ticket in rows:
        clock = getattr(ticket, "clock", None)
        if clock is None:
            due = "-"
        else:
            moment = timezone.localtime(clock.resolution_due)
            due = format_html(
                '<time datetime="{}">{}</time>', moment.isoformat(), moment.strftime("%d-%m %H:%M")
            )
            if clock.state != TicketClock.State.ON_TIME:
                due = format_html("{} <strong>({})</strong>", due, states.get(clock.state, clock.state))
        html.append(
            format_html(
                ROW,
                number=ticket.number,
                pick=pick,
                url=f"{base}meldingen/{ticket.number}/",
                subject=ticket.subject,
                confidential=confidential if ticket.confidential else "",
                requester=ticket.requester.full_name,
                team=ticket.team.name if ticket.team_id else "-",
                assignee=ticket.assignee.full_name if ticket.assignee_id else "-",
                priority=ticket.priority,
                status=statuses.get(ticket.status, ticket.status),
                due=due,
            )
        )
    return mark_safe("".join(html))  # noqa: S308 - every part was escaped by format_html above


def _ticket_or_404(request, number: str):
    ticket = tickets.ticket_for(request.user, number=number)
    if ticket is None:
        raise Http404
    return ticket


def _workspace(request, ticket, *, status: int = 200, **extra):
    actor = actor_for(request.user)
    teams = list(teams_for_routing())
    context = {
        "ticket": ticket,
        "actor": actor,
        "comments": tickets.comments_visible_to(request.user, ticket=ticket),
        "history": tickets.history_of(ticket),
        "parts": tickets.case_parts(request.user, ticket=ticket),
        "parent": tickets.ticket_for(request.user, pk=ticket.parent_id) if ticket.parent_id else None,
        "teams": teams,
        "statuses": [(s.value, s.label) for s in Status if s.value in OPEN_STATUSES and s != Status.NEW],
        "is_open": ticket.is_open,
        "seen_at": timezone.now().isoformat(),
        "reply_templates": tickets.reply_templates_for(actor),
        "links": tickets.links_of(request.user, ticket=ticket),
        "desk_team": next((team for team in teams if team.kind == "front_office"), None),
        "form": {},
        "errors": {},
        **extra,
    }
    return render(request, "desk/ticket.html", context, status=status)


@staff_only
@require_GET
def workspace(request, number: str):
    return _workspace(request, _ticket_or_404(request, number))


ACTIONS = ("assign", "status", "resolve", "comment", "split", "template", "merge", "link")


@staff_only
@require_POST
def act(request, number: str, action: str):
    """One action on a ticket. A change someone else made meanwhile is shown, with what this
    agent typed kept in the form, so nothing is lost."""
    if action not in ACTIONS:
        raise Http404
    ticket = _ticket_or_404(request, number)
    actor = actor_for(request.user)
    post = request.POST
    form = {key: post.get(key, "") for key in post if key != "csrfmiddlewaretoken"}
    if action == "template":  # fill the reply with a template; nothing is written yet
        template = tickets.reply_template_for(actor, post.get("template"))
        if template is not None:
            form["body"] = services.render_reply_template(template=template, ticket=ticket)
        return _workspace(request, ticket, form=form)
    try:
        version = int(post.get("version", ""))
    except ValueError:
        version = None
    try:
        _perform(action, ticket=ticket, actor=actor, post=post, version=version, user=request.user)
    except DomainError as error:
        extra = {
            "form": form,
            "errors": {action: error.message},
            "error": error.message,
            "failed_action": action,
        }
        if isinstance(error, services.GuideWarnings):
            extra["guide_warnings"] = error.warnings
        status = 422
        if error.code == "conflict":
            status = 409
            seen = parse_datetime(post.get("seen_at", "")) if post.get("seen_at") else None
            history = tickets.history_of(ticket)
            extra["conflict"] = history.filter(at__gt=seen) if seen else history
        fresh = tickets.ticket_for(request.user, pk=ticket.pk)
        if fresh is None:
            raise Http404 from None
        return _workspace(request, fresh, status=status, **extra)
    messages.success(request, _("Melding %(number)s is bijgewerkt.") % {"number": ticket.number})
    if tickets.ticket_for(request.user, pk=ticket.pk) is None:  # routed to a confidential team
        return redirect("desk")
    return redirect("desk-ticket", ticket.number)


@staff_only
@require_POST
def bulk(request):
    """One action on the tickets ticked in a queue, with the checks of the single action."""
    actor = actor_for(request.user)
    numbers = request.POST.getlist("tickets")
    back = request.POST.get("next") or "/desk/"
    if not back.startswith("/desk/"):
        back = "/desk/"
    if not numbers:
        messages.error(request, _("Kies eerst een of meer meldingen."))
        return redirect(back)
    selected = tickets.tickets_by_numbers(request.user, numbers=numbers, actor=actor)
    try:
        result = services.bulk_apply(
            tickets=selected,
            actor=actor,
            action=request.POST.get("action", ""),
            team=active_team(request.POST.get("team")),
            reason=request.POST.get("resolution", ""),
            resolution=request.POST.get("resolution", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    if result.done:
        messages.success(
            request,
            ngettext("%(n)d melding bijgewerkt.", "%(n)d meldingen bijgewerkt.", len(result.done))
            % {"n": len(result.done)},
        )
    for number, why in result.skipped:
        messages.warning(request, _("%(number)s overgeslagen: %(why)s") % {"number": number, "why": why})
    missing = len(numbers) - len(selected)
    if missing > 0:
        messages.warning(
            request,
            ngettext("%(n)d melding niet gevonden.", "%(n)d meldingen niet gevonden.", missing)
            % {"n": missing},
        )
    return redirect(back)


def _perform(action: str, *, ticket, actor, post, version, user):
    if action == "assign" and post.get("take"):
        services.take_ticket(ticket=ticket, actor=actor, expected_version=version)
    elif action == "assign":
        team = active_team(post.get("team"))
        assignee = None
        if post.get("assignee"):
            assignee = active_employee(post["assignee"])
            if assignee is None:
                raise DomainError(
                    "unknown_employee",
                    _("Onbekend personeelsnummer: %(n)s.") % {"n": post["assignee"]},
                    field="assignee",
                )
        services.assign_ticket(
            ticket=ticket,
            actor=actor,
            team=team or ticket.team,
            assignee=assignee,
            reason=post.get("reason", ""),
            expected_version=version,
        )
    elif action == "status":
        services.change_status(
            ticket=ticket,
            actor=actor,
            to=post.get("to", ""),
            note=post.get("note", ""),
            expected_version=version,
        )
    elif action == "resolve":
        services.mark_resolved(
            ticket=ticket, actor=actor, resolution=post.get("resolution", ""), expected_version=version
        )
    elif action == "comment":
        services.add_comment(
            ticket=ticket,
            actor=actor,
            body=post.get("body", ""),
            internal=post.get("internal") == "on",
            check_guide=True,
            override_reason=post.get("override_reason", ""),
        )
    elif action in ("merge", "link"):
        other = tickets.ticket_for(user, number=(post.get("other") or "").strip().upper())
        if other is None:
            raise DomainError(
                "unknown_ticket",
                _("Melding %(number)s bestaat niet of je mag hem niet zien.")
                % {"number": post.get("other", "")},
                field="other",
            )
        if action == "merge":
            services.merge_tickets(duplicate=ticket, into=other, actor=actor)
        else:
            services.link_tickets(ticket=ticket, other=other, actor=actor)
    elif action == "split":
        team = active_team(post.get("team"))
        if team is None:
            raise DomainError("team_required", _("Kies het team dat dit deel doet."), field="team")
        services.create_child_task(parent=ticket, actor=actor, team=team, subject=post.get("subject", ""))


# ---------------------------------------------------------------- intake: phone, walk-in, mail

INTAKE_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.EMAIL)


def _employee_matches(request, query: str):
    matches = list(employee_search(query=query, limit=10)) if len(query.strip()) >= 2 else []
    open_counts = tickets.open_request_counts(
        request.user, employee_ids=[employee.pk for employee in matches]
    )
    for employee in matches:
        employee.open_requests = open_counts.get(employee.pk, 0)
    return matches


@staff_only
@require_GET
def employee_lookup(request):
    """Type-ahead for the caller: name, employee number, e-mail or phone (htmx fragment)."""
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "desk/_employee_results.html",
        {
            "matches": _employee_matches(request, query),
            "query": query,
            "selected": request.GET.get("requester", ""),
        },
    )


def _intake_page(request, *, values=None, errors=None, status=200):
    values = values or {"channel": Channel.PHONE, "impact": str(Impact.LOW), "urgency": str(Urgency.MEDIUM)}
    requester = active_employee(values.get("requester", "")) if values.get("requester") else None
    context = {
        "values": values,
        "errors": errors or {},
        "matches": _employee_matches(request, values["q"]) if values.get("q") and requester is None else [],
        "requester": requester,
        "requester_tickets": tickets.open_requests_of(request.user, employee=requester)[:5]
        if requester
        else [],
        "departments": departments_with_items(),
        "kwis_choices": Kwis.choices,
        "channels": [(c.value, c.label) for c in INTAKE_CHANNELS],
        "impacts": Impact.choices,
        "urgencies": Urgency.choices,
    }
    return render(request, "desk/intake.html", context, status=status)


@staff_only
def intake(request):
    """Register a call or a walk-in in under a minute: find the caller, pick the product, KWIS,
    impact and urgency, describe; "direct opgelost" closes it at once."""
    if request.method != "POST":
        return _intake_page(request)
    post = request.POST
    values = {
        key: post.get(key, "").strip()
        for key in (
            "q",
            "requester",
            "channel",
            "item",
            "kwis",
            "impact",
            "urgency",
            "subject",
            "description",
        )
    }
    values["solved"] = post.get("solved") == "on"
    values["resolution"] = post.get("resolution", "").strip()
    if "find" in post:  # without JavaScript: search the caller (or another one), keep the rest
        if post["find"] == "other":
            values["requester"] = ""
        return _intake_page(request, values=values)
    errors = {}
    requester = active_employee(values["requester"]) if values["requester"] else None
    if requester is None:
        errors["requester"] = _("Kies de medewerker die belt of aan de balie staat.")
    if values["channel"] not in INTAKE_CHANNELS:
        errors["channel"] = _("Kies het kanaal.")
    item = None
    if values["item"]:
        item = catalog_item_by_code(values["item"])
        if item is None:
            errors["item"] = _("Onbekend product of dienst.")
    impact = int(values["impact"]) if values["impact"] in {"1", "2", "3"} else Impact.LOW
    urgency = int(values["urgency"]) if values["urgency"] in {"1", "2", "3"} else Urgency.MEDIUM
    if not values["subject"]:
        errors["subject"] = _("Geef de vraag een onderwerp.")
    if errors:
        return _intake_page(request, values=values, errors=errors, status=422)
    try:
        ticket = services.register_contact(
            requester=requester,
            actor=actor_for(request.user),
            channel=values["channel"],
            subject=values["subject"],
            description=values["description"],
            kwis=values["kwis"] or None,
            catalog_item=item,
            impact=impact,
            urgency=urgency,
            solved_resolution=values["resolution"] if values["solved"] else None,
        )
    except DomainError as error:
        field = error.field if error.field in {"subject", "kwis", "resolution", "channel"} else "general"
        return _intake_page(request, values=values, errors={field: error.message}, status=422)
    if ticket.solved_at_first_contact:
        messages.success(
            request, _("Melding %(number)s is geregistreerd en direct opgelost.") % {"number": ticket.number}
        )
        return redirect("desk-intake")
    messages.success(request, _("Melding %(number)s is geregistreerd.") % {"number": ticket.number})
    if tickets.ticket_for(request.user, pk=ticket.pk) is None:  # confidential, for another team
        return redirect("desk-intake")
    return redirect("desk-ticket", ticket.number)
