"""A coordinator takes a request up the escalation ladder on the request's own page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observance.models import EscalationTerm, RequestEvent
from observance.services import escalation_outcome_record, request_escalate

from .page_data import PDF_BYTES, days_ago, make_request

pytestmark = pytest.mark.django_db

INSIST = RequestEvent.Kind.CORRECTION_ASKED
DEFENSORIA = RequestEvent.Kind.DEFENSORIA


@pytest.fixture(autouse=True)
def terms():
    EscalationTerm.objects.update_or_create(step=1, defaults={"days": 10, "counting": "calendar"})
    EscalationTerm.objects.update_or_create(step=2, defaults={"days": 30, "counting": "calendar"})


def event_url(request):
    return reverse("observance:request-event", args=[request.pk])


def outcome_url(step):
    return reverse("observance:escalation-outcome", args=[step.request_id, step.pk])


def step_data(kind, day, **extra):
    return {"kind": kind, f"{kind}-occurred_on": day.isoformat(), **extra}


def outcome_data(outcome, day):
    return {"outcome-outcome": outcome, "outcome-outcome_on": day.isoformat()}


def overdue_request():
    return make_request(sent_on=days_ago(40), subject="Atención a retornados")


def insisted(request, day=20):
    return request_escalate(request=request, kind=INSIST, occurred_on=days_ago(day))


def test_an_overdue_request_offers_only_the_insistence(coordinator_client):
    response = coordinator_client.get(overdue_request().get_absolute_url())
    assert response.context["ladder_form"].kind == INSIST
    kinds = [form.kind for form in response.context["event_forms"]]
    assert not set(kinds) & set(RequestEvent.LADDER)
    assert b'data-testid="ladder-form"' in response.content


def test_a_request_within_its_deadline_offers_no_step(coordinator_client):
    response = coordinator_client.get(make_request(sent_on=days_ago(2)).get_absolute_url())
    assert response.context["ladder_form"] is None
    assert b'data-testid="ladder"' not in response.content


def test_the_coordinator_files_the_insistence_with_its_letter(coordinator_client):
    request = overdue_request()
    letter = SimpleUploadedFile("insistencia.pdf", PDF_BYTES, "application/pdf")
    response = coordinator_client.post(
        event_url(request),
        step_data(INSIST, days_ago(20), **{f"{INSIST}-document": letter}),
    )
    assert response.status_code == 302
    step = RequestEvent.objects.get(request=request)
    assert (step.kind, step.due_on, step.outcome) == (INSIST, days_ago(10), "pending")
    assert step.document
    page = coordinator_client.get(request.get_absolute_url()).content.decode()
    assert days_ago(10).strftime("%d/%m/%Y") in page
    assert "Insistencia o pedido de corrección" in page


def test_the_letter_is_downloaded_only_by_who_may_see_the_request(
    coordinator_client, client, outsider
):
    request = overdue_request()
    letter = SimpleUploadedFile("insistencia.pdf", PDF_BYTES, "application/pdf")
    coordinator_client.post(
        event_url(request), step_data(INSIST, days_ago(20), **{f"{INSIST}-document": letter})
    )
    step = RequestEvent.objects.get()
    url = reverse("protected-file", args=["observance", "requestevent", step.pk, "document"])
    assert coordinator_client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_file_that_is_no_document_is_refused_next_to_its_field(coordinator_client):
    request = overdue_request()
    fake = SimpleUploadedFile("insistencia.pdf", b"not a pdf at all", "application/pdf")
    response = coordinator_client.post(
        event_url(request), step_data(INSIST, days_ago(20), **{f"{INSIST}-document": fake})
    )
    assert response.status_code == 200
    assert response.context["ladder_form"].has_error("document")
    assert not RequestEvent.objects.exists()


def test_a_step_dated_before_the_tacit_denial_is_refused_in_spanish_next_to_the_date(
    coordinator_client,
):
    request = overdue_request()
    response = coordinator_client.post(event_url(request), step_data(INSIST, request.due_on))
    form = response.context["ladder_form"]
    assert form.errors["occurred_on"][0].startswith("La denegación tácita empieza")
    assert "La denegación tácita empieza" in response.content.decode()
    assert not RequestEvent.objects.exists()


def test_the_defensoria_posted_before_the_insistence_is_refused(coordinator_client):
    request = overdue_request()
    response = coordinator_client.post(event_url(request), step_data(DEFENSORIA, days_ago(5)))
    assert response.status_code == 200
    assert response.context["ladder_form"].non_field_errors() == [
        "Los pasos se dan en orden: el siguiente es «Insistencia o pedido de corrección»."
    ]
    assert not RequestEvent.objects.exists()


def test_the_outcome_is_recorded_later_and_the_defensoria_is_offered_next(coordinator_client):
    request = overdue_request()
    step = insisted(request)
    page = coordinator_client.get(request.get_absolute_url())
    assert page.context["ladder_form"] is None
    assert page.context["outcome_form"].event == step

    response = coordinator_client.post(outcome_url(step), outcome_data("no_answer", days_ago(8)))
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.outcome, step.outcome_on) == ("no_answer", days_ago(8))
    page = coordinator_client.get(request.get_absolute_url())
    assert page.context["ladder_form"].kind == DEFENSORIA


def test_an_outcome_dated_before_its_step_is_refused_next_to_its_date(coordinator_client):
    step = insisted(overdue_request())
    response = coordinator_client.post(outcome_url(step), outcome_data("rejected", days_ago(25)))
    assert response.status_code == 200
    assert response.context["outcome_form"].has_error("outcome_on")
    step.refresh_from_db()
    assert step.outcome == "pending"


def test_the_ladder_shows_where_the_request_stands(coordinator_client):
    request = overdue_request()
    escalation_outcome_record(
        event=insisted(request, day=29), outcome="no_answer", outcome_on=days_ago(22)
    )
    request_escalate(request=request, kind=DEFENSORIA, occurred_on=days_ago(20))
    response = coordinator_client.get(request.get_absolute_url())
    states = [(row["step"].value, row["state"]) for row in response.context["ladder"]]
    assert states == [(1, "done"), (2, "current"), (3, "later")]
    page = response.content.decode()
    assert "Queja ante la Defensoría del Pueblo" in page
    assert days_ago(-10).strftime("%d/%m/%Y") in page  # the Defensoría's answer due


def test_a_step_recorded_before_the_ladder_still_shows_on_it(coordinator_client):
    request = make_request(sent_on=days_ago(40))
    # Written as old data was, straight into the timeline, with no insistence before it.
    RequestEvent.objects.create(request=request, kind=DEFENSORIA, occurred_on=days_ago(25))
    response = coordinator_client.get(request.get_absolute_url())
    states = [(row["step"].value, row["state"]) for row in response.context["ladder"]]
    assert states == [(1, "later"), (2, "current"), (3, "later")]
    assert len(response.context["events"]) == 1


def test_a_reader_sees_the_ladder_but_no_form_and_cannot_post(reader_client):
    request = overdue_request()
    step = insisted(request)
    response = reader_client.get(request.get_absolute_url())
    assert "outcome_form" not in response.context
    assert b'data-testid="ladder"' in response.content
    assert (
        reader_client.post(outcome_url(step), outcome_data("rejected", days_ago(1))).status_code
        == 403
    )
    assert (
        reader_client.post(event_url(request), step_data(DEFENSORIA, days_ago(1))).status_code
        == 403
    )


def test_recording_an_outcome_is_post_only(coordinator_client):
    step = insisted(overdue_request())
    assert coordinator_client.get(outcome_url(step)).status_code == 405


def test_an_outcome_on_another_requests_step_is_not_found(coordinator_client):
    step = insisted(overdue_request())
    other = overdue_request()
    url = reverse("observance:escalation-outcome", args=[other.pk, step.pk])
    assert coordinator_client.post(url, outcome_data("rejected", days_ago(1))).status_code == 404


def test_the_request_page_reads_a_fixed_number_of_queries_on_the_ladder(
    coordinator_client, django_assert_max_num_queries
):
    request = overdue_request()
    escalation_outcome_record(
        event=insisted(request, day=29), outcome="no_answer", outcome_on=days_ago(22)
    )
    request_escalate(request=request, kind=DEFENSORIA, occurred_on=days_ago(20))
    with django_assert_max_num_queries(11):
        response = coordinator_client.get(request.get_absolute_url())
    assert response.status_code == 200
