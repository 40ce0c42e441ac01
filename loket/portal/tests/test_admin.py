"""The Django admin (/beheer/) is where administrators configure Loket, in Dutch."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories


def test_an_administrator_can_open_every_configuration_list_in_dutch(client, administrator, org, requester):
    factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    client.force_login(administrator.user)

    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Loket beheer" in response.content.decode()

    page = client.get(reverse("admin:catalog_catalogitem_changelist")).content.decode()
    assert "Producten en diensten" in page or "producten en diensten" in page


@pytest.mark.parametrize("who", ["requester", "desk_agent"])
def test_employees_and_agents_cannot_open_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who).user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/beheer/login/" in response["Location"]


def test_tickets_are_read_only_in_the_admin(client, administrator, org, requester):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    client.force_login(administrator.user)

    page = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    assert page.status_code == 200
    assert b'name="subject"' not in page.content
    assert (
        client.post(reverse("admin:tickets_ticket_delete", args=[ticket.pk]), {"post": "yes"}).status_code
        == 403
    )
