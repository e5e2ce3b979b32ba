from django import forms
from django.contrib import admin
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from oppms.admin import HistoryAdmin, ImportExportHistoryAdmin

from .models import (
    Commitment,
    EscalationTerm,
    Evaluation,
    FollowUp,
    Holiday,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    Publication,
    PublicPolicy,
    Recommendation,
    RequestEvent,
    Step,
    TeamMember,
)
from .resources import InformationRequestResource, MeetingResource
from .services import STATE_EVENTS, request_follow_timeline, timeline_errors

DUE_SOON_DAYS = 5


@admin.register(ObservatoryProfile)
class ObservatoryProfileAdmin(HistoryAdmin):
    list_display = ["name", "acronym", "constituted_on", "cpccs_registration"]

    def has_add_permission(self, request):
        # One observatory, one profile: the model pins its primary key to 1.
        return super().has_add_permission(request) and not ObservatoryProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class CurrentMemberFilter(admin.SimpleListFilter):
    title = _("membership")
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return [("current", _("Current members")), ("former", _("Former members"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        if self.value() == "former":
            return queryset.filter(ended_on__lt=today)
        return None


@admin.register(TeamMember)
class TeamMemberAdmin(HistoryAdmin):
    list_display = ["name", "role_title", "user", "started_on", "ended_on", "order"]
    list_select_related = ["user"]
    list_filter = [CurrentMemberFilter]
    search_fields = ["name", "role_title"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["user"]


@admin.register(PublicPolicy)
class PublicPolicyAdmin(HistoryAdmin):
    list_display = ["name", "group", "process_count"]
    list_filter = ["group"]
    search_fields = ["name", "description", "legal_basis"]

    def get_queryset(self, request):
        # A GROUP BY drops the model's default ordering: say it again for stable pages.
        return (
            super()
            .get_queryset(request)
            .annotate(process_count=Count("processes"))
            .order_by(*PublicPolicy._meta.ordering)
        )

    @admin.display(description=_("observance processes"), ordering="process_count")
    def process_count(self, policy):
        return policy.process_count


class ProcessStepInline(admin.TabularInline):
    """The seven steps exist from the moment a process does: they are edited, never added."""

    model = ProcessStep
    fields = ["step", "status", "started_on", "completed_on", "notes"]
    readonly_fields = ["step"]
    extra = 0
    max_num = len(Step)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ObservanceProcess)
class ObservanceProcessAdmin(HistoryAdmin):
    list_display = [
        "title",
        "policy",
        "started_on",
        "closed_on",
        "institution_count",
        "steps_done",
    ]
    list_select_related = ["policy"]
    list_filter = ["policy__group", ("closed_on", admin.EmptyFieldListFilter)]
    search_fields = ["title", "policy__name"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["policy", "institutions"]
    inlines = [ProcessStepInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                institution_count=Count("institutions", distinct=True),
                steps_done=Count(
                    "steps", filter=Q(steps__status=ProcessStep.Status.DONE), distinct=True
                ),
            )
            .order_by(*ObservanceProcess._meta.ordering)
        )

    @admin.display(description=_("institutions"), ordering="institution_count")
    def institution_count(self, process):
        return process.institution_count

    @admin.display(description=_("steps done"), ordering="steps_done")
    def steps_done(self, process):
        return f"{process.steps_done}/{len(Step)}"


@admin.register(ProcessStep)
class ProcessStepAdmin(HistoryAdmin):
    list_display = ["process", "step", "status", "started_on", "completed_on"]
    list_select_related = ["process"]
    list_filter = ["step", "status"]
    search_fields = ["process__title", "notes"]
    readonly_fields = ["process", "step"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ImportExportHistoryAdmin):
    resource_classes = [MeetingResource]
    list_display = [
        "held_at",
        "counterpart",
        "modality",
        "process",
        "team",
        "cpccs_companion",
    ]
    list_filter = ["modality", "institution__branch", "ally__kind"]
    search_fields = [
        "purpose",
        "place",
        "cpccs_companion",
        "institution__name",
        "institution__acronym",
        "ally__name",
        "ally__acronym",
    ]
    date_hierarchy = "held_at"
    # Tens of thousands of rows: skip the second COUNT that shows the unfiltered total.
    show_full_result_count = False
    autocomplete_fields = ["institution", "ally", "process", "team_members"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("institution", "ally", "process")
            .prefetch_related("team_members")
        )

    @admin.display(description=_("institution or ally"))
    def counterpart(self, meeting):
        return meeting.institution or meeting.ally

    @admin.display(description=_("team members present"))
    def team(self, meeting):
        return ", ".join(member.name for member in meeting.team_members.all())


@admin.register(Holiday)
class HolidayAdmin(HistoryAdmin):
    list_display = ["date", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(EscalationTerm)
class EscalationTermAdmin(HistoryAdmin):
    """The days each step of the escalation ladder gives; a step filed later is due by them."""

    list_display = ["step", "days", "counting", "basis"]
    ordering = ["step"]


class DeadlineStateFilter(admin.SimpleListFilter):
    """Where requests stand on the LOTAIP clock, filtered by the database on the stored due date."""

    title = _("LOTAIP deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("due_soon", _("Due within %(days)d days") % {"days": DUE_SOON_DAYS}),
            ("answered", _("Answered")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "due_soon":
            return queryset.due_within(DUE_SOON_DAYS)
        if self.value() == "answered":
            return queryset.filter(answered_on__isnull=False)
        return None


def touches_state(form):
    """Whether saving ``form`` adds, changes or removes an extension or an answer."""
    kinds = {form.initial.get("kind"), form.cleaned_data.get("kind")}
    return bool(kinds & STATE_EVENTS)


class RequestTimelineFormSet(forms.BaseInlineFormSet):
    """A request's timeline edited as a table, checked as a whole against the LOTAIP rules."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        events = [
            (form.cleaned_data["kind"], form.cleaned_data["occurred_on"])
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        errors = timeline_errors(sent_on=self.instance.sent_on, events=events)
        if errors:
            raise forms.ValidationError(errors)

    def moves_state(self):
        return any(
            touches_state(form)
            for form in self.forms
            if form.has_changed() or self._should_delete_form(form)
        )


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    formset = RequestTimelineFormSet
    fields = [
        "occurred_on",
        "kind",
        "notes",
        "document",
        "due_on",
        "outcome",
        "outcome_on",
        "recorded_by",
    ]
    readonly_fields = ["due_on", "recorded_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(InformationRequest)
class InformationRequestAdmin(ImportExportHistoryAdmin):
    resource_classes = [InformationRequestResource]
    list_display = [
        "subject",
        "institution",
        "sent_on",
        "due_on",
        "overdue",
        "outcome",
        "answered_on",
    ]
    list_select_related = ["institution"]
    list_filter = [DeadlineStateFilter, "outcome", "channel"]
    search_fields = ["subject", "reference", "institution__name", "institution__acronym"]
    date_hierarchy = "sent_on"
    show_full_result_count = False
    autocomplete_fields = ["process", "institution", "areas"]
    readonly_fields = ["due_on", "deadline_explanation"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "institution",
                    "process",
                    "subject",
                    "areas",
                    "reference",
                    "sent_on",
                    "channel",
                    "request_file",
                ]
            },
        ),
        (
            _("LOTAIP deadline"),
            {"fields": ["extension_notified_on", "due_on", "deadline_explanation"]},
        ),
        (
            _("Answer"),
            {"fields": ["outcome", "answered_on", "response_summary", "response_file"]},
        ),
    ]
    inlines = [RequestEventInline]

    def get_queryset(self, request):
        overdue = Q(answered_on__isnull=True, due_on__lt=timezone.localdate())
        return (
            super()
            .get_queryset(request)
            .annotate(
                is_past_due=Case(
                    When(overdue, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )

    @admin.display(description=_("overdue"), boolean=True, ordering="is_past_due")
    def overdue(self, request_):
        return request_.is_past_due

    @admin.display(description=_("how the due date was computed"))
    def deadline_explanation(self, request_):
        if request_ is None or request_.pk is None or request_.sent_on is None:
            return "-"
        lines = request_.deadline_explanation()
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def save_formset(self, request, form, formset, change):
        if formset.model is RequestEvent:
            # The request's extension and answer follow its timeline, as in the app.
            follow = formset.moves_state()
            events = formset.save(commit=False)
            for event in events:
                if event.recorded_by_id is None:
                    event.recorded_by = request.user
                event.save()
            for event in formset.deleted_objects:
                event.delete()
            formset.save_m2m()
            if follow:
                request_follow_timeline(form.instance)
        else:
            super().save_formset(request, form, formset, change)


class RequestEventAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        request_, kind, occurred_on = (
            cleaned.get(name) for name in ("request", "kind", "occurred_on")
        )
        if request_ and kind and occurred_on:
            others = request_.events.exclude(pk=self.instance.pk).values_list("kind", "occurred_on")
            errors = timeline_errors(
                sent_on=request_.sent_on, events=[*others, (kind, occurred_on)]
            )
            if errors:
                raise forms.ValidationError(errors)
        return cleaned


@admin.register(RequestEvent)
class RequestEventAdmin(HistoryAdmin):
    """Events one by one; a request whose extension or answer changes follows its timeline."""

    form = RequestEventAdminForm
    list_display = [
        "occurred_on",
        "kind",
        "request",
        "institution",
        "due_on",
        "outcome",
        "outcome_on",
        "recorded_by",
    ]
    list_select_related = ["request__institution", "recorded_by"]
    list_filter = ["kind", "outcome"]
    readonly_fields = ["due_on"]
    search_fields = ["request__subject", "request__institution__name", "notes"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["request", "recorded_by"]

    @admin.display(description=_("institution"), ordering="request__institution__name")
    def institution(self, event):
        return event.request.institution

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        if touches_state(form):
            moved_from = form.initial.get("request")
            for request_ in InformationRequest.objects.filter(pk__in={obj.request_id, moved_from}):
                request_follow_timeline(request_)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if obj.kind in STATE_EVENTS:
            request_follow_timeline(obj.request)

    def delete_queryset(self, request, queryset):
        followed = list(
            InformationRequest.objects.filter(
                pk__in=queryset.filter(kind__in=STATE_EVENTS).values("request")
            )
        )
        super().delete_queryset(request, queryset)
        for request_ in followed:
            request_follow_timeline(request_)


@admin.register(Evaluation)
class EvaluationAdmin(HistoryAdmin):
    list_display = ["title", "process", "evaluated_on", "rating", "institution_names"]
    list_filter = ["rating"]
    search_fields = ["title", "findings", "process__title"]
    date_hierarchy = "evaluated_on"
    autocomplete_fields = ["process", "institutions", "information_requests"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("process").prefetch_related("institutions")
        )

    @admin.display(description=_("institutions"))
    def institution_names(self, evaluation):
        return ", ".join(
            institution.acronym or institution.name for institution in evaluation.institutions.all()
        )


@admin.register(Publication)
class PublicationAdmin(HistoryAdmin):
    list_display = ["title", "kind", "process", "published_on", "is_public", "attendees"]
    list_select_related = ["process"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "summary", "place", "process__title"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["process", "evaluation", "institutions"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    fields = ["checked_on", "compliance", "notes", "evidence"]
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "institution",
        "process",
        "proposed_on",
        "due_on",
        "compliance",
        "is_public",
        "follow_up_count",
    ]
    list_select_related = ["institution", "process"]
    list_filter = ["compliance", "is_public"]
    search_fields = ["text", "institution__name", "institution__acronym", "process__title"]
    date_hierarchy = "proposed_on"
    autocomplete_fields = ["process", "institution", "evaluation"]
    # Compliance is the latest follow-up's level: shown, never typed (edit the follow-ups).
    readonly_fields = ["compliance"]
    inlines = [FollowUpInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(follow_up_count=Count("follow_ups"))
            .order_by(*Recommendation._meta.ordering)
        )

    @admin.display(description=_("follow-ups"), ordering="follow_up_count")
    def follow_up_count(self, recommendation):
        return recommendation.follow_up_count


@admin.register(FollowUp)
class FollowUpAdmin(HistoryAdmin):
    list_display = ["checked_on", "compliance", "recommendation", "institution"]
    list_select_related = ["recommendation__institution"]
    list_filter = ["compliance"]
    search_fields = ["recommendation__text", "recommendation__institution__name", "notes"]
    date_hierarchy = "checked_on"
    autocomplete_fields = ["recommendation"]

    @admin.display(description=_("institution"), ordering="recommendation__institution__name")
    def institution(self, follow_up):
        return follow_up.recommendation.institution


@admin.register(Commitment)
class CommitmentAdmin(HistoryAdmin):
    list_display = ["__str__", "meeting", "who", "due_on", "status", "closed_on"]
    list_select_related = ["meeting__institution", "meeting__ally"]
    list_filter = ["status", "who"]
    search_fields = ["text", "closing_note", "meeting__institution__name", "meeting__ally__name"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["meeting"]
