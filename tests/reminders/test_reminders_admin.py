"""Administración sees the reminder preferences and the digests sent, never a calendar secret."""

import pytest

from oppms.models import DigestSent, ReminderPreferences
from tests.conftest import edit_version

from .conftest import today

pytestmark = pytest.mark.django_db


def test_an_administrator_sees_which_digests_went_out(admin_client_user, reader):
    DigestSent.objects.create(user=reader, day=today(), item_count=4)
    page = admin_client_user.get("/admin/oppms/digestsent/?q=dana").content.decode()
    assert "dana" in page and "4" in page


def test_an_administrator_turns_a_users_digest_off_without_seeing_the_secret(
    admin_client_user, reader
):
    preferences = ReminderPreferences.of(reader)
    url = f"/admin/oppms/reminderpreferences/{preferences.pk}/change/"
    page = admin_client_user.get(url).content.decode()
    assert preferences.calendar_secret not in page

    response = admin_client_user.post(url, {"days_ahead": "7"} | edit_version(preferences))

    assert response.status_code == 302
    preferences.refresh_from_db()
    assert preferences.digest_enabled is False


def test_a_coordinator_cannot_reach_the_reminder_preferences_in_the_admin(client, coordinator):
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    assert client.get("/admin/oppms/reminderpreferences/").status_code == 403
