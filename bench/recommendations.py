"""Server time and query count of the pages that show recommendations and their follow-ups.

Measures each page first on the database as it is, then after adding 6,000 recommendations
with three follow-ups each (half of them overdue), and prints both side by side: a page that
scanned every follow-up, or fetched them row by row, would show it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_bench .venv/bin/python \
        bench/recommendations.py

Rows it adds are named "Bench rec" so that a second run reuses them.
"""

import datetime
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.pages import RUNS, measure, user_for  # noqa: E402  (sets Django up)
from institutions.models import Institution  # noqa: E402
from observance.models import (  # noqa: E402
    FollowUp,
    ObservanceProcess,
    PublicPolicy,
    Recommendation,
)
from oppms import roles  # noqa: E402
from oppms.views import list_url  # noqa: E402

PREFIX = "Bench rec"
RECOMMENDATIONS = 6_000
FOLLOW_UPS_EACH = 3
CUT_OFF = datetime.date(2021, 6, 30)


def fill():
    if Recommendation.objects.filter(text__startswith=PREFIX).exists():
        return
    rng = random.Random(2021)
    today = timezone.localdate()
    with transaction.atomic():
        institutions = Institution.objects.bulk_create(
            Institution(name=f"{PREFIX} institución {n:03d}", mapped_on=datetime.date(2021, 1, 4))
            for n in range(200)
        )
        policy = PublicPolicy.objects.create(name=f"{PREFIX} política", group="both")
        process = ObservanceProcess.objects.create(
            policy=policy, title=f"{PREFIX} proceso", started_on=datetime.date(2021, 1, 4)
        )
        recommendations = Recommendation.objects.bulk_create(
            (
                Recommendation(
                    process=process,
                    institution=rng.choice(institutions),
                    text=f"{PREFIX} {n}",
                    proposed_on=datetime.date(2021, 3, 1),
                    due_on=(
                        today - datetime.timedelta(days=rng.randint(1, 900))
                        if n % 2
                        else today + datetime.timedelta(days=rng.randint(0, 300))
                    ),
                )
                for n in range(RECOMMENDATIONS)
            ),
            batch_size=2000,
        )
        FollowUp.objects.bulk_create(
            (
                FollowUp(
                    recommendation=recommendation,
                    checked_on=datetime.date(2021, 3, 1)
                    + datetime.timedelta(days=rng.randint(0, 600)),
                    compliance=rng.choice(Recommendation.Compliance.values),
                    notes="Revisión",
                )
                for recommendation in recommendations
                for _ in range(FOLLOW_UPS_EACH)
            ),
            batch_size=2000,
        )


def pages():
    one = Recommendation.objects.order_by("-pk").values_list("pk", flat=True).first()
    listed = [
        ("dashboard", list_url("observance:dashboard")),
        ("recommendations", list_url("observance:recommendation-list")),
        ("overdue ones", list_url("observance:recommendation-list", state="overdue")),
        (
            "complied on a cut-off",
            list_url(
                "observance:recommendation-list", compliance="complied", as_of=CUT_OFF.isoformat()
            ),
        ),
    ]
    if one is not None:
        listed.append(("a recommendation", list_url("observance:recommendation-detail", one)))
    return listed


def measure_all(client):
    return {label: measure(client, url) for label, url in pages()}


def rows():
    return (
        f"{Recommendation.objects.count()} recommendations, {FollowUp.objects.count()} follow-ups"
    )


def main():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.force_login(user_for(roles.COORDINACION, "bench-coordinacion"))
    before_rows, before = rows(), measure_all(client)
    fill()
    after_rows, after = rows(), measure_all(client)

    print(f"database: {connection.vendor}; median of {RUNS} runs, server time in-process (ms)")
    print(f"before: {before_rows}\nafter:  {after_rows}")
    print(f"{'page':24} {'before ms':>10} {'queries':>8}   {'after ms':>9} {'queries':>8}")
    for label, (after_ms, after_queries, status) in after.items():
        before_ms, before_queries, _ = before.get(label, (None, None, None))
        shown = f"{before_ms:10.1f} {before_queries:8d}" if before_ms is not None else f"{'—':>19}"
        note = "" if status == 200 else f"  (HTTP {status})"
        print(f"{label:24} {shown}   {after_ms:9.1f} {after_queries:8d}{note}")


if __name__ == "__main__":
    main()
