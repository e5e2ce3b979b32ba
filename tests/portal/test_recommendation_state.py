"""The state of recommendations per institution counts only those Coordinación made public."""

from django.urls import reverse

from observance.models import Recommendation
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_recommendation

Compliance = Recommendation.Compliance


def row_of(response, institution_name):
    for row in response.context["rows"]:
        if row["institution__name"] == institution_name:
            return row
    return None


def test_each_institution_shows_its_public_recommendations_by_compliance(client, db):
    institution = make_institution(name="Ministerio del Interior")
    for compliance in [
        Compliance.COMPLIED,
        Compliance.COMPLIED,
        Compliance.PARTLY_COMPLIED,
        Compliance.NOT_COMPLIED,
        Compliance.PENDING,
        Compliance.IN_PROGRESS,
    ]:
        make_recommendation(institution=institution, compliance=compliance, is_public=True)
    make_recommendation(institution=institution, compliance=Compliance.COMPLIED)  # private

    response = client.get(reverse("portal:recommendations"))

    assert row_of(response, "Ministerio del Interior") == {
        "institution__name": "Ministerio del Interior",
        "institution__acronym": institution.acronym,
        "proposed": 6,
        "complied": 2,
        "partly_complied": 1,
        "not_complied": 1,
        "pending": 2,
    }
    assert response.context["totals"]["proposed"] == 6
    assert "Parcialmente cumplidas" in response.text or "Cumplida parcialmente" in response.text


def test_an_institution_with_only_private_recommendations_is_not_listed(client, db):
    make_recommendation(institution=make_institution(name="Secretaría Reservada"))

    response = client.get(reverse("portal:recommendations"))

    assert response.context["rows"] == []
    assert "Secretaría Reservada" not in response.text


def test_coordinacion_marks_a_recommendation_public_on_its_form(coordinator_client):
    recommendation = make_recommendation(compliance=Compliance.PENDING)
    form_page = coordinator_client.get(
        reverse("observance:recommendation-update", args=[recommendation.pk])
    )
    assert 'name="is_public"' in form_page.text
    assert "Público" in form_page.text or "Pública" in form_page.text
