"""Time and peak memory of downloading the meetings list (50,000 meetings) as CSV and XLSX.

Loads the data set of bench/pages.py (its loader, reused: 500 institutions, 300 allies, 50,000
meetings, 20,000 requests) into the configured database, then downloads every meeting through
the list's real view (Django's test client, in-process) as CSV and as XLSX, reading the body as
a browser would, without keeping it. Side by side, in the same run, two anchors on the same
records: the admin's export through django-import-export (which builds the whole file in
memory), and a bare ``csv.writer`` over ``values_list`` (what reading and writing alone cost).

Each measurement runs in its own forked process, so that one's memory does not hide another's:
"peak MB" is how much that process's resident memory grew at its highest (getrusage's maxrss
less the resident size at the start), "queries" how many statements it sent (the session and
permission look-ups included; logging in is not measured), "MB out" the size of the file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_export_bench \
        .venv/bin/python bench/export.py
"""

import csv  # noqa: I001 - bench/pages.py must set Django up before Django is imported
import datetime
import logging
import multiprocessing
import os
import resource
import sys
import time

import pages  # bench/pages.py: sets Django up and holds the data set's loader

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from observance.models import Meeting  # noqa: E402
from observance.resources import MeetingResource  # noqa: E402
from oppms import roles  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def peak_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def drain(response):
    """Read the body as a browser saving the file would, without holding it; its size."""
    if response.streaming:
        size = 0
        for piece in response.streaming_content:
            size += len(piece)
        response.close()
        return size
    return len(response.content)


def logged_in(group_name, username, **extra):
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.force_login(pages.user_for(group_name, username, **extra))
    return client


def app_download(file_format, query=""):
    """The meetings list's download (of the rows ``query`` filters): returns what downloads it."""
    client = logged_in(roles.COORDINACION, "bench-coordinacion")
    address = reverse("observance:meeting-list") + f"?format={file_format}{query}"
    # Warm up on a search that finds nothing, so that loading the code is not counted.
    drain(client.get(address + "&q=bench-finds-nothing"))

    def run():
        response = client.get(address)
        assert response.status_code == 200, response.status_code
        return drain(response)

    return run


def admin_export(file_format):
    """The admin's export of every column of every meeting, through import-export."""
    client = logged_in(roles.ADMINISTRACION, "bench-admin", is_staff=True)
    data = {"resource": "0", "format": {"csv": "0", "xlsx": "1"}[file_format]}
    data |= {f"meetingresource_{name}": "on" for name in MeetingResource().get_export_order()}
    client.get(reverse("admin:observance_meeting_export"))  # warm up

    def run():
        response = client.post(reverse("admin:observance_meeting_export"), data)
        assert response.status_code == 200, response.status_code
        return drain(response)

    return run


def bare_csv():
    return write_bare_csv


def write_bare_csv():
    columns = ("id", "held_at", "modality", "place", "institution__name", "ally__name", "purpose")
    rows = Meeting.objects.values_list(*columns).order_by("-held_at").iterator(chunk_size=2000)
    with open(os.devnull, "w", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(columns)
        size = 0
        for row in rows:
            size += writer.writerow(row)
    return size


def measure_in_child(task, arguments, results):
    run = task(*arguments)
    counter = QueryCounter()
    start = resident_bytes()
    with connection.execute_wrapper(counter):
        began = time.perf_counter()
        size = run()
        seconds = time.perf_counter() - began
    results.put((seconds, (peak_bytes() - start) / 2**20, counter.count, size))


def measure(task, *arguments):
    # A forked child must not share its parent's database connection.
    connections.close_all()
    results = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(
        target=measure_in_child, args=(task, arguments, results)
    )
    child.start()
    outcome = results.get()
    child.join()
    return outcome


# The meetings of the last year: a fifth of them, to show that memory does not grow with rows.
YEAR_AGO = datetime.date.today() - datetime.timedelta(days=365)
LAST_YEAR = f"&held_after={YEAR_AGO:%d/%m/%Y}"

RUNS = [
    ("list download, CSV, last year only", app_download, "csv", LAST_YEAR),
    ("list download, CSV (streamed)", app_download, "csv"),
    ("list download, XLSX, last year only", app_download, "xlsx", LAST_YEAR),
    ("list download, XLSX (write-only)", app_download, "xlsx"),
    ("admin export, CSV (import-export)", admin_export, "csv"),
    ("admin export, XLSX (import-export)", admin_export, "xlsx"),
    ("bare csv.writer over values_list", bare_csv),
]


def main():
    logging.disable(logging.ERROR)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    pages.fill()
    pages.user_for(roles.COORDINACION, "bench-coordinacion")
    pages.user_for(roles.ADMINISTRACION, "bench-admin", is_staff=True)
    last_year = Meeting.objects.filter(held_at__date__gte=YEAR_AGO).count()
    print(
        f"database: {connection.vendor}; meetings: {Meeting.objects.count()}, "
        f"of which {last_year} in the last year"
    )
    print(
        f"{'export of the meetings':38} {'seconds':>8} {'peak MB':>8} {'queries':>8} {'MB out':>8}"
    )
    for label, task, *arguments in RUNS:
        seconds, peak, queries, size = measure(task, *arguments)
        print(f"{label:38} {seconds:8.1f} {peak:8.1f} {queries:8d} {size / 2**20:8.1f}")


if __name__ == "__main__":
    sys.exit(main())
