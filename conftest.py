"""Shared fixtures: a small organisation and the people who work in it.

Everything is created through the services (see tests/factories.py), so the rules that hold for
real data hold for test data.
"""

import pytest

from loket.people.models import TeamMembership
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_sla_configuration():
    """Each test starts without the SLA app's in-process configuration snapshot: tests roll back
    or flush the database under it, which a running Loket never does."""
    from loket.sla.services import invalidate_config

    invalidate_config()
    yield
    invalidate_config()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (popular items, queue counts): its database is new."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


Role = TeamMembership.Role


@pytest.fixture
def org(db):
    """Departments ICT, HRM (confidential by default) and FAC, their teams, a servicedesk, a catalogue."""
    return factories.small_org()


@pytest.fixture
def requester(org):
    """An employee who asks for help in the portal."""
    return factories.employee(first_name="Anna", last_name="Jansen")


@pytest.fixture
def colleague(org):
    """Another employee, who has no business with Anna's tickets."""
    return factories.employee(first_name="Bert", last_name="Bakker")


@pytest.fixture
def desk_agent(org):
    """A servicedesk (front office) agent."""
    return factories.staff(first_name="Dewi", teams={org.servicedesk: Role.AGENT})


@pytest.fixture
def ict_agent(org):
    return factories.staff(first_name="Ivo", teams={org.ict_team: Role.SPECIALIST})


@pytest.fixture
def hr_agent(org):
    return factories.staff(first_name="Hanna", teams={org.hr_team: Role.SPECIALIST})


@pytest.fixture
def administrator(org):
    """A functional administrator (beheerder) of Loket."""
    return factories.staff(first_name="Bea", teams={org.servicedesk: Role.ADMINISTRATOR})


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
