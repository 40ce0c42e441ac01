"""Webhooks: every subscribed receiver gets each ticket event once, signed, even when it was down
for a while; a change that is rolled back is never announced."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from loket.core.errors import DomainError
from loket.core.models import OutboxMessage
from loket.core.outbox import process_outbox
from loket.tickets.models import Status
from loket.tickets.services import add_comment, change_status, close_ticket, mark_resolved, reopen_ticket
from loket.webhooks.models import Event, WebhookDelivery
from loket.webhooks.services import MAX_ATTEMPTS, deliver_due, fan_out, retry_delivery, save_webhook
from loket.webhooks.services import verify_signature as _verify_signature
from tests import factories

ALL_EVENTS = list(Event.values)


def run_worker(now=None):
    """One round of the worker's two jobs: hand out the outbox, then send what is due."""
    process_outbox(now=now)
    return deliver_due(now=now)


def signed_by(secret: str, request) -> bool:
    return _verify_signature(
        secret=secret,
        timestamp=request.headers["X-Loket-Timestamp"],
        body=request.body,
        header=request.headers["X-Loket-Signature"],
        tolerance=timedelta(minutes=5),
    )


def events_of(requests) -> list[tuple[str, str]]:
    return [(request.json["event"], request.json["change"]) for request in requests]


@pytest.fixture
def webhook(db, receiver):
    return save_webhook(name="Zaaksysteem", url=receiver.url(), events=ALL_EVENTS)


@pytest.fixture
def ticket(org, requester):
    return factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Printer doet niets")


def resolve(ticket, agent):
    return mark_resolved(ticket=ticket, actor=agent, resolution="Printer opnieuw gestart.")


# ---------------------------------------------------------------- delivering


def test_a_receiver_gets_a_signed_delivery_for_create_update_and_resolve(
    webhook, receiver, ticket, ict_agent
):
    change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS)
    resolve(ticket, ict_agent)

    run_worker()

    posts = receiver.posts
    assert [post.headers["X-Loket-Event"] for post in posts] == [
        "ticket.created",
        "ticket.updated",
        "ticket.resolved",
    ]
    assert [(post.json["data"]["number"], post.json["data"]["status"]) for post in posts] == [
        (ticket.number, "new"),
        (ticket.number, "in_progress"),
        (ticket.number, "resolved"),
    ]
    assert all(signed_by(webhook.secret, post) for post in posts)
    assert not any(signed_by("een-ander-geheim", post) for post in posts)
    first = posts[0]
    assert first.path == "/loket"
    assert first.headers["Content-Type"] == "application/json"
    assert first.headers["User-Agent"] == "Loket-Webhooks"
    assert first.headers["X-Loket-Delivery"] == str(first.json["id"])
    assert set(first.json) == {"id", "event", "change", "occurred_at", "data"}
    assert (
        list(WebhookDelivery.objects.values_list("status", "attempts", "last_status_code"))
        == [(WebhookDelivery.Status.DELIVERED, 1, 200)] * 3
    )


def test_a_tampered_body_or_an_old_timestamp_does_not_verify(webhook, receiver, ticket):
    run_worker()
    post = receiver.posts[0]
    timestamp, header = post.headers["X-Loket-Timestamp"], post.headers["X-Loket-Signature"]

    assert _verify_signature(secret=webhook.secret, timestamp=timestamp, body=post.body, header=header)
    assert not _verify_signature(
        secret=webhook.secret, timestamp=timestamp, body=post.body.replace(b"new", b"old"), header=header
    )
    assert not _verify_signature(
        secret=webhook.secret,
        timestamp=timestamp,
        body=post.body,
        header=header,
        tolerance=timedelta(minutes=5),
        now=timezone.now() + timedelta(hours=1),
    )


def test_every_other_change_to_a_ticket_arrives_as_ticket_updated_naming_the_change(
    webhook, receiver, ticket, requester, ict_agent
):
    add_comment(ticket=ticket, actor=ict_agent, body="Staat de printer aan?")
    resolve(ticket, ict_agent)
    reopen_ticket(ticket=ticket, actor=requester, reason="Hij print nog steeds niet.")
    resolve(ticket, ict_agent)
    close_ticket(ticket=ticket, actor=requester)

    run_worker()

    assert events_of(receiver.posts) == [
        ("ticket.created", "ticket.created"),
        ("ticket.updated", "ticket.commented"),
        ("ticket.resolved", "ticket.resolved"),
        ("ticket.updated", "ticket.reopened"),
        ("ticket.resolved", "ticket.resolved"),
        ("ticket.updated", "ticket.closed"),
    ]


def test_a_webhook_hears_only_the_events_it_subscribed_to(receiver, org, requester, ict_agent):
    save_webhook(name="Alleen nieuw", url=receiver.url("/nieuw"), events=["ticket.created"])
    save_webhook(name="Alleen gereed", url=receiver.url("/gereed"), events=["ticket.resolved"])
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS)
    resolve(ticket, ict_agent)

    run_worker()

    assert sorted((post.path, post.json["event"]) for post in receiver.posts) == [
        ("/gereed", "ticket.resolved"),
        ("/nieuw", "ticket.created"),
    ]


def test_an_inactive_webhook_gets_nothing(receiver, org, requester):
    save_webhook(name="Uitgezet", url=receiver.url(), events=ALL_EVENTS, active=False)
    factories.ticket(requester=requester, item=org.items["ICT-STORING"])

    run_worker()

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_ticket_change_that_is_rolled_back_sends_nothing(webhook, receiver, org, requester):
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.ticket(requester=requester, item=org.items["ICT-STORING"])
        raise RuntimeError("crash before commit")

    run_worker()

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_running_the_worker_twice_sends_nothing_twice(webhook, receiver, ticket):
    start = timezone.now()
    run_worker(start)
    run_worker(start)
    fan_out(OutboxMessage.objects.get(topic="ticket.created"))  # the outbox handing it out again
    run_worker(start + timedelta(days=2))

    assert events_of(receiver.posts) == [("ticket.created", "ticket.created")]
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_committed_changes_with_nothing_held_open(webhook, receiver, ticket, ict_agent):
    """The real thing: autocommit, each job claiming and recording in transactions of its own."""
    change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS)
    resolve(ticket, ict_agent)
    output = io.StringIO()

    call_command("worker", "--once", stdout=output)
    call_command("worker", "--once", stdout=output)

    assert events_of(receiver.posts) == [
        ("ticket.created", "ticket.created"),
        ("ticket.updated", "ticket.updated"),
        ("ticket.resolved", "ticket.resolved"),
    ]
    assert all(signed_by(webhook.secret, post) for post in receiver.posts)
    assert "webhooks: delivered=3 retrying=0 failed=0" in output.getvalue()


# ---------------------------------------------------------------- when the receiver is not ready


def test_deliveries_wait_while_the_receiver_is_down_and_each_arrives_once_when_it_is_back(
    webhook, receiver, ticket, ict_agent
):
    receiver.stop()
    change_status(ticket=ticket, actor=ict_agent, to=Status.IN_PROGRESS)
    resolve(ticket, ict_agent)
    start = timezone.now()

    for minutes in range(4):  # one failed attempt per round for a receiver that is down
        run_worker(start + timedelta(minutes=minutes))

    deliveries = list(WebhookDelivery.objects.all())
    assert len(deliveries) == 3
    assert {delivery.status for delivery in deliveries} == {WebhookDelivery.Status.PENDING}
    assert all(delivery.attempts >= 1 for delivery in deliveries)
    assert all("ConnectionRefusedError" in delivery.last_error for delivery in deliveries)

    receiver.start()  # back, on the same address
    run_worker(min(delivery.next_attempt_at for delivery in deliveries) - timedelta(seconds=1))
    assert receiver.requests == []  # each delivery waits for its backoff

    run_worker(start + timedelta(hours=1))
    run_worker(start + timedelta(hours=2))

    posts = receiver.posts
    assert sorted(post.json["event"] for post in posts) == [
        "ticket.created",
        "ticket.resolved",
        "ticket.updated",
    ]
    assert sorted(int(post.headers["X-Loket-Delivery"]) for post in posts) == sorted(d.pk for d in deliveries)
    assert all(signed_by(webhook.secret, post) for post in posts)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {WebhookDelivery.Status.DELIVERED}


def test_a_receiver_answering_500_is_retried_with_backoff_until_it_accepts(webhook, receiver, ticket):
    receiver.answers = [500, 503]
    start = timezone.now()

    run_worker(start)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_error == "HTTP 500: niet nu"
    assert delivery.next_attempt_at == start + timedelta(seconds=30)

    run_worker(start + timedelta(seconds=29))  # not yet due
    run_worker(start + timedelta(seconds=30))
    run_worker(start + timedelta(seconds=31))  # the second attempt's backoff is a minute
    run_worker(start + timedelta(seconds=90))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert delivery.last_error == ""
    posts = receiver.posts
    assert len(posts) == 3
    assert {post.body for post in posts} == {posts[0].body}  # the same delivery, each time signed anew
    assert {post.headers["X-Loket-Delivery"] for post in posts} == {str(delivery.pk)}
    assert all(signed_by(webhook.secret, post) for post in posts)


def test_a_receiver_that_answers_too_slowly_is_retried(webhook, receiver, ticket, settings):
    settings.LOKET_WEBHOOK_TIMEOUT = 0.2
    receiver.delay = 1

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "timed out" in delivery.last_error


def test_a_slow_receiver_does_not_hold_up_the_worker_for_long(webhook, receiver, org, requester):
    factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    receiver.delay = 0.3
    process_outbox()

    first_round = deliver_due(budget_seconds=0.1)
    second_round = deliver_due(budget_seconds=0.1)

    assert (first_round.delivered, second_round.delivered) == (1, 1)
    assert len(receiver.posts) == 2


def test_a_redirect_is_not_followed_and_counts_as_a_failed_attempt(webhook, receiver, ticket):
    receiver.answers = [302]

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 302)
    assert [request.method for request in receiver.requests] == ["POST"]


def test_a_delivery_is_given_up_after_fifteen_attempts_and_an_administrator_can_retry_it(
    webhook, receiver, ticket
):
    receiver.stop()
    moment = timezone.now()
    for _round in range(MAX_ATTEMPTS + 3):
        run_worker(moment)
        moment += timedelta(hours=7)  # past the longest backoff

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)

    receiver.start()
    run_worker(moment)
    assert receiver.requests == []  # given up: not sent by itself

    retry_delivery(delivery=delivery, now=moment)
    run_worker(moment)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(receiver.posts) == 1
    with pytest.raises(DomainError) as refused:
        retry_delivery(delivery=delivery, now=moment)
    assert refused.value.code == "already_delivered"


# ---------------------------------------------------------------- registering


@pytest.mark.parametrize(
    "url",
    ["ftp://bestanden.example.nl/", "https://", "koppeling.example.nl/loket", "http://host:99999/", ""],
)
def test_only_an_http_or_https_address_with_a_host_can_be_registered(db, url):
    with pytest.raises(DomainError) as refused:
        save_webhook(name="Koppeling", url=url, events=ALL_EVENTS)

    assert refused.value.code == "invalid_webhook_url"
    assert refused.value.field == "url"


@pytest.mark.parametrize(("events", "code"), [([], "events_required"), (["ticket.deleted"], "unknown_event")])
def test_a_webhook_listens_to_at_least_one_known_event(db, events, code):
    with pytest.raises(DomainError) as refused:
        save_webhook(name="Koppeling", url="https://koppeling.example.nl/loket", events=events)

    assert refused.value.code == code


def test_a_new_webhook_gets_its_own_secret_which_changing_it_keeps(db):
    first = save_webhook(
        name="Eén", url="https://een.example.nl/", events=["ticket.resolved", "ticket.created"]
    )
    second = save_webhook(name="Twee", url="https://twee.example.nl/", events=ALL_EVENTS)
    secret = first.secret
    assert first.events == ["ticket.created", "ticket.resolved"]

    changed = save_webhook(webhook=first, name="Eén", url="https://een.example.nl/v2", events=ALL_EVENTS)

    assert len(secret) >= 40
    assert secret != second.secret
    assert (changed.secret, changed.url) == (secret, "https://een.example.nl/v2")
