"""How the headline figures moved over the last semesters: linkage, meetings, timely answers.

Each point is the figure the semester's report shows: a finalized semester's frozen figure, and
otherwise the figure of the current records judged on the semester's cut-off, by the rule of
``reports.builder`` (mapped and active on the cut-off; meetings held in the semester by then;
requests sent in it by then and answered by then within their due date).
``tests/reports/test_semester_trend.py`` holds every point equal to its report's figure.

The live points are computed together, in at most six queries whatever the number of semesters or of
records, so that the dashboard, which shows the trend, costs the same in the observatory's
tenth year as in its first.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution
from observance.cutoff import answered_on_time_by
from observance.models import InformationRequest, Meeting, ObservatoryProfile
from oppms.asof import end_of_day, value_on
from oppms.unchanged import while_unchanged
from oppms.views import list_urls

from .builder import ratio
from .models import SemiannualReport
from .periods import Period
from .services import semester_filters

WINDOW = 6  # semesters in a trend: three years, a small multiple that fits a phone


def semester_of(day):
    return Period(day.year, 1 if day.month <= 6 else 2)


def first_semester():
    """The observatory's first semester: that of its constitution, else of its first mapping."""
    profile = ObservatoryProfile.load()
    first_day = profile.constituted_on if profile is not None else None
    if first_day is None:
        first_day = (
            Institution.objects.order_by("mapped_on").values_list("mapped_on", flat=True).first()
        )
    return semester_of(first_day or timezone.localdate())


def semesters_between(first, last):
    """Every semester from ``first`` to ``last``, oldest first."""
    periods, period = [], last
    while period is not None and period >= first:
        periods.append(period)
        period = period.previous
    return periods[::-1]


def semester_trend(*, period, today=None, first=None):
    """The points of the semesters up to ``period`` (at most ``WINDOW``), oldest first.

    ``first`` is the observatory's first semester (``first_semester()`` when not given).
    """
    today = today or timezone.localdate()
    periods = semesters_between(first or first_semester(), period)[-WINDOW:] or [period]
    frozen = _frozen_figures(periods)
    live = _live_figures([p for p in periods if p not in frozen], today)
    points = []
    list_url = list_urls()
    for semester in periods:
        cutoff = semester.cutoff(today)
        figures = frozen.get(semester) or live[semester]
        filters = semester_filters(semester, cutoff)
        points.append(
            {
                "period": semester,
                "cutoff": cutoff,
                "frozen": semester in frozen,
                "linkage": figures["linkage"],
                "meetings": figures["meetings"]["institutions"],
                "on_time": figures["requests"]["on_time"],
                "sent": figures["requests"]["sent"],
                "urls": {
                    "met": list_url("institutions:institution-list", **filters["met"]),
                    "mapped": list_url("institutions:institution-list", **filters["in_mapping"]),
                    "meetings": list_url("observance:meeting-list", **filters["with_institutions"]),
                    "on_time": list_url(
                        "observance:request-list", **filters["sent"], state="on_time"
                    ),
                },
            }
        )
    return points


def cached_semester_trend(*, period, today, first=None):
    """``semester_trend``, computed again only once something was written (oppms.unchanged):
    its points are the same for everyone who sees the dashboard or the report."""
    return while_unchanged(
        ("semester-trend", period.year, period.half, today, first),
        lambda: semester_trend(period=period, today=today, first=first),
    )


def _frozen_figures(periods):
    finals = Q()
    for semester in periods:
        finals |= Q(year=semester.year, half=semester.half)
    rows = SemiannualReport.objects.filter(finals, status=SemiannualReport.Status.FINAL)
    return {
        Period(year, half): figures
        for year, half, figures in rows.values_list("year", "half", "figures")
    }


def _live_figures(periods, today):
    """The trend's figures of ``periods`` from the current records, in three queries and one
    for each part of the meetings (``_meeting_windows``)."""
    if not periods:
        return {}
    cutoffs = {semester: semester.cutoff(today) for semester in periods}

    # Each kept apart (oppms.unchanged), each reading its own tables: a meeting logged computes
    # the meetings' part again, and oppms.write_log vouches for the mapping and the requests.
    def kept(part, cutoffs):
        key = tuple((semester.year, semester.half, cutoff) for semester, cutoff in cutoffs.items())
        return while_unchanged((part.__name__, key), lambda: part(cutoffs), per_language=False)

    mapped = kept(_mapped_on_cutoffs, cutoffs)
    met = {semester: set() for semester in cutoffs}
    meetings = dict.fromkeys(cutoffs, 0)
    for windows in _meeting_windows(cutoffs, today):
        held = while_unchanged(
            ("_met_and_meetings", tuple((s.year, s.half, *w) for s, w in windows.items())),
            lambda windows=windows: _met_and_meetings(windows),
            per_language=False,
            within={Meeting: ("held_at", *_around(windows))},
        )
        for semester in windows:
            met[semester] |= held[0][semester]
            meetings[semester] += held[1][semester]
    requests = kept(_requests_on_time, cutoffs)
    return {
        semester: {
            "linkage": ratio(len(met[semester] & mapped[semester]), len(mapped[semester])),
            "meetings": {"institutions": meetings[semester]},
            "requests": requests[semester],
        }
        for semester in periods
    }


def _key(semester):
    return f"s{semester.year}_{semester.half}"


# The two functions below read one row per institution with a column per semester, and take
# each semester's set from its column: the rows are tuples, the semesters' columns found by
# position, since on a large data set these loops were as costly as their queries.


def _mapped_on_cutoffs(cutoffs):
    """The institutions in the mapping on each cut-off: mapped by then, and active then."""
    latest = max(cutoffs.values())
    keys = [_key(semester) for semester in cutoffs]
    rows = list(
        Institution.objects.filter(mapped_on__lte=latest)
        .annotate(
            **{
                key: value_on(Institution, "active", cutoff)
                for key, cutoff in zip(keys, cutoffs.values(), strict=True)
            }
        )
        .values_list("pk", "mapped_on", *keys)
    )
    return {
        semester: {pk for pk, mapped_on, *active in rows if mapped_on <= cutoff and active[column]}
        for column, (semester, cutoff) in enumerate(cutoffs.items())
    }


def _meeting_windows(cutoffs, today):
    """The meetings each semester counts (``[from, to)`` of ``held_at``), in three parts kept
    apart, each of which oppms.write_log vouches for while the meetings written are of other
    dates: the semesters already over; the current one up to yesterday; and today. A meeting
    logged today counts again the day's meetings alone, however many the years before hold."""
    today_starts = end_of_day(today - datetime.timedelta(days=1))
    windows = {
        semester: (semester.starts_at, end_of_day(cutoff)) for semester, cutoff in cutoffs.items()
    }
    over = {s: window for s, window in windows.items() if cutoffs[s] < today}
    going = {s: window for s, window in windows.items() if s not in over}
    until_today = {
        s: (start, today_starts) for s, (start, _end) in going.items() if start < today_starts
    }
    since_today = {s: (max(start, today_starts), end) for s, (start, end) in going.items()}
    return [part for part in (over, until_today, since_today) if part]


def _around(windows):
    """``[from, to)`` around every window."""
    return min(start for start, _end in windows.values()), max(
        end for _start, end in windows.values()
    )


def _met_and_meetings(windows):
    """Per semester: the institutions met in its window (``[from, to)`` of ``held_at``), and
    how many meetings they had there."""
    # One range around every window, counting held_at (never null): the (institution,
    # held_at) index then holds all the query reads (an index-only scan; 9 ms -> 6 ms of SQL
    # on 50,000 meetings).
    start, end = _around(windows)
    keys = [_key(semester) for semester in windows]
    rows = list(
        Meeting.objects.filter(held_at__gte=start, held_at__lt=end, institution__isnull=False)
        .values("institution")
        .annotate(
            **{
                key: Count("held_at", filter=Q(held_at__gte=low, held_at__lt=high))
                for key, (low, high) in zip(keys, windows.values(), strict=True)
            }
        )
        .order_by()
        .values_list("institution", *keys)
    )
    met, meetings = {}, {}
    for column, semester in enumerate(windows, start=1):
        met[semester] = {row[0] for row in rows if row[column]}
        meetings[semester] = sum(row[column] for row in rows)
    return met, meetings


def _requests_on_time(cutoffs):
    aggregates = {}
    for semester, cutoff in cutoffs.items():
        sent = Q(sent_on__gte=semester.start, sent_on__lte=cutoff)
        aggregates[f"{_key(semester)}_sent"] = Count("pk", filter=sent)
        aggregates[f"{_key(semester)}_on_time"] = Count(
            "pk", filter=sent & answered_on_time_by(cutoff)
        )
    window = Q(sent_on__gte=min(cutoffs).start, sent_on__lte=max(cutoffs.values()))
    counts = InformationRequest.objects.filter(window).aggregate(**aggregates)
    return {
        semester: {
            "sent": counts[f"{_key(semester)}_sent"],
            "on_time": counts[f"{_key(semester)}_on_time"],
        }
        for semester in cutoffs
    }


SERIES = [
    # (name, title, the point's link its marks open)
    ("linkage", _("Linkage (%)"), "met"),
    ("meetings", _("Meetings with institutions"), "meetings"),
    ("on_time", _("Requests answered on time"), "on_time"),
]


def chart_series(points, height=60, width=300):
    """Each series' marks in SVG units: x across the semesters, y from 0 up to its top value."""
    step = width / max(len(points) - 1, 1)
    charts = []
    for name, title, link in SERIES:
        values = [
            point["linkage"]["percent"] if name == "linkage" else point[name] for point in points
        ]
        top = 100 if name == "linkage" else max([value or 0 for value in values] + [1])
        marks = [
            {
                "x": round(index * step, 1),
                "y": round(height - height * value / top, 1),
                "value": value,
                "point": point,
                "url": point["urls"][link],
            }
            for index, (point, value) in enumerate(zip(points, values, strict=True))
            if value is not None
        ]
        charts.append(
            {
                "name": name,
                "title": title,
                "marks": marks,
                "line": " ".join(f"{mark['x']},{mark['y']}" for mark in marks),
            }
        )
    return charts
