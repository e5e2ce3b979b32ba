"""Spreadsheets in and out of the admin: Spanish headers and labels, all-or-nothing imports that
keep history, safe exports."""

import csv
import datetime
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from allies.models import Ally
from allies.resources import AllyResource
from institutions.models import Institution
from institutions.resources import InstitutionResource
from observance.models import InformationRequest, Meeting
from observance.resources import InformationRequestResource, MeetingResource

from .conftest import make_ally, make_institution, make_meeting

HEADER = (
    "Nombre,Siglas,Función del Estado,Nivel de gobierno,Rol ante las políticas observadas,"
    "Provincia,Fecha de mapeo,Activa\n"
)
# As the admin exports them: the labels the application shows.
GOOD_ROWS = (
    "Ministerio de Relaciones Exteriores y Movilidad Humana,MREMH,Ejecutiva,Nacional,"
    "Ejecutor,Pichincha,15/03/2021,Sí\n"
    "Defensoría del Pueblo,DPE,Transparencia y control social,Nacional,Ejecutor,,2021-03-20,Sí\n"
)
IMPORT_URL = reverse("admin:institutions_institution_import")
BRANCH_REFUSED = (
    "«Municipal» no es un valor permitido en la columna «Función del Estado». Valores "
    "permitidos: Ejecutiva, Legislativa, Judicial, Electoral, Transparencia y control social, "
    "Gobierno autónomo descentralizado."
)


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


def test_choices_are_imported_by_label_whatever_the_case_and_spaces(db):
    text = HEADER + (
        "Defensoría del Pueblo,DPE,  TRANSPARENCIA y control social ,nacional,"
        "ejecutor, pichincha ,20/03/2021,sí\n"
    )
    InstitutionResource().import_data(dataset(text), dry_run=False)
    assert list(Institution.objects.values_list("branch", "level", "role", "province")) == [
        ("transparency", "national", "executor", "pichincha")
    ]


def test_choices_are_still_imported_by_their_code(db):
    text = HEADER + (
        "Defensoría del Pueblo,DPE,transparency,national,executor,pichincha,20/03/2021,1\n"
    )
    InstitutionResource().import_data(dataset(text), dry_run=False)
    assert list(Institution.objects.values_list("branch", "level", "role", "province")) == [
        ("transparency", "national", "executor", "pichincha")
    ]


@pytest.mark.parametrize(
    ("typed", "active"),
    [("Sí", True), ("si", True), ("No", False), ("1", True), ("0", False), ("false", False)],
)
def test_yes_no_columns_read_si_and_no_as_well_as_the_old_values(db, typed, active):
    text = HEADER + f"Defensoría del Pueblo,DPE,Ejecutiva,Nacional,Ejecutor,,20/03/2021,{typed}\n"
    InstitutionResource().import_data(dataset(text), dry_run=False)
    assert list(Institution.objects.values_list("active", flat=True)) == [active]


def test_a_file_with_the_old_english_headers_still_imports(db):
    text = (
        "name,acronym,branch,level,role,province,mapped_on,active\n"
        "Defensoría del Pueblo,DPE,transparency,national,executor,,2021-03-20,1\n"
    )
    result = InstitutionResource().import_data(dataset(text), dry_run=False)
    assert (result.has_errors(), result.has_validation_errors()) == (False, False)
    assert list(Institution.objects.values_list("acronym", "branch")) == [("DPE", "transparency")]


def test_an_unknown_choice_is_refused_naming_the_allowed_values_and_nothing_is_imported(
    admin_client_user,
):
    bad_row = "Secretaría de Derechos Humanos,SDH,Municipal,Nacional,Ejecutor,,01/03/2021,Sí\n"
    response = post_import(admin_client_user, HEADER + GOOD_ROWS + bad_row)
    assert (BRANCH_REFUSED in response.content.decode(), Institution.objects.count()) == (True, 0)


def test_an_unknown_yes_no_value_is_refused(db):
    text = HEADER + "Defensoría del Pueblo,DPE,Ejecutiva,Nacional,Ejecutor,,20/03/2021,Quizás\n"
    result = InstitutionResource().import_data(dataset(text), dry_run=False)
    assert [row.field_specific_errors for row in result.invalid_rows] == [
        {"Activa": ["«Quizás» no es «Sí» ni «No»."]}
    ]


def test_the_import_page_names_a_row_error_by_its_spanish_column(admin_client_user):
    bad_row = ",SDH,Ejecutiva,Nacional,Ejecutor,,01/03/2021,Sí\n"
    response = post_import(admin_client_user, HEADER + bad_row)
    [invalid] = response.context["result"].invalid_rows
    assert list(invalid.field_specific_errors) == ["Nombre"]


def test_the_export_page_offers_the_columns_by_their_spanish_headers(admin_client_user):
    response = admin_client_user.get(reverse("admin:observance_meeting_export"))
    page = response.content.decode()
    assert ("Fecha y hora" in page, "Integrantes del equipo presentes" in page) == (True, True)
    assert "Held At" not in page


@pytest.mark.parametrize(
    "bad_row",
    [
        "Secretaría de Derechos Humanos,SDH,Ejecutiva,Nacional,Ejecutor,,31/02/2021,Sí\n",
        ",SDH,Ejecutiva,Nacional,Ejecutor,,01/03/2021,Sí\n",
        "Secretaría de Derechos Humanos,SDH,no_such_branch,Nacional,Ejecutor,,01/03/2021,Sí\n",
    ],
    ids=["impossible date", "missing name", "unknown branch"],
)
def test_a_file_with_a_bad_row_imports_nothing_and_shows_the_error(admin_client_user, bad_row):
    response = post_import(admin_client_user, HEADER + GOOD_ROWS + bad_row)
    result = response.context["result"]
    assert (result.has_validation_errors(), "confirm_form" in response.context) == (True, False)
    assert Institution.objects.count() == 0


def test_a_file_with_a_bad_row_imports_nothing_through_the_resource(db):
    bad_row = "Secretaría de Derechos Humanos,SDH,Ejecutiva,Nacional,Ejecutor,,31/02/2021,Sí\n"
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
        "Institución,Asunto,Fecha de envío,Canal,Resultado\n"
        "Ministerio de Salud Pública,Atención a retornados,01/03/2021,Quipux,"
        "En espera de respuesta\n"
    )
    result = InformationRequestResource().import_data(dataset(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    request = InformationRequest.objects.get()
    assert (request.institution.name, request.channel, request.due_on.isoformat()) == (
        "Ministerio de Salud Pública",
        "quipux",
        request.deadline().due_on.isoformat(),
    )
    assert request.history.filter(history_type="+").exists()


def test_a_meeting_naming_an_unknown_institution_imports_nothing(db):
    make_ally()
    known = make_institution()
    text = (
        "Fecha y hora,Modalidad,Institución,Objetivo\n"
        f"01/03/2021 10:00,Virtual,{known.name},Vinculación\n"
        "02/03/2021 10:00,Virtual,Ministerio que no existe,Vinculación\n"
    )
    result = MeetingResource().import_data(dataset(text), dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert Meeting.objects.count() == 0


def test_a_meeting_with_neither_institution_nor_ally_is_refused(db):
    text = "Fecha y hora,Modalidad,Objetivo\n01/03/2021 10:00,Presencial,Vinculación\n"
    result = MeetingResource().import_data(dataset(text), dry_run=False)
    assert result.has_validation_errors()
    assert Meeting.objects.count() == 0


def export(client, model, resource_class, file_format="0"):
    """The admin's export of every column, as CSV ("0") or XLSX ("1")."""
    fields = resource_class().get_export_order()
    data = {"resource": "0", "format": file_format}
    data |= {f"{resource_class.__name__.lower()}_{field}": "on" for field in fields}
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    return client.post(url, data)


def export_institutions(client, file_format="0"):
    return export(client, Institution, InstitutionResource, file_format)


def exported_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def exported_cells(response):
    """An XLSX export's rows below the headers, as cells by header."""
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers, *rows = sheet.iter_rows()
    return [dict(zip([cell.value for cell in headers], row, strict=True)) for row in rows]


def test_exported_csv_is_headed_with_the_spanish_field_names(admin_client_user):
    header = export_institutions(admin_client_user).content.decode("utf-8").splitlines()[0]
    assert header == (
        "Nombre,Siglas,Función del Estado,Nivel de gobierno,Rol ante las políticas observadas,"
        "Sector,Provincia,Sitio web,Fecha de mapeo,Activa,Notas"
    )


def test_exported_xlsx_is_headed_with_the_spanish_field_names(admin_client_user):
    make_ally()
    response = export(admin_client_user, Ally, AllyResource, file_format="1")
    book = tablib.Dataset().load(response.content, format="xlsx")
    assert book.headers == [
        "Nombre",
        "Siglas",
        "Tipo",
        "Provincia",
        "Ciudad",
        "En zona de frontera",
        "Aliado desde",
        "Sitio web",
        "Notas",
    ]


def test_columns_declared_on_the_resource_are_headed_in_spanish_too(admin_client_user):
    make_meeting()
    header = exported_rows(export(admin_client_user, Meeting, MeetingResource))[0].keys()
    assert {
        "Institución",
        "Aliado",
        "Proceso de observancia",
        "Integrantes del equipo presentes",
    } <= set(header)


def test_the_computed_due_date_is_headed_in_spanish(admin_client_user):
    header = export(admin_client_user, InformationRequest, InformationRequestResource)
    assert "Fecha límite" in header.content.decode("utf-8").splitlines()[0].split(",")


def test_choices_and_yes_no_columns_export_what_the_application_shows(admin_client_user):
    make_institution(
        branch=Institution.Branch.TRANSPARENCY,
        level=Institution.Level.PROVINCIAL,
        province="pichincha",
        active=False,
    )
    [row] = exported_rows(export_institutions(admin_client_user))
    shown = [row[column] for column in ("Función del Estado", "Nivel de gobierno", "Provincia")]
    assert (shown, row["Activa"]) == (
        ["Transparencia y control social", "Provincial", "Pichincha"],
        "No",
    )


def test_meetings_export_their_modality_as_shown(admin_client_user):
    make_meeting()
    [row] = exported_rows(export(admin_client_user, Meeting, MeetingResource))
    assert row["Modalidad"] == "Virtual"


FORMULA = '=HYPERLINK("http://example.com","clic")'


@pytest.mark.parametrize("file_format", ["0", "1"], ids=["csv", "xlsx"])
def test_exported_names_that_look_like_formulas_are_escaped(admin_client_user, file_format):
    make_institution(name=FORMULA)
    make_institution(name="+1+1")
    response = export_institutions(admin_client_user, file_format)
    if file_format == "0":
        names = [row["Nombre"] for row in exported_rows(response)]
    else:
        cells = [row["Nombre"] for row in exported_cells(response)]
        assert {cell.data_type for cell in cells} == {"s"}  # text, not a formula
        names = [cell.value for cell in cells]
    assert sorted(names) == ["'+1+1", "'" + FORMULA]


INSTITUTION_COLUMNS = ("name", "acronym", "branch", "level", "role", "province", "active")


def test_an_exported_file_imports_back_unchanged(admin_client_user):
    make_institution(
        name=FORMULA,
        acronym="X",
        branch=Institution.Branch.AUTONOMOUS,
        level=Institution.Level.PARISH,
        role=Institution.Role.POLICY_MAKER,
        province="el_oro",
        active=False,
    )
    before = list(Institution.objects.values_list(*INSTITUTION_COLUMNS))
    exported = export_institutions(admin_client_user).content.decode("utf-8")
    Institution.objects.all().delete()
    result = InstitutionResource().import_data(dataset(exported), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert list(Institution.objects.values_list(*INSTITUTION_COLUMNS)) == before


@pytest.mark.parametrize(("file_format", "tablib_format"), [("0", "csv"), ("1", "xlsx")])
def test_an_exported_meeting_imports_back_unchanged(admin_client_user, file_format, tablib_format):
    # The XLSX holds its date as a date and its empty text cells as empty (read back as None).
    meeting = make_meeting()
    exported = export(admin_client_user, Meeting, MeetingResource, file_format).content
    if tablib_format == "csv":
        exported = exported.decode("utf-8")
    Meeting.objects.all().delete()
    result = MeetingResource().import_data(
        tablib.Dataset().load(exported, format=tablib_format), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert list(
        Meeting.objects.values_list("id", "held_at", "modality", "institution", "ally")
    ) == [(meeting.pk, meeting.held_at, "virtual", meeting.institution_id, meeting.ally_id)]


def test_an_exported_allys_allied_since_date_imports_back_unchanged(admin_client_user):
    Ally.objects.create(
        name="Cruz Roja Ecuatoriana", kind=Ally.Kind.OTHER, allied_on=datetime.date(2021, 1, 19)
    )
    exported = export(admin_client_user, Ally, AllyResource).content.decode("utf-8")
    assert "Aliado desde" in exported.splitlines()[0]
    Ally.objects.all().delete()
    result = AllyResource().import_data(dataset(exported), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Ally.objects.get().allied_on == datetime.date(2021, 1, 19)


def test_exported_xlsx_keeps_numbers_and_dates_as_such(admin_client_user):
    """A spreadsheet sorts and sums them: an id is a number, a meeting's date and time a date."""
    meeting = make_meeting()
    response = export(admin_client_user, Meeting, MeetingResource, file_format="1")
    (row,) = exported_cells(response)
    assert row["ID"].value == meeting.pk
    # In the observatory's time zone, as the admin shows it (a cell holds no zone).
    assert row["Fecha y hora"].value == timezone.localtime(meeting.held_at).replace(tzinfo=None)


def test_allies_export_to_xlsx(admin_client_user):
    make_ally()
    response = admin_client_user.post(
        reverse("admin:allies_ally_export"),
        {"resource": "0", "format": "1", "allyresource_name": "on"},
    )
    book = tablib.Dataset().load(response.content, format="xlsx")
    assert list(book["Nombre"]) == list(Ally.objects.values_list("name", flat=True))


def test_the_export_page_is_in_spanish_where_the_library_is_not(admin_client_user):
    page = admin_client_user.get(reverse("admin:observance_meeting_export")).content.decode()
    assert ("Seleccionar todas" in page, "Select all" in page) == (True, False)
    assert "Se exportarán las siguientes columnas" in page
