"""Sortable lists: every list's column headers sort it both ways, the order survives pages,
filters and exports, equal values keep one order, and the query count does not change."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from oppms.views import RecordListView
from tests.allies.factories import make_agreement, make_ally
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_meeting_at
from tests.observance.test_list_views import (
    add_commitments,
    add_evaluations,
    add_meetings,
    add_policies,
    add_processes,
    add_publications,
    add_recommendations,
    add_requests,
)


def list_views(patterns=None, namespace=None):
    """(url name, view class) of every list page of the app."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from list_views(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, RecordListView):
                yield f"{namespace}:{pattern.name}", view_class


def add_institutions(count):
    for number in range(count):
        make_institution(acronym=f"I{number % 4}")


def add_allies(count):
    for _ in range(count):
        make_ally()


def add_agreements(count):
    for number in range(count):
        agreement = make_agreement(ally=make_ally())
        agreement.agenda_items.create(
            activity=f"Actividad {number % 3}",
            due_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=number % 5),
        )


ROWS = {
    "observance:meeting-list": add_meetings,
    "observance:commitment-list": add_commitments,
    "observance:request-list": add_requests,
    "observance:policy-list": add_policies,
    "observance:process-list": add_processes,
    "observance:evaluation-list": add_evaluations,
    "observance:publication-list": add_publications,
    "observance:recommendation-list": add_recommendations,
    "institutions:institution-list": add_institutions,
    "allies:ally-list": add_allies,
    "allies:agreement-list": add_agreements,
    "allies:agendaitem-list": add_agreements,
}
LISTS = dict(list_views())
SORTS = [
    (name, param)
    for name, view in LISTS.items()
    for param in view.filterset_class.base_filters["sort"].param_map
    if name in ROWS
]


def test_every_list_of_the_app_has_a_sort_and_rows_to_test_it_with():
    assert sorted(LISTS) == sorted(ROWS)
    assert all("sort" in view.filterset_class.base_filters for view in LISTS.values())


def page_of(client, name, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), params)
    assert response.status_code == 200, (name, params)
    return response, len(captured)


@pytest.mark.parametrize(("name", "param"), SORTS, ids=[f"{n} {p}" for n, p in SORTS])
def test_each_column_sorts_both_ways_in_the_same_queries(reader_client, name, param):
    ROWS[name](30)
    _unsorted, queries = page_of(reader_client, name)
    field = LISTS[name].filterset_class.base_filters["sort"].param_map[param]
    for sort, ordering in ((param, [field, "pk"]), (f"-{param}", [f"-{field}", "-pk"])):
        response, sorted_queries = page_of(reader_client, name, sort=sort)
        shown = [row.pk for row in response.context["object_list"]]
        expected = list(
            response.context["filter"].queryset.order_by(*ordering).values_list("pk", flat=True)
        )[: len(shown)]
        assert shown == expected, sort
        assert sorted_queries == queries, sort


def test_equal_values_keep_one_order_across_pages(reader_client):
    held = timezone.now() - datetime.timedelta(days=1)
    meetings = [make_meeting_at(held) for _ in range(30)]  # all at the same moment
    for sort, pks in (
        ("date", [m.pk for m in meetings]),
        ("-date", [m.pk for m in meetings][::-1]),
    ):
        first, _ = page_of(reader_client, "observance:meeting-list", sort=sort)
        second, _ = page_of(reader_client, "observance:meeting-list", sort=sort, page=2)
        shown = [m.pk for m in first.context["object_list"]] + [
            m.pk for m in second.context["object_list"]
        ]
        assert shown == pks


def test_the_order_is_kept_by_the_pages_and_the_filter_form(reader_client):
    add_meetings(30)
    response, _ = page_of(reader_client, "observance:meeting-list", sort="-date")
    page = response.content.decode()
    assert re.search(r'href="\?[^"]*sort=-date[^"]*page=2', page)
    assert '<option value="-date" selected>' in page


def test_the_header_says_the_order_and_offers_the_other_one(reader_client):
    add_meetings(2)
    response, _ = page_of(
        reader_client, "observance:meeting-list", sort="-date", modality="virtual"
    )
    page = response.content.decode()
    header = re.search(
        r'<th scope="col" aria-sort="descending"><a class="sort-link" href="([^"]+)"', page
    )
    assert header, "the sorted column announces its order"
    assert "sort=date" in header[1] and "modality=virtual" in header[1]
    assert page.count("aria-sort=") == 1
    assert "(ordenar ascendente)" in page


def test_an_unknown_order_is_refused_next_to_its_field(reader_client):
    add_meetings(2)
    response, _ = page_of(reader_client, "observance:meeting-list", sort="password")
    assert response.context["filter"].errors["sort"]
    assert "Escoja una opción válida" in response.content.decode()


def test_the_download_follows_the_order(reader_client):
    for days in (3, 1, 2):
        make_meeting_at(timezone.now() - datetime.timedelta(days=days))

    def rows(sort):
        response = reader_client.get(
            reverse("observance:meeting-list"), {"sort": sort, "format": "csv"}
        )
        return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[1:]

    ascending, descending = rows("date"), rows("-date")
    assert len(ascending) == 3
    assert descending == ascending[::-1]
