"""Plausible dates in the admin: its forms and its spreadsheet imports refuse a date before the
observatory's constitution or after today (two years ahead for a meeting), in Spanish, naming
the limit as dd/mm/aaaa; an import with one such row imports nothing and names the row."""

import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from allies.models import Ally
from allies.resources import AllyResource
from institutions.models import Institution
from institutions.resources import InstitutionResource
from observance.models import InformationRequest, Meeting, ObservatoryProfile, RequestEvent
from observance.resources import InformationRequestResource, MeetingResource
from tests.conftest import edit_version

from .conftest import make_ally, make_institution, make_request
from .posted_form import posted_form
from .test_history import form_data
from .test_request_timeline import post_request_change, timeline_rows

BEFORE_CONSTITUTION = (
    "La fecha no puede ser anterior a la constitución del Observatorio (19/01/2021)."
)


def after_today():
    return f"La fecha no puede ser posterior a hoy ({timezone.localdate():%d/%m/%Y})."


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def profile(db):
    return ObservatoryProfile.objects.create(
        name="Observatorio", acronym="OPPMS", constituted_on=datetime.date(2021, 1, 19)
    )


# The admin's forms.


def test_the_admin_refuses_a_meeting_before_the_constitution_keeping_the_input(
    admin_client_user, profile
):
    institution = make_institution()
    form = posted_form(
        admin_client_user.get(reverse("admin:observance_meeting_add")).content.decode(),
        "meeting_form",
    )
    form |= {
        "held_at_0": "18/01/2021",
        "held_at_1": "10:00",
        "modality": "virtual",
        "institution": str(institution.pk),
        "purpose": "Vinculación con el ministerio",
    }
    response = admin_client_user.post(reverse("admin:observance_meeting_add"), form)
    assert response.status_code == 200
    admin_form = response.context["adminform"].form
    assert admin_form.errors["held_at"] == [BEFORE_CONSTITUTION]
    assert admin_form["purpose"].value() == "Vinculación con el ministerio"
    assert not Meeting.objects.exists()


def test_the_admin_refuses_an_ally_allied_since_tomorrow(admin_client_user, profile):
    ally = make_ally()
    url = reverse("admin:allies_ally_change", args=[ally.pk])
    form = posted_form(admin_client_user.get(url).content.decode(), "ally_form")
    response = admin_client_user.post(url, form | {"allied_on": tomorrow().strftime("%d/%m/%Y")})
    assert response.context["adminform"].form.errors["allied_on"] == [after_today()]
    ally.refresh_from_db()
    assert ally.allied_on is None


def test_the_admin_refuses_a_timeline_event_after_today_and_the_request_stays_open(
    admin_client_user, profile
):
    request_ = make_request(sent_on=timezone.localdate() - datetime.timedelta(days=2))
    response = post_request_change(
        admin_client_user,
        request_,
        timeline_rows((RequestEvent.Kind.ANSWERED_FULLY, tomorrow())),
    )
    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert inline.formset.forms[0].errors["occurred_on"] == [after_today()]
    request_.refresh_from_db()
    assert (request_.answered_on, RequestEvent.objects.count()) == (None, 0)


def test_the_admin_refuses_an_answer_date_after_today_on_the_request(admin_client_user, profile):
    request_ = make_request(sent_on=timezone.localdate() - datetime.timedelta(days=2))
    url = reverse("admin:observance_informationrequest_change", args=[request_.pk])
    response = admin_client_user.post(
        url,
        {
            "institution": request_.institution_id,
            "subject": request_.subject,
            "sent_on": request_.sent_on.strftime("%d/%m/%Y"),
            "channel": request_.channel,
            "outcome": "answered_fully",
            "answered_on": tomorrow().strftime("%d/%m/%Y"),
        }
        | timeline_rows()
        | edit_version(request_),
    )
    assert response.context["adminform"].form.errors["answered_on"] == [after_today()]
    request_.refresh_from_db()
    assert request_.answered_on is None


def test_reverting_to_a_version_dated_before_the_constitution_is_refused(
    admin_client_user, profile
):
    institution = make_institution(mapped_on=datetime.date(2021, 1, 4))
    institution.mapped_on = datetime.date(2021, 2, 1)
    institution.save()
    first = institution.history.earliest()
    url = reverse(
        "admin:institutions_institution_simple_history", args=[institution.pk, first.history_id]
    )
    data = form_data(admin_client_user.get(url).context["adminform"].form)
    response = admin_client_user.post(url, data | edit_version(institution))
    assert response.context["adminform"].form.errors["mapped_on"] == [BEFORE_CONSTITUTION]
    institution.refresh_from_db()
    assert institution.mapped_on == datetime.date(2021, 2, 1)


# Spreadsheet imports.


def dataset(text):
    return tablib.Dataset().load(text, format="csv")


def test_a_meeting_file_with_one_row_before_the_constitution_imports_nothing(profile):
    institution = make_institution()
    text = (
        "Fecha y hora,Modalidad,Institución,Objetivo\n"
        f"01/03/2021 10:00,Virtual,{institution.name},Vinculación\n"
        f"18/01/2021 23:30,Virtual,{institution.name},Vinculación\n"
        f"02/03/2021 10:00,Virtual,{institution.name},Vinculación\n"
    )
    result = MeetingResource().import_data(dataset(text), dry_run=False)
    assert [(row.number, row.field_specific_errors) for row in result.invalid_rows] == [
        (2, {"Fecha y hora": [BEFORE_CONSTITUTION]})
    ]
    assert not Meeting.objects.exists()


def test_a_meeting_file_with_a_meeting_too_far_ahead_imports_nothing(profile):
    institution = make_institution()
    today = timezone.localdate()
    limit = today.replace(year=today.year + 2)
    too_far = limit + datetime.timedelta(days=1)
    text = (
        "Fecha y hora,Modalidad,Institución,Objetivo\n"
        f"{too_far:%d/%m/%Y} 10:00,Virtual,{institution.name},Vinculación\n"
    )
    result = MeetingResource().import_data(dataset(text), dry_run=False)
    assert [row.field_specific_errors for row in result.invalid_rows] == [
        {
            "Fecha y hora": [
                f"La fecha no puede estar a más de dos años de hoy (posterior al {limit:%d/%m/%Y})."
            ]
        }
    ]
    assert not Meeting.objects.exists()


def test_a_request_file_with_one_sent_tomorrow_imports_nothing(profile):
    institution = make_institution()
    text = (
        "Institución,Asunto,Fecha de envío,Canal\n"
        f"{institution.name},Atención a retornados,01/03/2021,Quipux\n"
        f"{institution.name},Cifras de refugio,{tomorrow():%d/%m/%Y},Quipux\n"
    )
    result = InformationRequestResource().import_data(dataset(text), dry_run=False)
    assert [(row.number, row.field_specific_errors) for row in result.invalid_rows] == [
        (2, {"Fecha de envío": [after_today()]})
    ]
    assert not InformationRequest.objects.exists()


def test_an_institution_file_mapped_before_the_constitution_imports_nothing(profile):
    text = (
        "Nombre,Función del Estado,Nivel de gobierno,Rol ante las políticas observadas,"
        "Fecha de mapeo\n"
        "Defensoría del Pueblo,Transparencia y control social,Nacional,Ejecutor,04/01/2021\n"
    )
    result = InstitutionResource().import_data(dataset(text), dry_run=False)
    assert [row.field_specific_errors for row in result.invalid_rows] == [
        {"Fecha de mapeo": [BEFORE_CONSTITUTION]}
    ]
    assert not Institution.objects.exists()


def test_an_ally_file_allied_since_tomorrow_imports_nothing(profile):
    text = f"Nombre,Tipo,Aliado desde\nUniversidad Central,Academia,{tomorrow():%d/%m/%Y}\n"
    result = AllyResource().import_data(dataset(text), dry_run=False)
    assert [row.field_specific_errors for row in result.invalid_rows] == [
        {"Aliado desde": [after_today()]}
    ]
    assert not Ally.objects.exists()


def test_the_import_page_names_the_row_and_the_limit(admin_client_user, profile):
    institution = make_institution()
    text = (
        "Fecha y hora,Modalidad,Institución,Objetivo\n"
        f"01/03/2021 10:00,Virtual,{institution.name},Vinculación\n"
        f"18/01/2021 10:00,Virtual,{institution.name},Vinculación\n"
    )
    response = admin_client_user.post(
        reverse("admin:observance_meeting_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("reuniones.csv", text.encode(), "text/csv"),
        },
    )
    page = response.content.decode()
    [invalid] = response.context["result"].invalid_rows
    assert (invalid.number, "confirm_form" in response.context) == (2, False)
    assert "Fila" in page
    assert "anterior a la constitución del Observatorio (19/01/2021)" in page
    assert not Meeting.objects.exists()
