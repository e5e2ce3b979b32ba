"""A request's timeline corrected in the admin: the request's state follows it, as in the app."""

import datetime

from django.urls import reverse

from observance.models import InformationRequest, RequestEvent
from tests.conftest import edit_version

from .conftest import START, make_request

ANSWERED = datetime.date(2021, 1, 12)


def timeline_rows(*rows, initial=0):
    """The inline management form plus one row per (kind, date[, pk, delete]) tuple."""
    data = {
        "events-TOTAL_FORMS": str(len(rows)),
        "events-INITIAL_FORMS": str(initial),
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    for index, (kind, day, *existing) in enumerate(rows):
        data |= {f"events-{index}-kind": kind, f"events-{index}-occurred_on": day.isoformat()}
        if existing:
            pk, delete = existing
            data |= {f"events-{index}-id": str(pk), f"events-{index}-request": ""}
            if delete:
                data[f"events-{index}-DELETE"] = "on"
    return data


def post_request_change(client, request_, rows_data):
    """Post the request's change page as it stands, with the timeline rows given."""
    url = reverse("admin:observance_informationrequest_change", args=[request_.pk])
    unchanged = {
        "institution": request_.institution_id,
        "process": request_.process_id,
        "subject": request_.subject,
        "sent_on": request_.sent_on.strftime("%d/%m/%Y"),
        "channel": request_.channel,
        "outcome": request_.outcome,
        "answered_on": request_.answered_on.strftime("%d/%m/%Y") if request_.answered_on else "",
        "response_summary": request_.response_summary,
    }
    return client.post(url, unchanged | rows_data | edit_version(request_))


def test_an_answer_added_to_the_timeline_closes_the_request(admin_client_user):
    request_ = make_request()
    response = post_request_change(
        admin_client_user, request_, timeline_rows((RequestEvent.Kind.ANSWERED_PARTLY, ANSWERED))
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert (request_.answered_on, request_.outcome) == (
        ANSWERED,
        InformationRequest.Outcome.ANSWERED_PARTLY,
    )


def test_an_extension_added_to_the_timeline_moves_the_due_date(admin_client_user):
    request_ = make_request()
    due_before = request_.due_on
    post_request_change(
        admin_client_user,
        request_,
        timeline_rows((RequestEvent.Kind.EXTENSION, START + datetime.timedelta(days=3))),
    )
    request_.refresh_from_db()
    assert request_.extension_notified_on == START + datetime.timedelta(days=3)
    assert request_.due_on > due_before


def test_deleting_the_answer_from_the_timeline_reopens_the_request(admin_client_user):
    request_ = make_request(
        outcome=InformationRequest.Outcome.REFUSED, answered_on=ANSWERED, response_summary="No."
    )
    event = RequestEvent.objects.create(
        request=request_, kind=RequestEvent.Kind.REFUSED, occurred_on=ANSWERED
    )
    response = post_request_change(
        admin_client_user,
        request_,
        timeline_rows((RequestEvent.Kind.REFUSED, ANSWERED, event.pk, True), initial=1),
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert (request_.answered_on, request_.outcome) == (None, InformationRequest.Outcome.PENDING)


def test_a_note_on_the_timeline_leaves_an_answer_set_by_hand_alone(admin_client_user):
    request_ = make_request(outcome=InformationRequest.Outcome.ANSWERED_FULLY, answered_on=ANSWERED)
    post_request_change(
        admin_client_user, request_, timeline_rows((RequestEvent.Kind.CORRECTION_ASKED, ANSWERED))
    )
    request_.refresh_from_db()
    assert request_.answered_on == ANSWERED
    assert request_.events.count() == 1


def test_a_timeline_that_breaks_the_lotaip_rules_is_refused_whole(admin_client_user):
    request_ = make_request()
    response = post_request_change(
        admin_client_user,
        request_,
        timeline_rows(
            (RequestEvent.Kind.ANSWERED_FULLY, ANSWERED),
            (RequestEvent.Kind.EXTENSION, ANSWERED + datetime.timedelta(days=2)),
            (RequestEvent.Kind.REFUSED, START - datetime.timedelta(days=1)),
        ),
    )
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert "Un evento no puede tener fecha anterior al envío de la solicitud." in errors
    assert "La solicitud ya fue respondida." in errors
    request_.refresh_from_db()
    assert (request_.answered_on, request_.events.count()) == (None, 0)


def test_an_event_added_on_its_own_page_closes_its_request(admin_client_user, administrator):
    request_ = make_request()
    response = admin_client_user.post(
        reverse("admin:observance_requestevent_add"),
        {"request": request_.pk, "kind": RequestEvent.Kind.ANSWERED_FULLY, "occurred_on": ANSWERED},
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.outcome == InformationRequest.Outcome.ANSWERED_FULLY
    assert request_.events.get().recorded_by == administrator


def test_an_event_on_its_own_page_is_checked_against_the_rest_of_the_timeline(
    admin_client_user,
):
    request_ = make_request(outcome=InformationRequest.Outcome.ANSWERED_FULLY, answered_on=ANSWERED)
    RequestEvent.objects.create(
        request=request_, kind=RequestEvent.Kind.ANSWERED_FULLY, occurred_on=ANSWERED
    )
    response = admin_client_user.post(
        reverse("admin:observance_requestevent_add"),
        {"request": request_.pk, "kind": RequestEvent.Kind.REFUSED, "occurred_on": ANSWERED},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "La solicitud ya fue respondida." in errors
    assert request_.events.count() == 1


def test_deleting_an_answer_on_its_own_page_reopens_the_request(admin_client_user):
    request_ = make_request(outcome=InformationRequest.Outcome.ANSWERED_FULLY, answered_on=ANSWERED)
    event = RequestEvent.objects.create(
        request=request_, kind=RequestEvent.Kind.ANSWERED_FULLY, occurred_on=ANSWERED
    )
    response = admin_client_user.post(
        reverse("admin:observance_requestevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.answered_on is None
