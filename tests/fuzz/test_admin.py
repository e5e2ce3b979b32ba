"""The admin's addresses, typed by hand or edited: never a 500, for every registered model.

The admin is where Administración works, and its addresses carry ids and filters as plainly as
the app's do: a change, history or delete page with an id that is not one, a changelist with a
filter, order or page nobody offered, an add page pre-filled from the address. Each answers
200, a redirect, 400, 403 or 404; none answers 500. The models come from the admin's registry,
so a model registered tomorrow is covered the day it is.
"""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from hypothesis import strategies as st

from tests.conftest import make_user

from .fuzzing import fuzz, send
from .strategies import NASTY_NUMBERS, junk_pairs, junk_values

ANSWERS = {200, 302, 400, 403, 404, 405}

# Ids nobody's link carries: words, signs, numbers past any column, other scripts' digits,
# NUL, markup, a path.
ODD_IDS = [
    "abc",
    "0",
    "-1",
    "1.5",
    " 1",
    "²",
    "١٢",
    str(2**63),
    str(10**30),
    "\x00",
    "<script>",
    "a/b",
]
# Values put in the address's query, each tried in every parameter a page reads.
ODD_VALUES = ["", "abc", "-1", "1e309", str(10**30), "\x00", "١٢", "2021-02-30", "x" * 5000]
# Query parameters every changelist reads, whatever its filters.
CHANGELIST_PARAMETERS = ["q", "o", "p", "e", "all", "_to_field", "_popup", "_changelist_filters"]


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


MODEL_IDS = [model._meta.label for model, _model_admin in registered()]


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(db):
    """A superuser reaches every admin view of every model, the auth and lockout ones included."""
    client = Client(raise_request_exception=False)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def answered(client, method, url, pairs=()):
    response, where = send(client, method, url, list(pairs))
    assert response.status_code in ANSWERS, where
    return response


@pytest.mark.parametrize("model, model_admin", registered(), ids=MODEL_IDS)
def test_record_pages_with_an_odd_id_never_fail(world, superuser_client, model, model_admin):
    client = superuser_client
    for odd in ODD_IDS:
        for view in ("change", "history", "delete"):
            url = admin_url(model, view, odd)
            answered(client, "get", url)
            answered(client, "post", url)
        # The bare record address, which redirects to its change page.
        answered(client, "get", admin_url(model, "changelist") + quote(odd, safe="") + "/")
    # django-simple-history's page of one past version: odd record and version ids.
    existing = model._default_manager.order_by("pk").first()
    for record_id in ["abc", str(10**30)] + ([str(existing.pk)] if existing else []):
        for odd in ODD_IDS:
            try:
                url = admin_url(model, "simple_history", record_id, odd)
            except NoReverseMatch:  # a model without history, or an id its pattern refuses
                continue
            answered(client, "get", url)
            answered(client, "post", url)


@pytest.mark.parametrize("model, model_admin", registered(), ids=MODEL_IDS)
def test_the_view_on_site_shortcut_with_odd_ids_never_fails(
    world, superuser_client, model, model_admin
):
    content_type = ContentType.objects.get_for_model(model)
    for odd in ODD_IDS:
        url = reverse("admin:view_on_site", args=[content_type.pk, odd])
        answered(superuser_client, "get", url)


def changelist_parameters(client, model):
    """The parameters a model's changelist reads: its filters' and every changelist's."""
    response = answered(client, "get", admin_url(model, "changelist"))
    names = set(CHANGELIST_PARAMETERS)
    changelist = response.context["cl"] if response.status_code == 200 else None
    if changelist is not None:
        for spec in changelist.filter_specs:
            names.update(spec.expected_parameters())
        if changelist.date_hierarchy:
            field = changelist.date_hierarchy
            names.update(f"{field}__{part}" for part in ("year", "month", "day"))
    names.update(field.attname for field in model._meta.concrete_fields)
    return sorted(names)


@pytest.mark.parametrize("model, model_admin", registered(), ids=MODEL_IDS)
def test_changelists_with_odd_queries_never_fail(world, superuser_client, model, model_admin):
    url = admin_url(model, "changelist")
    names = changelist_parameters(superuser_client, model)

    # Every parameter with every odd value, one at a time: the sweep hypothesis may miss.
    for name in names:
        for value in ODD_VALUES:
            answered(superuser_client, "get", url, [(name, value)])

    # Then several at once, as a hand-edited address combines them.
    def check(draw):
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4), label="names")
        values = st.sampled_from(ODD_VALUES + NASTY_NUMBERS) | junk_values
        pairs = [(name, draw(values, label=name)) for name in chosen]
        answered(superuser_client, "get", url, pairs + draw(junk_pairs, label="junk"))

    fuzz("get", check)


@pytest.mark.parametrize("model, model_admin", registered(), ids=MODEL_IDS)
def test_add_pages_prefilled_from_an_odd_address_never_fail(
    world, superuser_client, model, model_admin
):
    """The admin pre-fills an add form from the query (?institution=3): any query."""
    url = admin_url(model, "add")
    response = answered(superuser_client, "get", url)
    form = response.context["adminform"].form if response.status_code == 200 else None
    names = list(form.fields) if form is not None else []
    for value in ODD_VALUES:
        pairs = [(name, value) for name in [*names, "_changelist_filters", "_popup"]]
        answered(superuser_client, "get", url, pairs)


@pytest.mark.parametrize("model, model_admin", registered(), ids=MODEL_IDS)
def test_import_and_export_pages_with_odd_queries_never_fail(
    world, superuser_client, model, model_admin
):
    for view in ("import", "export"):
        try:
            url = admin_url(model, view)
        except NoReverseMatch:  # no spreadsheets for this model
            continue
        for value in ODD_VALUES:
            answered(superuser_client, "get", url, [("format", value), ("resource", value)])


def test_the_autocomplete_endpoint_with_odd_queries_never_fails(world, superuser_client):
    url = reverse("admin:autocomplete")
    names = ["app_label", "model_name", "field_name", "term", "page"]
    known = [
        (model._meta.app_label, model._meta.model_name, field)
        for model, model_admin in registered()
        for field in model_admin.autocomplete_fields
    ]
    for value in ODD_VALUES:
        answered(superuser_client, "get", url, [(name, value) for name in names])
        for app_label, model_name, field in known:
            answered(
                superuser_client,
                "get",
                url,
                [
                    ("app_label", app_label),
                    ("model_name", model_name),
                    ("field_name", field),
                    ("term", value),
                    ("page", value),
                ],
            )


def test_the_history_page_of_an_id_that_is_no_number_is_not_found(superuser_client, db):
    assert superuser_client.get("/admin/observance/meeting/abc/history/").status_code == 404
    assert superuser_client.get("/admin/observance/meeting/1/history/abc/").status_code == 404


def test_a_year_past_any_calendar_is_answered_as_a_bad_address(superuser_client, db):
    response = superuser_client.get(f"/admin/observance/holiday/?date__year={10**30}")

    assert response.status_code == 400
    assert gettext("Bad request") in response.content.decode()


def test_a_form_posted_to_the_admin_is_not_turned_into_a_bad_request(superuser_client, world):
    """The guard covers reading addresses only: a posted form answers with its own errors."""
    meeting = world["meeting"]
    response = superuser_client.post(admin_url(type(meeting), "change", meeting.pk), {})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
