from django.utils.translation import gettext_lazy as _

from oppms.views import RecordDetailView, RecordListView

from ..filters import MeetingFilter
from ..forms import MeetingForm, MeetingMinutesForm
from ..models import Meeting
from ..resources import MeetingResource
from .common import CreateView, UpdateView


def keeps_only_minutes(user):
    """Whether ``user`` changes meetings without logging them, as Secretaría does.

    Logging a meeting sets its date, counterpart and purpose; whoever may not log one may not
    change those either, and edits only what the minutes record (Meeting.MINUTES_FIELDS).
    """
    return not user.has_perm("observance.add_meeting")


class MeetingListView(RecordListView):
    model = Meeting
    filterset_class = MeetingFilter
    export_resource_class = MeetingResource
    queryset = Meeting.objects.select_related("institution", "ally", "process")


class MeetingDetailView(RecordDetailView):
    model = Meeting
    queryset = Meeting.objects.select_related(
        "institution", "ally", "process__policy"
    ).prefetch_related("team_members")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes_only"] = keeps_only_minutes(self.request.user)
        return context


class MeetingCreateView(CreateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "observance/meeting_form.html"
    offer_add_another = True

    def get_success_message(self):
        return _("The meeting “%(record)s” was logged.") % {"record": self.object}


class MeetingUpdateView(UpdateView):
    """The whole meeting for those who log meetings; only its minutes for the secretaria."""

    model = Meeting
    template_name = "observance/meeting_form.html"

    def get_queryset(self):
        return Meeting.objects.select_related("institution", "ally", "process")

    def get_form_class(self):
        return MeetingMinutesForm if keeps_only_minutes(self.request.user) else MeetingForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes_only"] = keeps_only_minutes(self.request.user)
        return context
