"""Every figure of the preview opens a list of exactly the records it counts.

The walk reads the preview as a person would: each number marked ``data-figure`` links to a
list, and that list's record count ("N registros") must be the number.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse

from allies.models import AgendaItem, Agreement, Ally
from institutions.models import Institution
from observance.models import InformationRequest, Meeting, Recommendation
from reports.periods import Period, observatory_zone
from tests.observance.page_data import make_follow_up, make_recommendation

from .factories import add_evaluation_records, clone_semester

# The demo is seeded once for the module (tests/reports/conftest.py); a test that does not
# read it sees it all the same, which none of them minds.
pytestmark = pytest.mark.usefixtures("demo_for_module")

FIGURE_LINK = re.compile(r'<a class="figure-link" href="([^"]+)" data-figure="(\d+)">')
RECORD_COUNT = re.compile(r'id="record-count">\s*(\d+)')


def moment(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=observatory_zone())


def dated(record, day):
    """Date the latest version of ``record`` on ``day``: a change made then."""
    latest = record.history.order_by("-history_date", "-history_id").first()
    type(latest).objects.filter(pk=latest.pk).update(history_date=moment(day))


def add_records_the_cut_off_judges(period):
    """Records whose place in the semester depends on reading them as of its cut-off."""
    after = period.end + datetime.timedelta(days=20)
    institutions = list(Institution.objects.filter(mapped_on__lte=period.end).order_by("pk"))
    # Deactivated and re-classified after the semester: still in its mapping, with its role.
    for record, fields in (
        (institutions[0], {"active": False}),
        (institutions[1], {"role": "policy_maker"}),
    ):
        for name, value in fields.items():
            setattr(record, name, value)
        record.save()
        dated(record, after)
    # Mapped after the semester but met in it: a meeting, not linkage.
    later = Institution.objects.create(
        name="Institución mapeada después", mapped_on=after, acronym="IMD"
    )
    Meeting.objects.create(
        held_at=moment(period.end - datetime.timedelta(days=3)),
        modality=Meeting.Modality.IN_PERSON,
        institution=later,
        purpose="Reunión previa al mapeo",
        cpccs_companion="Delegado CPCCS",
    )
    # Sent in the semester, answered or extended after its end.
    InformationRequest.objects.create(
        institution=institutions[2],
        subject="Respondida después del corte",
        sent_on=period.end - datetime.timedelta(days=25),
        answered_on=after,
        outcome="answered_fully",
    )
    InformationRequest.objects.create(
        institution=institutions[3],
        subject="Prórroga después del corte",
        sent_on=period.end - datetime.timedelta(days=12),
        extension_notified_on=period.end + datetime.timedelta(days=1),
    )
    # An ally added today, and a university re-classified after the semester.
    Ally.objects.create(name="Aliado nuevo", kind=Ally.Kind.ACADEMIA, border_region=True)
    university = Ally.objects.filter(kind=Ally.Kind.ACADEMIA, meetings__isnull=False).first()
    university.kind = Ally.Kind.OTHER
    university.save()
    dated(university, after)
    # An agreement cancelled after the semester still counted as in execution in it.
    agreement = Agreement.objects.filter(status=Agreement.Status.IN_EXECUTION).first()
    agreement.status = Agreement.Status.CANCELLED
    agreement.save()
    dated(agreement, after)
    # Its activity done after the semester was still pending in it.
    item = agreement.agenda_items.create(activity="Cumplida después del corte")
    dated(item, period.end - datetime.timedelta(days=30))
    item.status = AgendaItem.Status.DONE
    item.save()
    dated(item, after)


@pytest.fixture
def generated(demo, first_2021):
    add_evaluation_records(first_2021)
    clone_semester(source=first_2021, target=first_2021, factor=2)
    add_records_the_cut_off_judges(first_2021)
    return first_2021


def figure_links(client, period):
    response = client.get(reverse("reports:report-detail", args=[period.year, period.half]))
    assert response.status_code == 200
    return [
        (html.unescape(url), int(value))
        for url, value in FIGURE_LINK.findall(response.content.decode())
    ]


def list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return int(RECORD_COUNT.search(response.content.decode())[1])


def test_every_figure_link_opens_a_list_of_as_many_records_as_the_figure(
    generated, secretary_client
):
    links = figure_links(secretary_client, generated)
    counts = {}
    wrong = []
    for url, figure in links:
        if url not in counts:
            counts[url] = list_count(secretary_client, url)
        if counts[url] != figure:
            wrong.append(f"{url}: figure {figure}, list {counts[url]}")

    assert len(links) > 40
    assert wrong == []


def test_the_walk_covers_every_headline_figure_that_counts_records(generated, secretary_client):
    linked = {url for url, _figure in figure_links(secretary_client, generated)}
    headline = [
        "institutions:institution-list",
        "observance:meeting-list",
        "allies:ally-list",
        "allies:agreement-list",
        "allies:agendaitem-list",
        "observance:request-list",
    ]
    assert all(any(url.startswith(reverse(name)) for url in linked) for name in headline)
    assert any("mapped_after=" in url for url in linked)
    assert any("state=overdue" in url for url in linked)
    assert any("done_as_of=" in url for url in linked)
    commitments = reverse("observance:commitment-list")
    assert {"made_after=", "state=closed", "state=overdue"} <= {
        part
        for url in linked
        if url.startswith(commitments)
        for part in ("made_after=", "state=closed", "state=overdue")
        if part in url
    }
    # The escalations of the semester (the demo climbs the ladder in June 2021).
    assert any("escalation=2" in url and "escalation_outcome=" in url for url in linked)


def test_the_walk_also_holds_for_a_semester_without_records(demo, secretary_client):
    empty = Period(2019, 2)
    wrong = [
        (url, figure)
        for url, figure in figure_links(secretary_client, empty)
        if list_count(secretary_client, url) != figure
    ]
    assert wrong == []


def test_the_complied_figure_links_the_recommendations_complied_on_the_cut_off(
    db, secretary_client
):
    """A recommendation complied after the cut-off is in neither the figure nor its list."""
    period = Period(2021, 1)
    later = make_recommendation(proposed_on=datetime.date(2021, 3, 1))
    earlier = make_recommendation(proposed_on=datetime.date(2021, 3, 2))
    complied_on = {later: datetime.date(2021, 9, 1), earlier: datetime.date(2021, 5, 1)}
    for recommendation, day in complied_on.items():
        make_follow_up(
            recommendation, checked_on=day, compliance=Recommendation.Compliance.COMPLIED
        )

    complied = [
        (url, figure)
        for url, figure in figure_links(secretary_client, period)
        if "compliance=complied" in url
    ]

    assert complied and {figure for _url, figure in complied} == {1}
    assert all(list_count(secretary_client, url) == 1 for url, _figure in complied)
