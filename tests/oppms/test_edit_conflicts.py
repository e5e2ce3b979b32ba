"""Two people edit the same record: the second save is refused, shown, and nothing is lost."""

import re

import pytest
from django.test import Client

from institutions.models import Institution
from observance.models import Meeting, TeamMember
from oppms import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

VERSION = re.compile(r'name="_edit_version" value="(\d*)"')


@pytest.fixture
def institution():
    return Institution.objects.create(
        name="Ministerio del Trabajo", acronym="MDT", mapped_on="2021-01-25"
    )


@pytest.fixture
def second_coordinator():
    colleague = make_user("frank", roles.COORDINACION, first_name="Frank", last_name="Vera")
    client = Client()
    client.force_login(colleague)
    return client


def edit_page_version(client, url):
    return VERSION.search(client.get(url).content.decode()).group(1)


def institution_form(institution, version, **changes):
    data = {
        "name": institution.name,
        "acronym": institution.acronym,
        "branch": institution.branch,
        "level": institution.level,
        "role": institution.role,
        "mapped_on": "2021-01-25",
        "active": "on",
        "_edit_version": version,
    }
    data.update(changes)
    return data


def test_the_second_save_is_refused_and_shows_what_the_other_person_changed(
    coordinator_client, second_coordinator, institution
):
    url = f"/instituciones/{institution.pk}/editar/"
    mine = edit_page_version(coordinator_client, url)
    theirs = edit_page_version(second_coordinator, url)
    second_coordinator.post(url, institution_form(institution, theirs, sector="Trabajo y empleo"))

    response = coordinator_client.post(
        url, institution_form(institution, mine, notes="Reunión pendiente con la ministra")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="edit-conflict"' in page
    assert "Frank Vera" in page or "frank" in page
    assert "Trabajo y empleo" in page
    assert "Reunión pendiente con la ministra" in page  # the user's input stays in the form
    institution.refresh_from_db()
    assert (institution.sector, institution.notes) == ("Trabajo y empleo", "")


def test_saving_again_after_seeing_the_conflict_is_deliberate_and_goes_through(
    coordinator_client, second_coordinator, institution
):
    url = f"/instituciones/{institution.pk}/editar/"
    mine = edit_page_version(coordinator_client, url)
    theirs = edit_page_version(second_coordinator, url)
    second_coordinator.post(url, institution_form(institution, theirs, sector="Trabajo"))
    refused = coordinator_client.post(url, institution_form(institution, mine, notes="Mi nota"))
    shown_version = VERSION.search(refused.content.decode()).group(1)

    response = coordinator_client.post(
        url, institution_form(institution, shown_version, notes="Mi nota")
    )

    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.notes == "Mi nota"


def test_an_edit_without_anyone_else_saves_at_once(coordinator_client, institution):
    url = f"/instituciones/{institution.pk}/editar/"
    version = edit_page_version(coordinator_client, url)
    response = coordinator_client.post(url, institution_form(institution, version, notes="Ok"))
    assert response.status_code == 302


def test_a_conflict_on_a_meeting_names_the_team_members_the_other_person_set(
    coordinator_client, second_coordinator, institution
):
    member = TeamMember.objects.create(
        name="Verónica Villarruel Cueva", role_title="Secretaria", started_on="2021-01-19"
    )
    meeting = Meeting.objects.create(
        held_at="2021-03-10T10:00-05:00",
        modality="virtual",
        institution=institution,
        purpose="Presentación",
    )
    url = f"/reuniones/{meeting.pk}/editar/"
    form = {
        "held_at": "2021-03-10T10:00",
        "modality": "virtual",
        "institution": institution.pk,
        "purpose": "Presentación",
    }
    mine = edit_page_version(coordinator_client, url)
    theirs = edit_page_version(second_coordinator, url)
    second_coordinator.post(url, {**form, "team_members": member.pk, "_edit_version": theirs})

    response = coordinator_client.post(url, {**form, "outcomes": "Acuerdos", "_edit_version": mine})

    assert response.status_code == 200
    assert "Verónica Villarruel Cueva" in response.content.decode()
    assert not Meeting.objects.filter(outcomes="Acuerdos").exists()


@pytest.mark.parametrize("forged", ["²", "1" * 30, "-1", "abc", ""])
def test_a_forged_version_is_treated_as_a_conflict_not_an_error(
    coordinator_client, institution, forged
):
    url = f"/instituciones/{institution.pk}/editar/"
    response = coordinator_client.post(url, institution_form(institution, forged, notes="Nota"))
    assert response.status_code == 200
    assert 'data-testid="edit-conflict"' in response.content.decode()
    institution.refresh_from_db()
    assert institution.notes == ""
