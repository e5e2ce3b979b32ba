from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppms.views import RecordDetailView, RecordListView

from ..filters import CommitmentFilter, MeetingFilter
from ..forms import CommitmentCloseForm, CommitmentFormSet, MeetingForm, MeetingMinutesForm
from ..models import Commitment, Meeting
from ..resources import MeetingResource
from .common import CreateView, UpdateView


def keeps_only_minutes(user):
    """Whether ``user`` changes meetings without logging them, as Secretaría does.

    Logging a meeting sets its date, counterpart and purpose; whoever may not log one may not
    change those either, and edits only what the minutes record (Meeting.MINUTES_FIELDS).
    """
    return not user.has_perm("observance.add_meeting")


class CommitmentRowsMixin:
    """The meeting's form carries its commitments' rows: shown, validated and saved with it.

    A post without the rows at all (a script, a form cached from before commitments were
    items) saves the meeting and leaves its commitments as they are.
    """

    commitments_prefix = "commitments"

    def commitment_rows(self, instance, data=None):
        return CommitmentFormSet(
            data=data,
            instance=instance,
            prefix=self.commitments_prefix,
            queryset=Commitment.objects.order_by("pk"),
        )

    def keeps_commitments(self):
        user = self.request.user
        return all(user.has_perm(f"observance.{action}_commitment") for action in ("add", "change"))

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        data = self.request.POST if self.request.method == "POST" else None
        sent = data is None or f"{self.commitments_prefix}-TOTAL_FORMS" in data
        if sent and self.keeps_commitments():
            form.commitments = self.commitment_rows(form.instance, data)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if self.keeps_commitments():
            context["commitments"] = form.commitments or self.commitment_rows(form.instance)
        return context


class MeetingListView(RecordListView):
    model = Meeting
    filterset_class = MeetingFilter
    export_resource_class = MeetingResource
    queryset = Meeting.objects.select_related("institution", "ally", "process")


class MeetingDetailView(RecordDetailView):
    model = Meeting
    queryset = Meeting.objects.select_related(
        "institution", "ally", "process__policy"
    ).prefetch_related("team_members", "commitments")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes_only"] = keeps_only_minutes(self.request.user)
        return context


class MeetingCreateView(CommitmentRowsMixin, CreateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "observance/meeting_form.html"
    offer_add_another = True

    def get_success_message(self):
        return _("The meeting “%(record)s” was logged.") % {"record": self.object}


class MeetingUpdateView(CommitmentRowsMixin, UpdateView):
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


class CommitmentListView(RecordListView):
    model = Commitment
    filterset_class = CommitmentFilter
    queryset = Commitment.objects.select_related("meeting__institution", "meeting__ally").order_by(
        F("due_on").asc(nulls_last=True), "-meeting__held_at", "pk"
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_close"] = self.request.user.has_perm("observance.change_commitment")
        context["today"] = timezone.localdate()
        return context


class CommitmentCloseView(UpdateView):
    """Close a commitment (done or cancelled) with its date and note; its history keeps it."""

    model = Commitment
    form_class = CommitmentCloseForm
    template_name = "observance/commitment_close.html"

    def get_queryset(self):
        return Commitment.objects.select_related("meeting__institution", "meeting__ally")

    def get_success_message(self):
        return _("The commitment “%(record)s” was closed.") % {"record": self.object}
