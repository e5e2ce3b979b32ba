"""A Consulta user reads every observance page and is offered nothing that changes data."""

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.institutions.factories import make_institution
from tests.observance.page_data import (
    make_evaluation,
    make_follow_up,
    make_meeting_at,
    make_process,
    make_publication,
    make_recommendation,
    make_request,
    make_team_member,
)

pytestmark = pytest.mark.browser


def observance_pages():
    institution = make_institution()
    process = make_process(institutions=[institution])
    meeting = make_meeting_at(timezone.now(), institution=institution, process=process)
    request = make_request(institution=institution, process=process)
    evaluation = make_evaluation(process=process)
    publication = make_publication(process=process, evaluation=evaluation)
    recommendation = make_recommendation(process=process, institution=institution)
    make_follow_up(recommendation)
    make_team_member()
    lists = [
        "/",
        "/reuniones/",
        "/solicitudes/",
        "/politicas/",
        "/procesos/",
        "/evaluaciones/",
        "/publicaciones/",
        "/recomendaciones/",
        "/observatorio/",
        "/observatorio/equipo/",
    ]
    details = [
        record.get_absolute_url()
        for record in (
            meeting,
            request,
            process.policy,
            process,
            evaluation,
            publication,
            recommendation,
        )
    ]
    return lists + details


def test_consulta_user_sees_no_button_or_form_that_changes_data(page, reader):
    paths = observance_pages()
    log_in(page, reader.username, PASSWORD)
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        forms = page.locator("form[method=post]")
        actions = [forms.nth(i).get_attribute("action") for i in range(forms.count())]
        # Logging out and choosing a language change no record.
        assert sorted(actions) == ["/cuentas/logout/", "/idioma/"], (path, actions)
        changing_links = page.locator(
            "[data-testid=new], [data-testid=edit], a[href*='/nueva/'], a[href*='/nuevo/'],"
            " a[href*='/editar/']"
        )
        assert changing_links.count() == 0, path


def test_coordinator_does_see_the_actions_the_reader_does_not(page, coordinator):
    process = make_process()
    log_in(page, coordinator.username, PASSWORD)
    page.goto(process.get_absolute_url())
    assert page.locator("[data-testid=edit]").count() == 1
    assert page.locator("form.step-action").count() == 7
