"""The observatory's own profile and team, kept by the secretaria."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import ListView, TemplateView

from ..forms import ObservatoryProfileForm, TeamMemberForm
from ..models import ObservatoryProfile, TeamMember
from .common import CreateView, UpdateView


class ProfileView(PermissionRequiredMixin, TemplateView):
    permission_required = "observance.view_observatoryprofile"
    template_name = "observance/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = ObservatoryProfile.load()
        context["can_change"] = self.request.user.has_perm("observance.change_observatoryprofile")
        context["team_count"] = TeamMember.objects.filter(ended_on__isnull=True).count()
        return context


class ProfileUpdateView(UpdateView):
    """Edits the one profile record, creating it the first time."""

    model = ObservatoryProfile
    form_class = ObservatoryProfileForm

    def get_permission_required(self):
        required = ["observance.change_observatoryprofile"]
        if ObservatoryProfile.load() is None:
            required.append("observance.add_observatoryprofile")
        return required

    def get_object(self, queryset=None):
        return ObservatoryProfile.load() or ObservatoryProfile()


class TeamView(PermissionRequiredMixin, ListView):
    permission_required = "observance.view_teammember"
    model = TeamMember
    template_name = "observance/team.html"
    context_object_name = "members"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("observance.add_teammember")
        context["can_change"] = self.request.user.has_perm("observance.change_teammember")
        return context


class TeamMemberCreateView(CreateView):
    model = TeamMember
    form_class = TeamMemberForm
    offer_add_another = True


class TeamMemberUpdateView(UpdateView):
    model = TeamMember
    form_class = TeamMemberForm
