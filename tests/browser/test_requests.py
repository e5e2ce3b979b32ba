"""A coordinator records an information request; once past due it is the first thing the
dashboard shows."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from observance.models import InformationRequest
from tests.browser.conftest import log_in
from tests.browser.test_meetings import choose_in_search_box
from tests.conftest import PASSWORD
from tests.institutions.factories import make_institution
from tests.observance.page_data import days_ago, make_request

pytestmark = pytest.mark.browser


def test_request_past_its_due_date_shows_first_on_the_dashboard_as_overdue(page, coordinator):
    institution = make_institution(name="Servicio Nacional de Aduana", acronym="SENAE")
    make_request(sent_on=days_ago(15), subject="Menos atrasada")
    log_in(page, coordinator.username, PASSWORD)

    page.goto("/solicitudes/nueva/")
    choose_in_search_box(page, "id_institution", "SENAE", institution.name)
    page.locator("#id_subject").fill("Exoneraciones de menaje de casa")
    sent_on = timezone.localdate() - datetime.timedelta(days=30)
    page.locator("#id_sent_on").fill(sent_on.isoformat())
    page.locator("[data-testid=save]").click()
    page.wait_for_url("**/solicitudes/*/")
    request = InformationRequest.objects.get(subject="Exoneraciones de menaje de casa")
    assert page.locator("[data-testid=due-on]").inner_text() == request.due_on.strftime("%d/%m/%Y")
    assert page.locator("[data-testid=deadline-explanation] li").count() >= 3

    page.goto("/")
    first = page.locator("[data-testid=overdue-requests] .overdue-row").first
    assert first.get_attribute("data-request") == str(request.pk)
    assert first.locator(".overdue").inner_text().startswith("20")


def test_coordinator_records_an_answer_on_the_timeline(page, coordinator):
    request = make_request(sent_on=days_ago(3), subject="Retornados atendidos")
    log_in(page, coordinator.username, PASSWORD)
    page.goto(request.get_absolute_url())
    page.locator("[data-testid=show-answered_fully]").click()
    page.locator("#id_answered_fully-occurred_on").fill(timezone.localdate().isoformat())
    page.locator("#id_answered_fully-notes").fill("Oficio de respuesta")
    page.locator("[data-testid=record-answered_fully]").click()
    expect(page.locator("[data-testid=timeline] li")).to_have_count(2)
    request.refresh_from_db()
    assert request.answered_on == timezone.localdate()
