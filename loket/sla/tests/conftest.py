"""SLA settings as the tests need them: calendars, service norms, agreements (DVO's), escalation
rules and the team leads who hear about breaches.

The SLA settings are edited in the admin and have no write services of their own (apart from
`ensure_calendar`), so these fixtures create them directly, as test factories may.
"""

import pytest

from loket.people.models import TeamMembership
from loket.people.services import upsert_employee, upsert_org_unit
from loket.sla.models import EscalationRule, ServiceAgreement, ServiceNorm
from loket.sla.services import ensure_calendar
from tests import factories


@pytest.fixture
def office_calendar(org):
    """The default calendar: Monday to Friday 08:30-17:00, Dutch public holidays off."""
    return ensure_calendar(code="KANTOOR", name="Kantoortijden", weekdays="08:30-17:00", is_default=True)


@pytest.fixture
def make_calendar(org):
    """A calendar with the same hours Monday to Friday, for teams and/or catalogue items."""

    def make(*, code, weekdays, saturday="", sunday="", teams=(), items=()):
        calendar = ensure_calendar(
            code=code,
            name=f"Werktijden {code}",
            weekdays=weekdays,
            saturday=saturday,
            sunday=sunday,
            teams=teams,
        )
        calendar.catalog_items.add(*items)
        return calendar

    return make


@pytest.fixture
def make_norm(org):
    def make(*, response, resolution, agreement=None, item=None, priority=None):
        return ServiceNorm.objects.create(
            agreement=agreement,
            catalog_item=item,
            priority=priority,
            response_minutes=response,
            resolution_minutes=resolution,
        )

    return make


@pytest.fixture
def make_agreement(org):
    def make(*, code, unit, valid_from, valid_until=None):
        return ServiceAgreement.objects.create(
            code=code, name=f"DVO {code}", customer_unit=unit, valid_from=valid_from, valid_until=valid_until
        )

    return make


@pytest.fixture
def make_rule(org):
    def make(*, trigger, recipient, department=None, max_priority=None, name=None):
        return EscalationRule.objects.create(
            name=name or f"{trigger} -> {recipient}",
            trigger=trigger,
            recipient=recipient,
            department=department,
            max_priority=max_priority,
        )

    return make


@pytest.fixture
def public_affairs(org):
    """A customer unit (Publiekszaken) with a sub-unit (Burgerzaken)."""
    parent = upsert_org_unit(code="PZ", name="Publiekszaken")
    return upsert_org_unit(code="BZ", name="Burgerzaken", parent=parent)


@pytest.fixture
def citizen_affairs_requester(public_affairs):
    """An employee of Burgerzaken who asks for help."""
    person = factories.employee(first_name="Carla", last_name="Smit")
    return upsert_employee(
        employee_number=person.employee_number,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        unit=public_affairs,
    )


@pytest.fixture
def ict_lead(org):
    """The team lead of ICT workplace management."""
    return factories.staff(first_name="Tineke", teams={org.ict_team: TeamMembership.Role.TEAM_LEAD})


@pytest.fixture
def hr_lead(org):
    """The team lead of HR advice."""
    return factories.staff(first_name="Henk", teams={org.hr_team: TeamMembership.Role.TEAM_LEAD})
