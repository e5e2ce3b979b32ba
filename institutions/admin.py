from django.contrib import admin

from oppms.admin import HistoryAdmin, ImportExportHistoryAdmin

from .models import Contact, Institution, ResponsibilityArea
from .resources import InstitutionResource


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "position", "email", "phone"]
    extra = 0


class ResponsibilityAreaInline(admin.StackedInline):
    model = ResponsibilityArea
    fields = ["name", "description"]
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(ImportExportHistoryAdmin):
    resource_classes = [InstitutionResource]
    list_display = ["name", "acronym", "branch", "level", "role", "province", "mapped_on", "active"]
    list_filter = ["active", "branch", "level", "role", "province"]
    search_fields = ["name", "acronym", "sector"]
    date_hierarchy = "mapped_on"
    inlines = [ContactInline, ResponsibilityAreaInline]


@admin.register(Contact)
class ContactAdmin(HistoryAdmin):
    list_display = ["name", "position", "institution", "email", "phone"]
    list_select_related = ["institution"]
    list_filter = ["institution__branch"]
    search_fields = ["name", "position", "email", "institution__name", "institution__acronym"]
    autocomplete_fields = ["institution"]


@admin.register(ResponsibilityArea)
class ResponsibilityAreaAdmin(HistoryAdmin):
    list_display = ["name", "institution"]
    list_select_related = ["institution"]
    list_filter = ["institution__branch"]
    search_fields = ["name", "description", "institution__name", "institution__acronym"]
    autocomplete_fields = ["institution"]
