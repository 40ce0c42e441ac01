from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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
            self.stdout.write(self.style.SUCCESS("Demo geladen: " + "; ".join(result.created)))
        else:
            self.stdout.write("Demo was al geladen: niets gewijzigd.")
        self.stdout.write(f"\nDemo-logins (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(
                f"  {login.username:<12} {login.first_name} {login.last_name}, {login.description}"
            )
        if no_server:
            return
        self.stdout.write(f"\nLoket draait op http://{addrport}/  (beheer: http://{addrport}/beheer/)\n")
        call_command("runserver", addrport, use_reloader=False)
