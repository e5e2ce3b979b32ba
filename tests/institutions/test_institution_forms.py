import datetime

from django.urls import reverse

from institutions.models import Contact, Institution, ResponsibilityArea
from tests.conftest import edit_version
from tests.institutions.factories import make_area, make_contact, make_institution

CREATE = reverse("institutions:institution-create")


def valid_institution(**changes):
    data = {
        "name": "Ministerio de Gobierno",
        "acronym": "MDG",
        "role": "executor",
        "branch": "executive",
        "level": "national",
        "mapped_on": "2021-01-04",
        "active": "on",
    }
    return {**data, **changes}


def test_a_coordinator_maps_an_institution_with_the_browsers_iso_date(coordinator_client):
    response = coordinator_client.post(CREATE, valid_institution())

    institution = Institution.objects.get(name="Ministerio de Gobierno")
    assert institution.mapped_on == datetime.date(2021, 1, 4)
    assert response.url == institution.get_absolute_url()


def test_the_form_offers_the_browsers_date_picker(coordinator_client):
    response = coordinator_client.get(CREATE)
    assert b'type="date" name="mapped_on"' in response.content


def test_a_duplicate_name_is_refused_next_to_the_field_and_nothing_is_saved(coordinator_client):
    make_institution(name="Ministerio de Gobierno")

    response = coordinator_client.post(CREATE, valid_institution())

    assert "name" in response.context["form"].errors
    assert Institution.objects.filter(name="Ministerio de Gobierno").count() == 1


def test_a_missing_mapping_date_is_refused_and_nothing_is_saved(coordinator_client):
    response = coordinator_client.post(CREATE, valid_institution(mapped_on="31/02/2021"))

    assert "mapped_on" in response.context["form"].errors
    assert not Institution.objects.exists()


def test_editing_keeps_the_date_shown_in_iso_for_the_date_picker(coordinator_client):
    institution = make_institution(mapped_on=datetime.date(2021, 1, 4))
    response = coordinator_client.get(
        reverse("institutions:institution-update", args=[institution.pk])
    )
    assert b'value="2021-01-04"' in response.content


def test_a_contact_is_added_to_the_institution_in_the_address(coordinator_client):
    institution = make_institution()
    url = reverse("institutions:contact-create", args=[institution.pk])

    coordinator_client.post(url, {"name": "Luis Andrade", "email": "landrade@example.gob.ec"})

    assert Contact.objects.get(name="Luis Andrade").institution == institution


def test_a_contact_with_a_bad_email_is_refused_and_nothing_is_saved(coordinator_client):
    url = reverse("institutions:contact-create", args=[make_institution().pk])

    response = coordinator_client.post(url, {"name": "Luis Andrade", "email": "not-an-email"})

    assert "email" in response.context["form"].errors
    assert not Contact.objects.exists()


def test_a_contact_for_an_unknown_institution_is_not_found(coordinator_client):
    url = reverse("institutions:contact-create", args=[999999])
    assert coordinator_client.post(url, {"name": "Luis"}).status_code == 404


def test_editing_a_contact_keeps_its_institution(coordinator_client):
    contact = make_contact(name="Ana")
    url = reverse("institutions:contact-update", args=[contact.pk])

    coordinator_client.post(
        url, {"name": "Ana Torres", "position": "Directora"} | edit_version(contact)
    )

    contact.refresh_from_db()
    assert (contact.name, contact.position) == ("Ana Torres", "Directora")


def test_an_area_name_repeated_in_the_same_institution_is_refused_next_to_the_field(
    coordinator_client,
):
    area = make_area(name="Salud mental")
    url = reverse("institutions:area-create", args=[area.institution.pk])

    response = coordinator_client.post(url, {"name": "Salud mental"})

    assert "name" in response.context["form"].errors
    assert ResponsibilityArea.objects.count() == 1


def test_the_same_area_name_is_fine_in_another_institution(coordinator_client):
    make_area(name="Salud mental")
    other = make_institution()

    coordinator_client.post(
        reverse("institutions:area-create", args=[other.pk]), {"name": "Salud mental"}
    )

    assert other.areas.filter(name="Salud mental").exists()


def test_save_and_add_another_returns_to_an_empty_contact_form(coordinator_client):
    institution = make_institution()
    url = reverse("institutions:contact-create", args=[institution.pk])

    response = coordinator_client.post(url, {"name": "Ana", "_addanother": "1"})

    assert response.url == url
