from django.contrib import admin

from oppms.admin import HistoryAdmin

from .models import SemiannualReport


@admin.register(SemiannualReport)
class SemiannualReportAdmin(HistoryAdmin):
    """Drafts' narrative may be corrected here; a final report is read only, even to admins."""

    list_display = ["__str__", "year", "half", "status", "finalized_at", "finalized_by"]
    list_filter = ["status", "half", "year"]
    search_fields = ["linkage_analysis", "conclusions", "next_semester_plans", "sha256"]
    readonly_fields = ["status", "finalized_at", "finalized_by", "pdf", "sha256"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_final:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_final:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete would skip has_delete_permission(obj) and could remove a final report.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
