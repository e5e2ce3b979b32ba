import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppms.forms import DATE_INPUT_FORMATS, DateInput
from oppms.plain import plain_search
from oppms.sorting import SortFilter

from .mapping import mapped_on_day
from .models import Institution


def start_of_day(day):
    """The first instant of ``day`` in the current time zone, the one ``__date`` lookups use."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class DateFilter(django_filters.DateFilter):
    """A date in the URL, ISO (as links and the browser send it) or dd/mm/aaaa."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)


class InstitutionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name, acronym or sector.")
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Institution.Role.choices, method="filter_role"
    )
    branch = django_filters.ChoiceFilter(label=_("Branch"), choices=Institution.Branch.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Institution.Level.choices)
    province = django_filters.ChoiceFilter(
        label=_("Province"), choices=Institution._meta.get_field("province").choices
    )
    active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]),
    )
    met_after = DateFilter(label=_("Met on or after"), method="met_between")
    met_before = DateFilter(label=_("Met on or before"), method="met_between")
    mapped_before = DateFilter(label=_("Mapped on or before"), method="mapped_by")
    mapped_after = DateFilter(
        field_name="mapped_on", lookup_expr="gte", label=_("Mapped on or after")
    )
    as_of = DateFilter(
        label=_("In the mapping on"),
        method="in_mapping_on",
        help_text=_("Mapped by that day and active then, with the role it had then."),
    )

    sort = SortFilter(
        columns={
            "name": ("name", _("Name")),
            "acronym": ("acronym", _("Acronym")),
            "role": ("role", _("Role")),
            "sector": ("sector", _("Sector")),
            "province": ("province", _("Province")),
            "meetings": ("meeting_count", _("Meetings")),
            "last_meeting": ("last_met_at", _("Last meeting")),
        }
    )

    class Meta:
        model = Institution
        fields = []

    def filter_queryset(self, queryset):
        # Applied before the others: the role filter reads the role the institution had then.
        day = self.form.cleaned_data.get("as_of")
        if day:
            queryset = mapped_on_day(day, queryset)
        return super().filter_queryset(queryset)

    def in_mapping_on(self, queryset, name, value):
        return queryset  # applied first, by filter_queryset

    def filter_role(self, queryset, name, value):
        field = "role_then" if self.form.cleaned_data.get("as_of") else "role"
        return queryset.filter(**{field: value})

    def search(self, queryset, name, value):
        return plain_search(queryset, ["name", "acronym", "sector"], value)

    def met_between(self, queryset, name, value):
        # Both ends are applied together (by met_after), through a subquery: each institution
        # appears once however many meetings it had, and the page's meeting counts stay whole.
        if name == "met_before" and self.form.cleaned_data.get("met_after"):
            return queryset
        start = self.form.cleaned_data.get("met_after")
        end = self.form.cleaned_data.get("met_before")
        # The days as instants, not each meeting's instant cast to a day: the (institution,
        # held_at) index then finds an institution's first meeting in the range in one step.
        meetings = Q(institution=OuterRef("pk"))
        if start:
            meetings &= Q(held_at__gte=start_of_day(start))
        if end and end < datetime.date.max:  # every meeting is on or before the last day
            meetings &= Q(held_at__lt=start_of_day(end + datetime.timedelta(days=1)))
        meeting_model = Institution._meta.get_field("meetings").related_model
        return queryset.filter(Exists(meeting_model.objects.filter(meetings)))

    def mapped_by(self, queryset, name, value):
        """Institutions in the mapping on that date: mapped by then and still active."""
        return queryset.filter(mapped_on__lte=value, active=True)
