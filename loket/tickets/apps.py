from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "loket.tickets"
    label = "tickets"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        from loket.core import jobs

        from .services import close_expired_resolutions

        jobs.register_job("auto_close", close_expired_resolutions, every_seconds=3600)
