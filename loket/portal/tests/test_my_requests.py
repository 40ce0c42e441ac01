"""Mijn meldingen: the employee's own requests, open or handled, and nobody else's."""

from loket.tickets.services import close_ticket, mark_resolved
from tests import factories


def test_my_requests_shows_open_ones_by_default_and_handled_ones_on_request(
    org, client, requester, colleague, ict_agent
):
    open_one = factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Scherm flikkert")
    done = factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Muis kapot")
    close_ticket(ticket=mark_resolved(ticket=done, actor=ict_agent, resolution="Vervangen."), actor=requester)
    factories.ticket(requester=colleague, item=org.items["ICT-STORING"], subject="Van een collega")
    client.force_login(requester.user)

    lopend = client.get("/meldingen/").content.decode()
    afgehandeld = client.get("/meldingen/", {"toon": "afgehandeld"}).content.decode()
    alle = client.get("/meldingen/", {"toon": "alle"}).content.decode()

    assert open_one.subject in lopend and done.subject not in lopend
    assert done.subject in afgehandeld and open_one.subject not in afgehandeld
    assert open_one.subject in alle and done.subject in alle
    assert "Van een collega" not in alle


def test_my_requests_pages_through_many_requests_with_a_constant_number_of_queries(
    org, client, requester, django_assert_max_num_queries
):
    for n in range(30):
        factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject=f"Vraag {n:02d}")
    client.force_login(requester.user)

    with django_assert_max_num_queries(10):
        first = client.get("/meldingen/").content.decode()
    second = client.get("/meldingen/", {"pagina": "2"}).content.decode()

    assert "Pagina 1 van 2" in first and "Vraag 29" in first
    assert "Vraag 00" in second and "Vraag 29" not in second
