"""A form posted twice creates one record: the answer to the first post was lost, the user sent
the form again, and lands on the record the first post made."""

import datetime
import re
import threading
import time

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.views.generic.edit import CreateView

from allies.models import AgendaItem, Agreement, Ally
from institutions.models import Contact, Institution, ResponsibilityArea
from observance.models import (
    Evaluation,
    FollowUp,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    Publication,
    PublicPolicy,
    Recommendation,
    RequestEvent,
    TeamMember,
)
from oppms import roles
from oppms.models import FormSubmission
from oppms.views import RecordCreateView
from tests.allies.factories import make_agreement, make_ally
from tests.conftest import make_user
from tests.institutions.factories import make_institution
from tests.observance.page_data import (
    make_policy,
    make_process,
    make_recommendation,
    make_request,
)

DAY = "2021-03-15"
TOKEN_INPUT = re.compile(r'<input type="hidden" name="submission_token" value="([0-9a-f-]{36})">')


def institution_form():
    return {}, {
        "name": "Ministerio de Gobierno",
        "role": "executor",
        "branch": "executive",
        "level": "national",
        "mapped_on": DAY,
    }


def contact_form():
    return {"institution_pk": make_institution().pk}, {"name": "Luisa Andrade"}


def area_form():
    return {"institution_pk": make_institution().pk}, {"name": "Retorno voluntario"}


def ally_form():
    return {}, {"name": "Universidad Central", "kind": "academia"}


def agreement_form():
    return {}, {"ally": make_ally().pk, "title": "Convenio marco", "status": "negotiation"}


def agenda_item_form():
    return {"pk": make_agreement().pk}, {"activity": "Taller de movilidad", "status": "pending"}


def policy_form():
    return {}, {"name": "Plan de retorno", "group": "returned"}


def process_form():
    return {}, {"policy": make_policy().pk, "title": "Observancia 2021", "started_on": DAY}


def meeting_form():
    return {}, {
        "held_at": "2021-03-15T10:30",
        "modality": "virtual",
        "institution": make_institution().pk,
        "purpose": "Presentar el observatorio",
    }


def request_form():
    return {}, {
        "institution": make_institution().pk,
        "subject": "Cifras de retorno",
        "sent_on": DAY,
        "channel": "email",
    }


def evaluation_form():
    return {}, {
        "process": make_process().pk,
        "title": "Evaluación técnica",
        "evaluated_on": DAY,
        "rating": "partial",
        "findings": "Respuestas incompletas",
    }


def publication_form():
    return {}, {
        "process": make_process().pk,
        "kind": "report",
        "title": "Informe de observancia",
        "published_on": DAY,
    }


def recommendation_form():
    return {}, {
        "process": make_process().pk,
        "institution": make_institution().pk,
        "text": "Publicar las cifras de retorno",
        "proposed_on": DAY,
        "compliance": "pending",
    }


def team_member_form():
    return {}, {"name": "Ana Pérez", "role_title": "Procuradora", "started_on": DAY, "order": "1"}


# Every create page of the app: URL name, the model it creates, and (URL kwargs, valid POST).
CREATE_PAGES = {
    "institutions:institution-create": (Institution, institution_form),
    "institutions:contact-create": (Contact, contact_form),
    "institutions:area-create": (ResponsibilityArea, area_form),
    "allies:ally-create": (Ally, ally_form),
    "allies:agreement-create": (Agreement, agreement_form),
    "allies:agendaitem-create": (AgendaItem, agenda_item_form),
    "observance:policy-create": (PublicPolicy, policy_form),
    "observance:process-create": (ObservanceProcess, process_form),
    "observance:meeting-create": (Meeting, meeting_form),
    "observance:request-create": (InformationRequest, request_form),
    "observance:evaluation-create": (Evaluation, evaluation_form),
    "observance:publication-create": (Publication, publication_form),
    "observance:recommendation-create": (Recommendation, recommendation_form),
    "observance:team-member-create": (TeamMember, team_member_form),
}


def create_views(patterns=None, namespace=None):
    """(URL name, view class) of every class-based create page the URLs lead to."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from create_views(pattern.url_patterns, pattern.namespace or namespace)
        else:
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, CreateView):
                yield f"{namespace}:{pattern.name}", view_class


def token_of(response):
    """The token the page's form carries, read from the HTML the browser gets."""
    tokens = set(TOKEN_INPUT.findall(response.content.decode()))
    assert len(tokens) == 1, tokens
    return tokens.pop()


@pytest.fixture
def staff_client(admin_client_user):
    """The Administración role may open every create page."""
    return admin_client_user


def test_every_create_page_of_the_app_is_checked_here():
    found = dict(create_views())
    assert sorted(found) == sorted(CREATE_PAGES)
    assert all(issubclass(view, RecordCreateView) for view in found.values())


@pytest.mark.parametrize("name", CREATE_PAGES)
def test_a_create_form_posted_twice_creates_one_record_and_the_second_post_lands_on_it(
    staff_client, name
):
    model, form = CREATE_PAGES[name]
    kwargs, data = form()
    url = reverse(name, kwargs=kwargs)
    token = token_of(staff_client.get(url))
    before = model.objects.count()

    first = staff_client.post(url, {**data, "submission_token": token})
    second = staff_client.post(url, {**data, "submission_token": token})

    assert model.objects.count() == before + 1
    created = model.objects.latest("pk")
    assert first.status_code == second.status_code == 302
    assert second.url == created.get_absolute_url()


def test_the_second_post_tells_the_user_the_form_was_already_saved(staff_client):
    kwargs, data = meeting_form()
    url = reverse("observance:meeting-create")
    token = token_of(staff_client.get(url))
    staff_client.post(url, {**data, "submission_token": token})
    page = staff_client.post(url, {**data, "submission_token": token}, follow=True)
    assert "Este formulario ya se había guardado" in page.content.decode()


def test_save_and_log_another_posted_twice_lands_on_the_meeting_first_logged(staff_client):
    kwargs, data = meeting_form()
    url = reverse("observance:meeting-create")
    token = token_of(staff_client.get(url))
    first = staff_client.post(url, {**data, "_addanother": "1", "submission_token": token})
    second = staff_client.post(url, {**data, "_addanother": "1", "submission_token": token})
    assert first.url == url
    assert second.url == Meeting.objects.get().get_absolute_url()
    assert token_of(staff_client.get(first.url)) != token


def test_two_forms_opened_one_after_the_other_create_two_records(staff_client):
    kwargs, data = meeting_form()
    url = reverse("observance:meeting-create")
    first_token = token_of(staff_client.get(url))
    second_token = token_of(staff_client.get(url))
    assert first_token != second_token
    staff_client.post(url, {**data, "submission_token": first_token})
    staff_client.post(url, {**data, "submission_token": second_token})
    assert Meeting.objects.count() == 2


def test_a_form_refused_for_an_error_keeps_its_token_and_saves_once_corrected(staff_client):
    kwargs, data = meeting_form()
    url = reverse("observance:meeting-create")
    token = token_of(staff_client.get(url))
    refused = staff_client.post(url, {**data, "purpose": "", "submission_token": token})
    assert refused.status_code == 200
    assert token_of(refused) == token
    saved = staff_client.post(url, {**data, "submission_token": token})
    assert saved.status_code == 302
    assert saved.url == Meeting.objects.get().get_absolute_url()


def test_another_users_token_does_not_lead_to_their_record(client, coordinator, administrator):
    kwargs, data = meeting_form()
    url = reverse("observance:meeting-create")
    client.force_login(coordinator)
    token = token_of(client.get(url))
    client.post(url, {**data, "purpose": "Reunión de Alice", "submission_token": token})
    alices = Meeting.objects.get()

    client.force_login(administrator)
    response = client.post(
        url, {**data, "purpose": "Reunión de Charlie", "submission_token": token}
    )

    charlies = Meeting.objects.exclude(pk=alices.pk).get()
    assert response.url == charlies.get_absolute_url()
    assert charlies.purpose == "Reunión de Charlie"
    assert alices.purpose == "Reunión de Alice"


def test_a_post_without_a_token_is_saved_as_before(staff_client):
    kwargs, data = meeting_form()
    url = reverse("observance:meeting-create")
    staff_client.post(url, data)
    staff_client.post(url, {**data, "submission_token": "not-a-token"})
    assert Meeting.objects.count() == 2


def test_tokens_older_than_a_week_are_forgotten(staff_client, administrator):
    FormSubmission.objects.create(
        user=administrator,
        token="00000000-0000-4000-8000-000000000000",
        url="/reuniones/1/",
        submitted_at=timezone.now() - datetime.timedelta(days=8),
    )
    kwargs, data = meeting_form()
    url = reverse("observance:meeting-create")
    staff_client.post(url, {**data, "submission_token": token_of(staff_client.get(url))})
    assert list(FormSubmission.objects.values_list("url", flat=True)) == [
        Meeting.objects.get().get_absolute_url()
    ]


def test_an_event_of_a_request_posted_twice_is_recorded_once(staff_client):
    record = make_request(sent_on=datetime.date(2021, 3, 1))
    token = token_of(staff_client.get(record.get_absolute_url()))
    data = {
        "kind": "correction_asked",
        "correction_asked-occurred_on": DAY,
        "correction_asked-notes": "Pedimos corregir la respuesta",
        "submission_token": token,
    }
    url = reverse("observance:request-event", args=[record.pk])
    staff_client.post(url, data)
    second = staff_client.post(url, data)
    assert RequestEvent.objects.filter(request=record, kind="correction_asked").count() == 1
    assert second.url == record.get_absolute_url()


def test_a_follow_up_posted_twice_is_recorded_once(staff_client):
    recommendation = make_recommendation(proposed_on=datetime.date(2021, 3, 1))
    token = token_of(staff_client.get(recommendation.get_absolute_url()))
    data = {"checked_on": DAY, "compliance": "in_progress", "submission_token": token}
    url = reverse("observance:recommendation-follow-up", args=[recommendation.pk])
    staff_client.post(url, data)
    second = staff_client.post(url, data)
    assert FollowUp.objects.filter(recommendation=recommendation).count() == 1
    assert second.url == recommendation.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_the_same_form_at_the_same_moment_create_one_record():
    """A double click: the second post arrives while the first is still saving."""
    user = make_user("doubleclick", roles.COORDINACION)
    evaluation_url = reverse("observance:evaluation-create")
    data = evaluation_form()[1]
    opener = Client()
    opener.force_login(user)
    data["submission_token"] = token_of(opener.get(evaluation_url))

    def slow_save(sender, created, **kwargs):
        # Holds the first post's transaction open while the second one arrives.
        if created:
            time.sleep(0.5)

    answers = []

    def post():
        try:
            client = Client()
            client.force_login(user)
            answers.append(client.post(evaluation_url, data))
        finally:
            connection.close()

    post_save.connect(slow_save, sender=Evaluation)
    try:
        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        post_save.disconnect(slow_save, sender=Evaluation)

    evaluation = Evaluation.objects.get()
    assert [answer.status_code for answer in answers] == [302, 302]
    assert {answer.url for answer in answers} == {evaluation.get_absolute_url()}
