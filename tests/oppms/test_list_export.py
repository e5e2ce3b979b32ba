"""Every list downloads as CSV and XLSX: the rows of its filters and search, all pages, in the
list's order, with the admin's Spanish headers and labels, formulae escaped, streamed in a fixed
number of queries, to whoever may view the list. Files are read back as a person's spreadsheet
would read them: the CSV with the csv module, the XLSX with openpyxl."""

import csv
import datetime
import io
from unittest.mock import ANY

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from allies.resources import AllyResource
from institutions.models import Institution
from institutions.resources import InstitutionResource
from observance.models import Holiday, Meeting
from observance.resources import InformationRequestResource, MeetingResource
from oppms.views import RecordListView
from tests.admin.conftest import FACTORIES
from tests.allies.factories import make_ally
from tests.institutions.factories import make_institution
from tests.observance.page_data import (
    make_evaluation,
    make_meeting_at,
    make_process,
    make_publication,
    make_team_member,
)

BOM = b"\xef\xbb\xbf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def list_pages(patterns=None, namespace=""):
    """(URL name, model) of every list page of the app: every URL served by a RecordListView."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += list_pages(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, RecordListView):
                found.append((f"{namespace}{pattern.name}", view_class.model))
    return found


LISTS = list_pages()
LIST_IDS = [name for name, _model in LISTS]


def test_the_lists_found_are_every_list_of_the_app():
    assert {
        "observance:meeting-list",
        "observance:request-list",
        "institutions:institution-list",
        "allies:ally-list",
        "allies:agreement-list",
        "allies:agendaitem-list",
        "observance:process-list",
        "observance:policy-list",
        "observance:evaluation-list",
        "observance:publication-list",
        "observance:recommendation-list",
    } <= set(LIST_IDS)


def url(name, query=""):
    return reverse(name) + query


def download(client, address):
    """The response and its whole body, read as a browser reads a download."""
    return download_from(client.get(address))


def download_from(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def csv_rows(body):
    """Header and rows of a CSV, read as Excel does: UTF-8 after its byte order mark."""
    assert body.startswith(BOM)
    header, *rows = csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8")))
    return header, rows


def xlsx_rows(body):
    header, *rows = openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)
    return list(header), [list(row) for row in rows]


def xlsx_cells_as_text(body):
    """An XLSX's rows as the CSV writes them: dates as their cells' format shows them."""
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [[as_text(cell) for cell in row] for row in sheet.iter_rows(min_row=2)]


def as_text(cell):
    if cell.value is None:
        return ""
    if cell.is_date:
        shown = {"dd/mm/yyyy": "%d/%m/%Y", "dd/mm/yyyy hh:mm": "%d/%m/%Y %H:%M"}
        return cell.value.strftime(shown[cell.number_format])
    return str(cell.value)


def page_rows(client, name, query=""):
    """The records a list shows, every page of it, in its order."""
    records, page = [], 1
    while True:
        separator = "&" if query else "?"
        response = client.get(url(name, f"{query}{separator}page={page}" if page > 1 else query))
        records += list(response.context["object_list"])
        if not response.context["page_obj"].has_next():
            return records
        page += 1


# Every list: its rows, as the list shows them, in both formats.


@pytest.mark.parametrize(("name", "model"), LISTS, ids=LIST_IDS)
def test_every_list_downloads_as_csv_the_rows_it_shows_in_its_order(
    coordinator_client, name, model
):
    for _ in range(3):
        FACTORIES[model]()
    view = get_resolver().resolve(reverse(name)).func.view_class
    resource = view().get_export_resource_class()()
    shown = page_rows(coordinator_client, name)
    expected = [[str(cell) for cell in resource.export_resource(record)] for record in shown]

    response, body = download(coordinator_client, url(name, "?format=csv"))

    assert (response.status_code, csv_rows(body)) == (
        200,
        (resource.get_export_headers(), expected),
    )


@pytest.mark.parametrize(("name", "model"), LISTS, ids=LIST_IDS)
def test_every_list_downloads_as_xlsx_the_same_cells_as_its_csv(coordinator_client, name, model):
    for _ in range(3):
        FACTORIES[model]()
    _response, csv_body = download(coordinator_client, url(name, "?format=csv"))
    response, body = download(coordinator_client, url(name, "?format=xlsx"))
    assert (response.status_code, response["Content-Type"]) == (200, XLSX_TYPE)
    assert (xlsx_rows(body)[0], xlsx_cells_as_text(body)) == csv_rows(csv_body)


# Rows equal in the list's order: every page and the download agree on one order among them.

TIED_ROWS = 120  # pages of 25: PostgreSQL sorts a page of a long list on a bounded heap
TIED_AT = datetime.datetime(2021, 3, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("name", "make_tied_row"),
    [
        ("observance:meeting-list", lambda: make_meeting_at(TIED_AT)),
        (
            "observance:process-list",
            lambda: make_process(title="Proceso", started_on=TIED_AT.date()),
        ),
        (
            "observance:evaluation-list",
            lambda: make_evaluation(title="Evaluación", evaluated_on=TIED_AT.date()),
        ),
        (
            "observance:publication-list",
            lambda: make_publication(title="Publicación", published_on=TIED_AT.date()),
        ),
    ],
    ids=["meetings at the same time", "processes", "evaluations", "publications"],
)
def test_rows_tied_in_the_list_order_show_once_across_pages_and_download_in_that_order(
    coordinator_client, name, make_tied_row
):
    for _ in range(TIED_ROWS):
        make_tied_row()
    shown = page_rows(coordinator_client, name)
    view = get_resolver().resolve(reverse(name)).func.view_class
    resource = view().get_export_resource_class()()

    _response, body = download(coordinator_client, url(name, "?format=csv"))

    assert len({record.pk for record in shown}) == len(shown) >= TIED_ROWS
    assert csv_rows(body)[1] == [
        [str(cell) for cell in resource.export_resource(record)] for record in shown
    ]


# Filters, search and pages.


def add_meetings(count, *, purpose, modality=Meeting.Modality.VIRTUAL, members=()):
    process = make_process()
    start = timezone.now() - datetime.timedelta(days=400)
    for number in range(count):
        meeting = make_meeting_at(
            start + datetime.timedelta(days=number, hours=number % 5),
            institution=make_institution(),
            ally=make_ally(),
            process=process,
            modality=modality,
            purpose=f"{purpose} {number}",
        )
        meeting.team_members.set(members)


MEETING_QUERY = "?modality=virtual&q=Norte"


def meeting_ids_listed(client):
    return [meeting.pk for meeting in page_rows(client, "observance:meeting-list", MEETING_QUERY)]


@pytest.fixture
def filtered_meetings(db):
    """30 virtual meetings about the north (two pages of the list), and 15 the filters leave out."""
    add_meetings(30, purpose="Vinculación Norte")
    add_meetings(10, purpose="Vinculación Sur")
    add_meetings(5, purpose="Vinculación Norte", modality=Meeting.Modality.IN_PERSON)


def test_the_csv_holds_every_page_of_the_filtered_and_searched_list(
    coordinator_client, filtered_meetings
):
    listed = meeting_ids_listed(coordinator_client)
    _response, body = download(
        coordinator_client, url("observance:meeting-list", MEETING_QUERY + "&format=csv")
    )
    _header, rows = csv_rows(body)
    assert (len(listed), [int(row[0]) for row in rows]) == (30, listed)


def test_the_xlsx_holds_every_page_of_the_filtered_and_searched_list(
    coordinator_client, filtered_meetings
):
    listed = meeting_ids_listed(coordinator_client)
    _response, body = download(
        coordinator_client, url("observance:meeting-list", MEETING_QUERY + "&format=xlsx")
    )
    _header, rows = xlsx_rows(body)
    assert [row[0] for row in rows] == listed


def test_the_requests_download_keeps_their_list_order_needing_action_first(coordinator_client):
    for _ in range(4):
        FACTORIES[InformationRequestResource._meta.model]()
    first = InformationRequestResource._meta.model.objects.order_by("pk").first()
    first.answered_on = first.sent_on
    first.outcome = first.Outcome.ANSWERED_FULLY
    first.save()
    listed = [record.pk for record in page_rows(coordinator_client, "observance:request-list")]
    _response, body = download(coordinator_client, url("observance:request-list", "?format=csv"))
    assert [int(row[0]) for row in csv_rows(body)[1]] == listed


def test_an_institution_search_downloads_only_what_it_finds(coordinator_client):
    make_institution(name="Ministerio de Educación")
    make_institution(name="Ministerio de Salud Pública")
    query = "?q=Educaci&format=csv"
    _response, body = download(coordinator_client, url("institutions:institution-list", query))
    assert [row[0] for row in csv_rows(body)[1]] == ["Ministerio de Educación"]


def test_a_filter_the_list_refuses_downloads_no_rows_as_the_list_shows_none(coordinator_client):
    add_meetings(3, purpose="Vinculación")
    query = "?held_after=31/02/2021&format=csv"
    response, body = download(coordinator_client, url("observance:meeting-list", query))
    assert (response.status_code, csv_rows(body)[1]) == (200, [])


def test_the_links_download_the_list_as_it_is_filtered(coordinator_client, filtered_meetings):
    response = coordinator_client.get(url("observance:meeting-list", MEETING_QUERY + "&page=2"))
    page = response.content.decode()
    assert 'href="?modality=virtual&amp;q=Norte&amp;format=csv"' in page
    assert 'href="?modality=virtual&amp;q=Norte&amp;format=xlsx"' in page
    assert ("Descargar CSV" in page, "Descargar XLSX" in page) == (True, True)


def test_an_unknown_format_is_not_found(coordinator_client):
    response = coordinator_client.get(url("observance:meeting-list", "?format=pdf"))
    assert response.status_code == 404


# The admin's columns, labels and escaping.


def admin_export(client, model, resource_class, file_format):
    """The admin's export of every column: CSV ("0") or XLSX ("1")."""
    data = {"resource": "0", "format": file_format}
    prefix = resource_class.__name__.lower()
    data |= {f"{prefix}_{field}": "on" for field in resource_class().get_export_order()}
    return client.post(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export"), data
    )


ADMIN_EXPORTS = [
    ("institutions:institution-list", InstitutionResource),
    ("allies:ally-list", AllyResource),
    ("observance:meeting-list", MeetingResource),
    ("observance:request-list", InformationRequestResource),
]


@pytest.mark.parametrize(
    ("name", "resource_class"), ADMIN_EXPORTS, ids=[n for n, _r in ADMIN_EXPORTS]
)
def test_a_list_downloads_the_same_headers_labels_and_cells_as_the_admin_csv(
    admin_client_user, name, resource_class
):
    model = resource_class._meta.model
    for _ in range(3):
        FACTORIES[model]()
    Institution.objects.update(active=False, level=Institution.Level.PROVINCIAL)
    admin_body = admin_export(admin_client_user, model, resource_class, "0").content
    _response, body = download(admin_client_user, url(name, "?format=csv"))
    admin_header, *admin_rows = csv.reader(io.StringIO(admin_body.decode("utf-8")))
    header, rows = csv_rows(body)
    assert (header, sorted(rows)) == (admin_header, sorted(admin_rows))


@pytest.mark.parametrize(
    ("name", "resource_class"), ADMIN_EXPORTS, ids=[n for n, _r in ADMIN_EXPORTS]
)
def test_a_list_downloads_the_same_headers_as_the_admin_xlsx(
    admin_client_user, name, resource_class
):
    model = resource_class._meta.model
    FACTORIES[model]()
    admin_body = admin_export(admin_client_user, model, resource_class, "1").content
    _response, body = download(admin_client_user, url(name, "?format=xlsx"))
    assert xlsx_rows(body)[0] == xlsx_rows(admin_body)[0]


def test_xlsx_choices_yes_no_and_dates_read_as_the_application_shows_them(coordinator_client):
    make_institution(
        name="Defensoría del Pueblo",
        branch=Institution.Branch.TRANSPARENCY,
        province="pichincha",
        active=False,
        mapped_on=datetime.date(2021, 3, 15),
    )
    _response, body = download(
        coordinator_client, url("institutions:institution-list", "?format=xlsx")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header = [cell.value for cell in sheet[1]]
    row = {column: cell for column, cell in zip(header, sheet[2], strict=True)}
    shown = [row[column].value for column in ("Función del Estado", "Provincia", "Activa")]
    mapped = row["Fecha de mapeo"]
    assert (shown, mapped.value, mapped.number_format) == (
        ["Transparencia y control social", "Pichincha", "No"],
        datetime.datetime(2021, 3, 15),
        "dd/mm/yyyy",
    )


FORMULAE = ["=1+1", '=HYPERLINK("http://example.com","clic")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture
def formula_names(db):
    for text in FORMULAE:
        make_institution(name=text)
    return sorted("'" + text for text in FORMULAE)


def test_csv_cells_that_would_run_as_formulae_start_with_an_apostrophe(
    coordinator_client, formula_names
):
    _response, body = download(
        coordinator_client, url("institutions:institution-list", "?format=csv")
    )
    assert sorted(row[0] for row in csv_rows(body)[1]) == formula_names


def test_xlsx_cells_that_would_run_as_formulae_are_text_starting_with_an_apostrophe(
    coordinator_client, formula_names
):
    _response, body = download(
        coordinator_client, url("institutions:institution-list", "?format=xlsx")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # A cell's line ends are "\n" (a lone "\r" is one too).
    in_cells = sorted(name.replace("\r", "\n") for name in formula_names)
    assert {cell.data_type for cell in cells} == {"s"}
    assert sorted(cell.value for cell in cells) == in_cells


# Files, streaming and queries.


@pytest.mark.parametrize(
    ("file_format", "content_type"), [("csv", "text/csv; charset=utf-8"), ("xlsx", XLSX_TYPE)]
)
def test_the_file_is_streamed_named_in_spanish_with_the_date_and_kept_private(
    coordinator_client, file_format, content_type
):
    response = coordinator_client.get(url("observance:meeting-list", f"?format={file_format}"))
    today = timezone.localdate().isoformat()
    assert (response.streaming, response["Content-Type"], response["Content-Disposition"]) == (
        True,
        content_type,
        f'attachment; filename="reuniones-{today}.{file_format}"',
    )
    assert "no-store" in response["Cache-Control"]


def queries_for(client, address):
    with CaptureQueriesContext(connection) as captured:
        response, _body = download(client, address)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_download_runs_the_same_queries_with_one_meeting_as_with_sixty(
    coordinator_client, file_format
):
    members = [make_team_member() for _ in range(3)]
    address = url("observance:meeting-list", f"?format={file_format}")
    add_meetings(1, purpose="Vinculación", members=members)
    few = queries_for(coordinator_client, address)
    add_meetings(59, purpose="Vinculación", members=members)
    assert queries_for(coordinator_client, address) == few


# Session, user, permissions and the session's renewal (7), the meetings and their team (2).
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_meetings_download_query_count_is_pinned(
    coordinator_client, django_assert_max_num_queries, file_format
):
    add_meetings(60, purpose="Vinculación", members=[make_team_member() for _ in range(3)])
    with django_assert_max_num_queries(9):
        response, body = download(
            coordinator_client, url("observance:meeting-list", f"?format={file_format}")
        )
    assert response.status_code == 200


def test_a_list_without_a_resource_downloads_every_field_headed_in_spanish(rf, coordinator):
    class HolidayList(RecordListView):
        model = Holiday
        filterset_fields = ["name"]

    Holiday.objects.create(date=datetime.date(2021, 5, 24), name="=Batalla del Pichincha")
    request = rf.get("/feriados/?format=csv")
    request.user = coordinator
    _response, body = download_from(HolidayList.as_view()(request))
    assert csv_rows(body) == (
        ["ID", "Fecha", "Nombre"],
        [[ANY, "24/05/2021", "'=Batalla del Pichincha"]],
    )


# Who may download.


@pytest.mark.parametrize(("name", "model"), LISTS, ids=LIST_IDS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, name, model):
    response = client.get(url(name, "?format=csv"))
    assert (response.status_code, response["Location"].startswith(reverse("login"))) == (302, True)


@pytest.mark.parametrize(("name", "model"), LISTS, ids=LIST_IDS)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_user_without_the_lists_permission_is_refused(client, outsider, name, model, file_format):
    client.force_login(outsider)
    assert client.get(url(name, f"?format={file_format}")).status_code == 403


@pytest.mark.parametrize(("name", "model"), LISTS, ids=LIST_IDS)
def test_a_reader_who_may_view_the_list_may_download_it(reader_client, name, model):
    FACTORIES[model]()
    response, body = download(reader_client, url(name, "?format=xlsx"))
    assert (response.status_code, len(xlsx_rows(body)[1])) == (200, 1)
