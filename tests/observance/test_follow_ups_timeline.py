"""The recommendation's page shows its follow-ups as a timeline, and records new ones.

Each follow-up is dated, with the level it records, its notes and its evidence (a file checked
like every upload, handed out only to whoever may view the recommendation). The form on the page
needs ``observance.add_followup``, is a POST with CSRF, and refuses in Spanish, next to the date,
a follow-up dated before the proposal or after today.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from observance.forms import FILE_AGAIN
from observance.models import FollowUp, Recommendation
from tests.conftest import make_user

from .page_data import PDF_BYTES, make_follow_up, make_recommendation

C = Recommendation.Compliance
PROPOSED = datetime.date(2021, 6, 10)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def follow_up_url(recommendation):
    return reverse("observance:recommendation-follow-up", args=[recommendation.pk])


def evidence_url(follow_up):
    return reverse("protected-file", args=["observance", "followup", follow_up.pk, "evidence"])


def pdf(name="oficio.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, "application/pdf")


def post_follow_up(client, recommendation, **fields):
    data = {"checked_on": "2021-07-01", "compliance": C.PARTLY_COMPLIED, "notes": ""} | fields
    return client.post(follow_up_url(recommendation), data)


@pytest.fixture
def recommendation(db):
    return make_recommendation(proposed_on=PROPOSED)


# The timeline


def test_the_timeline_shows_each_follow_up_latest_first_with_date_level_and_notes(
    reader_client, recommendation
):
    make_follow_up(recommendation, checked_on=datetime.date(2021, 7, 1), compliance=C.IN_PROGRESS)
    make_follow_up(
        recommendation,
        checked_on=datetime.date(2021, 9, 15),
        compliance=C.COMPLIED,
        notes="Publicó la ruta de atención",
    )

    page = reader_client.get(recommendation.get_absolute_url()).content.decode()

    later = page.index("15/09/2021")
    assert later < page.index("01/07/2021")
    assert page.index("Cumplida", later) < page.index("01/07/2021")
    assert "Publicó la ruta de atención" in page
    assert page.index("En curso", later) > page.index("01/07/2021")


def test_the_page_shows_the_latest_follow_ups_level_as_the_compliance(
    reader_client, recommendation
):
    make_follow_up(recommendation, checked_on=datetime.date(2021, 9, 1), compliance=C.COMPLIED)
    make_follow_up(recommendation, checked_on=datetime.date(2021, 7, 1), compliance=C.NOT_COMPLIED)

    response = reader_client.get(recommendation.get_absolute_url())

    assert 'data-testid="compliance">Cumplida<' in response.content.decode()


def test_a_recommendation_without_follow_ups_shows_pending(reader_client, recommendation):
    response = reader_client.get(recommendation.get_absolute_url())

    assert 'data-testid="compliance">Pendiente<' in response.content.decode()


def test_the_detail_page_runs_the_same_queries_with_one_follow_up_as_with_thirty(
    coordinator_client, recommendation, django_assert_max_num_queries
):
    def queries():
        with django_assert_max_num_queries(9) as captured:
            response = coordinator_client.get(recommendation.get_absolute_url())
        assert response.status_code == 200
        return len(captured)

    make_follow_up(recommendation, evidence=pdf())
    few = queries()
    for number in range(29):
        make_follow_up(recommendation, notes=f"Revisión {number}", evidence=pdf())

    assert queries() == few


# Recording a follow-up with its evidence


def test_a_coordinator_records_a_follow_up_with_its_evidence(coordinator_client, recommendation):
    response = post_follow_up(
        coordinator_client, recommendation, notes="Oficio de respuesta", evidence=pdf()
    )

    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.checked_on, follow_up.compliance, follow_up.notes) == (
        datetime.date(2021, 7, 1),
        C.PARTLY_COMPLIED,
        "Oficio de respuesta",
    )
    assert follow_up.evidence.read() == PDF_BYTES


def test_the_evidence_is_linked_from_the_timeline_and_downloads(reader_client, recommendation):
    follow_up = make_follow_up(recommendation, evidence=pdf())

    page = reader_client.get(recommendation.get_absolute_url()).content.decode()
    download = reader_client.get(evidence_url(follow_up))

    assert evidence_url(follow_up) in page
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_file_that_is_not_what_its_name_says_is_refused_and_the_notes_kept(
    coordinator_client, recommendation
):
    forged = pdf(content=b"MZ\x90\x00 not a pdf at all")

    response = post_follow_up(
        coordinator_client, recommendation, notes="Texto a conservar", evidence=forged
    )

    form = response.context["follow_up_form"]
    assert response.status_code == 200
    assert form.has_error("evidence")
    assert str(FILE_AGAIN) in form.errors["evidence"]
    assert "Texto a conservar</textarea>" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_a_follow_up_dated_before_the_proposal_is_refused_in_spanish_next_to_the_date(
    coordinator_client, recommendation
):
    response = post_follow_up(coordinator_client, recommendation, checked_on="2021-06-09")

    errors = response.context["follow_up_form"].errors["checked_on"]
    assert errors == [
        "Un seguimiento no puede tener fecha anterior al planteamiento de la recomendación."
    ]
    assert not FollowUp.objects.exists()


def test_a_follow_up_dated_after_today_is_refused_in_spanish_next_to_the_date(
    coordinator_client, recommendation
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = post_follow_up(coordinator_client, recommendation, checked_on=tomorrow.isoformat())

    errors = response.context["follow_up_form"].errors["checked_on"]
    assert errors == [f"La fecha no puede ser posterior a hoy ({timezone.localdate():%d/%m/%Y})."]
    assert not FollowUp.objects.exists()
    assert Recommendation.objects.get().compliance == C.PENDING


def test_a_follow_up_dated_today_is_recorded(coordinator_client, recommendation):
    post_follow_up(coordinator_client, recommendation, checked_on=timezone.localdate().isoformat())

    assert FollowUp.objects.get().checked_on == timezone.localdate()


def test_a_recorded_follow_up_keeps_who_recorded_it_in_its_history(
    coordinator_client, coordinator, recommendation
):
    post_follow_up(coordinator_client, recommendation)

    version = FollowUp.objects.get().history.get()
    assert (version.history_type, version.history_user) == ("+", coordinator)


# Who may record and who may see the evidence


def test_a_reader_sees_no_follow_up_form(reader_client, recommendation):
    response = reader_client.get(recommendation.get_absolute_url())

    assert 'data-testid="follow-up-form"' not in response.content.decode()


def test_a_reader_cannot_record_a_follow_up(reader_client, recommendation):
    response = post_follow_up(reader_client, recommendation)

    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_the_follow_up_address_rejects_get(coordinator_client, recommendation):
    assert coordinator_client.get(follow_up_url(recommendation)).status_code == 405


def test_a_follow_up_posted_without_its_csrf_token_is_refused(coordinator, recommendation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = post_follow_up(client, recommendation)

    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_for_the_evidence(client, recommendation):
    follow_up = make_follow_up(recommendation, evidence=pdf())

    response = client.get(evidence_url(follow_up))

    assert response.status_code == 302
    assert "/cuentas/login/" in response.url


def test_the_evidence_is_refused_to_whoever_may_not_view_the_recommendation(recommendation):
    """Seeing follow-ups is not enough: the evidence belongs to the recommendation."""
    follow_up = make_follow_up(recommendation, evidence=pdf())
    frank = make_user("frank")
    frank.user_permissions.add(Permission.objects.get(codename="view_followup"))
    client = Client()
    client.force_login(frank)

    assert client.get(evidence_url(follow_up)).status_code == 403
