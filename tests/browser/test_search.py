"""The navbar's search, as a person uses it: type, press Enter, open a hit."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.institutions.factories import make_institution

pytestmark = pytest.mark.browser


def test_a_search_typed_in_the_navbar_opens_the_accented_record(page, reader):
    institution = make_institution(name="Ministerio de Educación", acronym="MINEDUC")
    log_in(page, reader.username, PASSWORD)
    page.get_by_label("Buscar en todo").fill("EDUCACION")
    page.get_by_label("Buscar en todo").press("Enter")
    page.wait_for_url("**/buscar/?q=EDUCACION")
    page.get_by_role("link", name="Ministerio de Educación (MINEDUC)").click()
    page.wait_for_url(f"**{institution.get_absolute_url()}")


def test_the_search_fits_a_phone(phone_page, reader):
    make_institution(name="Ministerio de Educación", acronym="MINEDUC")
    log_in(phone_page, reader.username, PASSWORD)
    phone_page.get_by_role("button", name="Menú").click()
    box = phone_page.get_by_label("Buscar en todo")
    expect(box).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    box.fill("educacion")
    box.press("Enter")
    phone_page.wait_for_url("**/buscar/?q=educacion")
    expect(phone_page.locator(".search-hit")).to_have_count(1)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
