"""Test data, entered the way all data enters Loket: through the services.

Plain functions with keyword arguments and sensible defaults, so a test names only what matters
to it. The one exception is a login without an employee, for which no service exists (and which
Loket must treat as someone who may see nothing).
"""

from __future__ import annotations

import copy
import functools
import itertools
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import yaml
from django.contrib.auth import get_user_model

import loket
from loket.catalog.models import CatalogItem
from loket.catalog.services import ImportResult, import_catalog
from loket.people.models import Employee, ServiceDepartment, Team, TeamMembership
from loket.people.services import grant_login, set_membership, upsert_department, upsert_employee, upsert_team
from loket.tickets.models import Channel, Ticket
from loket.tickets.services import create_ticket

DEMO_DATA = Path(loket.__file__).resolve().parent / "demo" / "data"
DEMO_CATALOG = DEMO_DATA / "catalog.yaml"
DEMO_TICKETS = DEMO_DATA / "tickets-train.jsonl"

A_MONDAY_MORNING = datetime(2026, 3, 2, 8, 45, tzinfo=UTC)

_serial = itertools.count(1)


def _next() -> int:
    return next(_serial)


# ---------------------------------------------------------------- people


def employee(
    *,
    first_name: str = "Anna",
    last_name: str | None = None,
    email: str | None = None,
    employee_number: str | None = None,
    login: bool = True,
    superuser: bool = False,
) -> Employee:
    """An employee, by default with a login named after the employee number."""
    n = _next()
    number = employee_number or f"E{n:06d}"
    last_name = last_name or f"de Vries {n}"
    person = upsert_employee(
        employee_number=number,
        first_name=first_name,
        last_name=last_name,
        email=email if email is not None else f"{number.lower()}@voorbeeldstad.example",
    )
    if login:
        # No password: tests log in with force_login, and hashing one costs half a second.
        grant_login(employee=person, username=number.lower(), superuser=superuser)
    return person


def staff(
    *, teams: dict[Team, str], first_name: str = "Sam", login: bool = True, superuser: bool = False
) -> Employee:
    """An employee working in teams: {team: role}."""
    person = employee(first_name=first_name, login=login, superuser=superuser)
    for team_, role in teams.items():
        set_membership(team=team_, employee=person, role=role)
    return person


def user_without_employee(*, superuser: bool = False):
    """A login that belongs to no employee (e.g. a technical account)."""
    User = get_user_model()
    n = _next()
    if superuser:
        return User.objects.create_superuser(f"beheer{n}", f"beheer{n}@example.org", None)
    return User.objects.create_user(f"account{n}", f"account{n}@example.org", None)


def department(*, code: str, name: str | None = None, confidential: bool | None = None) -> ServiceDepartment:
    department_, _changed = upsert_department(
        code=code, name=name or f"Afdeling {code}", confidential_by_default=confidential
    )
    return department_


def team(
    *,
    code: str,
    department: ServiceDepartment | None,
    name: str | None = None,
    kind: str = Team.Kind.BACK_OFFICE,
    default: bool = False,
) -> Team:
    return upsert_team(
        code=code,
        name=name or f"Team {code}",
        department=department,
        kind=kind,
        default_for_department=default,
    )


# ---------------------------------------------------------------- catalogue


def catalog_item_spec(
    *, code: str, department: str, name: str | None = None, kwis_types=("W", "I"), **extra
) -> dict:
    """One item in the catalogue file format (the demo-org format)."""
    return {
        "code": code,
        "department": department,
        "name": name or f"Product {code}",
        "description": f"Omschrijving van {code}.",
        "kwis_types": list(kwis_types),
        "standard": True,
        "sla": {"response_hours": 8, "resolution_hours": 40},
        **extra,
    }


SMALL_CATALOG = {
    "departments": [
        {"code": "ICT", "name": "Informatievoorziening & ICT", "description": "Werkplekken en accounts."},
        {"code": "HRM", "name": "Personeel & Organisatie", "description": "In- en uitdienst, verlof."},
        {"code": "FAC", "name": "Facilitair bedrijf", "description": "Huisvesting en post."},
    ],
    "items": [
        catalog_item_spec(
            code="ICT-LAPTOP-NEW",
            department="ICT",
            name="Laptop aanvragen of vervangen",
            kwis_types=["W", "I", "K"],
            fields=[
                {
                    "name": "reden",
                    "label": "Reden van de aanvraag",
                    "type": "select",
                    "required": True,
                    "options": ["nieuwe medewerker", "vervanging oud toestel", "defect"],
                },
                {"name": "afleverlocatie", "label": "Afleverlocatie", "type": "text"},
            ],
            keywords=["laptop", "notebook"],
        ),
        catalog_item_spec(code="ICT-STORING", department="ICT", name="Storing melden", kwis_types=["S", "I"]),
        catalog_item_spec(code="HRM-VERLOF", department="HRM", name="Verlof", kwis_types=["I", "W", "K"]),
        catalog_item_spec(
            code="FAC-OVERIG",
            department="FAC",
            name="Overige facilitaire vragen",
            kwis_types=["K", "W", "I", "S"],
        ),
    ],
}


def small_org() -> SimpleNamespace:
    """Three service departments (HRM confidential by default), their teams, a central
    servicedesk and a small catalogue; what most tests need."""
    import_catalog(data=SMALL_CATALOG)
    ict, hrm, fac = (ServiceDepartment.objects.get(code=code) for code in ("ICT", "HRM", "FAC"))
    org = SimpleNamespace(ict=ict, hrm=hrm, fac=fac)
    org.servicedesk = team(code="SD", name="Servicedesk", department=None, kind=Team.Kind.FRONT_OFFICE)
    org.ict_team = team(code="ICT-WERKPLEK", name="Werkplekbeheer", department=ict, default=True)
    org.ict_network = team(code="ICT-NETWERK", name="Netwerkbeheer", department=ict)
    org.hr_team = team(code="HRM-ADVIES", name="HR-advies", department=hrm, default=True)
    org.fac_team = team(code="FAC-GEBOUW", name="Gebouwbeheer", department=fac, default=True)
    for department_ in (ict, hrm, fac):
        department_.refresh_from_db()
    org.items = {item.code: item for item in CatalogItem.objects.select_related("department")}
    return org


@functools.cache
def _demo_catalog_data() -> dict:
    return yaml.safe_load(DEMO_CATALOG.read_text(encoding="utf-8"))


def demo_catalog_data() -> dict:
    """The demo catalogue file as data (parsed once per test process; a fresh copy each call)."""
    return copy.deepcopy(_demo_catalog_data())


def demo_catalog() -> ImportResult:
    """The demo organisation's full catalogue (57 items, 6 departments)."""
    return import_catalog(data=demo_catalog_data())


def demo_ticket_lines(count: int | None = None) -> list[str]:
    lines = DEMO_TICKETS.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines if count is None else lines[:count]


# ---------------------------------------------------------------- tickets


def ticket(
    *,
    requester: Employee,
    actor: Employee | str | None = "requester",
    item: CatalogItem | None = None,
    subject: str | None = None,
    **kwargs,
) -> Ticket:
    """A ticket registered by its requester in the portal unless said otherwise."""
    if item is not None and item.form_fields and "form_answers" not in kwargs:
        kwargs["require_form"] = False
    return create_ticket(
        requester=requester,
        actor=requester if actor == "requester" else actor,
        subject=subject or f"Melding {_next()}",
        description=kwargs.pop("description", "Graag hulp."),
        channel=kwargs.pop("channel", Channel.PORTAL),
        catalog_item=item,
        **kwargs,
    )


def roles() -> list[str]:
    return list(TeamMembership.Role.values)
