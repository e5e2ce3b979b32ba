"""One rule for "contains" everywhere a user searches: blind to accents and case, on both
databases (oppms/plain.py)."""

import unicodedata

import pytest
from django.db import connection
from django.urls import reverse

from institutions.models import Institution
from oppms.plain import Plain, plain, plain_search
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def education():
    return [
        make_institution(name="Ministerio de Educación", acronym="MINEDUC"),
        make_institution(name="Secretaría de Educación Superior", acronym="SENESCYT"),
        make_institution(name="Ministerio de Salud Pública", acronym="MSP"),
    ]


@pytest.mark.parametrize("term", ["educacion", "EDUCACIÓN", "Educacion", "eDuCaCiÓn"])
def test_accents_and_case_do_not_matter(education, term):
    found = plain_search(Institution.objects.all(), ["name"], term)
    assert sorted(found.values_list("acronym", flat=True)) == ["MINEDUC", "SENESCYT"]


def test_an_accented_search_finds_the_unaccented_record():
    make_institution(name="Consejo de Participacion Ciudadana", acronym="CPCCS")
    found = plain_search(Institution.objects.all(), ["name"], "participación")
    assert list(found.values_list("acronym", flat=True)) == ["CPCCS"]


def test_a_percent_sign_or_underscore_is_searched_for_literally():
    make_institution(name="Cobertura al 100% de la población", acronym="CIEN")
    make_institution(name="Cobertura al 1000 de la poblacion", acronym="MIL")
    assert list(
        plain_search(Institution.objects.all(), ["name"], "100%").values_list("acronym", flat=True)
    ) == ["CIEN"]
    assert not plain_search(Institution.objects.all(), ["name"], "_").exists()


def test_the_lookup_folds_both_sides_in_the_database(education):
    assert Institution.objects.filter(name__plain="MINISTERIO DE EDUCACION").count() == 1
    assert Institution.objects.filter(name__plain__startswith="secretaria").count() == 1


def test_the_database_folds_text_as_the_python_rule_does():
    """SQLite runs the Python rule; PostgreSQL runs unaccent + lower: they must agree on
    every character a text may carry (Latin, Greek, Cyrillic, punctuation, symbols, the
    compatibility forms), or the two would find different records."""
    codes = [*range(0x20, 0x7F), *range(0xA0, 0x3000), *range(0xFB00, 0xFFFE)]
    characters = [chr(code) for code in codes if unicodedata.category(chr(code)) != "Cn"]
    sample = "\n".join(characters)
    make_institution(name=sample[:255], acronym="A", notes=sample)
    folded = Institution.objects.annotate(folded=Plain("notes")).get().folded
    assert folded.split("\n") == [plain(character) for character in characters]


def test_the_fold_is_the_documented_one():
    assert plain("¿EDUCACIÓN Ñandú Nº 5? Æsop ß") == "?educacion nandu nº 5? aesop ss"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
def test_the_searched_expressions_are_indexed_with_trigrams():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'search\\_%%'"
        )
        indexes = dict(cursor.fetchall())
    assert "gin_trgm_ops" in indexes["search_institution_name_plain"]
    assert "oppms_plain" in indexes["search_meeting_purpose_plain"]


def test_a_list_search_box_is_blind_to_accents_and_case(reader_client, education):
    response = reader_client.get(reverse("institutions:institution-list"), {"q": "EDUCACIÓN"})
    assert [i.acronym for i in response.context["object_list"]] == ["MINEDUC", "SENESCYT"]


def test_the_request_list_search_finds_titulos(reader_client):
    make_request(subject="Registro de títulos extranjeros", reference="Oficio Nº 015")
    make_request(subject="Presupuesto asignado")
    response = reader_client.get(reverse("observance:request-list"), {"q": "titulos"})
    assert [r.subject for r in response.context["object_list"]] == [
        "Registro de títulos extranjeros"
    ]


def test_the_institution_lookup_of_the_forms_is_blind_to_accents(reader_client, education):
    response = reader_client.get(reverse("institutions:institution-search"), {"q": "educacion"})
    texts = [result["text"] for result in response.json()["results"]]
    assert texts == [
        "Ministerio de Educación (MINEDUC)",
        "Secretaría de Educación Superior (SENESCYT)",
    ]


def test_the_ally_lookup_of_the_forms_is_blind_to_accents(reader_client):
    from tests.allies.factories import make_ally

    make_ally(name="Universidad Andina Simón Bolívar", acronym="UASB")
    response = reader_client.get(reverse("allies:ally-search"), {"q": "SIMON BOLIVAR"})
    assert [result["text"] for result in response.json()["results"]] == [
        "Universidad Andina Simón Bolívar (UASB)"
    ]


def test_a_list_search_across_a_relation_is_blind_to_accents_too(reader_client, education):
    from tests.institutions.factories import make_meeting

    make_meeting(education[0], purpose="Presentar el observatorio")
    make_meeting(education[2], purpose="Presentar el observatorio")
    response = reader_client.get(reverse("observance:meeting-list"), {"q": "EDUCACION"})
    assert [m.institution.acronym for m in response.context["object_list"]] == ["MINEDUC"]


def test_a_search_across_a_relation_takes_wildcards_literally(education):
    from observance.models import Recommendation
    from tests.observance.page_data import make_recommendation

    make_recommendation(institution=education[0], text="Ampliar la cobertura")
    fields = ["text", "institution__name"]
    assert plain_search(Recommendation.objects.all(), fields, "educación").count() == 1
    assert plain_search(Recommendation.objects.all(), fields, "%").count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
def test_the_navbar_search_can_use_its_indexes():
    """The query's expressions must be the indexes', or PostgreSQL reads every row: the prefix
    indexes for the records that are or begin with the search, the trigram indexes for the
    others."""
    from search.kinds import BY_KEY

    with connection.cursor() as cursor:
        # An empty table is read faster whole: make any other path cost more than the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = BY_KEY["reuniones"].ranked("educacion", 0, 6).explain()
    assert "Bitmap Index Scan on search_meeting_purpose_start" in plan
    assert "Bitmap Index Scan on search_meeting_place_start" in plan
    assert "Bitmap Index Scan on search_meeting_purpose_plain" in plan
    assert "Bitmap Index Scan on search_meeting_place_plain" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
def test_the_prefix_indexes_hold_as_many_characters_as_the_search_compares():
    from search.kinds import INDEXED_PREFIX

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname LIKE 'search\\_%%_start'")
        definitions = [definition for (definition,) in cursor.fetchall()]
    assert len(definitions) == 18
    assert all(f", {INDEXED_PREFIX}) text_pattern_ops)" in d for d in definitions), definitions
