"""The navbar's search: one box over every kind of record, ranked, grouped by kind."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.allies.factories import make_ally
from tests.conftest import make_user
from tests.institutions.factories import make_contact, make_institution, make_meeting
from tests.observance.page_data import (
    make_evaluation,
    make_publication,
    make_recommendation,
    make_request,
)

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


def search(client, q, **params):
    return client.get(URL, {"q": q, **params})


def hits(response, kind):
    """The (text, link) of each hit of a kind's group, in the order shown."""
    for group in response.context["groups"]:
        if group["kind"].key == kind:
            return [(str(record), record.get_absolute_url()) for record in group["hits"]]
    return None


def kinds_shown(response):
    return [group["kind"].key for group in response.context["groups"] if group["hits"]]


@pytest.fixture
def records():
    education = make_institution(name="Ministerio de Educación", acronym="MINEDUC")
    make_institution(name="Ministerio de Salud Pública", acronym="MSP")
    make_request(institution=education, subject="Registro de títulos extranjeros")
    make_request(institution=education, subject="Presupuesto de becas")
    return education


@pytest.mark.parametrize("term", ["educacion", "EDUCACIÓN"])
def test_the_search_finds_the_accented_institution(reader_client, records, term):
    response = search(reader_client, term)
    assert hits(response, "instituciones") == [
        ("Ministerio de Educación (MINEDUC)", records.get_absolute_url())
    ]


def test_the_search_finds_a_request_about_titulos(reader_client, records):
    response = search(reader_client, "titulos")
    request = records.information_requests.get(subject__startswith="Registro")
    assert kinds_shown(response) == ["solicitudes"]
    assert hits(response, "solicitudes") == [
        ("Registro de títulos extranjeros", request.get_absolute_url())
    ]


def test_each_hit_links_to_its_record_on_the_page(reader_client, records):
    html = search(reader_client, "educacion").content.decode()
    assert f'href="{records.get_absolute_url()}">Ministerio de Educación (MINEDUC)</a>' in html


def test_hits_are_grouped_by_kind(reader_client):
    institution = make_institution(name="Defensoría del Pueblo", acronym="DPE")
    make_contact(institution=institution, name="Ana Pueblo", position="Analista")
    make_ally(name="Colectivo Pueblo Migrante")
    make_request(institution=institution, subject="Atención al pueblo migrante")
    make_evaluation(title="Evaluación del pueblo")
    make_publication(title="Pueblo y movilidad")
    make_recommendation(institution=institution, text="Atender al pueblo retornado")
    response = search(reader_client, "pueblo")
    assert kinds_shown(response) == [
        "instituciones",
        "contactos",
        "aliados",
        "solicitudes",
        "evaluaciones",
        "publicaciones",
        "recomendaciones",
    ]
    html = response.content.decode()
    assert html.index('id="search-instituciones"') < html.index('id="search-recomendaciones"')


def test_meetings_are_found_by_purpose_outcomes_and_place(reader_client):
    institution = make_institution()
    make_meeting(institution, purpose="Socializar la ruta de atención")
    make_meeting(institution, purpose="Otra", outcomes="Se acordó una ruta común")
    make_meeting(institution, purpose="Otra más", place="Ruta Viva, Quito")
    make_meeting(institution, purpose="Nada que ver")
    response = search(reader_client, "RUTA")
    assert len(hits(response, "reuniones")) == 3


def test_an_exact_match_ranks_first_then_a_prefix_then_a_word_then_the_rest(reader_client):
    for name in [
        "Reeducación social",  # elsewhere
        "Ministerio de Educación",  # a word begins with it
        "Educación Superior",  # the name begins with it
        "Educación",  # the name is the search
    ]:
        make_institution(name=name, acronym="")
    response = search(reader_client, "educacion")
    assert [text for text, _link in hits(response, "instituciones")] == [
        "Educación",
        "Educación Superior",
        "Ministerio de Educación",
        "Reeducación social",
    ]


def test_an_acronym_that_is_the_search_ranks_first(reader_client):
    make_institution(name="Dirección de Migraciones", acronym="DM")
    make_institution(name="Secretaría de Migración", acronym="SEMIG")
    make_institution(name="Migración Ecuador", acronym="ME")
    response = search(reader_client, "semig")
    assert hits(response, "instituciones")[0][0] == "Secretaría de Migración (SEMIG)"


def test_a_few_hits_per_kind_and_see_all_opens_the_list_filtered(reader_client):
    for number in range(7):
        make_institution(name=f"Educación zonal {number}")
    response = search(reader_client, "educacion")
    assert len(hits(response, "instituciones")) == 5
    link = re.search(r'href="([^"]+)" class="see-all"', response.content.decode()).group(1)
    assert link == reverse("institutions:institution-list") + "?q=educacion"
    listed = reader_client.get(link.replace("&amp;", "&"))
    assert listed.context["paginator"].count == 7


def test_see_all_is_not_offered_when_every_hit_is_shown(reader_client, records):
    assert "see-all" not in search(reader_client, "educacion").content.decode()


def test_see_all_contacts_pages_through_the_contacts(reader_client):
    institution = make_institution()
    for number in range(30):
        make_contact(institution=institution, name=f"Núñez {number:02d}")
    response = search(reader_client, "nunez")
    assert len(hits(response, "contactos")) == 5
    link = re.search(r'href="([^"]+)" class="see-all"', response.content.decode()).group(1)
    assert link == URL + "?q=nunez&amp;tipo=contactos"
    first = reader_client.get(URL, {"q": "nunez", "tipo": "contactos"})
    second = reader_client.get(URL, {"q": "nunez", "tipo": "contactos", "page": 2})
    assert [len(hits(first, "contactos")), len(hits(second, "contactos"))] == [25, 5]
    assert kinds_shown(first) == ["contactos"]


def test_an_unknown_kind_answers_404(reader_client):
    assert reader_client.get(URL, {"q": "educacion", "tipo": "nada"}).status_code == 404


def test_only_kinds_the_user_may_view_are_searched(client, records):
    user = make_user("frank")
    user.user_permissions.add(Permission.objects.get(codename="view_institution"))
    client.force_login(user)
    response = search(client, "educacion")
    assert [group["kind"].key for group in response.context["groups"]] == ["instituciones"]
    assert search(client, "titulos").context["found"] is False
    assert client.get(URL, {"q": "titulos", "tipo": "solicitudes"}).status_code == 403


def test_an_outsider_is_refused(client, outsider, records):
    client.force_login(outsider)
    assert search(client, "educacion").status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, records):
    response = search(client, "educacion")
    assert response.status_code == 302
    assert response.url.startswith("/cuentas/login/")


def test_the_navbar_has_a_labelled_search_box(reader_client):
    html = reader_client.get(reverse("observance:dashboard")).content.decode()
    assert '<label for="navbar-search-q" class="visually-hidden">Buscar en todo</label>' in html
    assert f'<form method="get" action="{URL}"' in html


def test_the_number_of_queries_does_not_depend_on_the_hits(
    reader_client, django_assert_max_num_queries
):
    search(reader_client, "warm up the session")

    def queries(term):
        with CaptureQueriesContext(connection) as captured:
            assert search(reader_client, term).status_code == 200
        return len(captured)

    nothing = queries("zzzz")
    institution = make_institution(name="Educación intercultural", acronym="EI")
    for number in range(12):
        make_contact(institution=institution, name=f"Educación contacto {number}")
        make_meeting(institution=institution, purpose=f"Educación {number}")
        make_request(institution=institution, subject=f"Educación {number}")
        make_recommendation(institution=institution, text=f"Educación {number}")
    assert queries("educacion") == nothing
    # Session, user, the snapshot pages are kept under (oppms.unchanged), two for the
    # permissions, one per kind (8); the session, renewed by the warm-up, is not saved again
    # (oppms.middleware.SESSION_RENEW_AFTER).
    with django_assert_max_num_queries(13):
        search(reader_client, "educacion")


def test_a_see_all_page_asks_as_many_queries_whatever_it_finds(
    reader_client, django_assert_max_num_queries
):
    search(reader_client, "warm up the session")
    institution = make_institution()
    for number in range(40):
        make_contact(institution=institution, name=f"Educación contacto {number}")
    # Session, user, the snapshot, two for the permissions, the count and the page.
    for page in (1, 2):
        with django_assert_max_num_queries(7):
            response = search(reader_client, "educacion", tipo="contactos", page=page)
        assert response.context["page_obj"].number == page


def test_an_empty_search_says_what_to_do(reader_client):
    response = search(reader_client, "   ")
    assert response.status_code == 200
    assert "Escriba qué buscar." in response.content.decode()


def test_a_one_letter_search_asks_for_more(reader_client):
    assert "Escriba al menos 2 caracteres." in search(reader_client, "a").content.decode()


def test_an_overlong_search_is_refused_and_kept(reader_client, records):
    term = "educacion " * 11
    response = search(reader_client, term)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Una búsqueda tiene como máximo 100 caracteres (esta tiene 109)." in html
    assert response.context["groups"] == []
    assert f'value="{term}"' in html


def test_a_nul_character_gets_a_message_not_an_error(reader_client):
    response = search(reader_client, "edu\x00cacion")
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


def test_the_page_speaks_spanish(reader_client):
    for number in range(6):
        make_institution(name=f"Educación zonal {number}")
    html = search(reader_client, "educacion").content.decode()
    assert '<h2 class="h5" id="search-instituciones-title">Instituciones</h2>' in html
    assert 'class="see-all">Ver todos<span class="visually-hidden">: Instituciones</span>' in html
    nothing = search(reader_client, "zzzz").content.decode()
    assert "No se encontró nada para «zzzz»." in nothing
