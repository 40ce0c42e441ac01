import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from loket.tickets.services import import_ticket_lines


class Command(BaseCommand):
    help = "Import historical tickets from a JSON Lines file (the demo-org tickets-train.jsonl format)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="Import FILE.jsonl ('-' for standard input); bad lines are reported."
        )
        imp.add_argument("file")

    def handle(self, *args, action, file, **options):
        try:
            stream = sys.stdin if file == "-" else Path(file).open(encoding="utf-8")  # noqa: SIM115
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            raise CommandError(
                _("Kan %(file)s niet openen: %(why)s") % {"file": file, "why": exc.strerror}
            ) from None
        try:
            result = import_ticket_lines(lines=stream)
        except UnicodeDecodeError:
            raise CommandError(_("%(file)s is geen UTF-8-tekst.") % {"file": file}) from None
        finally:
            if stream is not sys.stdin:
                stream.close()
        for error in result.errors:
            self.stderr.write(error)
        summary = result.summary()
        if result.errors:
            self.stdout.write(self.style.WARNING(summary))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(summary))
