"""`loket demo`: a realistic organisation to show every screen, loaded idempotently."""

import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from loket.demo.loader import DEMO_PASSWORD, demo_logins
from loket.tickets.models import Status, Ticket
from loket.tickets.selectors import tickets_visible_to

pytestmark = pytest.mark.django_db


def _snapshot() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        "core",
        "people",
        "catalog",
        "tickets",
        "auth.user",
        "--indent",
        "0",
        "--natural-foreign",
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module (it takes a few seconds)."""
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("demo", "--no-server", stdout=out)
        yield out.getvalue()
        call_command("flush", "--no-input", verbosity=0)


def test_running_the_demo_twice_changes_nothing(demo):
    before = _snapshot()
    out = io.StringIO()
    call_command("demo", "--no-server", stdout=out)
    assert "niets gewijzigd" in out.getvalue()
    assert _snapshot() == before


def test_the_demo_prints_logins_that_work(demo):
    for login in demo_logins():
        assert login.username in demo
        user = authenticate(username=login.username, password=DEMO_PASSWORD)
        assert user is not None, login.username
        assert user.employee.first_name == login.first_name


def test_the_demo_has_a_year_of_tickets_with_realistic_statuses(demo):
    tickets = Ticket.objects.all()
    assert tickets.count() >= 450
    statuses = Counter(tickets.values_list("status", flat=True))
    assert statuses[Status.CLOSED] > tickets.count() / 2
    assert statuses[Status.NEW] + statuses[Status.IN_PROGRESS] + statuses[Status.WAITING_CUSTOMER] > 0
    oldest, newest = tickets.order_by("created_at").first(), tickets.order_by("created_at").last()
    assert (newest.created_at - oldest.created_at).days > 300
    assert (
        tickets.filter(department__code="HRM", confidential=True).count()
        == tickets.filter(department__code="HRM").count()
    )


def test_demo_employees_see_only_their_own_tickets_and_hr_sees_confidential_ones(demo):
    employee = authenticate(username="medewerker", password=DEMO_PASSWORD)
    visible = tickets_visible_to(employee)
    assert visible.exists()
    assert set(visible.values_list("requester_id", flat=True)) == {employee.employee.pk}

    desk = authenticate(username="servicedesk", password=DEMO_PASSWORD)
    hr = authenticate(username="hr", password=DEMO_PASSWORD)
    confidential = Ticket.objects.filter(confidential=True, team__code="HRM-ADV")
    assert confidential.exists()
    assert not tickets_visible_to(desk).filter(pk__in=confidential).exists()
    assert tickets_visible_to(hr).filter(pk__in=confidential).count() == confidential.count()


def test_the_onboarding_case_is_split_over_three_teams(demo):
    case = Ticket.objects.get(external_ref="DEMO-ONBOARDING-1")
    assert sorted(case.children.values_list("team__code", flat=True)) == ["FAC-DV", "HRM-ADV", "ICT-WPB"]


def test_the_demo_shows_tickets_on_time_at_risk_and_breached(demo):
    from django.contrib.auth import get_user_model

    from loket.sla.selectors import clock_states

    states = clock_states(user=get_user_model().objects.get(username="beheerder"))
    assert states["on_time"] > 0
    assert states["at_risk"] > 0
    assert states["breached"] > 0


def test_the_demo_ict_desk_and_facilities_keep_their_own_hours(demo):
    from loket.sla.models import TicketClock

    ict = TicketClock.objects.filter(ticket__team__code="ICT-WPB").select_related("calendar").first()
    facilities = TicketClock.objects.filter(ticket__team__code="FAC-DV").select_related("calendar").first()
    hr = TicketClock.objects.filter(ticket__team__code="HRM-ADV").select_related("calendar").first()

    assert (ict.calendar.monday, facilities.calendar.monday, hr.calendar.monday) == (
        "07:00-18:00",
        "08:00-16:30",
        "08:30-17:00",
    )
