"""Every list's filter form renders as crispy-forms rendered it (oppms.templatetags.filter_fields):
same wrapper, label, classes, ids, error and help blocks, empty and with errors."""

import importlib

import django_filters
import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.test.html import parse_html
from django.utils import translation

from oppms.templatetags.filter_fields import filter_field

pytestmark = pytest.mark.django_db

MODULES = ["observance.filters", "institutions.filters", "allies.filters"]


def filtersets():
    found = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module_name
                and value._meta.model is not None
            ):
                found.append(value)
    return found


FILTERSETS = filtersets()


def forms(filterset_class, data):
    """Two forms alike: crispy changes its widgets' classes, so each renderer gets its own."""
    queryset = filterset_class._meta.model.objects.none()
    return [filterset_class(data=data, queryset=queryset).form for _ in range(2)]


def test_every_list_with_a_filter_form_is_compared():
    assert len(FILTERSETS) >= 10


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad_values", [False, True], ids=["empty", "with errors"])
def test_a_filter_field_renders_as_crispy_rendered_it(filterset_class, bad_values):
    data = {}
    if bad_values:  # a date that is no date, a choice that is no choice: each field's error
        data = {name: "31/02/zz" for name in filterset_class.base_filters}
    with translation.override("es"):
        theirs, ours = forms(filterset_class, data)
        assert theirs.is_valid() == ours.is_valid() == (not bad_values)
        for name in theirs.fields:
            expected = parse_html(str(as_crispy_field(theirs[name])))
            assert parse_html(str(filter_field(ours[name]))) == expected, name
