"""A server error reaches the administrators by e-mail, with the request id of the logs."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import path


def broken_view(request):
    raise RuntimeError("a bug nobody caught")


urlpatterns = [path("broken/", broken_view)]


@pytest.fixture
def broken_site(settings):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Administración", "admin@oppms.example.org")]


@pytest.mark.django_db
def test_a_server_error_mails_the_administrators_with_the_request_id(broken_site):
    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert b"a bug nobody caught" not in response.content
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@oppms.example.org"]
    assert response["X-Request-ID"] in mail.outbox[0].body


@pytest.mark.django_db
def test_without_administrators_configured_nobody_is_mailed(broken_site, settings):
    settings.ADMINS = []
    Client(raise_request_exception=False).get("/broken/")
    assert mail.outbox == []
