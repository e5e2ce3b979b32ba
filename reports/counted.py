"""Which records the report of a semester counts, and what keeps them counted once it is final.

A finalized report stores the identity of every record it counted (``CountedRecord``), written
by ``store_counted_records`` when it is finalized, from the rules below as the records stand
then. From that moment those records can be edited, but none can be deleted, moved out of the
counted semester (its date), or stripped of what made it count (a meeting's institution or ally,
an agreement's signature): the guards of ``reports.signals`` refuse it on every path.

Each rule is one reason a report counts a record: which rows it selects for a period, and the
field that must keep holding a value the rule accepts. A meeting held in the semester with an
institution is counted for two reasons, and keeps both its date and its institution. A rule
without a field only keeps its records from deletion.

The selections are those of ``reports.builder``, record by record
(``tests/history/test_counted.py`` checks them against the demo's figures), except where the
builder judges a record as it stood at the cut-off: an institution counts here whatever its
``active`` flag, an agreement whatever its status, and an ally whenever it existed when the
report was finalized. Keeping a few records more than the figures show costs nothing; keeping
one less would let a figure lose its record.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import CountedRecord
from .periods import Period

NEGOTIATION = "negotiation"


def _day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def _in_semester(value, period):
    if isinstance(value, datetime.datetime):
        return period.starts_at <= value < period.ends_before
    return value is not None and period.start <= value <= period.end


def _by_end(value, period):
    return value is not None and value <= period.end


def _empty_or_from_start(value, period):
    return value is None or value >= period.start


def _is_set(value, period):
    return value is not None


def _not_in_negotiation(value, period):
    return value != NEGOTIATION


def _stays_in_semester(period):
    return _(
        "The finalized report %(report)s counts this record: this date must stay between "
        "%(start)s and %(end)s."
    ) % {"report": period.label, "start": _day(period.start), "end": _day(period.end)}


def _stays_by_end(period):
    return _(
        "The finalized report %(report)s counts this record: this date cannot be later "
        "than %(end)s."
    ) % {"report": period.label, "end": _day(period.end)}


def _stays_active(period):
    return _(
        "The finalized report %(report)s counts this record as active in that semester: "
        "this date must stay empty or on or after %(start)s."
    ) % {"report": period.label, "start": _day(period.start)}


def _keeps_institution(period):
    return _(
        "The finalized report %(report)s counts this meeting as held with an institution: "
        "the institution cannot be removed."
    ) % {"report": period.label}


def _keeps_ally(period):
    return _(
        "The finalized report %(report)s counts this meeting as held with an ally: the ally "
        "cannot be removed."
    ) % {"report": period.label}


def _stays_signed(period):
    return _(
        "The finalized report %(report)s counts this agreement as signed: it cannot go back "
        "to “%(status)s”."
    ) % {"report": period.label, "status": _("In negotiation")}


def _stays_with_a_meeting_in_semester(period):
    return _(
        "The finalized report %(report)s counts this commitment as agreed in that semester: it "
        "must stay with a meeting held between %(start)s and %(end)s."
    ) % {"report": period.label, "start": _day(period.start), "end": _day(period.end)}


# The kinds of request event that are steps of the escalation ladder (observance.escalation);
# spelled here, like the models, so that a migration can apply the rules too.
LADDER_KINDS = ["correction_asked", "defensoria", "judicial"]


def _is_ladder_step(value, period):
    return value in LADDER_KINDS


def _stays_ladder_step(period):
    return _(
        "The finalized report %(report)s counts this step of the escalation ladder: it must "
        "stay a step of the ladder."
    ) % {"report": period.label}


def _filed_in(period):
    return _between("occurred_on")(period) & Q(kind__in=LADDER_KINDS)


@dataclass(frozen=True)
class Rule:
    """One reason the report of a period counts records of one model."""

    model: str  # "app_label.model_name", so that a migration can apply the rule too
    basis: str
    selects: Callable[[Period], Q]
    field: str | None = None
    holds: Callable[[object, Period], bool] | None = None
    refusal: Callable[[Period], str] | None = None


def _held_in(period):
    """Held in the semester, midnight to midnight in the observatory's time zone."""
    return Q(held_at__gte=period.starts_at, held_at__lt=period.ends_before)


def _meeting_held_in(meeting_id, period):
    """Whether the meeting a commitment belongs to was held in the semester (one query)."""
    meeting = django_apps.get_model("observance", "Meeting")
    return meeting._base_manager.filter(pk=meeting_id).filter(_held_in(period)).exists()


def _between(field):
    return lambda period: Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _active(prefix="", until="ended_on"):
    """Started by the period's end and not ended before its start (team, processes)."""
    return lambda period: (
        Q(**{f"{prefix}started_on__lte": period.end})
        & (Q(**{f"{prefix}{until}__isnull": True}) | Q(**{f"{prefix}{until}__gte": period.start}))
    )


def _dated(model, basis, field):
    """Counted because ``field`` falls in the semester; kept there."""
    return Rule(model, basis, _between(field), field, _in_semester, _stays_in_semester)


RULES = [
    Rule("observance.meeting", "held", _held_in, "held_at", _in_semester, _stays_in_semester),
    Rule(
        "observance.meeting",
        "with_institution",
        lambda period: _held_in(period) & Q(institution__isnull=False),
        "institution",
        _is_set,
        _keeps_institution,
    ),
    Rule(
        "observance.meeting",
        "with_ally",
        lambda period: _held_in(period) & Q(ally__isnull=False),
        "ally",
        _is_set,
        _keeps_ally,
    ),
    Rule(
        "observance.commitment",
        "made",
        lambda period: Q(
            meeting__held_at__gte=period.starts_at, meeting__held_at__lt=period.ends_before
        ),
        "meeting",
        _meeting_held_in,
        _stays_with_a_meeting_in_semester,
    ),
    _dated("observance.informationrequest", "sent", "sent_on"),
    Rule(
        "observance.requestevent",
        "escalated",
        _filed_in,
        "occurred_on",
        _in_semester,
        _stays_in_semester,
    ),
    Rule(
        "observance.requestevent",
        "ladder_step",
        _filed_in,
        "kind",
        _is_ladder_step,
        _stays_ladder_step,
    ),
    _dated("observance.evaluation", "evaluated", "evaluated_on"),
    _dated("observance.publication", "published", "published_on"),
    _dated("observance.recommendation", "proposed", "proposed_on"),
    Rule(
        "institutions.institution",
        "mapped",
        lambda period: Q(mapped_on__lte=period.end),
        "mapped_on",
        _by_end,
        _stays_by_end,
    ),
    Rule(
        "allies.agreement",
        "signed",
        lambda period: Q(signed_on__lte=period.end),
        "signed_on",
        _by_end,
        _stays_by_end,
    ),
    Rule(
        "allies.agreement",
        "not_in_negotiation",
        lambda period: Q(signed_on__lte=period.end) & ~Q(status=NEGOTIATION),
        "status",
        _not_in_negotiation,
        _stays_signed,
    ),
    Rule("allies.agendaitem", "agenda", lambda period: Q(agreement__signed_on__lte=period.end)),
    Rule("allies.ally", "ally", lambda period: Q()),
    Rule("observance.teammember", "joined", _active(), "started_on", _by_end, _stays_by_end),
    Rule(
        "observance.teammember",
        "stayed",
        _active(),
        "ended_on",
        _empty_or_from_start,
        _stays_active,
    ),
    Rule(
        "observance.observanceprocess",
        "started",
        _active(until="closed_on"),
        "started_on",
        _by_end,
        _stays_by_end,
    ),
    Rule(
        "observance.observanceprocess",
        "open",
        _active(until="closed_on"),
        "closed_on",
        _empty_or_from_start,
        _stays_active,
    ),
    Rule("observance.processstep", "step", _active("process__", until="closed_on")),
]

RULES_BY_MODEL = {}
for _rule in RULES:
    RULES_BY_MODEL.setdefault(_rule.model, []).append(_rule)
KEPT_FIELDS = {
    model: [rule for rule in rules if rule.field]
    for model, rules in RULES_BY_MODEL.items()
    if any(rule.field for rule in rules)
}


def _selects_any(rules):
    def selects(period):
        selected = Q(pk__in=[])
        for rule in rules:
            selected |= rule.selects(period)
        return selected

    return selects


# model -> function(period) -> Q selecting every row of that model the period's report counts.
COUNTED = {
    django_apps.get_model(model): _selects_any(rules) for model, rules in RULES_BY_MODEL.items()
}
GUARDED_MODELS = list(COUNTED)


def label_of(model):
    return model._meta.concrete_model._meta.label_lower


def store_counted_records(report, apps=django_apps):
    """Store every record the report of ``report``'s period counts; how many rows were written.

    ``apps`` is a migration's app registry when a migration fills in older reports.
    """
    period = Period(report.year, report.half)
    stored = apps.get_model("reports", "CountedRecord")
    rows = [
        stored(report_id=report.pk, model=rule.model, object_id=pk, basis=rule.basis)
        for rule in RULES
        for pk in apps.get_model(rule.model)
        ._base_manager.filter(rule.selects(period))
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    stored._base_manager.bulk_create(rows, batch_size=1000)
    return len(rows)


def refusal(period):
    return _("It is counted in the finalized report %(report)s.") % {"report": period.label}


def counted_in_finalized_reports(queryset):
    """``{pk: reason}`` for the rows of ``queryset`` that a finalized report counts: one query."""
    label = label_of(queryset.model)
    if label not in RULES_BY_MODEL:
        return {}
    rows = (
        CountedRecord.objects.filter(model=label, object_id__in=queryset.order_by().values("pk"))
        .order_by("report__year", "report__half")
        .values_list("object_id", "report__year", "report__half")
    )
    reasons = {}
    for pk, year, half in rows:
        reasons.setdefault(pk, refusal(Period(year, half)))
    return reasons


def counted_in_finalized_report(record):
    """The deletion guard: why ``record`` must be kept, or None."""
    if record.pk is None or label_of(type(record)) not in RULES_BY_MODEL:
        return None
    model = type(record)._meta.concrete_model
    return counted_in_finalized_reports(model._base_manager.filter(pk=record.pk)).get(record.pk)


def _value(record, name):
    """The value ``record`` holds in field ``name``, as the database would store it."""
    field = record._meta.get_field(name)
    try:
        value = field.to_python(getattr(record, field.attname))
    except ValidationError:
        return None
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _refusals(record, stored):
    """``{field: [reason]}`` for ``stored``, the (basis, year, half) rows that keep ``record``."""
    rules = {rule.basis: rule for rule in KEPT_FIELDS[label_of(type(record))]}
    refused = {}
    for basis, year, half in stored:
        rule = rules[basis]
        period = Period(year, half)
        if not rule.holds(_value(record, rule.field), period):
            reasons = refused.setdefault(rule.field, [])
            reason = rule.refusal(period)
            if reason not in reasons:
                reasons.append(reason)
    return refused


def _stored_rows(label, pks):
    return (
        CountedRecord.objects.filter(
            model=label, object_id__in=pks, basis__in=[rule.basis for rule in KEPT_FIELDS[label]]
        )
        .order_by("report__year", "report__half", "basis")
        .values_list("object_id", "basis", "report__year", "report__half")
    )


def counted_change_refusals(record):
    """The change guard: ``{field: [reason]}`` for values ``record`` may not be saved with."""
    label = label_of(type(record))
    if record.pk is None or label not in KEPT_FIELDS:
        return {}
    stored = [row[1:] for row in _stored_rows(label, [record.pk])]
    return _refusals(record, stored) if stored else {}


def counted_records_refusals(records):
    """``[(record, {field: [reason]})]`` for the records of a queryset that may not be saved."""
    label = label_of(records.model)
    if label not in KEPT_FIELDS:
        return []
    records = list(records)
    stored = {}
    for pk, *row in _stored_rows(label, [record.pk for record in records]):
        stored.setdefault(pk, []).append(row)
    refused = []
    for record in records:
        reasons = _refusals(record, stored.get(record.pk, []))
        if reasons:
            refused.append((record, reasons))
    return refused


def kept_fields_touched(model, values):
    """The rules of ``model`` whose field an update of ``values`` would change."""
    rules = KEPT_FIELDS.get(label_of(model), [])
    touched = set(values)
    return [
        rule for rule in rules if {rule.field, model._meta.get_field(rule.field).attname} & touched
    ]


def counted_among(queryset, rules):
    """The pks of ``queryset`` a finalized report counts for one of ``rules``: one query."""
    label = label_of(queryset.model)
    stored = CountedRecord.objects.filter(
        model=label, basis__in=[rule.basis for rule in rules]
    ).values("object_id")
    return list(queryset.order_by().filter(pk__in=stored).values_list("pk", flat=True).distinct())
