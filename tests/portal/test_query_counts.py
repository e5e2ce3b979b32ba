"""Each portal page reads the database a fixed number of times, however many records there are."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from observance.models import Recommendation
from tests.institutions.factories import make_institution
from tests.observance.page_data import (
    PDF_BYTES,
    make_process,
    make_publication,
    make_recommendation,
    make_team_member,
)
from tests.portal.conftest import make_final_report

# page -> queries: one per thing shown (a page of results and its institutions count as three).
PAGES = {
    "portal:home": 2,  # profile, team
    "portal:results": 3,  # count, page, institutions of the page
    "portal:reports": 1,
    "portal:recommendations": 1,
    "portal:verify": 0,
}


def add_many_records(world):
    process = make_process()
    institutions = [make_institution() for _ in range(12)]
    for number in range(40):
        publication = make_publication(process=process, is_public=True)
        publication.institutions.set(institutions[number % 12 : number % 12 + 3])
        make_recommendation(
            process=process,
            institution=institutions[number % 12],
            compliance=Recommendation.Compliance.values[number % 5],
            is_public=number % 3 != 0,
        )
        make_team_member()
    for year in range(2022, 2026):
        make_final_report(year, 1, content=PDF_BYTES + str(year).encode())
        make_final_report(year, 2, content=PDF_BYTES + str(-year).encode())
    world.public_publication.document.save("otro.pdf", ContentFile(PDF_BYTES))


@pytest.mark.parametrize(("name", "queries"), PAGES.items())
def test_a_portal_page_makes_the_same_queries_with_few_and_many_records(
    client, world, django_assert_num_queries, name, queries
):
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200
    add_many_records(world)
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200


def test_verifying_and_downloading_take_one_query_each(client, world, django_assert_num_queries):
    add_many_records(world)
    with django_assert_num_queries(1):
        client.post(reverse("portal:verify"), {"sha256": world.final_report.sha256})
    with django_assert_num_queries(1):
        report = client.get(reverse("portal:report-pdf", args=[2021, 1]))
    with django_assert_num_queries(1):
        document = client.get(
            reverse("portal:publication-document", args=[world.public_publication.pk])
        )
    for download in (report, document):
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
