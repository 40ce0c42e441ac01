from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "topic", "created_at", "sent_at", "attempts"]
    list_filter = ["topic", ("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    search_fields = ["topic"]

    def has_add_permission(self, request):
        return False
