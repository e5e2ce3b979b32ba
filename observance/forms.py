"""Forms of the observance pages: one per record, plus the actions on requests, steps and
recommendations."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from institutions.models import ResponsibilityArea
from oppms.forms import (
    ConstraintErrorsOnFieldsMixin,
    DateInput,
    DateTimeInput,
    ModelMultipleChoiceField,
    PlausibleDatesMixin,
    make_searchable,
)
from oppms.protection import deletion_refusal
from oppms.uploads import validate_document

from .dates import date_refusal
from .models import (
    Commitment,
    Evaluation,
    FollowUp,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    Publication,
    PublicPolicy,
    Recommendation,
    RequestEvent,
    TeamMember,
)

FILE_AGAIN = _("Your browser cannot send a file again after an error: choose the file once more.")


def capitalise_labels(form):
    """Plain forms show labels as written; model forms capitalise them. Keep both alike."""
    for field in form.fields.values():
        field.label = capfirst(field.label)


class FileAgainMixin:
    """After an error the browser cannot re-send a file: say so next to the file field."""

    file_fields = ()

    def _post_clean(self):
        super()._post_clean()
        for name in self.file_fields:
            if name in self.errors and FILE_AGAIN not in self.errors[name]:
                self.errors[name].append(FILE_AGAIN)

    def lost_files(self):
        """The files that were sent with a form that failed: they must be chosen again."""
        return [
            self[name]
            for name in self.file_fields
            if self.is_bound and self.errors and self.files.get(self.add_prefix(name))
        ]


class CommitmentRowForm(PlausibleDatesMixin, forms.ModelForm):
    """One commitment of a meeting, as a row of the meeting's own form."""

    class Meta:
        model = Commitment
        fields = ["text", "who", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}


class BaseCommitmentFormSet(forms.BaseInlineFormSet):
    """The commitments of a meeting, saved with it or not at all.

    A row left empty is ignored; a row cannot fall due before its meeting, and a commitment
    a finalized report counts cannot be removed (the reason shows on its row).
    """

    def clean(self):
        super().clean()
        held_at = getattr(self.instance, "held_at", None)
        meeting_day = (
            timezone.localdate(held_at) if isinstance(held_at, datetime.datetime) else None
        )
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk is not None:
                    reason = deletion_refusal(form.instance)
                    if reason:
                        form.add_error(
                            None,
                            ValidationError(
                                _("This commitment cannot be removed. %(reason)s")
                                % {"reason": reason},
                                code="kept",
                            ),
                        )
                continue
            due_on = form.cleaned_data.get("due_on") if hasattr(form, "cleaned_data") else None
            if meeting_day and due_on and due_on < meeting_day:
                form.add_error(
                    "due_on",
                    ValidationError(
                        _("A commitment cannot fall due before its meeting (%(day)s).")
                        % {"day": meeting_day.strftime("%d/%m/%Y")},
                        code="due_before_meeting",
                    ),
                )


CommitmentFormSet = forms.inlineformset_factory(
    Meeting,
    Commitment,
    form=CommitmentRowForm,
    formset=BaseCommitmentFormSet,
    extra=1,
    can_delete=True,
)


class CommitmentCloseForm(PlausibleDatesMixin, ConstraintErrorsOnFieldsMixin, forms.ModelForm):
    """Close a commitment: done or cancelled, on a day from its meeting to today, and why."""

    constraint_fields = {"observance_commitment_closed_has_date_and_note": "closing_note"}

    class Meta:
        model = Commitment
        fields = ["status", "closed_on", "closing_note"]
        widgets = {
            "status": forms.RadioSelect,
            "closed_on": DateInput(),
            "closing_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        status.choices = [
            choice for choice in Commitment.Status.choices if choice[0] != Commitment.Status.PENDING
        ]
        self.fields["closed_on"].required = True
        self.fields["closing_note"].required = True
        if not self.is_bound and self.instance.status == Commitment.Status.PENDING:
            self.initial["status"] = Commitment.Status.DONE
            self.initial.setdefault("closed_on", timezone.localdate())

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        meeting_day = timezone.localdate(self.instance.meeting.held_at)
        if closed_on < meeting_day:
            raise ValidationError(
                _("A commitment cannot be closed before its meeting (%(day)s).")
                % {"day": meeting_day.strftime("%d/%m/%Y")},
                code="closed_before_meeting",
            )
        if closed_on > timezone.localdate():
            raise ValidationError(
                _("A commitment cannot be closed on a day still to come."), code="future"
            )
        return closed_on


class WithCommitmentsMixin:
    """A meeting form that carries its commitments' formset (``commitments``), set by the view.

    The meeting is valid only when every row is, and saving it saves the rows in the same
    transaction: the minutes and their commitments are one save.
    """

    commitments = None

    def is_valid(self):
        meeting_valid = super().is_valid()  # first: the rows compare with its date
        rows_valid = self.commitments is None or self.commitments.is_valid()
        return meeting_valid and rows_valid

    def save(self, commit=True):
        if not commit or self.commitments is None:
            return super().save(commit)
        with transaction.atomic():
            meeting = super().save(commit)
            self.commitments.instance = meeting
            self.commitments.save()
        return meeting


class MeetingForm(
    WithCommitmentsMixin,
    PlausibleDatesMixin,
    FileAgainMixin,
    ConstraintErrorsOnFieldsMixin,
    forms.ModelForm,
):
    file_fields = ("minutes",)
    constraint_fields = {"observance_meeting_has_counterpart": "institution"}

    class Meta:
        model = Meeting
        # What every meeting needs first (templates/observance/meeting_form.html lays them out
        # in this order too), so that errors are listed in the order of the page.
        fields = [
            "held_at",
            "modality",
            "institution",
            "ally",
            "purpose",
            "process",
            "place",
            "link",
            "team_members",
            "cpccs_companion",
            "other_attendees",
            "outcomes",
            "minutes",
        ]
        field_classes = {"team_members": ModelMultipleChoiceField}
        widgets = {
            "held_at": DateTimeInput(),
            "modality": forms.RadioSelect,
            "team_members": forms.CheckboxSelectMultiple,
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modality"].choices = Meeting.Modality.choices
        self.fields["process"].queryset = ObservanceProcess.objects.filter(closed_on__isnull=True)
        if self.instance.process_id:
            self.fields["process"].queryset = ObservanceProcess.objects.filter(
                closed_on__isnull=True
            ) | ObservanceProcess.objects.filter(pk=self.instance.process_id)
        today = timezone.localdate()
        current = TeamMember.objects.filter(ended_on__isnull=True) | TeamMember.objects.filter(
            ended_on__gte=today
        )
        if self.instance.pk:
            current = current | TeamMember.objects.filter(meetings=self.instance)
        self.fields["team_members"].queryset = current.distinct()
        # Neither is required alone, but one of them is: said before saving, not after.
        self.fields["institution"].help_text = _("A meeting needs an institution or an ally.")
        make_searchable(self, "institution", "institutions:institution-search")
        make_searchable(self, "ally", "allies:ally-search")
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("held_at", timezone.localtime().replace(second=0))


class MeetingMinutesForm(WithCommitmentsMixin, FileAgainMixin, forms.ModelForm):
    """The minutes of a meeting already logged, and only them: what the secretaria keeps."""

    file_fields = ("minutes",)

    class Meta(MeetingForm.Meta):
        fields = Meeting.MINUTES_FIELDS


class InformationRequestForm(PlausibleDatesMixin, FileAgainMixin, forms.ModelForm):
    file_fields = ("request_file",)

    class Meta:
        model = InformationRequest
        fields = [
            "institution",
            "process",
            "subject",
            "reference",
            "sent_on",
            "channel",
            "request_file",
        ]
        widgets = {"sent_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make_searchable(self, "institution", "institutions:institution-search")


class InformationRequestUpdateForm(InformationRequestForm):
    """Editing adds the areas, from the request's own institution; events change the state."""

    class Meta(InformationRequestForm.Meta):
        fields = [*InformationRequestForm.Meta.fields, "areas", "response_summary"]
        field_classes = {"areas": ModelMultipleChoiceField}
        widgets = {**InformationRequestForm.Meta.widgets, "areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = ResponsibilityArea.objects.filter(
            institution_id=self.instance.institution_id
        )

    def clean(self):
        cleaned = super().clean()
        institution = cleaned.get("institution")
        areas = cleaned.get("areas")
        if institution and areas and any(a.institution_id != institution.pk for a in areas):
            self.add_error(
                "areas",
                ValidationError(
                    _("Choose areas of the request's institution."), code="foreign_area"
                ),
            )
        return cleaned


class RequestEventForm(PlausibleDatesMixin, forms.Form):
    """One event of a request's timeline; the kind is fixed by the form it is sent from.

    Each kind has its own form on the request's page, prefixed with the kind so that their
    fields do not share ids.
    """

    occurred_on = forms.DateField(label=_("date"), widget=DateInput())
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # A plain form runs no model validators: the document check is given here.
    response_file = InformationRequest._meta.get_field("response_file").formfield(
        validators=[validate_document]
    )

    ANSWERS = {
        RequestEvent.Kind.ANSWERED_FULLY,
        RequestEvent.Kind.ANSWERED_PARTLY,
        RequestEvent.Kind.REFUSED,
    }

    # A step of the escalation ladder is filed with its document.
    document = RequestEvent._meta.get_field("document").formfield(validators=[validate_document])

    def __init__(self, *args, kind, **kwargs):
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        if not self.is_bound:
            self.initial["occurred_on"] = timezone.localdate()
        if kind not in self.ANSWERS:
            del self.fields["response_file"]
        if kind in RequestEvent.LADDER:
            self.fields["occurred_on"].label = _("date filed")
        else:
            del self.fields["document"]
        capitalise_labels(self)

    @property
    def title(self):
        return RequestEvent.Kind(self.kind).label

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        refusal = date_refusal(RequestEvent, "occurred_on", occurred_on)
        if refusal is not None:
            raise refusal
        return occurred_on

    @property
    def is_ladder_step(self):
        return self.kind in RequestEvent.LADDER

    def _post_clean(self):
        super()._post_clean()
        for name in ("response_file", "document"):
            if name in self.errors and FILE_AGAIN not in self.errors[name]:
                self.errors[name].append(FILE_AGAIN)


class EscalationOutcomeForm(PlausibleDatesMixin, forms.Form):
    """What came of a step of the escalation ladder, and when; recorded on the request's page."""

    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("", "---------")]
        + [(value, label) for value, label in RequestEvent.Outcome.choices if value != "pending"],
    )
    outcome_on = forms.DateField(label=_("outcome date"), widget=DateInput())
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, event, **kwargs):
        kwargs.setdefault("prefix", "outcome")
        super().__init__(*args, **kwargs)
        self.event = event
        capitalise_labels(self)
        if not self.is_bound:
            self.initial["outcome_on"] = timezone.localdate()


class PublicPolicyForm(forms.ModelForm):
    class Meta:
        model = PublicPolicy
        fields = ["name", "group", "description", "legal_basis"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }


class ObservanceProcessForm(PlausibleDatesMixin, ConstraintErrorsOnFieldsMixin, forms.ModelForm):
    constraint_fields = {"observance_process_closes_after_start": "closed_on"}

    class Meta:
        model = ObservanceProcess
        fields = ["policy", "title", "institutions", "started_on", "closed_on", "notes"]
        field_classes = {"institutions": ModelMultipleChoiceField}
        widgets = {
            "started_on": DateInput(),
            "closed_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make_searchable(self, "institutions", "institutions:institution-search")


class StepActionForm(PlausibleDatesMixin, forms.Form):
    """Start or complete one step of a process, on a date (today unless told)."""

    on = forms.DateField(label=_("date"), widget=DateInput())
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, step=None, action="start", **kwargs):
        kwargs.setdefault("prefix", f"step{step.step}" if step else None)
        super().__init__(*args, **kwargs)
        self.step = step
        self.action = action
        capitalise_labels(self)
        if not self.is_bound:
            self.initial["on"] = timezone.localdate()
            if step is not None:
                self.initial["notes"] = step.notes

    def clean_on(self):
        on = self.cleaned_data["on"]
        field = "started_on" if self.action == "start" else "completed_on"
        refusal = date_refusal(ProcessStep, field, on)
        if refusal is not None:
            raise refusal
        return on

    def clean(self):
        cleaned = super().clean()
        on = cleaned.get("on")
        step = self.step
        if on is None or step is None:
            return cleaned
        if self.action == "start" and step.status != ProcessStep.Status.PENDING:
            raise ValidationError(_("This step has already started."), code="already_started")
        if self.action == "complete":
            if step.status == ProcessStep.Status.DONE:
                raise ValidationError(_("This step is already done."), code="already_done")
            if step.started_on and on < step.started_on:
                self.add_error(
                    "on",
                    ValidationError(
                        _("A step cannot be completed before it starts (%(date)s)."),
                        code="completed_before_start",
                        params={"date": step.started_on.strftime("%d/%m/%Y")},
                    ),
                )
        return cleaned

    def apply(self):
        step = self.step
        on = self.cleaned_data["on"]
        if self.cleaned_data.get("notes"):
            step.notes = self.cleaned_data["notes"]
        if self.action == "start":
            step.status = ProcessStep.Status.IN_PROGRESS
            step.started_on = on
        else:
            step.status = ProcessStep.Status.DONE
            step.started_on = step.started_on or on
            step.completed_on = on
        step.full_clean()
        step.save()
        return step


class EvaluationForm(PlausibleDatesMixin, FileAgainMixin, forms.ModelForm):
    file_fields = ("document",)

    class Meta:
        model = Evaluation
        fields = [
            "process",
            "institutions",
            "information_requests",
            "title",
            "evaluated_on",
            "rating",
            "findings",
            "allies_feedback",
            "document",
        ]
        field_classes = {
            "institutions": ModelMultipleChoiceField,
            "information_requests": ModelMultipleChoiceField,
        }
        widgets = {
            "evaluated_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "allies_feedback": forms.Textarea(attrs={"rows": 3}),
            "information_requests": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make_searchable(self, "institutions", "institutions:institution-search")
        # Only the requests of the evaluated process: known once the evaluation exists.
        if self.instance.pk:
            self.fields["information_requests"].queryset = InformationRequest.objects.filter(
                process_id=self.instance.process_id
            )
        else:
            del self.fields["information_requests"]


class PublicationForm(PlausibleDatesMixin, FileAgainMixin, forms.ModelForm):
    file_fields = ("document",)

    class Meta:
        model = Publication
        fields = [
            "process",
            "evaluation",
            "institutions",
            "kind",
            "title",
            "published_on",
            "url",
            "place",
            "attendees",
            "summary",
            "document",
            "is_public",
        ]
        field_classes = {"institutions": ModelMultipleChoiceField}
        widgets = {"published_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = Evaluation.objects.select_related("process")
        make_searchable(self, "institutions", "institutions:institution-search")

    def clean(self):
        cleaned = super().clean()
        process, evaluation = cleaned.get("process"), cleaned.get("evaluation")
        if process and evaluation and evaluation.process_id != process.pk:
            self.add_error(
                "evaluation",
                ValidationError(
                    _("The evaluation belongs to another process."), code="other_process"
                ),
            )
        return cleaned


class RecommendationForm(PlausibleDatesMixin, ConstraintErrorsOnFieldsMixin, forms.ModelForm):
    constraint_fields = {"observance_recommendation_due_after_proposed": "due_on"}

    class Meta:
        model = Recommendation
        fields = [
            "process",
            "institution",
            "evaluation",
            "text",
            "proposed_on",
            "due_on",
            "is_public",
        ]
        widgets = {
            "proposed_on": DateInput(),
            "due_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = Evaluation.objects.select_related("process")
        make_searchable(self, "institution", "institutions:institution-search")


class FollowUpForm(PlausibleDatesMixin, FileAgainMixin, forms.ModelForm):
    """A new follow-up of one recommendation; its date rules live on the model (FollowUp.clean),
    so the admin keeps them too."""

    file_fields = ("evidence",)

    class Meta:
        model = FollowUp
        fields = ["checked_on", "compliance", "notes", "evidence"]
        widgets = {"checked_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.recommendation = recommendation
        if not self.is_bound:
            self.initial.setdefault("checked_on", timezone.localdate())
            self.initial.setdefault("compliance", recommendation.compliance)


class ObservatoryProfileForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = ObservatoryProfile
        fields = [
            "name",
            "acronym",
            "constituted_on",
            "constitution_act",
            "cpccs_registration",
            "endorsement",
            "definition",
            "object",
            "interest_groups",
            "scope",
            "strategy",
            "mission",
            "vision",
            "objectives",
            "lines_of_execution",
            "constitution_bases",
            "legal_framework",
            "observance_scheme",
            "linkage_results",
            "academia_rationale",
            "academia_roles",
            "academia_purposes",
            "academia_results",
        ]
        widgets = {"constituted_on": DateInput()} | {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "definition",
                "object",
                "interest_groups",
                "scope",
                "strategy",
                "mission",
                "vision",
                "objectives",
                "lines_of_execution",
                "constitution_bases",
                "legal_framework",
                "observance_scheme",
                "linkage_results",
                "academia_rationale",
                "academia_roles",
                "academia_purposes",
                "academia_results",
            ]
        }


class TeamMemberForm(PlausibleDatesMixin, ConstraintErrorsOnFieldsMixin, forms.ModelForm):
    constraint_fields = {"observance_teammember_ends_after_start": "ended_on"}

    class Meta:
        model = TeamMember
        fields = ["name", "role_title", "started_on", "ended_on", "order"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}
