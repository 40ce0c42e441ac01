from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "department", "starts_at", "ends_at"]
    list_filter = ["kind", "department"]
    search_fields = ["title", "body"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_by", "created_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class AnnouncementForm(form):
            def clean(self):
                data = super().clean()
                start, end = data.get("starts_at"), data.get("ends_at")
                if start and end and end <= start:
                    raise ValidationError({"ends_at": _("Het einde moet na het begin liggen.")})
                return data

        return AnnouncementForm

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = getattr(request.user, "employee", None)
        super().save_model(request, obj, form, change)
