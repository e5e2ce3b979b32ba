"""Every observance list page and the dashboard run a fixed number of queries, whatever the
number of rows: the count with sixty rows is the count with one, and stays under a pinned cap."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from observance.models import Commitment, Meeting, ProcessStep, Recommendation
from tests.allies.factories import make_ally
from tests.institutions.factories import make_institution

from .page_data import (
    days_ago,
    make_evaluation,
    make_follow_up,
    make_meeting_at,
    make_policy,
    make_process,
    make_publication,
    make_recommendation,
    make_request,
    make_team_member,
)

MANY = 60
# The dashboard's pinned queries, which other tests of the dashboard share.
DASHBOARD_QUERIES = 25


def add_meetings(count):
    process = make_process()
    members = [make_team_member() for _ in range(3)]
    for number in range(count):
        meeting = make_meeting_at(
            timezone.now() - datetime.timedelta(days=number),
            institution=make_institution(),
            ally=make_ally(),
            process=process,
            cpccs_companion="Delegada CPCCS",
        )
        meeting.team_members.set(members)


def add_requests(count):
    process = make_process()
    for number in range(count):
        request = make_request(sent_on=days_ago(number), process=process)
        if number % 3 == 0:
            request.answered_on = request.sent_on
            request.outcome = request.Outcome.ANSWERED_FULLY
            request.save()


def add_policies(count):
    for _ in range(count):
        make_process(policy=make_policy())


def add_processes(count):
    policy = make_policy()
    for _ in range(count):
        make_process(policy=policy, institutions=[make_institution()])


def add_evaluations(count):
    for _ in range(count):
        evaluation = make_evaluation()
        evaluation.institutions.set([make_institution(), make_institution()])


def add_publications(count):
    for _ in range(count):
        publication = make_publication(evaluation=make_evaluation())
        publication.institutions.set([make_institution()])


def add_recommendations(count):
    process = make_process()
    for _ in range(count):
        make_follow_up(make_recommendation(process=process))


def add_dashboard_rows(count):
    add_meetings(count)
    for number in range(count):
        make_request(sent_on=days_ago(20 + number))  # overdue
        make_request(sent_on=days_ago(8))  # due within five days
        make_meeting_at(timezone.now() + datetime.timedelta(days=1, minutes=number))
        process = make_process(closed_on=None)
        ProcessStep.objects.filter(process=process, step=1).update(status="done")
        make_recommendation(  # overdue
            process=process, proposed_on=days_ago(60), due_on=days_ago(1 + number)
        )
    add_commitments(count)


def add_commitments(count):
    """Commitments overdue and due soon, of meetings with an institution or an ally."""
    for number in range(count):
        meeting = make_meeting_at(
            timezone.now() - datetime.timedelta(days=30),
            institution=make_institution() if number % 2 else None,
            ally=None if number % 2 else make_ally(),
        )
        Commitment.objects.create(
            meeting=meeting, text=f"Compromiso {number}", due_on=days_ago(number % 20 - 10)
        )


def add_team(count):
    for _ in range(count):
        make_team_member()


# url name, builder of rows, pinned maximum of queries (session, user, permissions, rows...).
PAGES = [
    # 14, plus the linkage panel's six semesters in 5 queries (reports.trend), and 2 each for
    # the commitments, overdue recommendations and escalations blocks.
    ("observance:dashboard", add_dashboard_rows, DASHBOARD_QUERIES),
    ("observance:commitment-list", add_commitments, 9),
    ("observance:meeting-list", add_meetings, 10),
    ("observance:request-list", add_requests, 10),
    ("observance:policy-list", add_policies, 9),
    ("observance:process-list", add_processes, 11),
    ("observance:evaluation-list", add_evaluations, 11),
    ("observance:publication-list", add_publications, 11),
    ("observance:recommendation-list", add_recommendations, 10),
    ("observance:team", add_team, 8),
]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("name", "add_rows", "cap"), PAGES, ids=[p[0] for p in PAGES])
def test_list_page_runs_the_same_queries_with_one_row_as_with_sixty(
    coordinator_client, name, add_rows, cap
):
    url = reverse(name)
    add_rows(1)
    few = queries_for(coordinator_client, url)
    add_rows(MANY)
    many = queries_for(coordinator_client, url)
    assert many == few


@pytest.mark.parametrize(("name", "add_rows", "cap"), PAGES, ids=[p[0] for p in PAGES])
def test_list_page_query_count_is_pinned_with_many_rows(
    coordinator_client, django_assert_max_num_queries, name, add_rows, cap
):
    add_rows(MANY)
    with django_assert_max_num_queries(cap):
        response = coordinator_client.get(reverse(name))
    assert response.status_code == 200


def test_filtered_meeting_list_keeps_its_query_count(
    coordinator_client, django_assert_max_num_queries
):
    add_meetings(MANY)
    query = "?q=Reuni&modality=virtual&cpccs=1&held_after=01/01/2020&ally_kind=academia"
    with django_assert_max_num_queries(10):
        response = coordinator_client.get(reverse("observance:meeting-list") + query)
    assert response.context["paginator"].count == MANY


def test_recommendation_compliance_filter_keeps_its_query_count(
    coordinator_client, django_assert_max_num_queries
):
    add_recommendations(MANY)
    # Each has one follow-up, in progress: its compliance.
    query = f"?compliance={Recommendation.Compliance.IN_PROGRESS}"
    with django_assert_max_num_queries(10):
        response = coordinator_client.get(reverse("observance:recommendation-list") + query)
    assert response.context["paginator"].count == MANY


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"modality": "virtual", "held_at__gte": datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["all", "filtered"],
)
def test_a_page_of_the_meetings_list_is_read_from_the_index_in_its_order(filters):
    """Newest first, the key breaking ties (oppms.sorting): a page of the index, not a sort of
    every meeting, whatever their number."""
    from oppms.sorting import in_one_order

    with connection.cursor() as cursor:
        # An empty table is read faster whole and sorted: make any such plan cost more.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
    plan = in_one_order(Meeting.objects.filter(**filters))[:25].explain()
    assert "Index Scan Backward using observance_meeting_held_at" in plan
    assert "Sort" not in plan
