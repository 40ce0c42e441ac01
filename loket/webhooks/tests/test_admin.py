"""Administrators register webhooks in the admin and see how each delivery went."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from loket.core.outbox import process_outbox
from loket.webhooks.models import Event, Webhook, WebhookDelivery
from loket.webhooks.services import MAX_ATTEMPTS, deliver_due, save_webhook
from tests import factories

DELIVERIES = reverse("admin:webhooks_webhookdelivery_changelist")
ADD_WEBHOOK = reverse("admin:webhooks_webhook_add")


def test_the_delivery_list_shows_the_last_status_of_each_delivery(
    client, administrator, org, requester, receiver, django_assert_max_num_queries
):
    save_webhook(name="Zaaksysteem", url=receiver.url(), events=list(Event.values))
    for _n in range(3):
        factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    receiver.answers = [500]
    process_outbox()
    deliver_due()  # the first answer is a 500; the others wait for the next round
    deliver_due(now=timezone.now() + timedelta(seconds=10))
    client.force_login(administrator.user)

    with django_assert_max_num_queries(12):
        page = client.get(DELIVERIES)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Zaaksysteem" in html
    assert "HTTP 500: niet nu" in html
    assert html.count('<td class="field-status">in de wachtrij</td>') == 1
    assert html.count('<td class="field-status">afgeleverd</td>') == 2
    assert html.count('<td class="field-last_status_code">200</td>') == 2
    assert "Nu opnieuw proberen" in html


def test_deliveries_cannot_be_added_changed_or_deleted_in_the_admin(client, administrator, org, requester):
    save_webhook(name="Zaaksysteem", url="https://zaken.example.nl/loket", events=list(Event.values))
    factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    process_outbox()
    delivery = WebhookDelivery.objects.get()
    client.force_login(administrator.user)

    page = client.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))

    assert page.status_code == 200
    assert '"event":"ticket.created"' not in page.content.decode()  # the body is shown indented
    assert '"event": "ticket.created"' in page.content.decode().replace("&quot;", '"')
    assert client.get(reverse("admin:webhooks_webhookdelivery_add")).status_code == 403
    delete = reverse("admin:webhooks_webhookdelivery_delete", args=[delivery.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_retry_now_sends_a_failed_delivery_again(client, administrator, org, requester, receiver):
    save_webhook(name="Zaaksysteem", url=receiver.url(), events=list(Event.values))
    factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    process_outbox()
    receiver.stop()
    moment = timezone.now()
    for _round in range(MAX_ATTEMPTS):
        deliver_due(now=moment)
        moment += timedelta(hours=7)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.FAILED
    client.force_login(administrator.user)

    selected = list(WebhookDelivery.objects.values_list("pk", flat=True))

    response = client.post(DELIVERIES, {"action": "retry_now", "_selected_action": selected}, follow=True)

    assert "1 aflevering wordt zo opnieuw verstuurd." in response.content.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.PENDING, 0)


def test_an_administrator_registers_a_webhook_by_ticking_its_events(client, administrator):
    client.force_login(administrator.user)
    form = client.get(ADD_WEBHOOK).content.decode()
    assert form.count('type="checkbox" name="events"') == 3
    assert 'name="secret"' not in form

    response = client.post(
        ADD_WEBHOOK,
        {
            "name": "Zaaksysteem",
            "url": "https://zaken.example.nl/loket",
            "events": ["ticket.resolved", "ticket.created"],
            "active": "on",
        },
    )

    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert (webhook.name, webhook.url, webhook.active) == (
        "Zaaksysteem",
        "https://zaken.example.nl/loket",
        True,
    )
    assert webhook.events == ["ticket.created", "ticket.resolved"]
    change_page = client.get(reverse("admin:webhooks_webhook_change", args=[webhook.pk])).content.decode()
    assert webhook.secret in change_page


def test_the_admin_refuses_a_webhook_without_events_or_with_another_kind_of_address(client, administrator):
    client.force_login(administrator.user)

    response = client.post(ADD_WEBHOOK, {"name": "Zaaksysteem", "url": "ftp://zaken.example.nl/"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies minstens één gebeurtenis." in html
    assert "Vul een http- of https-adres in" in html
    assert not Webhook.objects.exists()
