"""The public portal on a phone: no login, nothing scrolls sideways, the policy holds."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observance.models import ObservatoryProfile, Publication
from tests.institutions.factories import make_institution
from tests.observance.page_data import (
    PDF_BYTES,
    make_publication,
    make_recommendation,
    make_team_member,
)
from tests.portal.conftest import make_final_report

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375


@pytest.fixture
def published(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ObservatoryProfile.objects.create(
        name="Observatorio de Políticas Públicas para Migrantes Retornados y Sujetos de "
        "Protección Internacional",
        acronym="OPPMS",
        cpccs_registration="CPCCS-OC-2021-001",
        mission="Vigilar las políticas públicas para personas en movilidad humana.",
    )
    make_team_member(name="María Coordinadora", role_title="Coordinadora Nacional")
    institution = make_institution(
        name="Ministerio de Relaciones Exteriores y Movilidad Humana", acronym="MREMH"
    )
    make_publication(
        title="Informe de evaluación de la política de retorno",
        kind=Publication.Kind.SOCIALISATION,
        place="Quito",
        attendees=40,
        url="https://example.org/un-enlace-muy-largo-que-no-tiene-espacios-para-partirse-en-lineas",
        is_public=True,
    )
    make_recommendation(institution=institution, is_public=True)
    return make_final_report(2021, 1)


def test_every_portal_page_fits_a_phone_under_the_policy(phone_page, published):
    problems = []
    phone_page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    for name in ["home", "results", "reports", "verify", "recommendations"]:
        response = phone_page.goto(reverse(f"portal:{name}"))
        assert response.status == 200, name
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, name
    assert problems == []
    assert not [c for c in phone_page.context.cookies() if c["name"] == "sessionid"]


def test_a_visitor_verifies_a_report_by_uploading_its_pdf_on_a_phone(phone_page, published):
    phone_page.goto(reverse("portal:verify"))
    phone_page.locator("#id_pdf").set_input_files(
        {"name": "informe.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    phone_page.get_by_role("button", name="Verificar").click()

    verdict = phone_page.locator("[data-testid=verdict]")
    expect(verdict).to_contain_text("Sí: es el Informe semestral")
    expect(verdict).to_contain_text("05/07/2021")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_pasted_sha256_that_is_not_one_is_explained_next_to_the_field(phone_page, published):
    phone_page.goto(reverse("portal:verify"))
    phone_page.locator("#id_sha256").fill("no-es-un-hash")
    phone_page.get_by_role("button", name="Verificar").click()

    expect(phone_page.locator("#error_1_id_sha256")).to_contain_text(
        "Un SHA-256 tiene 64 caracteres"
    )
