"""Each user's own page (digest, days ahead, calendar address) and the private calendar feed."""

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from oppms.models import ReminderPreferences
from tests.conftest import client_for

from .conftest import days_from_today, make_meeting_at, make_request_due

pytestmark = pytest.mark.django_db

PREFERENCES = "/cuentas/preferencias/"
# On PostgreSQL the permissions are asked beside the snapshot they are kept under
# (oppms.permissions); SQLite has none to read.
SNAPSHOT = 1 if connection.vendor == "postgresql" else 0
GUAYAQUIL = zoneinfo.ZoneInfo("America/Guayaquil")


def feed_path(user):
    return reverse("calendar-feed", args=[ReminderPreferences.of(user).calendar_secret])


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_the_navbar_links_to_my_account(reader_client):
    page = reader_client.get(reverse("observance:dashboard")).content.decode()
    assert f'href="{PREFERENCES}"' in page


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(PREFERENCES)
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/login/")


def test_the_page_shows_the_defaults_in_spanish_with_the_feed_address(reader_client, reader):
    page = reader_client.get(PREFERENCES).content.decode()
    assert "Mi cuenta" in page and "Resumen diario" in page
    assert re.search(r'<input type="checkbox" name="digest_enabled"[^>]* checked>', page)
    assert re.search(r'<input type="number" name="days_ahead" value="7" min="1" max="60"', page)
    assert f"http://127.0.0.1:8000{feed_path(reader)}" in page


def test_a_user_turns_the_digest_off_and_chooses_the_days_ahead(reader_client, reader):
    response = reader_client.post(PREFERENCES, {"days_ahead": "14"})
    assert response.status_code == 302
    preferences = ReminderPreferences.objects.get(user=reader)
    assert (preferences.digest_enabled, preferences.days_ahead) == (False, 14)
    assert "Se guardaron sus preferencias." in reader_client.get(PREFERENCES).content.decode()


@pytest.mark.parametrize("days", ["0", "61", "muchos", "", "1e309", str(10**30), "\x00"])
def test_bad_days_ahead_get_a_spanish_message_and_change_nothing(reader_client, reader, days):
    response = reader_client.post(PREFERENCES, {"digest_enabled": "on", "days_ahead": days})
    assert response.status_code == 200
    page = response.content.decode()
    assert any(
        text in page
        for text in ["menor o igual a 60", "mayor o igual a 1", "número entero", "obligatorio"]
    )
    assert ReminderPreferences.of(reader).days_ahead == 7


def test_the_page_reads_a_fixed_number_of_queries(reader_client, django_assert_num_queries):
    reader_client.get(PREFERENCES)  # makes the preferences row, renews the new session
    # session, user, preferences, the navbar's permissions (2, and the snapshot on PostgreSQL);
    # the session, renewed by the page before, is not saved again
    # (oppms.middleware.SESSION_RENEW_AFTER)
    with django_assert_num_queries(5 + SNAPSHOT):
        assert reader_client.get(PREFERENCES).status_code == 200


def test_preferences_changes_are_kept_in_history(reader_client, reader):
    reader_client.post(PREFERENCES, {"digest_enabled": "on", "days_ahead": "3"})
    reader_client.post(PREFERENCES, {"days_ahead": "5"})
    history = ReminderPreferences.of(reader).history.order_by("history_date")
    assert [h.days_ahead for h in history] == [7, 3, 5]


def test_the_feed_lists_meetings_in_guayaquil_time_and_request_due_dates(client, reader):
    held_at = timezone.make_aware(
        datetime.datetime.combine(days_from_today(5), datetime.time(15, 30)), GUAYAQUIL
    )
    meeting = make_meeting_at(held_at, purpose="Revisión del POA")
    request = make_request_due(days_from_today(4), subject="Nómina de personal")

    events = events_of(client.get(feed_path(reader)))

    meeting_event = events[f"Reunión con {meeting.institution}"]
    start = meeting_event.decoded("dtstart")
    assert start == held_at
    assert start.astimezone(GUAYAQUIL).hour == 15
    assert meeting_event["dtstart"].params.get("TZID") == "America/Guayaquil"
    assert "Revisión del POA" in str(meeting_event["description"])
    assert str(meeting_event["url"]).endswith(meeting.get_absolute_url())
    due_event = events[f"Vence la solicitud: Nómina de personal ({request.institution})"]
    assert due_event.decoded("dtstart") == days_from_today(4)


def test_the_feed_leaves_out_records_outside_its_window(client, reader):
    make_request_due(days_from_today(-200), subject="Muy antigua")
    make_request_due(days_from_today(400), subject="Muy lejana")
    assert events_of(client.get(feed_path(reader))) == {}


def test_the_feed_shows_only_what_the_user_may_view(client, outsider):
    make_meeting_at(timezone.now() + datetime.timedelta(days=1))
    make_request_due(days_from_today(3))
    assert events_of(client.get(feed_path(outsider))) == {}


def test_renewing_the_address_makes_the_old_one_answer_404(client, reader):
    old_path = feed_path(reader)
    assert client.get(old_path).status_code == 200

    response = client_for(client, reader).post(reverse("renew-calendar-secret"))
    assert response.status_code == 302
    client.logout()

    assert client.get(old_path).status_code == 404
    assert client.get(feed_path(reader)).status_code == 200


def test_renewing_needs_a_post(reader_client):
    assert reader_client.get(reverse("renew-calendar-secret")).status_code == 405


def test_an_unknown_secret_answers_404(client, db):
    assert client.get(reverse("calendar-feed", args=["no-existe"])).status_code == 404


def test_the_feed_of_an_inactive_user_answers_404(client, reader):
    path = feed_path(reader)
    reader.is_active = False
    reader.save()
    assert client.get(path).status_code == 404


def test_the_feed_reads_the_same_number_of_queries_whatever_the_records(
    client, reader, django_assert_num_queries
):
    path = feed_path(reader)
    make_meeting_at(timezone.now() + datetime.timedelta(days=1))
    make_request_due(days_from_today(3))
    with django_assert_num_queries(7 + SNAPSHOT) as few:  # one query per source
        events_of(client.get(path))
    for day in range(1, 6):
        make_meeting_at(timezone.now() + datetime.timedelta(days=day))
        make_request_due(days_from_today(day))
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(events_of(client.get(path))) == 12
