"""The hits the search shows are the best ranked of all the matches, in the ranking's order:
the search itself, then a field that begins with it, then a word that begins with it, then
the rest; within a rank, the kind's order (the newest first for dated records, by name for
names). However many records match, the page shows the same hits as if every match had been
ranked and sorted."""

import datetime

import pytest
from django.urls import reverse

from institutions.models import Contact, Institution
from observance.models import Meeting
from oppms.plain import plain_q
from search.kinds import BY_KEY, KINDS, rank
from tests.allies.factories import make_ally
from tests.institutions.factories import make_contact, make_institution, make_meeting
from tests.observance.page_data import (
    make_evaluation,
    make_publication,
    make_recommendation,
    make_request,
)

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


def shown(response, kind):
    for group in response.context["groups"]:
        if group["kind"].key == kind:
            return [record.pk for record in group["hits"]]
    return []


def see_all_offered(response, kind):
    return any(g["kind"].key == kind and g["more_url"] for g in response.context["groups"])


def every_match_ranked(kind, text):
    """The ranking the page promises, computed the slow way: every match ranked, then sorted."""
    return list(
        kind.model.objects.filter(plain_q(kind.fields, text))
        .annotate(search_rank=rank(kind.fields, text))
        .order_by("search_rank", *kind.order)
        .values_list("pk", flat=True)
    )


def meeting(on, **fields):
    return make_meeting(held_on=datetime.date.fromisoformat(on), **fields).pk


def test_meetings_are_shown_by_rank_then_newest_first(reader_client):
    institution = make_institution()

    def held(on, **fields):
        return meeting(on, institution=institution, **fields)

    # Elsewhere, a word begins with it, a field begins with it, the search itself: each rank
    # has more than one meeting, the older ones made first.
    elsewhere = [held("2024-05-01", purpose="Desaguadero"), held("2025-01-01", place="Paraguas")]
    word = [
        held("2020-01-01", purpose="Planta de agua potable"),
        held("2023-01-01", outcomes="Se habló del AGUA"),
        held("2022-01-01", purpose="Red de agua"),
    ]
    starts = [held("2019-01-01", purpose="Agua potable"), held("2021-06-01", place="Aguarico")]
    exact = [held("2018-01-01", place="Agua"), held("2020-06-01", purpose="AGUA")]
    held("2026-01-01", purpose="Nada que ver")

    response = reader_client.get(URL, {"q": "agua"})

    assert shown(response, "reuniones") == [
        exact[1],
        exact[0],
        starts[1],
        starts[0],
        word[1],
    ]
    assert see_all_offered(response, "reuniones")
    every_hit = reader_client.get(URL, {"q": "agua", "tipo": "reuniones"})
    assert shown(every_hit, "reuniones") == [
        exact[1],
        exact[0],
        starts[1],
        starts[0],
        word[1],
        word[2],
        word[0],
        elsewhere[1],
        elsewhere[0],
    ]
    assert every_hit.context["page_obj"].paginator.count == 9


def test_a_record_takes_the_best_rank_of_its_fields(reader_client):
    institution = make_institution()
    newer_word = meeting("2025-01-01", institution=institution, purpose="Mesa de vivienda")
    older_exact = meeting(
        "2019-01-01", institution=institution, purpose="La vivienda digna", place="Vivienda"
    )
    response = reader_client.get(URL, {"q": "vivienda"})
    assert shown(response, "reuniones") == [older_exact, newer_word]


def test_meetings_of_the_same_moment_are_shown_latest_recorded_first(reader_client):
    institution = make_institution()
    first, second, third = (
        meeting("2024-02-02", institution=institution, purpose=f"Ruta {n}") for n in range(3)
    )
    assert shown(reader_client.get(URL, {"q": "ruta"}), "reuniones") == [third, second, first]


def test_names_are_shown_by_rank_then_alphabetically(reader_client):
    names = [
        "Zona de frontera norte",  # a word begins with it
        "Frontera Sur",  # begins with it
        "Fronteras Vivas",  # begins with it
        "Frontera",  # the search itself
        "Antifronteras",  # elsewhere
        "Red de frontera",  # a word begins with it
    ]
    made = {name: make_institution(name=name, acronym="").pk for name in names}
    response = reader_client.get(URL, {"q": "FRONTERA"})
    assert shown(response, "instituciones") == [
        made["Frontera"],
        made["Frontera Sur"],
        made["Fronteras Vivas"],
        made["Red de frontera"],
        made["Zona de frontera norte"],
    ]
    assert see_all_offered(response, "instituciones")


def test_contacts_of_the_same_name_are_shown_in_the_order_they_were_recorded(reader_client):
    institution = make_institution()
    same = [make_contact(institution=institution, name="Lucía Paz").pk for _ in range(3)]
    make_contact(institution=institution, name="Paz Andrade")
    response = reader_client.get(URL, {"q": "lucia paz", "tipo": "contactos"})
    assert shown(response, "contactos") == same


def test_a_percent_sign_ranks_as_the_character_it_is(reader_client):
    made = {
        name: make_institution(name=name, acronym="").pk
        for name in ["Meta al 100%", "100%", "1000 metas", "100% cobertura", "Al 100% siempre"]
    }
    response = reader_client.get(URL, {"q": "100%"})
    assert shown(response, "instituciones") == [
        made["100%"],
        made["100% cobertura"],
        made["Al 100% siempre"],
        made["Meta al 100%"],
    ]


def test_a_long_search_ranks_a_long_field_that_begins_with_it(reader_client):
    institution = make_institution()
    search = "a" * 99 + "b"  # the longest search there is
    elsewhere = meeting("2025-01-01", institution=institution, purpose="x" + search)
    starts = meeting("2020-01-01", institution=institution, purpose=search + "c" * 80)
    exact = meeting("2019-01-01", institution=institution, purpose=search.upper())
    meeting("2024-01-01", institution=institution, purpose="a" * 99 + "c" + "b" * 80)
    response = reader_client.get(URL, {"q": search})
    assert shown(response, "reuniones") == [exact, starts, elsewhere]


def test_a_search_whose_plain_text_grows_past_the_longest_search_still_ranks(reader_client):
    # "æ" is "ae" in plain text: 60 typed letters are 120 plain ones.
    institution = make_institution()
    search = "æ" * 60
    starts = meeting("2024-01-01", institution=institution, purpose="Æ" * 60 + " y más")
    exact = meeting("2019-01-01", institution=institution, place="ae" * 60)
    word = meeting("2025-01-01", institution=institution, outcomes="Dijo " + "ae" * 61)
    meeting("2025-06-01", institution=institution, purpose="ae" * 59 + "x")
    response = reader_client.get(URL, {"q": search})
    assert shown(response, "reuniones") == [exact, starts, word]


def test_see_all_pages_go_through_the_ranking_in_order(reader_client):
    institution = make_institution()
    for number in range(9):
        make_contact(institution=institution, name=f"Núñez {number}")  # begins with it
        make_contact(institution=institution, name=f"Ana Núñez {number}")  # a word
        make_contact(institution=institution, name=f"Ana Ibáñez{number}", email="j.nunez@x.ec")
    make_contact(institution=institution, name="NUNEZ")
    ranking = every_match_ranked(BY_KEY["contactos"], "nunez")
    assert len(ranking) == 28

    pages = [
        reader_client.get(URL, {"q": "nunez", "tipo": "contactos", "page": page}) for page in (1, 2)
    ]

    assert [shown(page, "contactos") for page in pages] == [ranking[:25], ranking[25:]]
    assert ranking[0] == Contact.objects.get(name="NUNEZ").pk
    assert pages[1].context["page_obj"].paginator.count == 28


@pytest.fixture
def people_and_places():
    """Records of every kind whose searched fields hold "pueblo", "puerto" and "pu" at the
    start, at a word's start and inside words, on different dates."""
    texts = [
        "Pueblo",
        "Pueblo montubio",
        "Defensoría del Pueblo",
        "Despueblo rural",
        "Puerto Bolívar",
        "Aeropuerto",
        "Pu",
        "Capulí",
        "Ruta al puerto del pueblo",
    ]
    for number, text in enumerate(texts):
        on = datetime.date(2020, 1, 1) + datetime.timedelta(days=37 * (number % 4))
        institution = make_institution(name=f"{text} {number}", acronym=f"P{number}")
        make_contact(institution=institution, name=text, position=texts[-number - 1])
        make_ally(name=f"Colectivo {text} {number}")
        make_meeting(institution, held_on=on, purpose=text, outcomes=texts[number - 1])
        make_meeting(institution, held_on=on, place=text)
        make_request(institution=institution, sent_on=on, subject=text)
        make_evaluation(title=text, evaluated_on=on, findings=texts[number - 2])
        make_publication(title=text, published_on=on)
        make_recommendation(institution=institution, text=text, proposed_on=on)


@pytest.mark.parametrize("term", ["pueblo", "PUERTO", "pu", "ue", "de", "púe", "zz"])
def test_every_kind_shows_the_first_of_its_ranking(reader_client, people_and_places, term):
    response = reader_client.get(URL, {"q": term})
    for kind in KINDS:
        ranking = every_match_ranked(kind, term)
        assert shown(response, kind.key) == ranking[:5], kind.key
        assert see_all_offered(response, kind.key) == (len(ranking) > 5), kind.key


def test_the_ranking_reference_sees_every_kind_of_match(people_and_places):
    # The fixture does reach every rank, so the comparison above means something.
    ranks = set(
        Meeting.objects.filter(plain_q(("purpose", "outcomes", "place"), "pueblo"))
        .annotate(search_rank=rank(("purpose", "outcomes", "place"), "pueblo"))
        .values_list("search_rank", flat=True)
    )
    assert ranks == {0, 1, 2, 3}
    assert Institution.objects.count() == 9


def test_see_all_pages_of_meetings_go_through_every_rank_in_order(reader_client):
    institution = make_institution()
    for number in range(9):
        on = f"2024-01-{number + 1:02d}"
        meeting(on, institution=institution, purpose=f"Mesa de agua {number}")  # a word
        meeting(on, institution=institution, purpose=f"Desaguadero {number}")  # elsewhere
        meeting(on, institution=institution, place=f"Agua Santa {number}")  # begins with it
    meeting("2020-01-01", institution=institution, outcomes="agua")  # the search itself
    ranking = every_match_ranked(BY_KEY["reuniones"], "agua")
    assert len(ranking) == 28

    pages = [
        reader_client.get(URL, {"q": "agua", "tipo": "reuniones", "page": page}) for page in (1, 2)
    ]

    assert [shown(page, "reuniones") for page in pages] == [ranking[:25], ranking[25:]]
    assert pages[1].context["page_obj"].paginator.count == 28
    assert shown(reader_client.get(URL, {"q": "agua"}), "reuniones") == ranking[:5]
