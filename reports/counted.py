"""Which records the report of a semester counts, and the guard that keeps them.

"A record that a finalized report counts cannot be deleted": the figures of a finalized report
must stay traceable to the records that made them. The definitions below are those of
``reports.builder``, record by record; ``tests/history/test_counted.py`` checks them against the
figures the builder gives for the demo data.

Two definitions are wider than the builder's on purpose, because they are judged now and the
report was built then: an institution counts whatever its ``active`` flag says today, and an
agreement whatever its status says today (either may have changed since the report was
finalized, and the report counted the record as it was).
"""

from django.db.models import BooleanField, Case, Q, Value, When
from django.utils.translation import gettext as _

from allies.models import AgendaItem, Agreement, Ally
from institutions.models import Institution
from observance.models import (
    Evaluation,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ProcessStep,
    Publication,
    Recommendation,
    TeamMember,
)

from .builder import _held_in
from .models import SemiannualReport


def _within(field, period, prefix=""):
    return Q(**{f"{prefix}{field}__gte": period.start, f"{prefix}{field}__lte": period.end})


def _active(period, prefix="", until="ended_on"):
    """Started by the period's end and not ended before its start (team, processes)."""
    return Q(**{f"{prefix}started_on__lte": period.end}) & (
        Q(**{f"{prefix}{until}__isnull": True}) | Q(**{f"{prefix}{until}__gte": period.start})
    )


def _signed(period, prefix=""):
    return Q(**{f"{prefix}signed_on__lte": period.end})


# model -> function(period) -> Q selecting the rows of that model the period's report counts.
COUNTED = {
    Meeting: lambda period: _held_in(period),
    InformationRequest: lambda period: _within("sent_on", period),
    Institution: lambda period: Q(mapped_on__lte=period.end),
    Agreement: _signed,
    AgendaItem: lambda period: _signed(period, "agreement__"),
    Evaluation: lambda period: _within("evaluated_on", period),
    Publication: lambda period: _within("published_on", period),
    Recommendation: lambda period: _within("proposed_on", period),
    TeamMember: _active,
    ObservanceProcess: lambda period: _active(period, until="closed_on"),
    ProcessStep: lambda period: _active(period, "process__", until="closed_on"),
}
# The report lists and counts every ally there is, whatever the semester: an ally counts in
# the reports finalized after it was recorded.
GUARDED_MODELS = [*COUNTED, Ally]


def finalized_reports():
    """The finalized reports, oldest semester first."""
    return list(
        SemiannualReport.objects.filter(status=SemiannualReport.Status.FINAL).order_by(
            "year", "half"
        )
    )


def refusal(report):
    return _("It is counted in the finalized report %(report)s.") % {"report": report.period.label}


def counted_in_finalized_reports(queryset):
    """``{pk: reason}`` for the rows of ``queryset`` that a finalized report counts.

    Two queries whatever the number of rows: the finalized reports, then the rows.
    """
    model = queryset.model._meta.concrete_model
    if model not in GUARDED_MODELS:
        return {}
    reports = finalized_reports()
    if not reports:
        return {}
    if model is Ally:
        return _allies_counted(queryset, reports)
    conditions = {
        f"in_report_{i}": COUNTED[model](report.period) for i, report in enumerate(reports)
    }
    any_report = Q()
    for condition in conditions.values():
        any_report |= condition
    rows = (
        queryset.order_by()
        .filter(any_report)
        .annotate(
            **{
                name: Case(
                    When(condition, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
                for name, condition in conditions.items()
            }
        )
        .values_list("pk", *conditions)
    )
    reasons = {}
    for pk, *flags in rows:
        first = next(i for i, flag in enumerate(flags) if flag)
        reasons[pk] = refusal(reports[first])
    return reasons


def _allies_counted(queryset, reports):
    """Allies recorded before a report was finalized (or with no record of when: kept)."""
    pks = list(queryset.values_list("pk", flat=True))
    # Newest first, so that the dict keeps each ally's first creation.
    created = dict(
        Ally.history.filter(id__in=pks, history_type="+")
        .order_by("-history_date")
        .values_list("id", "history_date")
    )
    reasons = {}
    for pk in pks:
        for report in reports:
            if pk not in created or created[pk] <= report.finalized_at:
                reasons[pk] = refusal(report)
                break
    return reasons


def counted_in_finalized_report(record):
    """The deletion guard: why ``record`` must be kept, or None."""
    model = record._meta.concrete_model
    if model not in GUARDED_MODELS or record.pk is None:
        return None
    return counted_in_finalized_reports(model._default_manager.filter(pk=record.pk)).get(record.pk)
