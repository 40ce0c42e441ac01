from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "loket.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from . import jobs, outbox

        jobs.register_job("outbox", outbox.process_outbox, every_seconds=2)
