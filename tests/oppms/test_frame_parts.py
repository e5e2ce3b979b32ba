"""The navigation bar and the language switch, kept per reader and section
(oppms.templatetags.frame_parts), are what the templates render with the whole page's context:
each reader sees their own name, links and CSRF token, and each page its section and address."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from oppms.templatetags import frame_parts
from oppms.templatetags.navigation import section_of
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HOSTILE_NAME = '<b>Ñandú</b> & "l\'Oeste"'


def without_tokens(html):
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


def frame_of(html, marker):
    """The part of ``html`` that starts with ``marker`` and ends with its element."""
    tag = marker.split()[0].lstrip("<")
    start = html.index(marker)
    return html[start : html.index(f"</{tag}>", start) + len(f"</{tag}>")]


@pytest.fixture
def pages(coordinator, administrator):
    """Readers and the pages they read: a coordinator, a superuser with the admin's link, one
    named with markup, one with a single permission, and the login page's visitor."""
    named = make_user("nadia", coordinator.groups.get().name, first_name=HOSTILE_NAME)
    single = make_user("solo")
    single.user_permissions.add(Permission.objects.get(codename="view_ally"))
    return [
        (logged_in(coordinator), "/reuniones/?modality=virtual&held_after=2021-01-01"),
        (logged_in(coordinator), "/"),
        (logged_in(administrator), "/informes/"),
        (logged_in(named), "/instituciones/"),
        (logged_in(single), "/aliados/"),
        (Client(), "/cuentas/login/?next=/reuniones/"),
    ]


@pytest.mark.parametrize(
    ("template", "marker"),
    [
        ("partials/navbar.html", '<nav class="navbar'),
        (
            "partials/language_switch.html",
            '<form method="post" action="{}"'.format(reverse("set-language")),
        ),
    ],
)
def test_a_kept_frame_part_is_what_the_template_renders_for_the_page(pages, template, marker):
    for client, path in pages:
        for _showing in range(2):  # made, then kept
            response = client.get(path)
            assert response.status_code == 200
            request = response.wsgi_request
            expected = render_to_string(
                template,
                {"nav_section": section_of(request), "with_token": True},
                request=request,
            )
            shown = frame_of(response.content.decode(), marker)
            assert without_tokens(shown) == without_tokens(frame_of(expected, marker)), path


def test_each_reader_gets_their_own_name_and_csrf_token_in_a_kept_frame(coordinator):
    frame_parts.rendered.cache_clear()
    other = make_user("otto", coordinator.groups.get().name, first_name="Otto")
    first, second = logged_in(coordinator), logged_in(other)
    first_page = first.get("/").content.decode()
    second_page = second.get("/").content.decode()
    assert 'data-testid="my-account">Otto<' in second_page
    assert 'data-testid="my-account">Otto<' not in first_page
    for client, page in ((first, first_page), (second, second_page)):
        secret = client.cookies["csrftoken"].value
        tokens = set(TOKEN.findall(page))
        assert tokens
        assert all(len(token) == CSRF_TOKEN_LENGTH for token in tokens)
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert frame_parts.rendered.cache_info().hits == 0
    assert first.get("/").content.decode().count('data-testid="my-account">alice<') == 1
    assert frame_parts.rendered.cache_info().hits == 2  # the first reader's two parts, kept


def test_the_language_switch_returns_to_the_page_it_was_on_escaped():
    page = Client().get("/cuentas/login/?next=/reuniones/&x=<b>").content.decode()
    assert 'name="next" value="/cuentas/login/?next=/reuniones/&amp;x=%3Cb%3E"' in page


def test_a_page_refused_before_anyone_is_known_still_has_its_frame():
    """A request refused before the user is read (a Host the site does not serve) gets the
    400 page with its navigation bar, as an anonymous visitor's."""
    response = Client(HTTP_HOST="otro-sitio.example").get("/")
    assert response.status_code == 400
    assert 'class="navbar' in response.content.decode()
