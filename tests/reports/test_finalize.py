"""A finalized report is frozen: its PDF keeps its SHA-256 whatever happens to the records."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from institutions.models import Institution
from observance.models import Meeting
from reports.forms import NarrativeForm
from reports.models import SemiannualReport
from reports.periods import Period, observatory_zone
from reports.services import ReportIsFinal, report_finalize
from tests.reports.narrative import NARRATIVE, write_the_narrative

FINALIZE = reverse("reports:report-finalize", args=[2021, 1])
PDF = reverse("reports:report-pdf", args=[2021, 1])
EDIT = reverse("reports:report-edit", args=[2021, 1])


@pytest.fixture
def records(db):
    institution = Institution.objects.create(
        name="Cancillería", mapped_on=datetime.date(2021, 1, 4)
    )
    Meeting.objects.create(
        held_at=timezone.make_aware(datetime.datetime(2021, 3, 3, 10), observatory_zone()),
        modality=Meeting.Modality.IN_PERSON,
        institution=institution,
        purpose="Presentación del observatorio",
    )
    return institution


@pytest.fixture
def ready(records):
    """The records, and the narrative finalizing asks for."""
    write_the_narrative(Period(2021, 1))
    return records


def downloaded(client):
    response = client.get(PDF)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_finalizing_stores_the_pdf_with_its_sha256_and_figures(secretary_client, ready):
    response = secretary_client.post(FINALIZE)
    assert response.status_code == 302
    report = SemiannualReport.objects.get(year=2021, half=1)
    assert report.is_final
    assert report.figures["meetings"]["institutions"] == 1
    with report.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.sha256


def test_final_pdf_keeps_its_sha256_after_the_semesters_records_change(secretary_client, ready):
    secretary_client.post(FINALIZE)
    before = downloaded(secretary_client)
    Meeting.objects.create(
        held_at=timezone.make_aware(datetime.datetime(2021, 4, 5, 9), observatory_zone()),
        modality=Meeting.Modality.VIRTUAL,
        institution=ready,
        purpose="Seguimiento",
    )
    ready.name = "Ministerio de Relaciones Exteriores"
    ready.save()
    after = downloaded(secretary_client)
    report = SemiannualReport.objects.get(year=2021, half=1)
    assert after == before
    assert hashlib.sha256(after).hexdigest() == report.sha256
    assert report.figures["meetings"]["institutions"] == 1


def test_detail_page_shows_the_final_pdfs_sha256(secretary_client, ready):
    secretary_client.post(FINALIZE)
    report = SemiannualReport.objects.get(year=2021, half=1)
    response = secretary_client.get(report.get_absolute_url())
    assert report.sha256 in response.content.decode()


def test_a_report_cannot_be_finalized_twice(secretary_client, ready):
    secretary_client.post(FINALIZE)
    sha256 = SemiannualReport.objects.get(year=2021, half=1).sha256
    response = secretary_client.post(FINALIZE)
    assert response.status_code == 409
    assert SemiannualReport.objects.get(year=2021, half=1).sha256 == sha256


def test_the_service_refuses_a_second_finalization(secretary, ready):
    report_finalize(period=Period(2021, 1), user=secretary)
    with pytest.raises(ReportIsFinal):
        report_finalize(period=Period(2021, 1), user=secretary)


def test_a_final_reports_narrative_cannot_be_edited(secretary_client, ready):
    secretary_client.post(EDIT, NARRATIVE | {"conclusions": "Primera versión."})
    secretary_client.post(FINALIZE)
    response = secretary_client.post(EDIT, NARRATIVE | {"conclusions": "Cambiada después."})
    assert response.status_code == 409
    assert SemiannualReport.objects.get(year=2021, half=1).conclusions == "Primera versión."


def test_the_narrative_form_refuses_a_final_report(secretary, ready):
    report = report_finalize(period=Period(2021, 1), user=secretary)
    form = NarrativeForm({"conclusions": "Otra cosa."}, instance=report)
    assert not form.is_valid()
    assert form.has_error("__all__", code="final")


def test_the_model_refuses_to_validate_a_change_to_a_final_report(secretary, ready):
    report = report_finalize(period=Period(2021, 1), user=secretary)
    report.conclusions = "Otra cosa."
    with pytest.raises(ValidationError):
        report.full_clean()


def test_a_semester_that_has_not_ended_cannot_be_finalized(secretary_client):
    today = timezone.localdate()
    half = 1 if today.month <= 6 else 2
    response = secretary_client.post(reverse("reports:report-finalize", args=[today.year, half]))
    assert response.status_code == 302
    assert not SemiannualReport.objects.filter(status="final").exists()


def test_finalizing_takes_a_post(secretary_client, records):
    assert secretary_client.get(FINALIZE).status_code == 405
    assert not SemiannualReport.objects.exists()
