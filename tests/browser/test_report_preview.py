"""The secretaria reads the report's preview on a phone: it fits the screen's width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.demo_data import load_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    load_demo()


def test_the_report_preview_does_not_scroll_sideways_at_375_px(phone_page, demo, secretary):
    log_in(phone_page, secretary.username, PASSWORD)
    phone_page.goto(reverse("reports:report-detail", args=[2021, 1]))
    expect(phone_page.locator("#annex")).to_be_attached()
    expect(phone_page.locator("#finalize-checklist")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
