"""The roles table's meeting line, role by role: Coordinación and Administración log and edit
meetings; Secretaría keeps their minutes (the minutes file, outcomes and commitments) and
nothing else of a meeting; Consulta only reads."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from observance.models import Meeting
from tests.allies.factories import make_ally
from tests.conftest import edit_version
from tests.observance.page_data import PDF_BYTES, make_meeting_at, make_team_member
from tests.permissions.matrix import user_for

HELD_AT = timezone.make_aware(datetime.datetime(2021, 3, 15, 10, 30))


@pytest.fixture
def meeting(db):
    return make_meeting_at(
        HELD_AT,
        purpose="Presentar el observatorio",
        modality=Meeting.Modality.IN_PERSON,
        place="Quito",
    )


def client_as(client, role):
    client.force_login(user_for(role))
    return client


def every_field_changed(meeting):
    """What a forged POST sends: a new value for every field of the whole meeting form."""
    return {
        "held_at": "2022-01-10T08:00",
        "modality": "virtual",
        "place": "",
        "link": "https://zoom.us/j/1",
        "ally": make_ally().pk,
        "team_members": [make_team_member().pk],
        "other_attendees": "Otra persona",
        "cpccs_companion": "Delegado del CPCCS",
        "purpose": "Otro objetivo",
        "outcomes": "Acuerdos alcanzados",
        "commitments-TOTAL_FORMS": "1",
        "commitments-INITIAL_FORMS": "0",
        "commitments-0-text": "Enviar el oficio",
        "commitments-0-who": "observatory",
        "minutes": SimpleUploadedFile("acta.pdf", PDF_BYTES, "application/pdf"),
        **edit_version(meeting),
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinacion", 200), ("administracion", 200), ("secretaria", 403), ("consulta", 403)],
)
def test_only_those_who_log_meetings_open_the_new_meeting_form(client, db, role, status):
    response = client_as(client, role).get(reverse("observance:meeting-create"))
    assert response.status_code == status


def test_secretaria_cannot_log_a_meeting_by_posting_the_form(client, db):
    response = client_as(client, "secretaria").post(
        reverse("observance:meeting-create"),
        {
            "held_at": "2021-03-15T10:30",
            "modality": "virtual",
            "ally": make_ally().pk,
            "purpose": "Reunión no autorizada",
        },
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_secretaria_edits_a_meeting_in_a_form_of_its_minutes_only(client, meeting):
    response = client_as(client, "secretaria").get(
        reverse("observance:meeting-update", args=[meeting.pk])
    )
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"minutes", "outcomes"}
    page = response.content.decode()
    assert 'name="held_at"' not in page
    assert 'name="purpose"' not in page
    assert "Presentar el observatorio" in page  # the rest is shown, read only


@pytest.mark.parametrize("role", ["coordinacion", "administracion"])
def test_those_who_log_meetings_edit_the_whole_meeting(client, meeting, role):
    response = client_as(client, role).get(reverse("observance:meeting-update", args=[meeting.pk]))
    assert {"held_at", "institution", "ally", "purpose", "minutes"} <= set(
        response.context["form"].fields
    )


def test_secretaria_adds_the_minutes_and_what_they_record(client, meeting):
    response = client_as(client, "secretaria").post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        {
            "outcomes": "Acuerdos alcanzados",
            "commitments-TOTAL_FORMS": "1",
            "commitments-INITIAL_FORMS": "0",
            "commitments-0-text": "Enviar el oficio",
            "commitments-0-who": "observatory",
            "minutes": SimpleUploadedFile("acta.pdf", PDF_BYTES, "application/pdf"),
            **edit_version(meeting),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.outcomes == "Acuerdos alcanzados"
    assert [c.text for c in meeting.commitments.all()] == ["Enviar el oficio"]
    assert meeting.minutes.read() == PDF_BYTES


def test_a_forged_post_by_secretaria_changes_only_the_minutes(client, meeting):
    institution = meeting.institution
    response = client_as(client, "secretaria").post(
        reverse("observance:meeting-update", args=[meeting.pk]), every_field_changed(meeting)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_at == HELD_AT
    assert meeting.modality == Meeting.Modality.IN_PERSON
    assert meeting.place == "Quito"
    assert meeting.link == ""
    assert meeting.institution == institution
    assert meeting.ally is None
    assert not meeting.team_members.exists()
    assert meeting.other_attendees == ""
    assert meeting.cpccs_companion == ""
    assert meeting.purpose == "Presentar el observatorio"
    assert meeting.outcomes == "Acuerdos alcanzados"
    assert [c.text for c in meeting.commitments.all()] == ["Enviar el oficio"]
    assert meeting.minutes


def test_a_coordinator_changes_every_field_of_a_meeting(client, meeting):
    client_as(client, "coordinacion").post(
        reverse("observance:meeting-update", args=[meeting.pk]), every_field_changed(meeting)
    )
    meeting.refresh_from_db()
    assert meeting.purpose == "Otro objetivo"
    assert meeting.ally is not None
    assert meeting.cpccs_companion == "Delegado del CPCCS"


def test_secretaria_sees_edit_the_minutes_and_no_log_a_meeting_button(client, meeting):
    client = client_as(client, "secretaria")
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Editar el acta" in detail
    dashboard = client.get(reverse("observance:dashboard")).content.decode()
    assert 'data-testid="new-meeting"' not in dashboard
