import datetime

import pytest
from django.db import connection
from django.urls import reverse

from institutions.models import Institution
from tests.institutions.factories import make_institution, make_meeting

URL = reverse("institutions:institution-list")


def names(response):
    return [institution.name for institution in response.context["object_list"]]


def test_the_list_runs_a_fixed_number_of_queries_with_many_institutions(
    reader_client, django_assert_max_num_queries
):
    for number in range(60):
        institution = make_institution()
        for day in range(1, 1 + number % 3):
            make_meeting(institution, held_on=datetime.date(2021, 4, day))
    with django_assert_max_num_queries(9):
        response = reader_client.get(URL)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 25


def test_each_row_shows_its_number_of_meetings_and_the_last_one(reader_client):
    institution = make_institution(name="Ministerio de Salud Pública")
    make_meeting(institution, held_on=datetime.date(2021, 2, 1))
    make_meeting(institution, held_on=datetime.date(2021, 5, 20))
    make_institution(name="Consejo Nacional Electoral")

    response = reader_client.get(URL)

    rows = {row.name: row for row in response.context["object_list"]}
    assert rows["Ministerio de Salud Pública"].meeting_count == 2
    assert b"20/05/2021" in response.content
    assert rows["Consejo Nacional Electoral"].meeting_count == 0


def test_met_between_lists_each_institution_met_in_the_range_once(reader_client):
    met_twice = make_institution(name="A met twice in range")
    make_meeting(met_twice, held_on=datetime.date(2021, 2, 10))
    make_meeting(met_twice, held_on=datetime.date(2021, 3, 10))
    met_before = make_institution(name="B met before the range")
    make_meeting(met_before, held_on=datetime.date(2020, 12, 1))
    make_institution(name="C never met")
    met_on_last_day = make_institution(name="D met on the last day")
    make_meeting(met_on_last_day, held_on=datetime.date(2021, 6, 30))

    response = reader_client.get(URL, {"met_after": "2021-01-01", "met_before": "2021-06-30"})

    assert names(response) == ["A met twice in range", "D met on the last day"]


def test_met_between_keeps_the_whole_meeting_count_of_each_institution(reader_client):
    institution = make_institution()
    make_meeting(institution, held_on=datetime.date(2020, 12, 1))
    make_meeting(institution, held_on=datetime.date(2021, 2, 10))

    response = reader_client.get(URL, {"met_after": "2021-01-01"})

    assert [row.meeting_count for row in response.context["object_list"]] == [2]


def test_met_dates_are_also_accepted_as_dd_mm_yyyy(reader_client):
    institution = make_institution(name="Met in March")
    make_meeting(institution, held_on=datetime.date(2021, 3, 10))
    make_meeting(make_institution(name="Met in July"), held_on=datetime.date(2021, 7, 10))

    response = reader_client.get(URL, {"met_after": "01/03/2021", "met_before": "31/03/2021"})

    assert names(response) == ["Met in March"]


def test_role_filter_lists_only_policy_makers(reader_client):
    make_institution(name="Asamblea Nacional", role=Institution.Role.POLICY_MAKER)
    make_institution(name="Ministerio del Trabajo", role=Institution.Role.EXECUTOR)

    response = reader_client.get(URL, {"role": "policy_maker"})

    assert names(response) == ["Asamblea Nacional"]


def test_mapped_before_lists_active_institutions_mapped_by_that_date(reader_client):
    make_institution(name="Mapped early", mapped_on=datetime.date(2021, 1, 4))
    make_institution(name="Mapped late", mapped_on=datetime.date(2021, 9, 1))
    make_institution(
        name="Mapped early, inactive", mapped_on=datetime.date(2021, 1, 4), active=False
    )

    response = reader_client.get(URL, {"mapped_before": "2021-06-30"})

    assert names(response) == ["Mapped early"]


def test_search_matches_name_acronym_and_sector(reader_client):
    make_institution(name="Ministerio de Relaciones Exteriores", acronym="MREMH")
    make_institution(name="Secretaría de Derechos Humanos", sector="derechos humanos")
    make_institution(name="Banco Central")

    by_acronym = names(reader_client.get(URL, {"q": "mremh"}))
    by_sector = names(reader_client.get(URL, {"q": "humanos"}))

    assert (by_acronym, by_sector) == (
        ["Ministerio de Relaciones Exteriores"],
        ["Secretaría de Derechos Humanos"],
    )


@pytest.mark.parametrize(
    "params",
    [
        {"met_after": "not-a-date"},
        {"mapped_before": "31/02/2021"},
        {"role": "king"},
        {"active": "maybe"},
        {"page": "999"},
        {"page": "x"},
    ],
)
def test_bad_parameters_in_the_address_do_not_break_the_page(reader_client, params):
    make_institution()
    response = reader_client.get(URL, params)
    assert response.status_code in {200, 404}


def test_the_page_tells_how_many_institutions_match(reader_client):
    for _ in range(30):
        make_institution()
    response = reader_client.get(URL)
    count = response.content.split(b'id="record-count">')[1].split(b"<")[0]
    assert b"30" in count


def meet_at(institution, day, hour, minute=0):
    """A meeting at that local (Ecuador's) time."""
    from django.utils import timezone

    from observance.models import Meeting

    held_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return Meeting.objects.create(
        held_at=held_at, institution=institution, modality=Meeting.Modality.VIRTUAL, purpose="x"
    )


@pytest.mark.parametrize("direction", ["", "-"], ids=["ascending", "descending"])
def test_sorted_by_last_meeting_ties_and_the_never_met_keep_their_order(reader_client, direction):
    never_a, never_b = make_institution(name="Never A"), make_institution(name="Never B")
    early = make_institution(name="Early")
    meet_at(early, datetime.date(2021, 1, 5), 9)
    meet_at(early, datetime.date(2021, 2, 5), 9)  # its last one
    tie_a, tie_b = make_institution(name="Tie A"), make_institution(name="Tie B")
    for tied in (tie_b, tie_a):
        meet_at(tied, datetime.date(2021, 3, 1), 10)
    late = make_institution(name="Late")
    meet_at(late, datetime.date(2021, 6, 1), 23, 30)
    meet_at(late, datetime.date(2020, 6, 1), 8)

    response = reader_client.get(URL, {"sort": f"{direction}last_meeting"})

    # Equal values follow the primary key in the column's direction; never met is no value,
    # which PostgreSQL puts after every date and SQLite before.
    met = [early, tie_a, tie_b, late]
    never = [never_a, never_b]
    ascending = met + never if connection.features.nulls_order_largest else never + met
    expected = ascending if not direction else ascending[::-1]
    assert names(response) == [institution.name for institution in expected]
    last = {row.name: row.last_met_at for row in response.context["object_list"]}
    assert last["Early"].date() == datetime.date(2021, 2, 5)
    assert last["Never A"] is None


def test_met_between_counts_a_meeting_by_its_day_in_ecuador(reader_client):
    # 23:30 in Ecuador is already the next day in UTC; 00:30 is still the day before in UTC.
    late_on_the_last_day = make_institution(name="Late on the last day")
    meet_at(late_on_the_last_day, datetime.date(2021, 6, 30), 23, 30)
    early_on_the_first_day = make_institution(name="Early on the first day")
    meet_at(early_on_the_first_day, datetime.date(2021, 6, 1), 0, 30)
    late_the_day_before = make_institution(name="Late the day before")
    meet_at(late_the_day_before, datetime.date(2021, 5, 31), 23, 30)
    early_the_day_after = make_institution(name="Early the day after")
    meet_at(early_the_day_after, datetime.date(2021, 7, 1), 0, 30)

    both = names(reader_client.get(URL, {"met_after": "2021-06-01", "met_before": "2021-06-30"}))
    after = names(reader_client.get(URL, {"met_after": "2021-06-01"}))
    before = names(reader_client.get(URL, {"met_before": "2021-06-30"}))

    assert both == ["Early on the first day", "Late on the last day"]
    assert after == ["Early on the first day", "Early the day after", "Late on the last day"]
    assert before == ["Early on the first day", "Late on the last day", "Late the day before"]


@pytest.mark.parametrize("params", [{"met_after": "0001-01-01"}, {"met_before": "9999-12-31"}])
def test_met_between_takes_the_first_and_last_days_of_the_calendar(reader_client, params):
    met = make_institution(name="Met")
    meet_at(met, datetime.date(2021, 6, 1), 10)
    make_institution(name="Never met")

    assert names(reader_client.get(URL, params)) == ["Met"]
