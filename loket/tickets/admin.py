from django.contrib import admin

from .models import RegistrationGuide, ReplyTemplate, Ticket, TicketChange


class ChangeInline(admin.TabularInline):
    model = TicketChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "field", "old_value", "new_value", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: tickets change through the desk and the API, where the workflow rules hold."""

    list_display = ["number", "subject", "status", "department", "team", "requester", "created_at"]
    list_filter = ["status", "department", "channel", "kwis", "confidential"]
    search_fields = ["number", "subject", "external_ref"]
    list_select_related = ["department", "team", "requester"]
    inlines = [ChangeInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegistrationGuide)
class RegistrationGuideAdmin(admin.ModelAdmin):
    """One guide for the whole desk: the checks on every public reply."""

    list_display = ["__str__", "require_greeting", "require_next_step", "max_length"]

    def has_add_permission(self, request):
        return not RegistrationGuide.objects.exists()


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "active"]
    list_filter = ["active", "team"]
    search_fields = ["name", "body"]
