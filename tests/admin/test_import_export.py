"""Spreadsheets in and out of the admin: all-or-nothing imports that keep history, safe exports."""

import csv
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allies.models import Ally
from institutions.models import Institution
from institutions.resources import InstitutionResource
from observance.models import InformationRequest, Meeting
from observance.resources import InformationRequestResource, MeetingResource

from .conftest import make_ally, make_institution

HEADER = "name,acronym,branch,level,role,province,mapped_on,active\n"
GOOD_ROWS = (
    "Ministerio de Relaciones Exteriores y Movilidad Humana,MREMH,executive,national,"
    "executor,pichincha,15/03/2021,1\n"
    "Defensoría del Pueblo,DPE,transparency,national,executor,,2021-03-20,1\n"
)
IMPORT_URL = reverse("admin:institutions_institution_import")


def upload(text, name="instituciones.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def post_import(client, text):
    """The admin's first import step: upload and dry run."""
    return client.post(IMPORT_URL, {"resource": "0", "format": "0", "import_file": upload(text)})


def confirm_import(client, response):
    """The admin's second step: confirm the dry run, which imports for real."""
    confirm = response.context["confirm_form"]
    return client.post(reverse("admin:institutions_institution_process_import"), confirm.initial)


def dataset(text):
    return tablib.Dataset().load(text, format="csv")


def test_institutions_imported_through_the_admin_are_created(admin_client_user):
    response = confirm_import(admin_client_user, post_import(admin_client_user, HEADER + GOOD_ROWS))
    assert response.status_code == 302
    assert sorted(Institution.objects.values_list("acronym", "mapped_on__day")) == [
        ("DPE", 20),
        ("MREMH", 15),
    ]


def test_imported_institutions_keep_history_with_who_imported_them(
    admin_client_user, administrator
):
    confirm_import(admin_client_user, post_import(admin_client_user, HEADER + GOOD_ROWS))
    history = Institution.history.filter(acronym="DPE")
    assert list(history.values_list("history_type", "history_user")) == [("+", administrator.pk)]


def test_importing_a_known_name_updates_the_institution_instead_of_duplicating_it(
    admin_client_user,
):
    make_institution(name="Defensoría del Pueblo", acronym="")
    confirm_import(admin_client_user, post_import(admin_client_user, HEADER + GOOD_ROWS))
    defensoria = Institution.objects.filter(name="Defensoría del Pueblo")
    assert list(defensoria.values_list("acronym", flat=True)) == ["DPE"]


@pytest.mark.parametrize(
    "bad_row",
    [
        "Secretaría de Derechos Humanos,SDH,executive,national,executor,,31/02/2021,1\n",
        ",SDH,executive,national,executor,,01/03/2021,1\n",
        "Secretaría de Derechos Humanos,SDH,no_such_branch,national,executor,,01/03/2021,1\n",
    ],
    ids=["impossible date", "missing name", "unknown branch"],
)
def test_a_file_with_a_bad_row_imports_nothing_and_shows_the_error(admin_client_user, bad_row):
    response = post_import(admin_client_user, HEADER + GOOD_ROWS + bad_row)
    result = response.context["result"]
    assert (result.has_validation_errors(), "confirm_form" in response.context) == (True, False)
    assert Institution.objects.count() == 0


def test_a_file_with_a_bad_row_imports_nothing_through_the_resource(db):
    bad_row = "Secretaría de Derechos Humanos,SDH,executive,national,executor,,31/02/2021,1\n"
    result = InstitutionResource().import_data(
        dataset(HEADER + GOOD_ROWS + bad_row),
        dry_run=False,
        raise_errors=False,
        use_transactions=True,
    )
    assert result.has_validation_errors()
    assert Institution.objects.count() == 0


def test_information_requests_import_with_their_institution_named_and_due_date_computed(db):
    make_institution(name="Ministerio de Salud Pública")
    text = (
        "institution,subject,sent_on,channel,outcome\n"
        "Ministerio de Salud Pública,Atención a retornados,01/03/2021,email,pending\n"
    )
    result = InformationRequestResource().import_data(dataset(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    request = InformationRequest.objects.get()
    assert (request.institution.name, request.due_on.isoformat()) == (
        "Ministerio de Salud Pública",
        request.deadline().due_on.isoformat(),
    )
    assert request.history.filter(history_type="+").exists()


def test_a_meeting_naming_an_unknown_institution_imports_nothing(db):
    make_ally()
    known = make_institution()
    text = (
        "held_at,modality,institution,purpose\n"
        f"01/03/2021 10:00,virtual,{known.name},Vinculación\n"
        "02/03/2021 10:00,virtual,Ministerio que no existe,Vinculación\n"
    )
    result = MeetingResource().import_data(dataset(text), dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert Meeting.objects.count() == 0


def test_a_meeting_with_neither_institution_nor_ally_is_refused(db):
    text = "held_at,modality,purpose\n01/03/2021 10:00,virtual,Vinculación\n"
    result = MeetingResource().import_data(dataset(text), dry_run=False)
    assert result.has_validation_errors()
    assert Meeting.objects.count() == 0


def export_institutions(client, file_format="0"):
    fields = InstitutionResource().get_export_order()
    data = {"resource": "0", "format": file_format}
    data |= {f"institutionresource_{field}": "on" for field in fields}
    return client.post(reverse("admin:institutions_institution_export"), data)


FORMULA = '=HYPERLINK("http://example.com","clic")'


def test_exported_names_that_look_like_formulas_are_escaped(admin_client_user):
    make_institution(name=FORMULA)
    make_institution(name="+1+1")
    response = export_institutions(admin_client_user)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert sorted(row["name"] for row in rows) == ["'+1+1", "'" + FORMULA]


def test_an_exported_file_imports_back_unchanged(admin_client_user):
    make_institution(name=FORMULA, acronym="X")
    exported = export_institutions(admin_client_user).content.decode("utf-8")
    Institution.objects.all().delete()
    result = InstitutionResource().import_data(dataset(exported), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert list(Institution.objects.values_list("name", flat=True)) == [FORMULA]


def test_allies_export_to_xlsx(admin_client_user):
    make_ally()
    response = admin_client_user.post(
        reverse("admin:allies_ally_export"),
        {"resource": "0", "format": "1", "allyresource_name": "on"},
    )
    book = tablib.Dataset().load(response.content, format="xlsx")
    assert list(book["name"]) == list(Ally.objects.values_list("name", flat=True))
