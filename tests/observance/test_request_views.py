import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from observance.models import InformationRequest, RequestEvent
from tests.institutions.factories import make_area, make_institution

from .page_data import PDF_BYTES, PNG_BYTES, days_ago, make_process, make_request


def event_url(request):
    return reverse("observance:request-event", args=[request.pk])


def event_data(kind, occurred_on, **extra):
    return {"kind": kind, f"{kind}-occurred_on": occurred_on.isoformat(), **extra}


def test_coordinator_records_a_request_with_its_letter(coordinator_client):
    institution = make_institution()
    letter = SimpleUploadedFile("oficio.pdf", PDF_BYTES, "application/pdf")
    response = coordinator_client.post(
        reverse("observance:request-create"),
        {
            "institution": institution.pk,
            "subject": "Retornados atendidos",
            "sent_on": "04/01/2021",
            "channel": "email",
            "request_file": letter,
        },
    )
    request = InformationRequest.objects.get()
    assert response.url == request.get_absolute_url()
    assert request.due_on == datetime.date(2021, 1, 14)
    assert request.request_file


def test_request_with_a_file_that_is_not_a_document_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("observance:request-create"),
        {
            "institution": make_institution().pk,
            "subject": "Retornados atendidos",
            "sent_on": "2021-01-04",
            "channel": "email",
            "request_file": SimpleUploadedFile("oficio.exe", b"MZ\x90\x00", "application/x"),
        },
    )
    assert response.context["form"].errors.as_data()["request_file"][0].code == "file_type"
    assert response.context["form"]["subject"].value() == "Retornados atendidos"
    assert not InformationRequest.objects.exists()


def test_request_page_explains_how_the_due_date_was_computed(coordinator_client):
    request = make_request(sent_on=datetime.date(2021, 1, 4))
    response = coordinator_client.get(request.get_absolute_url())
    assert response.context["deadline_lines"] == request.deadline_explanation()
    assert "14/01/2021" in response.content.decode()


def test_full_answer_closes_the_request_and_shows_on_its_timeline(coordinator_client):
    request = make_request(sent_on=datetime.date(2021, 1, 4))
    response = coordinator_client.post(
        event_url(request),
        event_data(
            "answered_fully",
            datetime.date(2021, 1, 10),
            **{"answered_fully-response_file": SimpleUploadedFile("r.png", PNG_BYTES)},
        ),
    )
    request.refresh_from_db()
    assert response.url == request.get_absolute_url()
    assert request.answered_on == datetime.date(2021, 1, 10)
    assert request.response_file
    timeline = coordinator_client.get(request.get_absolute_url()).context["events"]
    assert [event.kind for event in timeline] == ["answered_fully"]


def test_response_dated_before_its_request_is_refused_next_to_the_date(coordinator_client):
    request = make_request(sent_on=datetime.date(2021, 1, 4))
    response = coordinator_client.post(
        event_url(request), event_data("answered_partly", datetime.date(2021, 1, 1))
    )
    assert response.status_code == 200
    form = next(f for f in response.context["event_forms"] if f.kind == "answered_partly")
    assert form.has_error("occurred_on")
    request.refresh_from_db()
    assert request.answered_on is None
    assert not RequestEvent.objects.exists()


def test_a_second_extension_is_refused(coordinator_client):
    request = make_request(sent_on=datetime.date(2021, 1, 4))
    coordinator_client.post(event_url(request), event_data("extension", datetime.date(2021, 1, 8)))
    response = coordinator_client.post(
        event_url(request), event_data("extension", datetime.date(2021, 1, 9))
    )
    form = next(f for f in response.context["event_forms"] if f.kind == "extension")
    assert form.non_field_errors()
    assert RequestEvent.objects.filter(kind="extension").count() == 1


def test_extension_moves_the_due_date_five_days(coordinator_client):
    request = make_request(sent_on=datetime.date(2021, 1, 4))
    coordinator_client.post(event_url(request), event_data("extension", datetime.date(2021, 1, 8)))
    request.refresh_from_db()
    assert request.due_on == datetime.date(2021, 1, 19)


def test_insisting_on_an_overdue_request_is_recorded_with_notes(coordinator_client):
    request = make_request(sent_on=days_ago(40))
    coordinator_client.post(
        event_url(request),
        event_data(
            "correction_asked", timezone.localdate(), **{"correction_asked-notes": "Oficio 123"}
        ),
    )
    assert RequestEvent.objects.get().notes == "Oficio 123"


def test_unknown_event_kind_changes_nothing(coordinator_client):
    request = make_request()
    response = coordinator_client.post(event_url(request), {"kind": "sent"})
    assert response.status_code == 302
    assert not RequestEvent.objects.exists()


def test_event_actions_are_post_only(coordinator_client):
    assert coordinator_client.get(event_url(make_request())).status_code == 405


def test_editing_a_request_offers_only_its_institutions_areas(coordinator_client):
    request = make_request()
    own = make_area(request.institution)
    make_area()
    response = coordinator_client.get(reverse("observance:request-update", args=[request.pk]))
    assert list(response.context["form"].fields["areas"].queryset) == [own]


@pytest.fixture
def requests_by_state(db):
    today = timezone.localdate()
    overdue = make_request(sent_on=today - datetime.timedelta(days=30), subject="vencida")
    due_soon = make_request(sent_on=today - datetime.timedelta(days=7), subject="pronto")
    later = make_request(sent_on=today, subject="reciente")
    on_time = make_request(sent_on=today - datetime.timedelta(days=40), subject="a tiempo")
    on_time.answered_on, on_time.outcome = on_time.sent_on, "answered_fully"
    on_time.save()
    late = make_request(sent_on=today - datetime.timedelta(days=40), subject="tarde")
    late.answered_on, late.outcome = today, "refused"
    late.save()
    return {
        "overdue": overdue,
        "due_soon": due_soon,
        "later": later,
        "on_time": on_time,
        "late": late,
    }


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("open", {"overdue", "due_soon", "later"}),
        ("overdue", {"overdue"}),
        ("due_soon", {"due_soon"}),
        ("on_time", {"on_time"}),
        ("late", {"late"}),
    ],
)
def test_request_list_filters_by_state_computed_in_the_database(
    coordinator_client, requests_by_state, state, expected
):
    response = coordinator_client.get(reverse("observance:request-list") + f"?state={state}")
    assert set(response.context["object_list"]) == {requests_by_state[k] for k in expected}


def test_request_list_marks_overdue_requests_with_their_days(coordinator_client, requests_by_state):
    response = coordinator_client.get(reverse("observance:request-list"))
    page = response.content.decode()
    assert page.count('class="badge text-bg-danger overdue"') == 1
    assert requests_by_state["overdue"].days_overdue == 20


def test_request_list_filters_by_sent_dates_institution_process_and_search(coordinator_client):
    process = make_process()
    first = make_request(sent_on=datetime.date(2021, 2, 1), process=process, subject="Cifras")
    second = make_request(sent_on=datetime.date(2021, 8, 1))
    url = reverse("observance:request-list")
    cases = {
        "sent_after=2021-07-01": {second},
        "sent_before=01/03/2021": {first},
        f"institution={first.institution_id}": {first},
        f"process={process.pk}": {first},
        "q=cifr": {first},
    }
    for query, expected in cases.items():
        assert set(coordinator_client.get(f"{url}?{query}").context["object_list"]) == expected


def test_answer_with_a_response_file_that_is_not_a_document_saves_nothing(coordinator_client):
    request = make_request(sent_on=datetime.date(2021, 1, 4))
    response = coordinator_client.post(
        event_url(request),
        event_data(
            "answered_fully",
            datetime.date(2021, 1, 10),
            **{"answered_fully-response_file": SimpleUploadedFile("r.pdf", b"MZ\x90\x00")},
        ),
    )
    form = next(f for f in response.context["event_forms"] if f.kind == "answered_fully")
    assert form.has_error("response_file")
    request.refresh_from_db()
    assert (request.answered_on, bool(request.response_file)) == (None, False)


def test_the_request_list_shows_overdue_requests_first(coordinator_client):
    institution = make_institution()
    today = timezone.localdate()
    answered = InformationRequest.objects.create(
        institution=institution,
        subject="Respondida",
        sent_on=today - datetime.timedelta(days=40),
        answered_on=today - datetime.timedelta(days=35),
        outcome="answered_fully",
    )
    open_request = InformationRequest.objects.create(
        institution=institution, subject="En plazo", sent_on=today - datetime.timedelta(days=2)
    )
    overdue = InformationRequest.objects.create(
        institution=institution, subject="Vencida", sent_on=today - datetime.timedelta(days=30)
    )

    listed = list(coordinator_client.get("/solicitudes/").context["object_list"])

    assert listed == [overdue, open_request, answered]


def test_the_request_list_order_is_the_one_a_coordinator_works_through(coordinator_client):
    """Overdue by deadline, then open by deadline, then answered (the latest sent first); a
    tie keeps the latest recorded first. Read from an index, the order must stay this one."""
    institution = make_institution()
    today = timezone.localdate()
    requests = []
    for days_ago_sent in (90, 45, 45, 31, 20, 3, 3, 0):
        requests.append(
            InformationRequest.objects.create(
                institution=institution,
                subject=f"Abierta {days_ago_sent}",
                sent_on=today - datetime.timedelta(days=days_ago_sent),
            )
        )
    for days_ago_sent in (200, 60, 60, 10):
        requests.append(
            InformationRequest.objects.create(
                institution=institution,
                subject=f"Respondida {days_ago_sent}",
                sent_on=today - datetime.timedelta(days=days_ago_sent),
                answered_on=today - datetime.timedelta(days=max(days_ago_sent - 5, 0)),
                outcome="answered_fully",
            )
        )
    overdue = sorted(
        (r for r in requests if r.answered_on is None and r.due_on < today),
        key=lambda r: (r.due_on, -r.sent_on.toordinal(), -r.pk),
    )
    pending = sorted(
        (r for r in requests if r.answered_on is None and r.due_on >= today),
        key=lambda r: (r.due_on, -r.sent_on.toordinal(), -r.pk),
    )
    answered = sorted(
        (r for r in requests if r.answered_on is not None),
        key=lambda r: (-r.sent_on.toordinal(), -r.pk),
    )
    assert overdue and pending  # both kinds of open request are in the list

    listed = list(coordinator_client.get("/solicitudes/").context["object_list"])

    assert [r.subject for r in listed] == [r.subject for r in overdue + pending + answered]
    assert listed == overdue + pending + answered
