"""The dashboard's linkage panel: a semester's linkage and the trend of the ones before it.

The dashboard belongs to observance; this panel reaches it through ``oppms.dashboard``, so
that the figures it shows are the report's own (``reports.trend``).
"""

from django.utils import timezone

from oppms.dashboard import Panel

from .forms import SemesterChoiceForm
from .trend import (
    cached_semester_trend,
    chart_series,
    first_semester,
    semester_of,
    semesters_between,
)


def linkage_panel(request):
    today = timezone.localdate()
    first, current = first_semester(), semester_of(today)
    offered = semesters_between(first, current)[::-1]
    form = SemesterChoiceForm(request.GET if "semester" in request.GET else None, semesters=offered)
    chosen = form.cleaned_data["semester"] if form.is_valid() else current
    points = cached_semester_trend(period=chosen, today=today, first=first)
    return Panel(
        "reports/_linkage_panel.html",
        {"form": form, "point": points[-1], "points": points, "charts": chart_series(points)},
    )
