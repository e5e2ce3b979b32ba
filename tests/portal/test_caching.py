"""Portal pages are the same for everyone: cacheable, with no session and nothing personal."""

import pytest
from django.conf import settings
from django.urls import reverse

SHAREABLE_PAGES = ["portal:home", "portal:results", "portal:reports", "portal:recommendations"]


@pytest.mark.parametrize("name", SHAREABLE_PAGES)
def test_an_anonymous_visitor_gets_a_publicly_cacheable_page_and_no_cookie(client, world, name):
    response = client.get(reverse(name))

    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert response.has_header("ETag")
    assert not response.cookies


@pytest.mark.parametrize("name", SHAREABLE_PAGES)
def test_a_page_not_changed_since_the_visitor_last_saw_it_answers_304(client, world, name):
    etag = client.get(reverse(name))["ETag"]

    response = client.get(reverse(name), headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert not response.content


def test_a_new_public_record_changes_the_pages_etag(client, world):
    etag = client.get(reverse("portal:results"))["ETag"]
    world.private_publication.is_public = True
    world.private_publication.save()

    assert client.get(reverse("portal:results"), headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize("name", SHAREABLE_PAGES)
def test_a_logged_in_user_sees_the_same_page_kept_out_of_shared_caches(
    client, coordinator_client, world, name
):
    from django.test import Client

    anonymous = Client().get(reverse(name))
    logged_in = coordinator_client.get(reverse(name))

    assert logged_in.content == anonymous.content
    assert "alice" not in logged_in.text
    # Their renewed session cookie rides on this response: no proxy may keep it.
    assert "private" in logged_in["Cache-Control"]
    assert "public" not in logged_in["Cache-Control"]


def test_the_final_reports_pdf_is_cacheable_and_validated_by_its_fingerprint(client, world):
    url = reverse("portal:report-pdf", args=[2021, 1])
    response = client.get(url)

    assert "public" in response["Cache-Control"]
    assert response["ETag"] == f'"{world.final_report.sha256}"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_a_public_document_is_cacheable_and_a_private_one_is_not_served(client, world):
    public = client.get(reverse("portal:publication-document", args=[world.public_publication.pk]))
    private = client.get(
        reverse("portal:publication-document", args=[world.private_publication.pk])
    )

    assert "public" in public["Cache-Control"]
    assert b"".join(public.streaming_content).startswith(b"%PDF-")
    assert private.status_code == 404
    assert "public" not in private.get("Cache-Control", "")


def test_the_staff_download_of_a_publication_document_stays_private(coordinator_client, world):
    url = reverse(
        "protected-file",
        args=["observance", "publication", world.private_publication.pk, "document"],
    )
    response = coordinator_client.get(url)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
