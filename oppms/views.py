"""Building blocks every page of the application is made of.

Each page needs a login and a model permission: anonymous visitors are sent to the login page,
logged-in users without the permission get 403. Changes go through POST with CSRF only.
"""

import functools
import mimetypes
import re
import secrets
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Func, IntegerField, Subquery, Value
from django.http import FileResponse, Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from oppms.dated_counts import DatedCountPaginator
from oppms.edit_conflicts import CONFLICT_MESSAGE, VERSION_FIELD, form_version, stale_save
from oppms.exports import EXPORTERS, default_resource, file_name
from oppms.plain import MAX_SEARCH_LENGTH, plain_search
from oppms.record_access import may_view
from oppms.sorting import in_one_order
from oppms.submissions import submission_token, submit_once
from oppms.unchanged import keep, lookup, recording, while_unchanged

SEARCH_LIMIT = 20
# ?format=csv or ?format=xlsx on a list: its rows as a spreadsheet.
EXPORT_PARAMETER = "format"


def search_response(request, queryset, fields):
    """JSON for a searchable select: at most SEARCH_LIMIT records whose ``fields`` contain ``q``."""
    queryset = plain_search(queryset, fields, request.GET.get("q", "")[:MAX_SEARCH_LENGTH])
    results = [{"id": record.pk, "text": str(record)} for record in queryset[:SEARCH_LIMIT]]
    return JsonResponse({"results": results})


def row_count(queryset):
    """The number of rows of ``queryset`` (a correlated one, with ``OuterRef``) as a subquery.

    A plain ``SELECT COUNT(*) ... WHERE``, 0 when there is none: unlike ``Count`` grouped by
    the outer key, PostgreSQL counts it from an index alone where the index covers the filter.
    """
    counted = queryset.order_by().annotate(row_count=Func(Value(1), function="COUNT"))
    return Subquery(counted.values("row_count"), output_field=IntegerField())


def list_url(name, *args, **params):
    """The URL of a page (a list, usually) with ``params`` as its query: its filters."""
    return list_urls()(name, *args, **params)


def list_urls():
    """``list_url`` for a page of many links to the same few pages (the report's figures: 160
    links to 8 lists), each page's path reversed once."""
    paths = {}

    def url(name, *args, **params):
        path = paths.get((name, args))
        if path is None:
            path = paths[name, args] = reverse(name, args=args)
        return f"{path}?{urlencode(params)}" if params else path

    return url


def model_permission(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class ModelPermissionMixin(PermissionRequiredMixin):
    """Require ``<app>.<action>_<model>`` for the view's model, unless a permission is given."""

    action = "view"

    def get_permission_required(self):
        if self.permission_required:
            return super().get_permission_required()
        return (model_permission(self.model, self.action),)


# What a kept page's forms carry that is each showing's own: the reader's CSRF token (masked anew
# on every page) and a create form's one-time submission token (oppms.submissions). Kept with
# marks in their place, they are made anew each time the page is shown again. The marks are
# random, so no record's text can hold one.
CSRF_TOKEN_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_TOKEN_VALUE = re.compile(r'name="submission_token" value="([^"]+)"')
_MARK = secrets.token_hex(16)
CSRF_TOKEN_MARK = f"csrf-token-{_MARK}"
SUBMISSION_TOKEN_MARK = f"submission-token-{_MARK}"


def _marked_tokens(parts):
    """``parts`` with their tokens replaced by marks; None if they hold a token twice over (two
    forms with different ones), which one new token in both places would not reproduce."""
    html = "".join(parts.values())
    replaced = []
    for pattern, mark in (
        (CSRF_TOKEN_VALUE, CSRF_TOKEN_MARK),
        (SUBMISSION_TOKEN_VALUE, SUBMISSION_TOKEN_MARK),
    ):
        values = set(pattern.findall(html))
        if len(values) > 1:
            return None
        replaced += [(value, mark) for value in values]
    return _replaced(parts, replaced)


def _own_tokens(parts, request):
    """Kept ``parts`` with this request's own tokens in place of the marks."""
    html = "".join(parts.values())
    tokens = {}
    if CSRF_TOKEN_MARK in html:
        tokens[CSRF_TOKEN_MARK] = get_token(request)
    if SUBMISSION_TOKEN_MARK in html:
        tokens[SUBMISSION_TOKEN_MARK] = submission_token(request)
    return _replaced(parts, tokens.items())


def _replaced(parts, replacements):
    replaced = {}
    for name, part in parts.items():
        for old, new in replacements:
            part = part.replace(old, new)
        replaced[name] = part
    return replaced


def page_key(request, *varies_with):
    """What a kept page may show of its request (``kept_page_response``)."""
    return (
        "page",
        request.path,
        request.GET.urlencode(),
        frozenset(request.user.get_all_permissions()),
        # The minute, for pages that say what is overdue or coming up.
        timezone.now().replace(second=0, microsecond=0),
        *varies_with,
    )


def kept_fragment(request, name, render, within=None):
    """``render()``, HTML of a part of a kept page that its templates escaped, kept apart
    from the rest of the page (``oppms.unchanged``) under the page's key and ``name``.

    A page made of such parts computes and renders again, after a write, only those whose rows
    were written: a meeting logged renders again the dashboard's boxes of meetings, not its
    boxes of requests. ``render`` may show what the page may (``kept_page_response``), and
    renders its templates without the request: no user, no CSRF token. ``within``: as
    ``while_unchanged``'s.
    """
    html = while_unchanged((*page_key(request), "fragment", name), render, within=within)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def kept_page_response(request, respond, varies_with=()):
    """The page ``respond()`` answers, or the same page kept, rendered, while the rows it was
    made from are the same (``oppms.unchanged``).

    Its parts (title, head, content, scripts: base.html's ``kept_part`` tags) are kept under
    the page's path and query, the reader's permissions, the minute and ``varies_with`` (what
    else of the request the page shows); the next request for the same page is answered with
    them in its own frame (navbar, messages), with neither the view's queries nor its
    rendering. So the parts may show only what those name: nothing of the user but what their
    permissions allow. The forms in them get the reader's own CSRF token and, on a create form,
    a new one-time submission token each time they are shown.
    """
    key = page_key(request, *varies_with)
    snapshot, parts = lookup(key)
    if parts is not None:
        # Safe to mark: the parts are this page's own rendering, escaped by its templates.
        kept = {name: mark_safe(html) for name, html in _own_tokens(parts, request).items()}  # noqa: S308  # nosec B308 B703
        return TemplateResponse(request, "partials/kept_page.html", {"kept": kept})
    if snapshot is None:
        return respond()
    with recording() as recorded:
        response = respond()
        if isinstance(response, TemplateResponse):
            parts = response.context_data["kept_parts"] = {}
            # Rendered now, so that the statements the templates run are recorded too.
            response.render()
            # A page not built on base.html has no parts to keep.
            if response.status_code == 200 and parts.get("content"):
                marked = _marked_tokens(parts)
                if marked is not None:
                    keep(key, snapshot, marked, recorded.result())
    return response


class KeptPageMixin:
    """A class-based view whose GET page is kept (``kept_page_response``)."""

    def get(self, request, *args, **kwargs):
        return kept_page_response(
            request,
            lambda: super(KeptPageMixin, self).get(request, *args, **kwargs),
            self.kept_page_varies_with(),
        )

    def kept_page_varies_with(self):
        """What the page shows of the request besides its path, query and reader's permissions."""
        return ()


def kept_page(view):
    """A function view whose GET page, a TemplateResponse, is kept (``kept_page_response``)."""

    @functools.wraps(view)
    def kept_view(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        return kept_page_response(request, lambda: view(request, *args, **kwargs))

    return kept_view


class RecordListView(KeptPageMixin, ModelPermissionMixin, FilterView):
    """A filtered, paginated list whose query count does not depend on the number of rows.

    With ``?format=csv`` or ``?format=xlsx`` it answers the rows of the same filters and search,
    all pages, in the list's order, as a spreadsheet (oppms.exports) with the columns of
    ``export_resource_class``: the model's admin resource where it has one, otherwise every
    field of the model.
    """

    paginate_by = 25
    paginator_class = DatedCountPaginator
    template_name_suffix = "_list"
    export_resource_class = None

    def get(self, request, *args, **kwargs):
        if EXPORT_PARAMETER not in request.GET:
            return super().get(request, *args, **kwargs)
        exporter = EXPORTERS.get(request.GET[EXPORT_PARAMETER])
        if exporter is None:
            raise Http404
        extension = request.GET[EXPORT_PARAMETER]
        resource = self.get_export_resource_class()()
        return exporter(resource, self.get_export_queryset(), file_name(self.model, extension))

    def get_export_resource_class(self):
        return self.export_resource_class or default_resource(self.model)

    def get_export_queryset(self):
        """The rows the list shows on all its pages, as FilterView.get selects them."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        if self.filterset.is_bound and not self.filterset.is_valid() and self.get_strict():
            return self.filterset.queryset.none()
        return in_one_order(self.filterset.qs)

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(in_one_order(queryset), page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop(EXPORT_PARAMETER, None)
        context["query_without_page"] = urlencode(query, doseq=True)
        context["export_urls"] = {}
        for extension in EXPORTERS:
            exported = query.copy()
            exported[EXPORT_PARAMETER] = extension
            context["export_urls"][extension] = "?" + exported.urlencode()
        context["can_add"] = self.request.user.has_perm(model_permission(self.model, "add"))
        return context


class RecordDetailView(KeptPageMixin, ModelPermissionMixin, DetailView):
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


class RecordCreateView(KeptPageMixin, RecordFormMixin, CreateView):
    """A create page whose form, posted twice, creates one record (see oppms.submissions)."""

    action = "add"
    offer_add_another = False

    def post(self, request, *args, **kwargs):
        def save():
            response = super(RecordCreateView, self).post(request, *args, **kwargs)
            created = self.object.get_absolute_url() if self.object is not None else None
            return response, created

        return submit_once(request, save)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offer_add_another"] = self.offer_add_another
        context["submission_token"] = submission_token(self.request)
        return context

    def kept_page_varies_with(self):
        # Its Cancel link goes back to where the reader came from (get_cancel_url).
        return (self.request.META.get("HTTP_REFERER", "/"),)


class RecordUpdateView(KeptPageMixin, RecordFormMixin, UpdateView):
    """An edit page that never silently overwrites someone else's save (oppms.edit_conflicts)."""

    action = "change"
    edit_conflict = None

    def form_valid(self, form):
        with transaction.atomic():
            seen = self.request.POST.get(VERSION_FIELD, "")
            self.edit_conflict = stale_save(self.object, seen)
            if self.edit_conflict is not None:
                form.add_error(None, ValidationError(CONFLICT_MESSAGE, code="edit_conflict"))
                return self.form_invalid(form)
            return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edit_version"] = form_version(self.request, self.object, self.edit_conflict)
        context["edit_conflict"] = self.edit_conflict
        return context


# The uploaded files a user may download: (app_label, model_name) -> file fields. Files are
# handed out only to users who may view the record they belong to.
PROTECTED_FILE_FIELDS = {
    ("allies", "agreement"): {"document"},
    ("observance", "meeting"): {"minutes"},
    ("observance", "informationrequest"): {"request_file", "response_file"},
    ("observance", "evaluation"): {"document"},
    ("observance", "publication"): {"document"},
    ("observance", "followup"): {"evidence"},
    ("observance", "requestevent"): {"document"},
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
