"""Every write to tickets. Each public function enforces its business rule, runs in one
transaction, records history and leaves side effects in the outbox."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loket.catalog.models import TASK_PLACEHOLDER_RE, CatalogItem, Kwis
from loket.core import services as core
from loket.core.errors import DomainError, PermissionDenied
from loket.people.models import Employee, ServiceDepartment, Team, TeamMembership
from loket.people.selectors import Actor, actor_for_employee

from .. import events, policies
from ..models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    Comment,
    Impact,
    Priority,
    Status,
    Ticket,
    TicketChange,
    TicketLink,
    Urgency,
)

# The workflow. Resolved, closed and reopened are reached through their own services
# (mark_resolved, close_ticket, reopen_ticket), which add their rules on top of this table.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(
        {Status.IN_PROGRESS, Status.WAITING_CUSTOMER, Status.WAITING_SUPPLIER, Status.RESOLVED}
    ),
    Status.IN_PROGRESS: frozenset({Status.WAITING_CUSTOMER, Status.WAITING_SUPPLIER, Status.RESOLVED}),
    Status.WAITING_CUSTOMER: frozenset({Status.IN_PROGRESS, Status.WAITING_SUPPLIER, Status.RESOLVED}),
    Status.WAITING_SUPPLIER: frozenset({Status.IN_PROGRESS, Status.WAITING_CUSTOMER, Status.RESOLVED}),
    Status.REOPENED: frozenset(
        {Status.IN_PROGRESS, Status.WAITING_CUSTOMER, Status.WAITING_SUPPLIER, Status.RESOLVED}
    ),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset(),
}

# Impact x urgency -> priority (the usual ITIL matrix).
PRIORITY_MATRIX = {
    (Impact.HIGH, Urgency.HIGH): Priority.CRITICAL,
    (Impact.HIGH, Urgency.MEDIUM): Priority.HIGH,
    (Impact.MEDIUM, Urgency.HIGH): Priority.HIGH,
    (Impact.HIGH, Urgency.LOW): Priority.MEDIUM,
    (Impact.MEDIUM, Urgency.MEDIUM): Priority.MEDIUM,
    (Impact.LOW, Urgency.HIGH): Priority.MEDIUM,
    (Impact.MEDIUM, Urgency.LOW): Priority.LOW,
    (Impact.LOW, Urgency.MEDIUM): Priority.LOW,
    (Impact.LOW, Urgency.LOW): Priority.PLANNED,
}


def priority_for(*, impact: int, urgency: int) -> int:
    """Priority follows from impact and urgency, never chosen directly."""
    try:
        return PRIORITY_MATRIX[(Impact(impact), Urgency(urgency))]
    except ValueError as exc:
        raise DomainError("invalid_priority", _("Kies een geldige impact en urgentie.")) from exc


# ---------------------------------------------------------------- helpers


def _actor(actor: Employee | Actor | None) -> Actor | None:
    if actor is None or isinstance(actor, Actor):
        return actor
    return actor_for_employee(actor)


def _employee(actor: Actor | None) -> Employee | None:
    return actor.employee if actor else None


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def record_change(
    ticket: Ticket,
    *,
    actor: Actor | None,
    action: str,
    at: datetime,
    field: str = "",
    old="",
    new="",
    note: str = "",
) -> TicketChange:
    return TicketChange.objects.create(
        ticket=ticket,
        actor=_employee(actor),
        at=at,
        action=action,
        field=field,
        old_value=_display(old),
        new_value=_display(new),
        note=note,
    )


def _set_field(ticket: Ticket, name: str, value, *, actor, now, changed: list[str], note: str = "") -> bool:
    """Set one field and write its history line; False (and nothing recorded) when unchanged."""
    old = getattr(ticket, name)
    if old == value:
        return False
    record_change(
        ticket,
        actor=actor,
        action=TicketChange.Action.CHANGED,
        at=now,
        field=name,
        old=old,
        new=value,
        note=note,
    )
    setattr(ticket, name, value)
    changed.append(name)
    return True


def lock_for_update(ticket: Ticket, *, expected_version: int | None = None) -> Ticket:
    """Re-read the ticket under a row lock; refuse when someone else changed it meanwhile."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if expected_version is not None and locked.version != expected_version:
        raise DomainError(
            "conflict",
            _(
                "Melding %(number)s is intussen door iemand anders gewijzigd. "
                "Bekijk de wijzigingen en probeer het opnieuw."
            )
            % {"number": locked.number},
        )
    return locked


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Je mag deze melding niet wijzigen."))


def _touch(ticket: Ticket, now: datetime, fields: list[str]) -> None:
    ticket.updated_at = now
    ticket.version += 1
    ticket.save(update_fields=[*fields, "updated_at", "version"])


def _transition(ticket: Ticket, *, to: str, actor: Actor | None, now: datetime, note: str = "") -> str:
    """Move a ticket along the workflow; invalid moves get a clear message."""
    old = ticket.status
    if to not in Status.values:
        raise DomainError(
            "invalid_status", _("Onbekende status: %(status)s.") % {"status": to}, field="status"
        )
    if to not in TRANSITIONS[old]:
        raise DomainError(
            "invalid_transition",
            _("Een melding met status '%(old)s' kan niet naar '%(new)s'.")
            % {"old": Status(old).label, "new": Status(to).label},
            field="status",
        )
    ticket.status = to
    record_change(
        ticket,
        actor=actor,
        action=TicketChange.Action.STATUS,
        at=now,
        field="status",
        old=old,
        new=to,
        note=note,
    )
    return old


def event_snapshot(ticket: Ticket) -> dict:
    """The state of a ticket as its events carry it (webhooks, mail): codes, never personal data
    beyond what the receiver needs; the subject of a confidential ticket stays out."""
    return {
        "ticket_id": ticket.pk,
        "number": ticket.number,
        "status": ticket.status,
        "kwis": ticket.kwis,
        "channel": ticket.channel,
        "priority": ticket.priority,
        "department": ticket.department.code if ticket.department_id else None,
        "team": ticket.team.code if ticket.team_id else None,
        "catalog_item": ticket.catalog_item.code if ticket.catalog_item_id else None,
        "confidential": ticket.confidential,
        "subject": None if ticket.confidential else ticket.subject,
        "version": ticket.version,
        "updated_at": ticket.updated_at.isoformat() if ticket.updated_at else None,
    }


def _event(topic: str, ticket: Ticket, now: datetime, *, actor: Actor | None = None, **extra) -> None:
    """Announce a change: in-transaction listeners (SLA clocks) first, then the outbox."""
    events.publish(topic, ticket=ticket, now=now, actor=actor, **extra)
    core.enqueue(topic, payload={**event_snapshot(ticket), **extra}, now=now)


def clean_subject(subject) -> str:
    subject = str(subject or "").strip()
    if not subject:
        raise DomainError("subject_required", _("Geef de melding een onderwerp."), field="subject")
    if len(subject) > 200:
        raise DomainError(
            "subject_too_long", _("Het onderwerp mag maximaal 200 tekens zijn."), field="subject"
        )
    return subject


def clean_kwis(kwis) -> str:
    if kwis not in Kwis.values:
        raise DomainError("invalid_kwis", _("Kies een KWIS-soort: K, W, I of S."), field="kwis")
    return kwis


# ---------------------------------------------------------------- form answers


def validate_form_answers(*, item: CatalogItem | None, answers: dict | None, require: bool = True) -> dict:
    """Check answers against the item's request-form fields; errors name the field.

    `require=False` skips required-field checks for channels without the form (mail, imports);
    answers that are given are always checked.
    """
    answers = dict(answers or {})
    if item is None:
        if answers:
            raise DomainError(
                "unexpected_answers", _("Zonder product of dienst horen er geen formuliervelden bij.")
            )
        return {}
    fields = {spec["name"]: spec for spec in item.form_fields}
    unknown = set(answers) - set(fields)
    if unknown:
        name = sorted(unknown)[0]
        raise DomainError(
            "unknown_field", _("Onbekend formulierveld: %(name)s.") % {"name": name}, field=name
        )
    cleaned = {}
    for name, spec in fields.items():
        value = answers.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if require and spec.get("required") and spec["type"] not in ("boolean", "file"):
                raise DomainError(
                    "field_required", _("Vul '%(label)s' in.") % {"label": spec["label"]}, field=name
                )
            continue
        cleaned[name] = _clean_answer(spec, value)
    return cleaned


def _clean_answer(spec: dict, value):
    kind, label, name = spec["type"], spec["label"], spec["name"]

    def bad(message):
        return DomainError("invalid_field", message % {"label": label}, field=name)

    if kind == "select":
        if str(value) not in spec.get("options", []):
            raise bad(_("Kies bij '%(label)s' een van de mogelijkheden."))
        return str(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "ja", "on", "yes"):
            return True
        if str(value).lower() in ("false", "0", "nee", "off", "no"):
            return False
        raise bad(_("Beantwoord '%(label)s' met ja of nee."))
    if kind == "number":
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            raise bad(_("Vul bij '%(label)s' een getal in.")) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise bad(_("Vul bij '%(label)s' een getal in."))
        return int(number) if number.is_integer() else number
    if kind == "date":
        try:
            parsed_date = parse_date(str(value))
        except ValueError:  # well formed but impossible, such as 2026-02-30
            parsed_date = None
        if parsed_date is None:
            raise bad(_("Vul bij '%(label)s' een datum in (jjjj-mm-dd)."))
        return str(value)
    if kind == "datetime":
        try:
            parsed = parse_datetime(str(value))
        except ValueError:
            parsed = None
        if parsed is None:
            raise bad(_("Vul bij '%(label)s' een datum en tijd in."))
        return str(value)
    if not isinstance(value, str | int | float):
        raise bad(_("'%(label)s' moet tekst zijn."))
    text = str(value)
    limit = 5000 if kind == "textarea" else 500
    if len(text) > limit:
        raise DomainError(
            "field_too_long",
            _("'%(label)s' is te lang (maximaal %(limit)d tekens).") % {"label": label, "limit": limit},
            field=name,
        )
    return text


# ---------------------------------------------------------------- creating tickets


def _number_for(now: datetime) -> str:
    year = timezone.localtime(now).year
    return f"M{year}-{core.next_sequence_value(name=f'ticket-{year}'):06d}"


def create_ticket(
    *,
    requester: Employee,
    actor: Employee | Actor | None,
    subject: str,
    description: str = "",
    channel: str = Channel.PORTAL,
    kwis: str | None = None,
    catalog_item: CatalogItem | None = None,
    department: ServiceDepartment | None = None,
    team: Team | None = None,
    impact: int = Impact.LOW,
    urgency: int = Urgency.MEDIUM,
    form_answers: dict | None = None,
    confidential: bool | None = None,
    parent: Ticket | None = None,
    external_ref: str | None = None,
    require_form: bool = True,
    split: bool = True,
    now: datetime | None = None,
) -> Ticket:
    """Intake: register a question (KWIS) for a product or service and route it.

    An item with a task template (a cross-department product such as onboarding) is split into
    its child tasks at once, unless `split` is false (history imports).

    The department follows from the catalogue item; the team is the item's default team or
    the department's. Tickets for departments that are confidential by default (HRM) are
    confidential unless said otherwise. `actor` is who registers it: the requester in the
    portal, an agent at the desk, None for system imports.
    """
    now = now or timezone.now()
    actor = _actor(actor)
    subject = clean_subject(subject)
    if channel not in Channel.values:
        raise DomainError(
            "invalid_channel", _("Onbekend kanaal: %(channel)s.") % {"channel": channel}, field="channel"
        )
    if actor is not None and not actor.is_staff_member and channel in (Channel.PHONE, Channel.WALK_IN):
        raise PermissionDenied(_("Alleen de servicedesk registreert telefoon- en baliemeldingen."))
    if catalog_item is not None:
        if not catalog_item.active:
            raise DomainError(
                "item_inactive",
                _("'%(item)s' kan niet meer worden aangevraagd.") % {"item": catalog_item.name},
                field="catalog_item",
            )
        if department is not None and department.pk != catalog_item.department_id:
            raise DomainError(
                "department_mismatch",
                _("'%(item)s' hoort bij afdeling %(department)s.")
                % {"item": catalog_item.name, "department": catalog_item.department.code},
                field="department",
            )
        department = catalog_item.department
    kwis = kwis or (
        catalog_item.kwis_types[0] if catalog_item and catalog_item.kwis_types else Kwis.INFORMATION
    )
    clean_kwis(kwis)
    if catalog_item is not None and kwis not in catalog_item.kwis_types:
        raise DomainError(
            "kwis_not_allowed",
            _("Voor '%(item)s' kun je geen %(kwis)s melden.")
            % {"item": catalog_item.name, "kwis": Kwis(kwis).label},
            field="kwis",
        )
    answers = validate_form_answers(item=catalog_item, answers=form_answers, require=require_form)
    if team is None:
        team = (catalog_item.default_team if catalog_item else None) or (
            department.default_team if department else None
        )
    if team is not None and department is not None and team.department_id not in (None, department.pk):
        raise DomainError(
            "team_wrong_department",
            _("Team %(team)s hoort niet bij afdeling %(department)s.")
            % {"team": team.name, "department": department.code},
            field="team",
        )
    if confidential is None:
        confidential = bool(department and department.confidential_by_default)
    priority = priority_for(impact=impact, urgency=urgency)

    with transaction.atomic():
        if external_ref and Ticket.objects.filter(external_ref=external_ref).exists():
            raise DomainError(
                "duplicate_reference",
                _("Er bestaat al een melding met kenmerk %(ref)s.") % {"ref": external_ref},
                field="external_ref",
            )
        ticket = Ticket.objects.create(
            number=_number_for(now),
            external_ref=external_ref or None,
            requester=requester,
            created_by=_employee(actor),
            channel=channel,
            kwis=kwis,
            catalog_item=catalog_item,
            department=department,
            team=team,
            impact=impact,
            urgency=urgency,
            priority=priority,
            subject=subject,
            description=(description or "").strip(),
            form_answers=answers,
            confidential=confidential,
            parent=parent,
            created_at=now,
            updated_at=now,
        )
        record_change(ticket, actor=actor, action=TicketChange.Action.CREATED, at=now, new=ticket.number)
        if parent is not None:
            record_change(
                parent,
                actor=actor,
                action=TicketChange.Action.CHILD_ADDED,
                at=now,
                field="children",
                new=ticket.number,
            )
        _event("ticket.created", ticket, now, actor=actor)
        if split and parent is None and catalog_item is not None and catalog_item.task_template:
            _split_by_template(ticket, actor=actor, answers=answers, now=now)
    return ticket


def _answer_text(value) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return _display(value)


def _fill_in(text: str, answers: dict) -> str:
    """Replace {field} with the form's answer (plain text); a question left unanswered (an
    optional field, or a ticket registered at the desk without the form) reads as "?"."""
    return TASK_PLACEHOLDER_RE.sub(
        lambda m: _answer_text(answers[m.group(1)]) if m.group(1) in answers else "?", text
    )


def _split_by_template(ticket: Ticket, *, actor: Actor | None, answers: dict, now) -> list[Ticket]:
    """A cross-department product (onboarding: HR contract, ICT account and laptop, Facilities
    badge and workplace) becomes one case with a child task per team, in the same transaction.
    Each child carries the form's answers, so the back office need not open the case."""
    item = ticket.catalog_item
    departments = {d.code: d for d in ServiceDepartment.objects.select_related("default_team")}
    teams = {t.code: t for t in Team.objects.filter(code__in=[t.get("team") for t in item.task_template])}
    labels = {spec["name"]: spec.get("label", spec["name"]) for spec in item.form_fields}
    facts = "\n".join(f"{labels.get(name, name)}: {_answer_text(value)}" for name, value in answers.items())
    children = []
    for task in item.task_template:
        department = departments.get(task["department"])
        team = teams.get(task.get("team")) or (department.default_team if department else None)
        description = _fill_in(task.get("description", ""), answers)
        intro = _("Onderdeel van %(number)s: %(subject)s") % {
            "number": ticket.number,
            "subject": ticket.subject,
        }
        children.append(
            _add_part(
                ticket,
                actor=actor,
                department=department,
                team=team,
                subject=_fill_in(task["subject"], answers)[:200],
                description="\n\n".join(part for part in (intro, description, facts) if part),
                now=now,
            )
        )
    return children


def create_child_task(
    *, parent: Ticket, actor: Employee | Actor, team: Team, subject: str, description: str = "", now=None
) -> Ticket:
    """Split a cross-department case: a child task per back-office team; the customer sees one case."""
    actor = _actor(actor)
    _require(policies.can_work_on(actor, parent))
    if parent.parent_id:
        raise DomainError("nested_child", _("Een deeltaak kan zelf geen deeltaken hebben."))
    if not parent.is_open:
        raise DomainError("parent_closed", _("Aan een afgeronde melding kun je geen deeltaken toevoegen."))
    return _add_part(
        parent,
        actor=actor,
        department=team.department or parent.department,
        team=team,
        subject=subject,
        description=description,
        now=now,
    )


def _add_part(parent: Ticket, *, actor, department, team, subject: str, description: str, now) -> Ticket:
    """A part of a case: the case's requester, channel, KWIS, impact and urgency; confidential
    when the case is or the part's department is by default."""
    return create_ticket(
        requester=parent.requester,
        actor=actor,
        subject=subject,
        description=description,
        channel=parent.channel,
        kwis=parent.kwis,
        department=department,
        team=team,
        impact=parent.impact,
        urgency=parent.urgency,
        confidential=parent.confidential or bool(department and department.confidential_by_default),
        parent=parent,
        require_form=False,
        now=now,
    )


# ---------------------------------------------------------------- changing tickets

EDITABLE_FIELDS = ("subject", "description", "kwis", "catalog_item", "impact", "urgency", "confidential")


def update_ticket(
    *, ticket: Ticket, actor: Employee | Actor, changes: dict, expected_version: int | None = None, now=None
) -> Ticket:
    """Change classification fields; every changed field is written to the history."""
    now = now or timezone.now()
    actor = _actor(actor)
    _require(policies.can_work_on(actor, ticket))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            "unknown_field", _("Dit veld kan niet worden gewijzigd: %(f)s.") % {"f": sorted(unknown)[0]}
        )
    with transaction.atomic():
        ticket = lock_for_update(ticket, expected_version=expected_version)
        changed = []
        changes = dict(changes)
        if "subject" in changes:
            changes["subject"] = clean_subject(changes["subject"])
        if "kwis" in changes:
            clean_kwis(changes["kwis"])
        item = changes.get("catalog_item", ticket.catalog_item)
        kwis = changes.get("kwis", ticket.kwis)
        if item is not None and kwis not in item.kwis_types:
            raise DomainError(
                "kwis_not_allowed",
                _("Voor '%(item)s' kun je geen %(kwis)s melden.")
                % {"item": item.name, "kwis": Kwis(kwis).label},
                field="kwis",
            )
        for name, value in changes.items():
            _set_field(ticket, name, value, actor=actor, now=now, changed=changed)
        if "catalog_item" in changed and ticket.catalog_item:
            _set_field(
                ticket, "department", ticket.catalog_item.department, actor=actor, now=now, changed=changed
            )
        if {"impact", "urgency"} & set(changed):
            priority = priority_for(impact=ticket.impact, urgency=ticket.urgency)
            _set_field(ticket, "priority", priority, actor=actor, now=now, changed=changed)
        if changed:
            _touch(ticket, now, changed)
            _event("ticket.updated", ticket, now, actor=actor, fields=changed)
    return ticket


def assign_ticket(
    *,
    ticket: Ticket,
    actor: Employee | Actor,
    team: Team | None = None,
    assignee: Employee | None = None,
    reason: str = "",
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """Route a ticket to a team and/or a person in that team (transfer with a reason)."""
    now = now or timezone.now()
    actor = _actor(actor)
    _require(policies.can_work_on(actor, ticket))
    with transaction.atomic():
        ticket = lock_for_update(ticket, expected_version=expected_version)
        if not ticket.is_open:
            raise DomainError("ticket_not_open", _("Een afgeronde melding kan niet worden toegewezen."))
        new_team = team or ticket.team
        if assignee is not None:
            if new_team is None:
                raise DomainError("team_required", _("Kies eerst een team."), field="team")
            if not TeamMembership.objects.filter(team=new_team, employee=assignee).exists():
                raise DomainError(
                    "assignee_not_in_team",
                    _("%(person)s is geen lid van team %(team)s.")
                    % {"person": assignee, "team": new_team.name},
                    field="assignee",
                )
        elif team is not None and team != ticket.team:
            assignee = None  # a transfer to another team leaves the person open
        else:
            assignee = ticket.assignee
        changed = []
        team_changed = _set_field(
            ticket, "team", new_team, actor=actor, now=now, changed=changed, note=reason
        )
        if team_changed and new_team and new_team.department_id:
            # A transfer to another department's back office moves the ticket to that department.
            _set_field(
                ticket,
                "department",
                new_team.department,
                actor=actor,
                now=now,
                changed=changed,
                note=reason,
            )
        _set_field(ticket, "assignee", assignee, actor=actor, now=now, changed=changed, note=reason)
        if changed:
            _touch(ticket, now, changed)
            _event("ticket.updated", ticket, now, actor=actor, fields=changed)
    return ticket


def take_ticket(
    *, ticket: Ticket, actor: Employee | Actor, expected_version: int | None = None, now=None
) -> Ticket:
    """ "Zelf oppakken": the agent becomes the assignee. A ticket of a team the agent is not in
    comes along to the agent's own team (the front office first), so the desk can take what it
    sees in its queue."""
    actor = _actor(actor)
    _require(actor is not None and actor.employee is not None and policies.can_work_on(actor, ticket))
    team = ticket.team if ticket.team_id in actor.team_ids else _own_team(actor)
    if team is None:
        raise DomainError("no_team", _("Je bent geen lid van een team dat meldingen behandelt."))
    return assign_ticket(
        ticket=ticket,
        actor=actor,
        team=team,
        assignee=actor.employee,
        expected_version=expected_version,
        now=now,
    )


def _own_team(actor: Actor) -> Team | None:
    teams = Team.objects.filter(pk__in=actor.team_ids, active=True)
    return teams.filter(kind=Team.Kind.FRONT_OFFICE).first() or teams.order_by("name").first()


def change_status(
    *,
    ticket: Ticket,
    actor: Employee | Actor,
    to: str,
    note: str = "",
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """Move an open ticket between in progress and waiting (for customer or supplier)."""
    if to == Status.RESOLVED:
        return mark_resolved(
            ticket=ticket, actor=actor, resolution=note, expected_version=expected_version, now=now
        )
    if to == Status.CLOSED:
        return close_ticket(ticket=ticket, actor=actor, expected_version=expected_version, now=now)
    if to == Status.REOPENED:
        return reopen_ticket(
            ticket=ticket, actor=actor, reason=note, expected_version=expected_version, now=now
        )
    now = now or timezone.now()
    actor = _actor(actor)
    _require(policies.can_work_on(actor, ticket))
    with transaction.atomic():
        ticket = lock_for_update(ticket, expected_version=expected_version)
        _transition(ticket, to=to, actor=actor, now=now, note=note)
        _touch(ticket, now, ["status"])
        _event("ticket.updated", ticket, now, actor=actor, fields=["status"])
    return ticket


def mark_resolved(
    *,
    ticket: Ticket,
    actor: Employee | Actor | None,
    resolution: str,
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """Gereed melden: the requester is told and may accept or reopen within the acceptance period.

    A case with open child tasks is gereed only when all its children are.
    """
    now = now or timezone.now()
    actor = _actor(actor)
    if actor is not None:
        _require(policies.can_work_on(actor, ticket))
    if not (resolution or "").strip():
        raise DomainError(
            "resolution_required", _("Geef aan hoe de melding is opgelost."), field="resolution"
        )
    with transaction.atomic():
        ticket = lock_for_update(ticket, expected_version=expected_version)
        open_children = ticket.children.filter(status__in=OPEN_STATUSES).count()
        if open_children:
            raise DomainError(
                "children_open",
                ngettext(
                    "Deze melding heeft nog %(count)d openstaande deeltaak.",
                    "Deze melding heeft nog %(count)d openstaande deeltaken.",
                    open_children,
                )
                % {"count": open_children},
            )
        _transition(ticket, to=Status.RESOLVED, actor=actor, now=now)
        ticket.resolution = resolution.strip()
        ticket.resolved_at = now
        record_change(
            ticket,
            actor=actor,
            action=TicketChange.Action.CHANGED,
            at=now,
            field="resolution",
            new=ticket.resolution,
        )
        _touch(ticket, now, ["status", "resolution", "resolved_at"])
        _event("ticket.resolved", ticket, now, actor=actor)
        if ticket.parent_id:
            _resolve_parent_when_all_parts_are(ticket.parent_id, now=now)
    return ticket


def _resolve_parent_when_all_parts_are(parent_id: int, *, now) -> None:
    """A case split over teams is gereed when its last part is: the requester is told once, with
    what each team did."""
    parent = Ticket.objects.get(pk=parent_id)
    if not parent.is_open or parent.children.filter(status__in=OPEN_STATUSES).exists():
        return
    parts = parent.children.select_related("team", "department").order_by("created_at", "id")
    lines = [_("Alle onderdelen zijn gereed:")]
    for child in parts:
        who = child.team.name if child.team else (child.department.name if child.department else "-")
        lines.append(f"- {who}, {child.subject}: {child.resolution or child.get_status_display()}")
    mark_resolved(ticket=parent, actor=None, resolution="\n".join(lines), now=now)


def reopen_ticket(
    *, ticket: Ticket, actor: Employee | Actor, reason: str, expected_version: int | None = None, now=None
) -> Ticket:
    """The requester (or the desk) does not accept the resolution: back to the team that resolved it.

    Reopens count as rework.
    """
    now = now or timezone.now()
    actor = _actor(actor)
    _require(policies.can_view(actor, ticket), _("Je mag deze melding niet heropenen."))
    if not (reason or "").strip():
        raise DomainError(
            "reason_required", _("Geef aan waarom de melding nog niet is opgelost."), field="reason"
        )
    with transaction.atomic():
        ticket = lock_for_update(ticket, expected_version=expected_version)
        _require(policies.can_respond_to_resolution(actor, ticket), _("Je mag deze melding niet heropenen."))
        if ticket.status == Status.RESOLVED and policies.reopen_period_over(ticket, now):
            raise DomainError(
                "reopen_period_over",
                _("De termijn om deze melding te heropenen is voorbij. Maak een nieuwe melding."),
            )
        _transition(ticket, to=Status.REOPENED, actor=actor, now=now, note=reason.strip())
        ticket.reopen_count += 1
        ticket.resolved_at = None
        _touch(ticket, now, ["status", "reopen_count", "resolved_at"])
        _event("ticket.reopened", ticket, now, actor=actor, reason=reason.strip())
        if ticket.parent_id:
            _reopen_case_of(ticket, actor=actor, now=now)
    return ticket


def _reopen_case_of(part: Ticket, *, actor, now) -> None:
    """A part that is not done after all means the case is not done: a gereed case reopens."""
    case = lock_for_update(Ticket(pk=part.parent_id))
    if case.status != Status.RESOLVED:
        return
    note = _("Onderdeel %(number)s is heropend.") % {"number": part.number}
    _transition(case, to=Status.REOPENED, actor=actor, now=now, note=note)
    case.resolved_at = None
    _touch(case, now, ["status", "resolved_at"])
    _event("ticket.reopened", case, now, actor=actor, reason=note)


def close_ticket(
    *, ticket: Ticket, actor: Employee | Actor | None, expected_version: int | None = None, now=None
) -> Ticket:
    """Close a resolved ticket: the requester accepts, the desk closes, or the acceptance period
    ends (actor None)."""
    now = now or timezone.now()
    actor = _actor(actor)
    if actor is not None:
        _require(policies.can_view(actor, ticket))
    with transaction.atomic():
        ticket = lock_for_update(ticket, expected_version=expected_version)
        if actor is not None:
            _require(policies.can_respond_to_resolution(actor, ticket))
        _transition(ticket, to=Status.CLOSED, actor=actor, now=now)
        ticket.closed_at = now
        _touch(ticket, now, ["status", "closed_at"])
        _event("ticket.closed", ticket, now, actor=actor)
        # The parts of a case close with it: the requester accepted the whole.
        for child in ticket.children.filter(status=Status.RESOLVED).order_by("id"):
            close_ticket(ticket=child, actor=None, now=now)
    return ticket


# ---------------------------------------------------------------- communication


def add_comment(
    *,
    ticket: Ticket,
    actor: Employee | Actor,
    body: str,
    internal: bool = False,
    check_guide: bool = False,
    override_reason: str = "",
    now=None,
) -> Comment:
    """A public reply (the requester sees it) or an internal note (staff only).

    With `check_guide`, a public reply from the desk is first held against the registration
    guide: warnings stop it unless the agent gives a reason to send it anyway (recorded)."""
    from .guide import GuideWarnings, check_reply

    now = now or timezone.now()
    actor = _actor(actor)
    _require(policies.can_comment(actor, ticket, internal=internal), _("Je mag hier geen reactie plaatsen."))
    body = (body or "").strip()
    if not body:
        raise DomainError("body_required", _("Schrijf een reactie."), field="body")
    override_reason = (override_reason or "").strip()
    guide_note = ""
    if check_guide and not internal and policies.can_work_on(actor, ticket):
        warnings = check_reply(ticket=ticket, body=body)
        if warnings and not override_reason:
            raise GuideWarnings(warnings)
        if warnings:
            guide_note = _("Verstuurd ondanks de registratiegids (%(codes)s): %(reason)s") % {
                "codes": ", ".join(w.code for w in warnings),
                "reason": override_reason[:500],
            }
    with transaction.atomic():
        ticket = lock_for_update(ticket)
        visibility = Comment.Visibility.INTERNAL if internal else Comment.Visibility.PUBLIC
        comment = Comment.objects.create(
            ticket=ticket, author=_employee(actor), visibility=visibility, body=body, created_at=now
        )
        record_change(
            ticket,
            actor=actor,
            action=TicketChange.Action.COMMENTED,
            at=now,
            field=visibility,
            new=str(comment.pk),
            note=guide_note,
        )
        _touch(ticket, now, [])
        if not internal:
            _event("ticket.commented", ticket, now, actor=actor, comment_id=comment.pk)
    return comment


def add_reply(
    *,
    ticket: Ticket,
    actor: Employee | Actor,
    body: str,
    upload: UploadedFile | None = None,
    internal: bool = False,
    now=None,
) -> Comment:
    """A reaction with an optional file, in one transaction. The file is checked first, so a
    refused file adds nothing at all."""
    if upload is not None:
        validate_upload(upload)
    with transaction.atomic():
        comment = add_comment(ticket=ticket, actor=actor, body=body, internal=internal, now=now)
        if upload is not None:
            add_attachment(
                ticket=ticket, actor=actor, upload=upload, comment=comment, internal=internal, now=now
            )
    return comment


# Extensions whose content can be recognised by its first bytes; a mismatch is refused.
_SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
}


def validate_upload(upload: UploadedFile) -> tuple[str, str]:
    """Size and type limits: returns (safe file name, content type) or raises a clear error."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name.startswith("."):
        raise DomainError("file_name_invalid", _("Het bestand heeft geen geldige naam."), field="file")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = [e.lower() for e in settings.LOKET_ATTACHMENT_EXTENSIONS]
    if extension not in allowed:
        raise DomainError(
            "file_type_not_allowed",
            _("Bestanden van het type '%(ext)s' zijn niet toegestaan. Toegestaan: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(allowed)},
            field="file",
        )
    limit = settings.LOKET_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise DomainError(
            "file_too_large",
            _("Het bestand is te groot (maximaal %(mb)s MB).") % {"mb": round(limit / 1024 / 1024, 1)},
            field="file",
        )
    if upload.size == 0:
        raise DomainError("file_empty", _("Het bestand is leeg."), field="file")
    signatures = _SIGNATURES.get(extension)
    if signatures:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            raise DomainError(
                "file_content_mismatch",
                _("De inhoud van '%(name)s' past niet bij het type '%(ext)s'.")
                % {"name": name, "ext": extension},
                field="file",
            )
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if len(name) > 200:
        # Shorten the stem, never the extension: the type must survive.
        name = f"{name[: 199 - len(extension)].rstrip()}.{extension}"
    return name, content_type


def add_attachment(
    *,
    ticket: Ticket,
    actor: Employee | Actor,
    upload: UploadedFile,
    comment: Comment | None = None,
    internal: bool = False,
    now=None,
) -> Attachment:
    now = now or timezone.now()
    actor = _actor(actor)
    _require(policies.can_comment(actor, ticket, internal=internal), _("Je mag hier geen bijlage toevoegen."))
    name, content_type = validate_upload(upload)
    with transaction.atomic():
        ticket = lock_for_update(ticket)
        attachment = Attachment(
            ticket=ticket,
            comment=comment,
            filename=name,
            content_type=content_type,
            size=upload.size,
            internal=internal,
            uploaded_by=_employee(actor),
            created_at=now,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        record_change(
            ticket,
            actor=actor,
            action=TicketChange.Action.ATTACHED,
            at=now,
            field="internal_attachments" if internal else "attachments",
            new=name,
        )
        _touch(ticket, now, [])
    return attachment


def close_expired_resolutions(*, now=None, batch: int = 500) -> int:
    """Gereed melden ends in closing: a resolution the requester neither accepted nor reopened
    within LOKET_REOPEN_DAYS days counts as accepted. Safe to run twice (closing needs the
    resolved status, checked under the row lock)."""
    from datetime import timedelta

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LOKET_REOPEN_DAYS)
    closed = 0
    ids = list(
        Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lt=cutoff)
        .order_by("resolved_at")
        .values_list("pk", flat=True)[:batch]
    )
    for ticket in Ticket.objects.filter(pk__in=ids):
        try:
            close_ticket(ticket=ticket, actor=None, now=now)
        except DomainError:  # changed meanwhile (reopened or closed by someone): leave it
            continue
        closed += 1
    return closed


def register_contact(
    *,
    requester: Employee,
    actor: Employee | Actor,
    channel: str,
    subject: str,
    description: str = "",
    kwis: str | None = None,
    catalog_item: CatalogItem | None = None,
    impact: int = Impact.LOW,
    urgency: int = Urgency.MEDIUM,
    solved_resolution: str | None = None,
    now=None,
) -> Ticket:
    """The desk registers a call, walk-in or mail. When the agent solved it during the contact
    (`solved_resolution`), the ticket is resolved and closed at once and counted as solved at
    first contact; otherwise it is routed like any other."""
    now = now or timezone.now()
    actor = _actor(actor)
    _require(actor is not None and actor.is_staff_member, _("Alleen de servicedesk registreert contacten."))
    if solved_resolution is not None and not solved_resolution.strip():
        raise DomainError(
            "resolution_required", _("Geef aan hoe de vraag direct is opgelost."), field="resolution"
        )
    # Solved during the contact, the ticket is the desk's own work (also an HR question it could
    # answer): it stays with the agent's team, so the agent may close it.
    team = _own_team(actor) if solved_resolution is not None else None
    with transaction.atomic():
        ticket = create_ticket(
            requester=requester,
            actor=actor,
            subject=subject,
            description=description,
            channel=channel,
            kwis=kwis,
            catalog_item=catalog_item,
            team=team,
            impact=impact,
            urgency=urgency,
            require_form=False,  # the agent notes what matters; the form is for self-service
            split=solved_resolution is None,
            now=now,
        )
        if solved_resolution is not None:
            ticket = mark_resolved(ticket=ticket, actor=actor, resolution=solved_resolution, now=now)
            ticket.solved_at_first_contact = True
            ticket.save(update_fields=["solved_at_first_contact"])
            ticket = close_ticket(ticket=ticket, actor=actor, now=now)
    return ticket


# ---------------------------------------------------------------- duplicates, links, bulk


def merge_tickets(*, duplicate: Ticket, into: Ticket, actor: Employee | Actor, now=None) -> Ticket:
    """A duplicate is closed into the ticket that carries on: its requester is told where it is
    handled, and its text lands as a note on the other, so nothing anyone wrote is lost."""
    now = now or timezone.now()
    actor = _actor(actor)
    _require(policies.can_work_on(actor, duplicate) and policies.can_work_on(actor, into))
    if duplicate.pk == into.pk:
        raise DomainError(
            "merge_self", _("Een melding kan niet met zichzelf worden samengevoegd."), field="into"
        )
    if not duplicate.is_open or not into.is_open:
        raise DomainError("merge_closed", _("Alleen openstaande meldingen kun je samenvoegen."), field="into")
    if duplicate.parent_id or into.parent_id or duplicate.children.exists():
        raise DomainError(
            "merge_case", _("Deeltaken en zaken met deeltaken kun je niet samenvoegen."), field="into"
        )
    with transaction.atomic():
        first, second = sorted([duplicate, into], key=lambda t: t.pk)  # one lock order: no deadlocks
        lock_for_update(first)
        lock_for_update(second)
        add_comment(
            ticket=into,
            actor=actor,
            internal=True,
            body=_("Samengevoegd met %(number)s van %(who)s: %(subject)s\n\n%(description)s")
            % {
                "number": duplicate.number,
                "who": duplicate.requester.full_name,
                "subject": duplicate.subject,
                "description": duplicate.description,
            },
            now=now,
        )
        record_change(
            into, actor=actor, action=TicketChange.Action.MERGED, at=now, field="merged", new=duplicate.number
        )
        duplicate = mark_resolved(
            ticket=duplicate,
            actor=actor,
            resolution=_("Dit is dezelfde vraag als melding %(number)s; we behandelen hem daar.")
            % {"number": into.number},
            now=now,
        )
        duplicate.merged_into = into
        duplicate.save(update_fields=["merged_into"])
        record_change(
            duplicate,
            actor=actor,
            action=TicketChange.Action.MERGED,
            at=now,
            field="merged_into",
            new=into.number,
        )
        duplicate = close_ticket(ticket=duplicate, actor=actor, now=now)
    return duplicate


def link_tickets(*, ticket: Ticket, other: Ticket, actor: Employee | Actor, now=None) -> TicketLink:
    """Mark two tickets as related (the same outage, a follow-up); both show the link."""
    now = now or timezone.now()
    actor = _actor(actor)
    _require(policies.can_work_on(actor, ticket) and policies.can_view(actor, other))
    if ticket.pk == other.pk:
        raise DomainError(
            "link_self", _("Een melding kan niet aan zichzelf worden gekoppeld."), field="other"
        )
    existing = TicketLink.objects.filter(
        models.Q(from_ticket=ticket, to_ticket=other) | models.Q(from_ticket=other, to_ticket=ticket)
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        link = TicketLink.objects.create(
            from_ticket=ticket, to_ticket=other, created_at=now, created_by=_employee(actor)
        )
        record_change(
            ticket, actor=actor, action=TicketChange.Action.LINKED, at=now, field="links", new=other.number
        )
        record_change(
            other, actor=actor, action=TicketChange.Action.LINKED, at=now, field="links", new=ticket.number
        )
    return link


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (number, why)


BULK_ACTIONS = ("assign", "take", "resolve")


def bulk_apply(
    *,
    tickets: list[Ticket],
    actor: Employee | Actor,
    action: str,
    team: Team | None = None,
    reason: str = "",
    resolution: str = "",
    now=None,
) -> BulkResult:
    """One action on many tickets with exactly the checks of the single action: each ticket in
    its own transaction, so one refusal does not undo the others; every refusal is reported."""
    actor = _actor(actor)
    if action not in BULK_ACTIONS:
        raise DomainError("invalid_action", _("Onbekende actie."), field="action")
    if action == "assign" and team is None:
        raise DomainError("team_required", _("Kies het team."), field="team")
    if action == "resolve" and not resolution.strip():
        raise DomainError(
            "resolution_required", _("Geef aan hoe de meldingen zijn opgelost."), field="resolution"
        )
    result = BulkResult()
    for ticket in tickets:
        try:
            if action == "assign":
                assign_ticket(ticket=ticket, actor=actor, team=team, reason=reason, now=now)
            elif action == "take":
                take_ticket(ticket=ticket, actor=actor, now=now)
            else:
                mark_resolved(ticket=ticket, actor=actor, resolution=resolution, now=now)
        except DomainError as error:
            result.skipped.append((ticket.number, str(error.message)))
        else:
            result.done.append(ticket.number)
    return result
