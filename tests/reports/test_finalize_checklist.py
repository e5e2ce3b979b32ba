"""Finalizing is deliberate: refused, with the list of what is missing, while a text the report
needs is empty or still a placeholder; the preview shows the same list before the button."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from institutions.models import Institution
from observance.models import ObservatoryProfile
from reports.models import SemiannualReport
from reports.periods import Period
from reports.sections import is_placeholder
from reports.services import report_finalize
from tests.reports.narrative import write_the_narrative

FIRST_2021 = Period(2021, 1)
DETAIL = reverse("reports:report-detail", args=[2021, 1])
FINALIZE = reverse("reports:report-finalize", args=[2021, 1])


@pytest.fixture
def written(db):
    """A semester with a record and every text finalizing asks for."""
    Institution.objects.create(name="Cancillería", mapped_on=datetime.date(2021, 1, 4))
    return write_the_narrative(FIRST_2021)


def change(report, **texts):
    for field, text in texts.items():
        setattr(report, field, text)
    report.save()


def refusal(client):
    response = client.post(FINALIZE, follow=True)
    assert response.status_code == 200
    assert not SemiannualReport.objects.filter(status="final").exists()
    return [str(message) for message in response.context["messages"]]


def test_finalizing_with_an_empty_analysis_is_refused_and_names_the_section(
    secretary_client, written
):
    change(written, linkage_analysis="")
    messages = refusal(secretary_client)
    assert "Análisis del proceso de vinculación: falta redactar «Análisis»." in messages


def test_finalizing_with_empty_conclusions_and_plans_names_both(secretary_client, written):
    change(written, conclusions="  ", next_semester_plans="")
    messages = refusal(secretary_client)
    section = "Conclusiones y planteamientos para el próximo semestre"
    assert f"{section}: falta redactar «Conclusiones»." in messages
    assert f"{section}: falta redactar «Planteamientos para el próximo semestre»." in messages


def test_a_placeholder_left_in_the_conclusions_is_refused(secretary_client, written):
    change(written, conclusions="Aún no se han redactado las conclusiones.")
    messages = refusal(secretary_client)
    assert (
        "Conclusiones y planteamientos para el próximo semestre: «Conclusiones» todavía "
        "contiene un texto provisional." in messages
    )


def test_the_profiles_objectives_are_needed_too(secretary_client, written):
    profile = ObservatoryProfile.load()
    profile.objectives = ""
    profile.save()
    messages = refusal(secretary_client)
    assert "Misión, visión y objetivos: falta redactar «Objetivos»." in messages


def test_the_service_refuses_and_stores_nothing(secretary, written, media_root):
    change(written, linkage_analysis="")
    with pytest.raises(ValidationError) as refused:
        report_finalize(period=FIRST_2021, user=secretary)
    assert {error.code for error in refused.value.error_list} == {"narrative_missing"}
    report = SemiannualReport.objects.get(pk=written.pk)
    assert (report.status, report.sha256, report.pdf.name) == ("draft", "", "")
    assert not any(media_root.rglob("*.pdf"))


def test_finalizing_a_report_with_every_text_written_succeeds(secretary_client, written):
    secretary_client.post(FINALIZE)
    assert SemiannualReport.objects.get(pk=written.pk).is_final


def test_the_preview_lists_what_is_missing_and_disables_the_button(secretary_client, written):
    change(written, conclusions="")
    page = secretary_client.get(DETAIL).content.decode()
    checklist = page[page.index('id="finalize-checklist"') :]
    assert "falta redactar «Conclusiones»" in checklist
    assert reverse("reports:report-edit", args=[2021, 1]) in checklist
    assert "disabled" in page[page.index(FINALIZE) :].split("</form>")[0]


def test_the_preview_shows_no_checklist_once_everything_is_written(secretary_client, written):
    page = secretary_client.get(DETAIL).content.decode()
    assert 'id="finalize-checklist"' not in page
    assert "disabled" not in page[page.index(FINALIZE) :].split("</form>")[0]


def test_a_draft_without_a_profile_points_to_the_profile_page(secretary_client, db):
    page = secretary_client.get(DETAIL).content.decode()
    checklist = page[page.index('id="finalize-checklist"') :]
    assert reverse("observance:profile-update") in checklist
    assert "falta redactar «Nuestra misión»" in checklist


@pytest.mark.parametrize(
    "text",
    [
        "Aún no se ha redactado el análisis.",
        "aun no se han redactado las conclusiones",
        "Lorem ipsum dolor sit amet.",
        "Por redactar",
        "TODO: escribir las conclusiones",
        "…",
    ],
)
def test_drafting_markers_are_placeholders(text):
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "Todo el semestre se mantuvo la vinculación con las instituciones.",
        "Aún queda pendiente la respuesta del Ministerio de Gobierno.",
        "No se han registrado respuestas del MDG; se insistirá ante la Defensoría.",
    ],
)
def test_real_sentences_are_not_placeholders(text):
    assert not is_placeholder(text)
