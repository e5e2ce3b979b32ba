"""Coordinación decides what goes public: a recommendation's flag and a publication's document."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observance.models import Publication, Recommendation
from tests.conftest import edit_version
from tests.observance.page_data import PDF_BYTES, make_process, make_recommendation


def recommendation_form_data(recommendation, **changes):
    data = {
        "process": recommendation.process_id,
        "institution": recommendation.institution_id,
        "text": recommendation.text,
        "proposed_on": recommendation.proposed_on.isoformat(),
        "compliance": recommendation.compliance,
        **edit_version(recommendation),
    }
    data.update(changes)
    return data


def test_a_recommendation_marked_public_on_its_form_is_counted_on_the_portal(
    coordinator_client, client
):
    recommendation = make_recommendation(compliance=Recommendation.Compliance.COMPLIED)
    assert client.get(reverse("portal:recommendations")).context["rows"] == []

    response = coordinator_client.post(
        reverse("observance:recommendation-update", args=[recommendation.pk]),
        recommendation_form_data(recommendation, is_public="on"),
    )

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.is_public
    assert recommendation.history.first().is_public  # the change is in the history
    rows = client.get(reverse("portal:recommendations")).context["rows"]
    assert [(row["institution__name"], row["complied"]) for row in rows] == [
        (recommendation.institution.name, 1)
    ]


def test_a_publication_keeps_its_document_and_the_portal_serves_it_once_public(
    coordinator_client, client, media_root
):
    coordinator_client.post(
        reverse("observance:publication-create"),
        {
            "process": make_process().pk,
            "kind": "socialisation",
            "title": "Socialización de resultados",
            "published_on": "2021-06-01",
            "document": SimpleUploadedFile("presentacion.pdf", PDF_BYTES),
            "is_public": "on",
        },
    )

    publication = Publication.objects.get()
    assert publication.document
    response = client.get(reverse("portal:publication-document", args=[publication.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_admin_lists_and_filters_recommendations_by_whether_they_are_public(
    admin_client_user,
):
    make_recommendation(text="Recomendación pública", is_public=True)
    make_recommendation(text="Recomendación interna")

    response = admin_client_user.get(
        reverse("admin:observance_recommendation_changelist"), {"is_public__exact": "1"}
    )

    assert "Recomendación pública" in response.text
    assert "Recomendación interna" not in response.text
