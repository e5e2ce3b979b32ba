"""A meeting's commitments are records: made on the meeting's form in the same save, listed on
the meeting, its institution, the dashboard and their own list, and closed with a note."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observance.models import Commitment, Meeting
from observance.views.dashboard import ROWS
from tests.allies.factories import make_ally
from tests.conftest import edit_version
from tests.institutions.factories import make_institution
from tests.observance.test_list_views import DASHBOARD_QUERIES

from .page_data import days_ago, make_meeting_at

HELD_AT = "2021-03-15T10:30"


def rows(*commitments, initial=0):
    """The commitments part of a posted meeting form: one row per dict, with its index."""
    data = {
        "commitments-TOTAL_FORMS": str(len(commitments)),
        "commitments-INITIAL_FORMS": str(initial),
    }
    for index, row in enumerate(commitments):
        for name, value in row.items():
            data[f"commitments-{index}-{name}"] = value
    return data


def new_meeting(institution, *commitments, **extra):
    return {
        "held_at": HELD_AT,
        "modality": "virtual",
        "institution": institution.pk,
        "purpose": "Presentar el observatorio",
        **rows(*commitments),
        **extra,
    }


def make_meeting(held_at=None, **fields):
    held_at = held_at or timezone.make_aware(datetime.datetime(2021, 3, 15, 10, 30))
    return make_meeting_at(held_at, **fields)


def make_commitment(meeting=None, **fields):
    fields.setdefault("text", "Designar un punto focal")
    return Commitment.objects.create(meeting=meeting or make_meeting(), **fields)


def test_a_meeting_is_logged_with_two_commitments_in_one_save(coordinator_client):
    institution = make_institution()
    response = coordinator_client.post(
        reverse("observance:meeting-create"),
        new_meeting(
            institution,
            {"text": "Designar un punto focal", "who": "counterpart", "due_on": "2021-04-15"},
            {"text": "Enviar el esquema de observancia", "who": "observatory", "due_on": ""},
        ),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert [(c.text, c.who, c.due_on, c.status) for c in meeting.commitments.order_by("pk")] == [
        ("Designar un punto focal", "counterpart", datetime.date(2021, 4, 15), "pending"),
        ("Enviar el esquema de observancia", "observatory", None, "pending"),
    ]


def test_an_empty_row_adds_nothing(coordinator_client):
    coordinator_client.post(
        reverse("observance:meeting-create"),
        new_meeting(make_institution(), {"text": "", "who": "counterpart", "due_on": ""}),
    )
    assert Meeting.objects.count() == 1
    assert not Commitment.objects.exists()


def test_a_wrong_row_saves_nothing_and_keeps_what_was_typed(coordinator_client):
    response = coordinator_client.post(
        reverse("observance:meeting-create"),
        new_meeting(
            make_institution(),
            {"text": "Designar un punto focal", "who": "counterpart", "due_on": "2021-04-15"},
            {"text": "Enviar el esquema", "who": "observatory", "due_on": "2021-03-01"},
        ),
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists() and not Commitment.objects.exists()
    second = response.context["commitments"].forms[1]
    assert second.errors["due_on"] == [
        "Un compromiso no puede vencer antes de su reunión (15/03/2021)."
    ]
    page = response.content.decode()
    assert "Designar un punto focal" in page and "Enviar el esquema" in page
    assert 'data-testid="commitment-errors"' in page


def test_a_row_without_its_text_is_refused_next_to_it(coordinator_client):
    response = coordinator_client.post(
        reverse("observance:meeting-create"),
        new_meeting(make_institution(), {"text": "", "who": "observatory", "due_on": "2021-13-01"}),
    )
    assert not Meeting.objects.exists()
    errors = response.context["commitments"].forms[0].errors
    assert set(errors) == {"text", "due_on"}


def test_a_wrong_meeting_keeps_the_rows_typed(coordinator_client):
    response = coordinator_client.post(
        reverse("observance:meeting-create"),
        {
            **new_meeting(
                make_institution(), {"text": "Compartir la reforma", "who": "counterpart"}
            ),
            "purpose": "",
        },
    )
    assert response.status_code == 200
    assert not Commitment.objects.exists()
    assert "Compartir la reforma" in response.content.decode()


def test_the_empty_form_offers_one_row_that_works_without_javascript(coordinator_client):
    response = coordinator_client.get(reverse("observance:meeting-create"))
    page = response.content.decode()
    assert 'name="commitments-TOTAL_FORMS" value="1"' in page
    assert 'name="commitments-0-text"' in page
    assert "js/formset-rows.js" in page
    assert "<script>" not in page  # CSP: no inline script


def test_a_form_sent_twice_makes_one_meeting_and_one_set_of_commitments(coordinator_client):
    data = new_meeting(
        make_institution(),
        {"text": "Designar un punto focal", "who": "counterpart"},
        submission_token="3f1c8a4e-2b8d-4f55-9a55-2f3a9a0c1b11",
    )
    first = coordinator_client.post(reverse("observance:meeting-create"), data)
    second = coordinator_client.post(reverse("observance:meeting-create"), data)
    assert first.url == second.url
    assert Meeting.objects.count() == 1
    assert Commitment.objects.count() == 1


def test_secretaria_adds_closes_nothing_but_adds_commitments_on_the_minutes_form(
    secretary_client,
):
    meeting = make_meeting()
    kept = make_commitment(meeting, text="Primero")
    response = secretary_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        {
            "outcomes": "Acuerdos",
            **rows(
                {"id": kept.pk, "text": "Primero, corregido", "who": "counterpart"},
                {"text": "Segundo", "who": "observatory", "due_on": "2021-04-01"},
                initial=1,
            ),
            **edit_version(meeting),
        },
    )
    assert response.status_code == 302
    assert list(meeting.commitments.order_by("pk").values_list("text", "who")) == [
        ("Primero, corregido", "counterpart"),
        ("Segundo", "observatory"),
    ]


def test_a_commitment_is_removed_with_its_row_and_its_history_stays(coordinator_client):
    meeting = make_meeting()
    gone = make_commitment(meeting)
    coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        {
            "held_at": HELD_AT,
            "modality": "virtual",
            "institution": meeting.institution_id,
            "purpose": meeting.purpose,
            **rows(
                {"id": gone.pk, "text": gone.text, "who": "counterpart", "DELETE": "on"}, initial=1
            ),
            **edit_version(meeting),
        },
    )
    assert not Commitment.objects.exists()
    assert Commitment.history.filter(id=gone.pk, history_type="-").exists()


def test_an_edit_conflict_refuses_the_rows_too_and_keeps_them(coordinator_client, secretary):
    meeting = make_meeting()
    stale = edit_version(meeting)
    meeting.outcomes = "Otro guardó antes"
    meeting.save()
    response = coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        {
            "held_at": HELD_AT,
            "modality": "virtual",
            "institution": meeting.institution_id,
            "purpose": meeting.purpose,
            **rows({"text": "Escrito durante el conflicto", "who": "counterpart"}),
            **stale,
        },
    )
    assert response.status_code == 200
    assert response.context["edit_conflict"] is not None
    assert not Commitment.objects.exists()
    assert "Escrito durante el conflicto" in response.content.decode()


def test_the_meeting_page_lists_its_commitments(reader_client):
    meeting = make_meeting()
    make_commitment(meeting, text="Designar un punto focal", due_on=datetime.date(2021, 4, 1))
    response = reader_client.get(meeting.get_absolute_url())
    page = response.content.decode()
    assert "Designar un punto focal" in page
    assert "01/04/2021" in page
    assert 'data-testid="close-commitment"' not in page  # Consulta closes nothing


def test_the_meeting_page_keeps_its_queries_with_many_commitments(
    reader_client, django_assert_max_num_queries
):
    meeting = make_meeting()
    for number in range(40):
        make_commitment(meeting, text=f"Compromiso {number}")
    with django_assert_max_num_queries(10):
        response = reader_client.get(meeting.get_absolute_url())
    assert response.content.decode().count('class="commitment-row') == 40


def test_the_institution_page_lists_the_commitments_of_its_meetings(reader_client):
    institution = make_institution()
    make_commitment(make_meeting(institution=institution), text="Del ministerio")
    make_commitment(make_meeting(institution=make_institution()), text="De otra institución")
    response = reader_client.get(institution.get_absolute_url())
    page = response.content.decode()
    assert "Del ministerio" in page
    assert "De otra institución" not in page
    assert f"/compromisos/?institution={institution.pk}" in page


def test_the_institution_page_keeps_its_queries_with_many_commitments(
    reader_client, django_assert_max_num_queries
):
    institution = make_institution()
    for day in range(1, 29):
        meeting = make_meeting(
            timezone.make_aware(datetime.datetime(2021, 2, day, 10)), institution=institution
        )
        make_commitment(meeting, text=f"Compromiso {day}")
    with django_assert_max_num_queries(14):
        response = reader_client.get(institution.get_absolute_url())
    assert response.content.decode().count('class="commitment-row') == 20


# The list and its filters ----------------------------------------------------------------


def listed(client, **params):
    response = client.get(reverse("observance:commitment-list"), params)
    assert response.status_code == 200
    return {commitment.text for commitment in response.context["object_list"]}


@pytest.fixture
def commitments(db):
    institution = make_institution()
    meeting = make_meeting(institution=institution)
    ally_meeting = make_meeting(ally=make_ally())
    return {
        "overdue": make_commitment(meeting, text="Vencido", due_on=days_ago(3)),
        "soon": make_commitment(meeting, text="Pronto", who="observatory", due_on=days_ago(-5)),
        "later": make_commitment(ally_meeting, text="Lejano", due_on=days_ago(-60)),
        "done": make_commitment(
            ally_meeting,
            text="Cumplido",
            due_on=days_ago(40),
            status="done",
            closed_on=days_ago(30),
            closing_note="Se designó a la directora",
        ),
        "institution": institution,
    }


def test_the_list_filters_by_state(reader_client, commitments):
    assert listed(reader_client, state="overdue") == {"Vencido"}
    assert listed(reader_client, state="due_soon") == {"Pronto"}
    assert listed(reader_client, state="open") == {"Vencido", "Pronto", "Lejano"}
    assert listed(reader_client, state="closed") == {"Cumplido"}


def test_the_list_judges_the_state_on_the_day_asked(reader_client, commitments):
    before_closing = days_ago(35).isoformat()
    assert listed(reader_client, state="overdue", as_of=before_closing) == {"Cumplido"}
    assert listed(reader_client, state="closed", as_of=before_closing) == set()


def test_the_list_filters_by_who_status_and_institution(reader_client, commitments):
    assert listed(reader_client, who="observatory") == {"Pronto"}
    assert listed(reader_client, status="done") == {"Cumplido"}
    assert listed(reader_client, institution=commitments["institution"].pk) == {
        "Vencido",
        "Pronto",
    }


def test_the_list_filters_by_the_meetings_date(reader_client, commitments):
    early = make_meeting(timezone.make_aware(datetime.datetime(2020, 5, 1, 9)))
    make_commitment(early, text="De 2020")
    assert listed(reader_client, made_after="2020-01-01", made_before="2020-12-31") == {"De 2020"}


def test_the_meetings_date_is_their_day_in_ecuador(reader_client, commitments):
    # 23:30 in Ecuador is already the next day in UTC; 00:30 is still the day before in UTC.
    late = make_meeting(timezone.make_aware(datetime.datetime(2020, 12, 31, 23, 30)))
    make_commitment(late, text="Late on the last day")
    early = make_meeting(timezone.make_aware(datetime.datetime(2020, 1, 1, 0, 30)))
    make_commitment(early, text="Early on the first day")
    outside = make_meeting(timezone.make_aware(datetime.datetime(2021, 1, 1, 0, 30)))
    make_commitment(outside, text="Early the day after")
    assert listed(reader_client, made_after="2020-01-01", made_before="2020-12-31") == {
        "Late on the last day",
        "Early on the first day",
    }


def test_an_impossible_date_in_the_filters_is_refused_not_a_server_error(reader_client):
    response = reader_client.get(
        reverse("observance:commitment-list"), {"as_of": "9999-12-31", "state": "due_soon"}
    )
    assert response.status_code == 200


def test_the_list_keeps_its_queries_with_many_rows(reader_client, django_assert_max_num_queries):
    for number in range(60):
        make_commitment(make_meeting(ally=make_ally()), text=f"Compromiso {number}")
    with django_assert_max_num_queries(9):
        response = reader_client.get(reverse("observance:commitment-list"), {"state": "open"})
    assert response.context["paginator"].count == 60


def test_the_list_needs_a_login_and_the_permission(client, outsider):
    url = reverse("observance:commitment-list")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403


# Closing ---------------------------------------------------------------------------------


def close_url(commitment):
    return reverse("observance:commitment-close", args=[commitment.pk])


def test_a_coordinator_closes_a_commitment_with_its_note(coordinator_client):
    commitment = make_commitment()
    response = coordinator_client.post(
        close_url(commitment),
        {
            "status": "done",
            "closed_on": "2021-04-02",
            "closing_note": "Se designó a la directora",
            **edit_version(commitment),
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.closed_on, commitment.closing_note) == (
        "done",
        datetime.date(2021, 4, 2),
        "Se designó a la directora",
    )
    assert commitment.history.count() == 2


def test_closing_without_a_note_is_refused_next_to_it_and_changes_nothing(coordinator_client):
    commitment = make_commitment()
    response = coordinator_client.post(
        close_url(commitment),
        {
            "status": "cancelled",
            "closed_on": "2021-04-02",
            "closing_note": "",
            **edit_version(commitment),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closing_note"] == ["Este campo es obligatorio."]
    commitment.refresh_from_db()
    assert commitment.status == "pending"


def test_closing_before_the_meeting_is_refused(coordinator_client):
    commitment = make_commitment()
    response = coordinator_client.post(
        close_url(commitment),
        {
            "status": "done",
            "closed_on": "2021-03-01",
            "closing_note": "Antes",
            **edit_version(commitment),
        },
    )
    assert response.context["form"].has_error("closed_on", "closed_before_meeting")
    commitment.refresh_from_db()
    assert commitment.status == "pending"


def test_a_commitment_cannot_go_back_to_pending_from_the_close_form(coordinator_client):
    commitment = make_commitment()
    response = coordinator_client.post(
        close_url(commitment),
        {
            "status": "pending",
            "closed_on": "2021-04-02",
            "closing_note": "x",
            **edit_version(commitment),
        },
    )
    assert response.context["form"].has_error("status", "invalid_choice")


@pytest.mark.parametrize(("user", "status"), [("reader", 403), ("secretary", 200)])
def test_who_may_close_a_commitment(client, request, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.get(close_url(make_commitment())).status_code == status


def test_closing_rejects_a_get_that_would_change_it(coordinator_client):
    commitment = make_commitment()
    coordinator_client.get(close_url(commitment), {"status": "done", "closing_note": "x"})
    commitment.refresh_from_db()
    assert commitment.status == "pending"


def test_the_database_refuses_a_closed_commitment_without_date_or_note(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_commitment(status="done")


# The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_commitments_overdue_and_due_soon(coordinator_client, commitments):
    response = coordinator_client.get(reverse("observance:dashboard"))
    block = response.context["commitments"]
    assert [c.text for c in block["rows"]] == ["Vencido", "Pronto"]
    assert (block["overdue"], block["due_soon"]) == (1, 1)
    page = response.content.decode()
    assert "/compromisos/?state=overdue" in page


def test_the_dashboard_keeps_its_queries_with_many_commitments(
    coordinator_client, django_assert_max_num_queries
):
    meeting = make_meeting()
    for number in range(40):
        make_commitment(meeting, text=f"Compromiso {number}", due_on=days_ago(number - 10))
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = coordinator_client.get(reverse("observance:dashboard"))
    assert len(response.context["commitments"]["rows"]) == ROWS


@pytest.mark.parametrize("row_id", [str(10**30), "abc", "-1"])
def test_a_forged_row_id_is_refused_not_a_server_error(coordinator_client, row_id):
    meeting = make_meeting()
    response = coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        {
            "held_at": HELD_AT,
            "modality": "virtual",
            "institution": meeting.institution_id,
            "purpose": meeting.purpose,
            **rows({"id": row_id, "text": "Forjado", "who": "counterpart"}, initial=1),
            **edit_version(meeting),
        },
    )
    assert response.status_code == 200
    assert not Commitment.objects.exists()


def test_too_many_rows_are_refused_not_a_server_error(coordinator_client):
    response = coordinator_client.post(
        reverse("observance:meeting-create"),
        {**new_meeting(make_institution()), "commitments-TOTAL_FORMS": str(10**9)},
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_whoever_may_change_meetings_but_not_commitments_gets_no_rows(client, db):
    from django.contrib.auth.models import Permission

    from tests.conftest import make_user

    user = make_user("frank")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_meeting", "change_meeting"])
    )
    client.force_login(user)
    meeting = make_meeting()
    url = reverse("observance:meeting-update", args=[meeting.pk])
    assert "commitments-TOTAL_FORMS" not in client.get(url).content.decode()
    client.post(
        url,
        {
            "outcomes": "Acuerdos",
            **rows({"text": "No autorizado", "who": "counterpart"}),
            **edit_version(meeting),
        },
    )
    assert not Commitment.objects.exists()
