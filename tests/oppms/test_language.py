"""The language switch: Spanish by default whatever the browser asks, English on request,
remembered for the user on every browser they log in from."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from oppms.models import ReminderPreferences
from tests.conftest import PASSWORD

SWITCH = reverse("set-language")
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def switch(client, language, next_url="/"):
    return client.post(SWITCH, {"language": language, "next": next_url})


def log_in(client, user):
    """Through the login form, as a person does: the login is what brings their language back."""
    page = client.get("/cuentas/login/")
    response = client.post(
        "/cuentas/login/",
        {
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": page.context["csrf_token"],
        },
    )
    assert response.status_code == 302, response


@pytest.mark.django_db
def test_pages_are_spanish_whatever_the_browser_asks(client, coordinator):
    assert "Iniciar sesión" in client.get("/cuentas/login/", **ENGLISH_BROWSER).text
    log_in(client, coordinator)
    page = client.get(reverse("observance:dashboard"), **ENGLISH_BROWSER)
    assert '<html lang="es">' in page.text
    assert "Cerrar sesión" in page.text
    assert page["Content-Language"] == "es"


@pytest.mark.django_db
def test_a_user_switches_to_english_and_back(client, coordinator):
    log_in(client, coordinator)
    response = switch(client, "en", reverse("observance:meeting-list"))
    assert response.status_code == 302
    assert response.url == reverse("observance:meeting-list")
    page = client.get(reverse("observance:dashboard"))
    assert '<html lang="en">' in page.text
    assert "Log out" in page.text
    switch(client, "es")
    assert "Cerrar sesión" in client.get(reverse("observance:dashboard")).text


@pytest.mark.django_db
def test_the_choice_follows_the_user_to_another_browser(coordinator):
    first = Client(enforce_csrf_checks=True)
    log_in(first, coordinator)
    page = first.get(reverse("observance:dashboard"))
    first.post(
        SWITCH, {"language": "en", "next": "/", "csrfmiddlewaretoken": page.context["csrf_token"]}
    )
    assert ReminderPreferences.of(User.objects.get(pk=coordinator.pk)).language == "en"

    second = Client()
    log_in(second, coordinator)
    assert "Log out" in second.get(reverse("observance:dashboard"), **ENGLISH_BROWSER).text


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_does_not_change_the_account(coordinator):
    # Another site could post the form; it may at most change this browser's language.
    browser = Client(enforce_csrf_checks=True)
    log_in(browser, coordinator)
    browser.post(SWITCH, {"language": "en", "next": "/"})
    assert ReminderPreferences.objects.filter(user=coordinator, language="en").count() == 0


@pytest.mark.django_db
def test_a_visitor_switches_on_the_login_page_and_the_portal(client):
    response = switch(client, "en", "/cuentas/login/")
    assert response.url == "/cuentas/login/"
    assert "Log in" in client.get("/cuentas/login/").text
    portal = client.get(reverse("portal:home"))
    assert '<html lang="en">' in portal.text
    # A shared cache keeps one copy per language cookie, never the English one for everyone.
    assert "Cookie" in portal["Vary"]


@pytest.mark.django_db
def test_an_unknown_language_or_a_foreign_next_changes_nothing(client):
    response = switch(client, "fr", "https://evil.example/")
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example")
    assert "Iniciar sesión" in client.get("/cuentas/login/").text


@pytest.mark.django_db
def test_the_switch_is_offered_on_app_login_and_portal_pages(client, coordinator):
    for url in ("/cuentas/login/", reverse("portal:home")):
        assert f'action="{SWITCH}"' in client.get(url).text, url
    log_in(client, coordinator)
    for url in (reverse("observance:dashboard"), reverse("observance:meeting-list")):
        assert f'action="{SWITCH}"' in client.get(url).text, url


@pytest.mark.django_db
def test_the_search_boxes_speak_the_page_language(coordinator_client):
    page = coordinator_client.get(reverse("observance:meeting-create"))
    assert 'data-select-no-results="No se encontraron resultados"' in page.text
    switch(coordinator_client, "en")
    page = coordinator_client.get(reverse("observance:meeting-create"))
    assert 'data-select-no-results="No results found"' in page.text
