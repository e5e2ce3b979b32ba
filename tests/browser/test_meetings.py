"""A coordinator logs a meeting in the browser, on a laptop and on a phone; the secretaria
keeps its minutes."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from observance.models import Meeting
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_meeting_at, make_team_member

pytestmark = pytest.mark.browser


def choose_in_search_box(page, select_id, typed, option_text):
    """Pick an option of a Tom Select box by typing, as a person would."""
    page.locator(f"#{select_id} + .ts-wrapper .ts-control").click()
    # Tom Select moves the focus to its own input a moment after the click.
    search_input = page.locator(f"#{select_id}-ts-control")
    expect(search_input).to_be_focused()
    search_input.press_sequentially(typed, delay=30)
    page.locator(f"#{select_id}-ts-dropdown .option", has_text=option_text).first.click()


def fill_meeting(page, institution, held_at):
    page.goto("/reuniones/nueva/")
    page.locator("#id_held_at").fill(held_at.strftime("%Y-%m-%dT%H:%M"))
    page.locator("input[name=modality][value=virtual]").check()
    choose_in_search_box(page, "id_institution", institution.acronym, institution.name)
    page.locator("#id_purpose").fill("Presentar el observatorio y su plan de trabajo")


def test_coordinator_logs_a_meeting_and_finds_it_on_the_institution_page_and_dashboard(
    page, coordinator
):
    institution = make_institution(name="Ministerio de Relaciones Exteriores", acronym="MREMH")
    member = make_team_member(name="Jhonn Cueva")
    log_in(page, coordinator.username, PASSWORD)
    held_at = timezone.localtime() + datetime.timedelta(days=2)
    fill_meeting(page, institution, held_at)
    page.get_by_label(member.name, exact=False).check()
    page.locator("#id_cpccs_companion").fill("Delegada del CPCCS")
    page.locator("[data-testid=save]").click()

    page.wait_for_url("**/reuniones/*/")
    meeting = Meeting.objects.get()
    assert meeting.institution == institution
    assert list(meeting.team_members.all()) == [member]

    page.goto(institution.get_absolute_url())
    assert page.locator(f"a[href='{meeting.get_absolute_url()}']").count() >= 1

    page.goto("/")
    upcoming = page.locator("[data-testid=upcoming-meetings]")
    assert upcoming.locator(f"a[href='{meeting.get_absolute_url()}']").count() == 1


def test_save_and_log_another_opens_an_empty_form(page, coordinator):
    institution = make_institution(name="Secretaría de Derechos Humanos", acronym="SDH")
    log_in(page, coordinator.username, PASSWORD)
    fill_meeting(page, institution, timezone.localtime())
    page.locator("[data-testid=save-another]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/reuniones/nueva/")
    assert page.locator("#id_purpose").input_value() == ""
    assert Meeting.objects.count() == 1


def test_meeting_form_fits_and_saves_on_a_phone(phone_page, coordinator):
    institution = make_institution(name="Ministerio del Trabajo", acronym="MDT")
    make_team_member(name="Verónica Villarruel Cueva", role_title="Secretaria Ejecutiva")
    log_in(phone_page, coordinator.username, PASSWORD)
    fill_meeting(phone_page, institution, timezone.localtime())
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.locator("[data-testid=save]").click()
    phone_page.wait_for_url("**/reuniones/*/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert Meeting.objects.get().institution == institution


def test_secretaria_writes_the_minutes_of_a_logged_meeting_on_a_phone(phone_page, secretary):
    meeting = make_meeting_at(timezone.localtime(), purpose="Presentar el observatorio")
    log_in(phone_page, secretary.username, PASSWORD)
    phone_page.goto(meeting.get_absolute_url())
    phone_page.locator("[data-testid=edit]").click()
    phone_page.wait_for_url("**/editar/")
    assert phone_page.locator("#id_held_at, #id_purpose, #id_institution").count() == 0
    expect(phone_page.locator("[data-testid=meeting-as-logged]")).to_contain_text(
        "Presentar el observatorio"
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.locator("#id_outcomes").fill("Se acordó una mesa técnica mensual")
    phone_page.locator("[data-testid=save]").click()
    phone_page.wait_for_url(f"**{meeting.get_absolute_url()}")
    meeting.refresh_from_db()
    assert meeting.outcomes == "Se acordó una mesa técnica mensual"
    assert meeting.purpose == "Presentar el observatorio"
