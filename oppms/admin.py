"""What every admin page and spreadsheet import of OPPMS has in common.

Administración cleans data in the Django admin: every change page keeps its history with a
revert (django-simple-history), and the tables that arrive as spreadsheets also import and
export CSV and XLSX (django-import-export). A change or revert made from a stale form is
refused and shown, as on the app's pages (oppms.edit_conflicts). A record some rule keeps
(oppms.protection: a finalized report counts it) offers no deletion, alone, in bulk or in an
inline. Users and groups are managed here too, by someone who cannot grant more than they hold.
"""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router, transaction
from django.db.models import ProtectedError, Q
from django.http import Http404, HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model

from oppms.edit_conflicts import CONFLICT_MESSAGE, VERSION_FIELD, form_version, stale_save
from oppms.models import DigestSent, ReminderPreferences
from oppms.protection import KeptRecordError, deletion_refusal, deletion_refusals

admin.site.site_header = _("OPPMS administration")
# Registered by django.contrib.auth; registered again below, checking what is granted.
admin.site.unregister(User)
admin.site.unregister(Group)

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


def cell_key(value):
    """How a typed header or cell is matched: case and surrounding spaces do not matter."""
    return str(value).strip().casefold()


class ChoiceWidget(widgets.CharWidget):
    """A choice column: exports the label the application shows, imports the label or the code.

    Codes are still read so that files exported before the columns carried labels import.
    """

    def __init__(self, choices, column, coerce_to_string=True, allow_blank=True):
        super().__init__(coerce_to_string=coerce_to_string, allow_blank=allow_blank)
        self.choices = choices
        self.column = column

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text is None or not text.strip():
            return "" if self.allow_blank else None
        key = cell_key(text)
        # Labels first: they are what an export writes.
        for code, label in self.choices:
            if key == cell_key(label):
                return code
        for code, _label in self.choices:
            if key == cell_key(code):
                return code
        raise ValueError(
            gettext(
                "“%(value)s” is not allowed in the column “%(column)s”. "
                "Allowed values: %(allowed)s."
            )
            % {
                "value": text.strip(),
                "column": self.column,
                "allowed": ", ".join(str(label) for _code, label in self.choices),
            }
        )

    def render(self, value, obj=None, **kwargs):
        if value is None or value == "":
            return ""
        return str(dict(self.choices).get(value, value))


class YesNoWidget(widgets.BooleanWidget):
    """A yes/no column: exports "Sí" or "No"; imports those, yes/no, true/false or 1/0.

    The library's widget reads any other text as "no"; a typo here is an error instead.
    """

    TRUE_WORDS = ("sí", "si", "yes", "true", "1")
    FALSE_WORDS = ("no", "false", "0")
    EMPTY_WORDS = ("", "none", "null")

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return value
        key = cell_key(value)
        if key in self.EMPTY_WORDS:
            return None
        if key in self.TRUE_WORDS:
            return True
        if key in self.FALSE_WORDS:
            return False
        raise ValueError(
            gettext("“%(value)s” is neither “%(yes)s” nor “%(no)s”.")
            % {"value": str(value).strip(), "yes": gettext("Yes"), "no": gettext("No")}
        )

    def render(self, value, obj=None, **kwargs):
        if not isinstance(value, bool):
            return ""
        return gettext("Yes") if value else gettext("No")


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


def refusing_stale_saves(form_class):
    """``form_class`` refusing to save a record someone changed since the form was shown.

    The admin validates its change form inside the transaction that saves it, so the check's
    row lock holds until the save (oppms.edit_conflicts).
    """

    class VersionCheckedForm(form_class):
        edit_conflict = None

        def clean(self):
            cleaned_data = super().clean()
            if not self.instance._state.adding:
                seen = self.data.get(VERSION_FIELD, "")
                self.edit_conflict = stale_save(self.instance, seen)
                if self.edit_conflict is not None:
                    self.add_error(None, ValidationError(CONFLICT_MESSAGE, code="edit_conflict"))
            return cleaned_data

    VersionCheckedForm.__name__ = form_class.__name__
    return VersionCheckedForm


def is_key_of(field, text):
    """Whether ``text``, from an admin address, is a value the key ``field`` could hold."""
    try:
        field.to_python(unquote(text))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin whose change pages show who changed what and when, and can revert.

    A change or a revert never silently overwrites a save made meanwhile, here or in the app:
    it is refused and shows what changed, with the administrator's input kept, as on the app's
    edit pages. A record that must be kept has no delete link, its delete page answers 403, the
    bulk delete refuses a selection holding it, inlines refuse to delete it, and any other action
    that a guard refuses changes nothing and says why.
    """

    list_per_page = 50
    change_form_template = "admin/oppms/change_form.html"
    object_history_form_template = "admin/oppms/object_history_form.html"

    class Media:
        # A long word in a record's name widened the admin's pages on a phone.
        css = {"all": ["css/admin-phone.css"]}

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

    def get_form(self, request, obj=None, **kwargs):
        return refusing_stale_saves(super().get_form(request, obj, **kwargs))

    def response_action(self, request, queryset):
        # An action that deletes or changes a record some rule keeps is refused by the rule's
        # own guard (a pre_delete receiver, GuardedQuerySet.update) even where the action did
        # not ask first: the page then says why, and the savepoint undoes whatever it began.
        try:
            with transaction.atomic(using=queryset.db):
                return super().response_action(request, queryset)
        except (ProtectedError, KeptRecordError) as refusal:
            reasons = refusal.args[0] if isinstance(refusal, ProtectedError) else refusal.messages
            if isinstance(reasons, str):
                reasons = [reasons]
            self.message_user(
                request,
                _("Nothing was changed: %(reasons)s") % {"reasons": " ".join(map(str, reasons))},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield keep_guarded_inline_rows(formset), inline

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["deletion_refusal"] = deletion_refusal(obj)
            context.update(edit_version_context(request, context["adminform"].form, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_changeform_initial_data(self, request):
        """The add page's pre-fill from the address (?institution=3), keeping only the values
        their fields accept: a widget given a value its field could not hold fails to render."""
        initial = super().get_changeform_initial_data(request)
        return {name: value for name, value in initial.items() if self.field_accepts(name, value)}

    def field_accepts(self, name, value):
        """Whether the form field of the model field ``name`` accepts ``value``."""
        try:
            formfield = self.model._meta.get_field(name).formfield()
        except FieldDoesNotExist:
            return False
        if formfield is None:
            return False
        try:
            formfield.clean(value)
        except ValidationError:
            return False
        return True

    # django-simple-history looks the ids of its two pages up as typed: a record or version id
    # that is no number ("abc") ended in a 500. No record has such an id: the page is not found.
    def history_view(self, request, object_id, extra_context=None):
        if not is_key_of(self.model._meta.pk, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        version_key = get_history_manager_for_model(self.model).model._meta.pk
        if not (is_key_of(self.model._meta.pk, object_id) and is_key_of(version_key, version_id)):
            raise Http404
        # A revert is validated and saved in one transaction, as a change is, so that the
        # version check's row lock holds until the save.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        if template == self.object_history_form_template:
            context.update(
                edit_version_context(request, context["adminform"].form, context["original"])
            )
        return super().render_history_view(request, template, context, **kwargs)


def edit_version_context(request, form, record):
    """What the change and revert templates need to carry the version and show a conflict."""
    conflict = getattr(form, "edit_conflict", None)
    return {"edit_version": form_version(request, record, conflict), "edit_conflict": conflict}


# django-import-export's export page shows these, and its Spanish catalogue leaves them out (or
# fuzzy). Marked here, they go into our catalogue, which Django reads before the library's.
IMPORT_EXPORT_MISSING_SPANISH = (
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Select all"),
)

# django-axes has no Spanish catalogue: its admin pages, where Administración lifts lockouts,
# show these.
AXES_MISSING_SPANISH = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
)


class ColumnsExportForm(SelectableFieldsExportForm):
    """The export page's column tick-boxes, labelled with the headers the file will have."""

    def __init__(self, *args, **kwargs):
        self._resources = {}
        super().__init__(*args, **kwargs)

    def _get_field_label(self, resource, field_name):
        # The library labels them from the field names ("Held At"); our headers are set when a
        # resource is made, in the request's language: one made per resource, not per box.
        if resource not in self._resources:
            self._resources[resource] = resource()
        return self._resources[resource].fields[field_name].column_name


class ImportExportHistoryAdmin(ImportExportModelAdmin, HistoryAdmin):
    """History plus CSV/XLSX import and export.

    The mixins do not collide: import-export swaps ``change_list_template`` for one that adds
    its buttons and extends whatever template was set before, and simple-history only adds the
    history views, so the method resolution order
    ImportExportModelAdmin -> HistoryAdmin -> SimpleHistoryAdmin -> ModelAdmin keeps both.
    """

    formats = [CSV, XLSX]
    export_form_class = ColumnsExportForm

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

    The staff read Spanish: a column named after a model field is headed by that field's
    verbose name, as the admin shows it; choice columns hold labels and yes/no columns "Sí" or
    "No". An import also takes the codes and the field names as headers, so older files import.
    """

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "BooleanField": YesNoWidget,
        "DateField": LocalDateWidget,
        "DateTimeField": LocalDateTimeWidget,
    }

    class Meta:
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_bulk = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Here rather than when the class is built: declared fields get the same headers, and
        # each import or export is headed in the language active for its request.
        model_options = self._meta.model._meta
        for name, field in self.fields.items():
            if field.column_name != name:
                continue
            try:
                model_field = model_options.get_field(name)
            except FieldDoesNotExist:
                continue
            field.column_name = str(capfirst(model_field.verbose_name))

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.choices:
            return functools.partial(
                ChoiceWidget, choices=f.flatchoices, column=capfirst(f.verbose_name)
            )
        if isinstance(f, models.TextField) and not f.null:
            # An XLSX's empty cell is read as None, which such a column cannot hold: "" as a CSV's
            # empty cell gives (the library treats only CharFields so).
            return widgets.CharWidget
        return super().widget_from_django_field(f, default)

    def before_import(self, dataset, **kwargs):
        # A header matches its column however it is capitalised or spaced, and the field's own
        # name still matches, as in files exported before the headers were translated.
        columns = {}
        for name, field in self.fields.items():
            columns[cell_key(name)] = field.column_name
            columns[cell_key(field.column_name)] = field.column_name
        if dataset.headers:
            dataset.headers = [
                header if header is None else columns.get(cell_key(header), header)
                for header in dataset.headers
            ]
        super().before_import(dataset, **kwargs)

    def validate_instance(self, instance, *args, **kwargs):
        # The import page names each row's errors by field: name them by their column instead.
        try:
            super().validate_instance(instance, *args, **kwargs)
        except ValidationError as error:
            raise ValidationError(
                {
                    self.fields[name].column_name if name in self.fields else name: errors
                    for name, errors in error.error_dict.items()
                }
            ) from error

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


# Users and groups. Administración manages accounts but holds only its role's permissions; a
# superuser holds them all. Whoever is not a superuser cannot hand out more than they hold:
# neither superuser status, nor a permission, nor a group with a permission they lack. Nor can
# they take over an account that holds more (by changing its password, say), or delete it.


def permissions_of(account):
    """Every permission an account holds, its own and its groups', active or not."""
    return Permission.objects.filter(Q(user=account) | Q(group__user=account))


def unheld(permissions, acting_user):
    """Those of ``permissions`` (a queryset) that ``acting_user`` does not hold."""
    return permissions.exclude(pk__in=permissions_of(acting_user).values("pk"))


def outranks(account, acting_user):
    """Whether ``account`` holds something ``acting_user`` does not."""
    if acting_user.is_superuser:
        return False
    return account.is_superuser or unheld(permissions_of(account), acting_user).exists()


def listed(records):
    return ", ".join(str(record) for record in records)


def refusing_unheld_grants(form_class, acting_user):
    """``form_class`` refusing, next to each field, what ``acting_user`` may not grant."""

    class GrantCheckedForm(form_class):
        def clean(self):
            cleaned_data = super().clean()
            if acting_user.is_superuser:
                return cleaned_data
            if cleaned_data.get("is_superuser"):
                self.add_error(
                    "is_superuser", _("Only a superuser can make another user a superuser.")
                )
            for field in ("permissions", "user_permissions"):
                added = self.added(field)
                if added is None:
                    continue
                refused = list(unheld(added, acting_user).select_related("content_type"))
                if refused:
                    self.add_error(
                        field,
                        _("You cannot grant permissions you do not hold: %(permissions)s.")
                        % {"permissions": listed(refused)},
                    )
            added_groups = self.added("groups") or []
            refused_groups = [
                group
                for group in added_groups
                if unheld(group.permissions.all(), acting_user).exists()
            ]
            if refused_groups:
                self.add_error(
                    "groups",
                    _(
                        "You cannot add a user to a group with permissions you do not hold: "
                        "%(groups)s."
                    )
                    % {"groups": listed(refused_groups)},
                )
            return cleaned_data

        def added(self, field):
            """What the form adds to the many-to-many ``field``; None if it lacks the field."""
            chosen = self.cleaned_data.get(field)
            if chosen is not None and self.instance.pk is not None:
                chosen = chosen.exclude(pk__in=getattr(self.instance, field).all())
            return chosen

    GrantCheckedForm.__name__ = form_class.__name__
    return GrantCheckedForm


class GrantCheckedAdmin:
    """For the user and group admins: forms refuse grants beyond what the acting user holds."""

    def get_form(self, request, obj=None, **kwargs):
        return refusing_unheld_grants(super().get_form(request, obj, **kwargs), request.user)


@admin.register(User)
class AccountAdmin(GrantCheckedAdmin, UserAdmin):
    def has_change_permission(self, request, obj=None):
        if obj is not None and outranks(obj, request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and outranks(obj, request.user):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # The bulk "delete selected" asks here, not has_delete_permission, about each account.
        deleted, counts, permissions_needed, protected = super().get_deleted_objects(objs, request)
        if any(outranks(account, request.user) for account in objs):
            permissions_needed.add(self.opts.verbose_name)
        return deleted, counts, permissions_needed, protected


@admin.register(Group)
class RoleAdmin(GrantCheckedAdmin, GroupAdmin):
    pass


@admin.register(ReminderPreferences)
class ReminderPreferencesAdmin(HistoryAdmin):
    list_display = ["user", "digest_enabled", "days_ahead"]
    list_filter = ["digest_enabled"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    # The calendar secret is the user's to see and renew, on their own page only.
    exclude = ["calendar_secret"]
    readonly_fields = ["user"]


@admin.register(DigestSent)
class DigestSentAdmin(HistoryAdmin):
    list_display = ["day", "user", "item_count", "sent_at"]
    list_filter = ["day"]
    search_fields = ["user__username", "user__email"]
    date_hierarchy = "day"
