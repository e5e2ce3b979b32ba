"""The report builder runs a fixed number of queries whatever the number of records."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.builder import report_figures

from .factories import add_evaluation_records, clone_semester


def count_queries(period):
    with CaptureQueriesContext(connection) as context:
        figures = report_figures(period=period)
    return len(context.captured_queries), figures


def test_builder_query_count_does_not_grow_with_ten_times_the_records(demo, first_2021):
    add_evaluation_records(first_2021)
    queries, figures = count_queries(first_2021)
    clone_semester(source=first_2021, target=first_2021, factor=9)
    queries_tenfold, figures_tenfold = count_queries(first_2021)
    assert figures_tenfold["meetings"]["total"] == 10 * figures["meetings"]["total"]
    assert figures_tenfold["requests"]["sent"] == 10 * figures["requests"]["sent"]
    assert queries_tenfold == queries
