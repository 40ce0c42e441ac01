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
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import BusinessCalendar, ClosingDay, ServiceAgreement, ServiceNorm

        for model in (BusinessCalendar, ClosingDay, ServiceAgreement, ServiceNorm):
            post_save.connect(
                services.invalidate_config, sender=model, dispatch_uid=f"sla-config-{model.__name__}"
            )
            post_delete.connect(
                services.invalidate_config, sender=model, dispatch_uid=f"sla-config-del-{model.__name__}"
            )
        for relation in (BusinessCalendar.teams.through, BusinessCalendar.catalog_items.through):
            m2m_changed.connect(
                services.invalidate_config, sender=relation, dispatch_uid=f"sla-config-{relation}"
            )
        jobs.register_job("sla", services.sweep_job, every_seconds=60)
