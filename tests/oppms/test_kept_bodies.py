"""The dashboard's body and the report preview are kept while no record changes
(oppms.unchanged): a record saved shows at once, and what is kept for one user is shown only to
users with the same permissions, never carrying anyone's session or CSRF token: a kept form
posts with its reader's own.

The requests are committed (no test transaction around them), as the app's are. On SQLite
nothing vouches for the data and every request renders: the same assertions hold.
"""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from observance.models import Meeting, ObservatoryProfile
from oppms import unchanged
from oppms.permissions import KeptPermissionsBackend
from reports.trend import semester_of
from tests.admin.posted_form import posted_form
from tests.conftest import logged_in, make_user
from tests.institutions.factories import make_institution, make_meeting
from tests.observance.page_data import make_meeting_at, make_request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("nothing_kept")]

ON_POSTGRESQL = connection.vendor == "postgresql"
DASHBOARD = "/"
# A kept page: the session, the user, the snapshot (read once for the user's permissions, kept
# too, and for the page).
KEPT_PAGE_QUERIES = 3


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def body(client, url):
    """The page's main part, without the CSRF tokens of the reader's own forms (different on
    every request)."""
    html = page(client, url)
    main = re.search(r'<main class="container-lg py-3" id="main">(.*)</main>', html, re.S)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main.group(1))


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    return len(queries)


def kept_read_queries(client, url, expected=KEPT_PAGE_QUERIES, patience=180):
    """The fewest queries a read of ``url`` right after another one made, trying until one
    makes no more than ``expected`` or ``patience`` seconds have passed.

    Snapshots are the server's, not the database's: a write into another database of the same
    PostgreSQL server (another test worker's) also starts a new one, and a worker restoring a
    backup writes for a while. A page is kept if some read right after another one is served
    from what was kept.
    """
    fewest = None
    deadline = time.monotonic() + patience
    while fewest is None or (fewest > expected and time.monotonic() < deadline):
        page(client, url)
        count = queries_of(client, url)
        fewest = count if fewest is None else min(fewest, count)
    return fewest


@pytest.fixture
def viewer(db):
    """Sees the dashboard and nothing more: no commitments, no buttons to add."""
    user = make_user("erin")
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    return user


def test_a_request_falling_overdue_shows_on_the_dashboard_at_once(coordinator):
    client = logged_in(coordinator)
    first = body(client, DASHBOARD)
    assert body(client, DASHBOARD) == first  # kept, or rendered again from the same records
    make_request(
        institution=make_institution(),
        subject="Presupuesto de acogida 2026",
        sent_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    assert "Presupuesto de acogida 2026" in page(client, DASHBOARD)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="nothing is kept on SQLite")
def test_a_meeting_logged_renders_again_only_the_dashboards_boxes_that_read_meetings(coordinator):
    """Each box kept apart (oppms.views.kept_fragment): the requests, the escalations and the
    processes hold through the write log, and the page is checked by the statements that read
    meetings alone; the linkage panel counts the new meeting."""
    today = timezone.localdate()
    institution = make_institution(mapped_on=semester_of(today).start)
    make_request(institution=institution, sent_on=today - datetime.timedelta(days=60))
    client = logged_in(coordinator)
    before = body(client, DASHBOARD)
    now = timezone.now()
    make_meeting_at(
        max(now - datetime.timedelta(minutes=1), semester_of(today).starts_at), institution
    )
    with CaptureQueriesContext(connection) as queries:
        after = body(client, DASHBOARD)
    assert after != before
    run = [query["sql"] for query in queries]
    read = {table for sql in run for table in re.findall(r'FROM "(\w+)"', sql)}
    assert read.isdisjoint({"observance_informationrequest", "observance_observanceprocess"})


def test_a_kept_dashboard_is_shown_only_to_users_with_the_same_permissions(coordinator, viewer):
    coordinator_client, viewer_client = logged_in(coordinator), logged_in(viewer)
    for first, second in ((coordinator_client, viewer_client), (viewer_client, coordinator_client)):
        unchanged.forget()
        page(first, DASHBOARD)
        page(second, DASHBOARD)
    coordinator_page = page(coordinator_client, DASHBOARD)
    viewer_page = page(viewer_client, DASHBOARD)
    assert 'data-testid="new-meeting"' in coordinator_page
    assert 'data-testid="commitments-due"' in coordinator_page
    assert 'data-testid="new-meeting"' not in viewer_page
    assert 'data-testid="commitments-due"' not in viewer_page
    if ON_POSTGRESQL:  # both were kept: reading again is the frame and the snapshot's query
        assert kept_read_queries(viewer_client, DASHBOARD) <= KEPT_PAGE_QUERIES


def test_a_kept_dashboard_carries_no_session_token_of_its_first_reader(coordinator):
    other = make_user("frank", coordinator.groups.get().name)
    first_client, other_client = logged_in(coordinator), logged_in(other)
    page(first_client, DASHBOARD)
    assert "csrfmiddlewaretoken" not in body(other_client, DASHBOARD)
    assert coordinator.username not in page(other_client, DASHBOARD)
    assert other.username in page(other_client, DASHBOARD)  # the frame is the reader's own


def test_a_kept_preview_leaves_finalizing_to_those_who_may(secretary):
    """The body is shared by everyone who may draft; the finalize button, with its CSRF token,
    is in each reader's own frame."""
    drafter = make_user("gina")
    drafter.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_semiannualreport", "change_semiannualreport"]
        )
    )
    period = semester_of(timezone.localdate())
    url = reverse("reports:report-detail", args=[period.year, period.half])
    secretary_client, drafter_client = logged_in(secretary), logged_in(drafter)
    secretary_page = page(secretary_client, url)
    drafter_page = page(drafter_client, url)
    finalize = reverse("reports:report-finalize", args=[period.year, period.half])
    assert f'action="{finalize}"' in secretary_page
    assert f'action="{finalize}"' not in drafter_page
    assert secretary_client.cookies["csrftoken"].value != drafter_client.cookies["csrftoken"].value
    assert "csrfmiddlewaretoken" not in drafter_client.get(url).context["body"]


def test_the_report_preview_is_kept_until_a_meeting_is_recorded(secretary):
    today = timezone.localdate()
    period = semester_of(today)
    url = reverse("reports:report-detail", args=[period.year, period.half])
    institution = make_institution(mapped_on=period.start)
    client = logged_in(secretary)
    first = body(client, url)
    assert body(client, url) == first
    if ON_POSTGRESQL:  # the report's own record besides the frame; the checklist's profile kept
        assert kept_read_queries(client, url, KEPT_PAGE_QUERIES + 1) <= KEPT_PAGE_QUERIES + 1
    make_meeting(institution=institution, held_on=max(period.start, today - datetime.timedelta(1)))
    assert body(client, url) != first


def test_a_kept_previews_checklist_follows_the_profile_as_it_is_saved(secretary):
    """The profile the checklist reads is kept with the preview: written since, it is read
    again, and the text written is no longer asked for."""
    profile = ObservatoryProfile.objects.create(name="Observatorio", objectives="")
    period = semester_of(timezone.localdate())
    url = reverse("reports:report-detail", args=[period.year, period.half])
    client = logged_in(secretary)
    asked = "falta redactar «Objetivos»"
    assert asked in page(client, url)
    assert asked in page(client, url)
    profile.objectives = "Vigilar la atención a las personas retornadas."
    profile.save()
    assert asked not in page(client, url)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="nothing is kept on SQLite")
def test_a_past_semesters_preview_reads_no_meeting_when_one_is_logged_today(secretary):
    """Neither the preview's body nor its trend reads a meeting held after the report's cut-off:
    one logged today leaves them held through the write log; one of the semester is shown."""
    institution = make_institution(mapped_on=datetime.date(2021, 1, 4))
    make_meeting(institution=institution, held_on=datetime.date(2021, 3, 15))
    url = reverse("reports:report-detail", args=[2021, 1])
    client = logged_in(secretary)
    first = body(client, url)
    make_meeting(institution=institution, held_on=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        assert body(client, url) == first
    assert not [query for query in queries if '"observance_meeting"' in query["sql"]]
    make_meeting(institution=institution, held_on=datetime.date(2021, 4, 15), purpose="Abril")
    assert body(client, url) != first


def test_a_kept_list_shows_a_meeting_logged_since_and_each_reader_their_own_buttons(
    coordinator, viewer
):
    url = reverse("observance:meeting-list")
    coordinator_client, viewer_client = logged_in(coordinator), logged_in(viewer)
    first = body(coordinator_client, url)
    assert body(coordinator_client, url) == first
    viewer_page = page(viewer_client, url)
    assert reverse("observance:meeting-create") in first
    assert reverse("observance:meeting-create") not in viewer_page
    if ON_POSTGRESQL:
        assert kept_read_queries(viewer_client, url) <= KEPT_PAGE_QUERIES
    make_meeting(
        institution=make_institution(name="Secretaría de Gestión de Riesgos"),
        held_on=timezone.localdate(),
    )
    assert "Secretaría de Gestión de Riesgos" in body(viewer_client, url)


def csrf_checked(user):
    """A client whose posts are checked for their CSRF token, as a browser's are."""
    return logged_in(user, enforce_csrf_checks=True)


def test_an_edit_form_kept_for_one_reader_saves_for_another_with_their_own_tokens(coordinator):
    other = make_user("frank", coordinator.groups.get().name)
    meeting = make_meeting(institution=make_institution(), held_on=timezone.localdate())
    url = reverse("observance:meeting-update", args=[meeting.pk])
    first, second = csrf_checked(coordinator), csrf_checked(other)
    page(first, url)
    if ON_POSTGRESQL:  # the form's page is the frame around what was kept for the first reader
        assert kept_read_queries(second, url) <= KEPT_PAGE_QUERIES
    data = posted_form(page(second, url), "record-form")
    data["purpose"] = "Seguimiento de la ruta de retorno"

    assert second.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.purpose == "Seguimiento de la ruta de retorno"
    # Saved since: the first reader's form shows it, with the version that saves over it.
    data = posted_form(page(first, url), "record-form")
    assert data["purpose"] == "Seguimiento de la ruta de retorno"
    data["purpose"] = "Acuerdo de capacitación"
    assert first.post(url, data).status_code == 302


def test_each_showing_of_a_kept_create_form_saves_its_own_record(coordinator):
    """Each showing carries a one-time token of its own: two forms shown in turn, by one reader or
    two, and posted, are two meetings, not one and a repeat of it."""
    institution = make_institution()
    url = reverse("observance:meeting-create")
    client = csrf_checked(coordinator)
    forms = [posted_form(page(client, url), "record-form") for _ in range(2)]
    if ON_POSTGRESQL:
        assert kept_read_queries(client, url) <= KEPT_PAGE_QUERIES
    for number, data in enumerate(forms):
        data.update(
            institution=str(institution.pk),
            modality=Meeting.Modality.VIRTUAL,
            purpose=f"Reunión de coordinación {number}",
        )
        assert client.post(url, data).status_code == 302
    assert sorted(Meeting.objects.values_list("purpose", flat=True)) == [
        "Reunión de coordinación 0",
        "Reunión de coordinación 1",
    ]


def test_a_kept_create_form_cancels_back_to_where_each_reader_came_from(coordinator):
    url = reverse("observance:meeting-create")
    client = logged_in(coordinator)
    for came_from in ("/reuniones/?modality=virtual", "/instituciones/", "/reuniones/?page=2"):
        html = client.get(url, HTTP_REFERER=f"http://testserver{came_from}").content.decode()
        assert f'href="http://testserver{came_from.replace("&", "&amp;")}">Cancelar</a>' in html


def test_a_permission_given_or_taken_is_in_force_on_the_next_request(viewer):
    """Permissions are kept too (oppms.permissions): a change to them is a write like any."""
    client = logged_in(viewer)
    url = reverse("observance:commitment-list")
    assert client.get(url).status_code == 403
    assert client.get(url).status_code == 403
    permission = Permission.objects.get(codename="view_commitment")
    viewer.user_permissions.add(permission)
    assert client.get(url).status_code == 200
    viewer.user_permissions.remove(permission)
    assert client.get(url).status_code == 403


@pytest.mark.skipif(not ON_POSTGRESQL, reason="nothing is kept on SQLite")
def test_a_user_made_superuser_as_a_request_began_is_not_answered_with_their_old_permissions(
    viewer,
):
    """The user's row is read before the request's snapshot: a request that read it just before
    the change keeps permissions under a snapshot that already holds the change, and the next
    request, at that snapshot, reads the user as a superuser."""
    backend = KeptPermissionsBackend()
    read_before_the_change = User.objects.get(pk=viewer.pk)
    User.objects.filter(pk=viewer.pk).update(is_superuser=True)

    def two_requests_at_one_snapshot(request):
        backend.get_all_permissions(read_before_the_change)
        return backend.get_all_permissions(User.objects.get(pk=viewer.pk))

    permissions = unchanged.SnapshotPerRequestMiddleware(two_requests_at_one_snapshot)(None)
    assert "observance.delete_meeting" in permissions


def test_a_kept_search_finds_a_record_saved_since(coordinator):
    client = logged_in(coordinator)
    url = reverse("search:results") + "?q=Riesgos"
    first = body(client, url)
    assert body(client, url) == first
    assert "Secretaría de Gestión de Riesgos" not in first
    make_institution(name="Secretaría de Gestión de Riesgos")
    assert "Secretaría de Gestión de Riesgos" in body(client, url)
