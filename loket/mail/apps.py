from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "loket.mail"
    label = "mail"
    verbose_name = _("E-mail")

    def ready(self) -> None:
        from loket.core import jobs, outbox

        from . import imap, notifications

        outbox.register_handler("ticket.", notifications.notify)
        outbox.register_handler("sla.escalation", notifications.notify)
        outbox.register_handler("mail.refused", notifications.refuse)
        jobs.register_job("mail", notifications.send_due, every_seconds=10)
        jobs.register_job("imap", imap.poll_all, every_seconds=30)
