"""Every admin page of our models opens for Administración and is closed to anonymous users."""

import pytest
from django.contrib import admin
from django.urls import reverse

from institutions.models import Institution
from observance.models import ObservatoryProfile, ProcessStep

from .conftest import FACTORIES

OUR_APPS = {"institutions", "allies", "observance"}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
    key=lambda model: model._meta.label,
)
# Steps are created with their process (always seven); they are edited, never added.
ADDABLE = [model for model in REGISTERED if model is not ProcessStep]


def url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def model_id(model):
    return model._meta.label


def test_every_model_of_our_apps_is_in_the_admin():
    assert set(REGISTERED) == set(FACTORIES)


@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_administrator_opens_the_list(admin_client_user, model):
    FACTORIES[model]()
    response = admin_client_user.get(url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ADDABLE, ids=model_id)
def test_administrator_opens_the_add_form(admin_client_user, model):
    response = admin_client_user.get(url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_administrator_opens_the_change_form(admin_client_user, model):
    record = FACTORIES[model]()
    response = admin_client_user.get(url(model, "change", record.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_administrator_opens_the_history(admin_client_user, model):
    record = FACTORIES[model]()
    response = admin_client_user.get(url(model, "history", record.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
@pytest.mark.parametrize("action", ["changelist", "add", "change"])
def test_anonymous_user_is_sent_to_the_admin_login(db, client, model, action):
    args = [FACTORIES[model]().pk] if action == "change" else []
    target = url(model, action, *args)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={target}"


def test_a_step_cannot_be_added_by_hand(admin_client_user):
    response = admin_client_user.get(url(ProcessStep, "add"))
    assert response.status_code == 403


def test_a_second_observatory_profile_cannot_be_added(admin_client_user):
    FACTORIES[ObservatoryProfile]()
    response = admin_client_user.get(url(ObservatoryProfile, "add"))
    assert response.status_code == 403


def test_the_observatory_profile_cannot_be_deleted(admin_client_user):
    profile = FACTORIES[ObservatoryProfile]()
    delete_url = url(ObservatoryProfile, "delete", profile.pk)
    response = admin_client_user.post(delete_url, {"post": "yes"})
    assert response.status_code == 403
    assert ObservatoryProfile.objects.filter(pk=profile.pk).exists()


def test_a_process_shows_its_seven_steps_and_none_can_be_added(admin_client_user):
    process = FACTORIES[ProcessStep]().process
    response = admin_client_user.get(url(type(process), "change", process.pk))
    steps = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is ProcessStep
    )
    assert (len(steps.formset.forms), steps.has_add_permission, steps.formset.can_delete) == (
        7,
        False,
        False,
    )


SPREADSHEET_MODELS = [
    "institutions.Institution",
    "allies.Ally",
    "observance.Meeting",
    "observance.InformationRequest",
]


@pytest.mark.parametrize("label", SPREADSHEET_MODELS)
def test_spreadsheet_lists_offer_import_and_export(admin_client_user, label):
    model = next(model for model in REGISTERED if model._meta.label == label)
    content = admin_client_user.get(url(model, "changelist")).content.decode()
    assert url(model, "import") in content and url(model, "export") in content


def test_change_pages_link_to_their_history(admin_client_user):
    institution = FACTORIES[Institution]()
    content = admin_client_user.get(url(Institution, "change", institution.pk)).content.decode()
    assert url(Institution, "history", institution.pk) in content


AUTOCOMPLETES = [
    (model, field)
    for model in REGISTERED
    for field in admin.site._registry[model].autocomplete_fields
]


@pytest.mark.parametrize(
    ("model", "field"), AUTOCOMPLETES, ids=[f"{m._meta.label}.{f}" for m, f in AUTOCOMPLETES]
)
def test_searchable_selects_answer_the_administrator(admin_client_user, model, field):
    response = admin_client_user.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": "a",
        },
    )
    assert response.status_code == 200
    assert "results" in response.json()
