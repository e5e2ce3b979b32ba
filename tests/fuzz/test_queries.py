"""Every list filter, search endpoint and query a page reads, fuzzed through the address:
200 or a 4xx, never a 500."""

import json

import pytest
from django.urls import reverse
from hypothesis import strategies as st

from .fuzzing import fuzz, send
from .strategies import form_pairs, junk_pairs, junk_values, typed_text, values_for
from .targets import (
    all_targets,
    form_and_extra,
    form_targets,
    list_targets,
    search_targets,
    url_of,
)

# What a hand-edited address most often carries: each is tried in every field of every page.
ADDRESS_VALUES = ["²", "١٢", str(10**30), "-1", "1e309", "\x00", "1\x00", "<script>"]
PAGE_VALUES = st.sampled_from(["1", "2", "0", "-1", "last", "abc", str(10**30), "1e309", "\x00"])


@pytest.mark.parametrize("target", list_targets(), ids=str)
def test_list_filters_never_fail(target, world, fuzz_client):
    url = url_of(target, world)
    filterset = target.view_class.filterset_class()
    assert set(filterset.form.fields) == set(target.view_class.filterset_class.base_filters)

    def check(draw):
        pairs = form_pairs(draw, filterset.form)
        pairs += [("page", value) for value in draw(st.lists(PAGE_VALUES, max_size=2))]
        pairs += draw(junk_pairs, label="junk")
        response, where = send(fuzz_client, "get", url, pairs)
        assert response.status_code == 200 or 400 <= response.status_code < 500, where

    fuzz("get", check)


@pytest.mark.parametrize("target", search_targets(), ids=str)
def test_search_endpoints_answer_json(target, world, fuzz_client):
    url = url_of(target, world)

    def check(draw):
        pairs = [("q", value) for value in draw(st.lists(junk_values | typed_text, max_size=2))]
        pairs += draw(junk_pairs, label="junk")
        response, where = send(fuzz_client, "get", url, pairs)
        assert response.status_code == 200, where
        assert isinstance(json.loads(response.content)["results"], list), where

    fuzz("get", check)


def test_report_picker_never_fails(world, fuzz_client, administrator):
    url = reverse("reports:report-list")
    target = next(t for t in all_targets() if t.name == "reports:report-list")

    def check(draw):
        form, pairs = form_and_extra(target, world, draw, st, administrator)
        pairs += form_pairs(draw, form) + draw(junk_pairs, label="junk")
        response, where = send(fuzz_client, "get", url, pairs)
        assert response.status_code in (200, 302), where

    fuzz("get", check)


@pytest.mark.parametrize(
    "target", [t for t in form_targets() if t.name.endswith("-create")], ids=str
)
def test_form_pages_opened_with_any_query_never_fail(target, world, fuzz_client, administrator):
    """Create pages can be opened pre-filled from a related page (?process=3): any address."""
    url = url_of(target, world)
    form, _extra = form_and_extra(target, world, None, st, administrator)

    for value in ADDRESS_VALUES:
        send(fuzz_client, "get", url, [(name, value) for name in form.fields])

    def check(draw):
        pairs = []
        for name in draw(st.sets(st.sampled_from(list(form.fields)), max_size=3)):
            pairs += [(name, value) for value in draw(values_for(form.fields[name], True))]
        pairs += draw(junk_pairs, label="junk")
        response, where = send(fuzz_client, "get", url, pairs)
        assert response.status_code == 200, where

    fuzz("get", check)


def test_numbers_in_the_address_beyond_any_row_are_not_found(world, fuzz_client):
    failures = []
    for target in all_targets():
        for number in (0, 2**31, 2**63, 10**30):
            if not target.kwarg_names:
                continue
            url = reverse(target.name, kwargs=dict.fromkeys(target.kwarg_names, number))
            for method in ("get", "post"):
                try:
                    response, where = send(fuzz_client, method, url, [])
                    assert response.status_code in (302, 404, 405), where
                except AssertionError as failure:
                    failures.append(str(failure)[:300])
    assert failures == []
