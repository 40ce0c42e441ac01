"""The demo organisation (Gemeente Voorbeeldstad, fictional), loaded through the services.

Everything is keyed by natural keys (codes, employee numbers, ticket references) and drawn from
a seeded random generator, so loading twice changes nothing.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from loket.catalog.services import import_catalog_file
from loket.people.models import Employee, Team, TeamMembership
from loket.people.services import (
    get_or_create_location,
    grant_login,
    set_membership,
    upsert_employee,
    upsert_org_unit,
    upsert_team,
)
from loket.sla import services as sla
from loket.sla.models import EscalationRule
from loket.tickets.models import Channel, Status, Ticket
from loket.tickets.services import (
    Timeline,
    add_comment,
    create_ticket,
    ensure_reply_template,
    import_ticket_record,
    mark_resolved,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "loket-demo"  # noqa: S105 - printed for the demo; never used outside it

UNITS = [
    ("BZ", "Burgerzaken"),
    ("SD", "Sociaal Domein"),
    ("RW", "Ruimte en Wonen"),
    ("OR", "Openbare Ruimte"),
    ("BEL", "Belastingen"),
    ("BO", "Bestuursondersteuning"),
    ("BV", "Bedrijfsvoering"),
    ("VT", "Vergunningen en Toezicht"),
]
LOCATIONS = [
    ("Stadhuis", "Markt 1, Voorbeeldstad"),
    ("Stadskantoor", "Stationsplein 10, Voorbeeldstad"),
    ("Gemeentewerf", "Industrieweg 5, Voorbeeldstad"),
]
# code, name, department code (None: the central front office), kind
TEAMS = [
    ("SERVICEDESK", "Servicedesk", None, Team.Kind.FRONT_OFFICE),
    ("ICT-WPB", "ICT Werkplekbeheer", "ICT", Team.Kind.BACK_OFFICE),
    ("ICT-APB", "ICT Applicatiebeheer", "ICT", Team.Kind.BACK_OFFICE),
    ("HRM-ADV", "P&O Advies en Administratie", "HRM", Team.Kind.BACK_OFFICE),
    ("FAC-DV", "Facilitaire Dienstverlening", "FAC", Team.Kind.BACK_OFFICE),
    ("FIN-ADM", "Financiële Administratie", "FIN", Team.Kind.BACK_OFFICE),
    ("COM-ONL", "Communicatie en Online", "COM", Team.Kind.BACK_OFFICE),
    ("JUR-ADV", "Juridische Zaken en Privacy", "JUR", Team.Kind.BACK_OFFICE),
]
DEFAULT_TEAMS = {
    "ICT": "ICT-WPB",
    "HRM": "HRM-ADV",
    "FAC": "FAC-DV",
    "FIN": "FIN-ADM",
    "COM": "COM-ONL",
    "JUR": "JUR-ADV",
}
APPLICATION_ITEMS = {"ICT-ZAAKSYSTEEM", "ICT-SOFTWARE", "ICT-ACCESS"}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    number: str
    first_name: str
    last_name: str
    unit: str
    description: str
    team: str | None = None
    role: str | None = None


LOGINS = [
    DemoLogin("medewerker", "V0001", "Sanne", "de Vries", "BZ", "medewerker Burgerzaken (portaal)"),
    DemoLogin("collega", "V0002", "Daan", "Jansen", "SD", "medewerker Sociaal Domein (portaal)"),
    DemoLogin(
        "servicedesk", "V0003", "Fatima", "El Amrani", "BV", "servicedeskmedewerker", "SERVICEDESK", "agent"
    ),
    DemoLogin(
        "ict", "V0004", "Pieter", "Bakker", "BV", "specialist ICT Werkplekbeheer", "ICT-WPB", "specialist"
    ),
    DemoLogin(
        "teamleider",
        "V0005",
        "Anouk",
        "Visser",
        "BV",
        "teamleider ICT Werkplekbeheer",
        "ICT-WPB",
        "team_lead",
    ),
    DemoLogin(
        "hr", "V0006", "Lotte", "Smit", "BV", "specialist P&O (vertrouwelijk)", "HRM-ADV", "specialist"
    ),
    DemoLogin(
        "facilitair", "V0007", "Mohamed", "Yilmaz", "BV", "specialist Facilitair", "FAC-DV", "specialist"
    ),
    DemoLogin(
        "manager", "V0008", "Karin", "de Boer", "BV", "manager dienstverlening", "SERVICEDESK", "manager"
    ),
    DemoLogin(
        "beheerder",
        "V0009",
        "Johan",
        "Mulder",
        "BV",
        "functioneel beheerder (beheer)",
        "SERVICEDESK",
        "administrator",
    ),
]
# Back-office colleagues without a demo login, so every team has people to assign.
COLLEAGUES = [
    ("V0010", "Eva", "Hendriks", "ICT-APB", "specialist"),
    ("V0011", "Bram", "van Dijk", "ICT-APB", "team_lead"),
    ("V0012", "Noor", "Bos", "HRM-ADV", "team_lead"),
    ("V0013", "Tim", "Meijer", "FAC-DV", "team_lead"),
    ("V0014", "Lisa", "de Groot", "FIN-ADM", "specialist"),
    ("V0015", "Ruben", "Vos", "COM-ONL", "specialist"),
    ("V0016", "Iris", "Peters", "JUR-ADV", "specialist"),
    ("V0017", "Youssef", "Bouzid", "SERVICEDESK", "agent"),
    ("V0018", "Emma", "Dekker", "ICT-WPB", "specialist"),
]
FIRST_NAMES = [
    "Jan",
    "Kees",
    "Sophie",
    "Julia",
    "Mila",
    "Tess",
    "Lucas",
    "Levi",
    "Sem",
    "Finn",
    "Noah",
    "Liam",
    "Zoë",
    "Anna",
    "Fleur",
    "Lieke",
    "Marieke",
    "Thijs",
    "Bas",
    "Joost",
    "Ahmed",
    "Mehmet",
    "Aylin",
    "Priya",
    "Chen",
    "Wouter",
    "Gerrit",
    "Ineke",
    "Marleen",
    "Hans",
    "Hanneke",
    "Sara",
    "Femke",
    "Roos",
    "Jesse",
    "Milan",
    "Nadia",
    "Ilse",
    "Koen",
    "Maarten",
    "Linda",
    "Esther",
    "Robert",
    "Wim",
    "Ans",
    "Paul",
    "Ria",
]
LAST_NAMES = [
    name.strip()
    for name in [
        "\n    de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "van Dijk",
        "Bakker",
        "Janssen",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "\n    Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "van Leeuwen",
        "Dekker",
        "Brouwer",
        "de Wit",
        "Dijkstra",
        "Smits",
        "de Graaf",
        "van der Meer",
        "Kok",
        "Jacobs",
        "\n    Haan",
        "Vermeulen",
        "van den Heuvel",
        "van der Veen",
        "van den Broek",
        "de Bruijn",
        "Schouten",
        "van Beek",
        "Willems",
        "Hoekstra",
        "\n    Maas",
        "Verhoeven",
        "Koster",
        "Prins",
        "Postma",
        "Kuipers",
        "Yilmaz",
        "Öztürk",
        "El Idrissi",
        "Nguyen",
        "Kaya\n",
    ]
]
GENERATED_EMPLOYEES = 240


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        self.created.append(what)

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _email(first: str, last: str, number: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", "").replace("ö", "o").replace("ë", "e").replace("'", "")
    return f"{local}.{number[-4:]}@voorbeeldstad.example"


def load_demo(*, now: datetime | None = None) -> DemoResult:
    """Load (or top up) the demo organisation. Safe to run any number of times."""
    now = now or timezone.now()
    result = DemoResult()
    with transaction.atomic():
        catalog = import_catalog_file(text=(DATA_DIR / "catalog.yaml").read_text(encoding="utf-8"))
        if catalog.changed:
            result.note(catalog.summary())
        units = {code: upsert_org_unit(code=code, name=name) for code, name in UNITS}
        locations = [get_or_create_location(building=b, address=a) for b, a in LOCATIONS]
        teams = _teams()
        _themes_and_tasks()
        _calendars(teams)
        people_before = Employee.objects.count()
        staff = _staff(units, locations, teams)
        employees = _employees(units, locations)
        if Employee.objects.count() != people_before:
            result.note(f"{Employee.objects.count() - people_before} medewerkers")
        tickets_before = Ticket.objects.count()
        _historical_tickets(employees, staff, now)
        _onboarding_case(staff, now)
        if Ticket.objects.count() != tickets_before:
            result.note(f"{Ticket.objects.count() - tickets_before} meldingen")
        _escalation_rules()
        _reply_templates()
    # The historical tickets' clocks started in the past: bring their states up to now, so the
    # demo shows tickets on time, at risk and breached from the start.
    sla.sweep(now=now)
    return result


def _calendars(teams: dict[str, Team]) -> None:
    """Office hours for most, longer hours at the ICT desk, shorter at Facilities."""
    sla.ensure_calendar(code="KANTOOR", name="Kantoortijden", weekdays="08:30-17:00", is_default=True)
    sla.ensure_calendar(
        code="ICT",
        name="ICT-servicedesk",
        weekdays="07:00-18:00",
        teams=[team for code, team in teams.items() if code.startswith("ICT")],
    )
    sla.ensure_calendar(
        code="FAC",
        name="Facilitaire dienst",
        weekdays="08:00-16:30",
        teams=[team for code, team in teams.items() if code.startswith("FAC")],
    )


def _reply_templates() -> None:
    for name, body in REPLY_TEMPLATES:
        ensure_reply_template(name=name, body=body)


REPLY_TEMPLATES = [
    (
        "Opgepakt",
        "Beste {voornaam},\n\nDank je voor je melding {nummer} over '{onderwerp}'. "
        "Team {team} gaat ermee aan de slag; we verwachten het uiterlijk {verwachte_datum} op te lossen.\n\n"
        "Met vriendelijke groet,\n"
        "{behandelaar}",
    ),
    (
        "Meer informatie nodig",
        "Beste {voornaam},\n\nOm je melding {nummer} op te lossen hebben we nog iets van je nodig: ...\n"
        "Wil je dit via Mijn meldingen aanvullen? Zodra we het hebben, gaan we verder.\n\n"
        "Met vriendelijke groet,\n{behandelaar}",
    ),
]


def _escalation_rules() -> None:
    Trigger, Recipient = EscalationRule.Trigger, EscalationRule.Recipient
    sla.ensure_escalation_rule(
        name="Behandelaar: oplostijd dreigt te verlopen",
        trigger=Trigger.RESOLUTION_AT_RISK,
        recipient=Recipient.ASSIGNEE,
    )
    sla.ensure_escalation_rule(
        name="Teamleider: oplostijd verlopen",
        trigger=Trigger.RESOLUTION_BREACHED,
        recipient=Recipient.TEAM_LEAD,
    )
    sla.ensure_escalation_rule(
        name="Manager: P1/P2 verlopen",
        trigger=Trigger.RESOLUTION_BREACHED,
        recipient=Recipient.MANAGER,
        max_priority=2,
    )


def _teams() -> dict[str, Team]:
    from loket.people.models import ServiceDepartment

    departments = {d.code: d for d in ServiceDepartment.objects.all()}
    teams = {}
    for code, name, department_code, kind in TEAMS:
        department = departments.get(department_code) if department_code else None
        teams[code] = upsert_team(
            code=code,
            name=name,
            department=department,
            kind=kind,
            email=f"{code.lower()}@voorbeeldstad.example",
            default_for_department=DEFAULT_TEAMS.get(department_code) == code,
        )
    return teams


def _staff(units, locations, teams) -> dict[str, Employee]:
    staff = {}
    for login in LOGINS:
        employee = upsert_employee(
            employee_number=login.number,
            first_name=login.first_name,
            last_name=login.last_name,
            email=_email(login.first_name, login.last_name, login.number),
            phone=f"030-286{login.number[-4:]}",
            unit=units[login.unit],
            location=locations[0],
        )
        grant_login(employee=employee, username=login.username, password=DEMO_PASSWORD)
        if login.team:
            set_membership(team=teams[login.team], employee=employee, role=login.role)
        staff[login.username] = employee
    for number, first, last, team, role in COLLEAGUES:
        employee = upsert_employee(
            employee_number=number,
            first_name=first,
            last_name=last,
            email=_email(first, last, number),
            phone=f"030-286{number[-4:]}",
            unit=units["BV"],
            location=locations[1],
        )
        set_membership(team=teams[team], employee=employee, role=role)
        staff[number] = employee
    return staff


def _employees(units, locations) -> list[Employee]:
    rng = random.Random(2026)
    unit_list = list(units.values())
    managers: dict[int, Employee] = {}
    employees = []
    for index in range(GENERATED_EMPLOYEES):
        number = f"V{1000 + index:04d}"
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        unit = unit_list[index % len(unit_list)]
        employee = upsert_employee(
            employee_number=number,
            first_name=first,
            last_name=last,
            email=_email(first, last, number),
            phone=f"06-{rng.randint(10000000, 99999999)}",
            unit=unit,
            location=locations[index % len(locations)],
            manager=managers.get(unit.pk),
        )
        managers.setdefault(unit.pk, employee)
        employees.append(employee)
    return employees


def _business_moment(rng: random.Random, now: datetime, days_ago: float) -> datetime:
    """A weekday moment during office hours, about `days_ago` before now."""
    local = timezone.localtime(now) - timedelta(days=days_ago)
    while local.weekday() >= 5:
        local -= timedelta(days=1)
    moment = timezone.make_aware(
        datetime.combine(local.date(), time(8, 30)) + timedelta(minutes=rng.randint(0, 8 * 60 + 20))
    )
    return min(moment, now - timedelta(minutes=5))


def _timeline(rng: random.Random, now: datetime, days_ago: float) -> Timeline:
    created = _business_moment(rng, now, days_ago)
    worked = created + timedelta(minutes=rng.randint(5, 240))
    resolved = worked + timedelta(hours=rng.randint(1, 72))
    closed = resolved + timedelta(days=rng.randint(1, 5))
    if days_ago > 14:
        status = Status.CLOSED if rng.random() < 0.97 else Status.RESOLVED
    elif days_ago > 4:
        status = rng.choice(
            [Status.CLOSED, Status.CLOSED, Status.RESOLVED, Status.IN_PROGRESS, Status.WAITING_CUSTOMER]
        )
    else:
        status = rng.choice(
            [
                Status.NEW,
                Status.NEW,
                Status.IN_PROGRESS,
                Status.IN_PROGRESS,
                Status.WAITING_CUSTOMER,
                Status.WAITING_SUPPLIER,
                Status.RESOLVED,
            ]
        )
    # Nothing may happen after now.
    worked, resolved, closed = (min(t, now - timedelta(minutes=1)) for t in (worked, resolved, closed))
    if status == Status.CLOSED and closed <= resolved:
        status = Status.RESOLVED
    return Timeline(
        created_at=created, status=status, worked_at=worked, resolved_at=resolved, closed_at=closed
    )


def _resolver_for(
    ticket_team_code: str | None, staff_by_team: dict[str, list[Employee]], rng
) -> Employee | None:
    people = staff_by_team.get(ticket_team_code or "")
    return rng.choice(people) if people else None


def _historical_tickets(employees: list[Employee], staff: dict[str, Employee], now: datetime) -> None:
    from loket.catalog.models import CatalogItem

    items = {
        i.code: i for i in CatalogItem.objects.select_related("default_team", "department__default_team")
    }
    staff_by_team: dict[str, list[Employee]] = {}
    for membership in TeamMembership.objects.select_related("team", "employee").exclude(
        role=TeamMembership.Role.ADMINISTRATOR
    ):
        staff_by_team.setdefault(membership.team.code, []).append(membership.employee)
    existing = set(Ticket.objects.filter(external_ref__isnull=False).values_list("external_ref", flat=True))
    lines = (DATA_DIR / "tickets-train.jsonl").read_text(encoding="utf-8").splitlines()
    demo_requesters = [staff["medewerker"], staff["collega"]]
    for number, line in enumerate(lines, start=1):
        record = json.loads(line)
        rng = random.Random(f"demo-{record['id']}")
        # Older tickets are rarer than recent ones: a year of history, denser towards now.
        days_ago = 365 * (rng.random() ** 1.6)
        timeline = _timeline(rng, now, days_ago)
        requester = demo_requesters[number % 2] if number % 25 == 0 else rng.choice(employees)
        if record["id"] in existing:
            continue
        item = items[record["catalog_code"]]
        team = item.default_team or item.department.default_team
        resolver = _resolver_for(team.code if team else None, staff_by_team, rng)
        ticket = import_ticket_record(
            record=record, requester=requester, timeline=timeline, resolver=resolver
        )
        if ticket is not None and ticket.status in (Status.WAITING_CUSTOMER, Status.RESOLVED) and resolver:
            add_comment(
                ticket=ticket,
                actor=resolver,
                body="Beste collega, we hebben je melding opgepakt. Zie onze vraag of de oplossing.",
                now=timeline.worked_at,
            )


def _onboarding_case(staff: dict[str, Employee], now: datetime) -> None:
    """A cross-department case: onboarding a new employee, split into HRM, ICT and FAC tasks."""
    from loket.catalog.models import CatalogItem

    ref = "DEMO-ONBOARDING-1"
    if Ticket.objects.filter(external_ref=ref).exists():
        return
    item = CatalogItem.objects.filter(code="HRM-ONBOARDING").first()
    if item is None:
        return
    manager = Employee.objects.get(employee_number="V1000")
    desk = staff["servicedesk"]
    created = now - timedelta(days=2)
    answers = {f["name"]: _example_answer(f) for f in item.form_fields if f.get("required")}
    case = create_ticket(
        requester=manager,
        actor=desk,
        subject="Indiensttreding nieuwe collega Burgerzaken",
        description="Nieuwe medewerker per de 1e van de maand: contract, account, laptop, pas en werkplek.",
        channel=Channel.PHONE,
        catalog_item=item,
        form_answers=answers,
        external_ref=ref,
        now=created,
    )
    # The item's task template split the case into HRM, ICT and FAC parts; ICT is done already.
    laptop = case.children.get(team__code="ICT-WPB")
    mark_resolved(
        ticket=laptop,
        actor=staff["ict"],
        resolution="Account aangemaakt; laptop ligt klaar bij de ICT-balie.",
        now=created + timedelta(days=1),
    )


def _themes_and_tasks() -> None:
    """Themes for browsing and the child tasks of onboarding and offboarding (demo-only data)."""
    from loket.catalog.models import CatalogItem
    from loket.catalog.services import import_themes, set_task_template

    extras = yaml.safe_load((DATA_DIR / "voorbeeldstad.yaml").read_text(encoding="utf-8"))
    import_themes(themes=extras["themes"])
    for code, tasks in extras["tasks"].items():
        set_task_template(item=CatalogItem.objects.get(code=code), tasks=tasks)


def _example_answer(spec: dict):
    return {
        "select": (spec.get("options") or ["anders"])[0],
        "date": "2026-12-01",
        "datetime": "2026-12-01T09:00",
        "number": 1,
        "boolean": True,
    }.get(spec["type"], "Demo")


def demo_logins() -> list[DemoLogin]:
    return LOGINS
