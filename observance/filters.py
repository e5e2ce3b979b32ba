"""Filters of the observance lists.

Their GET parameters are a contract: the semiannual report links its figures to these lists
(see issue 3's URL contract), so names and meanings must not drift.
"""

import datetime

import django_filters
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.constants import EMPTY_VALUES

from allies.models import Ally
from institutions.filters import start_of_day
from institutions.models import Institution
from oppms.asof import value_on
from oppms.forms import DateInput, make_searchable
from oppms.plain import plain_search
from oppms.sorting import SortFilter

from .cutoff import escalations_matching, request_states_on
from .escalation import EscalationOutcome, Ladder
from .models import (
    Commitment,
    Evaluation,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    Publication,
    PublicPolicy,
    Recommendation,
    RequestEvent,
)

DUE_SOON_DAYS = 5
# Commitments are chased over a longer horizon than LOTAIP's ten days.
COMMITMENT_DUE_SOON_DAYS = 14


def search(queryset, fields, value):
    return plain_search(queryset, fields, value)


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    search_fields = ()
    searchable = {}  # filter name -> url name of its JSON search endpoint

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, url_name in self.searchable.items():
            make_searchable(self.form, name, url_name)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return search(queryset, self.search_fields, value) if value else queryset


def date_filter(field_name, lookup_expr, label, **kwargs):
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label, widget=DateInput(), **kwargs
    )


class DayOfInstantFilter(django_filters.DateFilter):
    """A day bounding a date-and-time field, ``lookup_expr`` "gte" (from) or "lte" (until).

    It selects what ``<field>__date__gte`` / ``__date__lte`` select (the day in the current
    time zone), as a comparison with the day's first instant, which the field's index serves;
    casting every row's instant to a day serves none.
    """

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        if self.lookup_expr == "gte":
            return queryset.filter(**{f"{self.field_name}__gte": start_of_day(value)})
        if value == datetime.date.max:  # every instant is on or before the calendar's last day
            return queryset
        next_day = start_of_day(value + datetime.timedelta(days=1))
        return queryset.filter(**{f"{self.field_name}__lt": next_day})


def day_of_instant_filter(field_name, lookup_expr, label):
    return DayOfInstantFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label, widget=DateInput()
    )


class MeetingFilter(SearchFilterSet):
    search_fields = (
        "purpose",
        "outcomes",
        "place",
        "institution__name",
        "institution__acronym",
        "ally__name",
        "ally__acronym",
    )
    searchable = {
        "institution": "institutions:institution-search",
        "ally": "allies:ally-search",
    }

    held_after = day_of_instant_filter("held_at", "gte", _("Held from"))
    held_before = day_of_instant_filter("held_at", "lte", _("Held until"))
    modality = django_filters.ChoiceFilter(choices=Meeting.Modality.choices, label=_("Modality"))
    institution = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.all(), label=_("Institution")
    )
    ally = django_filters.ModelChoiceFilter(queryset=Ally.objects.all(), label=_("Ally"))
    process = django_filters.ModelChoiceFilter(
        queryset=ObservanceProcess.objects.all(), label=_("Process")
    )
    ally_kind = django_filters.ChoiceFilter(
        choices=Ally.Kind.choices, method="filter_ally_kind", label=_("Kind of ally")
    )
    cpccs = django_filters.ChoiceFilter(
        choices=[("1", _("With a CPCCS companion")), ("0", _("Without a CPCCS companion"))],
        method="filter_cpccs",
        label=_("CPCCS"),
    )
    counterpart = django_filters.ChoiceFilter(
        choices=[("institution", _("An institution")), ("ally", _("An ally"))],
        method="filter_counterpart",
        label=_("Held with"),
    )
    as_of = date_filter(
        None,
        None,
        _("Kinds of ally as on"),
        method="applied_with_kind",
    )

    sort = SortFilter(
        columns={
            "date": ("held_at", _("Date")),
            "modality": ("modality", _("Modality")),
            "process": ("process__title", _("Process")),
            "cpccs": ("cpccs_companion", _("CPCCS")),
        }
    )

    class Meta:
        model = Meeting
        fields = []

    def applied_with_kind(self, queryset, name, value):
        return queryset  # read by filter_ally_kind

    def filter_ally_kind(self, queryset, name, value):
        """Meetings with allies of that kind: the kind the ally had on ``as_of``, if given."""
        day = self.form.cleaned_data.get("as_of")
        if not day:
            return queryset.filter(ally__kind=value)
        return queryset.annotate(ally_kind_then=value_on(Ally, "kind", day, ref="ally_id")).filter(
            ally_kind_then=value
        )

    def filter_counterpart(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_cpccs(self, queryset, name, value):
        if value == "1":
            return queryset.exclude(cpccs_companion="")
        return queryset.filter(cpccs_companion="")


class InformationRequestFilter(SearchFilterSet):
    STATES = [
        ("open", _("Awaiting answer")),
        ("overdue", _("Overdue")),
        ("due_soon", _("Due in the next 5 days")),
        ("answered", _("Answered")),
        ("on_time", _("Answered on time")),
        ("late", _("Answered late")),
    ]

    search_fields = ("subject", "reference", "institution__name", "institution__acronym")
    searchable = {"institution": "institutions:institution-search"}

    sent_after = date_filter("sent_on", "gte", _("Sent from"))
    sent_before = date_filter("sent_on", "lte", _("Sent until"))
    state = django_filters.ChoiceFilter(choices=STATES, method="filter_state", label=_("State"))
    institution = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.all(), label=_("Institution")
    )
    process = django_filters.ModelChoiceFilter(
        queryset=ObservanceProcess.objects.all(), label=_("Process")
    )
    as_of = date_filter(
        None,
        None,
        _("State on"),
        method="applied_with_state",
        help_text=_("Judge the state as it was on that day, as the semiannual report does."),
    )

    ladder_step = django_filters.ChoiceFilter(
        choices=[("none", _("Not escalated")), *((str(v), label) for v, label in Ladder.choices)],
        method="filter_ladder_step",
        label=_("Ladder step"),
        help_text=_("The highest step of the escalation ladder the request has taken."),
    )
    escalation = django_filters.ChoiceFilter(
        choices=[(str(v), label) for v, label in Ladder.choices],
        method="applied_with_escalation",
        label=_("Escalation step"),
    )
    escalated_after = date_filter(None, None, _("Escalated from"), method="applied_with_escalation")
    escalated_before = date_filter(
        None, None, _("Escalated until"), method="applied_with_escalation"
    )
    escalation_outcome = django_filters.ChoiceFilter(
        choices=EscalationOutcome.choices,
        method="applied_with_escalation",
        label=_("Escalation outcome"),
        help_text=_("With “State on”, the outcome as it stood that day."),
    )
    escalation_overdue = django_filters.ChoiceFilter(
        choices=[("1", _("Awaiting an answer past its due date"))],
        method="applied_with_escalation",
        label=_("Escalation overdue"),
    )

    # Together they select the requests with one escalation step that meets them all.
    ESCALATION = ["escalation", "escalated_after", "escalated_before", "escalation_outcome"]

    sort = SortFilter(
        columns={
            "institution": ("institution__name", _("Institution")),
            "subject": ("subject", _("Subject")),
            "sent": ("sent_on", _("Sent")),
            "due": ("due_on", _("Due")),
        }
    )

    class Meta:
        model = InformationRequest
        fields = []

    def applied_with_state(self, queryset, name, value):
        return queryset  # read by filter_state

    def applied_with_escalation(self, queryset, name, value):
        return queryset  # read by filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not any(data.get(name) for name in [*self.ESCALATION, "escalation_overdue"]):
            return queryset
        return queryset.filter(
            Exists(
                escalations_matching(
                    step=data.get("escalation"),
                    filed_after=data.get("escalated_after"),
                    filed_before=data.get("escalated_before"),
                    outcome=data.get("escalation_outcome"),
                    overdue=bool(data.get("escalation_overdue")),
                    day=data.get("as_of"),
                ).filter(request=OuterRef("pk"))
            )
        )

    def filter_ladder_step(self, queryset, name, value):
        steps = RequestEvent.objects.filter(request=OuterRef("pk"))
        if value == "none":
            return queryset.exclude(Exists(steps.filter(kind__in=RequestEvent.LADDER)))
        step = int(value)
        higher = [kind for kind, taken in RequestEvent.LADDER.items() if taken > step]
        return queryset.filter(Exists(steps.filter(kind=RequestEvent.KIND_OF_STEP[step]))).exclude(
            Exists(steps.filter(kind__in=higher))
        )

    def filter_state(self, queryset, name, value):
        day = self.form.cleaned_data.get("as_of")
        if day and value != "due_soon":
            states = request_states_on(day)
            states["answered"] = states["on_time"] | states["late"]
            return queryset.filter(states[value])
        today = timezone.localdate()
        open_ = Q(answered_on__isnull=True)
        states = {
            "open": open_,
            "overdue": open_ & Q(due_on__lt=today),
            "due_soon": open_
            & Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)),
            "on_time": Q(answered_on__isnull=False, answered_on__lte=F("due_on")),
            "late": Q(answered_on__isnull=False, answered_on__gt=F("due_on")),
            "answered": Q(answered_on__isnull=False),
        }
        return queryset.filter(states[value])


class RecommendationFilter(SearchFilterSet):
    search_fields = ("text", "institution__name", "institution__acronym")
    searchable = {"institution": "institutions:institution-search"}

    compliance = django_filters.ChoiceFilter(
        choices=Recommendation.Compliance.choices,
        label=_("Compliance"),
        method="filter_compliance",
    )
    institution = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.all(), label=_("Institution")
    )
    process = django_filters.ModelChoiceFilter(
        queryset=ObservanceProcess.objects.all(), label=_("Process")
    )
    proposed_after = date_filter("proposed_on", "gte", _("Proposed from"))
    proposed_before = date_filter("proposed_on", "lte", _("Proposed until"))
    state = django_filters.ChoiceFilter(
        choices=[("overdue", pgettext_lazy("recommendations", "Overdue"))],
        method="filter_state",
        label=_("State"),
    )
    as_of = date_filter(
        None,
        None,
        _("Compliance on"),
        method="applied_with_compliance",
        help_text=_("Judge the compliance as it was on that day, as the semiannual report does."),
    )

    sort = SortFilter(
        columns={
            "text": ("text", _("Recommendation")),
            "institution": ("institution__name", _("Institution")),
            "process": ("process__title", _("Process")),
            "proposed": ("proposed_on", _("Proposed")),
            "expected": ("due_on", _("Expected by")),
            "compliance": ("compliance", _("Compliance")),
        }
    )

    class Meta:
        model = Recommendation
        fields = []

    def applied_with_compliance(self, queryset, name, value):
        return queryset  # read by filter_compliance

    def filter_compliance(self, queryset, name, value):
        day = self.form.cleaned_data.get("as_of")
        if not day:
            return queryset.filter(compliance=value)
        # The semiannual report's rule: the latest follow-up dated on or before that day.
        return queryset.with_compliance_on(day).filter(compliance_then=value)

    def filter_state(self, queryset, name, value):
        return queryset.overdue(timezone.localdate())


class PublicPolicyFilter(SearchFilterSet):
    search_fields = ("name", "description")
    group = django_filters.ChoiceFilter(choices=PublicPolicy.Group.choices, label=_("Group"))

    sort = SortFilter(
        columns={
            "name": ("name", _("Name")),
            "group": ("group", _("Group served")),
        }
    )

    class Meta:
        model = PublicPolicy
        fields = []


class ObservanceProcessFilter(SearchFilterSet):
    search_fields = ("title", "policy__name", "notes")
    policy = django_filters.ModelChoiceFilter(
        queryset=PublicPolicy.objects.all(), label=_("Public policy")
    )
    open = django_filters.ChoiceFilter(
        choices=[("1", _("Open")), ("0", _("Closed"))], method="filter_open", label=_("Status")
    )
    under_way_after = date_filter(None, None, _("Under way from"), method="filter_under_way")
    under_way_before = date_filter(None, None, _("Under way until"), method="filter_under_way")

    sort = SortFilter(
        columns={
            "process": ("title", _("Process")),
            "policy": ("policy__name", _("Public policy")),
            "started": ("started_on", _("Started")),
        }
    )

    class Meta:
        model = ObservanceProcess
        fields = []

    def filter_under_way(self, queryset, name, value):
        """Started by the end of the range and not closed before its start."""
        if name == "under_way_before":
            return queryset.filter(started_on__lte=value)
        return queryset.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=value))

    def filter_open(self, queryset, name, value):
        return queryset.filter(closed_on__isnull=value == "1")


class ProcessResultFilter(SearchFilterSet):
    """Steps 5 and 6 are recorded against a process and the institutions concerned."""

    searchable = {"institution": "institutions:institution-search"}
    process = django_filters.ModelChoiceFilter(
        queryset=ObservanceProcess.objects.all(), label=_("Process")
    )
    institution = django_filters.ModelChoiceFilter(
        field_name="institutions",
        queryset=Institution.objects.all(),
        label=_("Institution"),
        distinct=True,
    )


class EvaluationFilter(ProcessResultFilter):
    search_fields = ("title", "findings")
    rating = django_filters.ChoiceFilter(choices=Evaluation.Rating.choices, label=_("Rating"))
    evaluated_after = date_filter("evaluated_on", "gte", _("Evaluated from"))
    evaluated_before = date_filter("evaluated_on", "lte", _("Evaluated until"))

    sort = SortFilter(
        columns={
            "title": ("title", _("Title")),
            "process": ("process__title", _("Process")),
            "date": ("evaluated_on", _("Date")),
            "rating": ("rating", _("Rating")),
        }
    )

    class Meta:
        model = Evaluation
        fields = []


class PublicationFilter(ProcessResultFilter):
    search_fields = ("title", "summary", "place")
    kind = django_filters.ChoiceFilter(choices=Publication.Kind.choices, label=_("Kind"))
    published_after = date_filter("published_on", "gte", _("Published from"))
    published_before = date_filter("published_on", "lte", _("Published until"))

    sort = SortFilter(
        columns={
            "title": ("title", _("Title")),
            "kind": ("kind", _("Kind")),
            "process": ("process__title", _("Process")),
            "date": ("published_on", _("Date")),
        }
    )

    class Meta:
        model = Publication
        fields = []


class CommitmentFilter(SearchFilterSet):
    """The commitments of meetings; ``made_*`` by the meeting's date, ``state`` on ``as_of``.

    The report's commitment figures link here: made in the semester (``made_after``,
    ``made_before``), closed by the cut-off and overdue at it (``state`` with ``as_of``).
    """

    STATES = [
        ("open", pgettext_lazy("commitment", "Open")),
        ("overdue", pgettext_lazy("commitment", "Overdue")),
        ("due_soon", pgettext_lazy("commitment", "Due in the next 14 days")),
        ("closed", pgettext_lazy("commitment", "Closed")),
    ]

    search_fields = (
        "text",
        "closing_note",
        "meeting__institution__name",
        "meeting__institution__acronym",
        "meeting__ally__name",
        "meeting__ally__acronym",
    )
    searchable = {"institution": "institutions:institution-search"}

    status = django_filters.ChoiceFilter(choices=Commitment.Status.choices, label=_("Status"))
    who = django_filters.ChoiceFilter(choices=Commitment.Who.choices, label=_("Who"))
    institution = django_filters.ModelChoiceFilter(
        field_name="meeting__institution",
        queryset=Institution.objects.all(),
        label=_("Institution"),
    )
    made_after = day_of_instant_filter("meeting__held_at", "gte", _("Meeting held from"))
    made_before = day_of_instant_filter("meeting__held_at", "lte", _("Meeting held until"))
    state = django_filters.ChoiceFilter(choices=STATES, method="filter_state", label=_("State"))
    as_of = date_filter(
        None,
        None,
        _("State on"),
        method="applied_with_state",
        help_text=_(
            "Judge open, overdue and closed as on that day, as the semiannual report does."
        ),
    )

    sort = SortFilter(
        columns={
            "commitment": ("text", _("Commitment")),
            "who": ("who", _("Who")),
            "meeting": ("meeting__held_at", _("Meeting")),
            "due": ("due_on", _("Due")),
            "status": ("status", _("Status")),
        }
    )

    class Meta:
        model = Commitment
        fields = []

    def applied_with_state(self, queryset, name, value):
        return queryset  # read by filter_state

    def filter_state(self, queryset, name, value):
        day = self.form.cleaned_data.get("as_of") or timezone.localdate()
        if value == "closed":
            return queryset.closed_by(day)
        if value == "overdue":
            return queryset.overdue_on(day)
        if value == "due_soon":
            ahead = datetime.timedelta(days=COMMITMENT_DUE_SOON_DAYS)
            horizon = day + ahead if day <= datetime.date.max - ahead else datetime.date.max
            return queryset.open_on(day).filter(due_on__gte=day, due_on__lte=horizon)
        return queryset.open_on(day)
