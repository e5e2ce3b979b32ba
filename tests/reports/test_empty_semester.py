"""A semester with no records renders cleanly: sentences, not empty tables or errors."""

import io

from django.urls import reverse
from django.utils.translation import gettext
from pypdf import PdfReader

from reports.builder import report_figures
from reports.periods import Period
from reports.services import report_for, report_pdf

from .conftest import pdf_text


def test_empty_semester_has_no_percentages_instead_of_dividing_by_zero(db):
    figures = report_figures(period=Period(2030, 1))
    assert figures["linkage"] == {"numerator": 0, "denominator": 0, "percent": None}
    assert figures["requests"]["on_time_share"]["percent"] is None


def test_empty_semester_renders_a_pdf_that_says_there_was_nothing(db):
    pdf = report_pdf(report=report_for(Period(2030, 1)))
    text = pdf_text(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 3
    assert gettext("No information requests were sent in this period.") in text
    assert gettext("No meetings were held in this period.") in text


def test_empty_semester_preview_has_no_tables(secretary_client):
    response = secretary_client.get(reverse("reports:report-detail", args=[2030, 1]))
    assert response.status_code == 200
    body = response.content.decode()
    preview = body[body.index('id="report"') :]
    assert "<table" not in preview
