import datetime

from django.urls import reverse
from django.utils import timezone

from observance.models import ProcessStep
from reports.periods import Period
from reports.trend import semester_of
from tests.institutions.factories import make_institution

from .page_data import days_ago, make_meeting_at, make_process, make_request

DASHBOARD = "/"


def test_dashboard_is_the_home_page():
    assert reverse("observance:dashboard") == DASHBOARD


def test_request_past_due_shows_first_on_the_dashboard_as_overdue(coordinator_client):
    make_request(sent_on=days_ago(12), subject="reciente")
    oldest = make_request(sent_on=days_ago(30), subject="antigua")
    response = coordinator_client.get(DASHBOARD)
    overdue = response.context["overdue"]
    assert overdue[0] == oldest
    assert [r.days_overdue for r in overdue] == [20, 2]
    page = response.content.decode()
    assert page.index("antigua") < page.index("reciente")


def test_answered_requests_are_not_overdue(coordinator_client):
    request = make_request(sent_on=days_ago(30))
    request.answered_on, request.outcome = days_ago(1), "answered_fully"
    request.save()
    assert coordinator_client.get(DASHBOARD).context["overdue"] == []


def test_requests_due_within_five_days_are_listed(coordinator_client):
    soon = make_request(sent_on=days_ago(7))
    make_request(sent_on=days_ago(0))
    assert coordinator_client.get(DASHBOARD).context["due_soon"] == [soon]


def test_meetings_of_the_next_two_weeks_are_listed(coordinator_client):
    upcoming = make_meeting_at(timezone.now() + datetime.timedelta(days=3))
    make_meeting_at(timezone.now() + datetime.timedelta(days=20))
    make_meeting_at(timezone.now() - datetime.timedelta(days=1))
    assert coordinator_client.get(DASHBOARD).context["upcoming"] == [upcoming]


def this_semester():
    return semester_of(timezone.localdate())


def linkage_point(client):
    return client.get(DASHBOARD).context["panel"]["point"]


def test_linkage_counts_mapped_institutions_met_this_semester(coordinator_client):
    start, end = this_semester().start, this_semester().end
    met = make_institution(mapped_on=start)
    make_institution(mapped_on=start)  # mapped, never met
    make_institution(mapped_on=start, active=False)  # not counted
    make_institution(mapped_on=end + datetime.timedelta(days=1))  # mapped later
    held = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
    make_meeting_at(held, institution=met)
    make_meeting_at(held + datetime.timedelta(hours=2), institution=met)
    linkage = linkage_point(coordinator_client)["linkage"]
    assert (linkage["numerator"], linkage["denominator"], linkage["percent"]) == (1, 2, 50)


def test_linkage_with_nothing_mapped_does_not_divide_by_zero(coordinator_client):
    assert linkage_point(coordinator_client)["linkage"]["percent"] is None


def test_linkage_links_to_the_filtered_institution_list(coordinator_client):
    start = this_semester().start
    urls = linkage_point(coordinator_client)["urls"]
    assert f"as_of={timezone.localdate().isoformat()}" in urls["mapped"]
    assert f"met_after={start.isoformat()}" in urls["met"]


def test_semesters_are_january_to_june_and_july_to_december():
    assert semester_of(datetime.date(2021, 6, 30)) == Period(2021, 1)
    assert semester_of(datetime.date(2021, 7, 1)) == Period(2021, 2)


def test_each_open_process_shows_its_seven_steps(coordinator_client):
    process = make_process()
    ProcessStep.objects.filter(process=process, step=2).update(status="in_progress")
    response = coordinator_client.get(DASHBOARD)
    assert response.context["processes"] == [process]
    page = response.content.decode()
    assert page.count('data-testid="step-') == 7
    assert "step-in_progress" in page


def test_a_user_without_a_role_gets_403(client, outsider):
    client.force_login(outsider)
    assert client.get(DASHBOARD).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert response.url.startswith("/cuentas/login/")


def test_a_consulta_user_sees_no_buttons_to_log_anything(reader_client):
    response = reader_client.get(DASHBOARD)
    assert response.status_code == 200
    assert reverse("observance:meeting-create") not in response.content.decode()
