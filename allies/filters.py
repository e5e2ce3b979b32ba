import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oppms.forms import make_searchable

from .models import Agreement, Ally

YES_NO = [("", "---------"), ("true", _("Yes")), ("false", _("No"))]


class AllyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name, acronym or city.")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Ally.Kind.choices)
    province = django_filters.ChoiceFilter(
        label=_("Province"), choices=Ally._meta.get_field("province").choices
    )
    border_region = django_filters.BooleanFilter(
        label=_("In a border region"), widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = Ally
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(acronym__icontains=value) | Q(city__icontains=value)
        )


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Agreement.Status.choices)
    ally = django_filters.ModelChoiceFilter(label=_("Ally"), queryset=Ally.objects.all())
    ally_kind = django_filters.ChoiceFilter(
        label=_("Kind of ally"), field_name="ally__kind", choices=Ally.Kind.choices
    )

    class Meta:
        model = Agreement
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make_searchable(self.form, "ally", "allies:ally-search")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(areas__icontains=value)
            | Q(ally__name__icontains=value)
            | Q(ally__acronym__icontains=value)
        )
