"""Deleting a record keeps its history, and its "Historial" page still answers."""

from django.urls import reverse

from observance.models import Meeting


def history_url(meeting_pk):
    return reverse("record-history", args=["observance", "meeting", meeting_pk])


def test_a_deleted_meeting_keeps_its_history_with_the_deletion_newest(
    reader_client, second_semester_meeting
):
    pk = second_semester_meeting.pk
    second_semester_meeting.delete()
    response = reader_client.get(history_url(pk))
    assert response.status_code == 200
    assert [entry["kind"] for entry in response.context["entries"]] == ["deleted", "created"]
    assert response.context["deleted"] is True


def test_a_meeting_deleted_in_the_admin_records_who_deleted_it(
    admin_client_user, administrator, second_semester_meeting
):
    pk = second_semester_meeting.pk
    response = admin_client_user.post(
        reverse("admin:observance_meeting_delete", args=[pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=pk).exists()
    deletion = Meeting.history.filter(id=pk).latest()
    assert (deletion.history_type, deletion.history_user) == ("-", administrator)
    entries = admin_client_user.get(history_url(pk)).context["entries"]
    assert entries[0]["who"] == administrator.username


def test_the_deleted_meetings_page_still_names_it(reader_client, second_semester_meeting):
    pk, name = second_semester_meeting.pk, str(second_semester_meeting)
    second_semester_meeting.delete()
    response = reader_client.get(history_url(pk))
    assert response.context["record_name"] == name
    assert response.context["record_url"] is None
