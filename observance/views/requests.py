"""Information requests and their LOTAIP timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oppms.submissions import submission_token, submit_once
from oppms.views import RecordDetailView, RecordListView

from ..escalation import Ladder
from ..filters import InformationRequestFilter
from ..forms import (
    EscalationOutcomeForm,
    InformationRequestForm,
    InformationRequestUpdateForm,
    RequestEventForm,
)
from ..models import InformationRequest, RequestEvent
from ..resources import InformationRequestResource
from ..services import (
    escalation_outcome_record,
    ladder_current,
    ladder_next_step,
    ladder_steps,
    request_escalate,
    request_event_record,
)
from .common import CreateView, UpdateView, render_detail


def event_kinds(information_request):
    """The events that can still happen to a request, in the order they usually do."""
    kinds = []
    if information_request.answered_on is None:
        if information_request.extension_notified_on is None:
            kinds.append(RequestEvent.Kind.EXTENSION)
        kinds += [
            RequestEvent.Kind.ANSWERED_FULLY,
            RequestEvent.Kind.ANSWERED_PARTLY,
            RequestEvent.Kind.REFUSED,
        ]
    return kinds


def ladder_rows(steps, next_step):
    """Each step of the escalation ladder as the request's page shows it."""
    current = ladder_current(steps)
    rows = []
    for step in Ladder:
        event = steps.get(step)
        if event is not None:
            state = "current" if event is current else "done"
        elif step == next_step:
            state = "next"
        else:
            state = "later"
        rows.append({"step": step, "event": event, "state": state})
    return rows


class InformationRequestListView(RecordListView):
    model = InformationRequest
    filterset_class = InformationRequestFilter
    export_resource_class = InformationRequestResource

    def get_queryset(self):
        return (
            InformationRequest.objects.select_related("institution", "process")
            .needing_action_first()
            .with_ladder_step()
        )


class InformationRequestDetailView(RecordDetailView):
    model = InformationRequest
    queryset = InformationRequest.objects.select_related("institution", "process__policy")

    def get_context_data(self, bound_event_form=None, bound_outcome_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        events = list(record.events.select_related("recorded_by"))
        context["events"] = events
        context["areas"] = record.areas.all()
        context["deadline_lines"] = record.deadline_explanation()
        steps = ladder_steps(events)
        next_step, no_next_reason = ladder_next_step(record, steps)
        context["ladder"] = ladder_rows(steps, next_step)
        context["ladder_current"] = ladder_current(steps)
        context["ladder_next_reason"] = no_next_reason if steps else None
        context["can_record_events"] = self.request.user.has_perm("observance.add_requestevent")
        context["can_record_outcome"] = self.request.user.has_perm("observance.change_requestevent")
        current = context["ladder_current"]
        if context["can_record_outcome"] and current is not None and current.awaits_answer:
            context["outcome_form"] = bound_outcome_form or EscalationOutcomeForm(event=current)
        if context["can_record_events"]:
            # The ladder offers only its next step; a step posted keeps its form, with its
            # errors or the reason it was refused.
            posted_step = bound_event_form is not None and bound_event_form.is_ladder_step
            context["ladder_form"] = None
            if posted_step:
                context["ladder_form"] = bound_event_form
            elif next_step is not None:
                context["ladder_form"] = RequestEventForm(kind=RequestEvent.KIND_OF_STEP[next_step])
            kinds = event_kinds(record)
            if bound_event_form is not None and not posted_step:
                if bound_event_form.kind not in kinds:
                    kinds.append(bound_event_form.kind)
            forms = []
            for kind in kinds:
                if bound_event_form is not None and bound_event_form.kind == kind:
                    forms.append(bound_event_form)
                else:
                    forms.append(RequestEventForm(kind=kind))
            context["event_forms"] = forms
            context["failed_kind"] = bound_event_form.kind if bound_event_form else None
        if context["can_record_events"] or "outcome_form" in context:
            context["submission_token"] = submission_token(self.request)
        return context


class InformationRequestCreateView(CreateView):
    model = InformationRequest
    form_class = InformationRequestForm
    offer_add_another = True


class InformationRequestUpdateView(UpdateView):
    model = InformationRequest
    form_class = InformationRequestUpdateForm


@login_required
@permission_required("observance.add_requestevent", raise_exception=True)
@require_POST
def request_event_create(request, pk):
    """Record one event (extension, answer, refusal...) on a request's timeline."""
    record = get_object_or_404(InformationRequest, pk=pk)
    kind = request.POST.get("kind", "")
    if kind not in RequestEvent.Kind.values or kind == RequestEvent.Kind.SENT:
        messages.error(request, _("Choose an event to record."))
        return redirect(record)
    return submit_once(request, lambda: _record_event(request, record, kind))


def _record_event(request, record, kind):
    """The answer to a posted event, and the request's address when the event was recorded."""
    form = RequestEventForm(request.POST, request.FILES, kind=kind)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("response_file"):
            record.response_file = data["response_file"]
        try:
            if kind in RequestEvent.LADDER:
                request_escalate(
                    request=record,
                    kind=kind,
                    occurred_on=data["occurred_on"],
                    document=data.get("document"),
                    notes=data["notes"],
                    user=request.user,
                )
            else:
                request_event_record(
                    request=record,
                    kind=kind,
                    occurred_on=data["occurred_on"],
                    notes=data["notes"],
                    user=request.user,
                )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("“%(event)s” recorded.") % {"event": RequestEvent.Kind(kind).label}
            )
            return redirect(record), record.get_absolute_url()
    fresh = InformationRequestDetailView.queryset.get(pk=record.pk)
    return render_detail(request, InformationRequestDetailView, fresh, bound_event_form=form), None


@login_required
@permission_required("observance.change_requestevent", raise_exception=True)
@require_POST
def escalation_outcome_create(request, pk, requestevent_pk):
    """Record what came of the ladder step a request awaits an answer to."""
    record = get_object_or_404(InformationRequest, pk=pk)
    event = get_object_or_404(RequestEvent, pk=requestevent_pk, request=record)
    if not event.is_ladder_step:
        raise Http404
    return submit_once(request, lambda: _record_outcome(request, record, event))


def _record_outcome(request, record, event):
    form = EscalationOutcomeForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        try:
            escalation_outcome_record(
                event=event,
                outcome=data["outcome"],
                outcome_on=data["outcome_on"],
                notes=data["notes"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("“%(outcome)s” recorded for “%(step)s”.")
                % {
                    "outcome": RequestEvent.Outcome(data["outcome"]).label,
                    "step": event.get_kind_display(),
                },
            )
            return redirect(record), record.get_absolute_url()
    fresh = InformationRequestDetailView.queryset.get(pk=record.pk)
    return render_detail(
        request, InformationRequestDetailView, fresh, bound_outcome_form=form
    ), None
