"""Where escalations stand, seen from the request list and the dashboard."""

import pytest
from django.urls import reverse

from observance.models import EscalationTerm, RequestEvent
from observance.services import escalation_outcome_record, request_escalate
from tests.observance.test_list_views import DASHBOARD_QUERIES

from .page_data import days_ago, make_request

pytestmark = pytest.mark.django_db

INSIST = RequestEvent.Kind.CORRECTION_ASKED
DEFENSORIA = RequestEvent.Kind.DEFENSORIA


@pytest.fixture(autouse=True)
def terms():
    EscalationTerm.objects.update_or_create(step=1, defaults={"days": 10, "counting": "calendar"})
    EscalationTerm.objects.update_or_create(step=2, defaults={"days": 30, "counting": "calendar"})


def insisted(subject, filed=20):
    """An overdue request (due 30 days ago) insisted on ``filed`` days ago, still unanswered."""
    request = make_request(sent_on=days_ago(40), subject=subject)
    return request_escalate(request=request, kind=INSIST, occurred_on=days_ago(filed))


def at_the_defensoria(subject):
    step = insisted(subject, filed=28)
    escalation_outcome_record(event=step, outcome="no_answer", outcome_on=days_ago(20))
    return request_escalate(request=step.request, kind=DEFENSORIA, occurred_on=days_ago(15))


def listed(client, **params):
    response = client.get(reverse("observance:request-list"), params)
    assert response.status_code == 200
    return {r.subject for r in response.context["object_list"]}


@pytest.fixture
def ladder(db):
    make_request(sent_on=days_ago(40), subject="Sin reclamo")
    insisted("Insistencia vencida", filed=20)  # its answer was due 10 days ago
    insisted("Insistencia en plazo", filed=3)  # due in 7 days
    at_the_defensoria("En la Defensoría")


def test_the_list_shows_each_requests_step_on_the_ladder(coordinator_client, ladder):
    page = coordinator_client.get(reverse("observance:request-list")).content.decode()
    assert "2. Queja ante la Defensoría del Pueblo" in page
    assert page.count("1. Insistencia o pedido de corrección") == 2


@pytest.mark.parametrize(
    ("step", "subjects"),
    [
        ("none", {"Sin reclamo"}),
        ("1", {"Insistencia vencida", "Insistencia en plazo"}),
        ("2", {"En la Defensoría"}),
        ("3", set()),
    ],
)
def test_the_list_filters_by_the_step_reached(coordinator_client, ladder, step, subjects):
    assert listed(coordinator_client, ladder_step=step) == subjects


def test_the_list_filters_the_escalations_awaiting_an_answer_and_the_overdue_ones(
    coordinator_client, ladder
):
    assert listed(coordinator_client, escalation_outcome="pending") == {
        "Insistencia vencida",
        "Insistencia en plazo",
        "En la Defensoría",
    }
    assert listed(coordinator_client, escalation_outcome="pending", escalation_overdue="1") == {
        "Insistencia vencida"
    }


def test_the_outcome_filter_reads_the_outcome_as_it_stood_on_the_day_given(
    coordinator_client, ladder
):
    # The insistence at the Defensoría's request went unanswered 20 days ago.
    before = days_ago(21).isoformat()
    after = days_ago(19).isoformat()
    query = {"escalation": "1", "escalation_outcome": "no_answer"}
    assert listed(coordinator_client, **query, as_of=before) == set()
    assert listed(coordinator_client, **query, as_of=after) == {"En la Defensoría"}


def test_an_odd_ladder_filter_changes_nothing_and_says_so(coordinator_client, ladder):
    response = coordinator_client.get(reverse("observance:request-list"), {"ladder_step": "9"})
    assert response.status_code == 200
    assert response.context["filter"].form.has_error("ladder_step")


def test_the_dashboard_shows_escalations_awaiting_an_answer_overdue_ones_marked(
    coordinator_client, ladder
):
    response = coordinator_client.get(reverse("observance:dashboard"))
    block = response.context["escalations"]
    assert (block["count"], block["overdue_count"]) == (3, 1)
    assert [step.request.subject for step in block["rows"]][0] == "Insistencia vencida"
    assert [s.request.subject for s in block["rows"] if s.is_overdue] == ["Insistencia vencida"]
    page = response.content.decode()
    assert 'data-testid="escalation-overdue"' in page
    assert page.count('data-testid="escalation-overdue"') == 1


def test_the_dashboards_counts_open_lists_of_as_many_requests(coordinator_client, ladder):
    block = coordinator_client.get(reverse("observance:dashboard")).context["escalations"]
    for url, count in ((block["url"], 3), (block["overdue_url"], 1)):
        response = coordinator_client.get(url)
        assert (
            response.context["paginator"].count
            == count
            == block["count" if url == block["url"] else "overdue_count"]
        )


def test_the_dashboard_says_when_no_escalation_awaits(coordinator_client):
    page = coordinator_client.get(reverse("observance:dashboard")).content.decode()
    assert "Ningún reclamo espera respuesta." in page


MANY = 40


def many_escalations():
    for number in range(MANY):
        if number % 2:
            at_the_defensoria(f"Defensoría {number}")
        else:
            insisted(f"Insistencia {number}")


@pytest.mark.parametrize(
    ("name", "params", "cap"),
    [
        ("observance:request-list", {}, 10),
        ("observance:request-list", {"ladder_step": "2"}, 10),
        (
            "observance:request-list",
            {"escalation_outcome": "pending", "escalation_overdue": "1"},
            10,
        ),
        ("observance:dashboard", {}, DASHBOARD_QUERIES),
    ],
)
def test_escalations_keep_the_pages_query_counts(
    coordinator_client, django_assert_max_num_queries, name, params, cap
):
    many_escalations()
    with django_assert_max_num_queries(cap):
        response = coordinator_client.get(reverse(name), params)
    assert response.status_code == 200
