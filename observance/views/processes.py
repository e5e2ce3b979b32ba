"""Public policies and the observance processes that follow them through the seven steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from institutions.models import ResponsibilityArea
from oppms.views import RecordDetailView, RecordListView

from ..filters import ObservanceProcessFilter, PublicPolicyFilter
from ..forms import ObservanceProcessForm, PublicPolicyForm, StepActionForm
from ..models import ObservanceProcess, ProcessStep, PublicPolicy, Step
from ..resources import ObservanceProcessResource, PublicPolicyResource
from .common import CreateView, UpdateView, render_detail


class PublicPolicyListView(RecordListView):
    model = PublicPolicy
    filterset_class = PublicPolicyFilter
    export_resource_class = PublicPolicyResource
    queryset = PublicPolicy.objects.annotate(process_count=Count("processes")).order_by("name")


class PublicPolicyDetailView(RecordDetailView):
    model = PublicPolicy

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["processes"] = self.object.processes.prefetch_related("steps")
        return context


class PublicPolicyCreateView(CreateView):
    model = PublicPolicy
    form_class = PublicPolicyForm


class PublicPolicyUpdateView(UpdateView):
    model = PublicPolicy
    form_class = PublicPolicyForm


class ObservanceProcessListView(RecordListView):
    model = ObservanceProcess
    filterset_class = ObservanceProcessFilter
    export_resource_class = ObservanceProcessResource
    queryset = ObservanceProcess.objects.select_related("policy").prefetch_related("steps")


class ObservanceProcessDetailView(RecordDetailView):
    model = ObservanceProcess
    queryset = ObservanceProcess.objects.select_related("policy")

    def get_context_data(self, step_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        process = self.object
        institutions = list(process.institutions.all())
        evidence = {
            Step.INSTITUTIONS: institutions,
            Step.LINKAGE: list(process.meetings.select_related("institution", "ally")),
            Step.AREAS: list(
                ResponsibilityArea.objects.filter(institution__in=institutions).select_related(
                    "institution"
                )
            ),
            Step.INFORMATION_REQUEST: list(
                process.information_requests.select_related("institution")
            ),
            Step.EVALUATION: list(process.evaluations.all()),
            Step.PUBLICATION: list(process.publications.all()),
            Step.SOLUTIONS: list(
                process.recommendations.select_related("institution").marking_overdue()
            ),
        }
        can_change = self.request.user.has_perm("observance.change_processstep")
        rows = []
        for step in process.steps.all():
            row = {"step": step, "evidence": evidence.get(step.step, []), "form": None}
            if can_change and step.status != ProcessStep.Status.DONE:
                action = "start" if step.status == ProcessStep.Status.PENDING else "complete"
                if step_form is not None and step_form.step.pk == step.pk:
                    row["form"] = step_form
                else:
                    row["form"] = StepActionForm(step=step, action=action)
            rows.append(row)
        context["rows"] = rows
        context["can_change_steps"] = can_change
        return context


class ObservanceProcessCreateView(CreateView):
    model = ObservanceProcess
    form_class = ObservanceProcessForm


class ObservanceProcessUpdateView(UpdateView):
    model = ObservanceProcess
    form_class = ObservanceProcessForm


@login_required
@permission_required("observance.change_processstep", raise_exception=True)
@require_POST
def process_step_action(request, pk, step, action):
    """Start or complete one of a process's seven steps."""
    if action not in {"start", "complete"}:
        raise Http404
    process_step = get_object_or_404(
        ProcessStep.objects.select_related("process"), process_id=pk, step=step
    )
    form = StepActionForm(request.POST, step=process_step, action=action)
    if form.is_valid():
        try:
            form.apply()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = (
                _("Step %(number)d started.") if action == "start" else _("Step %(number)d done.")
            )
            messages.success(request, message % {"number": process_step.step})
            return redirect(process_step.process)
    process_step.refresh_from_db()
    process = ObservanceProcessDetailView.queryset.get(pk=pk)
    return render_detail(request, ObservanceProcessDetailView, process, step_form=form)
