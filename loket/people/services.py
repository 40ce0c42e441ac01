"""Writes about the organisation: units, locations, providers, teams, employees and roles.

Used by the admin, the demo loader and importers, so every way data enters keeps the rules.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from loket.core.errors import DomainError

from .models import Employee, Location, OrgUnit, ServiceDepartment, Team, TeamMembership


def _apply(instance, values: dict) -> bool:
    """Set changed values on an instance; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def upsert_department(
    *, code: str, name: str, description: str = "", confidential_by_default: bool | None = None
) -> tuple[ServiceDepartment, bool]:
    """Create or update a service department by code; returns (department, changed)."""
    code = code.strip().upper()
    if not code:
        raise DomainError("department_code_required", _("Een afdeling heeft een code nodig."), field="code")
    if not name.strip():
        raise DomainError(
            "department_name_required", _("Afdeling %(code)s heeft geen naam.") % {"code": code}, field="name"
        )
    department = ServiceDepartment.objects.filter(code=code).first()
    values = {"name": name.strip(), "description": description.strip()}
    if confidential_by_default is not None:
        values["confidential_by_default"] = confidential_by_default
    if department is None:
        department = ServiceDepartment.objects.create(code=code, **values)
        return department, True
    if _apply(department, values):
        department.save()
        return department, True
    return department, False


def upsert_team(
    *,
    code: str,
    name: str,
    department: ServiceDepartment | None,
    kind: str = Team.Kind.BACK_OFFICE,
    email: str = "",
    default_for_department: bool = False,
) -> Team:
    """Create or update a team by code; optionally make it its department's default team."""
    with transaction.atomic():
        team = Team.objects.filter(code=code).first()
        values = {"name": name, "department": department, "kind": kind, "email": email}
        if team is None:
            team = Team.objects.create(code=code, **values)
        elif _apply(team, values):
            team.save()
        if default_for_department and department and department.default_team_id != team.pk:
            department.default_team = team
            department.save(update_fields=["default_team"])
    return team


def upsert_org_unit(*, code: str, name: str, parent: OrgUnit | None = None) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        return OrgUnit.objects.create(code=code, name=name, parent=parent)
    if _apply(unit, {"name": name, "parent": parent}):
        unit.save()
    return unit


def get_or_create_location(*, building: str, floor: str = "", room: str = "", address: str = "") -> Location:
    location, _created = Location.objects.get_or_create(
        building=building, floor=floor, room=room, defaults={"address": address}
    )
    return location


def upsert_employee(
    *,
    employee_number: str,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    unit: OrgUnit | None = None,
    location: Location | None = None,
    manager: Employee | None = None,
    language: str = Employee.Language.DUTCH,
) -> Employee:
    """Create or update an employee by employee number. A login is optional (see `grant_login`)."""
    employee_number = employee_number.strip()
    if not employee_number:
        raise DomainError(
            "employee_number_required",
            _("Een medewerker heeft een personeelsnummer nodig."),
            field="employee_number",
        )
    if not (first_name.strip() or last_name.strip()):
        raise DomainError(
            "employee_name_required", _("Een medewerker heeft een naam nodig."), field="last_name"
        )
    values = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email.strip().lower(),
        "phone": phone.strip(),
        "unit": unit,
        "location": location,
        "manager": manager,
        "language": language,
    }
    employee = Employee.objects.filter(employee_number=employee_number).first()
    if employee is None:
        return Employee.objects.create(employee_number=employee_number, **values)
    if _apply(employee, values):
        employee.save()
    return employee


def grant_login(*, employee: Employee, username: str, password: str | None = None, superuser: bool = False):
    """Give an employee a login (idempotent: an existing login is kept, its password untouched)."""
    User = get_user_model()
    with transaction.atomic():
        if employee.user_id:
            return employee.user
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                email=employee.email,
                first_name=employee.first_name,
                last_name=employee.last_name,
                is_staff=superuser,
                is_superuser=superuser,
            )
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        elif Employee.objects.filter(user=user).exclude(pk=employee.pk).exists():
            raise DomainError(
                "username_taken", _("Gebruikersnaam %(username)s is al in gebruik.") % {"username": username}
            )
        employee.user = user
        employee.save(update_fields=["user"])
        return user


def set_membership(*, team: Team, employee: Employee, role: str) -> TeamMembership:
    """Put an employee in a team with a role (changing the role if already a member)."""
    if role not in TeamMembership.Role.values:
        raise DomainError("invalid_role", _("Onbekende rol: %(role)s.") % {"role": role}, field="role")
    membership = TeamMembership.objects.filter(team=team, employee=employee).first()
    if membership is None:
        membership = TeamMembership.objects.create(team=team, employee=employee, role=role)
    elif membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    if role == TeamMembership.Role.ADMINISTRATOR and employee.user_id:
        # Functional administrators configure Loket in the Django admin.
        user = employee.user
        if not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
    return membership
