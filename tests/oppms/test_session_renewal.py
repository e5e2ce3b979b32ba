"""Sessions slide: 8 hours without activity end them, and using the app pushes the end forward,
without a database write for every page (oppms.middleware.SESSION_RENEW_AFTER)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oppms import middleware
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def session_writes(captured):
    return [
        query["sql"]
        for query in captured.captured_queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def stored_expiry(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


@pytest.fixture
def logged_in(client, coordinator):
    # The real login form, so that the session is the one a user gets.
    response = client.post(
        "/cuentas/login/", {"username": coordinator.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_pages_right_after_logging_in_do_not_write_the_session(logged_in):
    expiry = stored_expiry(logged_in)
    with CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            assert logged_in.get("/").status_code == 200
    assert session_writes(captured) == []
    assert stored_expiry(logged_in) == expiry


def test_a_page_some_minutes_later_pushes_the_end_eight_hours_ahead(logged_in, monkeypatch):
    before = stored_expiry(logged_in)
    later = middleware.time.time() + middleware.SESSION_RENEW_AFTER + 60
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    with CaptureQueriesContext(connection) as captured:
        response = logged_in.get("/")
    assert response.status_code == 200
    assert len(session_writes(captured)) == 1
    # The cookie is sent again with eight more hours, and the stored expiry moved forward.
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    after = stored_expiry(logged_in)
    assert after > before
    assert after >= timezone.now() + datetime.timedelta(hours=8) - datetime.timedelta(minutes=1)
    # The next page is again within the window: no write.
    with CaptureQueriesContext(connection) as captured:
        logged_in.get("/")
    assert session_writes(captured) == []


def test_a_session_ends_eight_hours_after_its_last_renewal(logged_in):
    session = Session.objects.get(session_key=logged_in.cookies["sessionid"].value)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save()
    response = logged_in.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/login/")


def test_logging_out_leaves_no_session_to_renew(logged_in):
    logged_in.post("/cuentas/logout/")
    with CaptureQueriesContext(connection) as captured:
        response = logged_in.get("/cuentas/login/")
    assert response.status_code == 200
    assert session_writes(captured) == []


def test_the_first_page_after_logging_in_does_not_write_the_session(client, coordinator):
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert session_writes(captured) == []
