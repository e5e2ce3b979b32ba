"""Steps 5 to 7: technical evaluations, publications and recommendations with follow-ups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oppms.submissions import submission_token, submit_once
from oppms.views import RecordDetailView, RecordListView

from ..filters import EvaluationFilter, PublicationFilter, RecommendationFilter
from ..forms import EvaluationForm, FollowUpForm, PublicationForm, RecommendationForm
from ..models import Evaluation, Publication, Recommendation
from ..resources import EvaluationResource, PublicationResource, RecommendationResource
from .common import CreateView, UpdateView, render_detail


class EvaluationListView(RecordListView):
    model = Evaluation
    filterset_class = EvaluationFilter
    export_resource_class = EvaluationResource
    queryset = Evaluation.objects.select_related("process").prefetch_related("institutions")


class EvaluationDetailView(RecordDetailView):
    model = Evaluation
    queryset = Evaluation.objects.select_related("process__policy").prefetch_related(
        "institutions", "information_requests__institution", "publications", "recommendations"
    )


class EvaluationCreateView(CreateView):
    model = Evaluation
    form_class = EvaluationForm


class EvaluationUpdateView(UpdateView):
    model = Evaluation
    form_class = EvaluationForm


class PublicationListView(RecordListView):
    model = Publication
    filterset_class = PublicationFilter
    export_resource_class = PublicationResource
    queryset = Publication.objects.select_related("process", "evaluation").prefetch_related(
        "institutions"
    )


class PublicationDetailView(RecordDetailView):
    model = Publication
    queryset = Publication.objects.select_related("process__policy", "evaluation").prefetch_related(
        "institutions"
    )


class PublicationCreateView(CreateView):
    model = Publication
    form_class = PublicationForm


class PublicationUpdateView(UpdateView):
    model = Publication
    form_class = PublicationForm


class RecommendationListView(RecordListView):
    model = Recommendation
    filterset_class = RecommendationFilter
    export_resource_class = RecommendationResource

    def get_queryset(self):
        return Recommendation.objects.select_related("process", "institution").marking_overdue()


class RecommendationDetailView(RecordDetailView):
    model = Recommendation

    def get_queryset(self):
        return Recommendation.objects.select_related(
            "process__policy", "institution", "evaluation"
        ).marking_overdue()

    def get_context_data(self, follow_up_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        # The timeline: the latest first, as the compliance shown above it is the latest's.
        context["follow_ups"] = self.object.follow_ups.order_by("-checked_on", "-pk")
        context["can_follow_up"] = self.request.user.has_perm("observance.add_followup")
        if context["can_follow_up"]:
            context["follow_up_form"] = follow_up_form or FollowUpForm(recommendation=self.object)
            context["submission_token"] = submission_token(self.request)
        return context


class RecommendationCreateView(CreateView):
    model = Recommendation
    form_class = RecommendationForm


class RecommendationUpdateView(UpdateView):
    model = Recommendation
    form_class = RecommendationForm


@login_required
@permission_required("observance.add_followup", raise_exception=True)
@require_POST
def recommendation_follow_up(request, pk):
    """Record how the institution is acting on a recommendation; its compliance follows."""
    recommendation = get_object_or_404(Recommendation, pk=pk)
    return submit_once(request, lambda: _record_follow_up(request, recommendation))


def _record_follow_up(request, recommendation):
    """The answer to a posted follow-up, and the recommendation's address when it was saved."""
    form = FollowUpForm(request.POST, request.FILES, recommendation=recommendation)
    if form.is_valid():
        # Saving the follow-up brings the recommendation's compliance along, in its transaction.
        with transaction.atomic():
            form.save()
        messages.success(request, _("Follow-up recorded."))
        return redirect(recommendation), recommendation.get_absolute_url()
    fresh = RecommendationDetailView().get_queryset().get(pk=recommendation.pk)
    return render_detail(request, RecommendationDetailView, fresh, follow_up_form=form), None
