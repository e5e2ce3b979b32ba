"""The figures of a semiannual report, built from the records of one semester.

``report_figures(period=...)`` returns plain JSON data (numbers, strings, ISO dates): the same
data renders the draft preview, the PDF, and is frozen with a finalized report. It runs a fixed
number of queries whatever the number of records: everything is counted in the database, and
the lists it returns are cut at the limits below (the report says how many were left out).

Every figure is what the records said on the semester's **cut-off**: its last day, or the day
the report is built if that is earlier. The rule, figure by figure:

- *Dated records* count by their own date up to the cut-off: meetings by ``held_at``, requests
  by ``sent_on``, institutions by ``mapped_on``, agreements by ``signed_on``, a recommendation's
  follow-ups by ``checked_on``. A correction of such a date is a correction of the fact, and
  applies to every report not yet finalized.
- *A recommendation's compliance* is the level of its latest follow-up dated on or before the
  cut-off (the latest date, then the one recorded last), *pending* when it had none by then: a
  follow-up recorded later but dated within the semester counts, one dated after does not.
- *What changes over time* is read from history (``oppms.asof``): whether an institution was
  active, its role and name; an ally's kind and border region; an agreement's status; an agenda
  activity's status. The value is that of the record's latest
  version saved by the end of the cut-off day. A record with no version saved by then (the demo
  data, seeded today; a spreadsheet import; a record entered late) is taken as it was first
  recorded: its earliest version, or the row itself when it has no history at all. So
  deactivating, renaming or re-classifying a record after the cut-off leaves the semester
  unchanged, while back-filling a semester with records entered later still counts them.
- *Allies* count from their ``allied_on`` date ("allied since") when they have one, whatever
  their records say. One without it counts when it was recorded by the cut-off, has no record
  of its creation, or had a meeting or a signed agreement by then (``allies.standing``). One
  entered later with no such trace is not in the semester.
- *Information requests* are in their state on the cut-off (``observance.cutoff``): one
  answered after it was unanswered then (overdue if its due date had passed, open otherwise)
  and its answer time is not in the average; an extension notified after it had not moved the
  due date yet.
- *Escalations* (the ladder after a tacit denial: insistence, Defensoría del Pueblo, judicial
  action) count by the date each step was filed, up to the cut-off, whatever the request's
  sending date; a step's outcome is the one recorded with an outcome date by the cut-off, and it
  was still awaiting an answer otherwise (``observance.cutoff.escalations_matching``). Each
  step is counted once per request, as the request list it links to shows them.
- *Linkage* is the share of the institutions in the mapping on the cut-off that were met in the
  semester: its numerator is a subset of its denominator and never exceeds 100 %. A meeting
  with an institution mapped later, or inactive on the cut-off, counts as a meeting, not as
  linkage.

Each headline figure comes with the previous semester's value: the one its finalized report
froze, or computed from the records when it was not finalized.
"""

import json
from decimal import ROUND_HALF_UP, Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from allies.models import Agreement, Ally
from allies.standing import (
    SIGNED_STATUSES,
    agenda_in_execution_on,
    agenda_on_day,
    agreements_signed_by,
    allies_on_day,
)
from institutions.mapping import mapped_on_day
from institutions.models import Institution
from observance.cutoff import escalations_matching, request_states_on, state_on
from observance.escalation import EscalationOutcome, Ladder
from observance.models import (
    Commitment,
    Evaluation,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    Publication,
    Recommendation,
    RequestEvent,
    Step,
    TeamMember,
)
from oppms.asof import end_of_day, value_on
from oppms.dated_counts import start_of_today
from oppms.unchanged import database_snapshot, while_unchanged
from oppms.views import row_count

from .models import SemiannualReport
from .periods import observatory_zone

__all__ = ["SIGNED_STATUSES", "report_figures"]

# How many rows a list shows in the body of the report, and in its annex.
BODY_LIMIT = 30
NAMES_LIMIT = 60
OUTCOMES_LIMIT = 12
COMPANIONS_LIMIT = 10
ANNEX_LIMIT = 150

# The headline figures, in the order the report shows them: (key, where in the figures, scope).
# "semester": counted within the semester; "to_date": everything counted up to its cut-off.
HEADLINE = [
    ("mapped", ("mapping", "total"), "to_date"),
    ("newly_mapped", ("mapping", "new"), "semester"),
    ("met", ("linkage", "numerator"), "semester"),
    ("linkage", ("linkage", "percent"), "semester"),
    ("meetings", ("meetings", "institutions"), "semester"),
    ("academia_meetings", ("meetings", "academia"), "semester"),
    ("allies", ("allies", "total"), "to_date"),
    ("universities", ("academia", "universities", "total"), "to_date"),
    ("border", ("academia", "border"), "to_date"),
    ("agreements", ("academia", "agreements", "total"), "to_date"),
    ("in_execution", ("academia", "in_execution"), "to_date"),
    ("agenda_progress", ("academia", "agenda_progress", "percent"), "to_date"),
    ("requests", ("requests", "sent"), "semester"),
    ("requests_answered", ("requests", "answered"), "semester"),
    ("requests_overdue", ("requests", "overdue"), "semester"),
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
        "profile": _section("profile", period, cutoff, _profile),
        "team": _section("team", period, cutoff, lambda: _team(period)),
        "steps": [step.value for step in Step],
    }
    figures.update(_headline_sections(period, cutoff))
    for name, section in (
        ("commitments", lambda: _commitments(period, cutoff)),
        ("escalations", lambda: _escalations(period, cutoff)),
        ("evaluations", lambda: _evaluations(period)),
        ("publications", lambda: _publications(period)),
        ("recommendations", lambda: _recommendations(period, cutoff)),
        ("processes", lambda: _processes(period)),
    ):
        figures[name] = _section(name, period, cutoff, section)
    meetings, requests = figures["meetings"]["total"], figures["requests"]["sent"]
    # The annex's two tables apart: a meeting logged leaves the requests' held.
    figures["annex"] = {
        "meetings": _section(
            "annex-meetings",
            period,
            cutoff,
            lambda: _annex_meetings(period, cutoff, meetings),
            meetings,
        ),
        "requests": _section(
            "annex-requests",
            period,
            cutoff,
            lambda: _annex_requests(period, cutoff, request_states_on(cutoff), requests),
            requests,
        ),
    }
    figures["headline"] = _headline(figures, _previous_headline(period, today))
    # Round-trip through JSON so that a draft renders from exactly what a final report stores;
    # the copy is the caller's own, which the sections kept are not.
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))


def _section(name, period, cutoff, compute, *depends_on):
    """A section's figures, kept while the rows they were computed from are the same
    (``oppms.unchanged``): after a write, only the sections it changed are computed again (a
    meeting logged: the linkage and the annex, not the requests, the allies or the previous
    semester). ``depends_on``: the other figures it is computed from. Today's date is in the
    key too, should a section ever count anything against it.

    A meeting logged after the cut-off leaves the sections held (``meetings_read``).

    The section kept is given itself, not a copy (``shared``): the figures are only read
    until ``report_figures`` copies them all through JSON."""
    key = ("report-section", name, period.code, cutoff, timezone.localdate(), *depends_on)
    return while_unchanged(key, compute, within=meetings_read(cutoff), shared=True)


def meetings_read(cutoff):
    """The meetings a report of ``cutoff`` reads, for ``while_unchanged(within=...)``: none held
    after the end of its cut-off day (the rule above), so a meeting logged today leaves a past
    semester's report held through oppms.write_log, unchecked."""
    return {Meeting: ("held_at", None, end_of_day(cutoff))}


def _headline_sections(period, cutoff, details=True):
    """The sections the headline figures come from; without ``details``, their counts only."""

    def section(name, compute):
        return _section(name, period, cutoff, compute, details)

    figures = {**section("linkage", lambda: _linkage(period, cutoff, details))}
    figures["allies"] = section("allies", lambda: _allies(period, cutoff, details))
    figures["academia"] = section("academia", lambda: _academia(period, cutoff, details))
    figures["requests"] = section(
        "requests", lambda: _requests(period, cutoff, request_states_on(cutoff))
    )
    return figures


def _pick(figures, path):
    for key in path:
        if not isinstance(figures, dict) or key not in figures:
            return None
        figures = figures[key]
    return figures


def _previous_headline(period, today):
    """The previous semester's headline values: frozen if its report is final, else built."""
    previous = period.previous
    if previous is None:
        return None
    frozen = (
        SemiannualReport.objects.filter(
            year=previous.year, half=previous.half, status=SemiannualReport.Status.FINAL
        )
        .values_list("figures", flat=True)
        .first()
    )
    if frozen is None:
        cutoff = previous.cutoff(today)
        figures = _headline_sections(previous, cutoff, details=False)
    else:
        figures = frozen
    return {
        "code": previous.code,
        "cutoff": previous.cutoff(today),
        "frozen": frozen is not None,
        "values": {key: _pick(figures, path) for key, path, _scope in HEADLINE},
    }


def _headline(figures, previous):
    rows = []
    for key, path, scope in HEADLINE:
        value = _pick(figures, path)
        before = previous["values"].get(key) if previous else None
        change = value - before if value is not None and before is not None else None
        rows.append(
            {"key": key, "value": value, "scope": scope, "previous": before, "change": change}
        )
    return {
        "rows": rows,
        "any": any(row["value"] or row["previous"] for row in rows),
        "previous": previous and {key: previous[key] for key in ("code", "cutoff", "frozen")},
    }


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


def _held_by(period, cutoff, prefix=""):
    """Held in the semester by the end of its cut-off day."""
    return Q(
        **{f"{prefix}held_at__gte": period.starts_at, f"{prefix}held_at__lt": end_of_day(cutoff)}
    )


def _ally_meetings_held(period, cutoff):
    """How many meetings of the period the row (an ally) had.

    A subquery on the index of each ally's meetings by date (``observance_meeting_ally_held``):
    it reads only the row's meetings of the semester. A join would carry every meeting of every
    row through the grouping, and with each the subqueries of the row's values then (33,000 rows
    and 600 ms with bench/pages.py's 50,000 meetings).
    """
    held = (
        Meeting.objects.filter(_held_by(period, cutoff), ally=OuterRef("pk"))
        .order_by()
        .values("ally")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(held), 0)


def _linkage(period, cutoff, details=True):
    """Mapping, meetings and linkage; without ``details``, only the counts (no lists).

    The mapping on the cut-off is kept apart (``_mapping``): it reads the institutions and their
    history, no meeting, so a meeting logged counts the semester's meetings again, not the
    as-of values of every institution (17 of 45 ms of SQL with bench/pages.py's 520). So are
    the semester's meetings held before today (``_meeting_parts``)."""
    mapping = while_unchanged(
        ("report-mapping", period.code, cutoff, details),
        lambda: _mapping(period, cutoff, details),
        shared=True,
    )
    counted = _merged(
        _meeting_parts(
            "linkage", period, cutoff, lambda meetings: _meetings_counted(meetings, cutoff, details)
        )
    )
    met = counted["met"]
    held = {row["institution"]: row["meetings"] for row in met}
    roles = []
    for role in Institution.Role.values:
        members = [(pk, new) for pk, then, new in mapping["members"] if then == role]
        rows = [
            {**row, "meetings_held": held.get(row["id"], 0)}
            for row in mapping["listed"]
            if row["role"] == role
        ][:NAMES_LIMIT]
        roles.append(
            {
                "role": role,
                "met": sum(1 for pk, _new in members if pk in held),
                "new": sum(1 for _pk, new in members if new),
                **listing(rows, len(members)),
            }
        )
    mapped_total = sum(role["total"] for role in roles)
    met_among_mapped = sum(role["met"] for role in roles)

    totals = counted["totals"]
    totals["institutions_met"] = len(met)
    totals["cpccs_share"] = ratio(totals["cpccs"], totals["institutions"])
    figures = {
        "mapping": {
            "total": mapped_total,
            "new": sum(role["new"] for role in roles),
            "roles": roles,
        },
        "meetings": totals,
        "linkage": ratio(met_among_mapped, mapped_total),
    }
    if details:
        listed = [{**row, "last": local_date(row["last"])} for row in met[:BODY_LIMIT]]
        figures.update(_meeting_details(counted, period, totals, listed))
    return figures


def _meeting_parts(name, period, cutoff, compute):
    """``compute(meetings)`` of the semester's meetings held by the cut-off, in parts whose
    rows add up (``_merged``). Meetings are mostly logged on their day: where answers are kept
    and the semester's days read include today, those held before today are a part kept
    apart, held through oppms.write_log while the meetings written are of today, and today's
    are the other part, computed again (a preview of the current semester after a meeting
    logged: 4,179 meetings read again with bench/pages.py's data, against the day's few)."""
    start, end = period.starts_at, end_of_day(cutoff)
    meetings = Meeting.objects.filter(held_at__gte=start, held_at__lt=end)
    today_starts = start_of_today()
    if not start < today_starts < end or database_snapshot() is None:
        return [compute(meetings)]
    before = while_unchanged(
        ("report-meetings-before-today", name, period.code, cutoff, today_starts),
        lambda: compute(meetings.filter(held_at__lt=today_starts)),
        per_language=False,
        within={Meeting: ("held_at", start, today_starts)},
        shared=True,  # read by ``_merged`` and the annex, which make their own rows
    )
    return [before, compute(meetings.filter(held_at__gte=today_starts))]


def _meetings_counted(meetings, cutoff, details):
    """The linkage's figures of ``meetings``, as parts ``_merged`` adds up: counts, each
    institution met, and with ``details`` the meetings by month, the CPCCS companions and the
    latest outcomes."""
    with_institution = Q(institution__isnull=False)
    virtual = Q(modality=Meeting.Modality.VIRTUAL)
    in_person = Q(modality=Meeting.Modality.IN_PERSON)
    # With an ally that was academia on the cut-off: the allies' kinds are looked up in their
    # history once each, in one subquery, not three times for every meeting (a report preview's
    # two such counts, this semester's and the last, took 72 ms with bench/pages.py's 50,000
    # meetings; 12 ms so).
    academia = Q(ally__in=_allies_of_kind_on(Ally.Kind.ACADEMIA, cutoff))
    counted = {
        "totals": meetings.aggregate(
            total=Count("id"),
            virtual=Count("id", filter=virtual),
            in_person=Count("id", filter=in_person),
            institutions=Count("id", filter=with_institution),
            institutions_virtual=Count("id", filter=with_institution & virtual),
            institutions_in_person=Count("id", filter=with_institution & in_person),
            cpccs=Count("id", filter=with_institution & ~Q(cpccs_companion="")),
            academia=Count("id", filter=academia),
            academia_virtual=Count("id", filter=academia & virtual),
            academia_in_person=Count("id", filter=academia & in_person),
        ),
        # Each institution met, with its meetings: the linkage's numerator among those mapped,
        # the meetings of the institutions listed, and the report's table of those met.
        "met": list(
            meetings.filter(with_institution)
            .values("institution", "institution__name", "institution__acronym")
            .annotate(meetings=Count("id"), last=Max("held_at"))
            .order_by(*MET_ORDER)
        ),
    }
    if not details:
        return counted
    counted["months"] = list(
        meetings.annotate(month=TruncMonth("held_at", tzinfo=observatory_zone()))
        .values_list("month", "modality")
        .annotate(count=Count("id"))
        .order_by()
    )
    counted["companions"] = list(
        meetings.exclude(cpccs_companion="")
        .order_by("cpccs_companion")
        .values_list("cpccs_companion", flat=True)
        .distinct()[:COMPANIONS_LIMIT]
    )
    counted["outcomes"] = list(
        meetings.filter(with_institution)
        .exclude(outcomes="")
        .order_by("-held_at", "-pk")
        .values("held_at", "institution__name", "institution__acronym", "outcomes")[:OUTCOMES_LIMIT]
    )
    return counted


# The institutions met, most met first, then by name as the database orders names.
MET_ORDER = ("-meetings", "institution__name", "institution")


def _merged(parts):
    """The figures of ``_meetings_counted`` for the meetings of all ``parts`` (each of others,
    the later ones held later): as the whole would have given them, in the same order."""
    if len(parts) == 1:
        return parts[0]
    merged = {
        "totals": {key: sum(part["totals"][key] for part in parts) for key in parts[0]["totals"]}
    }
    met = {}
    for part in parts:
        for row in part["met"]:
            seen = met.setdefault(row["institution"], {**row, "meetings": 0})
            seen["meetings"] += row["meetings"]
            seen["last"] = max(seen["last"], row["last"])
    # Names in the database's order, which Python's comparison of strings is not. An
    # institution recorded since that order was read (by a statement of this request run after
    # it) goes last: the next request computes again.
    by_name = _institutions_by_name()
    merged["met"] = sorted(
        met.values(),
        key=lambda row: (-row["meetings"], by_name.get(row["institution"], len(by_name))),
    )
    if "months" in parts[0]:
        merged["months"] = [row for part in parts for row in part["months"]]
        merged["companions"] = _first_names({name for part in parts for name in part["companions"]})
        later_first = [row for part in reversed(parts) for row in part["outcomes"]]
        merged["outcomes"] = later_first[:OUTCOMES_LIMIT]
    return merged


def _institutions_by_name():
    """Each institution's place in ``MET_ORDER``'s names (the institutions' current ones),
    kept while no institution is written."""
    order = while_unchanged(
        ("institutions-by-name",),
        lambda: list(Institution.objects.order_by("name", "pk").values_list("pk", flat=True)),
        per_language=False,
        shared=True,
    )
    return {pk: place for place, pk in enumerate(order)}


def _first_names(names):
    """The first ``COMPANIONS_LIMIT`` of ``names`` as the database orders them."""
    if len(names) <= COMPANIONS_LIMIT:
        return list(names)
    with connection.cursor() as cursor:
        values = ", ".join(["(%s)"] * len(names))
        cursor.execute(
            f"SELECT name FROM (VALUES {values}) AS names (name) ORDER BY name LIMIT %s",  # noqa: S608 # nosec B608 - placeholders only
            [*names, COMPANIONS_LIMIT],
        )
        return [name for (name,) in cursor.fetchall()]


def _allies_of_kind_on(kind, day):
    """The keys of the allies whose kind was ``kind`` on ``day``, as a subquery."""
    then = Ally.objects.annotate(kind_then=value_on(Ally, "kind", day))
    return then.filter(kind_then=kind).values("pk")


def _mapping(period, cutoff, details):
    """The institutions in the mapping on the cut-off: ``members``, (key, role then, whether
    mapped in the semester) of each; ``listed``, without ``details`` none, the first as they
    were named then."""
    mapped = mapped_on_day(cutoff)
    members = [
        (pk, role, mapped_on >= period.start)
        for pk, role, mapped_on in mapped.order_by().values_list("pk", "role_then", "mapped_on")
    ]
    listed = []
    if details:
        listed = [
            {
                "id": row["id"],
                "name": row["name_then"],
                "acronym": row["acronym_then"],
                "role": row["role_then"],
            }
            for row in mapped.order_by("role_then", "name_then", "pk").values(
                "id", "name_then", "acronym_then", "role_then"
            )[: NAMES_LIMIT * 2]
        ]
    return {"members": members, "listed": listed}


def _meeting_details(counted, period, totals, met_rows):
    """The meetings by month, the CPCCS companions, the institutions met and the outcomes."""
    months = {month: {"virtual": 0, "in_person": 0} for month in period.months}
    for month, modality, count in counted["months"]:
        month = local_date(month).replace(day=1)
        if month in months:
            months[month][modality] += count
    totals["by_month"] = [{"month": month, **counts} for month, counts in months.items()]
    totals["companions"] = sorted(counted["companions"])
    outcomes = [
        {
            "date": local_date(row["held_at"]),
            "institution": row["institution__acronym"] or row["institution__name"],
            "outcomes": row["outcomes"],
        }
        for row in counted["outcomes"]
    ]
    return {
        "institutions_met": listing(met_rows, totals["institutions_met"]),
        "outcomes": outcomes,
    }


def _commitments(period, cutoff):
    """The commitments agreed at the meetings held in the semester by its cut-off.

    Closed = closed (done or cancelled) on or before the cut-off, by their closing date; done =
    those of them whose status is done; overdue = due before the cut-off and not closed by it.
    A commitment closed after the cut-off was still open then. The commitments list's
    ``made_*``, ``state`` and ``as_of`` filters select the same records.
    """
    open_then = Q(closed_on__isnull=True) | Q(closed_on__gt=cutoff)
    closed_then = Q(closed_on__lte=cutoff)
    return Commitment.objects.filter(_held_by(period, cutoff, "meeting__")).aggregate(
        made=Count("id"),
        closed=Count("id", filter=closed_then),
        done=Count("id", filter=closed_then & Q(status=Commitment.Status.DONE)),
        overdue=Count("id", filter=open_then & Q(due_on__lt=cutoff)),
        observatory=Count("id", filter=Q(who=Commitment.Who.OBSERVATORY)),
    )


def _allies(period, cutoff, details=True):
    standing = allies_on_day(cutoff)
    counts = dict(standing.values_list("kind_then").annotate(count=Count("id")).order_by())
    if not details:
        return {"total": sum(counts.values())}
    # Each ally's meetings of the semester, summed by the ally's kind then: the kind looked up
    # once per ally, not once per meeting.
    held = Meeting.objects.filter(_held_by(period, cutoff), ally=OuterRef("pk"))
    meetings = dict(
        Ally.objects.annotate(kind_then=value_on(Ally, "kind", cutoff), held=row_count(held))
        .values_list("kind_then")
        .annotate(count=Sum("held"))
        .order_by()
    )
    names = [
        {"kind": row["kind_then"], "name": row["name_then"], "acronym": row["acronym_then"]}
        for row in standing.order_by("kind_then", "name_then", "pk").values(
            "kind_then", "name_then", "acronym_then"
        )[:200]
    ]
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


def _academia(period, cutoff, details=True):
    universities = allies_on_day(cutoff).filter(kind_then=Ally.Kind.ACADEMIA)
    totals = universities.aggregate(
        total=Count("id"), border=Count("id", filter=Q(border_region_then=True))
    )
    signed = agreements_signed_by(cutoff)
    by_kind_status = list(
        signed.values("ally_kind_then", "status_then").annotate(count=Count("id")).order_by()
    )
    signed_total = sum(row["count"] for row in by_kind_status)
    signed_academia = sum(
        row["count"] for row in by_kind_status if row["ally_kind_then"] == Ally.Kind.ACADEMIA
    )
    in_execution = sum(
        row["count"]
        for row in by_kind_status
        if row["status_then"] == Agreement.Status.IN_EXECUTION
    )
    done = Q(status_then="done")
    # The same selection as the agenda list's "as_of" filter, which the figure links to.
    agenda = agenda_in_execution_on(cutoff).aggregate(
        items=Count("id"), done=Count("id", filter=done)
    )
    figures = {
        "universities": {"total": totals["total"]},
        "border": totals["border"],
        "agreements": {"total": signed_total},
        "agreements_academia": signed_academia,
        "in_execution": in_execution,
        "agenda_progress": ratio(agenda["done"], agenda["items"]),
    }
    if details:
        rows = _university_rows(universities, period, cutoff)
        figures["universities"] = listing(rows, totals["total"])
        figures["agreements"] = listing(_agreement_rows(signed, cutoff), signed_total)
    return figures


def _university_rows(universities, period, cutoff):
    """The universities as they were on the cut-off, with their meetings in the semester."""
    return [
        {
            "id": row["id"],
            "name": row["name_then"],
            "acronym": row["acronym_then"],
            "city": row["city"],
            "province": row["province"],
            "border_region": row["border_region_then"],
            "meetings_held": row["meetings_held"],
        }
        for row in universities.annotate(meetings_held=_ally_meetings_held(period, cutoff))
        .order_by("-meetings_held", "name_then", "pk")
        .values(
            "id",
            "name_then",
            "acronym_then",
            "city",
            "province",
            "border_region_then",
            "meetings_held",
        )[:BODY_LIMIT]
    ]


def _agreement_rows(signed, cutoff):
    """The agreements signed by the cut-off, each with its agenda as it stood then."""
    agreements = [
        {**row, "status": row.pop("status_then")}
        for row in signed.order_by("-signed_on", "title", "pk").values(
            "id",
            "title",
            "status_then",
            "signed_on",
            "ends_on",
            "ally__name",
            "ally__acronym",
            "ally_kind_then",
        )[:BODY_LIMIT]
    ]
    done = Q(status_then="done")
    # The agreements shown, as a subquery: a list of their ids would skip the query when empty,
    # and the report's query count would then depend on the records.
    shown = signed.order_by("-signed_on", "title", "pk").values("pk")[:BODY_LIMIT]
    agendas = {
        row["agreement"]: row
        for row in agenda_on_day(cutoff, shown)
        .values("agreement")
        .annotate(
            items=Count("id"),
            done=Count("id", filter=done),
            in_progress=Count("id", filter=Q(status_then="in_progress")),
        )
        .order_by()
    }
    for row in agreements:
        agenda = agendas.get(row["id"], {})
        for key in ("items", "done", "in_progress"):
            row[key] = agenda.get(key, 0)
    return agreements


def _sent_by(period, cutoff):
    return InformationRequest.objects.filter(sent_on__gte=period.start, sent_on__lte=cutoff)


def _requests(period, cutoff, states):
    """The requests sent in the period by its cut-off, in their state on the cut-off."""
    answered = Q(answered_on__lte=cutoff)
    answer_time = ExpressionWrapper(F("answered_on") - F("sent_on"), output_field=DurationField())
    rows = list(
        _sent_by(period, cutoff)
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


def _escalations(period, cutoff):
    """The steps of the escalation ladder filed in the period by its cut-off, per step, with
    their outcomes on the cut-off: requests counted once per step, as their list shows them."""
    events = escalations_matching(filed_after=period.start, filed_before=cutoff, day=cutoff)
    filed = dict(
        events.values_list("kind").annotate(count=Count("request", distinct=True)).order_by()
    )
    outcomes = {
        (row["kind"], row["outcome_then"]): row["count"]
        for row in events.values("kind", "outcome_then")
        .annotate(count=Count("request", distinct=True))
        .order_by()
    }
    steps = []
    for step in Ladder:
        kind = RequestEvent.KIND_OF_STEP[step]
        steps.append(
            {
                "step": step.value,
                "filed": filed.get(kind, 0),
                "outcomes": {
                    outcome.value: outcomes.get((kind, outcome.value), 0)
                    for outcome in EscalationOutcome
                },
            }
        )
    return {"steps": steps, "any": any(row["filed"] for row in steps)}


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


def _recommendations(period, cutoff):
    """Recommendations proposed in the period, each with the compliance it had on ``cutoff``:
    its latest follow-up dated by then (``RecommendationQuerySet.with_compliance_on``)."""
    recommendations = Recommendation.objects.filter(
        proposed_on__gte=period.start, proposed_on__lte=period.end
    ).with_compliance_on(cutoff)
    counts = dict(
        recommendations.values_list("compliance_then").annotate(count=Count("id")).order_by()
    )
    rows = [
        {**row, "compliance": row.pop("compliance_then")}
        for row in recommendations.order_by("proposed_on", "pk").values(
            "id",
            "text",
            "proposed_on",
            "due_on",
            "compliance_then",
            "institution__name",
            "institution__acronym",
        )[:BODY_LIMIT]
    ]
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


def _annex_meetings(period, cutoff, total):
    """The semester's first meetings, in order; those held before today apart where they are
    kept (``_meeting_parts``): a meeting logged today reads at most the day's again."""

    def rows(meetings):
        return [
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

    parts = _meeting_parts("annex", period, cutoff, rows)
    return listing([row for part in parts for row in part][:ANNEX_LIMIT], total)


def _annex_requests(period, cutoff, states, total):
    rows = list(
        _sent_by(period, cutoff)
        .annotate(state=state_on(states))
        .order_by("sent_on", "pk")
        .values(
            "id",
            "subject",
            "sent_on",
            "due_on",
            "answered_on",
            "state",
            "institution__name",
            "institution__acronym",
        )[:ANNEX_LIMIT]
    )
    for row in rows:
        # An answer given after the cut-off is not part of the semester's record.
        if row["answered_on"] is not None and row["answered_on"] > cutoff:
            row["answered_on"] = None
    return listing(rows, total)
