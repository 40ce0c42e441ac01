from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import BusinessCalendar, ClosingDay, EscalationRule, ServiceAgreement, ServiceNorm, TicketClock


class ClosingDayInline(admin.TabularInline):
    model = ClosingDay
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "monday", "friday", "saturday", "is_default")
    search_fields = ("name", "code")
    filter_horizontal = ("teams", "catalog_items")
    inlines = [ClosingDayInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "is_default", "time_zone")}),
        (
            _("Openingstijden (bijvoorbeeld 08:30-17:00; leeg is gesloten)"),
            {"fields": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
        ),
        (_("Vrije dagen"), {"fields": ("public_holidays", "good_friday", "liberation_day")}),
        (_("Geldt voor"), {"fields": ("teams", "catalog_items")}),
    )


class ServiceNormInline(admin.TabularInline):
    model = ServiceNorm
    extra = 1
    autocomplete_fields = ("catalog_item",)


@admin.register(ServiceAgreement)
class ServiceAgreementAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "customer_unit", "valid_from", "valid_until", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")
    inlines = [ServiceNormInline]


@admin.register(ServiceNorm)
class ServiceNormAdmin(admin.ModelAdmin):
    list_display = ("__str__", "response_minutes", "resolution_minutes")
    list_filter = ("priority", "agreement")
    autocomplete_fields = ("catalog_item",)


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "trigger", "recipient", "department", "max_priority", "active")
    list_filter = ("trigger", "recipient", "active")


@admin.register(TicketClock)
class TicketClockAdmin(admin.ModelAdmin):
    list_display = ("ticket", "state", "response_state", "resolution_due", "paused_at", "stopped_at")
    list_filter = ("state", "response_state")
    list_select_related = ("ticket",)
    search_fields = ("ticket__number",)
    readonly_fields = [field.name for field in TicketClock._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
