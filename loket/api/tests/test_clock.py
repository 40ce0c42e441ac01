"""The service norms of a ticket through the API: due times and state, from creation on."""

import json

from loket.api.services import create_token


def test_a_created_ticket_carries_its_service_norm_clock_and_reading_it_back_agrees(org, requester, client):
    token = create_token(user=requester.user, name="intranet")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    created = client.post(
        "/api/v1/tickets",
        json.dumps({"subject": "Koffieautomaat lekt"}),
        content_type="application/json",
        **auth,
    )

    assert created.status_code == 201
    clock = created.json()["clock"]
    assert (clock["state"], clock["response_state"], clock["paused"], clock["stopped"]) == (
        "on_time",
        "pending",
        False,
        False,
    )
    again = client.get(f"/api/v1/tickets/{created.json()['number']}", **auth).json()["clock"]
    assert again["resolution_due"] == clock["resolution_due"]
    assert again["response_due"] == clock["response_due"]
