"""Fixtures of the history tests: meetings in two semesters, a finalized report of the first."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from observance.models import Meeting
from reports.periods import Period
from reports.services import report_finalize
from tests.institutions.factories import make_institution
from tests.reports.narrative import write_the_narrative

FIRST_2021 = Period(2021, 1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A finalized report's PDF goes to a folder of each test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def held(year, month, day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def make_meeting(held_at, **fields):
    fields.setdefault("modality", Meeting.Modality.VIRTUAL)
    fields.setdefault("purpose", "Presentar el observatorio")
    if "institution" not in fields and "ally" not in fields:
        fields["institution"] = make_institution(mapped_on=held_at.date())
    return Meeting.objects.create(held_at=held_at, **fields)


@pytest.fixture
def first_semester_meeting(db):
    """Held in March 2021: the semester whose report gets finalized."""
    return make_meeting(held(2021, 3, 15))


@pytest.fixture
def second_semester_meeting(db):
    """Held in September 2021, with an institution mapped then: no finalized report counts it."""
    return make_meeting(held(2021, 9, 15))


def finalize(period=FIRST_2021):
    """Finalize the report of ``period`` through the reports app's own service."""
    finalizer, _created = User.objects.get_or_create(
        username="grace", defaults={"first_name": "Grace", "last_name": "Secretaria"}
    )
    write_the_narrative(period)
    return report_finalize(period=period, user=finalizer)


@pytest.fixture
def finalized_report(db):
    """The 2021 first-semester report, finalized with the records made before it."""
    return finalize()
