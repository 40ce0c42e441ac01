from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from loket.catalog.selectors import catalog_yaml
from loket.catalog.services import import_catalog_file
from loket.core.errors import DomainError


class Command(BaseCommand):
    help = "Import or export the product and service catalogue (YAML, the demo-org format)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import FILE.yaml: idempotent by code, all or nothing.")
        imp.add_argument("file")
        exp = sub.add_parser("export", help="Write the catalogue as YAML to standard output or --output.")
        exp.add_argument("--output", "-o", help="file to write instead of standard output")

    def handle(self, *args, action, **options):
        if action == "export":
            text = catalog_yaml()
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(_("Bestand niet gevonden: %(path)s") % {"path": path}) from None
        except (UnicodeDecodeError, IsADirectoryError, PermissionError) as exc:
            raise CommandError(_("Kan %(path)s niet lezen: %(why)s") % {"path": path, "why": exc}) from None
        try:
            result = import_catalog_file(text=text)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
