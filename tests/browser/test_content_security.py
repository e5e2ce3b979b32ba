"""The strict Content-Security-Policy breaks nothing: no page triggers a violation."""

import pytest

from allies.models import Agreement
from institutions.models import Institution
from observance.models import InformationRequest, Meeting, ObservanceProcess
from tests.browser import site_pages
from tests.browser.conftest import log_in

# The demo data, loaded once for the module (site_pages says why the helper is replaced).
_live_server_helper = site_pages._live_server_helper
site = site_pages.site

pytestmark = pytest.mark.browser


def violations_while_visiting(page, paths):
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: {error}"))
    for path in paths:
        # Each page's scripts have run once it has loaded: none fetches anything later unless
        # a user types, so waiting for the network to be quiet would only add half a second.
        response = page.goto(path)
        assert response.status == 200, path
    return seen


def test_the_application_pages_run_under_the_policy(page, site):
    # Administración opens every page of the app: the meeting form and the report's preview.
    log_in(page, "admin", site)
    paths = [
        "/",
        "/reuniones/",
        "/reuniones/nueva/",
        Meeting.objects.first().get_absolute_url(),
        "/solicitudes/",
        InformationRequest.objects.first().get_absolute_url(),
        "/instituciones/",
        Institution.objects.first().get_absolute_url(),
        "/aliados/",
        Agreement.objects.first().get_absolute_url(),
        ObservanceProcess.objects.first().get_absolute_url(),
        "/informes/",
        "/informes/2021/1/",
    ]
    assert violations_while_visiting(page, paths) == []


def test_the_admin_runs_under_the_policy(page, site):
    page.goto("/admin/login/")
    page.get_by_label("Nombre de usuario").fill("admin")
    page.get_by_label("Contraseña").fill(site)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    meeting = Meeting.objects.first()
    paths = [
        "/admin/",
        "/admin/observance/meeting/",
        f"/admin/observance/meeting/{meeting.pk}/change/",
        f"/admin/observance/meeting/{meeting.pk}/history/",
        "/admin/institutions/institution/import/",
        "/admin/observance/informationrequest/",
    ]
    assert violations_while_visiting(page, paths) == []
