"""Downloads stay private: no shared cache (a proxy, the browser's disk) keeps a copy.

Minutes, request letters, responses, signed agreements and report PDFs are handed out only to
users who may read them; a cache that stored one would hand it to the next person asking.
"""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from institutions.models import Institution
from oppms.views import PROTECTED_FILE_FIELDS
from reports.periods import Period
from reports.services import report_finalize
from tests.admin.conftest import FACTORIES
from tests.reports.narrative import write_the_narrative

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
REPORT_PDF = reverse("reports:report-pdf", args=[2021, 1])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def cache_directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_kept_private(response):
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response), response.get("Cache-Control")
    assert "public" not in cache_directives(response)


PROTECTED_FILES = sorted(
    (app_label, model_name, field)
    for (app_label, model_name), fields in PROTECTED_FILE_FIELDS.items()
    for field in fields
)


@pytest.mark.parametrize("app_label, model_name, field", PROTECTED_FILES)
def test_a_protected_file_is_sent_with_private_no_store(
    reader_client, app_label, model_name, field
):
    model = apps.get_model(app_label, model_name)
    record = FACTORIES[model]()
    setattr(record, field, SimpleUploadedFile("documento.pdf", PDF, "application/pdf"))
    record.save()

    response = reader_client.get(
        reverse("protected-file", args=[app_label, model_name, record.pk, field])
    )

    assert_kept_private(response)
    assert b"".join(response.streaming_content) == PDF


def test_a_finalized_report_pdf_is_sent_with_private_no_store(reader_client, secretary):
    Institution.objects.create(name="Asamblea Nacional", mapped_on=datetime.date(2021, 1, 4))
    write_the_narrative(Period(2021, 1))
    report_finalize(period=Period(2021, 1), user=secretary)

    assert_kept_private(reader_client.get(REPORT_PDF))


def test_a_draft_report_pdf_is_sent_with_private_no_store(secretary_client):
    assert_kept_private(secretary_client.get(REPORT_PDF))
