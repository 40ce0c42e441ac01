from django.contrib import admin

from .models import CatalogItem


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "department",
        "standard",
        "response_minutes",
        "resolution_minutes",
        "active",
    ]
    list_filter = ["department", "standard", "active"]
    search_fields = ["code", "name", "description"]
    list_select_related = ["department"]
    autocomplete_fields = ["default_team"]
