"""The demo's first journey: log in, see your own requests (and only those), open one."""

import pytest
from django.contrib.auth import get_user_model

from loket.people.services import grant_login, upsert_employee
from loket.tickets.services import create_ticket

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "een-lang-wachtwoord"


def _employee(number, first, last, username):
    employee = upsert_employee(
        employee_number=number, first_name=first, last_name=last, email=f"{username}@x.nl"
    )
    grant_login(employee=employee, username=username, password=PASSWORD)
    return employee


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_an_employee_logs_in_and_sees_only_their_own_requests(page, live_server, assert_accessible):
    sanne = _employee("E1", "Sanne", "de Vries", "sanne")
    daan = _employee("E2", "Daan", "Jansen", "daan")
    mine = create_ticket(
        requester=sanne, actor=sanne, subject="Printer op de tweede verdieping doet het niet"
    )
    theirs = create_ticket(requester=daan, actor=daan, subject="Verlof aanvragen voor de zomer")

    page.goto(f"{live_server.url}/")
    assert "/inloggen/" in page.url
    assert_accessible(page)

    _log_in(page, live_server, "sanne")
    assert page.get_by_role("heading", name="Mijn openstaande meldingen").is_visible()
    assert page.get_by_text(mine.subject).is_visible()
    assert page.get_by_text(theirs.subject).count() == 0
    assert_accessible(page)

    page.get_by_role("link", name=mine.number).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(mine.number)
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/meldingen/{theirs.number}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Deze pagina bestaat niet").is_visible()
    assert_accessible(page)


def test_a_wrong_password_gets_a_clear_message(page, live_server, assert_accessible):
    _employee("E3", "Iris", "Peters", "iris")
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("iris")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("De combinatie van gebruikersnaam en wachtwoord")
    assert get_user_model().objects.get(username="iris").last_login is None
    assert_accessible(page)
