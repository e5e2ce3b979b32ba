"""The page a coordinator lands on: what needs action first, then how linkage and the
processes stand."""

import datetime

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, F, Q
from django.utils import timezone
from django.views.generic import TemplateView

from institutions.models import Institution
from oppms.views import list_url

from ..cutoff import escalations_matching
from ..escalation import EscalationOutcome
from ..filters import DUE_SOON_DAYS
from ..models import InformationRequest, Meeting, ObservanceProcess

UPCOMING_DAYS = 14
ROWS = 20  # per box; the lists behind the "all" links have the rest


def semester_of(day):
    """The half year a date falls in: January–June or July–December."""
    if day.month <= 6:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30)
    return datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31)


def linkage(today, now):
    """This semester's linkage: mapped institutions met at least once, out of those mapped.

    Mapped = active and mapped on or before the semester's end; met = among those, the ones
    with a meeting already held within the semester. One query.
    """
    start, end = semester_of(today)
    held = Q(
        meetings__held_at__date__gte=start,
        meetings__held_at__date__lte=end,
        meetings__held_at__lte=now,
    )
    figures = Institution.objects.filter(active=True, mapped_on__lte=end).aggregate(
        mapped=Count("pk", distinct=True), met=Count("pk", distinct=True, filter=held)
    )
    mapped, met = figures["mapped"], figures["met"]
    last_held = min(today, end)
    return {
        "start": start,
        "end": end,
        "mapped": mapped,
        "met": met,
        "percent": round(100 * met / mapped) if mapped else None,
        "mapped_url": list_url("institutions:institution-list", mapped_before=end.isoformat()),
        "met_url": list_url(
            "institutions:institution-list",
            mapped_before=end.isoformat(),
            met_after=start.isoformat(),
            met_before=last_held.isoformat(),
        ),
        "meetings_url": list_url(
            "observance:meeting-list",
            held_after=start.isoformat(),
            held_before=last_held.isoformat(),
        ),
    }


def escalations_awaiting(today):
    """The escalation steps awaiting an answer, the earliest due first, and how many requests
    have one and have one overdue: the same selections as the request list's filters
    ``escalation_outcome=pending`` and ``escalation_overdue=1``.

    Counted from the steps awaiting an answer (an index on kind, outcome and due date), never
    by asking each request: two queries, whatever the number of requests.
    """
    awaiting = escalations_matching(outcome=EscalationOutcome.PENDING)
    counts = awaiting.aggregate(
        escalations=Count("request", distinct=True),
        escalations_overdue=Count("request", distinct=True, filter=Q(due_on__lt=today)),
    )
    # The steps themselves, the earliest due first: the index gives them in order.
    rows = awaiting.select_related("request__institution").order_by(
        F("due_on").asc(nulls_last=True), "pk"
    )
    return {
        "rows": list(rows[:ROWS]),
        "count": counts["escalations"],
        "overdue_count": counts["escalations_overdue"],
        "url": list_url("observance:request-list", escalation_outcome=EscalationOutcome.PENDING),
        "overdue_url": list_url(
            "observance:request-list",
            escalation_outcome=EscalationOutcome.PENDING,
            escalation_overdue="1",
        ),
    }


class DashboardView(PermissionRequiredMixin, TemplateView):
    permission_required = "observance.view_meeting"
    template_name = "observance/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        now = timezone.now()
        requests = InformationRequest.objects.select_related("institution")
        overdue = requests.overdue(today).order_by("due_on", "pk")
        due_soon = requests.due_within(DUE_SOON_DAYS, today).order_by("due_on", "pk")
        upcoming = (
            Meeting.objects.filter(
                held_at__gte=now, held_at__lte=now + datetime.timedelta(days=UPCOMING_DAYS)
            )
            .select_related("institution", "ally", "process")
            .order_by("held_at")
        )
        processes = (
            ObservanceProcess.objects.filter(closed_on__isnull=True)
            .select_related("policy")
            .prefetch_related("steps")
            .order_by("-started_on", "title")
        )
        counts = InformationRequest.objects.aggregate(
            overdue=Count("pk", filter=Q(answered_on__isnull=True, due_on__lt=today)),
            due_soon=Count(
                "pk",
                filter=Q(
                    answered_on__isnull=True,
                    due_on__gte=today,
                    due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
                ),
            ),
        )
        context.update(
            today=today,
            overdue=list(overdue[:ROWS]),
            overdue_count=counts["overdue"],
            overdue_url=list_url("observance:request-list", state="overdue"),
            due_soon=list(due_soon[:ROWS]),
            due_soon_count=counts["due_soon"],
            due_soon_url=list_url("observance:request-list", state="due_soon"),
            upcoming=list(upcoming[:ROWS]),
            upcoming_days=UPCOMING_DAYS,
            upcoming_url=list_url(
                "observance:meeting-list",
                held_after=today.isoformat(),
                held_before=(today + datetime.timedelta(days=UPCOMING_DAYS)).isoformat(),
            ),
            linkage=linkage(today, now),
            escalations=escalations_awaiting(today),
            processes=list(processes[:ROWS]),
            can_add_meeting=self.request.user.has_perm("observance.add_meeting"),
            can_add_request=self.request.user.has_perm("observance.add_informationrequest"),
        )
        return context
