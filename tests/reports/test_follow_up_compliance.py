"""The report's compliance on the cut-off comes from follow-ups by their date, and every
compliance figure links to a list of exactly the recommendations it counts.

A follow-up is a dated record: one entered late with a date in the semester counts, one dated
after the cut-off does not, whatever the recommendation's history says. Each row of the
"by compliance" table links to the recommendations list filtered by that compliance ``as_of``
the cut-off; the list must select the same recommendations.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse

from observance.models import Recommendation
from reports.builder import report_figures
from reports.periods import Period
from tests.observance.page_data import make_follow_up, make_recommendation

C = Recommendation.Compliance
PERIOD = Period(2021, 1)
TODAY = datetime.date(2026, 12, 1)
FIGURE_LINK = re.compile(r'<a class="figure-link" href="([^"]+)" data-figure="(\d+)">')


def follow(recommendation, month, day, compliance):
    make_follow_up(
        recommendation, checked_on=datetime.date(2021, month, day), compliance=compliance
    )


@pytest.fixture
def semester(db):
    """Recommendations of the first semester of 2021 whose follow-ups straddle its cut-off."""
    proposed = datetime.date(2021, 3, 1)
    never_followed = make_recommendation(proposed_on=proposed)
    complied_in_time = make_recommendation(proposed_on=proposed)
    follow(complied_in_time, 5, 2, C.IN_PROGRESS)
    follow(complied_in_time, 6, 30, C.COMPLIED)
    complied_later = make_recommendation(proposed_on=proposed)
    follow(complied_later, 4, 1, C.PARTLY_COMPLIED)
    follow(complied_later, 7, 1, C.COMPLIED)
    followed_only_later = make_recommendation(proposed_on=proposed)
    follow(followed_only_later, 8, 15, C.NOT_COMPLIED)
    return {
        "pending": {never_followed, followed_only_later},
        "complied": {complied_in_time},
        "partly_complied": {complied_later},
    }


def test_each_recommendation_counts_with_its_latest_follow_up_dated_by_the_cut_off(semester):
    by_compliance = report_figures(period=PERIOD, today=TODAY)["recommendations"]["by_compliance"]

    assert {row["compliance"]: row["count"] for row in by_compliance} == {
        level: len(records) for level, records in semester.items()
    }


def test_each_compliance_figure_links_a_list_of_exactly_the_recommendations_it_counts(
    semester, secretary_client
):
    page = secretary_client.get(reverse("reports:report-detail", args=[2021, 1]))
    links = {
        html.unescape(url)
        for url, _figure in FIGURE_LINK.findall(page.content.decode())
        if "compliance=" in url
    }
    listed = {}
    for url in links:
        level = re.search(r"compliance=(\w+)", url)[1]
        listed[level] = set(secretary_client.get(url).context["paginator"].object_list)

    assert listed == semester
