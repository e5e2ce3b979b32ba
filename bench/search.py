"""Server time and query count of the navbar's search on the large data set, beside an anchor.

Fills the configured database (DATABASE_URL; run it on PostgreSQL) with bench/pages.py's data
(500 institutions, 300 allies, 50,000 meetings, 20,000 information requests) plus a few
accented records, runs VACUUM ANALYZE, then requests /buscar/?q=… in-process through Django's test
client for a few terms and prints the median server time over several runs and the number of
queries, next to the anchor: the same page with Django's plain ``icontains`` (no unaccent, no
trigram index) in place of the plain-text match. It ends with PostgreSQL's plan of the
meetings' query, to show whether the trigram indexes are used.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_search_bench \\
        .venv/bin/python bench/search.py
"""

import contextlib
import datetime
from urllib.parse import urlencode

import pages  # bench/pages.py: sets Django up and fills the data set
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.db.models.lookups import Exact  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from institutions import filters as institution_filters  # noqa: E402
from institutions.models import Institution  # noqa: E402
from observance import filters as observance_filters  # noqa: E402
from observance.models import InformationRequest, Meeting  # noqa: E402
from oppms import roles  # noqa: E402
from search import kinds  # noqa: E402

TERMS = ["educacion", "EDUCACIÓN", "titulos", "reunion 1234", "solicitud 777", "reunion", "reunión"]


def fill_accented():
    if Institution.objects.filter(name="Bench Ministerio de Educación").exists():
        return
    education = Institution.objects.create(
        name="Bench Ministerio de Educación",
        acronym="BMINEDUC",
        mapped_on=datetime.date(2021, 1, 4),
    )
    Institution.objects.create(
        name="Bench Secretaría de Educación Superior",
        acronym="BSENESCYT",
        mapped_on=datetime.date(2021, 1, 4),
    )
    for number in range(3):
        InformationRequest.objects.create(
            institution=education,
            subject=f"Bench registro de títulos extranjeros {number}",
            reference=f"Oficio Nº BENCH-{number:03d}",
            sent_on=datetime.date(2025, 3, 3),
        )


def icontains_q(fields, text, lookup="contains", indexed=None):
    """The anchor's match: Django's own case-insensitive lookups, accents as typed."""
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__i{lookup}": text})
    return condition


def icontains_prefix_q(fields, text, lookup):
    return icontains_q(fields, text, "exact" if lookup is Exact else "startswith")


@contextlib.contextmanager
def anchor():
    saved = kinds.plain_q, kinds.prefix_q
    kinds.plain_q, kinds.prefix_q = icontains_q, icontains_prefix_q
    kinds.ranked_sql.cache_clear()  # each kind's SQL is written once: again, with icontains
    try:
        yield
    finally:
        kinds.plain_q, kinds.prefix_q = saved
        kinds.ranked_sql.cache_clear()


LISTS = [
    ("meetings, no search", "/reuniones/"),
    ("meetings ?q=educacion", "/reuniones/?q=educacion"),
    ("meetings ?q=reunion 1234", "/reuniones/?q=reunion+1234"),
    ("requests ?q=titulos", "/solicitudes/?q=titulos"),
    ("institutions ?q=educacion", "/instituciones/?q=educacion"),
]


def icontains_search(queryset, fields, text):
    return queryset.filter(icontains_q(fields, text))


@contextlib.contextmanager
def list_anchor():
    """The lists' search boxes with Django's icontains, as they were before the plain rule."""
    modules = [observance_filters, institution_filters]
    saved = [module.plain_search for module in modules]
    for module in modules:
        module.plain_search = icontains_search
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.plain_search = original


def hit_count(client, term):
    response = client.get(f"{reverse('search:results')}?{urlencode({'q': term})}")
    return response.content.decode().count('class="list-group-item search-hit"')


def main():
    pages.logging.disable(pages.logging.ERROR)
    pages.call_command("migrate", verbosity=0)
    pages.call_command("collectstatic", interactive=False, verbosity=0)
    pages.fill()
    fill_accented()
    if connection.vendor == "postgresql":
        # VACUUM too, as autovacuum would: rows inserted after a GIN index was made wait in
        # its pending list, which every search reads through until a vacuum merges it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    user = pages.user_for(roles.CONSULTA, "bench-consulta")
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.force_login(user)

    print(
        f"database: {connection.vendor}; rows: "
        f"{Institution.objects.count()} institutions, {Meeting.objects.count()} meetings, "
        f"{InformationRequest.objects.count()} requests"
    )
    print(f"median of {pages.RUNS} runs, server time in-process (ms), queries, hits shown")
    print(
        f"{'term':16} {'plain ms':>9} {'queries':>8} {'hits':>5}   "
        f"{'icontains ms':>12} {'queries':>8} {'hits':>5}"
    )
    for term in TERMS:
        url = f"{reverse('search:results')}?{urlencode({'q': term})}"
        plain_ms, plain_queries, status = pages.measure(client, url)
        plain_hits = hit_count(client, term)
        with anchor():
            anchor_ms, anchor_queries, anchor_status = pages.measure(client, url)
            anchor_hits = hit_count(client, term)
        note = "" if status == anchor_status == 200 else f"  (HTTP {status}, {anchor_status})"
        print(
            f"{term:16} {plain_ms:9.1f} {plain_queries:8d} {plain_hits:5d}   "
            f"{anchor_ms:12.1f} {anchor_queries:8d} {anchor_hits:5d}{note}"
        )

    print("\nlist pages' search boxes (their q filter), the same way")
    print(f"{'page':30} {'plain ms':>9} {'queries':>8}   {'icontains ms':>12} {'queries':>8}")
    for label, url in LISTS:
        plain_ms, plain_queries, status = pages.measure(client, url)
        with list_anchor():
            anchor_ms, anchor_queries, anchor_status = pages.measure(client, url)
        note = "" if status == anchor_status == 200 else f"  (HTTP {status}, {anchor_status})"
        print(
            f"{label:30} {plain_ms:9.1f} {plain_queries:8d}   "
            f"{anchor_ms:12.1f} {anchor_queries:8d}{note}"
        )

    if connection.vendor == "postgresql":
        meetings = next(kind for kind in kinds.KINDS if kind.model is Meeting)
        for term in ("educacion", "reunion 1234"):
            print(f"\nPostgreSQL's plan of the meetings' query for {term!r}:")
            print(meetings.ranked(term, 0, 6).explain(analyze=True))


if __name__ == "__main__":
    main()
