"""The portal pages: what an employee or agent sees, and what guessing URLs tells you (nothing)."""

import pytest
from django.urls import reverse

from loket.tickets.models import Status
from loket.tickets.services import add_comment, change_status
from tests import factories


def detail_url(ticket) -> str:
    return reverse("ticket-detail", args=[ticket.number])


def logged_in(client, employee):
    client.force_login(employee.user)
    return client


@pytest.mark.parametrize("url", ["/", "/meldingen/M2026-000001/"])
def test_pages_ask_anonymous_visitors_to_log_in(db, client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/inloggen/?next={url}"


def test_the_login_page_is_in_dutch(db, client):
    response = client.get("/inloggen/")

    assert response.status_code == 200
    assert "Gebruikersnaam" in response.content.decode()


def test_an_employees_home_page_lists_their_own_tickets_only(org, client, requester, colleague):
    mine = factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Mijn printer")
    theirs = factories.ticket(requester=colleague, item=org.items["ICT-STORING"], subject="Andermans printer")

    page = logged_in(client, requester).get("/").content.decode()

    assert mine.number in page
    assert "Mijn printer" in page
    assert theirs.number not in page
    assert "Andermans printer" not in page
    assert "Meldingen van mijn teams" not in page


def test_an_agents_home_page_lists_the_tickets_of_their_team(org, client, requester, hr_agent, ict_agent):
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Verlof opnemen")

    hr_page = logged_in(client, hr_agent).get("/").content.decode()
    ict_page = logged_in(client, ict_agent).get("/").content.decode()

    assert "Meldingen van mijn teams" in hr_page
    assert hr_ticket.number in hr_page
    assert "vertrouwelijk" in hr_page
    assert hr_ticket.number not in ict_page
    assert "Verlof opnemen" not in ict_page


def test_an_account_without_an_employee_is_told_so_and_sees_no_tickets(org, client, requester):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    client.force_login(factories.user_without_employee())

    page = client.get("/").content.decode()

    assert "Je account is nog niet gekoppeld aan een medewerker" in page
    assert ticket.number not in page
    assert client.get(detail_url(ticket)).status_code == 404


def test_the_home_page_takes_the_same_number_of_queries_for_many_tickets(
    org, client, requester, ict_agent, django_assert_max_num_queries
):
    for n in range(30):
        ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject=f"Storing {n}")
        factories.ticket(requester=ict_agent, item=org.items["FAC-OVERIG"], subject=f"Vraag {n}")
        add_comment(ticket=ticket, actor=ict_agent, body="Opgepakt.")
    client.force_login(ict_agent.user)

    # Session, user, actor (2), two lists with one IN-query per related table, announcements,
    # themes and the popular items (two, cached after the first): constant, never per row.
    with django_assert_max_num_queries(16):
        response = client.get("/")

    assert response.status_code == 200
    assert response.content.decode().count("/meldingen/M") == 35  # 10 open own + 25 of the team


def test_a_requester_opens_their_own_ticket_with_public_replies_only(org, client, requester, ict_agent):
    ticket = factories.ticket(
        requester=requester, item=org.items["ICT-STORING"], subject="Printer doet niets"
    )
    add_comment(ticket=ticket, actor=ict_agent, body="We komen vanmiddag langs.")
    add_comment(ticket=ticket, actor=ict_agent, body="Toner is op, niet doorvertellen.", internal=True)

    response = logged_in(client, requester).get(detail_url(ticket))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Printer doet niets" in page
    assert "We komen vanmiddag langs." in page
    assert "Toner is op" not in page
    assert "interne notitie" not in page
    assert "Historie" not in page


def test_an_agent_sees_internal_notes_and_the_history(org, client, requester, ict_agent):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    add_comment(ticket=ticket, actor=ict_agent, body="Toner is op.", internal=True)
    change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS)

    page = logged_in(client, ict_agent).get(detail_url(ticket)).content.decode()

    assert "Toner is op." in page
    assert "(interne notitie)" in page
    assert "Historie" in page
    assert "status gewijzigd" in page
    assert ict_agent.full_name in page


def test_the_history_shows_statuses_in_words(org, client, requester, ict_agent):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS)

    page = logged_in(client, ict_agent).get(detail_url(ticket)).content.decode()

    assert "nieuw → in behandeling" in page


def test_guessing_the_number_of_someone_elses_ticket_shows_not_found(org, client, requester, colleague):
    theirs = factories.ticket(requester=colleague, item=org.items["ICT-STORING"], subject="Privézaak")
    client = logged_in(client, requester)

    secret = client.get(detail_url(theirs))
    missing = client.get("/meldingen/M1999-999999/")

    assert secret.status_code == missing.status_code == 404
    assert "Privézaak" not in secret.content.decode()
    assert (
        "De pagina of melding die je zoekt bestaat niet, of je hebt er geen toegang toe."
        in secret.content.decode()
    )


def test_an_agent_outside_hr_gets_not_found_for_a_confidential_hr_ticket(org, client, requester, desk_agent):
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])

    assert logged_in(client, desk_agent).get(detail_url(hr_ticket)).status_code == 404


def test_the_hr_team_and_the_requester_open_a_confidential_hr_ticket(org, client, requester, hr_agent):
    hr_ticket = factories.ticket(requester=requester, item=org.items["HRM-VERLOF"])

    assert logged_in(client, hr_agent).get(detail_url(hr_ticket)).status_code == 200
    assert logged_in(client, requester).get(detail_url(hr_ticket)).status_code == 200


def test_the_ticket_page_takes_the_same_number_of_queries_for_a_long_conversation(
    org, client, requester, ict_agent, django_assert_max_num_queries
):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    for n in range(20):
        add_comment(ticket=ticket, actor=ict_agent, body=f"Antwoord {n}")
        add_comment(ticket=ticket, actor=requester, body=f"Vraag {n}")
    client.force_login(ict_agent.user)

    with django_assert_max_num_queries(12):
        response = client.get(detail_url(ticket))

    assert response.content.decode().count("Antwoord ") == 20


def test_the_health_check_answers_without_a_login(db, client):
    response = client.get("/gezondheid/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
