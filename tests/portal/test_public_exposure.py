"""An anonymous visitor sees, on every portal URL, only what the observatory marked public.

The URLs come from the portal's own URL configuration: a page added there is checked here
without anyone having to list it.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from portal import urls as portal_urls
from tests.observance.page_data import PDF_BYTES
from tests.portal.conftest import PRIVATE_PDF, SECRET

# Which record fills each URL parameter: a public one, and its private counterpart.
PUBLIC_ARGUMENTS = {
    "pk": lambda world: world.public_publication.pk,
    "year": lambda world: world.final_report.year,
    "half": lambda world: world.final_report.half,
}
PRIVATE_ARGUMENTS = {
    "pk": lambda world: world.private_publication.pk,
    "year": lambda world: world.draft_report.year,
    "half": lambda world: world.draft_report.half,
}


def portal_urls_with(arguments, world, only_with_parameters=False):
    urls = []
    for pattern in portal_urls.urlpatterns:
        parameters = list(pattern.pattern.converters)
        if only_with_parameters and not parameters:
            continue
        missing = [name for name in parameters if name not in arguments]
        assert not missing, f"{pattern.name}: say which record fills {missing} in this test"
        kwargs = {name: arguments[name](world) for name in parameters}
        urls.append(reverse(f"portal:{pattern.name}", kwargs=kwargs))
    return urls


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_every_portal_url_answers_an_anonymous_visitor_with_public_content_only(client, world):
    urls = portal_urls_with(PUBLIC_ARGUMENTS, world)
    assert len(urls) == len(portal_urls.urlpatterns) >= 7
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = body_of(response)
        assert SECRET.encode() not in body, url
        assert world.contact.email.encode() not in body, url
        assert world.contact.phone.encode() not in body, url
        assert PRIVATE_PDF not in body, url
        assert settings.SESSION_COOKIE_NAME not in response.cookies, url


def test_no_portal_url_hands_out_a_private_record(client, world):
    urls = portal_urls_with(PRIVATE_ARGUMENTS, world, only_with_parameters=True)
    assert urls, "the portal serves records by number: their private counterparts must 404"
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_the_portal_shows_the_public_records(client, world):
    home = client.get(reverse("portal:home")).content.decode()
    assert "CPCCS-OC-2021-001" in home
    assert "Vigilar las políticas públicas." in home
    assert "María Coordinadora" in home and "Coordinadora Nacional" in home
    assert "Personas refugiadas" in home

    results = client.get(reverse("portal:results")).content.decode()
    assert "Informe de evaluación publicado" in results
    assert "Socialización en Quito" in results
    assert reverse("portal:publication-document", args=[world.public_publication.pk]) in results

    reports = client.get(reverse("portal:reports")).content.decode()
    assert world.final_report.sha256 in reports
    assert "Enero–junio 2021" in reports or "enero–junio 2021" in reports.lower()
    assert "05/07/2021" in reports
    assert reverse("portal:report-pdf", args=[2021, 1]) in reports
    assert reverse("portal:report-pdf", args=[2021, 2]) not in reports


def test_a_public_document_and_a_final_report_download_as_issued(client, world):
    document = client.get(
        reverse("portal:publication-document", args=[world.public_publication.pk])
    )
    assert body_of(document) == PDF_BYTES
    assert "attachment" in document["Content-Disposition"]

    report = client.get(reverse("portal:report-pdf", args=[2021, 1]))
    assert body_of(report) == PDF_BYTES
    assert report["Content-Type"] == "application/pdf"


def test_a_publication_made_private_again_stops_being_served(client, world):
    url = reverse("portal:publication-document", args=[world.public_publication.pk])
    world.public_publication.is_public = False
    world.public_publication.save()

    assert client.get(url).status_code == 404
    assert "Informe de evaluación publicado" not in client.get(reverse("portal:results")).text


def test_the_login_page_links_to_the_portal(client, db):
    assert reverse("portal:home") in client.get(reverse("login")).text


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_read_only_pages_refuse_changes(client, world, method):
    response = getattr(client, method)(reverse("portal:results"))
    assert response.status_code == 405


@pytest.mark.parametrize("page", ["abc", "-1", "0", str(10**30), "\x00"])
def test_an_odd_page_number_shows_a_page_not_an_error(client, world, page):
    response = client.get(reverse("portal:results"), {"page": page})

    assert response.status_code == 200
