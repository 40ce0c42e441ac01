from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import InboundMessage, OutboundMessage
from .notifications import retry_now


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """Every message Loket received, with what became of it (read-only)."""

    list_display = ["received_at", "sender", "subject", "outcome", "ticket"]
    list_filter = ["outcome"]
    search_fields = ["message_id", "sender", "subject"]
    list_select_related = ["ticket"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Notifications and their last delivery status; a failed one can be sent again."""

    list_display = ["created_at", "to_address", "kind", "subject", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject", "message_id"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Nu opnieuw versturen"))
    def send_again(self, request, queryset):
        for outbound in queryset:
            retry_now(outbound=outbound)
        self.message_user(request, _("De gekozen e-mails worden opnieuw verstuurd."))
