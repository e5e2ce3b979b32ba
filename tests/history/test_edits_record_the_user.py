"""A change made through the application's pages records who made it, as the admin's do."""

from django.urls import reverse

from institutions.models import Institution
from tests.conftest import edit_version
from tests.observance.page_data import make_team_member


def meeting_form(meeting, **changes):
    data = {
        "held_at": "2021-03-15T10:00",
        "modality": meeting.modality,
        "institution": meeting.institution_id,
        "purpose": meeting.purpose,
    }
    data.update(changes)
    return data | edit_version(meeting)


def test_an_edit_on_the_meeting_page_is_recorded_with_the_coordinator(
    coordinator_client, coordinator, first_semester_meeting
):
    meeting = first_semester_meeting
    response = coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        meeting_form(meeting, outcomes="Acuerdo de mesa técnica"),
    )
    assert response.status_code == 302
    latest = meeting.history.latest()
    assert (latest.outcomes, latest.history_type, latest.history_user) == (
        "Acuerdo de mesa técnica",
        "~",
        coordinator,
    )


def test_choosing_the_team_members_present_is_recorded_with_the_coordinator(
    coordinator_client, coordinator, first_semester_meeting
):
    meeting = first_semester_meeting
    present = [make_team_member(name="Lucía"), make_team_member(name="Mateo")]
    coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        meeting_form(meeting, team_members=[member.pk for member in present]),
    )
    latest = meeting.history.latest()
    recorded = set(latest.team_members.values_list("teammember_id", flat=True))
    assert (recorded, latest.history_user) == ({m.pk for m in present}, coordinator)


def test_creating_an_institution_on_its_page_is_recorded_with_the_coordinator(
    coordinator_client, coordinator
):
    coordinator_client.post(
        reverse("institutions:institution-create"),
        {
            "name": "Ministerio de Relaciones Exteriores",
            "acronym": "MREMH",
            "branch": Institution.Branch.EXECUTIVE,
            "level": Institution.Level.NATIONAL,
            "role": Institution.Role.EXECUTOR,
            "mapped_on": "04/01/2021",
            "active": "on",
        },
    )
    created = Institution.history.get(history_type="+")
    assert (created.name, created.history_user) == (
        "Ministerio de Relaciones Exteriores",
        coordinator,
    )
