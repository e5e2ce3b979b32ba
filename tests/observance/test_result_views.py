import datetime

from django.urls import reverse

from observance.models import Evaluation, FollowUp, Publication, Recommendation
from tests.institutions.factories import make_institution

from .page_data import make_evaluation, make_process, make_recommendation


def follow_up_url(recommendation):
    return reverse("observance:recommendation-follow-up", args=[recommendation.pk])


def test_evaluation_is_recorded_against_a_process_and_its_institutions(coordinator_client):
    process = make_process()
    institution = make_institution()
    coordinator_client.post(
        reverse("observance:evaluation-create"),
        {
            "process": process.pk,
            "institutions": [institution.pk],
            "title": "Evaluación técnica",
            "evaluated_on": "2021-05-01",
            "rating": "partial",
            "findings": "Información incompleta",
        },
    )
    evaluation = Evaluation.objects.get()
    assert evaluation.process == process
    assert list(evaluation.institutions.all()) == [institution]


def test_publication_of_another_process_evaluation_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("observance:publication-create"),
        {
            "process": make_process().pk,
            "evaluation": make_evaluation().pk,
            "kind": "report",
            "title": "Informe",
            "published_on": "2021-06-01",
        },
    )
    assert response.context["form"].has_error("evaluation")
    assert not Publication.objects.exists()


def test_recommendation_expected_before_it_was_proposed_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("observance:recommendation-create"),
        {
            "process": make_process().pk,
            "institution": make_institution().pk,
            "text": "Publicar las cifras",
            "proposed_on": "2021-06-10",
            "due_on": "2021-06-01",
            "compliance": "pending",
        },
    )
    assert response.context["form"].has_error("due_on")
    assert not Recommendation.objects.exists()


def test_follow_up_is_added_to_the_history_and_updates_compliance(coordinator_client):
    recommendation = make_recommendation()
    response = coordinator_client.post(
        follow_up_url(recommendation),
        {"checked_on": "2021-07-01", "compliance": "partly_complied", "notes": "Avance"},
    )
    recommendation.refresh_from_db()
    assert response.url == recommendation.get_absolute_url()
    assert recommendation.compliance == "partly_complied"
    history = coordinator_client.get(recommendation.get_absolute_url()).context["follow_ups"]
    assert [f.checked_on for f in history] == [datetime.date(2021, 7, 1)]


def test_follow_up_dated_before_the_recommendation_is_refused(coordinator_client):
    recommendation = make_recommendation(proposed_on=datetime.date(2021, 6, 10))
    response = coordinator_client.post(
        follow_up_url(recommendation), {"checked_on": "2021-06-01", "compliance": "complied"}
    )
    assert response.status_code == 200
    assert response.context["follow_up_form"].has_error("checked_on")
    recommendation.refresh_from_db()
    assert recommendation.compliance == "pending"
    assert not FollowUp.objects.exists()


def test_recommendation_list_filters_by_compliance_institution_and_process(
    coordinator_client,
):
    pending = make_recommendation()
    complied = make_recommendation(compliance="complied")
    url = reverse("observance:recommendation-list")
    cases = {
        "compliance=complied": [complied],
        f"institution={pending.institution_id}": [pending],
        f"process={complied.process_id}": [complied],
    }
    for query, expected in cases.items():
        assert list(coordinator_client.get(f"{url}?{query}").context["object_list"]) == expected
