"""Records as they stood on a past day, read from their history (django-simple-history).

A semester's report counts the records as they were on its cut-off, and the lists its figures
link to must select exactly the same rows, so both build their querysets from these
expressions. Each is a correlated subquery: a queryset annotated with them still runs as one
query, whatever the number of rows.

The rule, for a field that is not itself a date:

- its value on ``day`` is the one of the record's latest historical version saved before the
  end of that day (in the observatory's time zone);
- a record with no version saved by then (entered later, or loaded by a path that keeps no
  history, such as ``bulk_create``) is taken as it was first recorded: its earliest version,
  or the row itself when it has no history at all. Dated fields (``mapped_on``, ``signed_on``,
  ``held_at``) say when a record entered the observatory's work; history only says how it
  changed after it was recorded.
"""

import datetime
import functools

from django.db.models import Exists, Expression, F, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import get_history_model_for_model


def end_of_day(day):
    """The first instant after ``day`` in the observatory's time zone: filter with ``__lt``."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min),
        timezone.get_default_timezone(),
    )


@functools.cache
def history_model(model):
    """The model of ``model``'s versions. Once per model: ``model.history`` builds a new
    manager class on every access (django-simple-history's descriptor), 0.2 ms each."""
    return get_history_model_for_model(model)


def _versions(model, ref):
    return history_model(model).objects.filter(id=OuterRef(ref))


class _VersionValue(Expression):
    """``field`` of the version of ``model``'s row ``ref`` that holds on the day ending at ``end``.

    The subquery the module's rule asks for, written out as SQL: built from ``Case``, ``When``
    and ``OrderBy`` objects, Django compiled it anew for every use, and the report, the
    dashboard's trend and the "as of" lists use it dozens of times a page (about a third of
    the report preview's time went into compiling these subqueries). The SQL is the same;
    only the outer row's key (``ref``) is an expression of the outer query.
    """

    def __init__(self, model, field, end, ref):
        self.history = history_model(model)
        self.value_field = field
        self.end = end
        self.ref = F(ref) if isinstance(ref, str) else ref
        super().__init__(output_field=model._meta.get_field(field))

    def get_source_expressions(self):
        return [self.ref]

    def set_source_expressions(self, expressions):
        (self.ref,) = expressions

    def as_sql(self, compiler, connection):
        ref_sql, ref_params = compiler.compile(self.ref)
        quote = connection.ops.quote_name
        meta = self.history._meta
        version = quote("asof_version")

        def column(name):
            return f"{version}.{quote(meta.get_field(name).column)}"

        saved = f"{column('history_date')} < %s"
        end = meta.get_field("history_date").get_db_prep_value(self.end, connection)
        # The versions saved by then first, the latest of them first; else the earliest.
        # Only quoted names of our own models go into the text; the date goes as a parameter.
        sql = (
            f"(SELECT {column(self.value_field)} FROM {quote(meta.db_table)} {version}"  # nosec B608
            f" WHERE {column('id')} = ({ref_sql})"
            f" ORDER BY CASE WHEN {saved} THEN 0 ELSE 1 END ASC,"
            f" CASE WHEN {saved} THEN {column('history_date')} ELSE NULL END DESC NULLS LAST,"
            f" CASE WHEN {saved} THEN {column('history_id')} ELSE NULL END DESC NULLS LAST,"
            f" {column('history_date')} ASC, {column('history_id')} ASC LIMIT 1)"
        )
        return sql, (*ref_params, end, end, end)


def value_on(model, field, day, ref="pk"):
    """The value ``field`` of the ``model`` row ``ref`` points at had on ``day``.

    ``ref`` names the outer query's column holding that row's key: ``"pk"`` for the row itself,
    ``"ally_id"`` for the ally of a meeting, and so on.
    """
    current = F(field if ref == "pk" else f"{ref.removesuffix('_id')}__{field}")
    return Coalesce(
        _VersionValue(model, field, end_of_day(day), ref),
        current,
        output_field=model._meta.get_field(field),
    )


def values_on(model, fields, day, ref="pk", suffix="_then"):
    """``{field + suffix: value_on(...)}`` for each field: keyword arguments for annotate()."""
    return {f"{field}{suffix}": value_on(model, field, day, ref) for field in fields}


def recorded_after(model, day, ref="pk"):
    """Whether the row ``ref`` points at was first recorded after ``day``.

    False for rows recorded by then and for rows without a record of their creation.
    """
    return Exists(_versions(model, ref).filter(history_type="+", history_date__gte=end_of_day(day)))
