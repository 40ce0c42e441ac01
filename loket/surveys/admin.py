from django.contrib import admin

from .models import SatisfactionScore


@admin.register(SatisfactionScore)
class SatisfactionScoreAdmin(admin.ModelAdmin):
    list_display = ("ticket", "score", "respondent", "created_at")
    list_filter = ("score",)
    search_fields = ("ticket__number", "comment")
    list_select_related = ("ticket", "respondent")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
