"""Reads of tickets. `tickets_visible_to` is the one gate: every list, detail, search and
export of tickets starts from it, so the confidentiality rules hold everywhere."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from loket.people.models import Team
from loket.people.selectors import Actor, actor_for

from .models import INTERNAL_HISTORY_FIELDS, OPEN_STATUSES, Comment, Status, Ticket, TicketChange


def visibility_condition(actor: Actor) -> Q | None:
    """The rows an actor may read, as a filter; None means everything (administrators).

    - administrators see every ticket;
    - desk and back-office staff see all non-confidential tickets, and confidential ones of
      their own teams;
    - everyone sees tickets they asked for, and non-confidential ones they registered for
      someone else (a manager for a new employee);
    - an employee never sees another employee's tickets.
    """
    if actor.is_administrator:
        return None
    if actor.employee is None:
        return Q(pk__in=[])
    own = Q(requester_id=actor.employee_id) | Q(created_by_id=actor.employee_id, confidential=False)
    if actor.is_staff_member:
        return own | Q(confidential=False) | Q(team_id__in=actor.team_ids)
    return own


def tickets_visible_to(user, *, actor: Actor | None = None) -> QuerySet[Ticket]:
    """Tickets the user may see, with what list pages need already joined."""
    actor = actor or actor_for(user)
    # One join; the small related tables come in one IN-query each. Joining all six made
    # PostgreSQL spend ~16 ms planning every list query (measured on 1M tickets, bench/README.md).
    qs = Ticket.objects.select_related("requester").prefetch_related(
        "catalog_item", "department", "team", "assignee"
    )
    condition = visibility_condition(actor)
    return qs if condition is None else qs.filter(condition)


def ticket_for(user, *, number: str | None = None, pk: int | None = None) -> Ticket | None:
    """One ticket if the user may see it; None both when it is missing and when it is secret."""
    qs = tickets_visible_to(user)
    lookup = {"number": number} if number is not None else {"pk": pk}
    return qs.filter(**lookup).first()


def comments_visible_to(user, *, ticket: Ticket) -> QuerySet[Comment]:
    """Public replies for everyone who sees the ticket; internal notes only for staff."""
    actor = actor_for(user)
    qs = ticket.comments.select_related("author").prefetch_related("attachments")
    return qs if actor.is_staff_member else qs.filter(visibility=Comment.Visibility.PUBLIC)


def history_of(ticket: Ticket) -> QuerySet[TicketChange]:
    return ticket.changes.select_related("actor").order_by("at", "id")


def history_visible_to(user, *, ticket: Ticket) -> QuerySet[TicketChange]:
    """The history a person may read: staff everything; employees not that internal notes or
    internal attachments exist (not even their names)."""
    history = history_of(ticket)
    if actor_for(user).is_staff_member:
        return history
    return history.exclude(field__in=INTERNAL_HISTORY_FIELDS)


def children_of(user, *, ticket: Ticket) -> QuerySet[Ticket]:
    return tickets_visible_to(user).filter(parent=ticket).order_by("created_at", "id")


# Status groups a filter may name besides the single statuses.
STATUS_GROUPS = {
    "open": list(OPEN_STATUSES),
    "done": [Status.RESOLVED, Status.CLOSED],
}


def search_tickets(
    user,
    *,
    actor: Actor | None = None,
    statuses: list[str] | None = None,
    team: str | None = None,
    department: str | None = None,
    kwis: str | None = None,
    channel: str | None = None,
    requester: str | None = None,
    created_after=None,
    created_before=None,
    updated_after=None,
    updated_before=None,
    text: str | None = None,
) -> QuerySet[Ticket]:
    """Filtered tickets, always within `tickets_visible_to`: a filter can only narrow what the
    user may see. Teams, departments and requesters are named by code and employee number;
    statuses may include the groups 'open' and 'done'."""
    qs = tickets_visible_to(user, actor=actor)
    if statuses:
        wanted: set[str] = set()
        for status in statuses:
            wanted.update(STATUS_GROUPS.get(status, [status]))
        qs = qs.filter(status__in=sorted(wanted))
    if team:
        qs = qs.filter(team__code=team)
    if department:
        qs = qs.filter(department__code=department)
    if kwis:
        qs = qs.filter(kwis=kwis)
    if channel:
        qs = qs.filter(channel=channel)
    if requester:
        qs = qs.filter(requester__employee_number=requester)
    if created_after:
        qs = qs.filter(created_at__gte=created_after)
    if created_before:
        qs = qs.filter(created_at__lt=created_before)
    if updated_after:
        qs = qs.filter(updated_at__gte=updated_after)
    if updated_before:
        qs = qs.filter(updated_at__lt=updated_before)
    if text:
        text = text.strip()
        qs = qs.filter(Q(number__iexact=text) | Q(subject__icontains=text) | Q(description__icontains=text))
    return qs


def attachment_for(user, *, ticket: Ticket, pk: int):
    """An attachment of a visible ticket; internal ones only for staff. None when not allowed."""
    actor = actor_for(user)
    qs = ticket.attachments.all()
    if not actor.is_staff_member:
        qs = qs.filter(internal=False).exclude(comment__visibility=Comment.Visibility.INTERNAL)
    return qs.filter(pk=pk).first()


def requests_of(user, *, actor: Actor | None = None, open_only: bool | None = None) -> QuerySet[Ticket]:
    """Mijn meldingen: what the person asked for themselves, newest first (within the one gate)."""
    actor = actor or actor_for(user)
    if actor.employee is None:
        return Ticket.objects.none()
    # The parts of a split case are told on the case's own page: one case, one line. The list
    # shows the department, not the item, team or assignee: one IN-query instead of four.
    qs = (
        tickets_visible_to(user, actor=actor)
        .filter(requester_id=actor.employee_id, parent__isnull=True)
        .prefetch_related(None)
        .prefetch_related("department")
    )
    # For the requester a ticket that is gereed still runs: it waits for them to accept or reopen.
    running = [*OPEN_STATUSES, Status.RESOLVED]
    if open_only is True:
        qs = qs.filter(status__in=running)
    elif open_only is False:
        qs = qs.exclude(status__in=running)
    return qs.order_by("-created_at", "-id")


def status_in_words(status: str) -> str:
    """A status as the requester reads it."""
    from django.utils.translation import gettext as _

    return {
        Status.NEW: _("Ontvangen"),
        Status.IN_PROGRESS: _("In behandeling"),
        Status.WAITING_CUSTOMER: _("Wacht op jouw reactie"),
        Status.WAITING_SUPPLIER: _("Wacht op een leverancier"),
        Status.RESOLVED: _("Gereed gemeld"),
        Status.REOPENED: _("Heropend"),
        Status.CLOSED: _("Afgesloten"),
    }.get(status, status)


def case_parts(user, *, ticket: Ticket) -> list[Ticket]:
    """The parts of a case split over teams, with their clocks (expected dates), for telling the
    case as one story."""
    return list(children_of(user, ticket=ticket).select_related("clock"))


def timeline_for_requester(user, *, ticket: Ticket, parts: list[Ticket] | None = None) -> list[dict]:
    """The history as a person reads it: received, with which team, waiting for you, gereed,
    reopened, closed. Internal lines (notes, internal files, clock details) stay out. For a case
    split over teams, the parts' progress is woven in, each line naming its part."""
    from django.utils.translation import gettext as _

    parts = parts if parts is not None else case_parts(user, ticket=ticket)
    part_names = {part.pk: part.subject for part in parts}
    teams = dict(Team.objects.values_list("pk", "name"))
    changes = (
        TicketChange.objects.filter(ticket_id__in=[ticket.pk, *part_names])
        .exclude(action__in=[TicketChange.Action.CLOCK, TicketChange.Action.CHILD_ADDED])
        .select_related("actor")
        .order_by("at", "id")
    )
    if not actor_for(user).is_staff_member:
        changes = changes.exclude(field__in=INTERNAL_HISTORY_FIELDS)
    lines = []
    for change in changes:
        text = None
        if change.action == TicketChange.Action.CREATED:
            text = _("Ontvangen") if change.ticket_id == ticket.pk else _("Gestart")
        elif change.action == TicketChange.Action.STATUS and change.new_value != Status.NEW:
            text = status_in_words(change.new_value)
        elif change.field == "team" and change.new_value:
            name = change.new_value
            if name.isdigit():
                name = teams.get(int(name), name)
            text = _("Bij team %(team)s") % {"team": name}
        elif change.action == TicketChange.Action.COMMENTED and change.field == Comment.Visibility.PUBLIC:
            who = change.actor.full_name if change.actor else _("Loket")
            text = _("Reactie van %(who)s") % {"who": who}
        if text is None:
            continue
        if change.ticket_id != ticket.pk:
            text = f"{part_names[change.ticket_id]}: {text}"
        lines.append({"at": change.at, "text": text, "part": change.ticket_id != ticket.pk})
    return lines


POPULAR_CACHE_KEY = "loket:popular-items:v1"
POPULAR_ITEMS_CACHE_KEY = "loket:popular-items:objects:v1"


def forget_popular_items(**_kwargs) -> None:
    """Drop the cached item objects (not the ranking) when an item changes."""
    from django.core.cache import cache

    cache.delete(POPULAR_ITEMS_CACHE_KEY)


def popular_items(*, limit: int = 6, days: int = 90, cache_seconds: int = 3600) -> list:
    """The catalogue items asked for most in the last `days` days (active items only), for the
    portal's home page. Confidential tickets are not counted. The count is cached: with a million
    tickets it is a scan of the period, and "popular" does not change by the minute."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.db.models import Count
    from django.utils import timezone

    from loket.catalog.selectors import catalog_items

    ranked = cache.get(POPULAR_CACHE_KEY)
    if ranked is None:
        since = timezone.now() - timedelta(days=days)
        ranked = list(
            Ticket.objects.filter(confidential=False, created_at__gte=since, catalog_item__isnull=False)
            .values("catalog_item")
            .annotate(asked=Count("id"))
            .order_by("-asked", "catalog_item")
            .values_list("catalog_item", flat=True)[:50]
        )
        cache.set(POPULAR_CACHE_KEY, ranked, cache_seconds)
        cache.delete(POPULAR_ITEMS_CACHE_KEY)  # a new ranking: its items are read again
    items = cache.get(POPULAR_ITEMS_CACHE_KEY)
    if items is None:  # the items change rarely too (a change drops this: forget_popular_items)
        found = {item.pk: item for item in catalog_items().filter(pk__in=ranked)}
        items = [found[pk] for pk in ranked if pk in found][:20]
        cache.set(POPULAR_ITEMS_CACHE_KEY, items, cache_seconds)
    return items[:limit]


# ---------------------------------------------------------------- the desk's queues

QUEUES = ("unassigned", "mine", "team", "waiting", "at_risk", "breached", "reopened")
QUEUE_SORTS = {
    "updated": ("-updated_at", "-id"),
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "priority": ("priority", "created_at", "id"),
    "due": ("clock__resolution_due", "id"),
}


def _queue_scope(actor: Actor) -> Q:
    """The work of an agent's teams. The front office keeps direction over every question (regie):
    it also sees what has no team yet and what the back offices hold, confidential cases apart."""
    scope = Q(team_id__in=actor.team_ids)
    if actor.front_office:
        scope |= Q(team__isnull=True) | Q(confidential=False)
    return scope


def _queue_condition(queue: str, actor: Actor, scope: Q) -> Q:
    open_ = Q(status__in=OPEN_STATUSES)
    waiting = Q(status__in=[Status.WAITING_CUSTOMER, Status.WAITING_SUPPLIER])
    # The SLA app keeps a clock per ticket (reverse one-to-one "clock"); its states by name.
    return {
        "unassigned": scope & open_ & Q(assignee__isnull=True),
        "mine": open_ & Q(assignee_id=actor.employee_id),
        "team": scope & open_,
        "waiting": (scope | Q(assignee_id=actor.employee_id)) & waiting,
        "at_risk": scope & open_ & Q(clock__state="at_risk"),
        "breached": scope & open_ & Q(clock__state="breached"),
        "reopened": scope & Q(status=Status.REOPENED),
    }[queue]


def desk_queue(
    user,
    *,
    queue: str,
    actor: Actor | None = None,
    kwis: str | None = None,
    department: str | None = None,
    priority: int | None = None,
    sort: str = "updated",
) -> QuerySet[Ticket]:
    """One of the desk's queues (see QUEUES), within the one gate, filtered and sorted."""
    actor = actor or actor_for(user)
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    if not actor.is_staff_member:
        return Ticket.objects.none()
    qs = tickets_visible_to(user, actor=actor).filter(_queue_condition(queue, actor, _queue_scope(actor)))
    if kwis:
        qs = qs.filter(kwis=kwis)
    if department:
        qs = qs.filter(department__code=department)
    if priority:
        qs = qs.filter(priority=priority)
    # A queue row shows team and assignee, not the item or department: two IN-queries, not four.
    qs = qs.prefetch_related(None).prefetch_related("team", "assignee").select_related("clock")
    return qs.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["updated"]))


def desk_queue_page(
    user, *, queue: str, offset: int, limit: int, actor: Actor | None = None, **filters
) -> list:
    """One page of a queue in two steps: the ids in order (a narrow scan and sort, no joins),
    then those rows with what the page shows. Joining the requester and clock before the limit
    made PostgreSQL hash all 50,000 employees for a page of 50 (bench/README.md). The long texts
    (description, form answers, resolution) stay in the database: a row does not show them."""
    qs = desk_queue(user, queue=queue, actor=actor, **filters)
    ids = list(
        qs.select_related(None).prefetch_related(None).values_list("pk", flat=True)[offset : offset + limit]
    )
    rows = (
        Ticket.objects.filter(pk__in=ids)
        # 50 rows: joining the team and assignee costs less than two more statements.
        .select_related("requester", "clock", "team", "assignee")
        .defer("description", "form_answers", "resolution", "requester__unit", "requester__location")
    )
    found = {ticket.pk: ticket for ticket in rows}
    return [found[pk] for pk in ids if pk in found]


QUEUE_COUNTS_SECONDS = 10


def queue_counts(user, *, actor: Actor | None = None, fresh: bool = False) -> dict[str, int]:
    """How many tickets each queue holds, in one query. The queue pages ask for them on every
    view and every 30-second refresh, so they are kept for QUEUE_COUNTS_SECONDS per agent (the
    rows themselves are always read fresh); `fresh` skips that."""
    from django.core.cache import cache

    actor = actor or actor_for(user)
    if not actor.is_staff_member:
        return dict.fromkeys(QUEUES, 0)
    key = f"loket:queue-counts:{actor.employee_id}:{sorted(actor.team_ids)}:{actor.front_office}"
    counts = None if fresh else cache.get(key)
    if counts is None:
        counts = _count_queues(user, actor)
        cache.set(key, counts, QUEUE_COUNTS_SECONDS)
    return counts


def _count_queues(user, actor: Actor) -> dict[str, int]:
    from django.db.models import Count

    scope = _queue_scope(actor)
    # Every queue holds open tickets of the agent's teams or assigned to them: count only those
    # (an index range on status and team), never the whole history.
    candidates = tickets_visible_to(user, actor=actor).filter(
        Q(status__in=OPEN_STATUSES) & (scope | Q(assignee_id=actor.employee_id))
    )
    counts = candidates.aggregate(
        **{f"n_{queue}": Count("pk", filter=_queue_condition(queue, actor, scope)) for queue in QUEUES}
    )
    return {queue: counts[f"n_{queue}"] for queue in QUEUES}


def open_requests_of(user, *, employee, actor: Actor | None = None) -> QuerySet[Ticket]:
    """A caller's open tickets as the agent may see them (intake: "is this about an open one?")."""
    return (
        tickets_visible_to(user, actor=actor)
        .filter(requester=employee, status__in=OPEN_STATUSES)
        .order_by("-created_at", "-id")
    )


def open_request_counts(user, *, employee_ids: list[int], actor: Actor | None = None) -> dict[int, int]:
    """How many open tickets each of these employees has, as far as the agent may see: one query."""
    from django.db.models import Count

    if not employee_ids:
        return {}
    rows = (
        tickets_visible_to(user, actor=actor)
        .filter(requester_id__in=employee_ids, status__in=OPEN_STATUSES)
        .order_by()
        .values_list("requester_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def reply_templates_for(actor: Actor):
    """Reply templates an agent may use: everyone's and their own teams'."""
    from .models import ReplyTemplate

    return (
        ReplyTemplate.objects.filter(active=True)
        .filter(Q(team__isnull=True) | Q(team_id__in=actor.team_ids))
        .order_by("name")
    )


def reply_template_for(actor: Actor, pk) -> object | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return reply_templates_for(actor).filter(pk=pk).first()


def links_of(user, *, ticket: Ticket) -> QuerySet[Ticket]:
    """Tickets linked to this one (either direction) that the user may see."""
    return (
        tickets_visible_to(user)
        .filter(Q(links_from__to_ticket=ticket) | Q(links_to__from_ticket=ticket))
        .distinct()
        .order_by("-created_at")
    )


def tickets_by_numbers(user, *, numbers: list[str], actor: Actor | None = None) -> list[Ticket]:
    """Tickets named by number (bulk actions), within the one gate, in the order given."""
    found = {t.number: t for t in tickets_visible_to(user, actor=actor).filter(number__in=numbers[:500])}
    return [found[number] for number in numbers if number in found]
