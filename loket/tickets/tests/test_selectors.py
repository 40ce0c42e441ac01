"""Who sees which ticket: the one gate every list, page and export goes through."""

import pytest
from django.contrib.auth.models import AnonymousUser

from loket.people.models import TeamMembership
from loket.people.selectors import actor_for
from loket.tickets import policies
from loket.tickets.selectors import comments_visible_to, ticket_for, tickets_visible_to
from loket.tickets.services import add_comment
from tests import factories

Role = TeamMembership.Role


def sees(user, ticket) -> bool:
    """The three ways Loket answers 'may this user see this ticket?', which must agree."""
    in_list = tickets_visible_to(user).filter(pk=ticket.pk).exists()
    by_number = ticket_for(user, number=ticket.number) is not None
    by_policy = policies.can_view(actor_for(user), ticket)
    assert in_list == by_number == by_policy, (in_list, by_number, by_policy)
    return in_list


def test_a_requester_sees_their_own_ticket(org, requester):
    mine = factories.ticket(requester=requester, item=org.items["ICT-STORING"])

    assert sees(requester.user, mine)
    assert list(tickets_visible_to(requester.user)) == [mine]


def test_an_employee_never_sees_another_employees_ticket(org, requester, colleague):
    theirs = factories.ticket(requester=colleague, item=org.items["ICT-STORING"])

    assert not sees(requester.user, theirs)
    assert ticket_for(requester.user, pk=theirs.pk) is None
    assert list(tickets_visible_to(requester.user)) == []


def test_an_employee_sees_a_ticket_they_registered_for_a_colleague(org, requester, colleague):
    for_colleague = factories.ticket(requester=colleague, actor=requester, item=org.items["FAC-OVERIG"])

    assert sees(requester.user, for_colleague)


def test_registering_a_confidential_ticket_for_a_colleague_does_not_let_you_read_it(
    org, requester, colleague
):
    about_colleague = factories.ticket(requester=colleague, actor=requester, item=org.items["HRM-VERLOF"])

    assert about_colleague.confidential
    assert not sees(requester.user, about_colleague)


@pytest.mark.parametrize("agent", ["desk_agent", "ict_agent", "hr_agent"])
def test_desk_and_back_office_staff_see_every_non_confidential_ticket(request, org, requester, agent):
    agent = request.getfixturevalue(agent)
    tickets = [
        factories.ticket(requester=requester, item=org.items["ICT-STORING"]),
        factories.ticket(requester=requester, item=org.items["FAC-OVERIG"]),
        factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], confidential=False),
        factories.ticket(requester=requester, subject="Zonder product"),
    ]

    assert all(sees(agent.user, t) for t in tickets)
    assert set(tickets_visible_to(agent.user)) == set(tickets)


def test_hr_tickets_are_confidential_by_default(org, requester):
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])
    ict_ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])

    assert hr_ticket.confidential
    assert hr_ticket.team == org.hr_team
    assert not ict_ticket.confidential


@pytest.mark.parametrize("agent", ["desk_agent", "ict_agent"])
def test_an_agent_outside_hr_cannot_see_a_confidential_hr_ticket(request, org, requester, agent):
    agent = request.getfixturevalue(agent)
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])

    assert not sees(agent.user, hr_ticket)


def test_the_hr_team_sees_the_confidential_tickets_of_its_team(org, requester, hr_agent):
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])

    assert sees(hr_agent.user, hr_ticket)


def test_a_confidential_ticket_is_visible_to_the_team_it_is_routed_to_only(
    org, requester, ict_agent, hr_agent
):
    secret_ict = factories.ticket(requester=requester, item=org.items["ICT-STORING"], confidential=True)

    assert sees(ict_agent.user, secret_ict)
    assert not sees(hr_agent.user, secret_ict)


def test_the_requester_sees_their_own_confidential_ticket(org, requester):
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])

    assert sees(requester.user, hr_ticket)


def test_administrators_see_confidential_tickets(org, requester, administrator):
    superuser = factories.user_without_employee(superuser=True)
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])
    unrouted = factories.ticket(requester=requester, subject="Vertrouwelijke vraag", confidential=True)

    for admin in (administrator.user, superuser):
        assert sees(admin, hr_ticket)
        assert sees(admin, unrouted)


def test_an_administrator_without_a_login_still_counts_as_administrator(org, requester):
    """Services acting on behalf of an employee use the same rules as the portal."""
    from loket.people.selectors import actor_for_employee

    admin = factories.staff(teams={org.servicedesk: Role.ADMINISTRATOR}, login=False)
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])

    assert policies.can_view(actor_for_employee(admin), hr_ticket)


def test_anonymous_visitors_and_accounts_without_an_employee_see_nothing(org, requester):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])

    for user in (AnonymousUser(), factories.user_without_employee(), None):
        assert not tickets_visible_to(user).exists()
        assert ticket_for(user, number=ticket.number) is None
        assert not policies.can_view(actor_for(user), ticket)


def test_a_deactivated_login_sees_nothing(org, requester):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    user = requester.user
    user.is_active = False

    assert not tickets_visible_to(user).exists()
    assert ticket_for(user, number=ticket.number) is None


def test_a_missing_and_a_secret_ticket_look_the_same(org, requester, colleague):
    theirs = factories.ticket(requester=colleague, item=org.items["ICT-STORING"])

    assert ticket_for(requester.user, number=theirs.number) is None
    assert ticket_for(requester.user, number="M1999-999999") is None


def test_internal_notes_are_hidden_from_the_requester(org, requester, ict_agent):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    add_comment(ticket=ticket, actor=ict_agent, body="We kijken ernaar.")
    add_comment(ticket=ticket, actor=ict_agent, body="Lijkt op het bekende VPN-probleem.", internal=True)
    add_comment(ticket=ticket, actor=requester, body="Dank je.")

    seen_by_requester = [c.body for c in comments_visible_to(requester.user, ticket=ticket)]
    seen_by_agent = [c.body for c in comments_visible_to(ict_agent.user, ticket=ticket)]

    assert seen_by_requester == ["We kijken ernaar.", "Dank je."]
    assert seen_by_agent == ["We kijken ernaar.", "Lijkt op het bekende VPN-probleem.", "Dank je."]
