"""Text with HTML, saved through the forms, is shown as text: escaped in the pages, and as the
literal characters in the semiannual report's PDF."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from institutions.models import Institution
from observance.models import Meeting

PAYLOAD = "<script>alert('x')</script><b>negrita</b>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;negrita&lt;/b&gt;"


@pytest.fixture
def saved(admin_client_user):
    """An institution and a meeting with it, both saved through their forms."""
    client = admin_client_user
    response = client.post(
        reverse("institutions:institution-create"),
        {
            "name": f"Ministerio {PAYLOAD}",
            "acronym": "MX",
            "role": Institution.Role.EXECUTOR,
            "branch": Institution.Branch.EXECUTIVE,
            "level": Institution.Level.NATIONAL,
            "mapped_on": "2021-01-15",
            "active": "on",
            "notes": PAYLOAD,
        },
    )
    assert response.status_code == 302
    institution = Institution.objects.get(acronym="MX")
    response = client.post(
        reverse("observance:meeting-create"),
        {
            "held_at": "2021-03-10T10:00",
            "modality": Meeting.Modality.VIRTUAL,
            "institution": institution.pk,
            "purpose": PAYLOAD,
            "outcomes": PAYLOAD,
        },
    )
    assert response.status_code == 302
    return institution, Meeting.objects.get(institution=institution)


def page_urls(institution, meeting):
    return [
        reverse("institutions:institution-detail", args=[institution.pk]),
        reverse("institutions:institution-list"),
        meeting.get_absolute_url(),
        reverse("observance:meeting-list"),
    ]


def test_text_with_html_is_stored_as_typed(saved):
    institution, meeting = saved
    assert (institution.notes, meeting.purpose, meeting.outcomes) == (PAYLOAD,) * 3


@pytest.mark.parametrize(
    "page", range(4), ids=["institution", "institutions", "meeting", "meetings"]
)
def test_pages_show_text_with_html_escaped(saved, admin_client_user, page):
    html = admin_client_user.get(page_urls(*saved)[page]).content.decode()
    assert "<script>alert(" not in html
    assert "<b>negrita</b>" not in html
    assert ESCAPED in html


def test_report_pdf_shows_the_tags_as_literal_text(saved, admin_client_user):
    response = admin_client_user.get(reverse("reports:report-pdf", args=[2021, 1]))
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))
    assert "<b>negrita</b>" in text
    assert "<script>" in text
