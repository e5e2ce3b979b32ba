"""Allies and agreements as they stood on a given day.

An ally stands on a day when it was allied with the observatory by then: its ``allied_on``
date, when it has one, is on or before that day, whatever its records say. An ally without that
date stands when nothing says it came later: it was recorded by then (or has no record of its
creation), or the records show it already working with the observatory (a meeting held or an
agreement signed by then). An ally entered today with no alliance date and no earlier meeting or
agreement is not in a past semester's report.

An agreement counts as signed on a day when its ``signed_on`` date is on or before it and its
status that day (see ``oppms.asof``) was signed, in execution or concluded. An activity of its
work agenda counts with the status it had that day, when it was recorded by then or when its
agreement itself was recorded later (a back-filled agreement brings its agenda with it).

The report's figures and the lists' filters both select through these functions.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from oppms.asof import end_of_day, recorded_after, values_on

from .models import AgendaItem, Agreement, Ally

SIGNED_STATUSES = [
    Agreement.Status.SIGNED,
    Agreement.Status.IN_EXECUTION,
    Agreement.Status.CONCLUDED,
]


def allies_on_day(day, queryset=None):
    """Allies standing on ``day``, annotated with ``kind_then`` and ``border_region_then``."""
    queryset = Ally.objects.all() if queryset is None else queryset
    undated = Q(allied_on__isnull=True)
    if day < timezone.localdate():
        # The meetings live in observance: reached through the reverse relation, not imported.
        meeting_model = Ally._meta.get_field("meetings").related_model
        met_by_then = meeting_model.objects.filter(ally=OuterRef("pk"), held_at__lt=end_of_day(day))
        signed_by_then = Agreement.objects.filter(ally=OuterRef("pk"), signed_on__lte=day)
        undated &= (
            ~Q(recorded_after(Ally, day)) | Q(Exists(met_by_then)) | Q(Exists(signed_by_then))
        )
    # Else the day is not over: no record was made after it, and every ally without an alliance
    # date stands. Its meetings are not read, so a meeting logged leaves the current semester's
    # allies held (oppms.write_log); a kept answer of this says its day in its key.
    return queryset.filter(Q(allied_on__lte=day) | undated).annotate(
        **values_on(Ally, ["kind", "border_region", "name", "acronym"], day)
    )


def agreements_signed_by(day, queryset=None):
    """Agreements signed by ``day``, annotated with ``status_then`` and ``ally_kind_then``."""
    queryset = Agreement.objects.all() if queryset is None else queryset
    return (
        queryset.filter(signed_on__lte=day)
        .annotate(
            **values_on(Agreement, ["status"], day),
            ally_kind_then=values_on(Ally, ["kind"], day, ref="ally_id")["kind_then"],
        )
        .filter(status_then__in=SIGNED_STATUSES)
    )


def agenda_on_day(day, agreements, queryset=None):
    """The agenda activities of ``agreements`` on ``day``, annotated with ``status_then``."""
    queryset = AgendaItem.objects.all() if queryset is None else queryset
    return (
        queryset.filter(agreement__in=agreements)
        .filter(
            ~Q(recorded_after(AgendaItem, day))
            | Q(recorded_after(Agreement, day, ref="agreement_id"))
        )
        .annotate(**values_on(AgendaItem, ["status"], day))
    )


def agenda_in_execution_on(day, queryset=None):
    """The agenda activities of the agreements in execution on ``day``, with ``status_then``.

    The activities whose progress the report gives (``reports.builder``).
    """
    executing = agreements_signed_by(day).filter(status_then=Agreement.Status.IN_EXECUTION)
    return agenda_on_day(day, executing.values("pk"), queryset)
