"""The report counts the escalation steps filed in the semester and their outcomes on its
cut-off, each figure linked to the list of exactly those requests."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from observance.models import RequestEvent
from observance.services import escalation_outcome_record, request_escalate
from reports.builder import report_figures
from reports.periods import Period
from tests.observance.page_data import make_request

FIGURE_LINK = re.compile(r'<a class="figure-link" href="([^"]+)" data-figure="(\d+)">')
RECORD_COUNT = re.compile(r'id="record-count">\s*(\d+)')

pytestmark = pytest.mark.django_db

INSIST = RequestEvent.Kind.CORRECTION_ASKED
DEFENSORIA = RequestEvent.Kind.DEFENSORIA


def steps(figures):
    return {row["step"]: (row["filed"], row["outcomes"]) for row in figures["escalations"]["steps"]}


def only(**counts):
    outcomes = dict.fromkeys(
        ["pending", "delivered", "partly_delivered", "rejected", "no_answer"], 0
    )
    return outcomes | counts


def test_the_demos_first_semester_counts_its_escalations_as_they_stood_on_the_cut_off(
    demo, first_2021
):
    figures = report_figures(period=first_2021, today=datetime.date(2021, 12, 1))
    # MSP insisted on 02/06 (unanswered); MDG insisted on 14/06 (no answer on 18/06) and went
    # to the Defensoría on 21/06, whose outcome (12/07) came after the cut-off.
    assert steps(figures) == {
        1: (2, only(pending=1, no_answer=1)),
        2: (1, only(pending=1)),
        3: (0, only()),
    }


@pytest.fixture
def escalated_around_the_semester():
    """An insistence before the semester, one in it answered after it, one on its last day."""
    earlier = make_request(sent_on=datetime.date(2020, 12, 1), subject="Anterior")
    request_escalate(request=earlier, kind=INSIST, occurred_on=datetime.date(2020, 12, 20))
    answered_later = make_request(sent_on=datetime.date(2021, 3, 1), subject="Respondida luego")
    step = request_escalate(
        request=answered_later, kind=INSIST, occurred_on=datetime.date(2021, 3, 20)
    )
    escalation_outcome_record(event=step, outcome="rejected", outcome_on=datetime.date(2021, 7, 5))
    last_day = make_request(sent_on=datetime.date(2021, 6, 1), subject="Último día")
    step = request_escalate(request=last_day, kind=INSIST, occurred_on=datetime.date(2021, 6, 30))
    escalation_outcome_record(
        event=step, outcome="partly_delivered", outcome_on=datetime.date(2021, 6, 30)
    )


def test_steps_count_by_their_filing_date_and_outcome_date(escalated_around_the_semester):
    figures = report_figures(period=Period(2021, 1), today=datetime.date(2021, 12, 1))
    assert steps(figures)[1] == (2, only(pending=1, partly_delivered=1))


def test_a_semester_without_escalations_shows_no_table(db, secretary_client):
    response = secretary_client.get(reverse("reports:report-detail", args=[2019, 2]))
    assert 'id="escalations-table"' not in response.content.decode()


def test_each_escalation_figure_opens_a_list_of_as_many_requests(
    escalated_around_the_semester, secretary_client
):
    page = secretary_client.get(reverse("reports:report-detail", args=[2021, 1])).content
    links = [
        (html.unescape(url), int(value))
        for url, value in FIGURE_LINK.findall(page.decode())
        if "escalation=" in url
    ]
    assert len(links) == 3 * 6  # three steps: filed and each of five outcomes
    assert {value for _url, value in links} == {0, 1, 2}
    for url, value in links:
        listed = secretary_client.get(url).content.decode()
        assert int(RECORD_COUNT.search(listed)[1]) == value, url
