"""`loket worker`: run the background jobs (outbox, webhook deliveries, ...) in this process."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from loket.core import jobs


class Command(BaseCommand):
    help = _("Voert de achtergrondtaken uit (uitgaande berichten, webhooks).")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=_("Elke taak één keer uitvoeren en stoppen."))
        parser.add_argument("--tick", type=float, default=1.0, help=_("Seconden tussen rondes."))

    def handle(self, *args, once: bool = False, tick: float = 1.0, **options):
        if once:
            for name, result in jobs.run_jobs().items():
                if isinstance(result, Exception):
                    self.stderr.write(_("%(job)s: mislukt: %(error)s") % {"job": name, "error": result})
                else:
                    self.stdout.write(f"{name}: {result}")
            return
        self.stdout.write(
            _("Achtergrondtaken gestart: %(jobs)s")
            % {"jobs": ", ".join(job.name for job in jobs.registered_jobs())}
        )
        try:
            jobs.run_forever(tick=tick)
        except KeyboardInterrupt:
            self.stdout.write(_("Gestopt."))
