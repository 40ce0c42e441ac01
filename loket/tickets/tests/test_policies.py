"""The visibility rule for random people and tickets, against a plain statement of the rule."""

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loket.core.errors import PermissionDenied
from loket.people.models import TeamMembership
from loket.people.selectors import actor_for
from loket.tickets import policies
from loket.tickets.selectors import history_of, ticket_for, tickets_visible_to
from loket.tickets.services import add_comment, mark_resolved, reopen_ticket, update_ticket
from tests import factories

TEAMS = ("servicedesk", "ict_team", "hr_team")


@dataclass(frozen=True)
class Viewer:
    login: str  # "anonymous" | "no_employee" | "employee"
    superuser: bool
    memberships: dict  # team name -> role


@dataclass(frozen=True)
class TicketShape:
    item: str | None  # None: a question without a product (no department, no team)
    team: str  # "default" (routing by the catalogue) | "servicedesk"
    confidential: bool | None  # None: the department's default
    requested_by_viewer: bool
    registered_by_viewer: bool


viewers = st.builds(
    Viewer,
    login=st.sampled_from(["anonymous", "no_employee", "employee"]),
    superuser=st.booleans(),
    memberships=st.dictionaries(
        st.sampled_from(TEAMS), st.sampled_from(TeamMembership.Role.values), max_size=3
    ),
)
ticket_shapes = st.builds(
    TicketShape,
    item=st.sampled_from(["ICT-STORING", "HRM-VERLOF", "FAC-OVERIG", None]),
    team=st.sampled_from(["default", "servicedesk"]),
    confidential=st.none() | st.booleans(),
    requested_by_viewer=st.booleans(),
    registered_by_viewer=st.booleans(),
)


def may_see(viewer: Viewer, shape: TicketShape, team_name: str | None) -> bool:
    """The rule as the service desk explains it, written out without the code under test."""
    if viewer.login == "anonymous":
        return False
    has_employee = viewer.login == "employee"
    roles = set(viewer.memberships.values()) if has_employee else set()
    if viewer.superuser or TeamMembership.Role.ADMINISTRATOR in roles:
        return True
    if not has_employee:
        return False
    hr_item = shape.item is not None and shape.item.startswith("HRM")
    confidential = shape.confidential if shape.confidential is not None else hr_item
    if shape.requested_by_viewer:
        return True
    if shape.registered_by_viewer and not confidential:
        return True
    if viewer.memberships:  # works at the desk or in a back office
        return not confidential or team_name in viewer.memberships
    return False


@contextmanager
def rolled_back():
    """Each generated example starts from the same organisation."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def make_viewer(org, viewer: Viewer):
    if viewer.login == "anonymous":
        return AnonymousUser(), None
    if viewer.login == "no_employee":
        return factories.user_without_employee(superuser=viewer.superuser), None
    person = factories.staff(
        teams={getattr(org, name): role for name, role in viewer.memberships.items()},
        superuser=viewer.superuser,
    )
    return person.user, person


def make_ticket(org, shape: TicketShape, viewer_employee, someone):
    requester = viewer_employee if shape.requested_by_viewer and viewer_employee else someone
    actor = viewer_employee if shape.registered_by_viewer and viewer_employee else requester
    ticket = factories.ticket(
        requester=requester,
        actor=actor,
        item=org.items[shape.item] if shape.item else None,
        team=org.servicedesk if shape.team == "servicedesk" else None,
        confidential=shape.confidential,
    )
    names = {org.servicedesk.pk: "servicedesk", org.ict_team.pk: "ict_team", org.hr_team.pk: "hr_team"}
    return ticket, names.get(ticket.team_id)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(viewer=viewers, shapes=st.lists(ticket_shapes, min_size=1, max_size=4))
def test_everyone_sees_exactly_the_tickets_the_rule_allows(org, viewer, shapes):
    with rolled_back():
        user, person = make_viewer(org, viewer)
        someone = factories.employee(login=False)
        expected, made = set(), []
        for shape in shapes:
            ticket, team_name = make_ticket(org, shape, person, someone)
            # A shape that needs the viewer as requester or registrar means nothing without an employee.
            effective = TicketShape(
                item=shape.item,
                team=shape.team,
                confidential=shape.confidential,
                requested_by_viewer=shape.requested_by_viewer and person is not None,
                registered_by_viewer=shape.registered_by_viewer and person is not None,
            )
            made.append(ticket)
            if may_see(viewer, effective, team_name):
                expected.add(ticket.number)

        listed = set(tickets_visible_to(user).values_list("number", flat=True))
        opened = {t.number for t in made if ticket_for(user, number=t.number) is not None}
        allowed = {t.number for t in made if policies.can_view(actor_for(user), t)}

        assert listed == expected
        assert opened == expected
        assert allowed == expected


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=ticket_shapes)
def test_a_colleague_without_a_team_never_sees_or_touches_someone_elses_ticket(org, shape):
    with rolled_back():
        owner = factories.employee(login=False)
        outsider = factories.employee()
        ticket, _team = make_ticket(org, shape, None, owner)

        assert not tickets_visible_to(outsider.user).exists()
        with pytest.raises(PermissionDenied):
            add_comment(ticket=ticket, actor=outsider, body="Mag ik meekijken?")
        with pytest.raises(PermissionDenied):
            update_ticket(ticket=ticket, actor=outsider, changes={"subject": "Overgenomen"})
        with pytest.raises(PermissionDenied):
            mark_resolved(ticket=ticket, actor=outsider, resolution="Opgelost.")
        with pytest.raises(PermissionDenied):
            reopen_ticket(ticket=ticket, actor=outsider, reason="Nee.")
        assert [c.action for c in history_of(ticket)] == ["created"]
