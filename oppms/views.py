"""Building blocks every page of the application is made of.

Each page needs a login and a model permission: anonymous visitors are sent to the login page,
logged-in users without the permission get 403. Changes go through POST with CSRF only.
"""

import mimetypes
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from oppms.history import describe
from oppms.record_access import may_view

SEARCH_LIMIT = 20


def search_response(request, queryset, fields):
    """JSON for a searchable select: at most SEARCH_LIMIT records whose ``fields`` contain ``q``."""
    # A NUL character cannot reach PostgreSQL; nobody searches for one.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    if query:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": query})
        queryset = queryset.filter(condition)
    results = [{"id": record.pk, "text": str(record)} for record in queryset[:SEARCH_LIMIT]]
    return JsonResponse({"results": results})


def list_url(name, *args, **params):
    """The URL of a page (a list, usually) with ``params`` as its query: its filters."""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def model_permission(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class ModelPermissionMixin(PermissionRequiredMixin):
    """Require ``<app>.<action>_<model>`` for the view's model, unless a permission is given."""

    action = "view"

    def get_permission_required(self):
        if self.permission_required:
            return super().get_permission_required()
        return (model_permission(self.model, self.action),)


class RecordListView(ModelPermissionMixin, FilterView):
    """A filtered, paginated list whose query count does not depend on the number of rows."""

    paginate_by = 25
    template_name_suffix = "_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = urlencode(query, doseq=True)
        context["can_add"] = self.request.user.has_perm(model_permission(self.model, "add"))
        return context


class RecordDetailView(ModelPermissionMixin, DetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm(model_permission(self.model, "change"))
        return context


class RecordFormMixin(ModelPermissionMixin):
    """Create and edit pages: a crispy form, a message on success, "save and add another"."""

    template_name = "partials/form_page.html"
    success_message = ""
    add_another_param = "_addanother"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.get_success_message())
        return response

    def get_success_message(self):
        return self.success_message or _("“%(record)s” was saved.") % {"record": self.object}

    def get_success_url(self):
        if self.add_another_param in self.request.POST:
            return self.request.path
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["model_name"] = self.model._meta.verbose_name
        context["cancel_url"] = self.get_cancel_url()
        return context

    def get_cancel_url(self):
        if getattr(self, "object", None) is not None and self.object.pk:
            return self.object.get_absolute_url()
        return self.request.META.get("HTTP_REFERER", "/")


class RecordCreateView(RecordFormMixin, CreateView):
    action = "add"
    offer_add_another = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offer_add_another"] = self.offer_add_another
        return context


class RecordUpdateView(RecordFormMixin, UpdateView):
    """An edit page that never silently overwrites someone else's save.

    The form carries the id of the record's latest history entry when it was shown; a save is
    refused when the record has changed since, and the page then shows who changed what, with
    the user's input kept in the form. Saving again after seeing that is a deliberate choice.
    """

    action = "change"
    version_field = "_edit_version"
    edit_conflict = None

    def latest_version(self):
        history_id = (
            self.object.history.order_by("-history_date", "-history_id")
            .values_list("history_id", flat=True)
            .first()
        )
        return "" if history_id is None else str(history_id)

    def form_valid(self, form):
        with transaction.atomic():
            # Lock the row so that two saves at the same moment cannot both pass the check.
            type(self.object).objects.select_for_update().filter(pk=self.object.pk).exists()
            seen = self.request.POST.get(self.version_field, "")
            current = self.latest_version()
            if seen != current:
                self.edit_conflict = edit_conflict(self.object, seen, current)
                form.add_error(
                    None,
                    ValidationError(
                        _("Someone else saved this record while you were editing it."),
                        code="edit_conflict",
                    ),
                )
                return self.form_invalid(form)
            return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.edit_conflict is not None:
            context["edit_version"] = self.edit_conflict["current"]
        elif self.request.method == "POST":
            context["edit_version"] = self.request.POST.get(self.version_field, "")
        else:
            context["edit_version"] = self.latest_version()
        context["edit_conflict"] = self.edit_conflict
        return context


def edit_conflict(record, seen, current):
    """Who saved ``record`` since the version ``seen`` was shown, and what each one changed."""
    versions = record.history.select_related("history_user").order_by("-history_id")
    # The version comes back from the browser: anything but a history id means "unknown".
    seen_id = int(seen) if seen.isascii() and seen.isdigit() and int(seen) < 2**63 else None
    if seen_id is None:
        newer, before = list(versions), None
    else:
        newer = list(versions.filter(history_id__gt=seen_id))
        before = versions.filter(history_id=seen_id).first()
    rows = newer + ([before] if before is not None else [])
    return {"current": current, "entries": describe(type(record), rows, len(newer))}


# The uploaded files a user may download: (app_label, model_name) -> file fields. Files are
# handed out only to users who may view the record they belong to.
PROTECTED_FILE_FIELDS = {
    ("allies", "agreement"): {"document"},
    ("observance", "meeting"): {"minutes"},
    ("observance", "informationrequest"): {"request_file", "response_file"},
    ("observance", "evaluation"): {"document"},
}


# Private: no proxy or shared cache may keep a copy to hand to the next person asking.
@cache_control(private=True, no_store=True)
@login_required
def protected_file(request, app_label, model_name, pk, field):
    if field not in PROTECTED_FILE_FIELDS.get((app_label, model_name), ()):
        raise Http404
    model = apps.get_model(app_label, model_name)
    if not request.user.has_perm(model_permission(model, "view")):
        raise PermissionDenied
    record = get_object_or_404(model, pk=pk)
    if not may_view(request.user, record):
        raise PermissionDenied
    stored = getattr(record, field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    download_name = f"{model_name}-{pk}-{field}{stored.name[stored.name.rfind('.') :]}"
    return FileResponse(
        handle, as_attachment=True, filename=download_name, content_type=content_type
    )
