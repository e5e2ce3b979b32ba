"""Edit conflicts in the admin: a stale save is refused, shown, and loses nothing.

As on the app's edit pages (tests/oppms/test_edit_conflicts.py): the change form carries the
record's version; a save made from an older version, because someone saved in the app or the
admin meanwhile, is refused, shows who changed what, and keeps the administrator's input.
"""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from institutions.models import Contact, Institution
from oppms import roles
from oppms.admin import HistoryAdmin
from reports.models import SemiannualReport
from tests.conftest import edit_version, make_user

from .conftest import FACTORIES, make_institution
from .posted_form import posted_form

pytestmark = pytest.mark.django_db

OUR_APPS = {"institutions", "allies", "observance", "reports"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
    key=lambda model: model._meta.label,
)
MAKE = FACTORIES | {SemiannualReport: lambda: SemiannualReport.objects.create(year=2022, half=1)}
VERSION = re.compile(r'name="_edit_version" value="(\d*)"')
CONFLICT = 'data-testid="edit-conflict"'


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def change_form(client, record):
    """The change page's form as a browser would post it back unchanged."""
    response = client.get(change_url(record))
    assert response.status_code == 200
    return posted_form(response.content.decode(), f"{record._meta.model_name}_form")


def shown_version(response):
    return VERSION.search(response.content.decode()).group(1)


def saved_meanwhile(record):
    """Someone else saves the record (a script, another tab) after the form was shown."""
    type(record)._default_manager.get(pk=record.pk).save()


@pytest.fixture
def app_coordinator():
    """Frank coordinates, in the app, while the administrator works in the admin."""
    client = Client()
    client.force_login(make_user("frank", roles.COORDINACION, first_name="Frank", last_name="Vera"))
    return client


def test_every_admin_of_our_models_guards_against_stale_saves():
    assert all(isinstance(admin.site._registry[model], HistoryAdmin) for model in MODELS)
    assert set(MODELS) == set(MAKE)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_a_stale_save_is_refused_on_every_change_form_and_saving_again_goes_through(
    admin_client_user, model
):
    record = MAKE[model]()
    form = change_form(admin_client_user, record)
    assert form["_edit_version"] == edit_version(record)["_edit_version"]
    saved_meanwhile(record)
    versions = record.history.count()

    refused = admin_client_user.post(change_url(record), form)

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    assert record.history.count() == versions
    again = admin_client_user.post(
        change_url(record), form | {"_edit_version": shown_version(refused)}
    )
    assert again.status_code == 302


def test_an_admin_save_over_an_edit_in_the_app_shows_it_and_keeps_the_admins_input(
    admin_client_user, app_coordinator
):
    institution = make_institution(name="Ministerio del Trabajo", acronym="MDT")
    form = change_form(admin_client_user, institution)
    app_url = f"/instituciones/{institution.pk}/editar/"
    app_coordinator.post(
        app_url,
        {
            "name": institution.name,
            "acronym": institution.acronym,
            "branch": institution.branch,
            "level": institution.level,
            "role": institution.role,
            "mapped_on": "04/01/2021",
            "active": "on",
            "sector": "Trabajo y empleo",
        }
        | edit_version(institution),
    )

    new_contact = {
        "contacts-TOTAL_FORMS": str(int(form["contacts-TOTAL_FORMS"]) + 1),
        "contacts-0-name": "Ana Pérez",
    }
    response = admin_client_user.post(
        change_url(institution),
        form | {"notes": "Reunión pendiente con la ministra"} | new_contact,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in page
    assert "Frank Vera" in page and "Trabajo y empleo" in page
    assert "Reunión pendiente con la ministra" in page and "Ana Pérez" in page
    institution.refresh_from_db()
    assert (institution.sector, institution.notes) == ("Trabajo y empleo", "")
    assert not Contact.objects.exists()


def test_the_app_refuses_a_stale_save_over_an_admin_change(admin_client_user, app_coordinator):
    institution = make_institution(name="Ministerio del Trabajo")
    app_url = f"/instituciones/{institution.pk}/editar/"
    seen = edit_version(institution)
    form = change_form(admin_client_user, institution)
    admin_client_user.post(change_url(institution), form | {"sector": "Trabajo"})

    response = app_coordinator.post(
        app_url,
        {
            "name": institution.name,
            "branch": institution.branch,
            "level": institution.level,
            "role": institution.role,
            "mapped_on": "04/01/2021",
            "active": "on",
            "notes": "Mi nota",
        }
        | seen,
    )

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    institution.refresh_from_db()
    assert (institution.sector, institution.notes) == ("Trabajo", "")


@pytest.mark.parametrize("forged", ["", "abc", "²", "-1", "1" * 30])
def test_a_forged_version_is_a_conflict_not_an_error(admin_client_user, forged):
    institution = make_institution(name="Ministerio del Trabajo")
    form = change_form(admin_client_user, institution)

    response = admin_client_user.post(
        change_url(institution), form | {"_edit_version": forged, "notes": "Nota"}
    )

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    institution.refresh_from_db()
    assert institution.notes == ""


def test_a_revert_is_refused_when_the_record_changed_since_the_revert_page_was_shown(
    admin_client_user, app_coordinator
):
    institution = make_institution(name="Ministerio del Interior")
    first = institution.history.get()
    Institution.objects.filter(pk=institution.pk).update(name="Ministerio de Gobierno")
    institution.refresh_from_db()
    institution.save()  # a change with history: the revert page offers to undo it
    revert_url = reverse(
        "admin:institutions_institution_simple_history", args=[institution.pk, first.history_id]
    )
    page = admin_client_user.get(revert_url).content.decode()
    form = posted_form(page, "historicalinstitution_form")
    assert form["name"] == "Ministerio del Interior"
    saved_meanwhile(institution)

    refused = admin_client_user.post(revert_url, form)

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    institution.refresh_from_db()
    assert institution.name == "Ministerio de Gobierno"
    again = admin_client_user.post(revert_url, form | {"_edit_version": shown_version(refused)})
    assert again.status_code == 302
    institution.refresh_from_db()
    assert institution.name == "Ministerio del Interior"
