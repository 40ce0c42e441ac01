"""Who someone is in Loket (their roles) and finding employees."""

from loket.people.models import TeamMembership
from loket.people.selectors import actor_for, employee_search
from loket.people.services import upsert_employee
from tests import factories

Role = TeamMembership.Role


def test_a_plain_employee_is_not_desk_staff(requester):
    actor = actor_for(requester.user)

    assert actor.employee == requester
    assert not actor.is_staff_member
    assert not actor.is_administrator


def test_a_team_member_is_desk_staff_in_every_team_they_belong_to(org):
    person = factories.staff(teams={org.servicedesk: Role.AGENT, org.fac_team: Role.SPECIALIST})

    actor = actor_for(person.user)

    assert actor.is_staff_member
    assert actor.team_ids == {org.servicedesk.pk, org.fac_team.pk}
    assert actor.roles == {Role.AGENT, Role.SPECIALIST}
    assert not actor.is_administrator


def test_a_superuser_without_an_employee_is_an_administrator(db):
    actor = actor_for(factories.user_without_employee(superuser=True))

    assert actor.is_administrator
    assert actor.employee is None


def test_employees_are_found_by_name_number_email_or_phone(db):
    fatima = upsert_employee(
        employee_number="10042",
        first_name="Fatima",
        last_name="El Amrani",
        email="f.elamrani@example.org",
        phone="030 123 4567",
    )
    upsert_employee(employee_number="10043", first_name="Frank", last_name="Visser")

    assert list(employee_search(query="fat el")) == [fatima]
    assert list(employee_search(query="10042")) == [fatima]
    assert list(employee_search(query="F.ELAMRANI")) == [fatima]
    assert list(employee_search(query="4567")) == [fatima]
    assert [e.first_name for e in employee_search(query="f")] == ["Fatima", "Frank"]


def test_an_empty_search_finds_nobody(db):
    upsert_employee(employee_number="10042", first_name="Fatima", last_name="El Amrani")

    assert list(employee_search(query="  ")) == []
