import datetime

from django.urls import reverse

from observance.models import ObservanceProcess, ProcessStep
from tests.institutions.factories import make_area, make_institution

from .page_data import (
    make_evaluation,
    make_meeting_at,
    make_policy,
    make_process,
    make_publication,
    make_recommendation,
    make_request,
)


def step_url(process, number, action):
    return reverse(f"observance:process-step-{action}", args=[process.pk, number])


def step_of(process, number):
    return ProcessStep.objects.get(process=process, step=number)


def test_coordinator_creates_a_process_with_its_seven_steps(coordinator_client):
    institution = make_institution()
    response = coordinator_client.post(
        reverse("observance:process-create"),
        {
            "policy": make_policy().pk,
            "title": "Observancia 2021",
            "institutions": [institution.pk],
            "started_on": "2021-02-01",
        },
    )
    process = ObservanceProcess.objects.get()
    assert response.url == process.get_absolute_url()
    assert list(process.institutions.all()) == [institution]
    assert process.steps.count() == 7


def test_process_closing_before_it_starts_is_refused_next_to_the_closing_date(
    coordinator_client,
):
    response = coordinator_client.post(
        reverse("observance:process-create"),
        {
            "policy": make_policy().pk,
            "title": "Observancia 2021",
            "started_on": "2021-02-01",
            "closed_on": "2021-01-01",
        },
    )
    assert response.context["form"].has_error("closed_on")
    assert not ObservanceProcess.objects.exists()


def test_starting_a_step_sets_its_status_and_date(coordinator_client):
    process = make_process()
    response = coordinator_client.post(step_url(process, 4, "start"), {"step4-on": "2021-03-01"})
    step = step_of(process, 4)
    assert response.url == process.get_absolute_url()
    assert (step.status, step.started_on) == ("in_progress", datetime.date(2021, 3, 1))


def test_completing_a_step_sets_it_done(coordinator_client):
    process = make_process()
    coordinator_client.post(step_url(process, 2, "start"), {"step2-on": "2021-03-01"})
    coordinator_client.post(step_url(process, 2, "complete"), {"step2-on": "2021-04-01"})
    step = step_of(process, 2)
    assert (step.status, step.completed_on) == ("done", datetime.date(2021, 4, 1))


def test_step_completed_before_it_started_is_refused_and_nothing_saved(coordinator_client):
    process = make_process()
    coordinator_client.post(step_url(process, 2, "start"), {"step2-on": "2021-03-01"})
    response = coordinator_client.post(step_url(process, 2, "complete"), {"step2-on": "2021-02-01"})
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["step"].step == 2)
    assert row["form"].has_error("on")
    step = step_of(process, 2)
    assert (step.status, step.completed_on) == ("in_progress", None)


def test_starting_a_step_twice_is_refused(coordinator_client):
    process = make_process()
    coordinator_client.post(step_url(process, 1, "start"), {"step1-on": "2021-03-01"})
    response = coordinator_client.post(step_url(process, 1, "start"), {"step1-on": "2021-03-05"})
    assert response.status_code == 200
    assert step_of(process, 1).started_on == datetime.date(2021, 3, 1)


def test_step_actions_are_post_only(coordinator_client):
    assert coordinator_client.get(step_url(make_process(), 1, "start")).status_code == 405


def test_unknown_step_is_not_found(coordinator_client):
    assert coordinator_client.post(step_url(make_process(), 9, "start")).status_code == 404


def test_each_step_shows_the_records_that_evidence_it(coordinator_client):
    institution = make_institution()
    area = make_area(institution)
    process = make_process(institutions=[institution])
    evidence = {
        1: institution,
        2: make_meeting_at(
            datetime.datetime(2021, 3, 1, tzinfo=datetime.UTC),
            institution=institution,
            process=process,
        ),
        3: area,
        4: make_request(institution=institution, process=process),
        5: make_evaluation(process=process),
        6: make_publication(process=process),
        7: make_recommendation(process=process, institution=institution),
    }
    rows = coordinator_client.get(process.get_absolute_url()).context["rows"]
    assert {row["step"].step: row["evidence"] for row in rows} == {
        number: [record] for number, record in evidence.items()
    }


def test_consulta_sees_the_steps_without_their_actions(reader_client):
    process = make_process()
    response = reader_client.get(process.get_absolute_url())
    assert all(row["form"] is None for row in response.context["rows"])
    assert 'method="post" novalidate' not in response.content.decode()


def test_policy_page_lists_its_processes(coordinator_client):
    process = make_process()
    response = coordinator_client.get(process.policy.get_absolute_url())
    assert list(response.context["processes"]) == [process]
