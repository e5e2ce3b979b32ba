"""The secretaria reads the report's preview on a phone: it fits the screen's width."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def test_the_report_preview_does_not_scroll_sideways_at_375_px(phone_page, demo, secretary):
    log_in(phone_page, secretary.username, PASSWORD)
    phone_page.goto(reverse("reports:report-detail", args=[2021, 1]))
    expect(phone_page.locator("#annex")).to_be_attached()
    expect(phone_page.locator("#finalize-checklist")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
