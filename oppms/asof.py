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

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone


def end_of_day(day):
    """The first instant after ``day`` in the observatory's time zone: filter with ``__lt``."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min),
        timezone.get_default_timezone(),
    )


def _versions(model, ref):
    return model.history.model.objects.filter(id=OuterRef(ref))


def value_on(model, field, day, ref="pk"):
    """The value ``field`` of the ``model`` row ``ref`` points at had on ``day``.

    ``ref`` names the outer query's column holding that row's key: ``"pk"`` for the row itself,
    ``"ally_id"`` for the ally of a meeting, and so on.
    """
    end = end_of_day(day)
    saved_by_then = Q(history_date__lt=end)
    # One subquery per value: the versions saved by then come first, the latest of them first;
    # when there is none, the earliest version saved later.
    by_then = Case(When(saved_by_then, then=Value(0)), default=Value(1))
    version = _versions(model, ref).order_by(
        by_then,
        Case(When(saved_by_then, then=F("history_date"))).desc(nulls_last=True),
        Case(When(saved_by_then, then=F("history_id"))).desc(nulls_last=True),
        "history_date",
        "history_id",
    )
    current = F(field if ref == "pk" else f"{ref.removesuffix('_id')}__{field}")
    return Coalesce(
        Subquery(version.values(field)[:1]),
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
