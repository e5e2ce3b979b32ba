"""Every record's page links to its "Historial"."""

import pytest
from django.urls import reverse

from allies.models import Agreement, Ally
from institutions.models import Institution
from observance.models import (
    Evaluation,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    Publication,
    PublicPolicy,
    Recommendation,
)
from tests.admin.conftest import FACTORIES, make_profile

WITH_DETAIL_PAGE = [
    Institution,
    Ally,
    Agreement,
    Meeting,
    InformationRequest,
    Evaluation,
    Publication,
    Recommendation,
    PublicPolicy,
    ObservanceProcess,
]


def history_link(html):
    marker = 'data-testid="history"'
    assert html.count(marker) == 1
    tag = html[html.rindex("<a ", 0, html.index(marker)) : html.index(marker)]
    return tag.split('href="')[1].split('"')[0]


@pytest.mark.parametrize("model", WITH_DETAIL_PAGE, ids=lambda model: model.__name__)
def test_a_records_page_links_to_its_history(reader_client, model):
    record = FACTORIES[model]()
    html = reader_client.get(record.get_absolute_url()).content.decode()
    url = history_link(html)
    opts = record._meta
    assert url == reverse("record-history", args=[opts.app_label, opts.model_name, record.pk])
    assert reader_client.get(url).status_code == 200


def test_the_observatory_profile_links_to_its_history(reader_client):
    profile = make_profile()
    html = reader_client.get(reverse("observance:profile")).content.decode()
    assert history_link(html) == reverse(
        "record-history", args=["observance", "observatoryprofile", profile.pk]
    )


def test_the_profile_page_without_a_profile_has_no_history_link(reader_client):
    html = reader_client.get(reverse("observance:profile")).content.decode()
    assert 'data-testid="history"' not in html
