"""Notifications reach the customer over real SMTP (aiosmtpd on loopback): written to the outbox
with their cause, sent by the worker, grouped in one thread per ticket, marked as automatic, in
the recipient's language; a server that is down delays them and loses none."""

import email
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from loket.core.outbox import process_outbox
from loket.mail.models import OutboundMessage
from loket.mail.notifications import send_due
from loket.tickets.services import add_comment, create_child_task, create_ticket, mark_resolved
from tests import factories


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and Loket's mail settings pointing at it."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Servicedesk <servicedesk@voorbeeld.nl>"
    settings.LOKET_MAIL_DOMAIN = ""
    inbox.controller, inbox.port = controller, port
    yield inbox
    if inbox.controller is not None:
        inbox.controller.stop()


@pytest.fixture
def anna(org):
    return factories.employee(first_name="Anna", last_name="Jansen", email="anna@voorbeeld.nl")


def deliver(now=None):
    process_outbox(now=now)
    return send_due(now=now)


def test_a_new_ticket_sends_a_threaded_automatic_acknowledgement(smtp, anna, org):
    ticket = create_ticket(
        requester=anna, actor=anna, subject="Printer doet niets", catalog_item=org.items["ICT-STORING"]
    )

    assert deliver()["sent"] == 1

    [message] = smtp.messages
    assert message["To"] == "anna@voorbeeld.nl"
    assert message["Subject"] == f"[{ticket.number}] Ontvangen: Printer doet niets"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["In-Reply-To"] == message["References"] == f"<{ticket.number}@voorbeeld.nl>"
    assert message["Message-ID"].startswith(f"<{ticket.number}.")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Beste Anna," in text and ticket.number in text and "uiterlijk" in text
    assert "Beste Anna," in html


def test_the_recipients_language_is_used(smtp, org):
    john = factories.employee(first_name="John", last_name="Smith", email="john@voorbeeld.nl")
    john.language = "en"
    john.save()
    ticket = create_ticket(
        requester=john, actor=john, subject="Printer", catalog_item=org.items["ICT-STORING"]
    )

    deliver()

    [message] = smtp.messages
    assert message["Subject"] == f"[{ticket.number}] Received: Printer"
    assert "Dear John," in message.get_body(("plain",)).get_content()


def test_a_public_reply_is_mailed_but_not_a_note_or_the_requesters_own_words(smtp, anna, ict_agent, org):
    ticket = create_ticket(
        requester=anna, actor=anna, subject="Printer", catalog_item=org.items["ICT-STORING"]
    )
    add_comment(ticket=ticket, actor=ict_agent, body="Beste Anna, we komen morgen langs.")
    add_comment(ticket=ticket, actor=ict_agent, body="Toner op.", internal=True)
    add_comment(ticket=ticket, actor=anna, body="Dank je.")

    deliver()

    subjects = [message["Subject"] for message in smtp.messages]
    assert subjects == [f"[{ticket.number}] Ontvangen: Printer", f"[{ticket.number}] Reactie: Printer"]
    assert "we komen morgen langs" in smtp.messages[1].get_body(("plain",)).get_content()


def test_gereed_melden_is_mailed_with_the_resolution(smtp, anna, ict_agent, org):
    ticket = create_ticket(
        requester=anna, actor=anna, subject="Printer", catalog_item=org.items["ICT-STORING"]
    )
    mark_resolved(ticket=ticket, actor=ict_agent, resolution="Toner vervangen.")

    deliver()

    resolved = smtp.messages[-1]
    assert resolved["Subject"] == f"[{ticket.number}] Gereed: Printer"
    assert "Toner vervangen." in resolved.get_body(("plain",)).get_content()


def test_the_parts_of_a_case_send_nothing_of_their_own(smtp, anna, hr_agent, org):
    case = create_ticket(
        requester=anna, actor=anna, subject="Nieuwe collega", catalog_item=org.items["HRM-VERLOF"]
    )
    create_child_task(parent=case, actor=hr_agent, team=org.ict_team, subject="Laptop klaarzetten")

    deliver()

    assert [message["Subject"] for message in smtp.messages] == [f"[{case.number}] Ontvangen: Nieuwe collega"]


def test_a_server_that_is_down_delays_mail_and_loses_none(smtp, anna, org):
    create_ticket(requester=anna, actor=anna, subject="Printer", catalog_item=org.items["ICT-STORING"])
    smtp.controller.stop()
    smtp.controller = None
    now = timezone.now()

    assert deliver(now=now) == {"sent": 0, "retrying": 1, "failed": 0}
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("pending", 1)
    assert outbound.last_error

    smtp.controller = Controller(smtp, hostname="127.0.0.1", port=smtp.port)  # back up
    smtp.controller.start()
    assert deliver(now=now + timedelta(seconds=10)) == {"sent": 0, "retrying": 0, "failed": 0}  # backoff
    assert deliver(now=now + timedelta(minutes=5))["sent"] == 1
    assert deliver(now=now + timedelta(hours=1)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(smtp.messages) == 1
    outbound.refresh_from_db()
    assert outbound.status == "sent"


def test_handing_out_the_outbox_twice_makes_one_mail(smtp, anna, org):
    from loket.core.models import OutboxMessage
    from loket.mail.notifications import notify

    create_ticket(requester=anna, actor=anna, subject="Printer", catalog_item=org.items["ICT-STORING"])
    created = OutboxMessage.objects.get(topic="ticket.created")

    notify(created)
    notify(created)

    assert OutboundMessage.objects.count() == 1


def test_a_refused_unknown_sender_gets_one_polite_answer_in_their_thread(smtp, org, settings):
    from loket.mail.services import ingest

    settings.LOKET_MAIL_UNKNOWN_SENDERS = "reject"
    raw = (
        b"From: Piet Pieterse <piet@elders.example>\r\nTo: servicedesk@voorbeeld.nl\r\n"
        b"Subject: Lantaarnpaal kapot\r\nMessage-ID: <piet-1@elders.example>\r\n\r\nHij brandt niet.\r\n"
    )

    ingest(raw=raw)
    ingest(raw=raw)  # delivered twice: still one answer
    deliver()

    [answer] = smtp.messages
    assert answer["To"] == "piet@elders.example"
    assert answer["Subject"] == "Re: Lantaarnpaal kapot"
    assert answer["In-Reply-To"] == "<piet-1@elders.example>"
    assert answer["Auto-Submitted"] == "auto-replied"
    assert "Beste Piet Pieterse," in answer.get_body(("plain",)).get_content()
    assert not OutboundMessage.objects.filter(kind="received").exists()
