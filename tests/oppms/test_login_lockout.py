"""Logins: five failures for one username from one address lock that pair for 15 minutes."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/cuentas/login/"


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, username, address="10.0.0.1"):
    for _ in range(5):
        attempt(client, username, "wrong-password", address)


def test_the_right_password_logs_in(client, coordinator):
    response = attempt(client, coordinator.username, PASSWORD)
    assert response.status_code == 302


def test_five_failures_lock_the_account_with_a_spanish_message(client, coordinator):
    fail_five_times(client, coordinator.username)
    response = attempt(client, coordinator.username, PASSWORD)
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, coordinator):
    for _ in range(4):
        attempt(client, coordinator.username, "wrong-password")
    assert attempt(client, coordinator.username, PASSWORD).status_code == 302


def test_the_lock_is_for_that_address_only(client, coordinator):
    fail_five_times(client, coordinator.username, address="10.0.0.1")
    assert attempt(client, coordinator.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(client, coordinator):
    fail_five_times(client, coordinator.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert attempt(client, coordinator.username, PASSWORD).status_code == 302


def test_an_administrator_can_unlock_at_once(client, coordinator):
    fail_five_times(client, coordinator.username)
    call_command("axes_reset_username", coordinator.username)
    assert attempt(client, coordinator.username, PASSWORD).status_code == 302


def test_logging_out_needs_a_post(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/cuentas/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    client.post("/cuentas/logout/")
    assert "_auth_user_id" not in client.session


def test_a_session_lasts_eight_hours_of_inactivity(client, coordinator):
    # Using the app renews it: tests/oppms/test_session_renewal.py.
    client.force_login(coordinator)
    client.get("/")
    assert client.session.get_expiry_age() == 8 * 60 * 60
