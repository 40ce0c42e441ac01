from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import InboundMessage, Mailbox, OutboundMessage
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


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    """IMAP mailboxes the worker polls, with when they were last read and the last error."""

    list_display = [
        "name",
        "username",
        "host",
        "folder",
        "department",
        "active",
        "last_polled_at",
        "last_error",
    ]
    list_filter = ["active", "department"]
    readonly_fields = ["last_polled_at", "last_error"]
    fields = [
        "name",
        "host",
        "port",
        "use_ssl",
        "username",
        "auth",
        "secret",
        "folder",
        "processed_folder",
        "department",
        "active",
        "last_polled_at",
        "last_error",
    ]

    def get_form(self, request, obj=None, **kwargs):
        from django import forms

        form = super().get_form(request, obj, **kwargs)
        # The stored secret is never shown again; leave it empty to keep it.
        form.base_fields["secret"].widget = forms.PasswordInput(render_value=False)
        form.base_fields["secret"].required = obj is None
        return form

    def save_model(self, request, obj, form, change):
        if change and not form.cleaned_data.get("secret"):
            obj.secret = Mailbox.objects.get(pk=obj.pk).secret
        super().save_model(request, obj, form, change)
