"""Semesters follow the observatory's clock (America/Guayaquil), not UTC."""

import datetime

import pytest
from django.utils import timezone

from institutions.models import Institution
from observance.models import Meeting
from reports.builder import report_figures
from reports.periods import Period, observatory_zone


def meeting_at(institution, *moment):
    when = timezone.make_aware(datetime.datetime(*moment), observatory_zone())
    return Meeting.objects.create(
        held_at=when, modality=Meeting.Modality.VIRTUAL, institution=institution, purpose="x"
    )


@pytest.fixture
def institution(db):
    return Institution.objects.create(
        name="Ministerio de Prueba", mapped_on=datetime.date(2021, 1, 1)
    )


def test_meeting_on_30_june_at_2330_in_guayaquil_belongs_to_the_first_semester(institution):
    meeting_at(institution, 2021, 6, 30, 23, 30)
    assert report_figures(period=Period(2021, 1))["meetings"]["total"] == 1
    assert report_figures(period=Period(2021, 2))["meetings"]["total"] == 0


def test_meeting_on_1_july_at_0030_in_guayaquil_belongs_to_the_second_semester(institution):
    meeting_at(institution, 2021, 7, 1, 0, 30)
    assert report_figures(period=Period(2021, 1))["meetings"]["total"] == 0
    assert report_figures(period=Period(2021, 2))["meetings"]["total"] == 1


def test_meeting_is_counted_in_the_local_month_it_was_held(institution):
    meeting_at(institution, 2021, 6, 30, 23, 30)
    by_month = report_figures(period=Period(2021, 1))["meetings"]["by_month"]
    assert by_month[-1] == {"month": "2021-06-01", "virtual": 1, "in_person": 0}


@pytest.mark.parametrize("code", ["2021", "2021-S3", "21-S1", "2021-s", "S1-2021"])
def test_a_badly_written_semester_is_refused(code):
    with pytest.raises(ValueError):
        Period.parse(code)


def test_a_semester_code_reads_back():
    assert Period.parse("2021-s2") == Period(2021, 2)
