from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "loket.sla"
    label = "sla"
    verbose_name = _("Servicenormen")

    def ready(self) -> None:
        from loket.core import jobs
        from loket.tickets import events

        from . import services

        events.subscribe(services.on_ticket_event)
        jobs.register_job("sla", services.sweep_job, every_seconds=60)
