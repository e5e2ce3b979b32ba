"""Pages of the mapped institutions, their contacts and areas of responsibility.

The institution's meetings, requests and recommendations live in ``observance``; they are read
here through the reverse relations only, so that this app imports no other app of ours.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import F, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from oppms.views import (
    RecordCreateView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
    list_url,
    row_count,
    search_response,
)

from .filters import InstitutionFilter
from .forms import ContactForm, InstitutionForm, ResponsibilityAreaForm
from .models import Contact, Institution, ResponsibilityArea
from .resources import InstitutionResource

LATEST_MEETINGS = 20
LATEST_COMMITMENTS = 20


def with_linkage(queryset):
    """Annotate each institution with how many meetings it had and when the last one was.

    Correlated subqueries rather than a join: the page's count stays a plain count, and only
    the rows shown are looked up, however many meetings there are. The last meeting is the
    first entry of the (institution, held_at) index read backwards, not the maximum of all of
    them: sorted by it, every institution is looked up, each in one step.
    """
    meeting_model = Institution._meta.get_field("meetings").related_model
    meetings = meeting_model.objects.filter(institution=OuterRef("pk"))
    last = meetings.order_by("-held_at").values("held_at")[:1]
    return queryset.annotate(meeting_count=row_count(meetings), last_met_at=Subquery(last))


class InstitutionListView(RecordListView):
    model = Institution
    filterset_class = InstitutionFilter
    export_resource_class = InstitutionResource

    def get_queryset(self):
        return with_linkage(Institution.objects.all()).order_by("name", "pk")


class InstitutionDetailView(RecordDetailView):
    model = Institution

    def get_queryset(self):
        return with_linkage(Institution.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        institution = self.object
        user = self.request.user
        context["contacts"] = institution.contacts.all()
        context["areas"] = institution.areas.all()
        context["can_add_contact"] = user.has_perm("institutions.add_contact")
        context["can_change_contact"] = user.has_perm("institutions.change_contact")
        context["can_add_area"] = user.has_perm("institutions.add_responsibilityarea")
        context["can_change_area"] = user.has_perm("institutions.change_responsibilityarea")
        if user.has_perm("observance.view_meeting"):
            context["meetings"] = institution.meetings.select_related("ally", "process").order_by(
                "-held_at"
            )[:LATEST_MEETINGS]
            context["all_meetings_url"] = list_url(
                "observance:meeting-list", institution=institution.pk
            )
        if user.has_perm("observance.view_commitment"):
            # Through the meetings' reverse relation: this app imports nothing of observance.
            meeting_model = Institution._meta.get_field("meetings").related_model
            commitment_model = meeting_model._meta.get_field("commitments").related_model
            context["commitments"] = (
                commitment_model.objects.filter(meeting__institution=institution)
                .select_related("meeting__institution", "meeting__ally")
                .order_by(
                    F("closed_on").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "-pk"
                )[:LATEST_COMMITMENTS]
            )
            context["all_commitments_url"] = list_url(
                "observance:commitment-list", institution=institution.pk
            )
        if user.has_perm("observance.view_informationrequest"):
            context["information_requests"] = institution.information_requests.select_related(
                "process"
            ).order_by("-sent_on", "-pk")
        if user.has_perm("observance.view_recommendation"):
            context["recommendations"] = (
                institution.recommendations.select_related("process")
                .marking_overdue()
                .order_by("-proposed_on", "-pk")
            )
        return context


class InstitutionCreateView(RecordCreateView):
    model = Institution
    form_class = InstitutionForm


class InstitutionUpdateView(RecordUpdateView):
    model = Institution
    form_class = InstitutionForm


class InstitutionPartCreateView(RecordCreateView):
    """Create a contact or an area of the institution named in the URL."""

    template_name = "institutions/part_form.html"

    @cached_property
    def institution(self):
        return get_object_or_404(Institution, pk=self.kwargs["institution_pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(institution=self.institution)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["institution"] = self.institution
        return context

    def get_cancel_url(self):
        return self.institution.get_absolute_url()


class InstitutionPartUpdateView(RecordUpdateView):
    template_name = "institutions/part_form.html"

    def get_queryset(self):
        return self.model.objects.select_related("institution")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["institution"] = self.object.institution
        return context


class ContactCreateView(InstitutionPartCreateView):
    model = Contact
    form_class = ContactForm
    offer_add_another = True


class ContactUpdateView(InstitutionPartUpdateView):
    model = Contact
    form_class = ContactForm


class AreaCreateView(InstitutionPartCreateView):
    model = ResponsibilityArea
    form_class = ResponsibilityAreaForm
    offer_add_another = True


class AreaUpdateView(InstitutionPartUpdateView):
    model = ResponsibilityArea
    form_class = ResponsibilityAreaForm


@login_required
@permission_required("institutions.view_institution", raise_exception=True)
@require_GET
def institution_search(request):
    """Institutions whose name or acronym contains ``q``, active ones first (JSON)."""
    institutions = Institution.objects.order_by("-active", "name")
    return search_response(request, institutions, ["name", "acronym"])
