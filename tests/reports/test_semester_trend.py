"""The semester trend: each point is its semester's report figure, linked to its records.

The dashboard's linkage block and each report page show the last semesters (linkage, meetings
with institutions, requests answered on time); the dashboard lets the user choose the semester.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse

from observance.models import Meeting
from reports.builder import report_figures
from reports.periods import Period
from reports.services import report_finalize
from reports.trend import WINDOW, semester_trend
from tests.conftest import make_user

from .factories import clone_semester
from .narrative import write_the_narrative
from .test_figure_walk import add_records_the_cut_off_judges, list_count, moment

# Every test reads the demo: seeded once for the module (tests/reports/conftest.py).
pytestmark = pytest.mark.usefixtures("demo_for_module")

TODAY = datetime.date(2022, 12, 1)  # in 2022-S2; the demo lives in 2021-S1, the first one
TREND_LINK = re.compile(r'<a href="([^"]+)" data-trend="(\w+)" data-value="(\d+)"')


@pytest.fixture
def semesters(demo, first_2021):
    """The demo's 2021-S1, a copy of it in 2022-S1, and records the cut-off must judge."""
    clone_semester(source=first_2021, target=Period(2022, 1), factor=1, tag="2022")
    add_records_the_cut_off_judges(first_2021)
    return first_2021


def report_point(period, today):
    figures = report_figures(period=period, today=today)
    return (
        figures["linkage"],
        figures["meetings"]["institutions"],
        figures["requests"]["on_time"],
        figures["requests"]["sent"],
    )


def test_each_point_is_the_figure_of_its_semesters_report(semesters):
    points = semester_trend(period=Period(2022, 2), today=TODAY)

    assert [point["period"].code for point in points] == [
        "2021-S1",
        "2021-S2",
        "2022-S1",
        "2022-S2",
    ]
    assert len(points) <= WINDOW
    for point in points:
        expected = report_point(point["period"], TODAY)
        got = (point["linkage"], point["meetings"], point["on_time"], point["sent"])
        assert got == expected, point["period"].code
    assert points[0]["linkage"]["percent"] is not None
    assert points[0]["meetings"] > 0 and points[2]["meetings"] > 0


def test_a_finalized_semester_shows_its_frozen_figures(semesters, first_2021):
    write_the_narrative(first_2021)
    final = report_finalize(period=first_2021, user=make_user("finalizer"), today=TODAY)
    institution = Meeting.objects.filter(institution__isnull=False).first().institution
    # Entered later with a date in the finalized semester: the records change, the report not.
    Meeting.objects.create(
        held_at=moment(datetime.date(2021, 6, 1)),
        modality=Meeting.Modality.VIRTUAL,
        institution=institution,
        purpose="Registrada después del cierre",
    )

    point = semester_trend(period=Period(2022, 2), today=TODAY)[0]

    assert point["frozen"]
    assert point["meetings"] == final.figures["meetings"]["institutions"]
    assert report_point(first_2021, TODAY)[1] == point["meetings"] + 1


def test_the_trend_reads_in_the_same_queries_whatever_the_records(
    semesters, django_assert_max_num_queries
):
    # The profile, the frozen reports, the mapping, the requests, and the meetings in three
    # parts (the semesters over, this one up to yesterday, today).
    with django_assert_max_num_queries(7):
        semester_trend(period=Period(2022, 2), today=TODAY)
    clone_semester(source=Period(2021, 1), target=Period(2023, 1), factor=3, tag="more")
    with django_assert_max_num_queries(7):
        semester_trend(period=Period(2022, 2), today=TODAY)


def trend_links(page):
    return [(html.unescape(url), kind, int(value)) for url, kind, value in TREND_LINK.findall(page)]


def test_every_point_of_the_report_page_opens_a_list_of_its_records(semesters, secretary_client):
    page = secretary_client.get(reverse("reports:report-detail", args=[2021, 1])).text
    links = trend_links(page)

    assert {kind for _url, kind, _value in links} == {"met", "mapped", "meetings", "on_time"}
    wrong = [
        f"{url}: {value}, list {count}"
        for url, _kind, value in links
        if (count := list_count(secretary_client, url)) != value
    ]
    assert wrong == []


def test_the_dashboard_shows_the_chosen_semester_and_its_trend(semesters, coordinator_client):
    page = coordinator_client.get(reverse("observance:dashboard"), {"semester": "2022-S1"})
    linkage = page.context["panel"]["point"]["linkage"]

    assert page.status_code == 200
    assert linkage == report_figures(period=Period(2022, 1))["linkage"]
    assert 'data-testid="semester-trend"' in page.text
    assert "2021-S2" in page.text
    assert '<option value="2022-S1" selected>' in page.text
    # The chart's coordinates are SVG numbers, never written the Spanish way ("12,5").
    coordinates = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', page.text)
    assert len(coordinates) == 3 * 3  # three charts, 2021-S1 to 2022-S1
    assert all(float(x) >= 0 and float(y) >= 0 for x, y in coordinates)


def test_the_dashboard_defaults_to_the_current_semester(demo, coordinator_client):
    page = coordinator_client.get(reverse("observance:dashboard"))
    point = page.context["panel"]["point"]

    assert point["period"].start <= datetime.date.today() <= point["period"].end


@pytest.mark.parametrize("code", ["2099-S1", "semestre", "1990-S1"])
def test_a_semester_not_offered_is_refused_next_to_the_field(demo, coordinator_client, code):
    page = coordinator_client.get(reverse("observance:dashboard"), {"semester": code})

    assert page.status_code == 200
    assert "Elija uno de los semestres de la lista." in page.text
    assert page.context["panel"]["point"]["period"].end >= datetime.date.today()


def test_the_report_page_picks_another_semester(semesters, client, secretary, reader):
    client.force_login(secretary)
    response = client.get(reverse("reports:report-list"), {"semester": "2022-S1"})
    assert response.status_code == 302
    assert response.url == reverse("reports:report-detail", args=[2022, 1])
    # A reader opens final reports only: a draft's semester is not among their choices.
    client.force_login(reader)
    response = client.get(reverse("reports:report-list"), {"semester": "2022-S1"})
    assert response.status_code == 200
    assert "Elija uno de los semestres de la lista." in response.text
