"""What every admin page and spreadsheet import of OPPMS has in common.

Administración cleans data in the Django admin: every change page keeps its history with a
revert (django-simple-history), and the tables that arrive as spreadsheets also import and
export CSV and XLSX (django-import-export). A record some rule keeps (oppms.protection: a
finalized report counts it) offers no deletion, alone, in bulk or in an inline.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export import resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from oppms.protection import deletion_refusal, deletion_refusals

admin.site.site_header = _("OPPMS administration")

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class LocalDateWidget(widgets.DateWidget):
    """Dates as Ecuador writes them (dd/mm/aaaa), or ISO; never the US month-first reading."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formats = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y")


class LocalDateTimeWidget(widgets.DateTimeWidget):
    """Date and time as Ecuador writes them, in the observatory's time zone, or ISO."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formats = (
            "%d/%m/%Y %H:%M",
            "%d/%m/%Y %H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
        )


# How many refused records the bulk delete's message names.
REFUSALS_LISTED = 10


def delete_selected_unless_kept(modeladmin, request, queryset):
    """Django's "delete selected", refused whole when any selected record must be kept."""
    refused = deletion_refusals(queryset)
    if not refused:
        return delete_selected(modeladmin, request, queryset)
    listed = "; ".join(f"{record} ({reason})" for record, reason in refused[:REFUSALS_LISTED])
    if len(refused) > REFUSALS_LISTED:
        listed += " …"
    modeladmin.message_user(
        request,
        ngettext(
            "Nothing was deleted: %(count)d selected record must be kept: %(records)s",
            "Nothing was deleted: %(count)d selected records must be kept: %(records)s",
            len(refused),
        )
        % {"count": len(refused), "records": listed},
        messages.ERROR,
    )
    return None


def keep_guarded_inline_rows(formset_class):
    """An inline formset that refuses, next to its rows, to delete a record that must be kept."""

    class GuardedFormSet(formset_class):
        def clean(self):
            super().clean()
            for form in self.forms:
                if form.instance.pk is None or not self._should_delete_form(form):
                    continue
                reason = deletion_refusal(form.instance)
                if reason:
                    raise forms.ValidationError(
                        _("“%(record)s” cannot be deleted. %(reason)s")
                        % {"record": form.instance, "reason": reason},
                        code="kept",
                    )

    GuardedFormSet.__name__ = formset_class.__name__
    return GuardedFormSet


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin whose change pages show who changed what and when, and can revert.

    A record that must be kept has no delete link, its delete page answers 403, the bulk
    delete refuses a selection holding it, and inlines refuse to delete it.
    """

    list_per_page = 50
    change_form_template = "admin/oppms/change_form.html"

    def has_delete_permission(self, request, obj=None):
        if obj is not None and deletion_refusal(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _function, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_unless_kept, name, description)
        return actions

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield keep_guarded_inline_rows(formset), inline

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["deletion_refusal"] = deletion_refusal(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


class ImportExportHistoryAdmin(ImportExportModelAdmin, HistoryAdmin):
    """History plus CSV/XLSX import and export.

    The mixins do not collide: import-export swaps ``change_list_template`` for one that adds
    its buttons and extends whatever template was set before, and simple-history only adds the
    history views, so the method resolution order
    ImportExportModelAdmin -> HistoryAdmin -> SimpleHistoryAdmin -> ModelAdmin keeps both.
    """

    formats = [CSV, XLSX]

    def has_import_permission(self, request):
        # An import adds and updates rows: it needs both permissions, not just admin access.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)


class OppmsResource(resources.ModelResource):
    """A resource that saves row by row (so history is kept) and imports all or nothing.

    A file with any bad row, including rows that fail the model's validation, is rolled back
    whole and reported; exported text cells that a spreadsheet would run as a formula get a
    leading apostrophe, which an import of the same file strips again.
    """

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "DateField": LocalDateWidget,
        "DateTimeField": LocalDateTimeWidget,
    }

    class Meta:
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_bulk = False

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        return super().import_data(
            dataset, *args, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(FORMULA_STARTS):
                row[key] = value[1:]
        super().before_import_row(row, **kwargs)
