from django.contrib import admin

from oppms.admin import HistoryAdmin, ImportExportHistoryAdmin

from .models import AgendaItem, Agreement, Ally
from .resources import AllyResource


@admin.register(Ally)
class AllyAdmin(ImportExportHistoryAdmin):
    resource_classes = [AllyResource]
    list_display = ["name", "acronym", "kind", "province", "city", "border_region", "allied_on"]
    list_filter = ["kind", "border_region", "province", "allied_on"]
    search_fields = ["name", "acronym", "city"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["activity", "due_on", "status"]
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(HistoryAdmin):
    list_display = ["title", "ally", "status", "signed_on", "ends_on"]
    list_select_related = ["ally"]
    list_filter = ["status", "ally__kind"]
    search_fields = ["title", "areas", "ally__name", "ally__acronym"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["ally"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(HistoryAdmin):
    list_display = ["activity", "agreement", "ally", "due_on", "status"]
    list_select_related = ["agreement__ally"]
    list_filter = ["status"]
    search_fields = ["activity", "agreement__title", "agreement__ally__name"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["agreement"]

    @admin.display(description=Ally._meta.verbose_name, ordering="agreement__ally__name")
    def ally(self, item):
        return item.agreement.ally
