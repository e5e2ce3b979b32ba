import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from oppms.asof import values_on
from oppms.forms import DATE_INPUT_FORMATS, DateInput, make_searchable
from oppms.plain import plain_search
from oppms.sorting import SortFilter

from .models import AgendaItem, Agreement, Ally
from .standing import agenda_in_execution_on, agreements_signed_by, allies_on_day

YES_NO = [("", "---------"), ("true", _("Yes")), ("false", _("No"))]


def date_filter(label, method, help_text=""):
    return django_filters.DateFilter(
        label=label,
        method=method,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
    )


class AsOfFilterSet(django_filters.FilterSet):
    """A filter set with a date that selects the records as they stood on it.

    ``as_of_field`` names that date's filter, ``as_of_queryset(day, queryset)`` selects the
    records standing on it, annotated with the values they had then; ``as_of_fields`` maps each
    filter that reads them to ``(today's field, the annotation of its value then)``.
    """

    as_of_field = "as_of"
    as_of_fields = ()

    def filter_queryset(self, queryset):
        # Applied before the other filters, which may read the annotations it adds.
        day = self.form.cleaned_data.get(self.as_of_field)
        if day:
            queryset = self.as_of_queryset(day, queryset)
        return super().filter_queryset(queryset)

    def applied_first(self, queryset, name, value):
        return queryset

    def filter_then(self, queryset, name, value):
        today, then = self.as_of_fields[name]
        field = then if self.form.cleaned_data.get(self.as_of_field) else today
        return queryset.filter(**{field: value})


class AllyFilter(AsOfFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name, acronym or city.")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Ally.Kind.choices, method="filter_then"
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"), choices=Ally._meta.get_field("province").choices
    )
    border_region = django_filters.BooleanFilter(
        label=_("In a border region"), widget=forms.Select(choices=YES_NO), method="filter_then"
    )
    as_of = date_filter(
        _("Allies on"),
        "applied_first",
        _(
            "Allies allied with the observatory by that day (by their “allied since” date, or "
            "else by their records), as they were."
        ),
    )
    as_of_fields = {
        "kind": ("kind", "kind_then"),
        "border_region": ("border_region", "border_region_then"),
    }
    as_of_queryset = staticmethod(allies_on_day)

    sort = SortFilter(
        columns={
            "name": ("name", _("Name")),
            "kind": ("kind", _("Kind")),
            "province": ("province", _("Province")),
            "city": ("city", _("City")),
            "border_region": ("border_region", _("Border region")),
            "agreements": ("agreement_count", _("Agreements")),
            "meetings": ("meeting_count", _("Meetings")),
        }
    )

    class Meta:
        model = Ally
        fields = []

    def search(self, queryset, name, value):
        return plain_search(queryset, ["name", "acronym", "city"], value)


class AgreementFilter(AsOfFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Agreement.Status.choices, method="filter_then"
    )
    ally = django_filters.ModelChoiceFilter(label=_("Ally"), queryset=Ally.objects.all())
    ally_kind = django_filters.ChoiceFilter(
        label=_("Kind of ally"), choices=Ally.Kind.choices, method="filter_then"
    )
    signed_by = date_filter(
        _("Signed by"),
        "applied_first",
        _("Agreements signed by that day, with the status they had then."),
    )
    as_of_field = "signed_by"
    as_of_fields = {
        "status": ("status", "status_then"),
        "ally_kind": ("ally__kind", "ally_kind_then"),
    }
    as_of_queryset = staticmethod(agreements_signed_by)

    sort = SortFilter(
        columns={
            "title": ("title", _("Title")),
            "ally": ("ally__name", _("Ally")),
            "status": ("status", _("Status")),
            "signed": ("signed_on", _("Signed on")),
            "ends": ("ends_on", _("Ends on")),
        }
    )

    class Meta:
        model = Agreement
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make_searchable(self.form, "ally", "allies:ally-search")

    def search(self, queryset, name, value):
        return plain_search(queryset, ["title", "areas", "ally__name", "ally__acronym"], value)


class AgendaItemFilter(AsOfFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    agreement = django_filters.ModelChoiceFilter(
        label=_("Agreement"), queryset=Agreement.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AgendaItem.Status.choices, method="filter_then"
    )
    as_of = date_filter(
        _("In execution on"),
        "applied_first",
        _(
            "Activities of the agreements in execution on that day, as the report counts them, "
            "with the status they had then."
        ),
    )
    done_as_of = date_filter(
        _("Done by"), "done_on_day", _("Activities whose status on that day was done.")
    )
    as_of_fields = {"status": ("status", "status_then")}
    as_of_queryset = staticmethod(agenda_in_execution_on)

    sort = SortFilter(
        columns={
            "activity": ("activity", _("Activity")),
            "agreement": ("agreement__title", _("Agreement")),
            "ally": ("agreement__ally__name", _("Ally")),
            "due": ("due_on", _("Due on")),
            "status": ("status", _("Status")),
        }
    )

    class Meta:
        model = AgendaItem
        fields = []

    def search(self, queryset, name, value):
        return plain_search(queryset, ["activity"], value)

    def done_on_day(self, queryset, name, value):
        # Its own annotation: the day may differ from as_of's, whose status_then it keeps.
        status = values_on(AgendaItem, ["status"], value, suffix="_on_done_day")
        return queryset.annotate(**status).filter(status_on_done_day=AgendaItem.Status.DONE)
