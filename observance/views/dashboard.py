"""The page a coordinator lands on: what needs action first, then how linkage and the
processes stand. The linkage panel comes from the reports (``oppms.dashboard``): its figures
are the semiannual report's."""

import datetime

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import TemplateView

from oppms.dashboard import dashboard_panels
from oppms.views import KeptPageMixin, kept_fragment, list_url

from ..cutoff import escalations_matching
from ..escalation import EscalationOutcome
from ..filters import COMMITMENT_DUE_SOON_DAYS, DUE_SOON_DAYS
from ..models import Commitment, InformationRequest, Meeting, ObservanceProcess, Recommendation

UPCOMING_DAYS = 14
ROWS = 8  # per box, so that the page shows every box; the lists behind "ver todas" have the rest


def commitments_to_chase(today):
    """Pending commitments overdue or due within COMMITMENT_DUE_SOON_DAYS, the most urgent
    first, and how many of each: two queries whatever their number."""
    horizon = today + datetime.timedelta(days=COMMITMENT_DUE_SOON_DAYS)
    pending = Commitment.objects.open().filter(due_on__lte=horizon)
    counts = pending.aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_soon=Count("pk", filter=Q(due_on__gte=today)),
    )
    rows = pending.select_related("meeting__institution", "meeting__ally").order_by("due_on", "pk")
    return {
        "rows": list(rows[:ROWS]),
        "overdue": counts["overdue"],
        "due_soon": counts["due_soon"],
        "days": COMMITMENT_DUE_SOON_DAYS,
        "overdue_url": list_url("observance:commitment-list", state="overdue"),
        "due_soon_url": list_url("observance:commitment-list", state="due_soon"),
    }


def overdue_recommendations(user, today):
    """The oldest overdue recommendations, their number and the list of all of them; None for
    a user who may not view recommendations. Two queries."""
    if not user.has_perm("observance.view_recommendation"):
        return None
    overdue = Recommendation.objects.overdue(today)
    return {
        "rows": list(overdue.select_related("institution").order_by("due_on", "pk")[:ROWS]),
        "count": overdue.count(),
        "url": list_url("observance:recommendation-list", state="overdue"),
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


def requests_due(today):
    """The open requests overdue and due within DUE_SOON_DAYS, the earliest due first, and how
    many of each: three queries, reading only the open requests due by the horizon (their
    index), not every request ever sent."""
    requests = InformationRequest.objects.select_related("institution")
    counts = InformationRequest.objects.filter(
        answered_on__isnull=True,
        due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
    ).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_soon=Count("pk", filter=Q(due_on__gte=today)),
    )
    return {
        "overdue": list(requests.overdue(today).order_by("due_on", "pk")[:ROWS]),
        "overdue_count": counts["overdue"],
        "overdue_url": list_url("observance:request-list", state="overdue"),
        "due_soon": list(requests.due_within(DUE_SOON_DAYS, today).order_by("due_on", "pk")[:ROWS]),
        "due_soon_count": counts["due_soon"],
        "due_soon_url": list_url("observance:request-list", state="due_soon"),
    }


def upcoming_meetings(now, until):
    """The meetings held from ``now`` to ``until``, the soonest first."""
    today = timezone.localdate(now)
    upcoming = (
        Meeting.objects.filter(held_at__gte=now, held_at__lte=until)
        .select_related("institution", "ally", "process")
        .order_by("held_at")
    )
    return {
        "upcoming": list(upcoming[:ROWS]),
        "upcoming_days": UPCOMING_DAYS,
        "upcoming_url": list_url(
            "observance:meeting-list",
            held_after=today.isoformat(),
            held_before=(today + datetime.timedelta(days=UPCOMING_DAYS)).isoformat(),
        ),
    }


def open_processes():
    processes = (
        ObservanceProcess.objects.filter(closed_on__isnull=True)
        .select_related("policy")
        .prefetch_related("steps")
        .order_by("-started_on", "title")
    )
    return {"processes": list(processes[:ROWS])}


def _named(name, box):
    """A box's context: the box under its name, or None for no box (nothing to show)."""
    return {name: box} if box else None


class DashboardView(KeptPageMixin, PermissionRequiredMixin, TemplateView):
    """Kept while no record changes (``KeptPageMixin``): the same for everyone with the same
    permissions and query string in the same minute. A panel (``oppms.dashboard``) may read
    only those.

    Each box is kept apart besides (``kept_fragment``): after a write, only the boxes that read
    what was written are computed and rendered again. A meeting logged today leaves the boxes
    of requests, processes and escalations as they were, and the meetings coming up too unless
    it is one of them.
    """

    permission_required = "observance.view_meeting"
    template_name = "observance/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        # The minute, as the page is kept: "coming up" starts at this minute for all of it.
        now = timezone.now().replace(second=0, microsecond=0)
        today = timezone.localdate(now)
        until = now + datetime.timedelta(days=UPCOMING_DAYS)

        def box(name, compute, **within):
            """The box ``observance/_dashboard_<name>.html`` with the context ``compute()``
            gives (None: no box), kept apart."""

            def render():
                values = compute()
                if values is None:
                    return ""
                return render_to_string(f"observance/_dashboard_{name}.html", values)

            return kept_fragment(request, name, render, **within)

        may_chase = user.has_perm("observance.view_commitment")
        context.update(
            boxes={
                "requests": box("requests", lambda: requests_due(today)),
                "commitments": box(
                    "commitments",
                    lambda: _named("commitments", may_chase and commitments_to_chase(today)),
                ),
                "overdue_recommendations": box(
                    "overdue_recommendations",
                    lambda: _named("overdue_recommendations", overdue_recommendations(user, today)),
                ),
                "escalations": box(
                    "escalations", lambda: {"escalations": escalations_awaiting(today)}
                ),
                "upcoming": box(
                    "upcoming",
                    lambda: upcoming_meetings(now, until),
                    within={Meeting: ("held_at", now, until)},
                ),
                "processes": box("processes", open_processes),
            },
            panels=dashboard_panels(request),
            can_add_meeting=user.has_perm("observance.add_meeting"),
            can_add_request=user.has_perm("observance.add_informationrequest"),
        )
        return context
