"""Reads about people and their roles, shared by every permission check."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.db.models.functions import Lower

from .models import Employee, Team, TeamMembership


@dataclass(frozen=True)
class Actor:
    """Who is acting and in which capacity; computed once per user object and cached on it."""

    employee: Employee | None
    team_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    is_administrator: bool = False
    front_office: bool = False  # member of a front-office team (the servicedesk)

    @property
    def is_staff_member(self) -> bool:
        """Works in the front or back office: member of at least one team."""
        return bool(self.team_ids) or self.is_administrator

    @property
    def employee_id(self) -> int | None:
        return self.employee.pk if self.employee else None


_ANONYMOUS = Actor(employee=None)

# Loket itself acting (imports, auto-close, scheduled jobs): allowed everything, recorded as no person.
SYSTEM = Actor(employee=None, is_administrator=True)


def _employee_of(user) -> Employee | None:
    """The employee record of a login; reuses it when the caller already joined it (API tokens
    select `user__employee__unit`), saving a query on every API call."""
    relation = Employee.user.field.remote_field
    if relation.is_cached(user):
        return relation.get_cached_value(user)
    return Employee.objects.filter(user=user).select_related("unit").first()


def actor_for(user) -> Actor:
    """The roles of a user. Administrators: superusers and anyone with the administrator role."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return _ANONYMOUS
    cached = getattr(user, "_loket_actor", None)
    if cached is not None:
        return cached
    employee = _employee_of(user)
    memberships = _memberships(employee) if employee else []
    roles = frozenset(role for _, role, _kind in memberships)
    actor = Actor(
        employee=employee,
        team_ids=frozenset(team_id for team_id, _, _kind in memberships),
        roles=roles,
        is_administrator=user.is_superuser or TeamMembership.Role.ADMINISTRATOR in roles,
        front_office=any(kind == Team.Kind.FRONT_OFFICE for _, _, kind in memberships),
    )
    user._loket_actor = actor
    return actor


def actor_for_employee(employee: Employee) -> Actor:
    """The roles of an employee, with or without a login (for services acting on their behalf)."""
    if employee.user_id:
        return actor_for(employee.user)
    memberships = _memberships(employee)
    roles = frozenset(role for _, role, _kind in memberships)
    return Actor(
        employee=employee,
        team_ids=frozenset(team_id for team_id, _, _kind in memberships),
        roles=roles,
        is_administrator=TeamMembership.Role.ADMINISTRATOR in roles,
        front_office=any(kind == Team.Kind.FRONT_OFFICE for _, _, kind in memberships),
    )


def _memberships(employee: Employee) -> list[tuple[int, str, str]]:
    return list(
        TeamMembership.objects.filter(employee=employee, team__active=True).values_list(
            "team_id", "role", "team__kind"
        )
    )


def active_employee(employee_number: str) -> Employee | None:
    """An active employee by employee number (as people type it: case does not matter)."""
    return Employee.objects.filter(employee_number__iexact=employee_number.strip(), active=True).first()


def employee_search(*, query: str, limit: int = 20) -> QuerySet[Employee]:
    """Find employees by name, employee number, e-mail or phone (for intake and the API)."""
    from django.db.models import Q

    query = query.strip()
    qs = Employee.objects.select_related("unit", "location").filter(active=True)
    if not query:
        return qs.none()
    condition = Q()
    for term in query.split():
        condition &= _term_condition(term)
    # Ordered by an expression no index has: PostgreSQL then combines the prefix indexes
    # (bitmap) and sorts the matches, instead of walking the name index past every employee
    # before "van ..." (46 ms for "van" over 50,000 employees; bench/README.md).
    return qs.filter(condition).order_by(Lower("last_name"), Lower("first_name"), "pk")[:limit]


def _term_condition(term: str):
    """What one typed word may be. Only plausible fields are searched, so that a name does not
    scan every phone number (the type-ahead answers in milliseconds over 50,000 employees)."""
    from django.db.models import Q

    digits = sum(ch.isdigit() for ch in term)
    if "@" in term:
        return Q(email__istartswith=term)
    if digits and digits == len(term.replace("+", "").replace("-", "")) and digits >= 3:
        return Q(phone__contains=term) | Q(employee_number__in=[term, term.upper()])
    condition = Q(first_name__istartswith=term) | Q(last_name__istartswith=term) | Q(email__istartswith=term)
    if digits:  # employee numbers mix letters and digits (B0001234): exact, as the index has them
        condition |= Q(employee_number__in=[term, term.upper(), term.lower()])
    return condition


def teams_of_department(department_id: int) -> QuerySet[Team]:
    return Team.objects.filter(department_id=department_id, active=True).order_by("name")


def teams_for_routing() -> QuerySet[Team]:
    """Active teams to route a ticket to, front office first, then by department and name."""
    from django.db.models import Case, IntegerField, Value, When

    front_first = Case(
        When(kind=Team.Kind.FRONT_OFFICE, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    teams = Team.objects.filter(active=True).select_related("department")
    return teams.order_by(front_first, "department__code", "name")


def active_team(pk) -> Team | None:
    """An active team by its id as a form sends it; None for anything else."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Team.objects.filter(pk=pk, active=True).first()
