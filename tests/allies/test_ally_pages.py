import datetime

import pytest
from django.urls import reverse

from allies.models import AgendaItem, Ally
from tests.allies.factories import make_agenda_item, make_agreement, make_ally
from tests.institutions.factories import make_meeting

LIST = reverse("allies:ally-list")


def names(response):
    return [ally.name for ally in response.context["object_list"]]


def test_the_list_runs_a_fixed_number_of_queries_with_many_allies(
    reader_client, django_assert_max_num_queries
):
    for number in range(60):
        ally = make_ally()
        for _ in range(number % 3):
            make_agreement(ally)
            make_meeting(ally=ally)
    with django_assert_max_num_queries(9):
        response = reader_client.get(LIST)
    assert len(response.context["object_list"]) == 25


def test_each_row_counts_the_allys_agreements_and_meetings(reader_client):
    ally = make_ally(name="Universidad Central del Ecuador")
    make_agreement(ally)
    make_agreement(ally)
    for day in (1, 2, 3):
        make_meeting(ally=ally, held_on=datetime.date(2021, 3, day))

    row = reader_client.get(LIST).context["object_list"][0]

    assert (row.agreement_count, row.meeting_count) == (2, 3)


def test_kind_filter_lists_only_that_kind(reader_client):
    make_ally(name="Universidad de Cuenca", kind=Ally.Kind.ACADEMIA)
    make_ally(name="ACNUR", kind=Ally.Kind.INTERNATIONAL)

    assert names(reader_client.get(LIST, {"kind": "international"})) == ["ACNUR"]


def test_border_region_filter_lists_allies_on_the_border(reader_client):
    make_ally(name="Colectivo de Tulcán", province="carchi", border_region=True)
    make_ally(name="Fundación de Quito", province="pichincha")

    assert names(reader_client.get(LIST, {"border_region": "true"})) == ["Colectivo de Tulcán"]


def test_search_matches_name_acronym_and_city(reader_client):
    make_ally(name="Pontificia Universidad Católica", acronym="PUCE", city="Quito")
    make_ally(name="Universidad Técnica de Machala", city="Machala")

    by_acronym = names(reader_client.get(LIST, {"q": "puce"}))
    by_city = names(reader_client.get(LIST, {"q": "machala"}))

    assert (by_acronym, by_city) == (
        ["Pontificia Universidad Católica"],
        ["Universidad Técnica de Machala"],
    )


@pytest.mark.parametrize("params", [{"kind": "martian"}, {"border_region": "x"}, {"page": "0"}])
def test_bad_parameters_in_the_address_do_not_break_the_list(reader_client, params):
    make_ally()
    assert reader_client.get(LIST, params).status_code in {200, 404}


def test_the_allys_page_shows_each_agreements_work_agenda_progress(reader_client):
    agreement = make_agreement(title="Convenio de investigación")
    for status in ["done", "done", "done", "pending", "in_progress"]:
        make_agenda_item(agreement, status=status)

    response = reader_client.get(reverse("allies:ally-detail", args=[agreement.ally.pk]))

    assert b'value="3" max="5"' in response.content
    shown = response.context["agreements"][0]
    assert (shown.items_done, shown.items_total) == (3, 5)


def test_the_allys_page_lists_its_meetings_with_a_link_to_all_of_them(reader_client):
    ally = make_ally()
    for day in range(1, 23):
        make_meeting(ally=ally, held_on=datetime.date(2021, 4, day))

    response = reader_client.get(reverse("allies:ally-detail", args=[ally.pk]))

    assert len(response.context["meetings"]) == 20
    expected = reverse("observance:meeting-list") + f"?ally={ally.pk}"
    assert f'href="{expected}"'.encode() in response.content


def test_a_coordinator_adds_an_ally(coordinator_client):
    response = coordinator_client.post(
        reverse("allies:ally-create"),
        {"name": "Universidad Nacional de Loja", "kind": "academia", "province": "loja"},
    )
    ally = Ally.objects.get(name="Universidad Nacional de Loja")
    assert response.url == ally.get_absolute_url()


def test_a_coordinator_records_since_when_an_ally_is_allied_and_its_page_shows_it(
    coordinator_client,
):
    coordinator_client.post(
        reverse("allies:ally-create"),
        {"name": "Cruz Roja Ecuatoriana", "kind": "other", "allied_on": "2021-01-19"},
    )
    ally = Ally.objects.get(name="Cruz Roja Ecuatoriana")
    assert ally.allied_on == datetime.date(2021, 1, 19)

    page = coordinator_client.get(ally.get_absolute_url()).content.decode()
    assert "Aliado desde" in page
    assert "19/01/2021" in page


def test_an_impossible_allied_since_date_is_refused_next_to_it_and_nothing_is_saved(
    coordinator_client,
):
    response = coordinator_client.post(
        reverse("allies:ally-create"),
        {"name": "Cruz Roja Ecuatoriana", "kind": "other", "allied_on": "2021-02-30"},
    )
    assert "allied_on" in response.context["form"].errors
    assert not Ally.objects.exists()


def test_the_allies_on_filter_counts_an_ally_from_its_allied_since_date(reader_client):
    make_ally(name="Fundación Alas de Colibrí", allied_on=datetime.date(2021, 1, 19))
    later = make_ally(name="Emprende Retorno", allied_on=datetime.date(2021, 7, 15))
    make_meeting(ally=later, held_on=datetime.date(2021, 3, 10))

    on_cut_off = names(reader_client.get(LIST, {"as_of": "2021-06-30"}))
    after_it = names(reader_client.get(LIST, {"as_of": "2021-07-15"}))

    assert on_cut_off == ["Fundación Alas de Colibrí"]
    assert after_it == ["Emprende Retorno", "Fundación Alas de Colibrí"]


def test_an_ally_without_a_kind_is_refused_and_nothing_is_saved(coordinator_client):
    response = coordinator_client.post(reverse("allies:ally-create"), {"name": "Sin tipo"})
    assert "kind" in response.context["form"].errors
    assert not Ally.objects.exists()


def test_ally_search_returns_at_most_twenty_matches(reader_client):
    for number in range(25):
        make_ally(name=f"Universidad {number:02d}")
    response = reader_client.get(reverse("allies:ally-search"), {"q": "univ"})
    assert len(response.json()["results"]) == 20


def test_ally_search_finds_by_acronym(reader_client):
    ally = make_ally(name="Alto Comisionado de las Naciones Unidas", acronym="ACNUR")
    make_ally(name="Universidad Andina")
    response = reader_client.get(reverse("allies:ally-search"), {"q": "acnur"})
    assert response.json() == {"results": [{"id": ally.pk, "text": str(ally)}]}


def test_ally_search_requires_a_login(client):
    response = client.get(reverse("allies:ally-search"), {"q": "u"})
    assert response.status_code == 302 and response.url.startswith("/cuentas/login/")


def test_ally_search_is_refused_without_permission(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("allies:ally-search"), {"q": "u"}).status_code == 403


def test_marking_an_agenda_item_done_goes_back_to_its_agreement(coordinator_client):
    item = make_agenda_item(status=AgendaItem.Status.PENDING)

    response = coordinator_client.post(reverse("allies:agendaitem-done", args=[item.pk]))

    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DONE
    assert response.url == item.agreement.get_absolute_url()


def test_marking_done_by_get_changes_nothing(coordinator_client):
    item = make_agenda_item(status=AgendaItem.Status.PENDING)

    response = coordinator_client.get(reverse("allies:agendaitem-done", args=[item.pk]))

    item.refresh_from_db()
    assert (response.status_code, item.status) == (405, AgendaItem.Status.PENDING)


def test_a_reader_cannot_mark_an_item_done(reader_client):
    item = make_agenda_item(status=AgendaItem.Status.PENDING)

    response = reader_client.post(reverse("allies:agendaitem-done", args=[item.pk]))

    item.refresh_from_db()
    assert (response.status_code, item.status) == (403, AgendaItem.Status.PENDING)


def test_an_agenda_item_is_added_from_the_agreement(coordinator_client):
    agreement = make_agreement()
    url = reverse("allies:agendaitem-create", args=[agreement.pk])

    coordinator_client.post(
        url, {"activity": "Taller de movilidad", "due_on": "2021-06-15", "status": "pending"}
    )

    item = agreement.agenda_items.get()
    assert (item.activity, item.due_on) == ("Taller de movilidad", datetime.date(2021, 6, 15))
