"""A count of rows of a table whose writes oppms.write_log logs with their dates (the meetings,
by ``held_at``), kept in two parts (oppms.unchanged): the rows dated before today, and the
others. Records are mostly logged on their day (a meeting held an hour ago): a write of today
counts again only today's rows and those ahead, while the count of the years before holds
through the log. The meetings list counts its rows so, however many years it holds.
"""

import datetime

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from oppms import write_log
from oppms.asof import end_of_day
from oppms.unchanged import while_unchanged

EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)
LATEST = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def dated_count(queryset):
    """``queryset.count()``, by parts where that pays: on PostgreSQL, with answers kept, for a
    table whose dates the log keeps. The parts split the table's rows, so they add up to the
    count of whole rows; not of some of their values (``values()``, ``DISTINCT ON``) or of
    groups, which rows of both parts may share."""
    model = queryset.model
    column = write_log.dated_by(model._meta.db_table)
    if (
        column is None
        or connection.vendor != "postgresql"
        or not settings.KEEP_WHILE_UNCHANGED
        or queryset.query.values_select
        or queryset.query.distinct_fields
        or queryset.query.group_by is not None
    ):
        return queryset.count()
    field = next(field.name for field in model._meta.concrete_fields if field.column == column)
    queryset = queryset.order_by()  # the same count in any order, kept once
    today_starts = start_of_today()
    before = queryset.filter(**{f"{field}__lt": today_starts})
    since = queryset.filter(Q(**{f"{field}__gte": today_starts}) | Q(**{f"{field}__isnull": True}))
    return _kept_count(before, column, EARLIEST, today_starts) + _kept_count(
        since, column, today_starts, LATEST
    )


def start_of_today():
    """Where the parts split: the first instant of today in the observatory's time zone."""
    return end_of_day(timezone.localdate() - datetime.timedelta(days=1))


def _kept_count(queryset, column, start, end):
    try:
        sql, params = queryset.query.sql_with_params()
        key = ("dated count", sql, tuple(params))
        hash(key)
    except EmptyResultSet:  # a filter no row can pass (``none()``): no statement to keep
        return 0
    except TypeError:  # a parameter such as a JSON value
        return queryset.count()
    return while_unchanged(
        key, queryset.count, per_language=False, within={queryset.model: (column, start, end)}
    )


class DatedCountPaginator(Paginator):
    """A paginator whose count of a queryset is ``dated_count``'s."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            return dated_count(self.object_list)
        return super().count
