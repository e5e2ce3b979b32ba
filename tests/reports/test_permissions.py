"""Who may preview, write the narrative, finalize and download."""

import datetime

import pytest
from django.urls import reverse

from institutions.models import Institution
from reports.models import SemiannualReport
from reports.periods import Period
from reports.services import report_finalize
from tests.reports.narrative import write_the_narrative

DETAIL = reverse("reports:report-detail", args=[2021, 1])
EDIT = reverse("reports:report-edit", args=[2021, 1])
FINALIZE = reverse("reports:report-finalize", args=[2021, 1])
PDF = reverse("reports:report-pdf", args=[2021, 1])
LIST = reverse("reports:report-list")


@pytest.fixture
def final_report(secretary):
    Institution.objects.create(name="Asamblea Nacional", mapped_on=datetime.date(2021, 1, 4))
    write_the_narrative(Period(2021, 1))
    return report_finalize(period=Period(2021, 1), user=secretary)


@pytest.mark.parametrize("role", ["secretary_client", "admin_client_user"])
def test_secretaria_and_administracion_preview_a_draft(request, role):
    assert request.getfixturevalue(role).get(DETAIL).status_code == 200


@pytest.mark.parametrize("role", ["reader_client", "coordinator_client"])
def test_read_only_roles_do_not_see_drafts(request, role):
    client = request.getfixturevalue(role)
    assert client.get(DETAIL).status_code == 403
    assert client.get(PDF).status_code == 403


def test_consulta_reads_and_downloads_a_final_report(reader_client, final_report):
    assert reader_client.get(DETAIL).status_code == 200
    response = reader_client.get(PDF)
    with final_report.pdf.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_consulta_lists_only_final_reports(reader_client, final_report):
    SemiannualReport.objects.create(year=2022, half=1)
    response = reader_client.get(LIST)
    assert list(response.context["reports"]) == [final_report]


def test_consulta_cannot_write_the_narrative(reader_client):
    response = reader_client.post(EDIT, {"conclusions": "No."})
    assert response.status_code == 403
    assert not SemiannualReport.objects.exists()


def test_secretaria_writes_the_narrative(secretary_client):
    response = secretary_client.post(
        EDIT,
        {
            "linkage_analysis": "Análisis.",
            "conclusions": "Conclusiones.",
            "next_semester_plans": "",
        },
    )
    assert response.status_code == 302
    assert SemiannualReport.objects.get(year=2021, half=1).conclusions == "Conclusiones."


@pytest.mark.parametrize("role", ["reader_client", "coordinator_client"])
def test_only_secretaria_and_administracion_finalize(request, role):
    assert request.getfixturevalue(role).post(FINALIZE).status_code == 403
    assert not SemiannualReport.objects.filter(status="final").exists()


def test_administracion_finalizes(admin_client_user):
    write_the_narrative(Period(2021, 1))
    assert admin_client_user.post(FINALIZE).status_code == 302
    assert SemiannualReport.objects.get(year=2021, half=1).is_final


def test_a_user_without_a_role_gets_nothing(client, outsider):
    client.force_login(outsider)
    for url in (LIST, DETAIL, PDF):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(DETAIL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_semester_that_does_not_exist_is_not_found(secretary_client):
    assert secretary_client.get(reverse("reports:report-detail", args=[2021, 3])).status_code == 404
    assert secretary_client.get(reverse("reports:report-detail", args=[1999, 1])).status_code == 404
