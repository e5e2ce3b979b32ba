"""Information requests and their LOTAIP timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oppms.submissions import submission_token, submit_once
from oppms.views import RecordDetailView, RecordListView

from ..filters import InformationRequestFilter
from ..forms import InformationRequestForm, InformationRequestUpdateForm, RequestEventForm
from ..models import InformationRequest, RequestEvent
from ..resources import InformationRequestResource
from ..services import request_event_record
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
    kinds += [RequestEvent.Kind.CORRECTION_ASKED, RequestEvent.Kind.DEFENSORIA]
    return kinds


class InformationRequestListView(RecordListView):
    model = InformationRequest
    filterset_class = InformationRequestFilter
    export_resource_class = InformationRequestResource

    def get_queryset(self):
        return InformationRequest.objects.select_related(
            "institution", "process"
        ).needing_action_first()


class InformationRequestDetailView(RecordDetailView):
    model = InformationRequest
    queryset = InformationRequest.objects.select_related("institution", "process__policy")

    def get_context_data(self, bound_event_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context["events"] = record.events.select_related("recorded_by")
        context["areas"] = record.areas.all()
        context["deadline_lines"] = record.deadline_explanation()
        context["can_record_events"] = self.request.user.has_perm("observance.add_requestevent")
        if context["can_record_events"]:
            kinds = event_kinds(record)
            if bound_event_form is not None and bound_event_form.kind not in kinds:
                kinds.append(bound_event_form.kind)
            forms = []
            for kind in kinds:
                if bound_event_form is not None and bound_event_form.kind == kind:
                    forms.append(bound_event_form)
                else:
                    forms.append(RequestEventForm(kind=kind))
            context["event_forms"] = forms
            context["failed_kind"] = bound_event_form.kind if bound_event_form else None
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
