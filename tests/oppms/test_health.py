from contextlib import contextmanager

import pytest
from django.db import connection

from observance.models import Meeting


@contextmanager
def database_unreachable():
    """Point the live connection at a database that does not exist: a real failed connect."""
    original = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/folder/oppms.sqlite3"
    else:
        connection.settings_dict["NAME"] = "oppms_database_that_does_not_exist"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


@pytest.mark.django_db
def test_health_check_answers_200_while_the_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")


@pytest.mark.django_db(transaction=True)
def test_health_check_answers_503_when_the_database_is_down(client):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_a_page_answers_a_clean_503_without_traceback_when_the_database_is_down(
    coordinator_client,
):
    with database_unreachable():
        response = coordinator_client.get("/")
    assert response.status_code == 503
    assert b"Traceback" not in response.content
    assert response["Retry-After"] == "30"


@pytest.mark.django_db(transaction=True)
def test_the_application_recovers_by_itself_when_the_database_is_back(coordinator_client):
    with database_unreachable():
        assert coordinator_client.get("/healthz").status_code == 503
    assert coordinator_client.get("/healthz").status_code == 200
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_every_response_carries_a_request_id_for_the_logs(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc12345-from-proxy"})
    assert response["X-Request-ID"] == "abc12345-from-proxy"


@pytest.mark.django_db
def test_a_forged_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32
