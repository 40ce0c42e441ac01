"""`loket mail ingest`: one RFC 822 message on standard input (an MTA pipe, an .eml file)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from loket.mail.services import ingest


class Command(BaseCommand):
    help = "E-mail: 'ingest' reads one message (RFC 822) on standard input and registers it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["ingest"])
        parser.add_argument("--file", help="read the message from this file instead of standard input")

    def handle(self, *args, action, file=None, **options):
        try:
            raw = open(file, "rb").read() if file else sys.stdin.buffer.read()  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        if not raw.strip():
            raise CommandError("no message: standard input was empty")
        message = ingest(raw=raw)
        ticket = f" {message.ticket.number}" if message.ticket_id else ""
        self.stdout.write(f"{message.outcome}{ticket} {message.message_id}")
