"""The admin's search finds text as the application's does (oppms.plain): without regard to
accents or capitals, so "educacion" finds "Ministerio de Educación", in the lists' search box
and in the searchable selects alike."""

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, TextField
from django.urls import reverse

from institutions.models import Contact, Institution
from tests.institutions.factories import make_contact, make_institution


@pytest.fixture
def education(db):
    return make_institution(name="Ministerio de Educación", acronym="MINEDUC")


def found(client, model, term):
    address = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(address, {"q": term})
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize("term", ["educacion", "EDUCACIÓN", "Educacion", "ministerio educación"])
def test_the_list_search_finds_a_name_whatever_its_accents_and_capitals(
    admin_client_user, education, term
):
    make_institution(name="Ministerio de Salud Pública", acronym="MSP")
    assert found(admin_client_user, Institution, term) == {education}


def test_the_list_search_follows_relations_without_regard_to_accents(admin_client_user, education):
    contact = make_contact(institution=education)
    make_contact(institution=make_institution(name="Cancillería"))
    assert found(admin_client_user, Contact, "educacion") == {contact}


def test_a_searchable_select_finds_a_name_whatever_its_accents(admin_client_user, education):
    model, field = next(
        (model, field)
        for model, model_admin in admin.site._registry.items()
        for field in model_admin.autocomplete_fields
        if model._meta.get_field(field).related_model is Institution
    )
    response = admin_client_user.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": "EDUCACION",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == [str(education)]


def text_search_fields(model_admin, request):
    """The admin's search fields that end on a text column, as the admin searches them."""
    for name in model_admin.get_search_fields(request):
        path = name.lstrip("^=@").split("__")
        model, field = model_admin.model, None
        for part in path:
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:  # the rest of the path is lookups
                break
            model = field.related_model or model
        if isinstance(field, CharField | TextField):
            yield name


def test_every_admin_searches_its_text_fields_plainly(rf, administrator):
    request = rf.get("/")
    request.user = administrator
    searched = {
        (model._meta.label, name)
        for model, model_admin in admin.site._registry.items()
        for name in text_search_fields(model_admin, request)
    }
    assert searched
    assert {entry for entry in searched if not entry[1].endswith("__plain__contains")} == set()
