"""Whatever is typed in the search box or in the address, the search answers 200 or a 4xx."""

import pytest
from django.test import Client
from hypothesis import strategies as st

from tests.fuzz.fuzzing import fuzz, send
from tests.fuzz.strategies import junk_pairs, junk_values, typed_text
from tests.institutions.factories import make_institution

URL = "/buscar/"
KINDS = st.sampled_from(["", "instituciones", "contactos", "reuniones", "x", "\x00", "²"])
PAGES = st.sampled_from(["1", "2", "0", "-1", "last", "abc", str(10**30), "\x00"])


@pytest.fixture
def reader_without_exceptions(reader):
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    return client


def test_odd_searches_never_fail(db, reader_without_exceptions):
    make_institution(name="Ministerio de Educación", acronym="MINEDUC")

    def check(draw):
        pairs = [("q", value) for value in draw(st.lists(junk_values | typed_text, max_size=2))]
        pairs += [("tipo", value) for value in draw(st.lists(KINDS, max_size=1))]
        pairs += [("page", value) for value in draw(st.lists(PAGES, max_size=1))]
        pairs += draw(junk_pairs, label="junk")
        response, where = send(reader_without_exceptions, "get", URL, pairs)
        assert response.status_code in (200, 404), where

    fuzz("get", check)


@pytest.mark.parametrize("q", ["%", "_", "\\", "%%%", "a\\", "100%", "'; DROP TABLE x; --", "＼"])
def test_like_wildcards_are_searched_as_typed(reader_client, q):
    make_institution(name="Ministerio de Educación", acronym="MINEDUC")
    response = reader_client.get(URL, {"q": q * 2})
    assert response.status_code == 200
    assert response.context["found"] is False
