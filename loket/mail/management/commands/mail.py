"""`loket mail ingest`: one RFC 822 message on standard input (an MTA pipe, an .eml file)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from loket.mail.services import ingest


class Command(BaseCommand):
    help = (
        "E-mail: 'ingest' reads one message (RFC 822) on standard input and registers it; "
        "'poll' fetches the unread messages of every active IMAP mailbox once."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["ingest", "poll"])
        parser.add_argument("--file", help="read the message from this file instead of standard input")

    def handle(self, *args, action, file=None, **options):
        if action == "poll":
            from loket.mail.imap import poll_mailbox
            from loket.mail.models import Mailbox

            mailboxes = list(Mailbox.objects.filter(active=True))
            if not mailboxes:
                raise CommandError("no active mailboxes: add one in the admin (E-mail, mailboxen)")
            for mailbox in mailboxes:
                result = poll_mailbox(mailbox=mailbox)
                summary = ", ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items())) or "nothing new"
                error = f" ERROR {result.error}" if result.error else ""
                self.stdout.write(f"{mailbox.name}: {result.fetched} fetched ({summary}){error}")
            return
        try:
            raw = open(file, "rb").read() if file else sys.stdin.buffer.read()  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        if not raw.strip():
            raise CommandError(
                f"no message: {file} is empty" if file else "no message: standard input was empty"
            )
        message = ingest(raw=raw)
        ticket = f" {message.ticket.number}" if message.ticket_id else ""
        self.stdout.write(f"{message.outcome}{ticket} {message.message_id}")
