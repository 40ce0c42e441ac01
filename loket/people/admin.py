from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Employee, Location, OrgUnit, ServiceDepartment, Team, TeamMembership


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["employee"]


@admin.register(ServiceDepartment)
class ServiceDepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "confidential_by_default", "default_team", "active"]
    search_fields = ["code", "name"]
    list_filter = ["active", "confidential_by_default"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "department", "active"]
    list_filter = ["kind", "department", "active"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]
    list_select_related = ["department"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["building", "floor", "room"]
    search_fields = ["building", "room"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["employee_number", "last_name", "first_name", "email", "unit", "has_login", "active"]
    list_filter = ["active", "unit"]
    search_fields = ["employee_number", "first_name", "last_name", "email", "phone"]
    autocomplete_fields = ["manager", "user"]
    list_select_related = ["unit"]
    inlines = [MembershipInline]

    @admin.display(boolean=True, description=_("inlog"))
    def has_login(self, obj):
        return obj.user_id is not None
