"""The public portal: every role, anonymous included, reads it; nobody changes anything there."""

import pytest
from django.core.files.base import ContentFile

from reports.models import SemiannualReport
from tests.observance.page_data import PDF_BYTES, make_publication
from tests.permissions.matrix import PUBLIC, ROLES, Entry, check
from tests.portal.conftest import make_final_report


def public_document():
    publication = make_publication(is_public=True)
    publication.document.save("publicacion.pdf", ContentFile(PDF_BYTES))
    return {"pk": publication.pk}


def final_report():
    """Made for the GET; the POST, in the same test, finds it there."""
    if not SemiannualReport.objects.filter(year=2021, half=1).exists():
        make_final_report(2021, 1)
    return {"year": 2021, "half": 1}


MATRIX = [
    Entry("portal:home", get=PUBLIC, post=None),
    Entry("portal:results", get=PUBLIC, post=None),
    Entry("portal:publication-document", get=PUBLIC, post=None, setup=public_document),
    Entry("portal:reports", get=PUBLIC, post=None),
    Entry("portal:report-pdf", get=PUBLIC, post=None, setup=final_report),
    # The empty POST is shown again with its error: choose a PDF or paste a SHA-256.
    Entry("portal:verify", get=PUBLIC, post=PUBLIC),
    Entry("portal:recommendations", get=PUBLIC, post=None),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=str)
def test_each_role_gets_the_expected_answer(db, client, entry, role):
    check(client, entry, role)
