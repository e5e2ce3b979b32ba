"""A coordinator takes an overdue request up the first step of the escalation ladder."""

import pytest
from playwright.sync_api import expect

from observance.models import EscalationTerm, RequestEvent
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.observance.page_data import days_ago, make_request
from tests.oppms.upload_samples import PDF

pytestmark = pytest.mark.browser


def test_coordinator_files_an_insistence_on_an_overdue_request(page, coordinator, tmp_path):
    EscalationTerm.objects.update_or_create(step=1, defaults={"days": 10, "counting": "calendar"})
    request = make_request(sent_on=days_ago(40), subject="Créditos a retornados")
    letter = tmp_path / "insistencia.pdf"
    letter.write_bytes(PDF)
    log_in(page, coordinator.username, PASSWORD)

    page.goto(request.get_absolute_url())
    ladder = page.locator("[data-testid=ladder]")
    expect(ladder.locator("[data-testid=ladder-1]")).to_have_attribute("data-state", "next")
    # Only the next step is offered: no form for the Defensoría or the judge yet.
    expect(page.locator("[data-testid=record-defensoria]")).to_have_count(0)
    page.locator("#id_correction_asked-occurred_on").fill(days_ago(20).isoformat())
    page.locator("#id_correction_asked-document").set_input_files(str(letter))
    page.locator("#id_correction_asked-notes").fill("Oficio de insistencia")
    page.locator("[data-testid=record-correction_asked]").click()

    step_row = page.locator("[data-testid=ladder] [data-testid=ladder-1]")
    expect(step_row).to_have_attribute("data-state", "current")
    expect(step_row.locator("[data-testid=escalation-due-on]")).to_have_text(
        days_ago(10).strftime("%d/%m/%Y")
    )
    expect(step_row.locator("[data-testid=escalation-outcome]")).to_contain_text("vencid")
    expect(page.locator("[data-testid=outcome-form]")).to_be_visible()
    step = RequestEvent.objects.get(request=request)
    assert (step.kind, step.occurred_on, step.notes) == (
        "correction_asked",
        days_ago(20),
        "Oficio de insistencia",
    )
    assert step.document
