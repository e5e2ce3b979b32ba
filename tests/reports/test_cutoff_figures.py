"""A semester's figures are what the records said on its cut-off, not what they say now."""

import datetime

import pytest
from django.utils import timezone

from allies.models import AgendaItem, Agreement, Ally
from allies.standing import allies_on_day
from institutions.models import Institution
from observance.models import InformationRequest, Meeting, Recommendation
from reports.builder import report_figures
from reports.periods import Period, observatory_zone
from tests.observance.page_data import make_follow_up, make_recommendation

FIRST_2021 = Period(2021, 1)
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def calendar_days(settings):
    settings.LOTAIP_DAY_COUNTING = "calendar"


def figures(period=FIRST_2021, today=TODAY):
    return report_figures(period=period, today=today)


def moment(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=observatory_zone())


def recorded_on(record, day):
    """Date every saved version of ``record`` on ``day``, as if it had been recorded then."""
    record.history.all().update(history_date=moment(day))


def change(record, day, **fields):
    """Save ``fields`` on ``record``, with the new version dated ``day``."""
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    latest = record.history.order_by("-history_date", "-history_id").first()
    type(latest).objects.filter(pk=latest.pk).update(history_date=moment(day))


def institution(name, mapped_on=datetime.date(2021, 1, 10), **extra):
    return Institution.objects.create(name=name, acronym=name[:4], mapped_on=mapped_on, **extra)


def request(institution, sent_on, answered_on=None, extension_notified_on=None):
    answered = {}
    if answered_on:
        answered = {"answered_on": answered_on, "outcome": "answered_fully"}
    return InformationRequest.objects.create(
        institution=institution,
        subject=f"Solicitud del {sent_on}",
        sent_on=sent_on,
        extension_notified_on=extension_notified_on,
        **answered,
    )


def meet(day, **counterpart):
    return Meeting.objects.create(
        held_at=moment(day), modality=Meeting.Modality.VIRTUAL, purpose="Vinculación", **counterpart
    )


# Information requests


def test_a_request_answered_after_the_cut_off_past_its_due_date_counts_as_overdue(db):
    mies = institution("Ministerio de Inclusión")
    request(mies, datetime.date(2021, 6, 10), answered_on=datetime.date(2021, 7, 20))

    requests = figures()["requests"]

    assert (requests["overdue"], requests["answered"], requests["open"]) == (1, 0, 0)


def test_a_request_answered_after_the_cut_off_within_its_deadline_counts_as_open(db):
    mies = institution("Ministerio de Inclusión")
    request(mies, datetime.date(2021, 6, 25), answered_on=datetime.date(2021, 7, 2))

    requests = figures()["requests"]

    assert (requests["open"], requests["answered"], requests["overdue"]) == (1, 0, 0)


def test_an_answer_after_the_cut_off_stays_out_of_the_average_time_to_answer(db):
    mies = institution("Ministerio de Inclusión")
    request(mies, datetime.date(2021, 6, 1), answered_on=datetime.date(2021, 6, 5))
    request(mies, datetime.date(2021, 6, 10), answered_on=datetime.date(2021, 9, 30))

    requests = figures()["requests"]

    assert requests["average"] == 4.0
    assert requests["answered"] == 1


def test_an_extension_notified_after_the_cut_off_does_not_move_that_semesters_due_date(db):
    mies = institution("Ministerio de Inclusión")
    # Due on 25/06 without the extension; the extension notified on 01/07 moves it to 30/06.
    late = request(
        mies, datetime.date(2021, 6, 15), extension_notified_on=datetime.date(2021, 7, 1)
    )
    assert late.due_on == datetime.date(2021, 6, 30)

    requests = figures()["requests"]

    assert (requests["overdue"], requests["open"]) == (1, 0)
    assert figures()["annex"]["requests"]["rows"][0]["state"] == "overdue"


def test_an_extension_notified_by_the_cut_off_moves_the_due_date(db):
    mies = institution("Ministerio de Inclusión")
    request(mies, datetime.date(2021, 6, 15), extension_notified_on=datetime.date(2021, 6, 24))

    requests = figures()["requests"]

    assert (requests["overdue"], requests["open"]) == (0, 1)


def test_an_extension_after_the_cut_off_keeps_the_base_due_date_in_business_days(db, settings):
    settings.LOTAIP_DAY_COUNTING = "business"
    mies = institution("Ministerio de Inclusión")
    # Sent Friday 11/06: ten business days end on Friday 25/06; the extension came in July.
    request(mies, datetime.date(2021, 6, 11), extension_notified_on=datetime.date(2021, 7, 1))

    assert figures()["requests"]["overdue"] == 1


# Institutions


@pytest.fixture
def mapped_in_2021(db):
    """Three institutions recorded in January 2021, one of them met in the semester."""
    records = [institution(name) for name in ("Cancillería", "Asamblea Nacional", "MIES")]
    for record in records:
        recorded_on(record, datetime.date(2021, 1, 10))
    meet(datetime.date(2021, 3, 1), institution=records[0])
    return records


def test_deactivating_an_institution_after_the_semester_leaves_its_linkage_unchanged(
    mapped_in_2021,
):
    before = figures()
    change(mapped_in_2021[1], datetime.date(2022, 2, 1), active=False)

    after = figures()

    assert (
        after["linkage"]
        == before["linkage"]
        == {
            "numerator": 1,
            "denominator": 3,
            "percent": 33,
        }
    )


def test_deactivating_an_institution_within_the_semester_takes_it_out_of_the_mapping(
    mapped_in_2021,
):
    change(mapped_in_2021[1], datetime.date(2021, 4, 1), active=False)

    assert figures()["linkage"]["denominator"] == 2


def test_deactivating_a_seeded_institution_today_leaves_a_past_semester_unchanged(db):
    # Records entered today (the demo data) have no version dated before the cut-off: they
    # count as they were first recorded, and a change made later does not reach 2021.
    records = [institution(name) for name in ("Cancillería", "Asamblea Nacional")]
    records[0].active = False
    records[0].save()

    assert figures(today=timezone.localdate())["mapping"]["total"] == 2


def test_reclassifying_or_renaming_an_institution_after_the_semester_leaves_it_unchanged(
    mapped_in_2021,
):
    before = figures()["mapping"]
    change(
        mapped_in_2021[2],
        datetime.date(2022, 2, 1),
        role=Institution.Role.POLICY_MAKER,
        name="Ministerio de Inclusión Económica y Social",
    )

    assert figures()["mapping"] == before


def test_institutions_newly_mapped_in_the_semester_stand_beside_the_cumulative_total(
    mapped_in_2021,
):
    institution("Registro Civil", mapped_on=datetime.date(2021, 8, 2))

    second = figures(Period(2021, 2))["mapping"]

    assert (second["total"], second["new"]) == (4, 1)
    assert figures()["mapping"]["new"] == 3


# Linkage


def test_linkage_never_exceeds_the_whole_mapping_with_meetings_outside_it(mapped_in_2021):
    mapped_later = institution("Registro Civil", mapped_on=datetime.date(2021, 9, 1))
    inactive = institution("Secretaría de Derechos Humanos")
    recorded_on(inactive, datetime.date(2021, 1, 10))
    change(inactive, datetime.date(2021, 2, 1), active=False)
    for record in (mapped_later, inactive, *mapped_in_2021):
        meet(datetime.date(2021, 5, 3), institution=record)

    result = figures()

    assert result["linkage"] == {"numerator": 3, "denominator": 3, "percent": 100}
    assert result["meetings"]["institutions"] == 6


def test_meetings_with_institutions_outside_the_mapping_never_push_linkage_past_100(db):
    outside = institution("Registro Civil", mapped_on=datetime.date(2021, 9, 1))
    meet(datetime.date(2021, 5, 3), institution=outside)

    result = figures()

    assert result["linkage"] == {"numerator": 0, "denominator": 0, "percent": None}
    assert result["meetings"]["institutions"] == 1


# Allies and agreements


@pytest.fixture
def allies_in_2021(db):
    upec = Ally.objects.create(name="UPEC", kind=Ally.Kind.ACADEMIA, border_region=True)
    acnur = Ally.objects.create(name="ACNUR", kind=Ally.Kind.INTERNATIONAL)
    for ally in (upec, acnur):
        recorded_on(ally, datetime.date(2021, 2, 1))
    agreement = Agreement.objects.create(
        ally=upec,
        title="Convenio UPEC",
        signed_on=datetime.date(2021, 5, 28),
        status=Agreement.Status.IN_EXECUTION,
    )
    item = AgendaItem.objects.create(agreement=agreement, activity="Taller", status="done")
    recorded_on(agreement, datetime.date(2021, 5, 28))
    recorded_on(item, datetime.date(2021, 5, 28))
    return upec, acnur, agreement


def test_an_ally_added_after_the_semester_is_not_counted_in_it(allies_in_2021):
    before = figures()
    Ally.objects.create(name="Universidad Nueva", kind=Ally.Kind.ACADEMIA, border_region=True)

    after = figures()

    assert after["allies"] == before["allies"]
    assert after["allies"]["total"] == 2
    assert after["academia"]["universities"]["total"] == 1


def test_an_ally_entered_late_with_a_meeting_in_the_semester_is_counted_in_it(db):
    late = Ally.objects.create(name="FLACSO", kind=Ally.Kind.ACADEMIA)
    meet(datetime.date(2021, 6, 23), ally=late)

    assert figures()["allies"]["total"] == 1


def test_an_ally_allied_after_the_cut_off_is_not_counted_though_recorded_before_it(
    allies_in_2021,
):
    later = Ally.objects.create(
        name="Universidad Tardía", kind=Ally.Kind.ACADEMIA, allied_on=datetime.date(2021, 7, 15)
    )
    recorded_on(later, datetime.date(2021, 2, 1))
    meet(datetime.date(2021, 6, 23), ally=later)

    result = figures()

    assert result["allies"]["total"] == 2
    assert result["academia"]["universities"]["total"] == 1
    assert figures(period=Period(2021, 2))["allies"]["total"] == 3


def test_an_ally_allied_before_the_cut_off_counts_though_recorded_today(db):
    Ally.objects.create(
        name="Fundación Alas de Colibrí",
        kind=Ally.Kind.NATIONAL_NGO,
        allied_on=datetime.date(2021, 1, 19),
    )

    assert figures()["allies"]["total"] == 1
    assert figures(period=Period(2020, 2))["allies"]["total"] == 0


def test_an_ally_entered_today_without_an_alliance_date_stands_in_the_current_semester(db):
    """A day not over yet has nothing recorded after it: the ally stands in the current
    semester's report, as in the list of allies as of today, and not in the one before."""
    Ally.objects.create(name="Universidad de Hoy", kind=Ally.Kind.ACADEMIA)
    today = timezone.localdate()
    current = Period(today.year, 1 if today.month <= 6 else 2)
    result = figures(period=current, today=today)

    assert (result["allies"]["total"], result["academia"]["universities"]["total"]) == (1, 1)
    assert allies_on_day(today).count() == 1
    assert figures(period=current.previous, today=today)["allies"]["total"] == 0


def test_reclassifying_an_ally_after_the_semester_leaves_its_universities_unchanged(
    allies_in_2021,
):
    upec, _acnur, _agreement = allies_in_2021
    meet(datetime.date(2021, 3, 10), ally=upec)
    change(upec, datetime.date(2022, 1, 5), kind=Ally.Kind.OTHER, border_region=False)

    result = figures()

    assert result["academia"]["universities"]["total"] == 1
    assert result["academia"]["border"] == 1
    assert result["meetings"]["academia"] == 1
    meetings_by_kind = {row["kind"]: row["meetings"] for row in result["allies"]["kinds"]}
    assert meetings_by_kind[Ally.Kind.ACADEMIA] == 1


def test_an_agreement_cancelled_after_the_semester_still_counts_as_in_execution(allies_in_2021):
    _upec, _acnur, agreement = allies_in_2021
    change(agreement, datetime.date(2022, 3, 1), status=Agreement.Status.CANCELLED)
    item = agreement.agenda_items.get()
    change(item, datetime.date(2022, 3, 1), status="pending")

    academia = figures()["academia"]

    assert (academia["agreements"]["total"], academia["in_execution"]) == (1, 1)
    assert academia["agenda_progress"]["numerator"] == 1


def test_an_agenda_activity_added_after_the_semester_is_not_in_its_progress(allies_in_2021):
    _upec, _acnur, agreement = allies_in_2021
    AgendaItem.objects.create(agreement=agreement, activity="Seminario", status="pending")

    assert figures()["academia"]["agenda_progress"]["denominator"] == 1


def test_a_recommendation_complied_after_the_cut_off_was_not_complied_in_that_semester(db):
    recommendation = make_recommendation(proposed_on=datetime.date(2021, 5, 3))
    before = figures()["recommendations"]
    make_follow_up(
        recommendation,
        checked_on=datetime.date(2021, 9, 20),
        compliance=Recommendation.Compliance.COMPLIED,
    )

    after = figures()["recommendations"]

    assert after == before
    assert after["complied_share"]["numerator"] == 0
    assert figures(Period(2021, 2))["recommendations"]["total"] == 0


def test_a_recommendation_complied_before_the_cut_off_counts_as_complied(db):
    recommendation = make_recommendation(proposed_on=datetime.date(2021, 2, 3))
    make_follow_up(
        recommendation,
        checked_on=datetime.date(2021, 6, 1),
        compliance=Recommendation.Compliance.COMPLIED,
    )

    assert figures()["recommendations"]["complied_share"]["numerator"] == 1


def test_a_follow_up_recorded_later_but_dated_within_the_semester_counts(db):
    """Compliance on the cut-off comes from follow-ups by their date, not by when they were
    typed: one entered today for a check made in the semester counts; one made after it, not."""
    recommendation = make_recommendation(proposed_on=datetime.date(2021, 2, 3))
    make_follow_up(
        recommendation,
        checked_on=datetime.date(2021, 6, 30),
        compliance=Recommendation.Compliance.PARTLY_COMPLIED,
    )
    make_follow_up(
        recommendation,
        checked_on=datetime.date(2021, 7, 1),
        compliance=Recommendation.Compliance.COMPLIED,
    )

    by_compliance = figures()["recommendations"]["by_compliance"]

    assert by_compliance == [{"compliance": "partly_complied", "count": 1}]
