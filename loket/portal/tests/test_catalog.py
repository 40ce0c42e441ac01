"""The catalogue in the portal: find what you can ask for, see what to expect, ask once."""

import pytest

from loket.tickets.models import Ticket


@pytest.fixture
def employee_client(client, requester):
    client.force_login(requester.user)
    return client


def test_the_catalogue_lists_active_items_by_department(org, employee_client):
    page = employee_client.get("/producten/").content.decode()

    assert "Informatievoorziening &amp; ICT" in page
    assert "Laptop aanvragen of vervangen" in page
    assert "Storing melden" in page


def test_searching_the_catalogue_finds_an_item_by_its_keywords(org, employee_client):
    page = employee_client.get("/producten/", {"q": "notebook"}).content.decode()

    assert "Laptop aanvragen of vervangen" in page
    assert "Storing melden" not in page


def test_an_item_page_says_what_to_expect_in_plain_words_and_shows_its_form(org, employee_client):
    item = org.items["ICT-LAPTOP-NEW"]

    page = employee_client.get(f"/producten/{item.code}/").content.decode()

    assert "werkdag" in page or "werkuur" in page
    assert "Reden van de aanvraag" in page
    assert 'name="f_reden"' in page
    assert "Maximaal 10 MB" in page


def test_a_request_with_a_missing_required_field_is_refused_with_a_dutch_message_and_keeps_the_input(
    org, employee_client
):
    response = employee_client.post(
        "/producten/ICT-LAPTOP-NEW/",
        {"description": "Mijn laptop is traag.", "submission": "a1", "kwis": "W"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Vul &#x27;Reden van de aanvraag&#x27; in." in page
    assert "Mijn laptop is traag." in page
    assert not Ticket.objects.exists()


def test_a_valid_request_is_registered_and_confirmed_with_its_number_and_expected_date(
    org, employee_client, requester
):
    response = employee_client.post(
        "/producten/ICT-LAPTOP-NEW/",
        {"description": "Mijn laptop is traag.", "f_reden": "defect", "kwis": "W", "submission": "b2"},
        follow=True,
    )

    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.catalog_item.code, ticket.form_answers) == (
        requester,
        "ICT-LAPTOP-NEW",
        {"reden": "defect"},
    )
    page = response.content.decode()
    assert f"Je aanvraag {ticket.number} is ontvangen." in page
    assert "We verwachten hem uiterlijk" in page


def test_submitting_the_same_form_twice_makes_one_ticket(org, employee_client):
    form = {"description": "Dubbel geklikt.", "f_reden": "defect", "kwis": "W", "submission": "c3"}

    employee_client.post("/producten/ICT-LAPTOP-NEW/", form)
    employee_client.post("/producten/ICT-LAPTOP-NEW/", form)

    assert Ticket.objects.count() == 1


def test_asking_for_a_colleague_by_employee_number(org, employee_client, colleague):
    employee_client.post(
        "/producten/ICT-STORING/",
        {"description": "Zijn scherm is zwart.", "on_behalf": colleague.employee_number, "submission": "d4"},
    )

    assert Ticket.objects.get().requester == colleague


def test_an_unknown_colleague_number_gets_a_clear_message(org, employee_client):
    response = employee_client.post(
        "/producten/ICT-STORING/", {"description": "Iets.", "on_behalf": "X999", "submission": "e5"}
    )

    assert response.status_code == 422
    assert "Onbekend personeelsnummer: X999." in response.content.decode()


def test_a_forbidden_attachment_type_is_refused_before_anything_is_registered(org, employee_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = employee_client.post(
        "/producten/ICT-STORING/",
        {
            "description": "Zie bijlage.",
            "submission": "f6",
            "attachment": SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        },
    )

    assert response.status_code == 422
    assert "niet toegestaan" in response.content.decode()
    assert not Ticket.objects.exists()


def test_an_inactive_or_unknown_item_is_not_found(org, employee_client):
    assert employee_client.get("/producten/BESTAAT-NIET/").status_code == 404


def test_a_question_that_fits_no_product_can_always_be_asked_and_goes_to_the_desk(
    org, employee_client, requester
):
    assert "/producten/vraag/" in employee_client.get("/producten/").content.decode()

    refused = employee_client.post(
        "/producten/vraag/", {"description": "Waar moet ik zijn?", "submission": "g7"}
    )
    assert refused.status_code == 422
    assert "Geef je vraag een onderwerp." in refused.content.decode()

    employee_client.post(
        "/producten/vraag/",
        {
            "subject": "Parkeervergunning",
            "description": "Waar moet ik zijn?",
            "kwis": "I",
            "submission": "g8",
        },
    )
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.catalog_item, ticket.requester, ticket.kwis) == (
        "Parkeervergunning",
        None,
        requester,
        "I",
    )
