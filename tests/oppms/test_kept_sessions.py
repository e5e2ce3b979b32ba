"""Each request's session and user rows are kept while unchanged (oppms.sessions,
oppms.permissions.KeptPermissionsBackend.get_user): a session ended, expired or moved, a user
deactivated or given a new password elsewhere (another instance, the admin) counts at once."""

import datetime
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oppms.sessions import SessionStore
from tests.conftest import logged_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("nothing_kept")]

ON_POSTGRESQL = connection.vendor == "postgresql"
DASHBOARD = "/"


def shows_the_dashboard(client):
    response = client.get(DASHBOARD)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_session_ended_elsewhere_is_ended_at_once(coordinator):
    client = logged_in(coordinator)
    assert shows_the_dashboard(client)
    assert shows_the_dashboard(client)  # the session and the user kept
    Session.objects.filter(session_key=client.session.session_key).delete()
    assert not shows_the_dashboard(client)


def test_a_user_deactivated_or_given_a_new_password_elsewhere_is_logged_out_at_once(
    coordinator, secretary
):
    client, other = logged_in(coordinator), logged_in(secretary)
    assert shows_the_dashboard(client) and shows_the_dashboard(other)
    coordinator.is_active = False
    coordinator.save()
    assert not shows_the_dashboard(client)
    assert shows_the_dashboard(other)
    secretary.set_password("una-clave-nueva-2026")
    secretary.save()
    assert not shows_the_dashboard(other)


def test_a_kept_session_expires_on_time_with_nothing_written(coordinator):
    client = logged_in(coordinator)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=1.5)
    )
    assert SessionStore(key).load()[SESSION_KEY] == str(coordinator.pk)
    assert SessionStore(key).load()[SESSION_KEY] == str(coordinator.pk)  # kept
    time.sleep(1.6)
    assert SessionStore(key).load() == {}


def test_a_session_changed_on_another_instance_is_read_anew(coordinator):
    client = logged_in(coordinator)
    key = client.session.session_key
    store = SessionStore(key)
    store["oppms_language"] = "en"
    store.save()  # as another instance would
    assert 'lang="en"' in client.get(DASHBOARD).content.decode()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="nothing is kept on SQLite")
def test_with_nothing_written_a_kept_page_costs_the_snapshot_s_query_alone(coordinator):
    client = logged_in(coordinator)
    fewest = None
    deadline = time.monotonic() + 180
    # Another test worker's writes start new snapshots: some read right after another is served
    # from what was kept.
    while fewest is None or (fewest > 1 and time.monotonic() < deadline):
        client.get(DASHBOARD)
        with CaptureQueriesContext(connection) as queries:
            assert shows_the_dashboard(client)
        fewest = len(queries) if fewest is None else min(fewest, len(queries))
    assert fewest == 1
