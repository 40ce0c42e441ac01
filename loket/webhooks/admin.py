"""Webhooks in the Django admin: administrators register receivers and follow every delivery."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from loket.core.errors import DomainError

from .models import Event, Webhook, WebhookDelivery
from .services import delivery_body, retry_delivery, save_webhook, validate_webhook_url


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("adres (URL)"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("gebeurtenissen"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één gebeurtenis.")},
        help_text=_("Heropenen, sluiten en reacties komen binnen als 'melding gewijzigd'."),
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "active"]

    def clean_url(self):
        try:
            return validate_webhook_url(self.cleaned_data["url"])
        except DomainError as error:
            raise ValidationError(error.message, code=error.code) from error


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """The secret is generated on creation and shown (read-only) on the change page, for the
    receiver's configuration."""

    form = WebhookForm
    list_display = ["name", "url", "event_list", "active"]
    list_filter = ["active"]
    search_fields = ["name", "url"]

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "events", "active"]
        return [*fields, "secret", "created_at"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        return ["secret", "created_at"] if obj else []

    @admin.display(description=_("gebeurtenissen"))
    def event_list(self, obj: Webhook) -> str:
        labels = dict(Event.choices)
        return ", ".join(str(labels.get(event, event)) for event in obj.events)

    def save_model(self, request, obj, form, change):
        save_webhook(
            webhook=obj,
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            active=form.cleaned_data["active"],
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries are made by the worker; an administrator can only retry one now."""

    list_display = [
        "id",
        "webhook",
        "event",
        "change",
        "status",
        "attempts",
        "last_status_code",
        "short_error",
        "last_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event", "webhook"]
    list_select_related = ["webhook"]
    ordering = ["-id"]
    show_full_result_count = False
    actions = ["retry_now"]
    fields = [
        "webhook",
        "event",
        "change",
        "occurred_at",
        "outbox_message_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
        "body",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("webhooks.change_webhookdelivery")

    @admin.display(description=_("laatste fout"))
    def short_error(self, obj: WebhookDelivery) -> str:
        return Truncator(obj.last_error).chars(80)

    @admin.display(description=_("verzonden inhoud"))
    def body(self, obj: WebhookDelivery) -> str:
        body = json.loads(delivery_body(obj))
        return format_html("<pre>{}</pre>", json.dumps(body, ensure_ascii=False, indent=2))

    @admin.action(description=_("Nu opnieuw proberen"), permissions=["retry"])
    def retry_now(self, request, queryset):
        retried = skipped = 0
        for delivery in queryset:
            try:
                retry_delivery(delivery=delivery)
            except DomainError:
                skipped += 1
            else:
                retried += 1
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d aflevering wordt zo opnieuw verstuurd.",
                    "%(count)d afleveringen worden zo opnieuw verstuurd.",
                    retried,
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d bericht was al bezorgd en wordt niet nog eens verstuurd.",
                    "%(count)d berichten waren al bezorgd en worden niet nog eens verstuurd.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
