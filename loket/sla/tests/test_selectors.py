"""Compliance figures for management information, and the admin pages of the SLA settings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from loket.sla.selectors import clock_states, compliance
from loket.tickets.services import mark_resolved
from tests import factories

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=AMS)


def resolve(ticket, agent, when):
    return mark_resolved(ticket=ticket, actor=agent, resolution="Opgelost.", now=when)


def test_compliance_counts_resolutions_within_and_beyond_the_norm_per_department_and_month(
    org, requester, ict_agent
):
    item = org.items["ICT-STORING"]
    quick = factories.ticket(requester=requester, item=item, now=MONDAY)
    slow = factories.ticket(requester=requester, item=item, now=MONDAY)
    resolve(quick, ict_agent, MONDAY + timedelta(hours=1))
    resolve(slow, ict_agent, MONDAY + timedelta(days=60))
    factories.ticket(requester=requester, item=item, now=MONDAY)  # still open: not counted

    by_department = compliance(by="department")
    by_month = compliance(by="month")

    assert by_department == [
        {"key": "ICT", "total": 2, "on_time": 1, "breached": 1, "percentage": 50.0},
    ]
    assert [(row["key"].year, row["key"].month, row["total"], row["breached"]) for row in by_month] == [
        (2026, 11, 1, 0),
        (2027, 1, 1, 1),
    ]


def test_compliance_refuses_an_unknown_grouping():
    with pytest.raises(ValueError, match="by must be one of"):
        compliance(by="weather")


def test_compliance_for_a_user_leaves_out_tickets_they_may_not_see(org, requester, colleague, ict_agent):
    mine = factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=MONDAY)
    theirs = factories.ticket(requester=colleague, item=org.items["ICT-STORING"], now=MONDAY)
    resolve(mine, ict_agent, MONDAY + timedelta(hours=1))
    resolve(theirs, ict_agent, MONDAY + timedelta(hours=1))

    assert compliance(by="team", user=requester.user)[0]["total"] == 1
    assert compliance(by="team", user=ict_agent.user)[0]["total"] == 2


def test_open_tickets_are_counted_by_clock_state(org, requester, ict_agent):
    factories.ticket(requester=requester, item=org.items["ICT-STORING"])

    assert clock_states(user=ict_agent.user) == {"on_time": 1, "at_risk": 0, "breached": 0}


def test_the_calendar_admin_pages_open_for_an_administrator(db, client, administrator):
    client.force_login(administrator.user)

    for url in (
        "/beheer/sla/businesscalendar/add/",
        "/beheer/sla/serviceagreement/add/",
        "/beheer/sla/escalationrule/add/",
        "/beheer/sla/ticketclock/",
    ):
        assert client.get(url).status_code == 200, url
