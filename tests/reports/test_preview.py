"""The HTML preview: figures link to the records behind them; the semester picker validates."""

import pytest
from django.urls import reverse

from oppms.views import list_url
from reports.periods import Period

# The demo is seeded once for the module (tests/reports/conftest.py); a test that does not
# read it sees it all the same, which none of them minds.
pytestmark = pytest.mark.usefixtures("demo_for_module")


def test_linkage_figure_links_to_the_institutions_met_in_the_semester(demo, secretary_client):
    response = secretary_client.get(reverse("reports:report-detail", args=[2021, 1]))
    expected = list_url(
        "institutions:institution-list",
        as_of="2021-06-30",
        met_after="2021-01-01",
        met_before="2021-06-30",
    )
    assert expected is not None
    assert f'href="{expected.replace("&", "&amp;")}"' in response.content.decode()


def test_meetings_with_universities_link_to_the_filtered_meeting_list(demo, secretary_client):
    response = secretary_client.get(reverse("reports:report-detail", args=[2021, 1]))
    expected = list_url(
        "observance:meeting-list",
        held_after="2021-01-01",
        held_before="2021-06-30",
        ally_kind="academia",
        as_of="2021-06-30",
    )
    assert f'href="{expected.replace("&", "&amp;")}"' in response.content.decode()


def test_preview_shows_the_figures_of_the_records(demo, secretary_client):
    response = secretary_client.get(reverse("reports:report-detail", args=[2021, 1]))
    figures = response.context["figures"]
    assert (figures["linkage"]["numerator"], figures["linkage"]["denominator"]) == (11, 20)
    assert figures["linkage"]["percent"] == 55
    assert figures["meetings"]["academia"] == 10


def test_picker_opens_the_chosen_semester(secretary_client):
    response = secretary_client.get(reverse("reports:report-list"), {"year": 2021, "half": 2})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report-detail", args=[2021, 2])


def test_picker_refuses_a_year_out_of_range_next_to_the_field(secretary_client):
    response = secretary_client.get(reverse("reports:report-list"), {"year": 1850, "half": 1})
    assert response.status_code == 200
    assert response.context["form"].has_error("year", code="year_out_of_range")


def test_picker_refuses_a_third_semester(secretary_client):
    response = secretary_client.get(reverse("reports:report-list"), {"year": 2021, "half": 3})
    assert response.status_code == 200
    assert response.context["form"].has_error("half")


def test_period_label_names_the_months(db):
    assert "2021" in Period(2021, 1).label
