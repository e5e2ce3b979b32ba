"""The figures of a semiannual report, built from the records of one semester.

``report_figures(period=...)`` returns plain JSON data (numbers, strings, ISO dates): the same
data renders the draft preview, the PDF, and is frozen with a finalized report. It runs a fixed
number of queries whatever the number of records: everything is counted in the database, and
the lists it returns are cut at the limits below (the report says how many were left out).
"""

import json
from decimal import ROUND_HALF_UP, Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Prefetch,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from allies.models import Agreement, Ally
from institutions.models import Institution
from observance.models import (
    Evaluation,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    Publication,
    Recommendation,
    Step,
    TeamMember,
)

from .periods import observatory_zone

# How many rows a list shows in the body of the report, and in its annex.
BODY_LIMIT = 30
NAMES_LIMIT = 60
OUTCOMES_LIMIT = 12
ANNEX_LIMIT = 150

SIGNED_STATUSES = [
    Agreement.Status.SIGNED,
    Agreement.Status.IN_EXECUTION,
    Agreement.Status.CONCLUDED,
]


def ratio(numerator, denominator):
    """A share with what it is made of; no percentage when there is nothing to divide by."""
    percent = None
    if denominator:
        percent = int(
            (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
        )
    return {"numerator": numerator, "denominator": denominator, "percent": percent}


def listing(rows, total):
    return {"rows": rows, "total": total, "more": max(total - len(rows), 0)}


def days(duration):
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


def local_date(value):
    return timezone.localtime(value, observatory_zone()).date()


def report_figures(*, period, today=None):
    """Every figure of the report of ``period``, as JSON-ready data."""
    today = today or timezone.localdate()
    cutoff = period.cutoff(today)
    figures = {
        "period": {
            "year": period.year,
            "half": period.half,
            "code": period.code,
            "start": period.start,
            "end": period.end,
            "cutoff": cutoff,
        },
        "built_on": today,
        "profile": _profile(),
        "team": _team(period),
        "steps": [step.value for step in Step],
    }
    figures.update(_linkage(period))
    figures["allies"] = _allies(period)
    figures["academia"] = _academia(period)
    figures["requests"] = _requests(period, cutoff)
    figures["evaluations"] = _evaluations(period)
    figures["publications"] = _publications(period)
    figures["recommendations"] = _recommendations(period)
    figures["processes"] = _processes(period)
    figures["annex"] = _annex(
        period, cutoff, figures["meetings"]["total"], figures["requests"]["sent"]
    )
    # Round-trip through JSON so that a draft renders from exactly what a final report stores.
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))


def _profile():
    profile = ObservatoryProfile.load()
    return None if profile is None else profile.report_data()


def _team(period):
    members = TeamMember.objects.filter(started_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )
    return [{"name": m.name, "role": m.role_title} for m in members.order_by("order", "name")]


def _held_in(period, prefix=""):
    return Q(
        **{f"{prefix}held_at__gte": period.starts_at, f"{prefix}held_at__lt": period.ends_before}
    )


def _linkage(period):
    mapped = Institution.objects.filter(active=True, mapped_on__lte=period.end)
    met_here = _held_in(period, "meetings__")
    by_role = {
        row["role"]: row
        for row in mapped.values("role").annotate(
            count=Count("id", distinct=True), met=Count("id", distinct=True, filter=met_here)
        )
    }
    listed = list(
        mapped.annotate(meetings_held=Count("meetings", filter=met_here))
        .order_by("role", "name")
        .values("id", "name", "acronym", "role", "meetings_held")[: NAMES_LIMIT * 2]
    )
    roles = []
    for role in Institution.Role:
        counts = by_role.get(role.value, {"count": 0, "met": 0})
        rows = [row for row in listed if row["role"] == role.value][:NAMES_LIMIT]
        roles.append({"role": role.value, "met": counts["met"], **listing(rows, counts["count"])})
    mapped_total = sum(role["total"] for role in roles)

    meetings = Meeting.objects.filter(_held_in(period))
    virtual = Q(modality=Meeting.Modality.VIRTUAL)
    in_person = Q(modality=Meeting.Modality.IN_PERSON)
    with_institution = Q(institution__isnull=False)
    academia = Q(ally__kind=Ally.Kind.ACADEMIA)
    totals = meetings.aggregate(
        total=Count("id"),
        virtual=Count("id", filter=virtual),
        in_person=Count("id", filter=in_person),
        institutions=Count("id", filter=with_institution),
        institutions_virtual=Count("id", filter=with_institution & virtual),
        institutions_in_person=Count("id", filter=with_institution & in_person),
        cpccs=Count("id", filter=with_institution & ~Q(cpccs_companion="")),
        institutions_met=Count("institution", distinct=True),
        academia=Count("id", filter=academia),
        academia_virtual=Count("id", filter=academia & virtual),
        academia_in_person=Count("id", filter=academia & in_person),
    )
    months = {month: {"virtual": 0, "in_person": 0} for month in period.months}
    for row in (
        meetings.annotate(month=TruncMonth("held_at", tzinfo=observatory_zone()))
        .values("month", "modality")
        .annotate(count=Count("id"))
        .order_by()
    ):
        month = local_date(row["month"]).replace(day=1)
        if month in months:
            months[month][row["modality"]] += row["count"]
    totals["by_month"] = [{"month": month, **counts} for month, counts in months.items()]
    totals["companions"] = sorted(
        meetings.exclude(cpccs_companion="")
        .order_by("cpccs_companion")
        .values_list("cpccs_companion", flat=True)
        .distinct()[:10]
    )
    totals["cpccs_share"] = ratio(totals["cpccs"], totals["institutions"])

    met_rows = [
        {**row, "last": local_date(row["last"])}
        for row in meetings.filter(with_institution)
        .values("institution", "institution__name", "institution__acronym")
        .annotate(meetings=Count("id"), last=Max("held_at"))
        .order_by("-meetings", "institution__name")[:BODY_LIMIT]
    ]
    outcomes = [
        {
            "date": local_date(row["held_at"]),
            "institution": row["institution__acronym"] or row["institution__name"],
            "outcomes": row["outcomes"],
        }
        for row in meetings.filter(with_institution)
        .exclude(outcomes="")
        .order_by("-held_at")
        .values("held_at", "institution__name", "institution__acronym", "outcomes")[:OUTCOMES_LIMIT]
    ]
    return {
        "mapping": {"total": mapped_total, "roles": roles},
        "meetings": totals,
        "linkage": ratio(totals["institutions_met"], mapped_total),
        "institutions_met": listing(met_rows, totals["institutions_met"]),
        "outcomes": outcomes,
    }


def _allies(period):
    counts = dict(Ally.objects.values_list("kind").annotate(count=Count("id")).order_by())
    meetings = dict(
        Meeting.objects.filter(_held_in(period), ally__isnull=False)
        .values_list("ally__kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    names = list(Ally.objects.order_by("kind", "name").values("kind", "name", "acronym")[:200])
    kinds = []
    for kind in Ally.Kind:
        total = counts.get(kind.value, 0)
        if not total:
            continue
        rows = [row for row in names if row["kind"] == kind.value][:NAMES_LIMIT]
        kinds.append(
            {"kind": kind.value, "meetings": meetings.get(kind.value, 0), **listing(rows, total)}
        )
    return {"total": sum(counts.values()), "kinds": kinds}


def _academia(period):
    universities = Ally.objects.filter(kind=Ally.Kind.ACADEMIA)
    totals = universities.aggregate(
        total=Count("id"), border=Count("id", filter=Q(border_region=True))
    )
    rows = list(
        universities.annotate(
            meetings_held=Count("meetings", filter=_held_in(period, "meetings__"))
        )
        .order_by("-meetings_held", "name")
        .values("id", "name", "acronym", "city", "province", "border_region", "meetings_held")[
            :BODY_LIMIT
        ]
    )
    signed = Agreement.objects.filter(signed_on__lte=period.end, status__in=SIGNED_STATUSES)
    by_kind_status = list(
        signed.values("ally__kind", "status").annotate(count=Count("id")).order_by()
    )
    signed_total = sum(row["count"] for row in by_kind_status)
    signed_academia = sum(
        row["count"] for row in by_kind_status if row["ally__kind"] == Ally.Kind.ACADEMIA
    )
    in_execution = sum(
        row["count"] for row in by_kind_status if row["status"] == Agreement.Status.IN_EXECUTION
    )
    done = Q(agenda_items__status="done")
    agreements = list(
        signed.annotate(
            items=Count("agenda_items"),
            done=Count("agenda_items", filter=done),
            in_progress=Count("agenda_items", filter=Q(agenda_items__status="in_progress")),
        )
        .order_by("-signed_on", "title")
        .values(
            "id",
            "title",
            "status",
            "signed_on",
            "ends_on",
            "ally__name",
            "ally__acronym",
            "ally__kind",
            "items",
            "done",
            "in_progress",
        )[:BODY_LIMIT]
    )
    agenda = signed.filter(status=Agreement.Status.IN_EXECUTION).aggregate(
        items=Count("agenda_items"), done=Count("agenda_items", filter=done)
    )
    return {
        "universities": listing(rows, totals["total"]),
        "border": totals["border"],
        "agreements": listing(agreements, signed_total),
        "agreements_academia": signed_academia,
        "in_execution": in_execution,
        "agenda_progress": ratio(agenda["done"], agenda["items"]),
    }


def _request_states(cutoff):
    """The four states a request of the period can be in, judged on ``cutoff``.

    On time: answered on or before its LOTAIP due date. Late: answered after it. Overdue:
    unanswered and its due date is before the cut-off (the earlier of today and the period's
    end). Open: unanswered and still within its deadline on the cut-off.
    """
    return {
        "on_time": Q(answered_on__isnull=False, answered_on__lte=F("due_on")),
        "late": Q(answered_on__isnull=False, answered_on__gt=F("due_on")),
        "overdue": Q(answered_on__isnull=True, due_on__lt=cutoff),
        "open": Q(answered_on__isnull=True, due_on__gte=cutoff),
    }


def _requests(period, cutoff):
    states = _request_states(cutoff)
    answered = Q(answered_on__isnull=False)
    answer_time = ExpressionWrapper(F("answered_on") - F("sent_on"), output_field=DurationField())
    rows = list(
        InformationRequest.objects.filter(sent_on__gte=period.start, sent_on__lte=period.end)
        .values("institution", "institution__name", "institution__acronym")
        .annotate(
            sent=Count("id"),
            **{state: Count("id", filter=condition) for state, condition in states.items()},
            average=Avg(answer_time, filter=answered),
        )
        .order_by("-sent", "institution__name")
    )
    totals = {key: sum(row[key] for row in rows) for key in ("sent", *states)}
    answered_count = totals["on_time"] + totals["late"]
    weighted = sum(
        row["average"].total_seconds() * (row["on_time"] + row["late"])
        for row in rows
        if row["average"] is not None
    )
    for row in rows:
        row["average"] = days(row["average"])
    return {
        **totals,
        "answered": answered_count,
        "answered_share": ratio(answered_count, totals["sent"]),
        "on_time_share": ratio(totals["on_time"], totals["sent"]),
        "overdue_share": ratio(totals["overdue"], totals["sent"]),
        "average": round(weighted / 86400 / answered_count, 1) if answered_count else None,
        "institutions": listing(rows[:BODY_LIMIT], len(rows)),
    }


def _evaluations(period):
    evaluations = Evaluation.objects.filter(
        evaluated_on__gte=period.start, evaluated_on__lte=period.end
    )
    counts = dict(evaluations.values_list("rating").annotate(count=Count("id")).order_by())
    rows = list(
        evaluations.order_by("evaluated_on", "pk").values(
            "id", "title", "evaluated_on", "rating", "process__title"
        )[:BODY_LIMIT]
    )
    by_rating = [
        {"rating": rating.value, "count": counts[rating.value]}
        for rating in Evaluation.Rating
        if counts.get(rating.value)
    ]
    return {"by_rating": by_rating, **listing(rows, sum(counts.values()))}


def _publications(period):
    publications = Publication.objects.filter(
        published_on__gte=period.start, published_on__lte=period.end
    )
    grouped = {
        row["kind"]: row
        for row in publications.values("kind")
        .annotate(count=Count("id"), attendees=Sum("attendees"))
        .order_by()
    }
    rows = list(
        publications.order_by("published_on", "pk").values(
            "id", "title", "published_on", "kind", "attendees", "process__title"
        )[:BODY_LIMIT]
    )
    by_kind = [
        {"kind": kind.value, "count": grouped[kind.value]["count"]}
        for kind in Publication.Kind
        if kind.value in grouped
    ]
    total = sum(row["count"] for row in grouped.values())
    attendees = sum(row["attendees"] or 0 for row in grouped.values())
    return {"by_kind": by_kind, "attendees": attendees, **listing(rows, total)}


def _recommendations(period):
    recommendations = Recommendation.objects.filter(
        proposed_on__gte=period.start, proposed_on__lte=period.end
    )
    counts = dict(recommendations.values_list("compliance").annotate(count=Count("id")).order_by())
    rows = list(
        recommendations.order_by("proposed_on", "pk").values(
            "id",
            "text",
            "proposed_on",
            "due_on",
            "compliance",
            "institution__name",
            "institution__acronym",
        )[:BODY_LIMIT]
    )
    total = sum(counts.values())
    complied = counts.get(Recommendation.Compliance.COMPLIED, 0)
    by_compliance = [
        {"compliance": value.value, "count": counts[value.value]}
        for value in Recommendation.Compliance
        if counts.get(value.value)
    ]
    return {
        "by_compliance": by_compliance,
        "complied_share": ratio(complied, total),
        **listing(rows, total),
    }


def _processes(period):
    processes = ObservanceProcess.objects.filter(started_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )
    total = processes.count()
    by_step = {
        step.value: {"step": step.value, "done": 0, "in_progress": 0, "pending": 0} for step in Step
    }
    for row in (
        ProcessStep.objects.filter(process__in=processes)
        .values("step", "status")
        .annotate(count=Count("id"))
        .order_by()
    ):
        if row["step"] in by_step:
            by_step[row["step"]][row["status"]] = row["count"]
    rows = []
    for process in (
        processes.select_related("policy")
        .prefetch_related(Prefetch("steps", queryset=ProcessStep.objects.order_by("step")))
        .order_by("started_on", "pk")[:BODY_LIMIT]
    ):
        statuses = {step.step: step.status for step in process.steps.all()}
        rows.append(
            {
                "id": process.pk,
                "title": process.title,
                "policy": process.policy.name,
                "started_on": process.started_on,
                "closed_on": process.closed_on,
                "steps": [statuses.get(step.value, "pending") for step in Step],
                "done": sum(1 for status in statuses.values() if status == "done"),
            }
        )
    return {"by_step": list(by_step.values()), **listing(rows, total)}


def _annex(period, cutoff, meeting_total, request_total):
    meetings = Meeting.objects.filter(_held_in(period))
    meeting_rows = [
        {
            "date": local_date(row["held_at"]),
            "time": timezone.localtime(row["held_at"], observatory_zone()).strftime("%H:%M"),
            "counterpart": row["institution__acronym"]
            or row["institution__name"]
            or row["ally__acronym"]
            or row["ally__name"],
            "modality": row["modality"],
            "cpccs": row["cpccs_companion"],
        }
        for row in meetings.order_by("held_at", "pk").values(
            "held_at",
            "modality",
            "cpccs_companion",
            "institution__name",
            "institution__acronym",
            "ally__name",
            "ally__acronym",
        )[:ANNEX_LIMIT]
    ]
    requests = InformationRequest.objects.filter(sent_on__gte=period.start, sent_on__lte=period.end)
    request_rows = []
    for row in requests.order_by("sent_on", "pk").values(
        "id",
        "subject",
        "sent_on",
        "due_on",
        "answered_on",
        "institution__name",
        "institution__acronym",
    )[:ANNEX_LIMIT]:
        row["state"] = _state_of(row, cutoff)
        request_rows.append(row)
    return {
        "meetings": listing(meeting_rows, meeting_total),
        "requests": listing(request_rows, request_total),
    }


def _state_of(row, cutoff):
    """The same rule as ``_request_states``, for one row already fetched."""
    if row["answered_on"] is not None:
        return "on_time" if row["answered_on"] <= row["due_on"] else "late"
    return "overdue" if row["due_on"] < cutoff else "open"
