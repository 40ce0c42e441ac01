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

        from django.db.models.signals import post_delete, post_save

        from loket.catalog.models import CatalogItem

        from .selectors import forget_popular_items

        # A changed item (renamed, withdrawn) shows at once on the home page.
        post_save.connect(forget_popular_items, sender=CatalogItem, dispatch_uid="popular-items-save")
        post_delete.connect(forget_popular_items, sender=CatalogItem, dispatch_uid="popular-items-delete")
