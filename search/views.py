"""The navbar's search: every kind of record the user may view, ranked, grouped by kind.

A fixed number of queries whatever it finds: one per kind the user may view (its first
``PER_KIND`` hits, plus one to know whether there are more), or, for one kind (``?tipo=``), a
count and a page of ``PAGE_SIZE``. Each reads the best hits rank by rank (Kind.ranked), so
that it costs about the same however many records match; the count reads every match.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse

from oppms.record_access import may_view
from oppms.views import kept_page

from .forms import SearchForm
from .kinds import BY_KEY, KINDS

PER_KIND = 5
PAGE_SIZE = 25


def see_all_url(kind, text):
    if kind.list_url:
        return f"{reverse(kind.list_url)}?{urlencode({'q': text})}"
    return f"{reverse('search:results')}?{urlencode({'q': text, 'tipo': kind.key})}"


@login_required
@kept_page
def results(request):
    kinds = [kind for kind in KINDS if request.user.has_perm(kind.permission)]
    if not kinds:
        raise PermissionDenied
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    only = request.GET.get("tipo")
    if only:
        if only not in BY_KEY:
            raise Http404
        if BY_KEY[only] not in kinds:
            raise PermissionDenied
        kinds = [BY_KEY[only]]
    form = SearchForm(request.GET or None)
    context = {"form": form, "only": kinds[0] if only else None, "groups": []}
    if form.is_valid():
        text = form.cleaned_data["q"]
        context["text"] = text
        if only:
            page = Paginator(RankedHits(kinds[0], text), PAGE_SIZE).get_page(
                request.GET.get("page")
            )
            context["page_obj"] = page
            context["query_without_page"] = urlencode({"q": text, "tipo": only})
            context["groups"] = [group(request.user, kinds[0], list(page), None)]
        else:
            for kind in kinds:
                found = list(kind.ranked(text, 0, PER_KIND + 1))
                more = see_all_url(kind, text) if len(found) > PER_KIND else None
                context["groups"].append(group(request.user, kind, found[:PER_KIND], more))
        context["found"] = any(g["hits"] for g in context["groups"])
    return TemplateResponse(request, "search/results.html", context)


def group(user, kind, records, more_url):
    # Every kind's records today are all viewable by whoever may view the kind; a model that
    # adds its own condition (record_access.may_view) is asked record by record.
    return {
        "kind": kind,
        "hits": [record for record in records if may_view(user, record)],
        "more_url": more_url,
    }


class RankedHits:
    """A kind's hits as the paginator reads them: their number, and a page of them."""

    def __init__(self, kind, text):
        self.kind = kind
        self.text = text

    def count(self):
        return self.kind.matches(self.text).count()

    def __getitem__(self, page):
        if page.stop <= page.start:  # no hits: the paginator asks for an empty first page
            return []
        return list(self.kind.ranked(self.text, page.start, page.stop - page.start))
