"""Whatever a user types in the address bar, the pages answer without a server error."""

import pytest
from django.urls import reverse

from tests.allies.factories import make_agreement
from tests.institutions.factories import make_institution

HUGE = "9" * 25


@pytest.mark.parametrize(
    "url",
    [
        f"/instituciones/{HUGE}/",
        f"/instituciones/{HUGE}/editar/",
        f"/instituciones/{HUGE}/contactos/nuevo/",
        f"/instituciones/areas/{HUGE}/editar/",
        f"/aliados/{HUGE}/",
        f"/aliados/convenios/{HUGE}/",
        f"/aliados/convenios/{HUGE}/agenda/nueva/",
    ],
)
def test_an_impossible_record_number_is_not_found(admin_client_user, url):
    assert admin_client_user.get(url).status_code == 404


@pytest.mark.parametrize(
    "name, params",
    [
        ("institutions:institution-list", {"q": "a\x00b"}),
        ("institutions:institution-search", {"q": "a\x00b"}),
        ("allies:ally-list", {"q": "\x00"}),
        ("allies:ally-search", {"q": "\x00"}),
        ("allies:agreement-list", {"ally": HUGE}),
        ("allies:agreement-list", {"ally": "\x00"}),
        ("allies:agreement-create", {"ally": HUGE}),
        ("allies:agreement-create", {"ally": "\x00"}),
    ],
)
def test_odd_query_parameters_do_not_break_the_page(admin_client_user, name, params):
    make_institution()
    make_agreement()
    assert admin_client_user.get(reverse(name), params).status_code == 200
