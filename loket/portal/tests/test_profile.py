"""Mijn profiel: an employee makes, sees and revokes personal API tokens."""

import re

from loket.api.models import ApiToken
from loket.api.services import create_token


def test_making_a_token_shows_its_value_once_and_it_works_with_the_api(db, client, requester):
    client.force_login(requester.user)

    response = client.post("/profiel/sleutels/", {"name": "Koppeling intranet", "days": "30"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    plaintext = re.search(r'id="new-token">(lkt_[^<]+)<', page).group(1)
    assert "Loket toont hem niet nog een keer" in page
    client.logout()
    api = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.status_code == 200

    client.force_login(requester.user)
    again = client.get("/profiel/").content.decode()
    assert "Koppeling intranet" in again
    assert plaintext not in again


def test_a_token_without_a_name_or_with_a_strange_validity_is_refused_with_a_message(db, client, requester):
    client.force_login(requester.user)

    nameless = client.post("/profiel/sleutels/", {"name": "  ", "days": "30"})
    forever = client.post("/profiel/sleutels/", {"name": "Voor altijd", "days": "99999"})
    garbage = client.post("/profiel/sleutels/", {"name": "Rommel", "days": "veel"})

    assert nameless.status_code == 422
    assert "Geef de sleutel een naam." in nameless.content.decode()
    assert forever.status_code == garbage.status_code == 422
    assert "1 tot 366 dagen" in forever.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_at_once(db, client, requester):
    token, plaintext = create_token(user=requester.user, name="Script")
    client.force_login(requester.user)

    response = client.post(f"/profiel/sleutels/{token.pk}/intrekken/", follow=True)

    assert "Sleutel &#x27;Script&#x27; is ingetrokken." in response.content.decode()
    client.logout()
    assert client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 401


def test_nobody_can_see_or_revoke_someone_elses_token(db, client, requester, colleague):
    token, _plaintext = create_token(user=colleague.user, name="Van een collega")
    client.force_login(requester.user)

    assert "Van een collega" not in client.get("/profiel/").content.decode()
    assert client.post(f"/profiel/sleutels/{token.pk}/intrekken/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_page_asks_anonymous_visitors_to_log_in(db, client):
    response = client.get("/profiel/")

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
