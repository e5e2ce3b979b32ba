from django.urls import reverse

from tests.institutions.factories import make_institution

URL = reverse("institutions:institution-search")


def test_search_returns_at_most_twenty_matches(reader_client):
    for number in range(25):
        make_institution(name=f"Ministerio {number:02d}")
    results = reader_client.get(URL, {"q": "minis"}).json()["results"]
    assert len(results) == 20


def test_search_finds_by_acronym_and_returns_id_and_text(reader_client):
    institution = make_institution(name="Ministerio de Inclusión Económica", acronym="MIES")
    make_institution(name="Banco Central del Ecuador", acronym="BCE")

    results = reader_client.get(URL, {"q": "mies"}).json()["results"]

    assert results == [{"id": institution.pk, "text": str(institution)}]


def test_search_sends_anonymous_visitors_to_log_in(client):
    response = client.get(URL, {"q": "a"})
    assert response.status_code == 302 and response.url.startswith("/cuentas/login/")


def test_search_is_refused_to_a_user_without_permission(client, outsider):
    client.force_login(outsider)
    assert client.get(URL, {"q": "a"}).status_code == 403
