"""The service desk's pages as an agent uses them: the queues, one ticket with every action,
conflicts with a colleague, reply templates and the registration guide, intake of a call, and
bulk actions. Everyone else finds nothing here."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.tickets.models import Channel, Comment, Status, Ticket, TicketLink
from loket.tickets.selectors import history_of
from loket.tickets.services import (
    assign_ticket,
    create_child_task,
    ensure_reply_template,
    mark_resolved,
)
from tests import factories


def logged_in(client, employee):
    client.force_login(employee.user)
    return client


def url(ticket, action: str | None = None) -> str:
    return f"/desk/meldingen/{ticket.number}/" + (f"{action}/" if action else "")


def text(response) -> str:
    return response.content.decode()


def field(page: str, name: str) -> str:
    """The value a form on the page would send for a hidden or text input (the first one)."""
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    assert match, f"no input {name!r} on the page"
    return html.unescape(match.group(1))


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert match, f"no textarea {name!r} on the page"
    return html.unescape(match.group(1))


def form_state(client, ticket) -> dict:
    """What the ticket page's forms carry: the version seen and when the page was loaded."""
    page = text(client.get(url(ticket)))
    return {"version": field(page, "version"), "seen_at": field(page, "seen_at")}


def storing(org, requester, subject="Printer doet niets", **kwargs):
    return factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject=subject, **kwargs)


@pytest.fixture
def desk(client, desk_agent):
    return logged_in(client, desk_agent)


@pytest.fixture
def printer(org, requester):
    return storing(org, requester)


# ---------------------------------------------------------------- who may enter


@pytest.mark.parametrize("path", ["/desk/", "/desk/aanmelden/", "own-ticket"])
def test_an_employee_without_a_team_finds_nothing_at_the_desk(client, printer, requester, path):
    path = url(printer) if path == "own-ticket" else path

    response = logged_in(client, requester).get(path)

    assert response.status_code == 404


def test_an_employee_cannot_register_a_contact_by_posting_either(client, requester, colleague):
    response = logged_in(client, requester).post(
        "/desk/aanmelden/",
        {"requester": colleague.employee_number, "channel": "phone", "subject": "Namens Bert"},
    )

    assert response.status_code == 404
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("path", ["/desk/", "/desk/aanmelden/", "/desk/meldingen/M2026-000001/"])
def test_anonymous_visitors_are_asked_to_log_in(db, client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/inloggen/?next={path}"


# ---------------------------------------------------------------- the queue page


def test_the_queue_page_lists_tickets_with_links_and_shows_the_counts(org, desk, requester, ict_agent):
    first = storing(org, requester, subject="Printer doet niets")
    second = factories.ticket(requester=requester, item=org.items["FAC-OVERIG"], subject="Lamp kapot")
    taken = assign_ticket(
        ticket=storing(org, requester, subject="Scherm flikkert"), actor=ict_agent, assignee=ict_agent
    )

    page = text(desk.get("/desk/"))

    assert f'href="/desk/meldingen/{first.number}/"' in page
    assert f'href="/desk/meldingen/{second.number}/"' in page
    assert "Printer doet niets" in page and "Lamp kapot" in page
    assert taken.number not in page  # assigned: not in "niet toegewezen"
    assert re.search(r'wachtrij=unassigned"[^>]*>Niet toegewezen <span class="loket-count">2</span>', page)
    assert re.search(r'wachtrij=team"[^>]*>Mijn teams <span class="loket-count">3</span>', page)
    assert re.search(r'wachtrij=mine"[^>]*>Van mij <span class="loket-count">0</span>', page)


def test_a_queue_is_chosen_filtered_and_sorted_through_the_address(org, desk, requester, colleague):
    printer = storing(org, requester, subject="Printer doet niets")
    wish = factories.ticket(
        requester=colleague, item=org.items["FAC-OVERIG"], kwis="W", subject="Extra bureau"
    )

    fac_only = text(desk.get("/desk/", {"wachtrij": "team", "afdeling": "FAC", "sorteer": "oldest"}))
    wishes = text(desk.get("/desk/", {"kwis": "W"}))

    assert wish.number in fac_only and printer.number not in fac_only
    assert wish.number in wishes and printer.number not in wishes


def test_an_htmx_refresh_gets_only_the_table(org, desk, requester):
    ticket = storing(org, requester)

    response = desk.get("/desk/", {"wachtrij": "unassigned"}, headers={"HX-Request": "true"})

    fragment = text(response)
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<div class="loket-table-wrap"')
    assert f'href="/desk/meldingen/{ticket.number}/"' in fragment
    assert "<html" not in fragment
    assert "Werkvoorraad" not in fragment
    assert 'id="bulk-form"' not in fragment


def fill_queue(org, requester, colleague, ict_agent, count: int) -> None:
    """Tickets for several teams and people, some with a handler, each with its own SLA clock."""
    for n in range(count):
        if n % 3 == 0:
            ticket = storing(org, requester, subject=f"Storing {n}")
            assign_ticket(ticket=ticket, actor=ict_agent, assignee=ict_agent)
        elif n % 3 == 1:
            factories.ticket(requester=colleague, item=org.items["FAC-OVERIG"], subject=f"Vraag {n}")
        else:
            factories.ticket(requester=factories.employee(first_name=f"Klant{n}"), subject=f"Los {n}")


@pytest.mark.parametrize("htmx", [False, True])
def test_the_queue_page_takes_the_same_few_queries_for_50_rows_as_for_5(
    org, client, requester, colleague, ict_agent, desk_agent, django_assert_max_num_queries, htmx
):
    headers = {"HX-Request": "true"} if htmx else {}
    fill_queue(org, requester, colleague, ict_agent, 5)
    logged_in(client, desk_agent)
    with CaptureQueriesContext(connection) as few:
        small = client.get("/desk/", {"wachtrij": "team"}, headers=headers)
    fill_queue(org, requester, colleague, ict_agent, 45)
    cache.clear()  # the counts are kept for a few seconds: count them again, as the first page did

    with django_assert_max_num_queries(10) as many:
        full = client.get("/desk/", {"wachtrij": "team"}, headers=headers)

    assert text(small).count('href="/desk/meldingen/') == 5
    assert text(full).count('href="/desk/meldingen/') == 50
    assert len(many) == len(few)


# ---------------------------------------------------------------- one ticket


def test_the_desk_routes_a_question_to_its_own_team_and_takes_it(org, desk, desk_agent, requester):
    question = factories.ticket(requester=requester, subject="Vraag zonder product")

    routed = desk.post(url(question, "assign"), {**form_state(desk, question), "team": org.servicedesk.pk})
    state = form_state(desk, question)
    taken = desk.post(
        url(question, "assign"),
        {**state, "team": org.servicedesk.pk, "assignee": desk_agent.employee_number},  # "Zelf oppakken"
    )

    assert routed.status_code == taken.status_code == 302
    assert taken["Location"] == url(question)
    question.refresh_from_db()
    assert (question.team, question.assignee) == (org.servicedesk, desk_agent)
    page = text(desk.get(url(question)))
    assert f"<dt>Behandelaar</dt><dd>{desk_agent.full_name}</dd>" in page
    assert f"Melding {question.number} is bijgewerkt." in page


def test_the_team_list_on_the_ticket_page_starts_with_the_servicedesk(org, desk, requester):
    question = factories.ticket(requester=requester, subject="Vraag zonder product")

    page = text(desk.get(url(question)))

    select = re.search(r'<select[^>]*name="team" id="id_team">(.*?)</select>', page, re.DOTALL).group(1)
    assert re.findall(r">([^<]+)</option>", select)[0] == "Servicedesk"


def test_a_ticket_is_transferred_to_another_team_with_a_reason(org, desk, printer):
    response = desk.post(
        url(printer, "assign"),
        {**form_state(desk, printer), "team": org.ict_network.pk, "reason": "Netwerkpunt defect"},
    )

    assert response.status_code == 302
    printer.refresh_from_db()
    assert printer.team == org.ict_network
    assert [c.note for c in history_of(printer) if c.field == "team"] == ["Netwerkpunt defect"]


def test_taking_a_ticket_of_a_team_you_are_not_in_is_refused_with_a_message(org, desk, desk_agent, printer):
    response = desk.post(
        url(printer, "assign"),
        {**form_state(desk, printer), "team": org.ict_team.pk, "assignee": desk_agent.employee_number},
    )

    assert response.status_code == 422
    assert f"{desk_agent.full_name} is geen lid van team Werkplekbeheer." in text(response)
    printer.refresh_from_db()
    assert printer.assignee is None


def test_the_desk_takes_a_back_office_ticket_it_sees_into_its_own_team(org, desk, desk_agent, printer):
    response = desk.post(
        url(printer, "assign"), {**form_state(desk, printer), "take": "1"}
    )  # "Zelf oppakken"

    assert response.status_code == 302
    printer.refresh_from_db()
    assert (printer.team, printer.assignee) == (org.servicedesk, desk_agent)


def test_an_unknown_employee_number_is_refused_with_a_message(org, desk, printer):
    response = desk.post(
        url(printer, "assign"), {**form_state(desk, printer), "team": org.ict_team.pk, "assignee": "X999"}
    )

    assert response.status_code == 422
    assert "Onbekend personeelsnummer: X999." in text(response)


def test_the_desk_changes_the_status_with_a_note(desk, printer):
    response = desk.post(
        url(printer, "status"), {**form_state(desk, printer), "to": "waiting_customer", "note": "Welk model?"}
    )

    assert response.status_code == 302
    printer.refresh_from_db()
    assert printer.status == Status.WAITING_CUSTOMER
    assert history_of(printer).filter(action="status").get().note == "Welk model?"


def test_gereed_melden_needs_a_resolution_and_says_so_in_dutch(desk, printer):
    response = desk.post(url(printer, "resolve"), {**form_state(desk, printer), "resolution": "  "})

    assert response.status_code == 422
    assert "Geef aan hoe de melding is opgelost." in text(response)
    printer.refresh_from_db()
    assert printer.status == Status.NEW


def test_gereed_melden_with_a_resolution(desk, printer):
    response = desk.post(
        url(printer, "resolve"), {**form_state(desk, printer), "resolution": "Printer opnieuw gestart."}
    )

    assert response.status_code == 302
    printer.refresh_from_db()
    assert (printer.status, printer.resolution) == (Status.RESOLVED, "Printer opnieuw gestart.")
    page = text(desk.get(url(printer)))
    assert "Printer opnieuw gestart." in page
    assert 'action="/desk/meldingen/' + printer.number + '/resolve/"' not in page  # no actions when done


def test_an_internal_note_is_saved_without_the_registration_guide(desk, desk_agent, printer):
    response = desk.post(url(printer, "comment"), {"body": "Toner bijbestellen.", "internal": "on"})

    assert response.status_code == 302
    note = Comment.objects.get(ticket=printer)
    assert (note.body, note.visibility, note.author) == (
        "Toner bijbestellen.",
        Comment.Visibility.INTERNAL,
        desk_agent,
    )
    assert "interne notitie" in text(desk.get(url(printer)))


def test_a_part_of_the_work_is_split_off_for_another_team(org, desk, printer):
    response = desk.post(url(printer, "split"), {"team": org.fac_team.pk, "subject": "Stopcontact vervangen"})

    assert response.status_code == 302
    assert response["Location"] == url(printer)
    part = Ticket.objects.get(parent=printer)
    assert (part.team, part.subject, part.requester) == (
        org.fac_team,
        "Stopcontact vervangen",
        printer.requester,
    )


HISTORY_LABEL_CRASH = (
    "TicketChange.field_label calls Ticket._meta.get_field() on the history field; for 'children' "
    "(a case's new part) and 'merged' (a duplicate merged into this ticket) that returns a reverse "
    "relation without verbose_name, so the desk's ticket page fails with a 500 instead of showing "
    "the label from _OTHER_FIELD_LABELS"
)


def test_the_page_of_a_split_case_lists_its_parts(org, desk, printer):
    desk.post(url(printer, "split"), {"team": org.fac_team.pk, "subject": "Stopcontact vervangen"})
    part = Ticket.objects.get(parent=printer)

    response = desk.get(url(printer))

    assert response.status_code == 200
    assert (
        f'href="/desk/meldingen/{part.number}/">{part.number}</a> Stopcontact vervangen: Gebouwbeheer'
        in text(response)
    )


def test_splitting_without_a_team_asks_for_the_team(desk, printer):
    response = desk.post(url(printer, "split"), {"team": "", "subject": "Stopcontact vervangen"})

    assert response.status_code == 422
    assert "Kies het team dat dit deel doet." in text(response)
    assert 'value="Stopcontact vervangen"' in text(response)
    assert not Ticket.objects.filter(parent=printer).exists()


def test_a_duplicate_is_merged_by_number(org, desk, colleague, printer):
    duplicate = storing(org, colleague, subject="Printer 2e verdieping", description="Papierstoring.")

    response = desk.post(url(duplicate, "merge"), {"other": f" {printer.number.lower()} "})

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Status.CLOSED, printer)
    assert "Papierstoring." in Comment.objects.get(ticket=printer).body
    page = text(desk.get(url(duplicate)))
    assert f'Samengevoegd met <a class="utrecht-link" href="/desk/meldingen/{printer.number}/">' in page


def test_the_ticket_that_carries_on_shows_the_merged_duplicate(org, desk, colleague, printer):
    duplicate = storing(org, colleague, subject="Printer 2e verdieping", description="Papierstoring.")
    desk.post(url(duplicate, "merge"), {"other": printer.number})

    response = desk.get(url(printer))

    assert response.status_code == 200
    assert f"samengevoegde melding: - → {duplicate.number}" in text(response)
    assert "Papierstoring." in text(response)


def test_tickets_are_linked_by_number_and_both_show_it(org, desk, requester, printer):
    other = storing(org, requester, subject="Scanner doet niets")

    response = desk.post(url(printer, "link"), {"other": other.number})

    assert response.status_code == 302
    assert TicketLink.objects.count() == 1
    assert f'href="/desk/meldingen/{other.number}/">{other.number}</a> Scanner doet niets' in text(
        desk.get(url(printer))
    )
    assert f'href="/desk/meldingen/{printer.number}/">{printer.number}</a> Printer doet niets' in text(
        desk.get(url(other))
    )


@pytest.mark.parametrize("action", ["link", "merge"])
def test_an_unknown_number_gets_a_clear_error_and_stays_in_the_box(desk, printer, action):
    response = desk.post(url(printer, action), {"other": "M2099-999999"})

    page = text(response)
    assert response.status_code == 422
    assert "Melding M2099-999999 bestaat niet of je mag hem niet zien." in page
    assert f'id="id_{action}_other" maxlength="20" value="M2099-999999"' in page
    printer.refresh_from_db()
    assert printer.status == Status.NEW
    assert not TicketLink.objects.exists()


def test_a_confidential_number_gets_the_same_error_as_an_unknown_one(org, desk, requester, printer):
    secret = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Ziekmelding")

    response = desk.post(url(printer, "link"), {"other": secret.number})

    assert response.status_code == 422
    assert f"Melding {secret.number} bestaat niet of je mag hem niet zien." in text(response)
    assert "Ziekmelding" not in text(response)


def test_a_confidential_ticket_of_another_team_is_not_found(org, desk, requester):
    secret = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Ziekmelding")

    assert desk.get(url(secret)).status_code == 404
    assert desk.post(url(secret, "comment"), {"body": "Even kijken.", "internal": "on"}).status_code == 404


# ---------------------------------------------------------------- conflicts


@pytest.fixture
def two_agents(client, desk_agent, ict_agent, printer):
    """Dewi at the desk and Ivo in the back office both have the printer ticket open."""
    from django.test import Client

    dewi, ivo = logged_in(client, desk_agent), logged_in(Client(), ict_agent)
    return dewi, form_state(dewi, printer), ivo, form_state(ivo, printer)


def conflict_section(page: str) -> str:
    match = re.search(r'<h2 class="utrecht-heading-2" id="conflict-changes">(.*?)</section>', page, re.DOTALL)
    assert match, "the page does not show what changed meanwhile"
    return match.group(1)


@pytest.mark.parametrize(
    ("action", "typed", "kept"),
    [
        ("status", {"to": "waiting_customer", "note": "Klant gebeld: welk model?"}, "note"),
        ("resolve", {"resolution": "Toner vervangen, printer werkt weer."}, "resolution"),
    ],
)
def test_a_change_on_an_outdated_page_shows_what_changed_and_keeps_what_was_typed(
    two_agents, printer, ict_agent, action, typed, kept
):
    dewi, dewi_saw, ivo, ivo_saw = two_agents
    assert ivo.post(url(printer, "status"), {**ivo_saw, "to": "in_progress"}).status_code == 302

    response = dewi.post(url(printer, action), {**dewi_saw, **typed})

    page = text(response)
    assert response.status_code == 409
    assert "Intussen gewijzigd" in page
    changes = conflict_section(page)
    assert ict_agent.full_name in changes
    assert "nieuw → in behandeling" in changes
    shown = field(page, kept) if kept == "note" else textarea(page, kept)
    assert shown == typed[kept]
    printer.refresh_from_db()
    assert (printer.status, printer.resolution) == (Status.IN_PROGRESS, "")
    assert [(c.old_value, c.new_value) for c in history_of(printer).filter(action="status")] == [
        ("new", "in_progress")
    ]
    assert field(page, "version") == str(printer.version)  # sending again now works


def test_after_a_conflict_the_agent_can_send_again_from_the_fresh_page(two_agents, printer):
    dewi, dewi_saw, ivo, ivo_saw = two_agents
    ivo.post(url(printer, "status"), {**ivo_saw, "to": "in_progress"})
    page = text(dewi.post(url(printer, "resolve"), {**dewi_saw, "resolution": "Toner vervangen."}))

    again = dewi.post(
        url(printer, "resolve"),
        {
            "version": field(page, "version"),
            "seen_at": field(page, "seen_at"),
            "resolution": "Toner vervangen.",
        },
    )

    assert again.status_code == 302
    printer.refresh_from_db()
    assert printer.status == Status.RESOLVED


# ---------------------------------------------------------------- replies, templates, the guide


def test_a_reply_template_fills_the_reply_box_with_the_tickets_details(desk, printer, requester):
    template = ensure_reply_template(
        name="Ontvangen",
        body="Beste {voornaam},\n\nWe hebben melding {nummer} ontvangen. Tot morgen.",
    )

    response = desk.post(url(printer, "template"), {"template": template.pk})

    assert response.status_code == 200
    assert textarea(text(response), "body") == (
        f"Beste {requester.first_name},\n\nWe hebben melding {printer.number} ontvangen. Tot morgen."
    )
    assert not Comment.objects.exists()


def test_a_template_of_another_team_is_neither_offered_nor_used(org, desk, printer):
    ensure_reply_template(name="Ontvangen", body="Beste {voornaam}, we gaan ermee aan de slag.")
    hr_only = ensure_reply_template(
        name="Verlof", body="Beste {voornaam}, je verlof is geregeld.", team=org.hr_team
    )

    offered = text(desk.get(url(printer)))
    response = desk.post(url(printer, "template"), {"template": hr_only.pk})

    assert "Ontvangen</option>" in offered
    assert "Verlof</option>" not in offered
    assert textarea(text(response), "body") == ""


def test_a_public_reply_against_the_registration_guide_is_held_back_with_its_warnings(desk, printer):
    response = desk.post(url(printer, "comment"), {"body": "De printer is kapot."})

    page = text(response)
    assert response.status_code == 422
    assert "Registratiegids: controleer je reactie" in page
    assert "Begin met een begroeting en de naam van de klant." in page
    assert "Vertel wat de volgende stap is en wanneer." in page
    assert textarea(page, "body") == "De printer is kapot."
    assert 'name="override_reason"' in page
    assert not Comment.objects.exists()


def test_with_a_reason_the_reply_goes_out_anyway_and_the_reason_is_kept(desk, printer):
    response = desk.post(
        url(printer, "comment"), {"body": "De printer is kapot.", "override_reason": "Klant belde zelf"}
    )

    assert response.status_code == 302
    reply = Comment.objects.get(ticket=printer)
    assert (reply.body, reply.visibility) == ("De printer is kapot.", Comment.Visibility.PUBLIC)
    assert "Klant belde zelf" in history_of(printer).filter(action="commented").get().note


# ---------------------------------------------------------------- intake


def test_the_caller_is_found_by_part_of_their_name_with_their_open_tickets(
    org, desk, requester, colleague, ict_agent
):
    storing(org, requester)
    mark_resolved(ticket=storing(org, requester), actor=ict_agent, resolution="Opgelost.")
    factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Ziekmelding")

    page = text(desk.get("/desk/medewerkers/", {"q": "jans"}))

    assert f'value="{requester.employee_number}"' in page
    assert "Anna Jansen" in page
    assert "1 open melding" in page  # not the resolved one, not the confidential one
    assert colleague.employee_number not in page


def test_a_search_without_matches_says_so(org, desk, requester):
    page = text(desk.get("/desk/medewerkers/", {"q": "Zzyzx"}))

    assert "Geen medewerker gevonden voor 'Zzyzx'." in page


def test_without_javascript_the_caller_is_found_by_employee_number(org, desk, requester, printer):
    response = desk.post(
        "/desk/aanmelden/", {"find": "1", "q": requester.employee_number, "subject": "Wachtwoord verlopen"}
    )

    page = text(response)
    assert response.status_code == 200
    assert f'name="requester" id="id_requester_{requester.employee_number}"' in page
    assert "Anna Jansen" in page
    assert 'value="Wachtwoord verlopen"' in page
    assert not Ticket.objects.exclude(pk=printer.pk).exists()


def test_a_chosen_caller_is_shown_with_their_open_tickets(org, desk, requester, printer):
    page = text(desk.post("/desk/aanmelden/", {"find": "1", "requester": requester.employee_number}))

    assert f'<input type="hidden" name="requester" value="{requester.employee_number}">' in page
    assert f'href="/desk/meldingen/{printer.number}/">{printer.number}</a> Printer doet niets' in page


def test_a_call_is_registered_and_the_agent_lands_on_the_ticket(org, desk, desk_agent, requester):
    response = desk.post(
        "/desk/aanmelden/",
        {
            "requester": requester.employee_number,
            "channel": "phone",
            "item": "ICT-STORING",
            "impact": "3",
            "urgency": "1",
            "subject": "Laptop start niet",
            "description": "Zwart scherm na het inloggen.",
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(ticket)
    assert (ticket.requester, ticket.created_by, ticket.channel) == (requester, desk_agent, Channel.PHONE)
    assert (ticket.catalog_item, ticket.team, ticket.status) == (
        org.items["ICT-STORING"],
        org.ict_team,
        Status.NEW,
    )
    assert (ticket.subject, ticket.description) == ("Laptop start niet", "Zwart scherm na het inloggen.")
    assert ticket.priority == 3  # low impact, high urgency
    assert not ticket.solved_at_first_contact


def test_a_call_solved_at_once_is_closed_and_counted(org, desk, requester):
    response = desk.post(
        "/desk/aanmelden/",
        {
            "requester": requester.employee_number,
            "channel": "walk_in",
            "item": "ICT-STORING",
            "subject": "Wachtwoord verlopen",
            "solved": "on",
            "resolution": "Wachtwoord opnieuw ingesteld.",
        },
        follow=True,
    )

    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.solved_at_first_contact) == (Status.CLOSED, True)
    assert (ticket.channel, ticket.resolution) == (Channel.WALK_IN, "Wachtwoord opnieuw ingesteld.")
    assert response.redirect_chain == [("/desk/aanmelden/", 302)]
    assert f"Melding {ticket.number} is geregistreerd en direct opgelost." in text(response)


def test_solved_at_once_without_a_resolution_asks_for_it_and_keeps_the_rest(org, desk, requester):
    response = desk.post(
        "/desk/aanmelden/",
        {
            "requester": requester.employee_number,
            "channel": "phone",
            "subject": "Wachtwoord verlopen",
            "solved": "on",
            "resolution": "",
        },
    )

    page = text(response)
    assert response.status_code == 422
    assert "Geef aan hoe de vraag direct is opgelost." in page
    assert 'value="Wachtwoord verlopen"' in page
    assert not Ticket.objects.exists()


def test_a_call_for_a_confidential_team_is_registered_and_the_agent_stays_at_intake(org, desk, requester):
    response = desk.post(
        "/desk/aanmelden/",
        {
            "requester": requester.employee_number,
            "channel": "phone",
            "item": "HRM-VERLOF",
            "kwis": "I",
            "subject": "Vraag over verlofsaldo",
        },
        follow=True,
    )

    ticket = Ticket.objects.get()
    assert (ticket.confidential, ticket.team) == (True, org.hr_team)
    assert response.redirect_chain == [("/desk/aanmelden/", 302)]
    assert f"Melding {ticket.number} is geregistreerd." in text(response)
    assert "Vraag over verlofsaldo" not in text(response)


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("requester", "Kies de medewerker die belt of aan de balie staat."),
        ("subject", "Geef de vraag een onderwerp."),
    ],
)
def test_a_call_without_caller_or_subject_is_sent_back_with_what_was_typed(
    org, desk, requester, missing, message
):
    typed = {
        "requester": requester.employee_number,
        "channel": "phone",
        "item": "FAC-OVERIG",
        "subject": "Lamp kapot in kamer 2.14",
        "description": "Flikkert al sinds maandag.",
    }
    typed[missing] = ""

    response = desk.post("/desk/aanmelden/", typed)

    page = text(response)
    assert response.status_code == 422
    assert message in page
    assert textarea(page, "description") == "Flikkert al sinds maandag."
    if missing != "subject":
        assert 'value="Lamp kapot in kamer 2.14"' in page
    assert '<option value="FAC-OVERIG" selected>' in page
    assert not Ticket.objects.exists()


# ---------------------------------------------------------------- bulk


def test_bulk_take_assigns_the_tickets_and_reports_the_one_it_could_not(org, client, requester, ict_agent):
    first, second = storing(org, requester), storing(org, requester)
    finished = mark_resolved(ticket=storing(org, requester), actor=ict_agent, resolution="Opgelost.")
    agent = logged_in(client, ict_agent)

    response = agent.post(
        "/desk/bulk/",
        {
            "tickets": [first.number, finished.number, second.number],
            "action": "take",
            "next": "/desk/?wachtrij=team",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/desk/?wachtrij=team"
    page = text(agent.get(response["Location"]))
    assert "2 meldingen bijgewerkt." in page
    assert f"{finished.number} overgeslagen: Een afgeronde melding kan niet worden toegewezen." in page
    assert "utrecht-alert--warning" in page
    assert set(Ticket.objects.filter(assignee=ict_agent).values_list("number", flat=True)) == {
        first.number,
        second.number,
    }
    finished.refresh_from_db()
    assert (finished.status, finished.assignee) == (Status.RESOLVED, None)


def test_bulk_goes_back_only_to_a_desk_page(org, client, requester, ict_agent):
    ticket = storing(org, requester)

    response = logged_in(client, ict_agent).post(
        "/desk/bulk/", {"tickets": [ticket.number], "action": "take", "next": "https://elders.example/"}
    )

    assert response["Location"] == "/desk/"


def test_bulk_cannot_reach_a_confidential_ticket_of_another_team(org, client, requester, ict_agent):
    secret = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Ziekmelding")
    agent = logged_in(client, ict_agent)

    response = agent.post(
        "/desk/bulk/", {"tickets": [secret.number], "action": "resolve", "resolution": "Klaar."}
    )

    assert "1 melding niet gevonden." in text(agent.get(response["Location"]))
    secret.refresh_from_db()
    assert secret.status == Status.NEW


def test_bulk_gereed_for_a_case_with_an_open_part_is_reported(org, client, requester, ict_agent):
    case = storing(org, requester, subject="Nieuwe werkplek")
    create_child_task(parent=case, actor=ict_agent, team=org.fac_team, subject="Bureau plaatsen")
    plain = storing(org, requester)
    agent = logged_in(client, ict_agent)

    response = agent.post(
        "/desk/bulk/",
        {
            "tickets": [case.number, plain.number],
            "action": "resolve",
            "resolution": "Geregeld.",
            "next": "/desk/",
        },
        follow=True,
    )

    page = text(response)
    assert "1 melding bijgewerkt." in page
    assert f"{case.number} overgeslagen: Deze melding heeft nog 1 openstaande deeltaak." in page
    case.refresh_from_db()
    plain.refresh_from_db()
    assert (case.status, plain.status) == (Status.NEW, Status.RESOLVED)
