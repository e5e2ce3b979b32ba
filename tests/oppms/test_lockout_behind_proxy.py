"""Lockouts key on the client's real address, directly and behind the README's TLS proxy.

Behind the proxy every request arrives from the proxy's address; the proxy appends the address
it saw to X-Forwarded-For. Whatever a client writes into that header itself stays to the left
of the proxy's entry and must neither lock someone else out nor let the client escape its own
lockout.
"""

import pytest
from axes.models import AccessAttempt

from tests.conftest import PASSWORD

from .test_settings import settings_error

pytestmark = pytest.mark.django_db

LOGIN = "/cuentas/login/"
PROXY = "10.0.0.254"
VICTIM = "198.51.100.7"
ATTACKER = "203.0.113.66"


def login(client, username, password, remote_address, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_address}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def through_proxy(client, username, password, client_address, forged=None):
    """A login through one proxy, which appends the address it saw to what the client sent."""
    forwarded_for = f"{forged}, {client_address}" if forged else client_address
    return login(client, username, password, PROXY, forwarded_for)


@pytest.fixture
def behind_one_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1


def test_directly_a_forged_header_neither_escapes_the_lockout_nor_moves_it(client, coordinator):
    for forged in ["1.1.1.1", "2.2.2.2", VICTIM, "3.3.3.3", "4.4.4.4"]:
        login(client, coordinator.username, "wrong-password", ATTACKER, forwarded_for=forged)

    assert login(client, coordinator.username, PASSWORD, ATTACKER, "5.5.5.5").status_code == 429
    assert login(client, coordinator.username, PASSWORD, VICTIM).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_the_proxy_failures_from_one_client_do_not_lock_out_the_others(
    client, coordinator, behind_one_proxy
):
    for _ in range(5):
        through_proxy(client, coordinator.username, "wrong-password", ATTACKER)

    assert through_proxy(client, coordinator.username, PASSWORD, ATTACKER).status_code == 429
    assert through_proxy(client, coordinator.username, PASSWORD, VICTIM).status_code == 302


def test_behind_the_proxy_a_forged_leftmost_address_does_not_lock_out_its_owner(
    client, coordinator, behind_one_proxy
):
    for _ in range(5):
        through_proxy(client, coordinator.username, "wrong-password", ATTACKER, forged=VICTIM)

    assert through_proxy(client, coordinator.username, PASSWORD, VICTIM).status_code == 302
    assert AccessAttempt.objects.filter(ip_address=VICTIM).count() == 0


def test_behind_the_proxy_changing_the_forged_address_does_not_escape_the_lockout(
    client, coordinator, behind_one_proxy
):
    for number in range(5):
        through_proxy(
            client, coordinator.username, "wrong-password", ATTACKER, forged=f"192.0.2.{number}"
        )

    response = through_proxy(client, coordinator.username, PASSWORD, ATTACKER, forged="192.0.2.99")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_two_proxies_the_address_the_outer_one_saw_counts(client, coordinator, settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 2
    outer_proxy = "10.0.0.10"
    for _ in range(5):
        login(client, coordinator.username, "wrong", PROXY, f"{VICTIM}, {ATTACKER}, {outer_proxy}")

    assert (
        login(client, coordinator.username, PASSWORD, PROXY, f"{VICTIM}, {outer_proxy}").status_code
        == 302
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@pytest.mark.parametrize("forwarded_for", [None, "", "not-an-address", "unknown, ,"])
def test_behind_the_proxy_a_request_without_a_usable_forwarded_address_counts_for_the_proxy(
    client, coordinator, behind_one_proxy, forwarded_for
):
    login(client, coordinator.username, "wrong-password", PROXY, forwarded_for)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_a_trusted_proxy_count_below_one_is_refused():
    assert "TRUSTED_PROXY_COUNT must be 1 or more" in settings_error(TRUSTED_PROXY_COUNT="0")
