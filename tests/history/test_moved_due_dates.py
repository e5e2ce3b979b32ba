"""A holiday that moves open requests' due dates leaves a version of each request behind.

The due dates move in bulk, many requests at a time; their history must still tell the truth:
the new date, who changed the holiday table, why the date moved, and the request's areas as
they were (a version without them would read as "every area removed").
"""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from institutions.models import ResponsibilityArea
from observance.models import Holiday, InformationRequest
from observance.services import DUE_DATES_MOVED_REASON
from tests.institutions.factories import make_institution

from .test_history_page import changes_of, history_url


@pytest.fixture(autouse=True)
def business_days(settings):
    """Counted in business days, a holiday moves a due date."""
    settings.LOTAIP_DAY_COUNTING = "business"


def date(month, day):
    return datetime.date(2021, month, day)


@pytest.fixture
def open_request(db):
    institution = make_institution(mapped_on=date(1, 4))
    request = InformationRequest.objects.create(
        institution=institution, subject="Inserción laboral", sent_on=date(3, 1)
    )
    request.areas.set(
        [
            ResponsibilityArea.objects.create(institution=institution, name="Retorno"),
            ResponsibilityArea.objects.create(institution=institution, name="Empleo"),
        ]
    )
    assert request.due_on == date(3, 15)
    return request


def newest_version(request):
    return request.history.order_by("-history_date", "-history_id").first()


def test_the_newest_version_holds_the_due_date_a_holiday_moved(open_request):
    Holiday.objects.create(date=date(3, 10), name="Feriado local de prueba")

    version = newest_version(open_request)
    assert version.history_type == "~"
    assert version.due_on == date(3, 16)
    assert version.history_change_reason == DUE_DATES_MOVED_REASON


def test_the_newest_version_keeps_the_requests_areas(open_request):
    areas = set(open_request.areas.values_list("pk", flat=True))

    Holiday.objects.create(date=date(3, 10), name="Feriado local de prueba")

    version = newest_version(open_request)
    assert set(version.areas.values_list("responsibilityarea_id", flat=True)) == areas


def test_the_history_page_shows_the_moved_date_and_why_and_nothing_else(
    reader_client, open_request
):
    holiday = Holiday.objects.create(date=date(3, 10), name="Feriado local de prueba")
    holiday.delete()

    entries = reader_client.get(history_url(open_request)).context["entries"]

    moved_back, moved = entries[0], entries[1]
    assert changes_of(moved) == {gettext("due on"): ("15/03/2021", "16/03/2021")}
    assert changes_of(moved_back) == {gettext("due on"): ("16/03/2021", "15/03/2021")}
    assert moved["reason"] == gettext(DUE_DATES_MOVED_REASON)


def test_the_administrator_who_adds_the_holiday_is_named_in_the_requests_history(
    admin_client_user, open_request
):
    response = admin_client_user.post(
        reverse("admin:observance_holiday_add"),
        {"date": "10/03/2021", "name": "Feriado local de prueba"},
    )
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.due_on == date(3, 16)
    entry = admin_client_user.get(history_url(open_request)).context["entries"][0]
    assert entry["who"] == "charlie"
    assert changes_of(entry)[gettext("due on")] == ("15/03/2021", "16/03/2021")


def test_a_holiday_that_moves_nothing_adds_no_version(open_request):
    versions = open_request.history.count()

    Holiday.objects.create(date=date(4, 10), name="Feriado de abril")

    assert open_request.history.count() == versions
