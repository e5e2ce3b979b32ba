"""The key figures: each with its change against the previous semester; the method note."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from reports.builder import report_figures
from reports.models import SemiannualReport
from reports.periods import Period

from .conftest import pdf_text

# Every test reads the demo: seeded once for the module (tests/reports/conftest.py).
pytestmark = pytest.mark.usefixtures("demo_for_module")

TODAY = datetime.date(2026, 12, 1)


def headline(period):
    rows = report_figures(period=period, today=TODAY)["headline"]["rows"]
    return {row["key"]: row for row in rows}


def freeze(period, figures):
    """A finalized report of ``period`` that froze ``figures``."""
    return SemiannualReport.objects.create(
        year=period.year,
        half=period.half,
        status=SemiannualReport.Status.FINAL,
        figures=figures,
        finalized_at=timezone.now(),
        sha256="0" * 64,
        pdf=f"reports/{period.code}.pdf",
    )


def test_newly_mapped_institutions_stand_beside_the_cumulative_total(demo):
    rows = headline(Period(2021, 1))
    assert (rows["mapped"]["value"], rows["newly_mapped"]["value"]) == (20, 20)
    assert (rows["mapped"]["scope"], rows["newly_mapped"]["scope"]) == ("to_date", "semester")


def test_the_change_is_computed_from_the_records_when_the_previous_report_is_not_final(demo):
    rows = headline(Period(2021, 2))

    assert (rows["newly_mapped"]["previous"], rows["newly_mapped"]["change"]) == (20, -20)
    meetings = rows["meetings"]
    assert (meetings["previous"], meetings["change"]) == (14, meetings["value"] - 14)
    assert (rows["mapped"]["value"], rows["mapped"]["change"]) == (20, 0)


def test_the_change_is_against_the_figures_the_previous_final_report_froze(demo):
    first = Period(2021, 1)
    frozen = report_figures(period=first, today=TODAY)
    frozen["meetings"]["institutions"] = 9
    freeze(first, frozen)

    figures = report_figures(period=Period(2021, 2), today=TODAY)
    meetings = next(row for row in figures["headline"]["rows"] if row["key"] == "meetings")

    assert figures["headline"]["previous"]["frozen"] is True
    assert (meetings["previous"], meetings["change"]) == (9, meetings["value"] - 9)


def test_a_figure_the_previous_final_report_did_not_hold_shows_no_change(demo):
    first = Period(2021, 1)
    frozen = report_figures(period=first, today=TODAY)
    del frozen["mapping"]["new"]
    freeze(first, frozen)

    rows = headline(Period(2021, 2))

    assert (rows["newly_mapped"]["previous"], rows["newly_mapped"]["change"]) == (None, None)


def test_the_preview_shows_the_key_figures_with_their_change(demo, secretary_client):
    response = secretary_client.get(reverse("reports:report-detail", args=[2021, 2]))
    page = response.content.decode()
    row = page[page.index('id="key-newly_mapped"') :].split("</tr>")[0]

    assert 'data-figure="0"' in row
    assert "−20" in row
    assert html.escape(gettext("Semester's count")) in row


def test_the_pdf_ends_with_the_method_note(demo_pdf):
    text = pdf_text(demo_pdf)
    note = text.rindex(gettext("Method note"))

    assert note > text.rindex(gettext("Information requests of the period"))
    assert gettext("Linkage goal") in text[note:]
