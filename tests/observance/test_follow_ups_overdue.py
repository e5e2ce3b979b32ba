"""A recommendation past its expected date and not complied is overdue, wherever it appears.

One rule (``RecommendationQuerySet.overdue``): ``due_on`` before today and compliance other than
complied. The recommendations list marks it and filters it (``?state=overdue``, *Vencidas*), and
so do its page, the institution's page, the process page and a block of the dashboard that
links to the filtered list.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observance.models import Recommendation
from observance.views.dashboard import ROWS
from oppms.views import list_url

from .page_data import make_process, make_recommendation

C = Recommendation.Compliance
OVERDUE_BADGE = 'data-testid="overdue"'
LIST = reverse("observance:recommendation-list")
OVERDUE_LIST = list_url("observance:recommendation-list", state="overdue")


def today():
    return timezone.localdate()


def due(days_from_today, compliance=None, **fields):
    fields.setdefault("proposed_on", today() - datetime.timedelta(days=90))
    return make_recommendation(
        due_on=today() + datetime.timedelta(days=days_from_today), compliance=compliance, **fields
    )


@pytest.fixture
def cases(db):
    """Each kind of recommendation the rule has to tell apart."""
    return {
        "yesterday, pending": (due(-1), True),
        "long ago, partly complied": (due(-40, C.PARTLY_COMPLIED), True),
        "long ago, not complied": (due(-40, C.NOT_COMPLIED), True),
        "long ago, in progress": (due(-40, C.IN_PROGRESS), True),
        "long ago, complied": (due(-40, C.COMPLIED), False),
        "today": (due(0), False),
        "tomorrow": (due(1), False),
        "no expected date": (make_recommendation(proposed_on=today()), False),
    }


def overdue_ones(cases):
    return {r.pk for r, overdue in cases.values() if overdue}


def test_the_rule_tells_each_case_apart(cases):
    assert set(Recommendation.objects.overdue(today()).values_list("pk", flat=True)) == (
        overdue_ones(cases)
    )


def test_a_recommendation_complied_by_its_latest_follow_up_stops_being_overdue(db):
    recommendation = due(-10, C.NOT_COMPLIED)
    follow_up = recommendation.follow_ups.get()
    follow_up.compliance = C.COMPLIED
    follow_up.save()

    assert not Recommendation.objects.overdue(today()).exists()


def test_the_list_marks_exactly_the_overdue_ones(coordinator_client, cases):
    page = coordinator_client.get(LIST).content.decode()

    marked = {
        r.pk
        for r, _overdue in cases.values()
        if OVERDUE_BADGE in row_of(page, r.get_absolute_url())
    }

    assert marked == overdue_ones(cases)


def row_of(page, url):
    start = page.index(f'<a href="{url}"')
    return page[start : page.index("</tr>", start)]


def test_the_overdue_filter_lists_exactly_the_overdue_ones(coordinator_client, cases):
    response = coordinator_client.get(OVERDUE_LIST)

    assert {r.pk for r in response.context["object_list"]} == overdue_ones(cases)


def test_the_overdue_filter_is_offered_in_spanish(coordinator_client, db):
    page = coordinator_client.get(LIST).content.decode()

    assert '<option value="overdue">Vencidas</option>' in page


def test_the_filtered_list_keeps_its_query_count(coordinator_client, django_assert_max_num_queries):
    for number in range(60):
        due(-1 - number, C.PARTLY_COMPLIED if number % 2 else None)

    with django_assert_max_num_queries(10):
        response = coordinator_client.get(OVERDUE_LIST)

    assert response.context["paginator"].count == 60


def test_the_recommendation_page_marks_it_overdue(reader_client, db):
    overdue, on_time = due(-3), due(3)

    assert OVERDUE_BADGE in reader_client.get(overdue.get_absolute_url()).content.decode()
    assert OVERDUE_BADGE not in reader_client.get(on_time.get_absolute_url()).content.decode()


def test_the_institution_page_marks_its_overdue_recommendations(reader_client, db):
    overdue = due(-3)
    institution = overdue.institution
    due(5, institution=institution)

    page = reader_client.get(institution.get_absolute_url()).content.decode()

    assert page.count(OVERDUE_BADGE) == 1
    assert page.index(OVERDUE_BADGE) < page.index(overdue.get_absolute_url())


def test_the_process_page_marks_its_overdue_recommendations(reader_client, db):
    process = make_process()
    overdue = due(-3, process=process)
    due(-3, C.COMPLIED, process=process)

    page = reader_client.get(process.get_absolute_url()).content.decode()

    assert page.count(OVERDUE_BADGE) == 1
    assert page.index(overdue.get_absolute_url()) < page.index(OVERDUE_BADGE)


# The dashboard


def test_the_dashboard_lists_the_overdue_recommendations_oldest_first(coordinator_client, cases):
    block = coordinator_client.get("/").context["overdue_recommendations"]

    assert [r.pk for r in block["rows"]] == [
        r.pk
        for r in Recommendation.objects.filter(pk__in=overdue_ones(cases)).order_by("due_on", "pk")
    ]
    assert block["count"] == 4


def test_the_dashboard_block_links_to_the_filtered_list(coordinator_client, cases):
    page = coordinator_client.get("/").content.decode()

    block = page[page.index('id="overdue-recommendations"') :]
    assert f'href="{OVERDUE_LIST}"' in block[: block.index("</section>")]
    assert 'data-testid="overdue-recommendations-count">4<' in block


def test_the_dashboard_counts_every_overdue_one_but_shows_the_first_rows(coordinator_client, db):
    for number in range(ROWS + 5):
        due(-1 - number)

    block = coordinator_client.get("/").context["overdue_recommendations"]

    assert (len(block["rows"]), block["count"]) == (ROWS, ROWS + 5)


def test_the_dashboard_says_when_nothing_is_overdue(coordinator_client, db):
    due(2)

    page = coordinator_client.get("/").content.decode()

    assert "No hay recomendaciones vencidas." in page
