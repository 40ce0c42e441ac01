"""An employee makes an API token in the browser and revokes it; every page passes axe-core."""

import pytest

from loket.people.services import grant_login, upsert_employee

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "een-lang-wachtwoord"


def test_an_employee_makes_and_revokes_an_api_token(page, live_server, assert_accessible):
    employee = upsert_employee(employee_number="E9", first_name="Noor", last_name="Bakker", email="noor@x.nl")
    grant_login(employee=employee, username="noor", password=PASSWORD)
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("noor")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("link", name="Ingelogd als").click()
    assert page.get_by_role("heading", name="Mijn profiel").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sleutel maken").click()
    assert page.get_by_role("alert").inner_text().strip() == "Geef de sleutel een naam."
    assert_accessible(page)

    page.get_by_label("Waarvoor is de sleutel?").fill("Koppeling HR-systeem")
    page.get_by_label("Geldig").select_option("30")
    page.get_by_role("button", name="Sleutel maken").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("lkt_")
    assert_accessible(page)

    page.get_by_role("button", name="Intrekken: Koppeling HR-systeem").click()
    assert page.get_by_text("Sleutel 'Koppeling HR-systeem' is ingetrokken.").is_visible()
    assert page.get_by_role("cell", name="ingetrokken").is_visible()
    assert_accessible(page)
