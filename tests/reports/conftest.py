"""Fixtures of the report tests: the 2021 demo data, its first semester, and PDF text."""

import io
import re
from types import SimpleNamespace

import pytest
from django.db import transaction
from pypdf import PdfReader

from observance.models import TeamMember
from reports.periods import Period
from reports.services import report_for, report_pdf
from tests.demo_data import load_demo


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker):
    """The demo seeded once for a module, in a transaction rolled back at the module's end.

    A module whose every test reads the demo asks for it with
    ``pytestmark = pytest.mark.usefixtures("demo_for_module")``; each test then runs in a
    savepoint on top of it, so what one test changes the next does not see. Seeding takes
    seconds, most of the report tests' time when done for each test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(request, db):
    if "demo_for_module" not in request.fixturenames:
        load_demo()


@pytest.fixture
def first_2021():
    return Period(2021, 1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Finalized PDFs go to a folder of each test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_pages(pdf):
    """The text of each page, with runs of white space made single spaces."""
    return [
        re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def pdf_text(pdf):
    return " ".join(pdf_pages(pdf))


_RENDERED = {}


@pytest.fixture
def demo_report(demo):
    """The demo's 2021-S1 PDF and team, rendered once for every test that asks for them.

    Rendering takes seconds; the demo data is the same for every test of a run, so its PDF is.
    """
    if "demo" not in _RENDERED:
        _RENDERED["demo"] = SimpleNamespace(
            pdf=report_pdf(report=report_for(Period(2021, 1))),
            team=list(TeamMember.objects.values_list("name", "role_title")),
        )
    return _RENDERED["demo"]


@pytest.fixture
def demo_pdf(demo_report):
    return demo_report.pdf
