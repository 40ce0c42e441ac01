"""Who may call the API: a valid personal token, or nobody. Refusals are 401 with the one error shape."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from loket.api.models import ApiToken
from loket.api.services import create_token, revoke_token
from loket.tickets.models import Ticket
from tests import factories

from .conftest import PREFIX, field_errors

NEW_TICKET = {"subject": "Mijn scherm blijft zwart"}


@pytest.fixture
def strict_client():
    """A client that checks CSRF like a browser would, to prove tokens never need it."""
    return Client(enforce_csrf_checks=True)


def bearer(plaintext: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def assert_unauthenticated(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="loket"'
    assert field_errors(response) == {}
    assert response.json()["code"] == "unauthenticated"


def test_a_valid_token_lists_the_tickets_of_its_owner_and_its_use_is_recorded(org, client, requester):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    token, plaintext = create_token(user=requester.user, name="Script")
    before = timezone.now()

    response = client.get(f"{PREFIX}/tickets", **bearer(plaintext))

    assert response.status_code == 200
    assert [item["number"] for item in response.json()["items"]] == [ticket.number]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at >= before


def test_a_valid_token_may_create_without_a_csrf_token(org, strict_client, requester):
    _token, plaintext = create_token(user=requester.user, name="Script")

    response = strict_client.post(
        f"{PREFIX}/tickets", NEW_TICKET, content_type="application/json", **bearer(plaintext)
    )

    assert response.status_code == 201
    assert response.json()["requester"]["employee_number"] == requester.employee_number


def test_an_expired_token_is_refused_for_reading_and_for_writing(org, strict_client, requester):
    long_ago = timezone.now() - timedelta(days=40)
    _token, plaintext = create_token(user=requester.user, name="Oud script", days=30, now=long_ago)

    reading = strict_client.get(f"{PREFIX}/tickets", **bearer(plaintext))
    writing = strict_client.post(
        f"{PREFIX}/tickets", NEW_TICKET, content_type="application/json", **bearer(plaintext)
    )

    assert_unauthenticated(reading)
    assert_unauthenticated(writing)
    assert not Ticket.objects.exists()


def test_a_revoked_token_is_refused_for_reading_and_for_writing(org, strict_client, requester):
    token, plaintext = create_token(user=requester.user, name="Gelekt script")
    revoke_token(token=token, by=requester.user)

    reading = strict_client.get(f"{PREFIX}/tickets", **bearer(plaintext))
    writing = strict_client.post(
        f"{PREFIX}/tickets", NEW_TICKET, content_type="application/json", **bearer(plaintext)
    )

    assert_unauthenticated(reading)
    assert_unauthenticated(writing)
    assert not Ticket.objects.exists()


def test_a_refused_token_leaves_no_trace_of_use(org, client, requester):
    token, plaintext = create_token(user=requester.user, name="Gelekt script")
    revoke_token(token=token, by=requester.user)

    client.get(f"{PREFIX}/tickets", **bearer(plaintext))

    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


def test_a_request_without_authorization_is_asked_to_authenticate(org, strict_client):
    assert_unauthenticated(strict_client.get(f"{PREFIX}/tickets"))
    assert_unauthenticated(
        strict_client.post(f"{PREFIX}/tickets", NEW_TICKET, content_type="application/json")
    )


@pytest.mark.parametrize(
    "authorization",
    ["Bearer lkt_verzonnen", "Bearer nietslkt", "Bearer ", "Bearer lkt_" + "x" * 300],
)
def test_a_made_up_token_is_refused(org, client, authorization):
    assert_unauthenticated(client.get(f"{PREFIX}/tickets", HTTP_AUTHORIZATION=authorization))


def test_the_token_of_a_deactivated_login_is_refused(org, client, requester):
    _token, plaintext = create_token(user=requester.user, name="Script")
    get_user_model().objects.filter(pk=requester.user.pk).update(is_active=False)

    assert_unauthenticated(client.get(f"{PREFIX}/tickets", **bearer(plaintext)))


def test_a_bad_token_is_refused_even_next_to_a_logged_in_session(org, client, requester):
    """A program with a stale token must learn so, not quietly act as whoever uses the browser."""
    client.force_login(requester.user)
    token, plaintext = create_token(user=requester.user, name="Script")
    revoke_token(token=token, by=requester.user)

    assert client.get(f"{PREFIX}/tickets").status_code == 200
    assert_unauthenticated(client.get(f"{PREFIX}/tickets", **bearer(plaintext)))


def test_the_browser_session_must_send_its_csrf_token_to_write(org, strict_client, requester):
    strict_client.force_login(requester.user)

    response = strict_client.post(f"{PREFIX}/tickets", NEW_TICKET, content_type="application/json")

    assert response.status_code == 403
    assert not Ticket.objects.exists()


# ---------------------------------------------------------------- language


def test_errors_are_in_dutch_unless_the_program_asks_for_english(org, client, requester):
    _token, plaintext = create_token(user=requester.user, name="Script")

    dutch = client.get(f"{PREFIX}/tickets/M1999-999999", **bearer(plaintext))
    english = client.get(f"{PREFIX}/tickets/M1999-999999", HTTP_ACCEPT_LANGUAGE="en", **bearer(plaintext))

    assert dutch.status_code == english.status_code == 404
    assert dutch["Content-Language"] == "nl"
    assert dutch.json()["message"] == "Niet gevonden."
    assert english["Content-Language"] == "en"
    assert english.json()["code"] == "not_found"


def test_an_unsupported_language_falls_back_to_dutch(org, client, requester):
    _token, plaintext = create_token(user=requester.user, name="Script")

    response = client.get(f"{PREFIX}/tickets", HTTP_ACCEPT_LANGUAGE="fr-FR, de;q=0.8", **bearer(plaintext))

    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
