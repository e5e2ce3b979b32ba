"""Server time and query count of the dashboard and every list page with a large history.

Fills the configured database (DATABASE_URL; run it on PostgreSQL) with 500 institutions,
300 allies, 50,000 meetings and 20,000 information requests the first time, then requests each
page in-process through Django's test client and prints the median server time over several
runs and the number of queries, next to the Django admin changelist of the same model.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_bench .venv/bin/python bench/pages.py

Rows it adds are named "Bench …" so that a second run reuses them.
"""

import datetime
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppms.settings")
# Measure as production runs: no debug machinery.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("STATIC_ROOT", "/tmp/oppms-bench-static")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # the test client speaks plain HTTP

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from allies.models import Ally  # noqa: E402
from institutions.models import Institution  # noqa: E402
from observance import lotaip  # noqa: E402
from observance.models import InformationRequest, Meeting, RequestEvent  # noqa: E402
from oppms import roles  # noqa: E402

SIZES = {"institutions": 500, "allies": 300, "meetings": 50_000, "requests": 20_000}
RUNS = 7


def fill(until=None):
    """The bench's rows, dated over the five years (meetings) and four (requests) that end at
    ``until``: now unless given (bench/http_pages.py's history phase ends them where the current
    semester starts)."""
    if Institution.objects.filter(name__startswith="Bench ").count() >= SIZES["institutions"]:
        return
    rng = random.Random(2021)
    end = until or timezone.now()
    last = last_day(until)
    with transaction.atomic():
        institutions = Institution.objects.bulk_create(
            Institution(
                name=f"Bench institución {n:04d}",
                acronym=f"BI{n}",
                mapped_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
                role=rng.choice(list(Institution.Role)),
            )
            for n in range(SIZES["institutions"])
        )
        allies = Ally.objects.bulk_create(
            Ally(name=f"Bench aliado {n:04d}", kind=rng.choice(list(Ally.Kind)))
            for n in range(SIZES["allies"])
        )
        start = end - datetime.timedelta(days=5 * 365)
        Meeting.objects.bulk_create(
            (
                Meeting(
                    held_at=start + datetime.timedelta(minutes=rng.randrange(5 * 365 * 24 * 60)),
                    modality=rng.choice(list(Meeting.Modality)),
                    institution=rng.choice(institutions) if n % 3 else None,
                    ally=None if n % 3 else rng.choice(allies),
                    purpose=f"Bench reunión {n}",
                    cpccs_companion="Víctor Cabascango" if n % 7 == 0 else "",
                )
                for n in range(SIZES["meetings"])
            ),
            batch_size=2000,
        )
        requests = []
        for n in range(SIZES["requests"]):
            sent_on = last - datetime.timedelta(days=rng.randrange(4 * 365))
            due_on = lotaip.deadline(sent_on).due_on
            answered = rng.random() < 0.7 and due_on + datetime.timedelta(days=10) < last
            answered_on = (
                min(sent_on + datetime.timedelta(days=rng.randrange(1, 25)), last)
                if answered
                else None
            )
            requests.append(
                InformationRequest(
                    institution=rng.choice(institutions),
                    subject=f"Bench solicitud {n}",
                    sent_on=sent_on,
                    due_on=due_on,
                    answered_on=answered_on,
                    outcome=(
                        InformationRequest.Outcome.ANSWERED_FULLY
                        if answered
                        else InformationRequest.Outcome.PENDING
                    ),
                )
            )
        InformationRequest.objects.bulk_create(requests, batch_size=2000)
    analyze()


def last_day(until):
    """The last day the bench's rows may fall on: today, or the day before ``until``."""
    if until is None:
        return timezone.localdate()
    return timezone.localdate(until - datetime.timedelta(microseconds=1))


def analyze():
    """Fresh planner statistics after a bulk load: without them PostgreSQL plans for the
    handful of rows it last counted (8 institutions where there are 520) and picks nested loops
    and sequential scans that the real sizes make slow."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def fill_escalations(until=None):
    """Half the bench's overdue requests insisted on; a third of those at the Defensoría; all
    before ``until`` (see fill)."""
    bench = RequestEvent.objects.filter(request__subject__startswith="Bench ")
    if bench.filter(kind__in=RequestEvent.LADDER).exists():
        return
    last = last_day(until)
    day = datetime.timedelta(days=1)
    events = []
    overdue = InformationRequest.objects.filter(subject__startswith="Bench ").overdue(last)
    for n, (pk, due_on) in enumerate(overdue.order_by("pk").values_list("pk", "due_on")):
        filed = min(due_on + 5 * day, last)
        if n % 2 or filed <= due_on:
            continue
        to_defensoria = n % 3 == 0 and filed + 20 * day <= last
        events.append(
            RequestEvent(
                request_id=pk,
                kind=RequestEvent.Kind.CORRECTION_ASKED,
                occurred_on=filed,
                due_on=filed + 10 * day,
                outcome="no_answer" if to_defensoria else "pending",
                outcome_on=filed + 15 * day if to_defensoria else None,
            )
        )
        if to_defensoria:
            events.append(
                RequestEvent(
                    request_id=pk,
                    kind=RequestEvent.Kind.DEFENSORIA,
                    occurred_on=filed + 20 * day,
                    due_on=filed + 50 * day,
                    outcome="pending",
                )
            )
    RequestEvent.objects.bulk_create(events, batch_size=2000)
    analyze()


def user_for(group_name, username, **extra):
    user, _created = User.objects.get_or_create(username=username, defaults=extra)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def measure(client, url):
    timings = []
    queries = None
    status = None
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        status = response.status_code
        queries = len(captured)
    return statistics.median(timings) * 1000, queries, status


def url_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


PAGES = [
    ("dashboard", "observance:dashboard", None),
    ("meetings", "observance:meeting-list", "admin:observance_meeting_changelist"),
    (
        "information requests",
        "observance:request-list",
        "admin:observance_informationrequest_changelist",
    ),
    ("institutions", "institutions:institution-list", "admin:institutions_institution_changelist"),
    ("allies", "allies:ally-list", "admin:allies_ally_changelist"),
    ("agreements", "allies:agreement-list", "admin:allies_agreement_changelist"),
    ("processes", "observance:process-list", "admin:observance_observanceprocess_changelist"),
    (
        "recommendations",
        "observance:recommendation-list",
        "admin:observance_recommendation_changelist",
    ),
    ("evaluations", "observance:evaluation-list", "admin:observance_evaluation_changelist"),
    ("publications", "observance:publication-list", "admin:observance_publication_changelist"),
]


def main():
    logging.disable(logging.ERROR)  # a failing page shows as its HTTP status, not a traceback
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    fill()
    fill_escalations()
    coordinator = user_for(roles.COORDINACION, "bench-coordinacion")
    administrator = user_for(roles.ADMINISTRACION, "bench-admin", is_staff=True)
    app = Client(HTTP_HOST="localhost", raise_request_exception=False)
    admin = Client(HTTP_HOST="localhost", raise_request_exception=False)
    app.force_login(coordinator)
    admin.force_login(administrator)

    print(
        f"database: {connection.vendor}; rows: "
        f"{Institution.objects.count()} institutions, {Ally.objects.count()} allies, "
        f"{Meeting.objects.count()} meetings, {InformationRequest.objects.count()} requests, "
        f"{RequestEvent.objects.filter(kind__in=RequestEvent.LADDER).count()} escalation steps"
    )
    print(f"median of {RUNS} runs, server time in-process (ms) and queries per page")
    print(f"{'page':24} {'app ms':>8} {'queries':>8}   {'admin ms':>9} {'queries':>8}")
    for label, name, admin_name in PAGES:
        url = url_or_none(name)
        app_ms, app_queries, app_status = measure(app, url) if url else (None, None, None)
        admin_url = url_or_none(admin_name) if admin_name else None
        admin_ms, admin_queries, _ = measure(admin, admin_url) if admin_url else (None, None, None)

        def show(value, fmt):
            return format(value, fmt) if value is not None else "—"

        note = "" if app_status in (200, None) else f"  (HTTP {app_status})"
        print(
            f"{label:24} {show(app_ms, '8.1f')} {show(app_queries, '8d')}   "
            f"{show(admin_ms, '9.1f')} {show(admin_queries, '8d')}{note}"
        )
    for label, query in FILTERED:
        app_ms, app_queries, app_status = measure(app, reverse("observance:request-list") + query)
        note = "" if app_status == 200 else f"  (HTTP {app_status})"
        print(f"{label:24} {app_ms:8.1f} {app_queries:8d}{note}")


# The request list filtered as the dashboard and the report link it.
FILTERED = [
    ("requests, ladder step 2", "?ladder_step=2"),
    ("escalations overdue", "?escalation_outcome=pending&escalation_overdue=1"),
    ("escalations of a term", "?escalation=1&escalated_after=2025-01-01&as_of=2025-06-30"),
]


if __name__ == "__main__":
    main()
