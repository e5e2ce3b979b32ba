"""Verify a report: a PDF or a SHA-256 says whether the observatory issued it, which and when."""

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.observance.page_data import PDF_BYTES
from tests.portal.conftest import PRIVATE_PDF, make_final_report

URL = reverse("portal:verify")


@pytest.fixture
def report(db):
    return make_final_report(2021, 1)


def upload(content, name="informe.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def test_an_issued_pdf_is_recognised_with_its_period_and_issue_date(client, report, media_root):
    before = stored_files(media_root)

    response = client.post(URL, {"pdf": upload(PDF_BYTES)})

    verdict = response.text
    assert response.context["report"] == report
    assert "Sí" in verdict and "Enero–junio 2021".lower() in verdict.lower()
    assert "05/07/2021" in verdict
    assert reverse("portal:report-pdf", args=[2021, 1]) in verdict
    assert stored_files(media_root) == before  # hashed as it arrived, never kept


def test_a_changed_pdf_is_not_recognised(client, report):
    response = client.post(URL, {"pdf": upload(PRIVATE_PDF)})

    assert response.context["report"] is None
    assert "No: ningún informe emitido por el observatorio" in response.text
    assert hashlib.sha256(PRIVATE_PDF).hexdigest() in response.text


def test_a_large_pdf_is_hashed_across_all_its_chunks(client, db):
    # Larger than Django's in-memory upload limit, so it arrives in many chunks.
    content = PDF_BYTES + b"%" * (3 * 1024 * 1024)
    report = make_final_report(2022, 1, content=content)

    response = client.post(URL, {"pdf": upload(content)})

    assert response.context["report"] == report


def test_a_pasted_sha256_is_recognised_whatever_its_case_and_spacing(client, report):
    pasted = f"  {report.sha256[:32].upper()} {report.sha256[32:]}\n"

    response = client.post(URL, {"sha256": pasted})

    assert response.context["report"] == report


def test_a_draft_reports_blank_fingerprint_matches_nothing(client, report):
    response = client.post(URL, {"sha256": "0" * 64})

    assert response.context["report"] is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"sha256": "abc123"}, "sha256", "Un SHA-256 tiene 64 caracteres"),
        ({"sha256": "g" * 64}, "sha256", "Un SHA-256 tiene 64 caracteres"),
        ({}, None, "Elija el PDF del informe o pegue su SHA-256."),
    ],
)
def test_bad_input_gets_a_spanish_message_next_to_the_field(client, report, data, field, message):
    response = client.post(URL, data)

    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors[field] if field else form.non_field_errors()
    assert any(message in error for error in errors), errors
    assert "report" not in response.context


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field(client, report):
    response = client.post(URL, {"pdf": upload(b"hello, world", name="informe.pdf")})

    assert "no es un PDF" in response.context["form"].errors["pdf"][0]


def test_a_file_over_the_limit_is_refused_next_to_the_field(client, report, settings):
    settings.UPLOAD_MAX_BYTES = len(PDF_BYTES) - 1

    response = client.post(URL, {"pdf": upload(PDF_BYTES)})

    assert "pesa más de" in response.context["form"].errors["pdf"][0]


def test_the_form_needs_its_csrf_token_but_sets_no_session_cookie(report):
    client = Client(enforce_csrf_checks=True)

    assert client.post(URL, {"sha256": report.sha256}).status_code == 403

    page = client.get(URL)
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(URL, {"sha256": report.sha256, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response.context["report"] == report
    assert settings.SESSION_COOKIE_NAME not in page.cookies
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    # The page carries a visitor's own CSRF token: no shared cache may keep it.
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "pasted", ["\x00" * 64, "é" * 64, "a" * 10_000, "<script>", "' OR 1=1 --", "0x" + "a" * 62]
)
def test_hostile_input_is_refused_next_to_the_field_without_an_error_page(client, report, pasted):
    response = client.post(URL, {"sha256": pasted})

    assert response.status_code == 200
    assert response.context["form"].has_error("sha256")


def test_several_files_under_one_name_are_judged_by_the_last(client, report):
    response = client.post(URL, {"pdf": [upload(b"not a pdf"), upload(PDF_BYTES)]})

    assert response.status_code == 200
    assert response.context["report"] == report
