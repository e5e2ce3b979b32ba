"""Printed, a page is its record: no navbar, filters, buttons, pagination or download links.

The print stylesheet is the @media print block of static/css/app.css; Chromium applies it when
asked to emulate print, and page.pdf() prints the page as a browser's "Print" would.
"""

import datetime
import io

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from observance.models import Commitment
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_meeting_at, make_request

pytestmark = pytest.mark.browser

INSTITUTION = "Ministerio de Relaciones Exteriores y Movilidad Humana"


def printed_text(page):
    document = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    # The words of the printed sheets, a line's end read as a space.
    return " ".join(" ".join(sheet.extract_text().split()) for sheet in document.pages)


def expect_nothing_to_act_with(page):
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.locator("[data-testid=language-switch]")).to_be_hidden()
    for index in range(page.locator("main .btn").count()):
        expect(page.locator("main .btn").nth(index)).to_be_hidden()


def test_a_meeting_prints_as_a_clean_record(page, coordinator):
    institution = make_institution(name=INSTITUTION, acronym="MREMH")
    meeting = make_meeting_at(
        timezone.now() - datetime.timedelta(days=1),
        institution=institution,
        purpose="Presentar el observatorio a la Cancillería",
    )
    Commitment.objects.create(meeting=meeting, text="Designar un punto focal institucional")
    log_in(page, coordinator.username, PASSWORD)
    page.goto(meeting.get_absolute_url())
    expect(page.locator("[data-testid=edit]")).to_be_visible()
    page.emulate_media(media="print")

    expect_nothing_to_act_with(page)
    expect(page.locator("[data-testid=edit]")).to_be_hidden()
    expect(page.locator("[data-testid=history]")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fields = page.locator(".record-fields")
    expect(fields).to_be_visible()
    expect(fields).to_contain_text("Presentar el observatorio a la Cancillería")
    expect(page.locator("[data-testid=meeting-commitments]")).to_contain_text("punto focal")
    # A link reads as the text around it: not blue, not underlined.
    link = fields.get_by_role("link", name=INSTITUTION)
    body_color = page.evaluate("getComputedStyle(document.body).color")
    assert link.evaluate("a => getComputedStyle(a).color") == body_color
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"

    text = printed_text(page)
    assert "Presentar el observatorio a la Cancillería" in text
    assert "Designar un punto focal institucional" in text
    for on_screen_only in ("Cerrar sesión", "Editar", "Historial", "Idioma"):
        assert on_screen_only not in text


def test_a_request_prints_with_its_timeline_and_without_its_forms(page, coordinator):
    request = make_request(subject="Registro de títulos obtenidos en el exterior")
    log_in(page, coordinator.username, PASSWORD)
    page.goto(request.get_absolute_url())
    page.emulate_media(media="print")

    expect_nothing_to_act_with(page)
    expect(page.get_by_role("heading", name="Registrar un evento")).to_be_hidden()
    expect(page.locator(".record-fields")).to_be_visible()
    expect(page.locator("[data-testid=timeline]")).to_be_visible()
    text = printed_text(page)
    assert "Registro de títulos obtenidos en el exterior" in text
    assert "Registrar un evento" not in text


def test_a_list_prints_its_rows_without_filters_downloads_or_pages(page, coordinator):
    institution = make_institution(name=INSTITUTION, acronym="MREMH")
    start = timezone.now() - datetime.timedelta(days=40)
    for day in range(26):  # one more than a page
        make_meeting_at(start + datetime.timedelta(days=day), institution=institution)
    log_in(page, coordinator.username, PASSWORD)
    page.goto("/reuniones/?modality=virtual")
    expect(page.locator(".pagination")).to_be_visible()
    page.emulate_media(media="print")

    expect_nothing_to_act_with(page)
    expect(page.locator("details.list-filters")).to_be_hidden()
    expect(page.locator("#list-export")).to_be_hidden()
    expect(page.locator(".pagination")).to_be_hidden()
    expect(page.locator("#record-count")).to_have_text("26 registros")
    expect(page.locator("table tbody tr")).to_have_count(25)
    expect(page.locator("table tbody tr").first).to_be_visible()
    text = printed_text(page)
    assert "MREMH" in text
    for on_screen_only in ("Filtros", "Descargar CSV", "Siguiente"):
        assert on_screen_only not in text
