"""A cross-department product (onboarding) is one case for the requester and a child task per
team for the back office: split when it is registered, gereed when the last part is, accepted
as a whole."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from loket.catalog.models import CatalogItem
from loket.catalog.services import import_catalog, set_task_template
from loket.core.errors import PermissionDenied
from loket.people.models import TeamMembership
from loket.people.selectors import actor_for
from loket.tickets import policies
from loket.tickets.models import Status, Ticket
from loket.tickets.selectors import requests_of, tickets_visible_to
from loket.tickets.services import (
    Timeline,
    close_ticket,
    create_ticket,
    import_ticket_record,
    mark_resolved,
    reopen_ticket,
)
from tests import factories

NOW = factories.A_MONDAY_MORNING
Role = TeamMembership.Role

ONBOARDING = factories.catalog_item_spec(
    code="HRM-ONBOARDING",
    department="HRM",
    name="Nieuwe medewerker in dienst",
    kwis_types=["W"],
    fields=[
        {"name": "naam", "label": "Naam nieuwe medewerker", "type": "text", "required": True},
        {"name": "startdatum", "label": "Startdatum", "type": "date", "required": True},
        {"name": "laptop", "label": "Laptop nodig", "type": "boolean"},
    ],
)
# HRM and FAC without a team (their department's default team), ICT to a named team that is not
# ICT's default.
ONBOARDING_TASKS = [
    {"department": "HRM", "subject": "Contract en personeelsdossier voor {naam}"},
    {"department": "ICT", "team": "ICT-NETWERK", "subject": "Account voor {naam}, laptop: {laptop}"},
    {"department": "FAC", "subject": "Toegangspas voor {naam}", "description": "Pas klaar op {startdatum}."},
]
ANSWERS = {"naam": "Piet Pietersen", "startdatum": "2026-04-01", "laptop": True}


@pytest.fixture
def onboarding(org) -> CatalogItem:
    """An HRM item (confidential by default) split over HRM, ICT and FAC."""
    import_catalog(data={"items": [ONBOARDING]})
    return set_task_template(item=CatalogItem.objects.get(code="HRM-ONBOARDING"), tasks=ONBOARDING_TASKS)


@pytest.fixture
def case(onboarding, requester) -> Ticket:
    """Anna asks for everything a new colleague needs, in the portal."""
    return factories.ticket(
        requester=requester, item=onboarding, subject="Nieuwe collega Piet", form_answers=ANSWERS, now=NOW
    )


@pytest.fixture
def network_agent(org):
    return factories.staff(first_name="Noor", teams={org.ict_network: Role.SPECIALIST})


@pytest.fixture
def fac_agent(org):
    return factories.staff(first_name="Frits", teams={org.fac_team: Role.SPECIALIST})


def parts_of(case) -> dict[str, Ticket]:
    """The parts of a case by department code."""
    return {part.department.code: part for part in case.children.select_related("department", "team")}


def status_of(ticket) -> str:
    return Ticket.objects.values_list("status", flat=True).get(pk=ticket.pk)


# ---------------------------------------------------------------- splitting at registration


def test_registering_the_case_creates_a_part_per_task_in_the_named_or_default_team(case, org):
    parts = list(case.children.select_related("department", "team").order_by("id"))

    assert [(part.department, part.team, part.subject) for part in parts] == [
        (org.hrm, org.hr_team, "Contract en personeelsdossier voor Piet Pietersen"),
        (org.ict, org.ict_network, "Account voor Piet Pietersen, laptop: ja"),
        (org.fac, org.fac_team, "Toegangspas voor Piet Pietersen"),
    ]
    assert case.team == org.hr_team
    assert case.status == Status.NEW


@pytest.mark.parametrize(("laptop", "said"), [(True, "ja"), (False, "nee")])
def test_a_yes_or_no_answer_reads_as_ja_or_nee_in_a_parts_subject(onboarding, requester, laptop, said):
    case = factories.ticket(
        requester=requester, item=onboarding, form_answers={**ANSWERS, "laptop": laptop}, now=NOW
    )

    assert parts_of(case)["ICT"].subject == f"Account voor Piet Pietersen, laptop: {said}"


def test_each_part_says_which_case_it_belongs_to_and_carries_the_form_answers(case):
    for part in parts_of(case).values():
        assert part.description.startswith(f"Onderdeel van {case.number}: Nieuwe collega Piet")
        assert "Naam nieuwe medewerker: Piet Pietersen\nStartdatum: 2026-04-01\nLaptop nodig: ja" in (
            part.description
        )
    assert "Pas klaar op 2026-04-01." in parts_of(case)["FAC"].description


def test_every_part_is_asked_for_by_the_requester_of_the_case(case, requester):
    assert {part.requester for part in parts_of(case).values()} == {requester}
    assert {part.parent for part in parts_of(case).values()} == {case}


def test_the_parts_of_a_confidential_hr_case_are_confidential(case):
    assert case.confidential
    assert all(part.confidential for part in parts_of(case).values())


def test_an_ict_agent_sees_the_ict_part_but_neither_the_hr_case_nor_the_hr_part(case, network_agent):
    parts = parts_of(case)

    visible = set(
        tickets_visible_to(network_agent.user).filter(pk__in=[case.pk, *[p.pk for p in parts.values()]])
    )

    assert visible == {parts["ICT"]}


def test_the_hr_part_of_an_open_case_is_confidential_all_the_same(org, requester, ict_agent):
    item = set_task_template(
        item=org.items["FAC-OVERIG"],
        tasks=[
            {"department": "FAC", "subject": "Werkplek inrichten"},
            {"department": "HRM", "subject": "Personeelsdossier bijwerken"},
        ],
    )
    case = factories.ticket(requester=requester, item=item, subject="Verhuizing afdeling", kwis="W")
    parts = parts_of(case)

    assert not case.confidential
    assert not parts["FAC"].confidential
    assert parts["HRM"].confidential
    assert set(tickets_visible_to(ict_agent.user).filter(parent=case)) == {parts["FAC"]}


def test_an_item_without_child_tasks_is_not_split(org, requester):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])

    assert not ticket.children.exists()


# ---------------------------------------------------------------- history is not split


def test_a_history_import_of_a_split_item_has_no_parts(onboarding, requester):
    record = {
        "id": "HIST-0001",
        "channel": "portal",
        "subject": "Nieuwe collega (2025)",
        "text": "Alles voor de nieuwe collega.",
        "kwis": "W",
        "catalog_code": "HRM-ONBOARDING",
    }

    ticket = import_ticket_record(record=record, requester=requester, timeline=Timeline(created_at=NOW))

    assert ticket.status == Status.CLOSED
    assert not ticket.children.exists()
    assert Ticket.objects.count() == 1


def test_registering_without_splitting_creates_no_parts(onboarding, requester):
    ticket = create_ticket(
        requester=requester,
        actor=None,
        subject="Nieuwe collega (oud systeem)",
        catalog_item=onboarding,
        require_form=False,
        split=False,
        now=NOW,
    )

    assert not ticket.children.exists()


# ---------------------------------------------------------------- gereed when the last part is


def test_the_case_stays_open_until_its_last_part_is_resolved(case, hr_agent, network_agent):
    parts = parts_of(case)

    mark_resolved(ticket=parts["HRM"], actor=hr_agent, resolution="Contract getekend.", now=NOW)
    mark_resolved(ticket=parts["ICT"], actor=network_agent, resolution="Account staat klaar.", now=NOW)

    assert status_of(case) == Status.NEW
    assert status_of(parts["FAC"]) == Status.NEW


def test_resolving_the_last_part_resolves_the_case_with_what_each_team_did(
    case, org, hr_agent, network_agent, fac_agent
):
    parts = parts_of(case)

    mark_resolved(ticket=parts["FAC"], actor=fac_agent, resolution="Pas ligt bij de receptie.", now=NOW)
    mark_resolved(ticket=parts["HRM"], actor=hr_agent, resolution="Contract getekend.", now=NOW)
    mark_resolved(ticket=parts["ICT"], actor=network_agent, resolution="Account staat klaar.", now=NOW)

    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert case.resolution == (
        "Alle onderdelen zijn gereed:\n"
        f"- {org.hr_team.name}, Contract en personeelsdossier voor Piet Pietersen: Contract getekend.\n"
        f"- {org.ict_network.name}, Account voor Piet Pietersen, laptop: ja: Account staat klaar.\n"
        f"- {org.fac_team.name}, Toegangspas voor Piet Pietersen: Pas ligt bij de receptie."
    )


@pytest.fixture
def all_parts_resolved(case, hr_agent, network_agent, fac_agent):
    parts = parts_of(case)
    for part, agent in ((parts["HRM"], hr_agent), (parts["ICT"], network_agent), (parts["FAC"], fac_agent)):
        mark_resolved(ticket=part, actor=agent, resolution="Geregeld.", now=NOW)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    return case


def test_the_requester_accepts_the_case_and_its_parts_close_with_it(all_parts_resolved, requester):
    case = close_ticket(ticket=all_parts_resolved, actor=requester, now=NOW)

    assert case.status == Status.CLOSED
    assert {status_of(part) for part in parts_of(case).values()} == {Status.CLOSED}


def test_the_requester_may_accept_and_reopen_the_case_but_not_a_part(all_parts_resolved, requester):
    anna = actor_for(requester.user)

    assert policies.can_accept(anna, all_parts_resolved)
    assert policies.can_reopen(anna, all_parts_resolved, now=NOW)
    for part in parts_of(all_parts_resolved).values():
        assert not policies.can_accept(anna, part)
        assert not policies.can_reopen(anna, part, now=NOW)


def test_the_requester_cannot_close_or_reopen_a_part(all_parts_resolved, requester):
    part = parts_of(all_parts_resolved)["ICT"]

    with pytest.raises(PermissionDenied):
        close_ticket(ticket=part, actor=requester, now=NOW)
    with pytest.raises(PermissionDenied):
        reopen_ticket(ticket=part, actor=requester, reason="Laptop ontbreekt.", now=NOW)

    assert status_of(part) == Status.RESOLVED


def test_the_team_of_a_part_may_still_reopen_it(all_parts_resolved, network_agent):
    part = parts_of(all_parts_resolved)["ICT"]

    assert policies.can_reopen(actor_for(network_agent.user), part, now=NOW)


def test_a_part_reopened_by_its_team_reopens_the_gereed_case(all_parts_resolved, network_agent):
    part = parts_of(all_parts_resolved)["ICT"]

    reopen_ticket(ticket=part, actor=network_agent, reason="Account werkt nog niet.", now=NOW)

    assert status_of(all_parts_resolved) == Status.REOPENED
    assert status_of(part) == Status.REOPENED


# ---------------------------------------------------------------- one case, one line


def test_the_requesters_list_shows_the_case_once_and_not_its_parts(case, requester, org):
    other = factories.ticket(
        requester=requester,
        item=org.items["ICT-STORING"],
        subject="Printer stuk",
        now=NOW + timedelta(hours=1),
    )

    assert list(requests_of(requester.user)) == [other, case]


# ---------------------------------------------------------------- through the API


def token_for(employee) -> str:
    """A personal API token, issued as the administrator does (`loket token create`)."""
    out = StringIO()
    call_command("token", "create", employee.user.username, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_registering_a_split_item_through_the_api_answers_with_its_parts(onboarding, client, requester):
    response = client.post(
        "/api/v1/tickets",
        json.dumps(
            {
                "subject": "Nieuwe collega Piet",
                "catalog_item": "HRM-ONBOARDING",
                "kwis": "W",
                "form_answers": {"naam": "Piet Pietersen", "startdatum": "2026-04-01", "laptop": False},
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(requester)}",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [(child["team"], child["subject"], child["parent"]) for child in body["children"]] == [
        ("HRM-ADVIES", "Contract en personeelsdossier voor Piet Pietersen", body["number"]),
        ("ICT-NETWERK", "Account voor Piet Pietersen, laptop: nee", body["number"]),
        ("FAC-GEBOUW", "Toegangspas voor Piet Pietersen", body["number"]),
    ]
    assert Ticket.objects.get(number=body["number"]).children.count() == 3
