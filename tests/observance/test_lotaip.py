"""The LOTAIP clock: 10 days to answer, 5 more once when notified, calendar or business days."""

import datetime

import holidays
import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from institutions.models import Institution
from observance.models import Holiday, InformationRequest, RequestEvent
from observance.services import request_event_record

BUSINESS = override_settings(LOTAIP_DAY_COUNTING="business")
CALENDAR = override_settings(LOTAIP_DAY_COUNTING="calendar")


def date(month, day, year=2021):
    return datetime.date(year, month, day)


@pytest.fixture
def institution(db):
    return Institution.objects.create(name="Ministerio del Trabajo", mapped_on=date(1, 25))


@pytest.fixture
def make_request(institution):
    def make(sent_on, **extra):
        return InformationRequest.objects.create(
            institution=institution, subject="Inserción laboral", sent_on=sent_on, **extra
        )

    return make


def ecuador_holiday_name(day):
    return holidays.country_holidays("EC", years=day.year, language="es")[day]


@CALENDAR
def test_in_calendar_days_a_request_is_due_ten_days_after_it_was_sent(make_request):
    # Friday 14/05/2021: the weekend and 24 May both count.
    assert make_request(date(5, 14)).due_on == date(5, 24)


@CALENDAR
def test_in_calendar_days_the_extension_adds_five_days(make_request):
    request = make_request(date(5, 14), extension_notified_on=date(5, 20))
    assert request.due_on == date(5, 29)


@BUSINESS
def test_in_business_days_weekends_are_not_counted(make_request):
    # Monday 01/03/2021: two weekends fall inside the ten business days.
    assert make_request(date(3, 1)).due_on == date(3, 15)


@BUSINESS
def test_in_business_days_the_extension_adds_five_business_days(make_request):
    request = make_request(date(3, 1), extension_notified_on=date(3, 10))
    assert request.due_on == date(3, 22)


@BUSINESS
def test_in_business_days_the_battle_of_pichincha_is_not_counted(make_request):
    assert holidays.country_holidays("EC", years=2021).get(date(5, 24)) is not None
    assert make_request(date(5, 17)).due_on == date(6, 1)


@BUSINESS
def test_in_business_days_both_days_of_carnival_are_not_counted(make_request):
    assert {date(2, 15), date(2, 16)} <= set(holidays.country_holidays("EC", years=2021))
    assert make_request(date(2, 12)).due_on == date(3, 2)


@BUSINESS
def test_the_explanation_names_the_skipped_national_holiday(make_request):
    lines = make_request(date(5, 17)).deadline_explanation()

    holiday_lines = [line for line in lines if "24/05/2021" in line]
    assert len(holiday_lines) == 1
    assert ecuador_holiday_name(date(5, 24)) in holiday_lines[0]


@BUSINESS
def test_the_explanation_ends_with_the_due_date(make_request):
    assert "01/06/2021" in make_request(date(5, 17)).deadline_explanation()[-1]


@BUSINESS
def test_a_holiday_added_by_an_administrator_moves_open_requests_only(make_request):
    open_request = make_request(date(3, 1))
    answered = make_request(
        date(3, 1), outcome=InformationRequest.Outcome.ANSWERED_FULLY, answered_on=date(3, 12)
    )
    assert open_request.due_on == answered.due_on == date(3, 15)

    Holiday.objects.create(date=date(3, 10), name="Feriado local de prueba")

    open_request.refresh_from_db()
    answered.refresh_from_db()
    assert open_request.due_on == date(3, 16)
    assert answered.due_on == date(3, 15)


@BUSINESS
def test_a_holiday_removed_by_an_administrator_moves_open_requests_back(make_request):
    holiday = Holiday.objects.create(date=date(3, 10), name="Feriado local de prueba")
    request = make_request(date(3, 1))
    assert request.due_on == date(3, 16)

    holiday.delete()

    request.refresh_from_db()
    assert request.due_on == date(3, 15)


@BUSINESS
def test_the_explanation_lists_a_holiday_added_by_an_administrator(make_request):
    Holiday.objects.create(date=date(3, 10), name="Feriado local de prueba")
    request = InformationRequest.objects.get(pk=make_request(date(3, 1)).pk)

    lines = request.deadline_explanation()

    assert any("10/03/2021" in line and "Feriado local de prueba" in line for line in lines)


@CALENDAR
def test_in_calendar_days_an_added_holiday_changes_no_due_date(make_request):
    request = make_request(date(3, 1))

    Holiday.objects.create(date=date(3, 10), name="Feriado local de prueba")

    request.refresh_from_db()
    assert request.due_on == date(3, 11)


@pytest.fixture
def requests_on_the_clock(make_request):
    """On 20/05/2021: one open and late, one answered late, one open and on time."""
    return {
        "open_late": make_request(date(5, 3)),
        "answered_late": make_request(
            date(5, 3), outcome=InformationRequest.Outcome.ANSWERED_FULLY, answered_on=date(5, 18)
        ),
        "open_on_time": make_request(date(5, 14)),
    }


@CALENDAR
def test_overdue_finds_unanswered_requests_past_their_due_date_in_the_database(
    requests_on_the_clock, django_assert_num_queries
):
    overdue = InformationRequest.objects.overdue(today=date(5, 20))
    assert isinstance(overdue, QuerySet)

    with django_assert_num_queries(1):
        found = set(overdue.values_list("pk", flat=True))

    assert found == {requests_on_the_clock["open_late"].pk}


@CALENDAR
def test_a_request_answered_late_is_not_overdue(requests_on_the_clock):
    late = requests_on_the_clock["answered_late"]

    assert late.answered_late
    assert not InformationRequest.objects.overdue(today=date(5, 20)).filter(pk=late.pk).exists()


@CALENDAR
def test_a_request_is_not_overdue_on_its_due_date(make_request):
    request = make_request(date(5, 3))
    assert request.due_on == date(5, 13)

    assert not InformationRequest.objects.overdue(today=date(5, 13)).exists()
    assert InformationRequest.objects.overdue(today=date(5, 14)).get() == request


@CALENDAR
def test_recording_an_extension_moves_the_due_date(make_request):
    request = make_request(date(5, 3))

    request_event_record(request=request, kind=RequestEvent.Kind.EXTENSION, occurred_on=date(5, 10))

    request.refresh_from_db()
    assert request.extension_notified_on == date(5, 10)
    assert request.due_on == date(5, 18)


@CALENDAR
def test_recording_an_answer_closes_the_request(make_request):
    request = make_request(date(5, 3))

    request_event_record(
        request=request, kind=RequestEvent.Kind.ANSWERED_PARTLY, occurred_on=date(5, 20)
    )

    request.refresh_from_db()
    assert request.outcome == InformationRequest.Outcome.ANSWERED_PARTLY
    assert request.answered_on == date(5, 20)
    assert request.answered_late


def test_an_event_dated_before_the_request_is_rejected(make_request):
    request = make_request(date(5, 3))

    with pytest.raises(ValidationError) as error:
        request_event_record(
            request=request, kind=RequestEvent.Kind.ANSWERED_FULLY, occurred_on=date(5, 2)
        )

    assert error.value.error_dict["occurred_on"][0].code == "before_sent"
    request.refresh_from_db()
    assert request.answered_on is None
    assert not request.events.exists()


def test_a_second_extension_is_rejected(make_request):
    request = make_request(date(5, 3))
    request_event_record(request=request, kind=RequestEvent.Kind.EXTENSION, occurred_on=date(5, 6))

    with pytest.raises(ValidationError) as error:
        request_event_record(
            request=request, kind=RequestEvent.Kind.EXTENSION, occurred_on=date(5, 10)
        )

    assert error.value.error_dict["kind"][0].code == "extension_twice"
    request.refresh_from_db()
    assert request.extension_notified_on == date(5, 6)
    assert request.events.count() == 1


@BUSINESS
def test_holiday_names_follow_the_active_language_not_the_servers_locale(make_request):
    request = make_request(date(5, 17))

    with translation.override("en"):
        english = request.deadline_explanation()
    with translation.override("es"):
        spanish = request.deadline_explanation()

    assert any("Battle of Pichincha" in line for line in english)
    assert any("Batalla de Pichincha" in line for line in spanish)


@BUSINESS
def test_a_holiday_added_in_the_admin_moves_an_open_requests_due_date(
    make_request, admin_client_user
):
    request = make_request(date(3, 1))

    response = admin_client_user.post(
        reverse("admin:observance_holiday_add"),
        {"date": "10/03/2021", "name": "Feriado decretado"},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.due_on == date(3, 16)
