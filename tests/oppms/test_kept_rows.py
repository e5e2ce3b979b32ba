"""A list's table rows, kept by the statement that selects them, and its filter form, kept by
the query it was given (oppms.templatetags.kept_parts, ``kept_rows`` and ``kept_filters``):
every list shows what it shows when rendered fresh, and a change to what its rows or its
choices show, in their own table or in a record they name, shows at once.

The requests are committed (no test transaction around them), as the app's are. On SQLite
nothing is kept and every request renders: the same assertions hold.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from institutions.models import Institution
from observance.models import Meeting, ObservanceProcess
from oppms.views import RecordListView
from tests.browser import site_pages
from tests.demo_data import load_demo
from tests.institutions.factories import make_meeting

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("nothing_kept")]


def list_paths():
    """Every list of the URL conf that takes no argument."""
    paths = []
    for name, _route, pattern in site_pages.url_patterns():
        view = site_pages.view_class(pattern)
        if view and issubclass(view, RecordListView) and not pattern.pattern.regex.groupindex:
            paths.append(reverse(name))
    return paths


@pytest.fixture
def client_of_all_lists(client):
    load_demo()
    client.force_login(User.objects.create_superuser("sara", password="x"))  # noqa: S106
    return client


def rows_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S).group(1)


def kept_as_fresh(part_of, client, settings, path):
    """The part of the page fresh, asserted equal once kept and once kept or made again."""
    settings.KEEP_WHILE_UNCHANGED = False
    fresh = part_of(client, path)
    settings.KEEP_WHILE_UNCHANGED = True
    assert part_of(client, path) == fresh, path  # made and kept
    assert part_of(client, path) == fresh, path  # kept, or made again
    return fresh


def test_every_list_kept_shows_the_rows_it_shows_rendered_fresh(client_of_all_lists, settings):
    paths = list_paths()
    assert len(paths) >= 12
    for path in paths:
        fresh = kept_as_fresh(rows_of, client_of_all_lists, settings, path)
        assert "<tr" in fresh, path


def test_a_list_shows_a_record_added_off_its_page_and_a_name_changed_on_it(client_of_all_lists):
    client = client_of_all_lists
    newest = Meeting.objects.exclude(institution=None).order_by("-held_at", "-pk").first()
    before = client.get("/reuniones/").content.decode()
    assert newest.get_absolute_url() in before
    count = int(re.search(r'id="record-count">(\d+)', before).group(1))
    make_meeting(institution=newest.institution)  # in 2021: on a later page
    after = client.get("/reuniones/").content.decode()
    assert f'id="record-count">{count + 1} ' in after
    assert rows_of(client, "/reuniones/") == re.search(r"<tbody>(.*?)</tbody>", before, re.S).group(
        1
    )
    Institution.objects.filter(pk=newest.institution_id).update(name="Ministerio Renombrado")
    assert "Ministerio Renombrado" in rows_of(client, "/reuniones/")


def test_a_list_shows_a_change_to_records_its_rows_read_one_by_one(client_of_all_lists):
    """The evaluations list reads each evaluation's institutions after the evaluations: those
    statements are among the rows' too."""
    from observance.models import Evaluation

    client = client_of_all_lists
    institution = (
        Evaluation.objects.filter(institutions__acronym__gt="").first().institutions.first()
    )
    assert institution.acronym in rows_of(client, "/evaluaciones/")
    Institution.objects.filter(pk=institution.pk).update(acronym="ZZRENOMBRADA")
    assert "ZZRENOMBRADA" in rows_of(client, "/evaluaciones/")


def filters_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    found = re.search(
        r'<details class="mb-3 list-filters".*?</details>', response.content.decode(), re.S
    )
    return found.group(0) if found else None


def test_every_list_kept_shows_the_filter_form_it_shows_rendered_fresh(
    client_of_all_lists, settings
):
    paths = [
        *(f"{path}{query}" for path in list_paths() for query in ("", "?q=Ministerio&page=1")),
        "/reuniones/?held_after=31/02/2021&modality=virtual",  # an error shown beside its field
    ]
    for path in paths:
        fresh = kept_as_fresh(filters_of, client_of_all_lists, settings, path)
    assert "is-invalid" in fresh and 'value="31/02/2021"' in fresh


def test_a_filter_form_shows_what_was_asked_and_a_choice_renamed(client_of_all_lists):
    client = client_of_all_lists
    assert 'value="uno"' in filters_of(client, "/reuniones/?q=uno")
    asked = filters_of(client, "/reuniones/?q=%3Cb%3Edos")
    assert 'value="&lt;b&gt;dos"' in asked and 'value="uno"' not in asked
    process = ObservanceProcess.objects.first()
    assert process.title in filters_of(client, "/reuniones/")
    make_meeting(institution=Institution.objects.first())  # a write the form does not show
    assert process.title in filters_of(client, "/reuniones/")
    ObservanceProcess.objects.filter(pk=process.pk).update(title="Proceso renombrado")
    assert "Proceso renombrado" in filters_of(client, "/reuniones/")
