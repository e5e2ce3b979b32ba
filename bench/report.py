"""Time and queries of the semiannual report, for the 2021-S1 demo and 10x and 100x its records.

For each semester it prints: the time to build the figures (the database part), the time to
render the whole PDF (figures, HTML and WeasyPrint), the time WeasyPrint alone takes for the
same final HTML, their ratio, the builder's query count and the PDF's page count. The timings
are medians over several runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_report .venv/bin/python bench/report.py

The database must be migrated. Everything the script adds (the demo data if missing, and copies
of 2021-S1's records dated 2031-S1 x10 and 2041-S1 x100) is rolled back at the end.
"""

import io
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppms.settings")
# Measure as production runs: no debug machinery, hashed static files collected on disk.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("STATIC_ROOT", "/tmp/oppms-report-bench-static")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from reports.builder import report_figures  # noqa: E402
from reports.pdf import BASE_URL, StaticFileFetcher, html_to_pdf  # noqa: E402
from reports.periods import Period  # noqa: E402
from reports.services import report_for, report_html  # noqa: E402
from tests.reports.factories import clone_semester  # noqa: E402

RUNS = 3
SOURCE = Period(2021, 1)
CASES = [("2021-S1 demo", SOURCE, 0), ("10x records", Period(2031, 1), 10)]
CASES.append(("100x records", Period(2041, 1), 100))


class Rollback(Exception):
    pass


def median_time(function, runs=RUNS):
    times, result = [], None
    for _run in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(period):
    report = report_for(period)
    # Built the day after the semester ends, as when it is finalized: the copies are dated in
    # future semesters, whose cut-off would otherwise be today, before they start.
    today = period.next_start
    with CaptureQueriesContext(connection) as queries:
        report_figures(period=period, today=today)
    build, figures = median_time(lambda: report_figures(period=period, today=today))
    html = report_html(report=report, figures=figures)

    def full():
        figures = report_figures(period=period, today=today)
        return html_to_pdf(report_html(report=report, figures=figures))

    render, pdf = median_time(full)
    alone, _pdf = median_time(
        lambda: HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).write_pdf()
    )
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {
        "figures": figures,
        "build": build,
        "render": render,
        "alone": alone,
        "queries": len(queries.captured_queries),
        "pages": pages,
    }


def main():
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    rows = []
    try:
        with transaction.atomic():
            call_command("seed_demo", stdout=io.StringIO())
            for label, period, factor in CASES:
                if factor:
                    clone_semester(source=SOURCE, target=period, factor=factor, tag="bench")
                result = measure(period)
                figures = result["figures"]
                rows.append(
                    (
                        label,
                        period.code,
                        figures["meetings"]["total"],
                        figures["requests"]["sent"],
                        result["build"],
                        result["render"],
                        result["alone"],
                        result["render"] / result["alone"],
                        result["queries"],
                        result["pages"],
                    )
                )
            raise Rollback
    except Rollback:
        pass
    header = (
        f"{'case':<14}{'period':<9}{'meetings':>9}{'requests':>9}{'figures s':>11}"
        f"{'PDF s':>8}{'WeasyPrint s':>14}{'ratio':>7}{'queries':>9}{'pages':>7}"
    )
    print(header)
    print("-" * len(header))
    for label, code, meetings, requests, build, render, alone, ratio, queries, pages in rows:
        print(
            f"{label:<14}{code:<9}{meetings:>9}{requests:>9}{build:>11.3f}{render:>8.2f}"
            f"{alone:>14.2f}{ratio:>7.2f}{queries:>9}{pages:>7}"
        )
    print(f"(medians of {RUNS} runs; all rows added were rolled back)")


if __name__ == "__main__":
    main()
