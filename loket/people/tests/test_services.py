"""The organisation: employees, logins, departments, teams and roles, all entered by code."""

import re

import pytest

from loket.core.errors import DomainError
from loket.people.models import Employee, TeamMembership
from loket.people.selectors import actor_for
from loket.people.services import (
    get_or_create_location,
    grant_login,
    set_membership,
    upsert_department,
    upsert_employee,
    upsert_org_unit,
    upsert_team,
)
from tests import factories

Role = TeamMembership.Role


def test_an_employee_is_created_and_later_updated_by_employee_number(db):
    unit = upsert_org_unit(code="BZ", name="Burgerzaken")
    first = upsert_employee(
        employee_number=" 10042 ",
        first_name="Fatima",
        last_name="El Amrani",
        email=" F.ElAmrani@Example.org ",
    )
    second = upsert_employee(
        employee_number="10042", first_name="Fatima", last_name="El Amrani-de Boer", unit=unit
    )

    assert first.pk == second.pk
    assert Employee.objects.count() == 1
    assert second.full_name == "Fatima El Amrani-de Boer"
    assert second.unit == unit
    assert first.email == "f.elamrani@example.org"


@pytest.mark.parametrize(
    ("number", "first", "last", "message"),
    [
        ("  ", "Piet", "Pieters", "Een medewerker heeft een personeelsnummer nodig."),
        ("10043", " ", "", "Een medewerker heeft een naam nodig."),
    ],
)
def test_an_employee_needs_a_number_and_a_name(db, number, first, last, message):
    with pytest.raises(DomainError, match=re.escape(message)):
        upsert_employee(employee_number=number, first_name=first, last_name=last)


def test_a_department_code_is_upper_case_and_an_unchanged_upsert_reports_no_change(db):
    created, created_changed = upsert_department(code=" fin ", name="Financiën")
    _same, same_changed = upsert_department(code="FIN", name="Financiën")
    renamed, renamed_changed = upsert_department(code="FIN", name="Financiën & Control")

    assert created.code == "FIN"
    assert (created_changed, same_changed, renamed_changed) == (True, False, True)
    assert renamed.name == "Financiën & Control"


def test_a_department_needs_a_name(db):
    with pytest.raises(DomainError, match=r"Afdeling JUR heeft geen naam\."):
        upsert_department(code="jur", name=" ")


def test_a_default_team_receives_the_departments_tickets(db, requester):
    jur, _ = upsert_department(code="JUR", name="Juridische zaken")
    upsert_team(code="JUR-ADVIES", name="Juridisch advies", department=jur, default_for_department=True)
    jur.refresh_from_db()

    ticket = factories.ticket(requester=requester, department=jur, subject="Vraag over een contract")

    assert ticket.team.name == "Juridisch advies"


def test_a_login_is_granted_once_and_kept(db):
    person = factories.employee(login=False)

    user = grant_login(employee=person, username="fatima")
    again = grant_login(employee=person, username="iets-anders")

    assert again == user
    assert user.username == "fatima"
    assert not user.has_usable_password()
    assert actor_for(user).employee == person


def test_a_username_of_another_employee_is_refused(db):
    factories.employee(employee_number="E1")
    someone_else = factories.employee(login=False)

    with pytest.raises(DomainError, match=r"Gebruikersnaam e1 is al in gebruik\."):
        grant_login(employee=someone_else, username="e1")


def test_a_membership_role_can_change_but_must_exist(org):
    person = factories.employee()
    set_membership(team=org.ict_team, employee=person, role=Role.AGENT)
    set_membership(team=org.ict_team, employee=person, role=Role.TEAM_LEAD)

    assert list(person.memberships.values_list("role", flat=True)) == [Role.TEAM_LEAD]
    with pytest.raises(DomainError, match=r"Onbekende rol: baas\."):
        set_membership(team=org.ict_team, employee=person, role="baas")


def test_a_functional_administrator_may_use_the_admin(org, client):
    person = factories.staff(teams={org.servicedesk: Role.ADMINISTRATOR})
    client.force_login(person.user)

    assert client.get("/beheer/").status_code == 200


def test_an_agent_may_not_use_the_admin(desk_agent, client):
    client.force_login(desk_agent.user)

    assert client.get("/beheer/").status_code == 302


def test_a_location_is_found_again_by_building_floor_and_room(db):
    first = get_or_create_location(building="Stadskantoor", floor="3", room="3.14")
    again = get_or_create_location(building="Stadskantoor", floor="3", room="3.14")

    assert first == again
    assert str(first) == "Stadskantoor, verdieping 3, 3.14"
