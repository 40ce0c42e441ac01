"""An employee finds a product, fixes a validation error, and sees the request confirmed."""

import pytest

from loket.people.models import Team, TeamMembership
from loket.people.services import grant_login, upsert_employee
from loket.surveys.models import SatisfactionScore
from loket.tickets.models import Ticket
from loket.tickets.services import mark_resolved
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "een-lang-wachtwoord"


def test_an_employee_searches_asks_fixes_an_error_and_gets_a_confirmation(
    page, live_server, assert_accessible
):
    factories.small_org()
    employee = upsert_employee(employee_number="E7", first_name="Fatma", last_name="Yilmaz", email="f@x.nl")
    grant_login(employee=employee, username="fatma", password=PASSWORD)
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("fatma")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_label("Zoek een product, dienst of antwoord").fill("laptop")
    page.get_by_role("button", name="Zoeken").click()
    assert_accessible(page)
    page.get_by_role("link", name="Laptop aanvragen of vervangen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Laptop aanvragen of vervangen"
    assert_accessible(page)

    page.get_by_label("Je vraag").fill("Mijn laptop start niet meer op.")
    page.get_by_role("button", name="Aanvraag versturen").click()
    assert page.get_by_text("Vul 'Reden van de aanvraag' in.").is_visible()
    assert page.get_by_label("Je vraag").input_value() == "Mijn laptop start niet meer op."
    assert_accessible(page)

    page.get_by_label("Reden van de aanvraag").select_option("defect")
    page.get_by_role("button", name="Aanvraag versturen").click()
    confirmation = page.get_by_role("status").first.inner_text()
    assert "is ontvangen" in confirmation
    assert "We verwachten hem uiterlijk" in confirmation
    assert_accessible(page)

    page.goto(f"{live_server.url}/producten/")
    assert page.get_by_role("heading", name="Informatievoorziening & ICT").is_visible()
    assert_accessible(page)

    # The desk marks it gereed; the employee does not agree, then agrees the second time.
    ticket = Ticket.objects.get(requester=employee)
    agent = factories.staff(
        first_name="Ivo", teams={Team.objects.get(code="ICT-WERKPLEK"): TeamMembership.Role.SPECIALIST}
    )
    mark_resolved(ticket=ticket, actor=agent, resolution="Nieuwe accu geplaatst.")
    page.goto(f"{live_server.url}/meldingen/{ticket.number}/")
    assert page.get_by_text("Nieuwe accu geplaatst.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Heropenen").click()
    assert page.get_by_text("Geef aan waarom de melding nog niet is opgelost.").is_visible()
    assert_accessible(page)
    page.get_by_label("Nee, nog niet opgelost. Wat is er nog mis?").fill("Hij gaat na tien minuten weer uit.")
    page.get_by_role("button", name="Heropenen").click()
    assert "is heropend" in page.get_by_role("status").first.inner_text()

    mark_resolved(ticket=ticket, actor=agent, resolution="Moederbord vervangen.")
    page.reload()
    page.get_by_role("button", name="Ja, akkoord").click()
    assert "is afgesloten" in page.get_by_role("status").first.inner_text()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count) == ("closed", 1)
    assert_accessible(page)

    page.get_by_label("Toelichting").fill("Fijn dat het nu werkt.")
    page.get_by_role("button", name="Cijfer 4 van 5").click()
    assert "Dank je wel voor je beoordeling." in page.get_by_role("status").first.inner_text()
    assert SatisfactionScore.objects.get(ticket=ticket).score == 4
    assert_accessible(page)


def test_the_page_for_any_other_question_is_accessible_with_and_without_errors(
    page, live_server, assert_accessible
):
    factories.small_org()
    employee = upsert_employee(employee_number="E8", first_name="Joost", last_name="Smit", email="j@x.nl")
    grant_login(employee=employee, username="joost", password=PASSWORD)
    page.goto(f"{live_server.url}/inloggen/?next=/producten/vraag/")
    page.get_by_label("Gebruikersnaam").fill("joost")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Een andere vraag"
    assert_accessible(page)

    page.get_by_role("button", name="Aanvraag versturen").click()
    assert page.get_by_text("Geef je vraag een onderwerp.").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/meldingen/?toon=alle")
    assert page.get_by_role("heading", name="Mijn meldingen").is_visible()
    assert_accessible(page)
