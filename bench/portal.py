"""Server time and query count of every public portal page, with many public records.

Fills the configured database (DATABASE_URL; run it on PostgreSQL) the first time with 300
institutions, 3,000 publications (two in three public, each with three institutions), 6,000
recommendations (half public) and 20 final reports, then requests each portal page anonymously
in-process through Django's test client and prints the median server time and the query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_bench .venv/bin/python bench/portal.py

Rows it adds are named "Bench portal …" so that a second run reuses them.
"""

import datetime
import hashlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppms.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("STATIC_ROOT", "/tmp/oppms-bench-static")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # the test client speaks plain HTTP

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from institutions.models import Institution  # noqa: E402
from observance.models import (  # noqa: E402
    FollowUp,
    ObservanceProcess,
    ObservatoryProfile,
    Publication,
    PublicPolicy,
    Recommendation,
)
from reports.models import SemiannualReport  # noqa: E402

SIZES = {"institutions": 300, "publications": 3_000, "recommendations": 6_000}
RUNS = 7
PREFIX = "Bench portal"


def fill():
    if not ObservatoryProfile.load():
        ObservatoryProfile.objects.create(
            name=f"{PREFIX} observatorio", acronym="OPPMS", mission="Misión", vision="Visión"
        )
    if Institution.objects.filter(name__startswith=PREFIX).exists():
        return
    rng = random.Random(2021)
    with transaction.atomic():
        institutions = Institution.objects.bulk_create(
            Institution(name=f"{PREFIX} institución {n:04d}", mapped_on=datetime.date(2021, 1, 4))
            for n in range(SIZES["institutions"])
        )
        policy = PublicPolicy.objects.create(name=f"{PREFIX} política", group="both")
        process = ObservanceProcess.objects.create(
            policy=policy, title=f"{PREFIX} proceso", started_on=datetime.date(2021, 1, 4)
        )
        publications = Publication.objects.bulk_create(
            Publication(
                process=process,
                kind=rng.choice(Publication.Kind.values),
                title=f"{PREFIX} publicación {n}",
                published_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=n % 700),
                summary="Resumen de los resultados de la evaluación. " * 3,
                is_public=n % 3 != 0,
            )
            for n in range(SIZES["publications"])
        )
        links = Publication.institutions.through
        links.objects.bulk_create(
            links(publication_id=publication.pk, institution_id=institution.pk)
            for publication in publications
            for institution in rng.sample(institutions, 3)
        )
        recommendations = Recommendation.objects.bulk_create(
            Recommendation(
                process=process,
                institution=rng.choice(institutions),
                text=f"{PREFIX} recomendación {n}",
                proposed_on=datetime.date(2021, 6, 1),
                is_public=n % 2 == 0,
            )
            for n in range(SIZES["recommendations"])
        )
        # Compliance is the latest follow-up's level: one follow-up each (bulk_create of
        # follow-ups brings the recommendations' compliance along).
        FollowUp.objects.bulk_create(
            FollowUp(
                recommendation=recommendation,
                checked_on=datetime.date(2021, 9, 1),
                compliance=rng.choice(Recommendation.Compliance.values),
            )
            for recommendation in recommendations
        )
        for year in range(2015, 2025):
            for half in (1, 2):
                content = f"%PDF-1.4 bench {year}-{half}".encode()
                if SemiannualReport.objects.filter(year=year, half=half).exists():
                    continue
                report = SemiannualReport(
                    year=year,
                    half=half,
                    status=SemiannualReport.Status.FINAL,
                    finalized_at=timezone.now(),
                    sha256=hashlib.sha256(content).hexdigest(),
                )
                report.pdf.save(f"bench-{year}-{half}.pdf", ContentFile(content))


def measure(client, method, url, data=None):
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = getattr(client, method)(url, data or {})
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries)


def main():
    call_command("migrate", verbosity=0)
    fill()
    client = Client(HTTP_HOST="localhost")
    report = SemiannualReport.objects.filter(status="final").first()
    pages = [
        ("get", reverse("portal:home"), None),
        ("get", reverse("portal:results"), None),
        ("get", reverse("portal:results") + "?page=50", None),
        ("get", reverse("portal:reports"), None),
        ("get", reverse("portal:recommendations"), None),
        ("get", reverse("portal:verify"), None),
        ("post", reverse("portal:verify"), {"sha256": report.sha256}),
    ]
    print(f"{'page':45} {'median ms':>10} {'queries':>8}")
    for method, url, data in pages:
        milliseconds, queries = measure(client, method, url, data)
        print(f"{method.upper() + ' ' + url:45} {milliseconds:10.1f} {queries:8d}")


if __name__ == "__main__":
    main()
