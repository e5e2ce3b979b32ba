from django.urls import reverse

from observance.models import ObservatoryProfile, TeamMember
from tests.conftest import edit_version

from .page_data import make_team_member

PROFILE = {"name": "Observatorio de Políticas Públicas", "acronym": "OPPMS"}


def test_secretary_fills_in_the_profile_the_first_time(secretary_client):
    response = secretary_client.post(reverse("observance:profile-update"), PROFILE)
    assert response.url == reverse("observance:profile")
    assert ObservatoryProfile.load().acronym == "OPPMS"


def test_secretary_edits_the_existing_profile(secretary_client):
    profile = ObservatoryProfile.objects.create(name="Viejo", acronym="OLD")
    secretary_client.post(
        reverse("observance:profile-update"),
        PROFILE | {"mission": "Vigilar"} | edit_version(profile),
    )
    assert ObservatoryProfile.objects.get().mission == "Vigilar"


def test_coordinator_may_read_the_profile_but_not_edit_it(coordinator_client):
    assert coordinator_client.get(reverse("observance:profile")).status_code == 200
    assert coordinator_client.get(reverse("observance:profile-update")).status_code == 403


def test_secretary_adds_a_team_member(secretary_client):
    secretary_client.post(
        reverse("observance:team-member-create"),
        {"name": "Verónica", "role_title": "Secretaria", "started_on": "2021-01-19", "order": 1},
    )
    assert TeamMember.objects.get().name == "Verónica"


def test_team_member_leaving_before_joining_is_refused(secretary_client):
    response = secretary_client.post(
        reverse("observance:team-member-create"),
        {
            "name": "Verónica",
            "role_title": "Secretaria",
            "started_on": "2021-01-19",
            "ended_on": "2020-01-01",
            "order": 1,
        },
    )
    assert response.context["form"].has_error("ended_on")
    assert not TeamMember.objects.exists()


def test_team_page_lists_the_members(reader_client):
    member = make_team_member()
    response = reader_client.get(reverse("observance:team"))
    assert list(response.context["members"]) == [member]
    assert reverse("observance:team-member-update", args=[member.pk]) not in (
        response.content.decode()
    )
