"""Who may open a record's "Historial" page, and which addresses have none."""

import pytest
from django.urls import reverse

from observance.models import Meeting
from reports.models import SemiannualReport
from tests.admin.conftest import FACTORIES

NARRATIVE = "Conclusión interna, aún en revisión"


def history_url(record):
    opts = record._meta
    return reverse("record-history", args=[opts.app_label, opts.model_name, record.pk])


@pytest.fixture
def meeting(first_semester_meeting):
    return first_semester_meeting


def test_an_anonymous_visitor_is_sent_to_log_in(client, meeting):
    response = client.get(history_url(meeting))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model._meta.label)
def test_a_consulta_reader_sees_the_history_of_every_record_she_may_view(
    reader_client, reader, model
):
    record = FACTORIES[model]()
    assert reader.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    assert reader_client.get(history_url(record)).status_code == 200


def test_the_history_of_a_finalized_report_is_shown_to_consulta(reader_client, finalized_report):
    assert reader_client.get(history_url(finalized_report)).status_code == 200


@pytest.fixture
def draft_report(db):
    return SemiannualReport.objects.create(year=2021, half=2, conclusions=NARRATIVE)


@pytest.mark.parametrize("role", ["reader_client", "coordinator_client"])
def test_a_draft_reports_narrative_cannot_be_read_through_its_history(request, role, draft_report):
    client = request.getfixturevalue(role)
    assert client.get(draft_report.get_absolute_url()).status_code == 403

    response = client.get(history_url(draft_report))

    assert response.status_code == 403
    assert NARRATIVE not in response.content.decode()


@pytest.mark.parametrize("role", ["secretary_client", "admin_client_user"])
def test_who_may_work_on_drafts_reads_a_draft_reports_history(request, role, draft_report):
    response = request.getfixturevalue(role).get(history_url(draft_report))
    assert response.status_code == 200
    assert NARRATIVE in response.content.decode()


def test_a_deleted_draft_reports_history_stays_closed_to_consulta(reader_client, draft_report):
    url = history_url(draft_report)
    draft_report.delete()
    assert reader_client.get(url).status_code == 403


def test_a_user_without_the_permission_is_refused_before_the_method_is_checked(
    client, outsider, meeting
):
    client.force_login(outsider)
    assert client.post(history_url(meeting)).status_code == 403


def test_a_user_with_no_role_is_refused(client, outsider, meeting):
    client.force_login(outsider)
    assert client.get(history_url(meeting)).status_code == 403


@pytest.mark.parametrize(
    "app_label, model_name",
    [
        ("auth", "user"),
        ("observance", "historicalmeeting"),
        ("observance", "nosuchmodel"),
        ("sessions", "session"),
        ("nosuchapp", "meeting"),
    ],
)
def test_models_outside_our_apps_or_without_history_have_no_history_page(
    reader_client, meeting, app_label, model_name
):
    url = reverse("record-history", args=[app_label, model_name, meeting.pk])
    assert reader_client.get(url).status_code == 404


def test_a_record_that_never_existed_has_no_history_page(reader_client, db):
    url = reverse("record-history", args=["observance", "meeting", 999_999])
    assert reader_client.get(url).status_code == 404


def test_a_number_too_large_for_the_database_is_not_found(reader_client, db):
    url = reverse("record-history", args=["observance", "meeting", 10**30])
    assert reader_client.get(url).status_code == 404


def test_a_page_number_typed_by_hand_is_answered(reader_client, meeting):
    for page in ("abc", "0", "-1", "99999", "\x00"):
        response = reader_client.get(history_url(meeting), {"page": page})
        assert response.status_code == 200


def test_the_history_page_does_not_answer_post(reader_client, meeting):
    assert reader_client.post(history_url(meeting)).status_code == 405
    assert Meeting.objects.filter(pk=meeting.pk).exists()
