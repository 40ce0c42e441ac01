"""The life of a ticket: every change is allowed or refused with a clear message, and every
change that happens is in the ticket's history (who, what, from which value to which)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from loket.core.errors import DomainError, PermissionDenied
from loket.core.models import OutboxMessage
from loket.tickets.models import Channel, Impact, Priority, Status, Ticket, Urgency
from loket.tickets.selectors import history_of
from loket.tickets.services import (
    add_attachment,
    add_comment,
    assign_ticket,
    change_status,
    close_ticket,
    create_child_task,
    create_ticket,
    mark_resolved,
    reopen_ticket,
    update_ticket,
)
from tests import factories

NOW = factories.A_MONDAY_MORNING


def history(ticket) -> list[tuple]:
    """The history as the desk reads it: action, field, old -> new, by whom (without the SLA
    clock's lines, which loket/sla/tests check)."""
    return [
        (c.action, c.field, c.old_value, c.new_value, c.actor.full_name if c.actor else None)
        for c in history_of(ticket).exclude(action="clock")
    ]


def announced(ticket) -> list[str]:
    """What Loket will tell the world about this ticket (mail, webhooks), in order."""
    return list(
        OutboxMessage.objects.filter(payload__ticket_id=ticket.pk)
        .order_by("id")
        .values_list("topic", flat=True)
    )


@pytest.fixture
def storing(org, requester):
    """A disruption reported in the portal, routed to ICT workplace management."""
    return factories.ticket(
        requester=requester, item=org.items["ICT-STORING"], subject="Printer doet niets", now=NOW
    )


def resolved(ticket, agent):
    return mark_resolved(ticket=ticket, actor=agent, resolution="Printer opnieuw gestart.", now=NOW)


# ---------------------------------------------------------------- registering


def test_registering_a_ticket_is_the_first_line_of_its_history(storing, requester):
    assert history(storing) == [("created", "", "", storing.number, requester.full_name)]
    assert storing.status == Status.NEW
    assert announced(storing) == ["ticket.created"]


def test_a_ticket_is_routed_to_the_team_of_its_product(storing, org):
    assert storing.department == org.ict
    assert storing.team == org.ict_team
    assert storing.kwis == "S"


def test_the_desk_registers_a_phone_call_on_behalf_of_the_caller(org, requester, desk_agent):
    ticket = create_ticket(
        requester=requester,
        actor=desk_agent,
        subject="Wachtwoord verlopen",
        channel=Channel.PHONE,
        catalog_item=org.items["ICT-STORING"],
    )

    assert ticket.requester == requester
    assert ticket.created_by == desk_agent
    assert history(ticket)[0][-1] == desk_agent.full_name


def test_only_the_desk_registers_phone_tickets(org, requester):
    with pytest.raises(
        PermissionDenied, match="Alleen de servicedesk registreert telefoon- en baliemeldingen"
    ):
        create_ticket(requester=requester, actor=requester, subject="Bellen", channel=Channel.PHONE)


@pytest.mark.parametrize("subject", ["", "   "])
def test_a_ticket_needs_a_subject(org, requester, subject):
    with pytest.raises(DomainError, match="Geef de melding een onderwerp"):
        factories.ticket(requester=requester, subject=subject or " ")


def test_a_subject_of_more_than_200_characters_is_refused(org, requester):
    with pytest.raises(DomainError, match="maximaal 200 tekens"):
        factories.ticket(requester=requester, subject="x" * 201)


def test_the_request_form_must_be_filled_in(org, requester):
    laptop = org.items["ICT-LAPTOP-NEW"]

    with pytest.raises(DomainError, match="Vul 'Reden van de aanvraag' in") as missing:
        factories.ticket(requester=requester, item=laptop, form_answers={})
    with pytest.raises(DomainError, match="Kies bij 'Reden van de aanvraag' een van de mogelijkheden"):
        factories.ticket(requester=requester, item=laptop, form_answers={"reden": "zomaar"})
    ticket = factories.ticket(requester=requester, item=laptop, form_answers={"reden": " defect "})

    assert missing.value.field == "reden"
    assert ticket.form_answers == {"reden": "defect"}


def test_a_kwis_type_the_product_does_not_allow_is_refused(org, requester):
    with pytest.raises(DomainError, match="Voor 'Storing melden' kun je geen wens melden"):
        factories.ticket(requester=requester, item=org.items["ICT-STORING"], kwis="W")


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [
        (Impact.HIGH, Urgency.HIGH, Priority.CRITICAL),
        (Impact.HIGH, Urgency.MEDIUM, Priority.HIGH),
        (Impact.MEDIUM, Urgency.HIGH, Priority.HIGH),
        (Impact.MEDIUM, Urgency.MEDIUM, Priority.MEDIUM),
        (Impact.LOW, Urgency.HIGH, Priority.MEDIUM),
        (Impact.LOW, Urgency.MEDIUM, Priority.LOW),
        (Impact.LOW, Urgency.LOW, Priority.PLANNED),
    ],
)
def test_the_priority_follows_from_impact_and_urgency(org, requester, impact, urgency, priority):
    ticket = factories.ticket(requester=requester, impact=impact, urgency=urgency)

    assert ticket.priority == priority


# ---------------------------------------------------------------- numbers and the outbox


def test_ticket_numbers_are_readable_and_unique(org, requester):
    numbers = [factories.ticket(requester=requester, now=factories.A_MONDAY_MORNING).number for _ in range(3)]

    assert numbers == ["M2026-000001", "M2026-000002", "M2026-000003"]


def test_the_ticket_number_year_is_the_year_in_the_netherlands(org, requester):
    """Half past midnight on New Year's Day in Amsterdam is still the old year in UTC."""
    new_years_night = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)

    assert factories.ticket(requester=requester, now=new_years_night).number == "M2026-000001"


def test_numbering_starts_again_each_year(org, requester):
    factories.ticket(requester=requester, now=datetime(2025, 6, 1, 9, tzinfo=UTC))
    factories.ticket(requester=requester, now=datetime(2025, 6, 2, 9, tzinfo=UTC))

    first_of_2026 = factories.ticket(requester=requester, now=datetime(2026, 1, 5, 9, tzinfo=UTC))

    assert first_of_2026.number == "M2026-000001"


def test_creating_a_ticket_leaves_a_message_in_the_outbox(org, requester):
    ticket = factories.ticket(requester=requester, now=factories.A_MONDAY_MORNING)

    message = OutboxMessage.objects.get()
    assert message.topic == "ticket.created"
    assert message.payload["ticket_id"] == ticket.pk
    assert message.payload["number"] == ticket.number
    assert message.payload["status"] == "new"
    assert message.created_at == message.available_at == factories.A_MONDAY_MORNING
    assert message.sent_at is None


def test_a_rolled_back_ticket_leaves_nothing_in_the_outbox_and_no_number_used(org, requester):
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.ticket(requester=requester, now=factories.A_MONDAY_MORNING)
        raise RuntimeError("crash before commit")

    assert not Ticket.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert factories.ticket(requester=requester, now=factories.A_MONDAY_MORNING).number == "M2026-000001"


def test_when_the_outbox_cannot_be_written_the_ticket_is_not_registered(org, requester, monkeypatch):
    def outbox_down(*args, **kwargs):
        raise ConnectionError("outbox unavailable")

    monkeypatch.setattr("loket.core.services.enqueue", outbox_down)

    with pytest.raises(ConnectionError):
        factories.ticket(requester=requester)

    assert not Ticket.objects.exists()


# ---------------------------------------------------------------- reclassifying


def test_reclassifying_records_each_changed_field_and_the_recomputed_priority(storing, ict_agent):
    later = NOW + timedelta(minutes=5)
    ticket = update_ticket(
        ticket=storing,
        actor=ict_agent,
        changes={"impact": Impact.HIGH, "urgency": Urgency.HIGH, "subject": "Alle printers doen niets"},
        now=later,
    )

    assert ticket.priority == Priority.CRITICAL
    assert ticket.subject == "Alle printers doen niets"
    assert history(ticket)[1:] == [
        ("changed", "impact", "3", "1", ict_agent.full_name),
        ("changed", "urgency", "2", "1", ict_agent.full_name),
        ("changed", "subject", "Printer doet niets", "Alle printers doen niets", ict_agent.full_name),
        ("changed", "priority", "4", "1", ict_agent.full_name),
    ]
    assert ticket.updated_at == later
    assert announced(ticket) == ["ticket.created", "ticket.updated"]


def test_moving_a_ticket_to_a_product_of_another_department_moves_its_department(storing, org, desk_agent):
    ticket = update_ticket(
        ticket=storing, actor=desk_agent, changes={"catalog_item": org.items["FAC-OVERIG"], "kwis": "S"}
    )

    assert ticket.department == org.fac
    assert ("changed", "department", str(org.ict), str(org.fac), desk_agent.full_name) in history(ticket)


def test_making_a_ticket_confidential_is_recorded(storing, ict_agent):
    ticket = update_ticket(ticket=storing, actor=ict_agent, changes={"confidential": True})

    change = history_of(ticket).last()
    assert (change.field_label, change.old_label, change.new_label) == ("vertrouwelijk", "nee", "ja")
    assert change.actor == ict_agent


def test_an_update_that_changes_nothing_leaves_no_trace(storing, ict_agent):
    ticket = update_ticket(ticket=storing, actor=ict_agent, changes={"subject": "Printer doet niets"})

    assert len(history(ticket)) == 1
    assert ticket.version == storing.version
    assert announced(ticket) == ["ticket.created"]


def test_a_requester_cannot_reclassify_their_own_ticket(storing, requester):
    with pytest.raises(PermissionDenied, match="Je mag deze melding niet wijzigen"):
        update_ticket(ticket=storing, actor=requester, changes={"impact": Impact.HIGH})


def test_only_classification_fields_can_be_changed_directly(storing, ict_agent):
    with pytest.raises(DomainError, match="Dit veld kan niet worden gewijzigd: status"):
        update_ticket(ticket=storing, actor=ict_agent, changes={"status": Status.CLOSED})


def test_reclassifying_to_a_kwis_type_the_product_does_not_allow_is_refused(storing, ict_agent):
    with pytest.raises(DomainError, match="Voor 'Storing melden' kun je geen klacht melden"):
        update_ticket(ticket=storing, actor=ict_agent, changes={"kwis": "K"})

    assert len(history(storing)) == 1


def test_an_unknown_kwis_type_is_refused_with_a_message_when_reclassifying(storing, ict_agent):
    with pytest.raises(DomainError, match="Kies een KWIS-soort"):
        update_ticket(ticket=storing, actor=ict_agent, changes={"kwis": "X"})


def test_a_subject_of_more_than_200_characters_is_refused_when_reclassifying(storing, ict_agent):
    with pytest.raises(DomainError, match="maximaal 200 tekens"):
        update_ticket(ticket=storing, actor=ict_agent, changes={"subject": "x" * 201})


# ---------------------------------------------------------------- assigning


def test_assigning_a_team_member_is_recorded(storing, ict_agent, desk_agent):
    ticket = assign_ticket(ticket=storing, actor=desk_agent, assignee=ict_agent)

    assert ticket.assignee == ict_agent
    assert history(ticket)[-1] == ("changed", "assignee", "", ict_agent.full_name, desk_agent.full_name)


def test_a_transfer_to_another_team_is_recorded_with_its_reason_and_leaves_the_person_open(
    storing, org, ict_agent
):
    ticket = assign_ticket(ticket=storing, actor=ict_agent, assignee=ict_agent)
    ticket = assign_ticket(ticket=ticket, actor=ict_agent, team=org.ict_network, reason="Netwerkprobleem")

    assert ticket.team == org.ict_network
    assert ticket.assignee is None
    changes = [c for c in history_of(ticket) if c.note]
    assert [(c.field, c.old_value, c.new_value, c.note) for c in changes] == [
        ("team", "Werkplekbeheer", "Netwerkbeheer", "Netwerkprobleem"),
        ("assignee", ict_agent.full_name, "", "Netwerkprobleem"),
    ]


def test_the_assignee_must_be_a_member_of_the_team(storing, hr_agent, desk_agent):
    with pytest.raises(DomainError) as refused:
        assign_ticket(ticket=storing, actor=desk_agent, assignee=hr_agent)

    assert refused.value.code == "assignee_not_in_team"
    assert str(refused.value) == f"{hr_agent.full_name} is geen lid van team Werkplekbeheer."
    assert len(history(storing)) == 1


def test_assigning_a_person_to_a_ticket_without_a_team_asks_for_the_team_first(org, requester, desk_agent):
    question = factories.ticket(requester=requester, subject="Vraag zonder product")

    with pytest.raises(DomainError, match="Kies eerst een team"):
        assign_ticket(ticket=question, actor=desk_agent, assignee=desk_agent)


def test_a_closed_ticket_cannot_be_assigned(storing, ict_agent, requester, org):
    close_ticket(ticket=resolved(storing, ict_agent), actor=requester)

    with pytest.raises(DomainError, match="Een afgeronde melding kan niet worden toegewezen"):
        assign_ticket(ticket=storing, actor=ict_agent, team=org.ict_network)


# ---------------------------------------------------------------- status


def test_status_changes_are_recorded_with_the_old_and_new_status(storing, ict_agent):
    ticket = change_status(ticket=storing, actor=ict_agent, to=Status.IN_PROGRESS)
    ticket = change_status(ticket=ticket, actor=ict_agent, to=Status.WAITING_CUSTOMER, note="Welk model?")

    assert ticket.status == Status.WAITING_CUSTOMER
    assert [(c.old_value, c.new_value, c.note) for c in history_of(ticket) if c.action == "status"] == [
        ("new", "in_progress", ""),
        ("in_progress", "waiting_customer", "Welk model?"),
    ]


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ([], Status.CLOSED, "Een melding met status 'nieuw' kan niet naar 'gesloten'."),
        ([], Status.REOPENED, "Een melding met status 'nieuw' kan niet naar 'heropend'."),
        ([Status.IN_PROGRESS], Status.IN_PROGRESS, "status 'in behandeling' kan niet naar 'in behandeling'"),
        ([Status.RESOLVED], Status.WAITING_CUSTOMER, "status 'gereed' kan niet naar 'wacht op klant'"),
        (
            [Status.RESOLVED, Status.CLOSED],
            Status.IN_PROGRESS,
            "status 'gesloten' kan niet naar 'in behandeling'",
        ),
        ([Status.RESOLVED, Status.CLOSED], Status.REOPENED, "status 'gesloten' kan niet naar 'heropend'"),
        ([], Status.NEW, "status 'nieuw' kan niet naar 'nieuw'"),
        ([], "archived", "Onbekende status: archived."),
    ],
)
def test_a_move_the_workflow_does_not_allow_is_refused_with_a_clear_message(
    storing, ict_agent, path, to, message
):
    ticket = storing
    for step in path:
        ticket = change_status(ticket=ticket, actor=ict_agent, to=step, note="Stap.")
    before = history(ticket)

    with pytest.raises(DomainError, match=re.escape(message)):
        change_status(ticket=ticket, actor=ict_agent, to=to, note="Toch maar.")

    assert history(ticket) == before


def test_the_requester_cannot_set_the_status_of_their_ticket(storing, requester):
    with pytest.raises(PermissionDenied):
        change_status(ticket=storing, actor=requester, to=Status.IN_PROGRESS)


# ---------------------------------------------------------------- resolving, reopening, closing


@pytest.mark.parametrize("resolution", ["", "  "])
def test_resolving_needs_a_resolution(storing, ict_agent, resolution):
    with pytest.raises(DomainError, match="Geef aan hoe de melding is opgelost"):
        mark_resolved(ticket=storing, actor=ict_agent, resolution=resolution)


def test_resolving_records_the_resolution_and_tells_the_requester(storing, ict_agent):
    ticket = resolved(storing, ict_agent)

    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at == NOW
    assert history(ticket)[1:] == [
        ("status", "status", "new", "resolved", ict_agent.full_name),
        ("changed", "resolution", "", "Printer opnieuw gestart.", ict_agent.full_name),
    ]
    assert announced(ticket)[-1] == "ticket.resolved"


def test_a_requester_cannot_resolve_their_own_ticket(storing, requester):
    with pytest.raises(PermissionDenied):
        mark_resolved(ticket=storing, actor=requester, resolution="Zelf opgelost.")


def test_a_case_with_open_child_tasks_cannot_be_resolved(org, requester, hr_agent, ict_agent):
    onboarding = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Nieuwe collega")
    laptop = create_child_task(
        parent=onboarding, actor=hr_agent, team=org.ict_team, subject="Laptop klaarzetten"
    )

    with pytest.raises(DomainError, match="Deze melding heeft nog 1 openstaande deeltaak"):
        mark_resolved(ticket=onboarding, actor=hr_agent, resolution="Alles geregeld.")

    mark_resolved(ticket=laptop, actor=ict_agent, resolution="Laptop staat klaar.")
    onboarding.refresh_from_db()
    assert onboarding.status == Status.RESOLVED  # gereed with its last part, told once
    assert onboarding.resolution == (
        f"Alle onderdelen zijn gereed:\n- {org.ict_team.name}, Laptop klaarzetten: Laptop staat klaar."
    )


def test_a_child_task_is_recorded_on_its_case_and_keeps_it_confidential(org, requester, hr_agent):
    onboarding = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Nieuwe collega")
    laptop = create_child_task(
        parent=onboarding, actor=hr_agent, team=org.ict_team, subject="Laptop klaarzetten"
    )

    assert laptop.confidential
    assert laptop.team == org.ict_team
    assert laptop.requester == requester
    assert history(onboarding)[-1] == ("child_added", "children", "", laptop.number, hr_agent.full_name)


def test_a_child_task_cannot_have_child_tasks_of_its_own(org, requester, hr_agent):
    case = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])
    child = create_child_task(parent=case, actor=hr_agent, team=org.hr_team, subject="Contract opstellen")

    with pytest.raises(DomainError, match="Een deeltaak kan zelf geen deeltaken hebben"):
        create_child_task(parent=child, actor=hr_agent, team=org.hr_team, subject="Nog dieper")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(storing, ict_agent, requester, reason):
    ticket = resolved(storing, ict_agent)

    with pytest.raises(DomainError, match="Geef aan waarom de melding nog niet is opgelost"):
        reopen_ticket(ticket=ticket, actor=requester, reason=reason)


def test_a_resolution_can_no_longer_be_reopened_after_the_reopen_period(
    storing, ict_agent, requester, settings
):
    settings.LOKET_REOPEN_DAYS = 14
    ticket = resolved(storing, ict_agent)

    with pytest.raises(DomainError, match="De termijn om deze melding te heropenen is voorbij"):
        reopen_ticket(ticket=ticket, actor=requester, reason="Toch niet goed.", now=NOW + timedelta(days=15))

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_the_requester_reopens_a_resolution_they_do_not_accept_and_it_counts_as_rework(
    storing, ict_agent, requester
):
    ticket = resolved(storing, ict_agent)
    ticket = reopen_ticket(
        ticket=ticket, actor=requester, reason="Hij print nog steeds niet.", now=NOW + timedelta(days=1)
    )

    assert ticket.status == Status.REOPENED
    assert ticket.reopen_count == 1
    assert ticket.resolved_at is None
    last = history_of(ticket).exclude(action="clock").last()
    assert (last.old_value, last.new_value, last.note, last.actor) == (
        "resolved",
        "reopened",
        "Hij print nog steeds niet.",
        requester,
    )
    assert announced(ticket)[-1] == "ticket.reopened"

    ticket = resolved(ticket, ict_agent)
    ticket = reopen_ticket(ticket=ticket, actor=requester, reason="Weer niet.", now=NOW + timedelta(days=2))
    assert ticket.reopen_count == 2


def test_a_colleague_cannot_reopen_someone_elses_ticket(storing, ict_agent, colleague):
    ticket = resolved(storing, ict_agent)

    with pytest.raises(PermissionDenied, match="Je mag deze melding niet heropenen"):
        reopen_ticket(ticket=ticket, actor=colleague, reason="Ik vind van niet.")


def test_the_requester_accepts_a_resolution_by_closing_the_ticket(storing, ict_agent, requester):
    ticket = close_ticket(ticket=resolved(storing, ict_agent), actor=requester, now=NOW + timedelta(days=1))

    assert ticket.status == Status.CLOSED
    assert ticket.closed_at == NOW + timedelta(days=1)
    assert history(ticket)[-1] == ("status", "status", "resolved", "closed", requester.full_name)
    assert announced(ticket)[-1] == "ticket.closed"


def test_when_the_acceptance_period_ends_loket_closes_the_ticket_itself(storing, ict_agent):
    ticket = close_ticket(ticket=resolved(storing, ict_agent), actor=None)

    assert history(ticket)[-1] == ("status", "status", "resolved", "closed", None)


def test_a_colleague_cannot_close_someone_elses_ticket(storing, ict_agent, colleague):
    ticket = resolved(storing, ict_agent)

    with pytest.raises(PermissionDenied):
        close_ticket(ticket=ticket, actor=colleague)


# ---------------------------------------------------------------- concurrency


def test_a_change_based_on_an_outdated_version_is_refused_as_a_conflict(storing, ict_agent, desk_agent):
    seen_version = storing.version
    update_ticket(
        ticket=storing, actor=ict_agent, changes={"urgency": Urgency.HIGH}, expected_version=seen_version
    )

    with pytest.raises(DomainError) as conflict:
        update_ticket(
            ticket=storing, actor=desk_agent, changes={"urgency": Urgency.LOW}, expected_version=seen_version
        )

    assert conflict.value.code == "conflict"
    assert f"Melding {storing.number} is intussen door iemand anders gewijzigd" in str(conflict.value)
    assert [c.actor for c in history_of(storing) if c.field == "urgency"] == [ict_agent]


@pytest.mark.parametrize("service", ["assign", "status", "resolve"])
def test_every_workflow_step_refuses_an_outdated_version(storing, org, ict_agent, service):
    outdated = storing.version
    add_comment(ticket=storing, actor=ict_agent, body="Ik pak hem op.")
    attempts = {
        "assign": lambda: assign_ticket(
            ticket=storing, actor=ict_agent, assignee=ict_agent, expected_version=outdated
        ),
        "status": lambda: change_status(
            ticket=storing, actor=ict_agent, to=Status.IN_PROGRESS, expected_version=outdated
        ),
        "resolve": lambda: mark_resolved(
            ticket=storing, actor=ict_agent, resolution="Klaar.", expected_version=outdated
        ),
    }

    with pytest.raises(DomainError) as conflict:
        attempts[service]()

    assert conflict.value.code == "conflict"


# ---------------------------------------------------------------- comments


def test_a_reply_is_in_the_history_and_the_requester_is_told(storing, ict_agent):
    comment = add_comment(ticket=storing, actor=ict_agent, body="  We komen vanmiddag langs.  ")

    assert comment.body == "We komen vanmiddag langs."
    assert history(storing)[-1] == ("commented", "public", "", str(comment.pk), ict_agent.full_name)
    assert announced(storing)[-1] == "ticket.commented"


def test_an_internal_note_is_in_the_history_but_not_announced(storing, ict_agent):
    add_comment(ticket=storing, actor=ict_agent, body="Toner bijbestellen.", internal=True)

    assert history(storing)[-1][:2] == ("commented", "internal")
    assert announced(storing) == ["ticket.created"]


def test_a_requester_cannot_post_an_internal_note(storing, requester):
    with pytest.raises(PermissionDenied, match="Je mag hier geen reactie plaatsen"):
        add_comment(ticket=storing, actor=requester, body="Stiekem.", internal=True)

    assert len(history(storing)) == 1


def test_an_empty_reply_is_refused(storing, requester):
    with pytest.raises(DomainError, match="Schrijf een reactie"):
        add_comment(ticket=storing, actor=requester, body=" \n ")


# ---------------------------------------------------------------- attachments

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_an_attachment_is_stored_and_in_the_history(storing, requester, media_root):
    attachment = add_attachment(
        ticket=storing, actor=requester, upload=SimpleUploadedFile("foutmelding.pdf", PDF)
    )

    assert attachment.filename == "foutmelding.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert (media_root / attachment.file.name).read_bytes() == PDF
    assert history(storing)[-1] == ("attached", "attachments", "", "foutmelding.pdf", requester.full_name)


def test_folders_in_an_uploaded_file_name_are_ignored(storing, requester, media_root):
    attachment = add_attachment(
        ticket=storing, actor=requester, upload=SimpleUploadedFile("../../../etc/notities.txt", b"hallo")
    )

    assert attachment.filename == "notities.txt"
    stored = (media_root / attachment.file.name).resolve()
    assert stored.is_relative_to(media_root.resolve())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "setup.exe",
            b"MZ\x90\x00",
            "Bestanden van het type 'exe' zijn niet toegestaan. Toegestaan: pdf, png",
        ),
        ("zonder-extensie", b"data", "Bestanden van het type '?' zijn niet toegestaan"),
        (".htaccess", b"Deny from all", "Het bestand heeft geen geldige naam."),
        ("leeg.txt", b"", "Het bestand is leeg."),
        (
            "factuur.pdf",
            b"<html>geen pdf</html>",
            "De inhoud van 'factuur.pdf' past niet bij het type 'pdf'.",
        ),
        ("foto.PNG", b"GIF89a....", "De inhoud van 'foto.PNG' past niet bij het type 'png'."),
    ],
)
def test_an_upload_of_the_wrong_kind_is_refused_with_a_clear_message(
    storing, requester, media_root, name, content, message
):
    with pytest.raises(DomainError) as refused:
        add_attachment(ticket=storing, actor=requester, upload=SimpleUploadedFile(name, content))

    assert message in str(refused.value)
    assert refused.value.field == "file"
    assert len(history(storing)) == 1
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))


def test_an_upload_over_the_size_limit_is_refused(storing, requester, media_root, settings):
    settings.LOKET_ATTACHMENT_MAX_BYTES = 1024 * 1024
    too_big = SimpleUploadedFile("scan.txt", b"x" * (1024 * 1024 + 1))
    just_right = SimpleUploadedFile("scan.txt", b"x" * (1024 * 1024))

    with pytest.raises(DomainError, match=r"Het bestand is te groot \(maximaal 1.0 MB\)"):
        add_attachment(ticket=storing, actor=requester, upload=too_big)
    assert add_attachment(ticket=storing, actor=requester, upload=just_right).size == 1024 * 1024


def test_a_requester_cannot_add_an_internal_attachment(storing, requester, media_root):
    with pytest.raises(PermissionDenied, match="Je mag hier geen bijlage toevoegen"):
        add_attachment(
            ticket=storing, actor=requester, upload=SimpleUploadedFile("a.txt", b"hallo"), internal=True
        )


def test_a_colleague_cannot_add_an_attachment_to_someone_elses_ticket(storing, colleague, media_root):
    with pytest.raises(PermissionDenied):
        add_attachment(ticket=storing, actor=colleague, upload=SimpleUploadedFile("a.txt", b"hallo"))


def test_a_very_long_file_name_is_shortened_but_keeps_its_extension(storing, requester, media_root):
    attachment = add_attachment(
        ticket=storing, actor=requester, upload=SimpleUploadedFile("verslag " * 40 + ".pdf", PDF)
    )

    assert len(attachment.filename) <= 200
    assert attachment.filename.endswith(".pdf")
    assert attachment.file.name.endswith(".pdf")


def test_a_transfer_to_another_departments_team_moves_the_ticket_to_that_department(storing, org, desk_agent):
    ticket = assign_ticket(
        ticket=storing, actor=desk_agent, team=org.fac_team, reason="Hoort bij gebouwbeheer"
    )

    assert ticket.department.code == "FAC"
    change = history_of(ticket).filter(field="department").get()
    assert (change.old_value, change.note) == (str(org.ict_team.department), "Hoort bij gebouwbeheer")


def test_a_resolution_nobody_responds_to_closes_after_the_reopen_period(storing, ict_agent, settings):
    from loket.tickets.services import close_expired_resolutions

    settings.LOKET_REOPEN_DAYS = 14
    ticket = resolved(storing, ict_agent)

    assert close_expired_resolutions(now=NOW + timedelta(days=13)) == 0
    assert close_expired_resolutions(now=NOW + timedelta(days=15)) == 1
    assert close_expired_resolutions(now=NOW + timedelta(days=16)) == 0

    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at) == (Status.CLOSED, NOW + timedelta(days=15))
