"""What the service desk works with: queues that hold the right tickets (and never a confidential
one of another team), contacts registered at the desk, merged duplicates, linked tickets and
bulk actions that report what they could not do."""

from datetime import timedelta

import pytest

from loket.core.errors import DomainError, PermissionDenied
from loket.core.models import OutboxMessage
from loket.sla.models import TicketClock
from loket.sla.services import sweep
from loket.tickets.models import Channel, Comment, Impact, Status, Ticket, TicketLink, Urgency
from loket.tickets.selectors import QUEUES, desk_queue, history_of, links_of, queue_counts
from loket.tickets.services import (
    assign_ticket,
    bulk_apply,
    change_status,
    close_ticket,
    create_child_task,
    link_tickets,
    mark_resolved,
    merge_tickets,
    register_contact,
    reopen_ticket,
    update_ticket,
)
from tests import factories

NOW = factories.A_MONDAY_MORNING


def history(ticket) -> list[tuple]:
    """The history as the desk reads it, without the SLA clock's lines."""
    return [
        (c.action, c.field, c.old_value, c.new_value, c.actor.full_name if c.actor else None)
        for c in history_of(ticket).exclude(action="clock")
    ]


def announced(ticket) -> list[str]:
    return list(
        OutboxMessage.objects.filter(payload__ticket_id=ticket.pk)
        .order_by("id")
        .values_list("topic", flat=True)
    )


def numbers(tickets) -> list[str]:
    return [ticket.number for ticket in tickets]


def in_queue(agent, queue, **filters) -> set[str]:
    return set(numbers(desk_queue(agent.user, queue=queue, **filters)))


def storing(org, requester, subject="Printer doet niets", **kwargs):
    return factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject=subject, **kwargs)


# ---------------------------------------------------------------- queues


@pytest.fixture
def work(org, requester, colleague):
    """New, unassigned tickets of every kind of team: ICT, facilities, none yet, confidential HR."""
    return {
        "ict": storing(org, requester, now=NOW),
        "fac": factories.ticket(
            requester=colleague, item=org.items["FAC-OVERIG"], subject="Lamp kapot", now=NOW
        ),
        "no_team": factories.ticket(requester=requester, subject="Vraag zonder product", now=NOW),
        "hr": factories.ticket(
            requester=requester, item=org.items["HRM-VERLOF"], subject="Ziekmelding", now=NOW
        ),
    }


def test_the_desk_sees_new_unassigned_tickets_of_every_team_except_confidential_ones(work, desk_agent):
    assert work["hr"].confidential
    assert in_queue(desk_agent, "unassigned") == {
        work["ict"].number,
        work["fac"].number,
        work["no_team"].number,
    }


def test_a_back_office_agent_sees_only_their_own_teams_tickets(work, ict_agent, hr_agent):
    assert in_queue(ict_agent, "unassigned") == {work["ict"].number}
    assert in_queue(ict_agent, "team") == {work["ict"].number}
    assert in_queue(hr_agent, "unassigned") == {work["hr"].number}


def test_an_assigned_ticket_leaves_unassigned_and_is_in_the_assignees_mine(work, ict_agent, desk_agent):
    assign_ticket(ticket=work["ict"], actor=ict_agent, assignee=ict_agent)

    assert in_queue(ict_agent, "mine") == {work["ict"].number}
    assert in_queue(ict_agent, "unassigned") == set()
    assert in_queue(ict_agent, "team") == {work["ict"].number}
    assert work["ict"].number not in in_queue(desk_agent, "unassigned")
    assert in_queue(desk_agent, "mine") == set()


def test_mine_holds_only_open_tickets(work, ict_agent):
    ticket = assign_ticket(ticket=work["ict"], actor=ict_agent, assignee=ict_agent)
    mark_resolved(ticket=ticket, actor=ict_agent, resolution="Printer opnieuw gestart.")

    assert in_queue(ict_agent, "mine") == set()


def test_waiting_holds_tickets_waiting_for_the_customer_or_a_supplier(org, requester, ict_agent):
    for_customer = change_status(ticket=storing(org, requester), actor=ict_agent, to=Status.WAITING_CUSTOMER)
    for_supplier = change_status(ticket=storing(org, requester), actor=ict_agent, to=Status.WAITING_SUPPLIER)
    change_status(ticket=storing(org, requester), actor=ict_agent, to=Status.IN_PROGRESS)
    storing(org, requester)

    assert in_queue(ict_agent, "waiting") == {for_customer.number, for_supplier.number}


def test_reopened_holds_the_tickets_the_requester_did_not_accept(org, requester, ict_agent):
    again = mark_resolved(ticket=storing(org, requester), actor=ict_agent, resolution="Opgelost.")
    again = reopen_ticket(ticket=again, actor=requester, reason="Hij doet het nog steeds niet.")
    mark_resolved(ticket=storing(org, requester), actor=ict_agent, resolution="Opgelost.")
    storing(org, requester)

    assert in_queue(ict_agent, "reopened") == {again.number}


@pytest.fixture
def clocks(org, requester, ict_agent, hr_agent):
    """Tickets whose SLA clocks the sweep moved: one long overdue, one at risk, one on time, one
    overdue but already gereed, and a confidential HR ticket that is overdue too."""
    late = storing(org, requester, subject="Lang geleden", now=NOW - timedelta(days=60))
    done = storing(org, requester, subject="Ook lang geleden", now=NOW - timedelta(days=60))
    hr_late = factories.ticket(
        requester=requester, item=org.items["HRM-VERLOF"], subject="Verlof", now=NOW - timedelta(days=60)
    )
    risky = storing(org, requester, subject="Bijna te laat", now=NOW)
    fine = storing(org, requester, subject="Net binnen", now=NOW + timedelta(days=1))
    risky_clock = TicketClock.objects.get(ticket=risky)
    sweep(now=risky_clock.at_risk_at)
    mark_resolved(ticket=done, actor=ict_agent, resolution="Alsnog opgelost.", now=risky_clock.at_risk_at)
    return {"late": late, "done": done, "hr_late": hr_late, "risky": risky, "fine": fine}


def test_at_risk_and_breached_follow_the_sla_clock(clocks, ict_agent):
    states = dict(TicketClock.objects.values_list("ticket__number", "state"))
    assert states[clocks["late"].number] == TicketClock.State.BREACHED
    assert states[clocks["risky"].number] == TicketClock.State.AT_RISK
    assert states[clocks["fine"].number] == TicketClock.State.ON_TIME

    assert in_queue(ict_agent, "at_risk") == {clocks["risky"].number}
    assert in_queue(ict_agent, "breached") == {clocks["late"].number}


def test_a_confidential_overdue_ticket_is_only_in_its_own_teams_breached_queue(
    clocks, desk_agent, ict_agent, hr_agent
):
    assert in_queue(hr_agent, "breached") == {clocks["hr_late"].number}
    assert clocks["hr_late"].number not in in_queue(desk_agent, "breached")
    assert clocks["hr_late"].number not in in_queue(ict_agent, "breached")


@pytest.fixture
def busy_desk(org, requester, colleague, ict_agent, hr_agent, desk_agent):
    """Work in every queue for every team, confidential HR tickets included: per team a new
    ticket, one long overdue, one at risk, one waiting (assigned), one reopened, one assigned."""
    day = timedelta(days=1)
    risky = []
    for code, agent in (("ICT-STORING", ict_agent), ("HRM-VERLOF", hr_agent), ("FAC-OVERIG", None)):
        item, worker = org.items[code], agent or desk_agent

        def new(when=NOW + day, item=item):
            return factories.ticket(requester=requester, item=item, now=when)

        new()
        new(NOW - 60 * day)
        risky.append(new(NOW))
        waiting = change_status(ticket=new(), actor=worker, to=Status.WAITING_CUSTOMER, now=NOW + day)
        resolved = mark_resolved(ticket=new(), actor=worker, resolution="Opgelost.", now=NOW + day)
        reopen_ticket(ticket=resolved, actor=requester, reason="Nog niet goed.", now=NOW + 2 * day)
        if agent is not None:
            assign_ticket(ticket=waiting, actor=agent, assignee=agent, now=NOW + 2 * day)
            assign_ticket(ticket=new(), actor=agent, assignee=agent, now=NOW + 2 * day)
    mine = factories.ticket(requester=colleague, subject="Vraag aan de balie", now=NOW + day)
    mine = assign_ticket(
        ticket=mine, actor=desk_agent, team=org.servicedesk, assignee=desk_agent, now=NOW + 2 * day
    )
    change_status(ticket=mine, actor=desk_agent, to=Status.WAITING_SUPPLIER, now=NOW + 2 * day)
    sweep(now=TicketClock.objects.get(ticket=risky[0]).at_risk_at)


def test_confidential_hr_tickets_never_appear_in_a_non_hr_agents_queues_or_counts(
    busy_desk, org, desk_agent, ict_agent, hr_agent
):
    hr_numbers = set(Ticket.objects.filter(confidential=True).values_list("number", flat=True))
    assert len(hr_numbers) == 6

    for agent in (desk_agent, ict_agent):
        for queue in QUEUES:
            assert in_queue(agent, queue) & hr_numbers == set(), (agent, queue)
    assert in_queue(hr_agent, "team") == hr_numbers
    desk_counts, ict_counts = queue_counts(desk_agent.user), queue_counts(ict_agent.user)
    assert desk_counts["team"] == Ticket.objects.filter(confidential=False).count() == 12
    assert ict_counts["team"] == Ticket.objects.filter(team=org.ict_team).count() == 6
    assert (desk_counts["breached"], desk_counts["at_risk"]) == (2, 2)


@pytest.mark.parametrize("agent_name", ["desk_agent", "ict_agent", "hr_agent", "administrator"])
def test_the_counts_equal_the_number_of_tickets_in_each_queue(busy_desk, request, agent_name):
    agent = request.getfixturevalue(agent_name)

    counts = queue_counts(agent.user)

    assert counts == {queue: desk_queue(agent.user, queue=queue).count() for queue in QUEUES}
    assert counts == {queue: len(list(desk_queue(agent.user, queue=queue))) for queue in QUEUES}
    assert sum(counts.values()) > 0


def test_every_queue_holds_something_for_the_desk_in_the_busy_example(busy_desk, desk_agent, hr_agent):
    """The example above must exercise every queue, or the count test proves little."""
    assert all(queue_counts(desk_agent.user)[queue] for queue in QUEUES)
    assert all(queue_counts(hr_agent.user)[queue] for queue in QUEUES)


def test_an_employee_who_is_not_staff_gets_nothing(work, requester):
    assert Ticket.objects.filter(requester=requester).exists()

    assert all(list(desk_queue(requester.user, queue=queue)) == [] for queue in QUEUES)
    assert queue_counts(requester.user) == dict.fromkeys(QUEUES, 0)


def test_an_unknown_queue_is_refused(work, desk_agent):
    with pytest.raises(ValueError, match="unknown queue"):
        desk_queue(desk_agent.user, queue="everything")


def test_the_queues_filter_on_kwis_department_and_priority(org, requester, colleague, desk_agent):
    printer = storing(org, requester)  # S, ICT, P4
    wish = factories.ticket(requester=colleague, item=org.items["FAC-OVERIG"], kwis="W")
    complaint = factories.ticket(
        requester=colleague,
        item=org.items["FAC-OVERIG"],
        kwis="K",
        impact=Impact.HIGH,
        urgency=Urgency.HIGH,
    )

    assert in_queue(desk_agent, "unassigned", kwis="W") == {wish.number}
    assert in_queue(desk_agent, "unassigned", kwis="S") == {printer.number}
    assert in_queue(desk_agent, "unassigned", department="FAC") == {wish.number, complaint.number}
    assert in_queue(desk_agent, "unassigned", department="ICT") == {printer.number}
    assert in_queue(desk_agent, "unassigned", priority=1) == {complaint.number}
    assert in_queue(desk_agent, "unassigned", department="FAC", kwis="K") == {complaint.number}
    assert in_queue(desk_agent, "unassigned", department="FAC", priority=4) == {wish.number}
    assert in_queue(desk_agent, "unassigned", department="ICT", kwis="W") == set()


@pytest.fixture
def three_questions(org, requester, colleague, desk_agent):
    """Three questions without a product, so each priority brings its own norm: a P3 first, a P5
    an hour later, a P1 five days later; the P5 is edited last. Every sort orders them differently.
    """
    first = factories.ticket(
        requester=requester, subject="Eerste", impact=Impact.MEDIUM, urgency=Urgency.MEDIUM, now=NOW
    )
    second = factories.ticket(
        requester=colleague,
        subject="Tweede",
        impact=Impact.LOW,
        urgency=Urgency.LOW,
        now=NOW + timedelta(hours=1),
    )
    third = factories.ticket(
        requester=requester,
        subject="Derde",
        impact=Impact.HIGH,
        urgency=Urgency.HIGH,
        now=NOW + timedelta(days=5),
    )
    update_ticket(
        ticket=second, actor=desk_agent, changes={"subject": "Tweede, aangevuld"}, now=NOW + timedelta(days=6)
    )
    return {"first": first.number, "second": second.number, "third": third.number}


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("updated", ["second", "third", "first"]),
        ("oldest", ["first", "second", "third"]),
        ("newest", ["third", "second", "first"]),
        ("priority", ["third", "first", "second"]),
        ("due", ["first", "third", "second"]),
    ],
)
def test_the_queues_sort_as_asked(three_questions, desk_agent, sort, order):
    assert numbers(desk_queue(desk_agent.user, queue="unassigned", sort=sort)) == [
        three_questions[name] for name in order
    ]


# ---------------------------------------------------------------- register_contact


def test_a_phone_call_registered_by_the_desk_is_a_phone_ticket(org, requester, desk_agent):
    ticket = register_contact(
        requester=requester,
        actor=desk_agent,
        channel=Channel.PHONE,
        subject="Wachtwoord verlopen",
        catalog_item=org.items["ICT-STORING"],
        now=NOW,
    )

    assert ticket.channel == Channel.PHONE
    assert ticket.requester == requester
    assert ticket.created_by == desk_agent
    assert ticket.status == Status.NEW
    assert ticket.team == org.ict_team
    assert not ticket.solved_at_first_contact
    assert history(ticket) == [("created", "", "", ticket.number, desk_agent.full_name)]


def test_a_call_solved_during_the_contact_is_closed_at_once_and_counted(org, requester, desk_agent):
    ticket = register_contact(
        requester=requester,
        actor=desk_agent,
        channel=Channel.PHONE,
        subject="Wachtwoord verlopen",
        catalog_item=org.items["ICT-STORING"],
        solved_resolution="Wachtwoord opnieuw ingesteld.",
        now=NOW,
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert ticket.solved_at_first_contact is True
    assert ticket.resolution == "Wachtwoord opnieuw ingesteld."
    assert ticket.closed_at == ticket.resolved_at == NOW
    assert history(ticket) == [
        ("created", "", "", ticket.number, desk_agent.full_name),
        ("status", "status", "new", "resolved", desk_agent.full_name),
        ("changed", "resolution", "", "Wachtwoord opnieuw ingesteld.", desk_agent.full_name),
        ("status", "status", "resolved", "closed", desk_agent.full_name),
    ]
    assert announced(ticket) == ["ticket.created", "ticket.resolved", "ticket.closed"]


def test_the_desk_can_register_an_hr_question_it_answered_at_once(org, requester, desk_agent):
    ticket = register_contact(
        requester=requester,
        actor=desk_agent,
        channel=Channel.PHONE,
        subject="Hoeveel verlofuren heb ik nog?",
        catalog_item=org.items["HRM-VERLOF"],
        kwis="I",
        solved_resolution="Saldo opgezocht in het personeelssysteem en doorgegeven.",
        now=NOW,
    )

    ticket.refresh_from_db()
    assert ticket.confidential
    assert (ticket.status, ticket.solved_at_first_contact) == (Status.CLOSED, True)


@pytest.mark.parametrize("resolution", ["", "   "])
def test_solved_at_first_contact_needs_a_resolution(org, requester, desk_agent, resolution):
    with pytest.raises(DomainError, match="Geef aan hoe de vraag direct is opgelost") as refused:
        register_contact(
            requester=requester,
            actor=desk_agent,
            channel=Channel.PHONE,
            subject="Wachtwoord verlopen",
            solved_resolution=resolution,
        )

    assert refused.value.field == "resolution"
    assert not Ticket.objects.exists()


def test_an_employee_cannot_register_a_contact(org, requester, colleague):
    with pytest.raises(PermissionDenied):
        register_contact(requester=colleague, actor=requester, channel=Channel.EMAIL, subject="Namens Bert")

    assert not Ticket.objects.exists()


# ---------------------------------------------------------------- merge_tickets


@pytest.fixture
def duplicate(org, colleague):
    return factories.ticket(
        requester=colleague,
        item=org.items["ICT-STORING"],
        subject="Printer 3e verdieping",
        description="Hij geeft papierstoring.",
        now=NOW,
    )


@pytest.fixture
def original(org, requester):
    return storing(org, requester, subject="Printer doet niets", now=NOW)


def test_a_merged_duplicate_is_closed_into_the_ticket_that_carries_on(
    duplicate, original, desk_agent, colleague
):
    later = NOW + timedelta(hours=1)

    merged = merge_tickets(duplicate=duplicate, into=original, actor=desk_agent, now=later)

    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert merged.pk == duplicate.pk
    assert duplicate.status == Status.CLOSED
    assert duplicate.merged_into == original
    assert (
        duplicate.resolution
        == f"Dit is dezelfde vraag als melding {original.number}; we behandelen hem daar."
    )
    assert original.status == Status.NEW  # carries on
    note = Comment.objects.get(ticket=original)
    assert note.visibility == Comment.Visibility.INTERNAL
    assert note.author == desk_agent
    assert duplicate.number in note.body
    assert colleague.full_name in note.body
    assert "Printer 3e verdieping" in note.body
    assert "Hij geeft papierstoring." in note.body
    assert ("merged", "merged_into", "", original.number, desk_agent.full_name) in history(duplicate)
    assert ("merged", "merged", "", duplicate.number, desk_agent.full_name) in history(original)
    assert history(duplicate)[-1] == ("status", "status", "resolved", "closed", desk_agent.full_name)
    assert "ticket.resolved" in announced(duplicate)  # the duplicate's requester is told where it went


def test_a_ticket_cannot_be_merged_with_itself(original, desk_agent):
    with pytest.raises(DomainError) as refused:
        merge_tickets(duplicate=original, into=original, actor=desk_agent)

    assert refused.value.code == "merge_self"
    original.refresh_from_db()
    assert original.status == Status.NEW
    assert len(history(original)) == 1


@pytest.mark.parametrize("which", ["duplicate", "into"])
def test_a_closed_ticket_cannot_be_merged(duplicate, original, ict_agent, colleague, requester, which):
    closed = duplicate if which == "duplicate" else original
    close_ticket(
        ticket=mark_resolved(ticket=closed, actor=ict_agent, resolution="Opgelost."),
        actor=closed.requester,
    )
    closed.refresh_from_db()
    before = (history(duplicate), history(original))

    with pytest.raises(DomainError, match="Alleen openstaande meldingen kun je samenvoegen"):
        merge_tickets(duplicate=duplicate, into=original, actor=ict_agent)

    assert (history(duplicate), history(original)) == before
    assert not Comment.objects.exists()


def test_a_case_with_child_tasks_cannot_be_merged_away(org, duplicate, original, desk_agent):
    create_child_task(parent=duplicate, actor=desk_agent, team=org.fac_team, subject="Stroom controleren")
    duplicate.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        merge_tickets(duplicate=duplicate, into=original, actor=desk_agent)

    assert refused.value.code == "merge_case"
    assert str(refused.value) == "Deeltaken en zaken met deeltaken kun je niet samenvoegen."
    duplicate.refresh_from_db()
    assert duplicate.status == Status.NEW
    assert duplicate.merged_into is None


def test_an_agent_who_cannot_see_one_of_the_tickets_cannot_merge_them(org, requester, original, ict_agent):
    secret = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Ziekmelding")

    with pytest.raises(PermissionDenied):
        merge_tickets(duplicate=secret, into=original, actor=ict_agent)
    with pytest.raises(PermissionDenied):
        merge_tickets(duplicate=original, into=secret, actor=ict_agent)

    assert not Comment.objects.exists()
    assert {t.status for t in Ticket.objects.all()} == {Status.NEW}


# ---------------------------------------------------------------- link_tickets


def test_linked_tickets_show_each_other(duplicate, original, desk_agent):
    link_tickets(ticket=duplicate, other=original, actor=desk_agent, now=NOW)

    assert numbers(links_of(desk_agent.user, ticket=duplicate)) == [original.number]
    assert numbers(links_of(desk_agent.user, ticket=original)) == [duplicate.number]
    assert history(duplicate)[-1] == ("linked", "links", "", original.number, desk_agent.full_name)
    assert history(original)[-1] == ("linked", "links", "", duplicate.number, desk_agent.full_name)


def test_linking_twice_either_way_makes_one_link(duplicate, original, desk_agent, ict_agent):
    first = link_tickets(ticket=duplicate, other=original, actor=desk_agent)
    again = link_tickets(ticket=duplicate, other=original, actor=ict_agent)
    reverse = link_tickets(ticket=original, other=duplicate, actor=ict_agent)

    assert first == again == reverse
    assert TicketLink.objects.count() == 1
    assert numbers(links_of(desk_agent.user, ticket=original)) == [duplicate.number]
    assert [line[0] for line in history(original)].count("linked") == 1


def test_a_ticket_cannot_be_linked_to_itself(original, desk_agent):
    with pytest.raises(DomainError) as refused:
        link_tickets(ticket=original, other=original, actor=desk_agent)

    assert refused.value.code == "link_self"
    assert not TicketLink.objects.exists()


def test_a_link_to_a_confidential_ticket_is_not_shown_to_those_who_may_not_see_it(
    org, requester, original, hr_agent, ict_agent
):
    secret = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Ziekmelding")
    link_tickets(ticket=secret, other=original, actor=hr_agent)

    assert numbers(links_of(hr_agent.user, ticket=original)) == [secret.number]
    assert numbers(links_of(ict_agent.user, ticket=original)) == []


# ---------------------------------------------------------------- bulk_apply


def snapshot(ticket) -> tuple:
    ticket.refresh_from_db()
    return (
        ticket.status,
        ticket.team_id,
        ticket.assignee_id,
        ticket.resolution,
        ticket.version,
        history(ticket),
    )


def test_bulk_take_assigns_each_ticket_and_reports_the_one_it_could_not(org, requester, ict_agent):
    first, second = storing(org, requester), storing(org, requester)
    finished = mark_resolved(ticket=storing(org, requester), actor=ict_agent, resolution="Opgelost.")
    before = snapshot(finished)

    result = bulk_apply(tickets=[first, finished, second], actor=ict_agent, action="take")

    assert result.done == [first.number, second.number]
    assert result.skipped == [(finished.number, "Een afgeronde melding kan niet worden toegewezen.")]
    assert {t.assignee for t in Ticket.objects.filter(pk__in=[first.pk, second.pk])} == {ict_agent}
    assert snapshot(finished) == before


def test_bulk_assign_moves_each_ticket_to_the_team_and_reports_the_one_it_could_not(
    org, requester, desk_agent, ict_agent
):
    first, second = storing(org, requester), storing(org, requester)
    finished = mark_resolved(ticket=storing(org, requester), actor=ict_agent, resolution="Opgelost.")
    before = snapshot(finished)

    result = bulk_apply(
        tickets=[first, second, finished],
        actor=desk_agent,
        action="assign",
        team=org.ict_network,
        reason="Netwerkstoring",
    )

    assert result.done == [first.number, second.number]
    assert result.skipped == [(finished.number, "Een afgeronde melding kan niet worden toegewezen.")]
    for ticket in (first, second):
        ticket.refresh_from_db()
        assert ticket.team == org.ict_network
        assert [c.note for c in history_of(ticket) if c.field == "team"] == ["Netwerkstoring"]
    assert snapshot(finished) == before


def test_bulk_resolve_resolves_each_ticket_and_leaves_a_case_with_an_open_part_alone(
    org, requester, hr_agent, ict_agent
):
    first, second = storing(org, requester), storing(org, requester)
    case = storing(org, requester, subject="Nieuwe werkplek")
    create_child_task(parent=case, actor=ict_agent, team=org.fac_team, subject="Bureau plaatsen")
    case.refresh_from_db()
    before = snapshot(case)

    result = bulk_apply(
        tickets=[case, first, second], actor=ict_agent, action="resolve", resolution="Printers vervangen."
    )

    assert result.done == [first.number, second.number]
    assert result.skipped == [(case.number, "Deze melding heeft nog 1 openstaande deeltaak.")]
    for ticket in (first, second):
        ticket.refresh_from_db()
        assert (ticket.status, ticket.resolution) == (Status.RESOLVED, "Printers vervangen.")
    assert snapshot(case) == before


def test_bulk_resolve_without_a_resolution_changes_nothing(org, requester, ict_agent):
    ticket = storing(org, requester)
    before = snapshot(ticket)

    with pytest.raises(DomainError) as refused:
        bulk_apply(tickets=[ticket], actor=ict_agent, action="resolve", resolution="  ")

    assert refused.value.field == "resolution"
    assert snapshot(ticket) == before


def test_a_bulk_action_on_a_ticket_the_agent_may_not_work_on_is_reported_not_done(org, requester, ict_agent):
    secret = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Ziekmelding")
    ticket = storing(org, requester)
    before = snapshot(secret)

    result = bulk_apply(tickets=[secret, ticket], actor=ict_agent, action="resolve", resolution="Klaar.")

    assert result.done == [ticket.number]
    assert result.skipped == [(secret.number, "Je mag deze melding niet wijzigen.")]
    assert snapshot(secret) == before
