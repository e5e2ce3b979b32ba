"""Plausible dates: nothing is dated before the observatory existed, nothing that has happened is
dated after today, and a meeting is planned at most two years ahead. Each refusal is in Spanish,
next to the field, names its limit as dd/mm/aaaa, keeps what was typed and saves nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from allies.models import Agreement, Ally
from institutions.models import Institution
from observance.dates import RULES, date_refusals
from observance.models import (
    Evaluation,
    FollowUp,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    Publication,
    Recommendation,
    RequestEvent,
)
from tests.allies.factories import make_ally
from tests.conftest import edit_version
from tests.institutions.factories import make_institution

from .page_data import make_process, make_recommendation, make_request

CONSTITUTED_ON = datetime.date(2021, 1, 19)
BEFORE_CONSTITUTION = (
    "La fecha no puede ser anterior a la constitución del Observatorio (19/01/2021)."
)


def ddmmyyyy(day):
    return day.strftime("%d/%m/%Y")


def after_today_message():
    return f"La fecha no puede ser posterior a hoy ({ddmmyyyy(timezone.localdate())})."


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def two_years_ahead():
    today = timezone.localdate()
    return today.replace(year=today.year + 2)


@pytest.fixture
def profile(db):
    return ObservatoryProfile.objects.create(
        name="Observatorio", acronym="OPPMS", constituted_on=CONSTITUTED_ON
    )


def field_errors(response, field):
    assert response.status_code == 200, "the form was accepted"
    return response.context["form"].errors.get(field, [])


# Meetings: from the constitution to two years ahead, in Guayaquil's time.


def meeting_data(held_at, **overrides):
    return {
        "held_at": held_at,
        "modality": "in_person",
        "place": "Quito",
        "purpose": "Presentar el observatorio",
        "institution": make_institution().pk,
    } | overrides


def post_meeting(client, held_at):
    return client.post(reverse("observance:meeting-create"), meeting_data(held_at))


def test_a_meeting_before_the_constitution_is_refused_naming_it(coordinator_client, profile):
    response = post_meeting(coordinator_client, "2021-01-18T10:00")
    assert field_errors(response, "held_at") == [BEFORE_CONSTITUTION]
    assert not Meeting.objects.exists()


def test_a_refused_meeting_keeps_what_was_typed(coordinator_client, profile):
    response = post_meeting(coordinator_client, "1901-05-02T09:15")
    page = response.content.decode()
    assert ('value="1901-05-02T09:15"' in page, "Presentar el observatorio" in page) == (
        True,
        True,
    )


def test_a_meeting_late_on_the_eve_of_the_constitution_is_refused_in_guayaquils_time(
    coordinator_client, profile
):
    # 23:30 in Guayaquil is already the 19th in UTC: the day that counts is Guayaquil's.
    response = post_meeting(coordinator_client, "2021-01-18T23:30")
    assert field_errors(response, "held_at") == [BEFORE_CONSTITUTION]


def test_a_meeting_early_on_the_day_of_the_constitution_is_logged(coordinator_client, profile):
    response = post_meeting(coordinator_client, "2021-01-19T00:30")
    assert response.status_code == 302
    assert Meeting.objects.count() == 1


def test_a_meeting_more_than_two_years_ahead_is_refused_naming_the_limit(
    coordinator_client, profile
):
    too_far = two_years_ahead() + datetime.timedelta(days=1)
    response = post_meeting(coordinator_client, f"{too_far.isoformat()}T10:00")
    assert field_errors(response, "held_at") == [
        "La fecha no puede estar a más de dos años de hoy (posterior al "
        f"{ddmmyyyy(two_years_ahead())})."
    ]
    assert not Meeting.objects.exists()


def test_a_meeting_planned_two_years_ahead_is_logged(coordinator_client, profile):
    response = post_meeting(coordinator_client, f"{two_years_ahead().isoformat()}T10:00")
    assert response.status_code == 302


def test_editing_a_meeting_into_an_implausible_date_changes_nothing(coordinator_client, profile):
    post_meeting(coordinator_client, "2021-03-15T10:30")
    meeting = Meeting.objects.get()
    response = coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        meeting_data("2020-12-01T10:30", institution=meeting.institution_id)
        | edit_version(meeting),
    )
    assert field_errors(response, "held_at") == [BEFORE_CONSTITUTION]
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.held_at).date() == datetime.date(2021, 3, 15)


# Information requests: sent between the constitution and today.


def request_data(sent_on):
    return {
        "institution": make_institution().pk,
        "subject": "Retornados atendidos",
        "sent_on": sent_on,
        "channel": "email",
    }


def test_a_request_sent_tomorrow_is_refused_naming_today(coordinator_client, profile):
    response = coordinator_client.post(
        reverse("observance:request-create"), request_data(tomorrow().isoformat())
    )
    assert field_errors(response, "sent_on") == [after_today_message()]
    assert response.context["form"]["subject"].value() == "Retornados atendidos"
    assert not InformationRequest.objects.exists()


def test_a_request_sent_before_the_constitution_is_refused(coordinator_client, profile):
    response = coordinator_client.post(
        reverse("observance:request-create"), request_data("2021-01-18")
    )
    assert field_errors(response, "sent_on") == [BEFORE_CONSTITUTION]
    assert not InformationRequest.objects.exists()


def test_a_request_sent_today_in_guayaquil_is_taken_though_utc_is_already_tomorrow(
    coordinator_client, profile, monkeypatch
):
    # 22:00 in Guayaquil on 28/02/2025 is 03:00 of 01/03/2025 in UTC. (A moment in the past,
    # so that the login's session has not expired by then.)
    evening = datetime.datetime(2025, 3, 1, 3, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    refused = coordinator_client.post(
        reverse("observance:request-create"), request_data("2025-03-01")
    )
    assert field_errors(refused, "sent_on") == [
        "La fecha no puede ser posterior a hoy (28/02/2025)."
    ]
    taken = coordinator_client.post(
        reverse("observance:request-create"), request_data("2025-02-28")
    )
    assert taken.status_code == 302


# A request's events: not after today.


def event_url(request):
    return reverse("observance:request-event", args=[request.pk])


def event_form(response, kind):
    return next(form for form in response.context["event_forms"] if form.kind == kind)


@pytest.mark.parametrize("kind", ["answered_fully", "extension", "refused"])
def test_an_event_dated_after_today_is_refused_and_the_request_is_unchanged(
    coordinator_client, profile, kind
):
    request = make_request(sent_on=timezone.localdate() - datetime.timedelta(days=3))
    response = coordinator_client.post(
        event_url(request),
        {
            "kind": kind,
            f"{kind}-occurred_on": tomorrow().isoformat(),
            f"{kind}-notes": "Llegó por correo",
        },
    )
    assert response.status_code == 200
    form = event_form(response, kind)
    assert (form.errors["occurred_on"], form["notes"].value()) == (
        [after_today_message()],
        "Llegó por correo",
    )
    request.refresh_from_db()
    assert (request.answered_on, request.extension_notified_on) == (None, None)
    assert not RequestEvent.objects.exists()


def test_an_event_dated_today_is_recorded(coordinator_client, profile):
    request = make_request(sent_on=timezone.localdate() - datetime.timedelta(days=3))
    coordinator_client.post(
        event_url(request),
        {"kind": "answered_fully", "answered_fully-occurred_on": timezone.localdate().isoformat()},
    )
    request.refresh_from_db()
    assert request.answered_on == timezone.localdate()


# Without a constitution date in the profile, a setting gives the earliest date.


def test_without_a_constitution_date_the_earliest_date_setting_is_the_limit(coordinator_client):
    response = post_meeting(coordinator_client, "1901-05-02T09:15")
    assert field_errors(response, "held_at") == [
        "La fecha no puede ser anterior al 20/10/2008; la fecha de constitución del "
        "Observatorio no consta en su perfil."
    ]
    assert not Meeting.objects.exists()


def test_the_earliest_date_setting_can_be_moved(coordinator_client, settings):
    settings.EARLIEST_RECORD_DATE = datetime.date(1990, 1, 1)
    response = post_meeting(coordinator_client, "1995-05-02T09:15")
    assert response.status_code == 302


def test_a_profile_with_an_empty_constitution_date_uses_the_setting(coordinator_client):
    ObservatoryProfile.objects.create(name="Observatorio", acronym="OPPMS")
    response = post_meeting(coordinator_client, "2008-10-19T09:15")
    assert "20/10/2008" in field_errors(response, "held_at")[0]


def test_the_constitution_cannot_be_dated_in_the_future(secretary_client, profile):
    response = secretary_client.post(
        reverse("observance:profile-update"),
        {"name": "Observatorio", "acronym": "OPPMS", "constituted_on": tomorrow().isoformat()},
    )
    assert field_errors(response, "constituted_on") == [after_today_message()]
    assert ObservatoryProfile.load().constituted_on == CONSTITUTED_ON


# Every other record that says something happened: after the constitution, not after today.


def other_records():
    """(url name, url args, posted data without the date, date field, model)."""
    process = make_process()
    institution = make_institution()
    return [
        (
            "observance:evaluation-create",
            [],
            {
                "process": process.pk,
                "title": "Evaluación",
                "rating": "partial",
                "findings": "Incompleta",
            },
            "evaluated_on",
            Evaluation,
        ),
        (
            "observance:publication-create",
            [],
            {"process": process.pk, "kind": "report", "title": "Informe"},
            "published_on",
            Publication,
        ),
        (
            "observance:recommendation-create",
            [],
            {
                "process": process.pk,
                "institution": institution.pk,
                "text": "Publicar las cifras",
                "compliance": "pending",
            },
            "proposed_on",
            Recommendation,
        ),
        (
            "observance:process-create",
            [],
            {"policy": process.policy_id, "title": "Proceso nuevo"},
            "started_on",
            ObservanceProcess,
        ),
        (
            "institutions:institution-create",
            [],
            {
                "name": "Ministerio nuevo",
                "role": "executor",
                "branch": "executive",
                "level": "national",
            },
            "mapped_on",
            Institution,
        ),
        (
            "allies:ally-create",
            [],
            {"name": "Universidad nueva", "kind": "academia"},
            "allied_on",
            Ally,
        ),
        (
            "allies:agreement-create",
            [],
            {"ally": make_ally().pk, "title": "Convenio", "status": "signed"},
            "signed_on",
            Agreement,
        ),
    ]


RECORDS = [
    "evaluation",
    "publication",
    "recommendation",
    "process",
    "institution",
    "ally",
    "agreement",
]


@pytest.mark.parametrize("index", range(len(RECORDS)), ids=RECORDS)
def test_a_record_dated_after_today_is_refused(coordinator_client, profile, index):
    url_name, args, data, field, model = other_records()[index]
    before = model.objects.count()
    response = coordinator_client.post(
        reverse(url_name, args=args), data | {field: tomorrow().isoformat()}
    )
    assert field_errors(response, field) == [after_today_message()]
    assert model.objects.count() == before


@pytest.mark.parametrize("index", range(len(RECORDS)), ids=RECORDS)
def test_a_record_dated_before_the_constitution_is_refused(coordinator_client, profile, index):
    url_name, args, data, field, model = other_records()[index]
    before = model.objects.count()
    response = coordinator_client.post(reverse(url_name, args=args), data | {field: "2021-01-18"})
    assert field_errors(response, field) == [BEFORE_CONSTITUTION]
    assert model.objects.count() == before


@pytest.mark.parametrize("index", range(len(RECORDS)), ids=RECORDS)
def test_a_record_dated_on_the_constitution_is_saved(coordinator_client, profile, index):
    url_name, args, data, field, model = other_records()[index]
    before = model.objects.count()
    response = coordinator_client.post(reverse(url_name, args=args), data | {field: "2021-01-19"})
    assert response.status_code == 302
    assert model.objects.count() == before + 1


def test_a_follow_up_dated_after_today_is_refused(coordinator_client, profile):
    recommendation = make_recommendation()
    response = coordinator_client.post(
        reverse("observance:recommendation-follow-up", args=[recommendation.pk]),
        {"checked_on": tomorrow().isoformat(), "compliance": "in_progress", "notes": "Visita"},
    )
    assert field_errors(response, "checked_on") == [after_today_message()]  # said once
    assert not FollowUp.objects.filter(checked_on=tomorrow()).exists()


def test_a_step_cannot_be_completed_after_today(coordinator_client, profile):
    process = make_process()
    response = coordinator_client.post(
        reverse("observance:process-step-complete", args=[process.pk, 1]),
        {"step1-on": tomorrow().isoformat()},
    )
    assert response.status_code == 200
    [form] = [row["form"] for row in response.context["rows"] if row["step"].step == 1]
    assert form.errors["on"] == [after_today_message()]
    step = ProcessStep.objects.get(process=process, step=1)
    assert (step.status, step.completed_on) == (ProcessStep.Status.PENDING, None)


# The demo data, loaded by code, holds to the same rules: any of its records can be edited.


def test_every_demo_record_carries_plausible_dates(db):
    call_command("seed_demo", stdout=StringIO())
    implausible = [
        (str(record), refusals)
        for model in RULES
        for record in model.objects.all()
        if (refusals := date_refusals(record))
    ]
    assert implausible == []
    assert Meeting.objects.exists() and ObservatoryProfile.load().constituted_on == CONSTITUTED_ON
