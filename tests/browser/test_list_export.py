"""A coordinator filters the meetings list and downloads what it shows, as a person would."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from observance.models import Meeting
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.observance.page_data import make_meeting_at

pytestmark = pytest.mark.browser


def test_coordinator_downloads_the_filtered_meetings_as_xlsx(page, coordinator):
    start = timezone.now() - datetime.timedelta(days=30)
    for number in range(4):
        modality = Meeting.Modality.IN_PERSON if number % 2 else Meeting.Modality.VIRTUAL
        make_meeting_at(start + datetime.timedelta(days=number), modality=modality)
    in_person = list(
        Meeting.objects.filter(modality=Meeting.Modality.IN_PERSON).values_list("pk", flat=True)
    )
    log_in(page, coordinator.username, PASSWORD)
    page.goto("/reuniones/")
    page.get_by_text("Filtros").click()
    page.get_by_label("Modalidad").select_option(label="Presencial")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.locator("#record-count")).to_have_text("2 registros")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Descargar XLSX").click()
    download = downloading.value

    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes())).active
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    today = timezone.localdate().isoformat()
    assert (download.suggested_filename, ids) == (f"reuniones-{today}.xlsx", in_person)
