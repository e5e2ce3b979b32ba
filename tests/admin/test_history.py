"""Every change made in the admin keeps who made it, and an older version can be restored."""

from django.urls import reverse

from institutions.models import Institution
from tests.conftest import edit_version

from .conftest import make_institution


def form_data(form):
    """What a browser would post back for an unchanged Django form."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else field.widget.format_value(value) or value
    return data


def inline_management(prefixes):
    data = {}
    for prefix in prefixes:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def rename_in_admin(client, institution, name):
    url = reverse("admin:institutions_institution_change", args=[institution.pk])
    data = form_data(client.get(url).context["adminform"].form)
    data |= {"name": name} | inline_management(["contacts", "areas"]) | edit_version(institution)
    return client.post(url, data)


def test_a_change_in_the_admin_is_recorded_with_who_made_it(admin_client_user, administrator):
    institution = make_institution(name="Ministerio del Interior")
    response = rename_in_admin(admin_client_user, institution, "Ministerio de Gobierno")
    assert response.status_code == 302
    latest = institution.history.latest()
    assert (latest.name, latest.history_type, latest.history_user) == (
        "Ministerio de Gobierno",
        "~",
        administrator,
    )


def test_the_history_page_lists_the_changes(admin_client_user):
    institution = make_institution(name="Ministerio del Interior")
    rename_in_admin(admin_client_user, institution, "Ministerio de Gobierno")
    response = admin_client_user.get(
        reverse("admin:institutions_institution_history", args=[institution.pk])
    )
    assert len(response.context["page_obj"].object_list) == 2


def test_reverting_restores_an_older_version(admin_client_user, administrator):
    institution = make_institution(name="Ministerio del Interior")
    rename_in_admin(admin_client_user, institution, "Ministerio de Gobierno")
    first = institution.history.earliest()
    url = reverse(
        "admin:institutions_institution_simple_history", args=[institution.pk, first.history_id]
    )
    data = form_data(admin_client_user.get(url).context["adminform"].form)
    response = admin_client_user.post(url, data | edit_version(institution))
    assert response.status_code == 302
    institution.refresh_from_db()
    assert (institution.name, institution.history.latest().history_user) == (
        "Ministerio del Interior",
        administrator,
    )


def test_an_institution_added_in_the_admin_has_its_contact_saved_with_history(admin_client_user):
    data = {
        "name": "Ministerio de Salud Pública",
        "branch": Institution.Branch.EXECUTIVE,
        "level": Institution.Level.NATIONAL,
        "role": Institution.Role.EXECUTOR,
        "mapped_on": "04/01/2021",
        "active": "on",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Ana Pérez",
    } | inline_management(["areas"])
    response = admin_client_user.post(reverse("admin:institutions_institution_add"), data)
    assert response.status_code == 302
    institution = Institution.objects.get()
    contact = institution.contacts.get()
    assert contact.history.filter(history_type="+").exists()
