"""The demo after the 2021 report: every semester from 2021-S2 to today's shows records.

The demo is seeded once for the module (inside a transaction rolled back at its end); each test
runs in its own savepoint on top of it.
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from observance import demo_continuation
from observance.models import (
    Evaluation,
    InformationRequest,
    Publication,
    Recommendation,
    RequestEvent,
)
from reports.builder import report_figures
from reports.periods import Period
from reports.trend import semester_of


def seed():
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo, db):
    """The module's demo, in a savepoint of this test."""


def semesters_to_today():
    today = timezone.localdate()
    semester, found = Period(2021, 1), []
    while semester <= semester_of(today):
        found.append(semester)
        semester = Period(semester.year + semester.half // 2, semester.half % 2 + 1)
    return found


SEMESTERS = semesters_to_today()
CONTINUATION = SEMESTERS[1:]


def skip_if_just_begun(semester):
    # Each semester's evaluation, publication and recommendation come in its first five weeks.
    if timezone.localdate() < semester.start + datetime.timedelta(days=36):
        pytest.skip(f"{semester.code} began less than five weeks ago")


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_continuation_leaves_the_2021_first_semester_report_as_it_was(db, monkeypatch):
    # First in the module, before its shared demo exists.
    assert not InformationRequest.objects.exists()
    monkeypatch.setattr(demo_continuation, "seed_continuation", lambda **kwargs: None)
    seed()
    alone = report_figures(period=Period(2021, 1))
    monkeypatch.undo()
    seed()
    continued = report_figures(period=Period(2021, 1))
    assert Evaluation.objects.exists()  # the continuation did run
    assert continued == alone


def test_running_seed_demo_again_changes_no_row(seeded):
    counts = row_counts()
    seed()
    assert row_counts() == counts


def test_the_2021_first_semester_keeps_the_reports_figures(seeded):
    figures = report_figures(period=Period(2021, 1))
    assert (
        figures["mapping"]["total"],
        figures["linkage"]["numerator"],
        figures["linkage"]["percent"],
        figures["meetings"]["academia"],
    ) == (20, 11, 55, 10)


@pytest.mark.parametrize("semester", SEMESTERS, ids=[s.code for s in SEMESTERS])
def test_every_semester_since_2021_has_meetings_and_requests(seeded, semester):
    figures = report_figures(period=semester)
    assert figures["meetings"]["institutions"] > 0
    assert figures["meetings"]["total"] > figures["meetings"]["institutions"]  # allies too
    assert figures["requests"]["sent"] > 0


@pytest.mark.parametrize("semester", CONTINUATION, ids=[s.code for s in CONTINUATION])
def test_every_semester_after_the_2021_report_has_results(seeded, semester):
    skip_if_just_begun(semester)
    figures = report_figures(period=semester)
    counts = {
        section: figures[section]["total"]
        for section in ("evaluations", "publications", "recommendations", "processes")
    }
    assert min(counts.values()) > 0, counts


PAST = [s for s in CONTINUATION if s.end < timezone.localdate()]


@pytest.mark.parametrize("semester", PAST, ids=[s.code for s in PAST])
def test_every_past_semester_has_requests_in_every_state_on_its_cut_off(seeded, semester):
    requests = report_figures(period=semester)["requests"]
    states = {state: requests[state] for state in ("on_time", "late", "overdue", "open")}
    assert min(states.values()) > 0, states


def test_requests_are_answered_fully_partly_refused_extended_and_taken_to_the_defensoria(seeded):
    later = InformationRequest.objects.filter(sent_on__gte=datetime.date(2021, 7, 1))
    assert set(later.values_list("outcome", flat=True)) == set(InformationRequest.Outcome.values)
    assert later.filter(extension_notified_on__isnull=False).exists()
    assert later.filter(events__kind=RequestEvent.Kind.DEFENSORIA).exists()


def test_every_request_is_due_when_lotaip_says_and_its_timeline_matches_it(seeded):
    for request in InformationRequest.objects.prefetch_related("events"):
        events = {event.kind: event.occurred_on for event in request.events.all()}
        assert request.due_on == request.deadline().due_on
        assert events[RequestEvent.Kind.SENT] == request.sent_on
        assert events.get(RequestEvent.Kind.EXTENSION) == request.extension_notified_on


def test_each_recommendations_compliance_is_its_latest_follow_up(seeded):
    mismatched = [
        (r.pk, r.compliance, latest.compliance)
        for r in Recommendation.objects.prefetch_related("follow_ups")
        if (latest := r.follow_ups.order_by("checked_on").last()) is not None
        and latest.compliance != r.compliance
    ]
    assert mismatched == []
    assert Recommendation.objects.filter(follow_ups__isnull=False).count() > 10


def test_some_recommendations_are_overdue_and_not_complied(seeded):
    overdue = Recommendation.objects.filter(due_on__lt=timezone.localdate()).exclude(
        compliance=Recommendation.Compliance.COMPLIED
    )
    assert overdue.exists()


def test_a_past_semesters_report_shows_a_recommendations_compliance_as_it_was_then(seeded):
    complied = (
        Recommendation.objects.filter(
            compliance=Recommendation.Compliance.COMPLIED,
            proposed_on__gte=datetime.date(2021, 7, 1),
        )
        .order_by("proposed_on")
        .first()
    )
    semester = semester_of(complied.proposed_on)
    rows = report_figures(period=semester)["recommendations"]["rows"]
    [row] = [row for row in rows if row["id"] == complied.pk]
    # Complied months after the semester closed: on its cut-off it was still under way.
    assert row["compliance"] != Recommendation.Compliance.COMPLIED


def test_the_agenda_progresses_over_the_semesters(seeded):
    progress = [report_figures(period=s)["academia"]["agenda_progress"]["numerator"] for s in PAST]
    assert progress[-1] > progress[0]


def test_institutions_are_mapped_after_the_first_mapping(seeded):
    news = [report_figures(period=s)["mapping"]["new"] for s in CONTINUATION]
    assert sum(news) >= 2


# The pages a user opens first.


def test_the_dashboard_shows_overdue_requests_due_soon_ones_and_meetings_ahead(
    seeded, coordinator_client
):
    context = coordinator_client.get("/").context
    assert (len(context["overdue"]) > 0, len(context["due_soon"]) > 0) == (True, True)
    assert len(context["upcoming"]) > 0


def test_the_dashboards_linkage_panel_shows_this_semesters_meetings(seeded, coordinator_client):
    point = coordinator_client.get("/").context["panel"]["point"]
    assert (point["period"], point["meetings"] > 0, point["sent"] > 0) == (
        semester_of(timezone.localdate()),
        True,
        True,
    )


def test_the_public_portal_shows_public_publications_and_recommendations(seeded, client):
    public = Publication.objects.filter(is_public=True)
    private = Publication.objects.filter(is_public=False).first()
    assert public.exists() and private is not None
    page = client.get("/publico/resultados/").content.decode()
    assert public.order_by("-published_on").first().title in page
    assert private.title not in page
    recommendations = client.get("/publico/recomendaciones/")
    assert recommendations.context["totals"]["proposed"] == (
        Recommendation.objects.filter(is_public=True).count()
    )
    assert Recommendation.objects.filter(is_public=False).exists()
