"""Ingesting e-mail: a message becomes a ticket or a comment once, however often it arrives;
automatic mail and loops create nothing."""

from email.message import EmailMessage

import pytest

from loket.mail.models import InboundMessage
from loket.mail.services import ingest
from loket.tickets.models import Comment, Status, Ticket
from loket.tickets.services import mark_resolved
from tests import factories


def mail(sender="anna.jansen@voorbeeld.nl", subject="Printer doet het niet", body="Hij piept.", **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "servicedesk@voorbeeld.nl"
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("message_id", f"<{abs(hash((sender, subject, body)))}@mail.example>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def anna(org):
    return factories.employee(first_name="Anna", last_name="Jansen", email="anna.jansen@voorbeeld.nl")


def test_a_mail_from_an_employee_becomes_an_email_ticket(anna):
    result = ingest(raw=mail())

    assert result.outcome == InboundMessage.Outcome.CREATED
    ticket = result.ticket
    assert (ticket.requester, ticket.channel, ticket.subject) == (anna, "email", "Printer doet het niet")
    assert "Hij piept." in ticket.description


def test_the_same_message_twice_makes_one_ticket(anna):
    raw = mail()

    first, second = ingest(raw=raw), ingest(raw=raw)

    assert first.pk == second.pk
    assert Ticket.objects.count() == 1


def test_a_reply_with_the_number_in_the_subject_is_a_comment_on_the_ticket(anna):
    ticket = ingest(raw=mail()).ticket

    reply = ingest(raw=mail(subject=f"RE: [{ticket.number}] Printer doet het niet", body="Nog steeds."))

    assert reply.outcome == InboundMessage.Outcome.COMMENTED
    assert reply.ticket == ticket
    assert Comment.objects.get(ticket=ticket).body == "Nog steeds."


def test_a_reply_to_a_gereed_ticket_reopens_it(anna, ict_agent):
    ticket = ingest(raw=mail()).ticket
    mark_resolved(ticket=ticket, actor=ict_agent, resolution="Toner vervangen.")

    reply = ingest(raw=mail(subject=f"RE: {ticket.number}", body="Hij piept weer."))

    ticket.refresh_from_db()
    assert reply.outcome == InboundMessage.Outcome.REOPENED
    assert ticket.status == Status.REOPENED


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X_Autoreply": "yes"},
        {"List_Id": "<nieuws.voorbeeld.nl>"},
    ],
)
def test_automatic_mail_creates_nothing(anna, headers):
    result = ingest(raw=mail(subject="Afwezig: Printer", **headers))

    assert result.outcome == InboundMessage.Outcome.AUTO_REPLY
    assert not Ticket.objects.exists()


def test_mail_from_loket_itself_or_a_mailer_daemon_creates_nothing(anna, settings):
    settings.LOKET_MAIL_ADDRESSES = ["servicedesk@voorbeeld.nl"]

    assert ingest(raw=mail(sender="servicedesk@voorbeeld.nl")).outcome == InboundMessage.Outcome.LOOP
    assert ingest(raw=mail(sender="MAILER-DAEMON@voorbeeld.nl")).outcome == InboundMessage.Outcome.BOUNCE
    assert not Ticket.objects.exists()


def test_a_flood_from_one_sender_is_stopped(anna, settings):
    settings.LOKET_MAIL_RATE_LIMIT = 3

    outcomes = [ingest(raw=mail(body=f"bericht {n}")).outcome for n in range(5)]

    assert outcomes.count(InboundMessage.Outcome.CREATED) == 3
    assert outcomes[3:] == [InboundMessage.Outcome.RATE_LIMITED] * 2


def test_an_unknown_sender_gets_a_ticket_marked_as_such_or_is_refused(org, settings):
    created = ingest(raw=mail(sender="Piet <piet@elders.nl>"))
    assert created.outcome == InboundMessage.Outcome.CREATED
    assert "piet@elders.nl" in created.ticket.description

    settings.LOKET_MAIL_UNKNOWN_SENDERS = "reject"
    refused = ingest(raw=mail(sender="Kees <kees@elders.nl>"))
    assert refused.outcome == InboundMessage.Outcome.UNKNOWN_SENDER
    assert Ticket.objects.count() == 1


def test_an_html_only_mail_in_latin_1_is_read_as_text(anna):
    raw = (
        b"From: anna.jansen@voorbeeld.nl\r\nSubject: =?iso-8859-1?q?Caf=E9_dicht?=\r\n"
        b"Message-ID: <html-1@mail.example>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/html; charset="iso-8859-1"\r\n\r\n'
        b"<html><head><style>p{}</style></head><body><p>Het caf\xe9 is <b>dicht</b>.</p>"
        b"<script>alert(1)</script></body></html>\r\n"
    )

    ticket = ingest(raw=raw).ticket

    assert ticket.subject == "Café dicht"
    assert ticket.description == "Het café is dicht."


def test_a_message_too_large_is_recorded_not_taken_in(anna, settings):
    settings.LOKET_MAIL_MAX_BYTES = 100

    assert ingest(raw=mail(body="x" * 500)).outcome == InboundMessage.Outcome.TOO_LARGE
    assert not Ticket.objects.exists()


def test_a_pdf_attached_to_a_new_mail_is_kept_on_the_ticket(anna):
    message = EmailMessage()
    message["From"], message["Subject"], message["Message-ID"] = anna.email, "Factuur", "<pdf-1@mail.example>"
    message.set_content("Zie bijlage.")
    message.add_attachment(
        b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename="factuur.pdf"
    )

    ticket = ingest(raw=message.as_bytes()).ticket

    assert [a.filename for a in ticket.attachments.all()] == ["factuur.pdf"]
