"""A record's "Historial" page: who changed what and when, with values a person can read."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from institutions.models import Institution
from observance.models import Meeting
from tests.conftest import make_user
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_team_member

from .test_edits_record_the_user import meeting_form


def history_url(record):
    opts = record._meta
    return reverse("record-history", args=[opts.app_label, opts.model_name, record.pk])


def changes_of(entry):
    return {str(change["field"]): (change["old"], change["new"]) for change in entry["changes"]}


def test_the_page_shows_a_change_with_its_old_and_new_values_in_words(
    coordinator_client, first_semester_meeting
):
    meeting = first_semester_meeting
    old_institution = meeting.institution
    new_institution = make_institution(name="Ministerio del Trabajo", acronym="MDT")
    coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        meeting_form(meeting, modality=Meeting.Modality.IN_PERSON, institution=new_institution.pk),
    )
    response = coordinator_client.get(history_url(meeting))
    changes = changes_of(response.context["entries"][0])
    assert changes[gettext("modality")] == (gettext("Virtual"), gettext("In person"))
    assert changes[gettext("institution")] == (str(old_institution), str(new_institution))
    html = response.content.decode()
    assert "Ministerio del Trabajo (MDT)" in html
    assert gettext("In person") in html


def test_each_entry_says_who_when_and_what_kind_newest_first(
    coordinator_client, first_semester_meeting
):
    meeting = first_semester_meeting
    meeting.history.update(history_date=timezone.make_aware(datetime.datetime(2021, 3, 15, 23, 30)))
    coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        meeting_form(meeting, outcomes="Se acordó una mesa técnica"),
    )
    entries = coordinator_client.get(history_url(meeting)).context["entries"]
    assert [entry["kind"] for entry in entries] == ["changed", "created"]
    assert entries[0]["who"] == "alice"
    assert entries[1]["who"] == "—"
    # 23:30 in Guayaquil is already the next day in UTC: the page shows Guayaquil's time.
    html = coordinator_client.get(history_url(meeting)).content.decode()
    assert "15/03/2021 23:30" in html


def test_the_person_is_named_by_full_name_when_known(client, first_semester_meeting):
    frank = make_user("frank", "Coordinación", first_name="Frank", last_name="Vera")
    client.force_login(frank)
    client.post(
        reverse("observance:meeting-update", args=[first_semester_meeting.pk]),
        meeting_form(first_semester_meeting, outcomes="Acta firmada"),
    )
    entries = client.get(history_url(first_semester_meeting)).context["entries"]
    assert entries[0]["who"] == "Frank Vera"


def test_team_members_present_show_as_names_before_and_after(
    coordinator_client, first_semester_meeting
):
    meeting = first_semester_meeting
    lucia, mateo = make_team_member(name="Lucía Andrade"), make_team_member(name="Mateo Ruiz")
    meeting.team_members.set([lucia])
    coordinator_client.post(
        reverse("observance:meeting-update", args=[meeting.pk]),
        meeting_form(meeting, team_members=[lucia.pk, mateo.pk]),
    )
    entries = coordinator_client.get(history_url(meeting)).context["entries"]
    team_changes = [
        changes_of(entry)[gettext("team members present")]
        for entry in entries
        if gettext("team members present") in changes_of(entry)
    ]
    assert team_changes[0] == (str(lucia), f"{lucia}, {mateo}")


def test_a_related_record_that_was_deleted_is_named_as_deleted(reader_client, reader):
    institution = make_institution()
    meeting = Meeting.objects.create(
        held_at=timezone.now(), modality="virtual", institution=institution, purpose="Visita"
    )
    other = make_institution()
    meeting.institution = other
    meeting.save()
    other_pk = other.pk
    meeting.institution = institution
    meeting.save()
    Meeting.objects.filter(pk=meeting.pk).update(institution=institution)
    Institution.objects.filter(pk=other_pk).delete()
    entries = reader_client.get(history_url(meeting)).context["entries"]
    old, new = changes_of(entries[0])[gettext("institution")]
    assert str(other_pk) in old and new == str(institution)


def test_a_computed_field_change_is_shown(reader_client, db):
    from tests.observance.page_data import make_request

    request = make_request(sent_on=datetime.date(2021, 3, 1))
    request.extension_notified_on = datetime.date(2021, 3, 5)
    request.save()
    entries = reader_client.get(history_url(request)).context["entries"]
    changes = changes_of(entries[0])
    assert changes[gettext("due on")] == ("11/03/2021", "16/03/2021")


# Session and user (2), permissions (2), the live record and its name (2), the count, the
# versions, the team snapshots, the institutions and team members named (2), and the
# session's sliding expiry (3).
QUERIES = 14


def make_versions(meeting, count):
    """``count`` more versions of ``meeting``: alternate institutions, team and outcomes."""
    institutions = [make_institution() for _ in range(3)]
    members = [make_team_member() for _ in range(3)]
    made = 0
    while made < count:
        meeting.institution = institutions[made % 3]
        meeting.outcomes = f"Versión {made}"
        meeting.save()
        meeting.team_members.set([members[made % 3]])
        made += 2


def test_the_page_runs_a_fixed_number_of_queries_over_fifty_versions(
    reader_client, first_semester_meeting, django_assert_max_num_queries
):
    meeting = first_semester_meeting
    make_versions(meeting, 60)
    assert meeting.history.count() > 50
    url = history_url(meeting)
    with django_assert_max_num_queries(QUERIES):
        first_page = reader_client.get(url)
    last = first_page.context["paginator"].num_pages
    with django_assert_max_num_queries(QUERIES):
        last_page = reader_client.get(url, {"page": last})
    assert len(first_page.context["entries"]) == 25
    assert last_page.context["entries"][-1]["kind"] == "created"


def test_the_query_count_does_not_grow_with_the_versions(
    reader_client, first_semester_meeting, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = first_semester_meeting
    url = history_url(meeting)
    make_versions(meeting, 4)
    with CaptureQueriesContext(connection) as few:
        reader_client.get(url)
    make_versions(meeting, 60)
    with CaptureQueriesContext(connection) as many:
        reader_client.get(url)
    assert len(many) == len(few)


def test_pages_cover_every_version_once(reader_client, first_semester_meeting):
    meeting = first_semester_meeting
    make_versions(meeting, 60)
    url = history_url(meeting)
    first = reader_client.get(url)
    pages = first.context["paginator"].num_pages
    seen = sum(
        len(reader_client.get(url, {"page": n}).context["entries"]) for n in range(1, pages + 1)
    )
    assert seen == meeting.history.count()
