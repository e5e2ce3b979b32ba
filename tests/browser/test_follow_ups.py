"""A coordinator records a follow-up with its evidence and sees the compliance change."""

import datetime

import pytest
from playwright.sync_api import expect

from observance.models import FollowUp, Recommendation
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.observance.page_data import PDF_BYTES, make_follow_up, make_recommendation

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_coordinator_records_a_follow_up_with_evidence_and_sees_the_compliance_change(
    page, coordinator
):
    recommendation = make_recommendation(
        text="Publicar la ruta de atención a personas retornadas",
        proposed_on=datetime.date(2021, 6, 10),
        due_on=datetime.date(2021, 9, 10),
    )
    log_in(page, coordinator.username, PASSWORD)
    page.goto(recommendation.get_absolute_url())
    expect(page.get_by_test_id("compliance")).to_have_text("Pendiente")
    expect(page.get_by_test_id("overdue")).to_be_visible()

    form = page.get_by_test_id("follow-up-form")
    form.get_by_label("Fecha").fill("2021-10-04")
    form.get_by_label("Cumplimiento").select_option(label="Cumplida")
    form.get_by_label("Notas").fill("La institución publicó la ruta en su portal.")
    form.get_by_label("Evidencia").set_input_files(
        {"name": "oficio.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_test_id("add-follow-up").click()

    expect(page.get_by_test_id("compliance")).to_have_text("Cumplida")
    expect(page.get_by_test_id("overdue")).to_have_count(0)
    entry = page.get_by_test_id("follow-up").first
    expect(entry).to_contain_text("04/10/2021")
    expect(entry).to_contain_text("La institución publicó la ruta en su portal.")
    with page.expect_download() as download:
        entry.get_by_test_id("evidence").click()
    assert download.value.path().read_bytes() == PDF_BYTES
    assert Recommendation.objects.get().compliance == Recommendation.Compliance.COMPLIED
    assert FollowUp.objects.get().evidence.name.endswith(".pdf")


def test_the_timeline_and_its_form_fit_on_a_phone(phone_page, coordinator):
    recommendation = make_recommendation(proposed_on=datetime.date(2021, 6, 10))
    make_follow_up(
        recommendation,
        checked_on=datetime.date(2021, 7, 1),
        compliance=Recommendation.Compliance.PARTLY_COMPLIED,
        notes="Respuesta parcial mediante oficio " * 8,
    )
    log_in(phone_page, coordinator.username, PASSWORD)
    phone_page.goto(recommendation.get_absolute_url())

    expect(phone_page.get_by_test_id("follow-up")).to_have_count(1)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
