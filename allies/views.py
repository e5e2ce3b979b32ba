"""Pages of the observatory's allies, their agreements and the agreements' work agendas.

An ally's meetings live in ``observance``; they are read through the reverse relation only,
so that this app imports no other app of ours.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from oppms.forms import primary_keys
from oppms.views import (
    RecordCreateView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
    list_url,
    row_count,
    search_response,
)

from .filters import AgendaItemFilter, AgreementFilter, AllyFilter
from .forms import AgendaItemForm, AgreementForm, AllyForm
from .models import AgendaItem, Agreement, Ally
from .resources import AgendaItemResource, AgreementResource, AllyResource

LATEST_MEETINGS = 20


def with_agenda_progress(agreements):
    """Annotate agreements with how many work-agenda items they have and how many are done."""
    return agreements.annotate(
        items_total=Count("agenda_items"),
        items_done=Count("agenda_items", filter=Q(agenda_items__status=AgendaItem.Status.DONE)),
    )


class AllyListView(RecordListView):
    model = Ally
    filterset_class = AllyFilter
    export_resource_class = AllyResource

    def get_queryset(self):
        agreements = Agreement.objects.filter(ally=OuterRef("pk"))
        # The meetings live in observance: reached through the reverse relation, not imported.
        meeting_model = Ally._meta.get_field("meetings").related_model
        meetings = meeting_model.objects.filter(ally=OuterRef("pk"))
        return Ally.objects.annotate(
            agreement_count=row_count(agreements), meeting_count=row_count(meetings)
        ).order_by("name", "pk")


class AllyDetailView(RecordDetailView):
    model = Ally

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ally = self.object
        user = self.request.user
        if user.has_perm("allies.view_agreement"):
            context["agreements"] = with_agenda_progress(ally.agreements.all())
            context["can_add_agreement"] = user.has_perm("allies.add_agreement")
        if user.has_perm("observance.view_meeting"):
            context["meetings"] = ally.meetings.select_related("process").order_by("-held_at")[
                :LATEST_MEETINGS
            ]
            context["meeting_count"] = ally.meetings.count()
            context["all_meetings_url"] = list_url("observance:meeting-list", ally=ally.pk)
        return context


class AllyCreateView(RecordCreateView):
    model = Ally
    form_class = AllyForm


class AllyUpdateView(RecordUpdateView):
    model = Ally
    form_class = AllyForm


class AgreementListView(RecordListView):
    model = Agreement
    filterset_class = AgreementFilter
    export_resource_class = AgreementResource

    def get_queryset(self):
        return with_agenda_progress(Agreement.objects.select_related("ally")).order_by(
            "-signed_on", "title", "pk"
        )


class AgendaItemListView(RecordListView):
    model = AgendaItem
    filterset_class = AgendaItemFilter
    export_resource_class = AgendaItemResource

    def get_queryset(self):
        return AgendaItem.objects.select_related("agreement__ally").order_by(
            "due_on", "agreement__title", "activity", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The add button opens an agreement: activities are added from their agreement's page.
        context["can_add"] = False
        return context


class AgreementDetailView(RecordDetailView):
    model = Agreement

    def get_queryset(self):
        return with_agenda_progress(Agreement.objects.select_related("ally"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["agenda_items"] = self.object.agenda_items.all()
        context["can_add_item"] = user.has_perm("allies.add_agendaitem")
        context["can_change_item"] = user.has_perm("allies.change_agendaitem")
        return context


class AgreementCreateView(RecordCreateView):
    model = Agreement
    form_class = AgreementForm

    def get_initial(self):
        # "New agreement" on an ally's page arrives with ?ally=<pk>; a wrong value is ignored.
        initial = super().get_initial()
        pks = primary_keys(Ally, [self.request.GET.get("ally", "")])
        if pks and Ally.objects.filter(pk=pks[0]).exists():
            initial["ally"] = pks[0]
        return initial


class AgreementUpdateView(RecordUpdateView):
    model = Agreement
    form_class = AgreementForm


class AgendaItemCreateView(RecordCreateView):
    model = AgendaItem
    form_class = AgendaItemForm
    template_name = "allies/agendaitem_form.html"
    offer_add_another = True

    @cached_property
    def agreement(self):
        return get_object_or_404(Agreement.objects.select_related("ally"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = AgendaItem(agreement=self.agreement)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.agreement
        return context

    def get_cancel_url(self):
        return self.agreement.get_absolute_url()


class AgendaItemUpdateView(RecordUpdateView):
    model = AgendaItem
    form_class = AgendaItemForm
    template_name = "allies/agendaitem_form.html"

    def get_queryset(self):
        return AgendaItem.objects.select_related("agreement__ally")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.object.agreement
        return context


@login_required
@permission_required("allies.change_agendaitem", raise_exception=True)
@require_POST
def agenda_item_done(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("agreement"), pk=pk)
    if item.status != AgendaItem.Status.DONE:
        item.status = AgendaItem.Status.DONE
        item.save(update_fields=["status"])
    messages.success(request, _("“%(item)s” is done.") % {"item": item})
    return redirect(item.agreement)


@login_required
@permission_required("allies.view_ally", raise_exception=True)
@require_GET
def ally_search(request):
    """Allies whose name or acronym contains ``q`` (JSON)."""
    return search_response(request, Ally.objects.order_by("name"), ["name", "acronym"])
