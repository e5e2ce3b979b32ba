import datetime

from django.urls import reverse

from observance.models import InformationRequest, ObservanceProcess, PublicPolicy, Recommendation
from tests.institutions.factories import make_area, make_contact, make_institution, make_meeting


def detail(client, institution):
    return client.get(reverse("institutions:institution-detail", args=[institution.pk]))


def make_process():
    policy = PublicPolicy.objects.create(name="Plan de retorno", group="returned")
    return ObservanceProcess.objects.create(
        policy=policy, title="Observancia 2021", started_on=datetime.date(2021, 1, 4)
    )


def test_the_page_shows_the_institutions_contacts_and_areas(reader_client):
    institution = make_institution()
    make_contact(institution, name="María Paredes", email="mparedes@example.gob.ec")
    make_area(institution, name="Reinserción laboral")

    response = detail(reader_client, institution)

    assert b"Mar\xc3\xada Paredes" in response.content
    assert b"Reinserci\xc3\xb3n laboral" in response.content


def test_a_met_institution_shows_how_often_and_when_it_was_last_met(reader_client):
    institution = make_institution()
    make_meeting(institution, held_on=datetime.date(2021, 2, 1))
    make_meeting(institution, held_on=datetime.date(2021, 4, 9))

    response = detail(reader_client, institution)

    status = response.content.split(b'id="linkage-status"')[1].split(b"</p>")[0]
    assert b"linkage-met" in response.content and b"09/04/2021" in status and b"2" in status


def test_an_institution_never_met_says_so(reader_client):
    response = detail(reader_client, make_institution())
    assert b'class="lead linkage-not-met"' in response.content


def test_only_the_latest_twenty_meetings_are_listed_with_a_link_to_all_of_them(reader_client):
    institution = make_institution()
    for day in range(1, 26):
        make_meeting(institution, held_on=datetime.date(2021, 3, day))

    response = detail(reader_client, institution)

    assert len(response.context["meetings"]) == 20
    assert response.context["meetings"][0].held_at.day == 25
    expected = reverse("observance:meeting-list") + f"?institution={institution.pk}"
    assert f'href="{expected}"'.encode() in response.content


def test_an_overdue_information_request_is_marked(reader_client):
    institution = make_institution()
    InformationRequest.objects.create(
        institution=institution, subject="Cifras de retorno 2020", sent_on=datetime.date(2021, 1, 4)
    )
    response = detail(reader_client, institution)

    row = response.content.split(b"Cifras de retorno 2020")[0].rsplit(b"<tr", 1)[1]
    assert b"overdue" in row
    assert b"overdue-badge" in response.content


def test_an_answered_request_is_not_marked_overdue(reader_client):
    institution = make_institution()
    InformationRequest.objects.create(
        institution=institution,
        subject="Presupuesto",
        sent_on=datetime.date(2021, 1, 4),
        answered_on=datetime.date(2021, 1, 10),
        outcome=InformationRequest.Outcome.ANSWERED_FULLY,
    )
    response = detail(reader_client, institution)
    assert b"overdue" not in response.content.split(b'id="information-requests"')[1]


def test_the_institutions_recommendations_are_listed(reader_client):
    institution = make_institution()
    Recommendation.objects.create(
        process=make_process(),
        institution=institution,
        text="Publicar la ruta de atención a personas retornadas",
        proposed_on=datetime.date(2021, 5, 1),
    )
    response = detail(reader_client, institution)
    assert b"Publicar la ruta de atenci" in response.content


def test_the_page_runs_a_fixed_number_of_queries(reader_client, django_assert_max_num_queries):
    institution = make_institution()
    process = make_process()
    for day in range(1, 29):
        make_meeting(institution, held_on=datetime.date(2021, 2, day), process=process)
        make_contact(institution)
        make_area(institution)
        InformationRequest.objects.create(
            institution=institution, subject=f"Pedido {day}", sent_on=datetime.date(2021, 2, day)
        )
    with django_assert_max_num_queries(14):
        response = detail(reader_client, institution)
    assert response.status_code == 200


def test_an_unknown_institution_is_not_found(reader_client):
    response = reader_client.get(reverse("institutions:institution-detail", args=[999999]))
    assert response.status_code == 404
