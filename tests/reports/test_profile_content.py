"""The 2021 report's whole content comes from the observatory's profile, which the secretaria
edits: the demo's texts reach the PDF, and an edit to the profile changes what it says."""

import pytest
from django.urls import reverse

from observance.demo import PROFILE
from observance.models import ObservatoryProfile
from reports.periods import Period
from reports.services import report_for, report_pdf
from tests.conftest import edit_version

from .conftest import pdf_text

# Every test reads the demo: seeded once for the module (tests/reports/conftest.py).
pytestmark = pytest.mark.usefixtures("demo_for_module")

HEADINGS = [
    "Bases de su constitución",
    "Resultados del proceso de vinculación",
    "La academia como aliado estratégico",
    "Finalidades y objetivos",
    "Resultados de la vinculación con la academia",
]
LIST_FIELDS = [
    "objectives",
    "constitution_bases",
    "linkage_results",
    "observance_scheme",
    "academia_roles",
    "academia_purposes",
    "academia_results",
]


def lines(field):
    return [line for line in PROFILE[field].splitlines() if line.strip()]


def test_the_pdf_has_the_headings_of_the_2021_reports_content(demo_pdf):
    text = pdf_text(demo_pdf)
    for heading in HEADINGS:
        assert heading in text


def test_every_line_of_the_profiles_lists_is_in_the_pdf(demo_pdf):
    text = pdf_text(demo_pdf)
    for field in LIST_FIELDS:
        for line in lines(field):
            assert line in text, field


def test_the_academys_rationale_opens_its_section(demo_pdf):
    text = pdf_text(demo_pdf)
    assert PROFILE["academia_rationale"] in text
    assert text.index(PROFILE["academia_rationale"]) > text.rindex("Vinculación con la academia")


def test_the_introduction_states_the_constitution_once_in_one_date_format(demo_pdf):
    text = pdf_text(demo_pdf)
    assert text.count("constituido") == 1
    assert (
        "Legalmente constituido ante el Consejo de Participación Ciudadana y Control Social "
        "(CPCCS) mediante Acta Constitutiva de fecha 19/01/2021." in text
    )
    assert "19 de enero de 2021" not in text


def test_a_name_with_its_own_parentheses_takes_the_acronym_inside_them(demo_pdf):
    text = pdf_text(demo_pdf)
    assert "Ministerio de Relaciones Exteriores y Movilidad Humana (Cancillería, MREMH)" in text
    assert ") (" not in text


def test_what_the_secretaria_writes_in_the_profile_is_what_the_pdf_says(demo, secretary_client):
    profile = ObservatoryProfile.load()
    form = {
        field: value.isoformat() if hasattr(value, "isoformat") else value
        for field, value in PROFILE.items()
    }
    response = secretary_client.post(
        reverse("observance:profile-update"),
        form
        | {
            "academia_rationale": "Las universidades aportan investigación independiente.",
            "academia_roles": "Acompañar la evaluación técnica.\nFormar a los voluntarios.",
        }
        | edit_version(profile),
    )
    assert response.status_code == 302
    text = pdf_text(report_pdf(report=report_for(Period(2021, 1))))
    assert "Las universidades aportan investigación independiente." in text
    assert "Formar a los voluntarios." in text
    assert lines("academia_roles")[0] not in text
