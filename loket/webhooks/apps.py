from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "loket.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from loket.core import jobs, outbox

        from . import services

        outbox.register_handler("ticket.", services.fan_out)
        jobs.register_job("webhooks", services.deliver_due, every_seconds=5)
