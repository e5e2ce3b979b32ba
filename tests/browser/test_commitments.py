"""A coordinator logs a meeting with two commitments in one save, adding the second row with the
form's own button (no inline script: the page's CSP would block it), on a phone."""

import datetime

import pytest
from django.utils import timezone

from observance.models import Commitment, Meeting
from tests.browser.conftest import log_in
from tests.browser.test_meetings import fill_meeting
from tests.conftest import PASSWORD
from tests.institutions.factories import make_institution

pytestmark = pytest.mark.browser


def test_a_meeting_is_logged_with_two_commitments_in_one_save(phone_page, coordinator):
    page = phone_page
    institution = make_institution(name="Ministerio del Interior", acronym="MDI")
    log_in(page, coordinator.username, PASSWORD)
    held_at = timezone.localtime() - datetime.timedelta(days=1)
    fill_meeting(page, institution, held_at)

    page.locator("#id_commitments-0-text").fill("Designar un punto focal institucional")
    page.locator("#id_commitments-0-due_on").fill(held_at.date().isoformat())
    page.locator("[data-testid=add-commitment]").click()
    page.locator("#id_commitments-1-text").fill("Remitir el esquema de observancia")
    page.locator("#id_commitments-1-who").select_option("observatory")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("[data-testid=save]").click()

    page.wait_for_url("**/reuniones/*/")
    meeting = Meeting.objects.get()
    assert list(meeting.commitments.order_by("pk").values_list("text", "who")) == [
        ("Designar un punto focal institucional", Commitment.Who.COUNTERPART),
        ("Remitir el esquema de observancia", Commitment.Who.OBSERVATORY),
    ]
    listed = page.locator("[data-testid=meeting-commitments] .commitment-row")
    assert listed.count() == 2
    assert "El observatorio" in listed.nth(1).inner_text()
