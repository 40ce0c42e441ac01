from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from loket.core import jobs
from loket.core.errors import DomainError
from loket.demo.loader import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = "Prepare the demo organisation (migrate, load) and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-server", action="store_true", help="prepare the database, do not serve")
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)"
        )

    def handle(self, *args, no_server=False, addrport="127.0.0.1:8000", **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = load_demo()
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        if result.changed:
            self.stdout.write(
                self.style.SUCCESS(_("Demo geladen: %(what)s") % {"what": "; ".join(result.created)})
            )
        else:
            self.stdout.write(_("Demo was al geladen: niets gewijzigd."))
        self.stdout.write(
            "\n" + _("Demo-logins (wachtwoord voor allemaal: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for login in demo_logins():
            self.stdout.write(
                f"  {login.username:<12} {login.first_name} {login.last_name}, {login.description}"
            )
        if no_server:
            return
        self.stdout.write(
            "\n"
            + _("Loket draait op http://%(at)s/  (beheer: http://%(at)s/beheer/)") % {"at": addrport}
            + "\n"
        )
        # The demo needs no separate worker: background jobs run in a thread of this process.
        jobs.start_in_background()
        call_command("runserver", addrport, use_reloader=False)
