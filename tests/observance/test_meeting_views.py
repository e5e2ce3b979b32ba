import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from observance.forms import FILE_AGAIN
from observance.models import Meeting
from tests.allies.factories import make_ally
from tests.conftest import edit_version
from tests.institutions.factories import make_institution

from .page_data import PDF_BYTES, make_meeting_at, make_process, make_team_member


def meeting_data(**overrides):
    data = {
        "held_at": "2021-03-15T10:30",
        "modality": "in_person",
        "place": "Quito",
        "purpose": "Presentar el observatorio",
        "cpccs_companion": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_coordinator_logs_a_meeting_with_an_institution_and_lands_on_it(coordinator_client):
    institution = make_institution()
    member = make_team_member()
    response = coordinator_client.post(
        reverse("observance:meeting-create"),
        meeting_data(institution=institution.pk, team_members=[member.pk]),
    )
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url()
    assert meeting.institution == institution
    assert list(meeting.team_members.all()) == [member]
    assert timezone.localtime(meeting.held_at).strftime("%d/%m/%Y %H:%M") == "15/03/2021 10:30"


def test_save_and_log_another_comes_back_to_an_empty_form(coordinator_client):
    url = reverse("observance:meeting-create")
    response = coordinator_client.post(url, meeting_data(ally=make_ally().pk, _addanother="1"))
    assert response.url == url
    assert Meeting.objects.count() == 1


def test_meeting_with_no_counterpart_is_refused_next_to_the_institution(coordinator_client):
    response = coordinator_client.post(reverse("observance:meeting-create"), meeting_data())
    assert response.status_code == 200
    assert response.context["form"].has_error("institution")
    assert not Meeting.objects.exists()


def test_minutes_of_the_wrong_type_are_refused_keeping_the_rest_of_the_form(
    coordinator_client,
):
    institution = make_institution()
    fake_pdf = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = coordinator_client.post(
        reverse("observance:meeting-create"),
        meeting_data(institution=institution.pk, purpose="Texto a conservar", minutes=fake_pdf),
    )
    form = response.context["form"]
    assert form.has_error("minutes")
    assert form["purpose"].value() == "Texto a conservar"
    assert "Texto a conservar</textarea>" in response.content.decode()
    assert str(FILE_AGAIN) in form.errors["minutes"]
    assert not Meeting.objects.exists()


def test_minutes_over_the_size_limit_are_refused(coordinator_client, settings):
    settings.UPLOAD_MAX_BYTES = 20
    minutes = SimpleUploadedFile("acta.pdf", PDF_BYTES, "application/pdf")
    response = coordinator_client.post(
        reverse("observance:meeting-create"),
        meeting_data(institution=make_institution().pk, minutes=minutes),
    )
    errors = response.context["form"].errors.as_data()["minutes"]
    assert errors[0].code == "file_too_large"
    assert not Meeting.objects.exists()


def test_valid_minutes_are_kept_and_downloaded_from_the_detail_page(coordinator_client):
    minutes = SimpleUploadedFile("acta.pdf", PDF_BYTES, "application/pdf")
    coordinator_client.post(
        reverse("observance:meeting-create"),
        meeting_data(institution=make_institution().pk, minutes=minutes),
    )
    meeting = Meeting.objects.get()
    detail = coordinator_client.get(meeting.get_absolute_url())
    download = reverse("protected-file", args=["observance", "meeting", meeting.pk, "minutes"])
    assert download in detail.content.decode()
    assert b"".join(coordinator_client.get(download).streaming_content) == PDF_BYTES


def test_meeting_form_carries_only_the_chosen_institution_not_every_row(coordinator_client):
    chosen = make_institution(name="Elegida")
    for _ in range(30):
        make_institution()
    meeting = make_meeting_at(timezone.now(), institution=chosen)
    response = coordinator_client.get(reverse("observance:meeting-update", args=[meeting.pk]))
    choices = list(response.context["form"].fields["institution"].widget.choices)
    assert [label for value, label in choices if value] == [str(chosen)]


def test_meeting_edit_saves_changes(coordinator_client):
    meeting = make_meeting_at(timezone.now(), institution=make_institution())
    coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        meeting_data(institution=meeting.institution_id, outcomes="Acuerdos firmados")
        | edit_version(meeting),
    )
    meeting.refresh_from_db()
    assert meeting.outcomes == "Acuerdos firmados"


@pytest.fixture
def three_meetings(db):
    institution = make_institution(name="Ministerio de Trabajo")
    ally = make_ally(name="Universidad Central", kind="academia")
    process = make_process()
    base = timezone.make_aware(datetime.datetime(2021, 3, 15, 10, 0))
    return {
        "institution": make_meeting_at(base, institution=institution, process=process),
        "ally": make_meeting_at(
            base + datetime.timedelta(days=30),
            ally=ally,
            modality="in_person",
            cpccs_companion="Delegada",
            purpose="Convenio de pasantías",
        ),
        "late": make_meeting_at(base + datetime.timedelta(days=200)),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("modality=in_person", {"ally"}),
        ("cpccs=1", {"ally"}),
        ("cpccs=0", {"institution", "late"}),
        ("ally_kind=academia", {"ally"}),
        ("held_after=2021-04-01&held_before=30/06/2021", {"ally"}),
        ("q=pasant", {"ally"}),
        ("q=trabajo", {"institution"}),
    ],
)
def test_meeting_list_filters_by_the_contract_parameters(
    coordinator_client, three_meetings, query, expected
):
    response = coordinator_client.get(reverse("observance:meeting-list") + "?" + query)
    shown = set(response.context["object_list"])
    assert shown == {three_meetings[key] for key in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("held_after=2021-06-01&held_before=2021-06-30", {"first day", "last day"}),
        ("held_after=2021-06-01", {"first day", "last day", "day after"}),
        ("held_before=2021-06-30", {"day before", "first day", "last day"}),
        (
            "held_after=0001-01-01&held_before=9999-12-31",
            {"day before", "first day", "last day", "day after"},
        ),
    ],
)
def test_meeting_list_takes_a_meeting_on_its_day_in_ecuador(coordinator_client, query, expected):
    # 23:30 in Ecuador is already the next day in UTC; 00:30 is still the day before in UTC.
    def at(day, hour, minute):
        return make_meeting_at(
            timezone.make_aware(datetime.datetime(2021, *day, hour, minute)),
            institution=make_institution(),
        )

    meetings = {
        "day before": at((5, 31), 23, 30),
        "first day": at((6, 1), 0, 30),
        "last day": at((6, 30), 23, 30),
        "day after": at((7, 1), 0, 30),
    }
    response = coordinator_client.get(reverse("observance:meeting-list") + "?" + query)
    assert set(response.context["object_list"]) == {meetings[key] for key in expected}


def test_meeting_list_filters_by_institution_ally_and_process_ids(
    coordinator_client, three_meetings
):
    url = reverse("observance:meeting-list")
    by_institution = coordinator_client.get(
        f"{url}?institution={three_meetings['institution'].institution_id}"
    )
    by_ally = coordinator_client.get(f"{url}?ally={three_meetings['ally'].ally_id}")
    by_process = coordinator_client.get(f"{url}?process={three_meetings['institution'].process_id}")
    assert list(by_institution.context["object_list"]) == [three_meetings["institution"]]
    assert list(by_ally.context["object_list"]) == [three_meetings["ally"]]
    assert list(by_process.context["object_list"]) == [three_meetings["institution"]]


@pytest.mark.parametrize("query", ["institution=abc", "held_after=31/31/2021", "modality=x"])
def test_meeting_list_answers_bad_parameters_without_an_error(
    coordinator_client, three_meetings, query
):
    response = coordinator_client.get(reverse("observance:meeting-list") + "?" + query)
    assert response.status_code == 200


def test_meeting_list_shows_dates_as_dd_mm_yyyy(coordinator_client, three_meetings):
    response = coordinator_client.get(reverse("observance:meeting-list"))
    assert "15/03/2021 10:00" in response.content.decode()


# A valid post of the meeting form, the counterparts and team members chosen (24 before the
# searchable selects read their chosen options lazily: they are shown only on an error). On
# PostgreSQL the permissions are asked beside the snapshot they are kept under (oppms.permissions).
QUERIES_OF_A_MEETING_POST = 22 + (1 if connection.vendor == "postgresql" else 0)


def test_logging_a_meeting_reads_no_option_it_does_not_show(
    coordinator_client, django_assert_max_num_queries
):
    """A valid post is answered with a redirect: the chosen options of the searchable selects,
    read only to show them (oppms.forms.ChosenOptions), are not read at all."""
    institution, ally = make_institution(), make_ally()
    members = [make_team_member(), make_team_member()]
    data = meeting_data(
        institution=institution.pk, ally=ally.pk, team_members=[m.pk for m in members]
    )
    coordinator_client.get(reverse("observance:meeting-create"))  # the session and its snapshot
    with django_assert_max_num_queries(QUERIES_OF_A_MEETING_POST):
        response = coordinator_client.post(reverse("observance:meeting-create"), data)
    assert response.status_code == 302
