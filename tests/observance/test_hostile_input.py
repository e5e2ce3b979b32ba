"""Values found by the fuzz tests (tests/fuzz) that once answered 500: now a message next to
the field, and nothing saved."""

import pytest
from django.urls import reverse

from observance.models import InformationRequest, Meeting, ObservanceProcess
from tests.institutions.factories import make_institution

from .page_data import make_policy, make_team_member

HUGE = str(10**30)


def field_codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data()[field]]


def test_a_meeting_at_the_end_of_the_calendar_is_refused_next_to_its_date(admin_client_user):
    response = admin_client_user.post(
        reverse("observance:meeting-create"),
        {
            "held_at": "9999-12-31T23:59",
            "modality": "virtual",
            "institution": make_institution().pk,
            "purpose": "Presentación",
        },
    )
    assert response.status_code == 200
    assert field_codes(response, "held_at") == ["max_value"]
    assert not Meeting.objects.exists()


def test_a_request_sent_at_the_end_of_the_calendar_is_refused_next_to_its_date(
    admin_client_user,
):
    response = admin_client_user.post(
        reverse("observance:request-create"),
        {
            "institution": make_institution().pk,
            "subject": "Presupuesto",
            "sent_on": "9999-12-31",
            "channel": "email",
        },
    )
    assert response.status_code == 200
    assert field_codes(response, "sent_on") == ["max_value"]
    assert not InformationRequest.objects.exists()


def test_a_team_member_number_too_large_for_the_database_is_refused(admin_client_user):
    make_team_member()
    response = admin_client_user.post(
        reverse("observance:meeting-create"),
        {
            "held_at": "2021-03-15T10:00",
            "modality": "virtual",
            "institution": make_institution().pk,
            "purpose": "Presentación",
            "team_members": HUGE,
        },
    )
    assert response.status_code == 200
    assert field_codes(response, "team_members") == ["invalid_pk_value"]
    assert not Meeting.objects.exists()


def test_a_process_with_an_institution_number_too_large_is_refused(admin_client_user):
    response = admin_client_user.post(
        reverse("observance:process-create"),
        {
            "policy": make_policy().pk,
            "title": "Proceso",
            "institutions": [make_institution().pk, HUGE],
            "started_on": "2021-02-01",
        },
    )
    assert response.status_code == 200
    assert field_codes(response, "institutions") == ["invalid_pk_value"]
    assert not ObservanceProcess.objects.exists()


@pytest.mark.parametrize("value", ["²", HUGE])
def test_a_new_meeting_opened_with_a_strange_institution_in_the_address_shows_the_form(
    admin_client_user, value
):
    response = admin_client_user.get(reverse("observance:meeting-create"), {"institution": value})
    assert response.status_code == 200
