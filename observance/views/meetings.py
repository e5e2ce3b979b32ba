from django.utils.translation import gettext_lazy as _

from oppms.views import RecordDetailView, RecordListView

from ..filters import MeetingFilter
from ..forms import MeetingForm
from ..models import Meeting
from .common import CreateView, UpdateView


class MeetingListView(RecordListView):
    model = Meeting
    filterset_class = MeetingFilter
    queryset = Meeting.objects.select_related("institution", "ally", "process")


class MeetingDetailView(RecordDetailView):
    model = Meeting
    queryset = Meeting.objects.select_related(
        "institution", "ally", "process__policy"
    ).prefetch_related("team_members")


class MeetingCreateView(CreateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "observance/meeting_form.html"
    offer_add_another = True

    def get_success_message(self):
        return _("The meeting “%(record)s” was logged.") % {"record": self.object}


class MeetingUpdateView(UpdateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "observance/meeting_form.html"
