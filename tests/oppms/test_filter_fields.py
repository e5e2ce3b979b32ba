"""Every list's filter form renders as crispy-forms rendered it (oppms.templatetags.filter_fields):
same wrapper, label, classes, ids, error and help blocks, empty and with errors; and its widgets,
rendered in Python, byte for byte as Django's widget templates render them."""

import datetime

import django_filters
import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from oppms.templatetags.filter_fields import filter_field, render_widget
from tests.classes import classes_defined_in

pytestmark = pytest.mark.django_db

MODULES = ["observance.filters", "institutions.filters", "allies.filters"]


def filtersets():
    return [
        filterset
        for filterset in classes_defined_in(MODULES, django_filters.FilterSet)
        if filterset._meta.model is not None
    ]


FILTERSETS = filtersets()


def forms_alike(filterset_class, data):
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
        theirs, ours = forms_alike(filterset_class, data)
        assert theirs.is_valid() == ours.is_valid() == (not bad_values)
        for name in theirs.fields:
            expected = parse_html(str(as_crispy_field(theirs[name])))
            assert parse_html(str(filter_field(ours[name]))) == expected, name


# --- the widgets, rendered in Python byte for byte as Django's templates render them ----------

TRICKY = 'Agua & "Saneamiento" <EP> l\'Oeste'


@pytest.fixture
def records_with_markup_in_their_names():
    """A row in every model a filter form offers as options, named with HTML's special
    characters, so that escaping differs if the rendering does."""
    import datetime

    from observance.models import ObservanceProcess, PublicPolicy
    from tests.allies.factories import make_agreement, make_ally
    from tests.institutions.factories import make_institution

    make_institution(name=TRICKY, acronym="A&S")
    ally = make_ally(name=TRICKY)
    make_agreement(ally=ally, title=TRICKY)
    policy = PublicPolicy.objects.create(name=TRICKY, group=PublicPolicy.Group.RETURNED_MIGRANTS)
    ObservanceProcess.objects.create(
        policy=policy, title=TRICKY, started_on=datetime.date(2021, 3, 1)
    )


def chosen_values(filterset_class):
    """A value for every field the filter form has: a choice of each select (its last option,
    a record of the model choices), a date or a text."""
    form = filterset_class(queryset=filterset_class._meta.model.objects.none()).form
    data = {}
    for name, field in form.fields.items():
        widget = field.widget
        choices = [str(value) for value, _label in getattr(widget, "choices", ()) if value != ""]
        if isinstance(field, forms.ModelChoiceField):  # searchable ones list no option unasked
            data[name] = str(field.queryset.order_by("pk").last().pk)
        elif choices:
            data[name] = choices[-1]
        elif getattr(widget, "input_type", None) == "date":
            data[name] = "2021-03-01"
        else:
            data[name] = TRICKY
    return data


def renderings(filterset_class, data):
    """Each field of two forms alike, rendered by filter_field: through Django's templates and
    through our Python rendering of them."""
    from oppms.templatetags import filter_fields

    theirs, ours = forms_alike(filterset_class, data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(filter_fields, "render_widget", str)  # Django's own rendering
        expected = {name: str(filter_field(theirs[name])) for name in theirs.fields}
    return expected, {name: str(filter_field(ours[name])) for name in ours.fields}


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("values", ["unbound", "empty", "chosen", "with errors"])
def test_a_filter_field_renders_byte_for_byte_as_django_rendered_it(
    filterset_class, values, records_with_markup_in_their_names
):
    data = {
        "unbound": None,
        "empty": {},
        "chosen": chosen_values(filterset_class),
        "with errors": {name: "31/02/zz" for name in filterset_class.base_filters},
    }[values]
    with translation.override("es"):
        expected, ours = renderings(filterset_class, data)
    assert ours == expected
    if values == "chosen":  # the options chosen show as chosen
        assert all(" selected>" in ours[name] for name in data if "<select" in ours[name])


def test_the_options_of_the_records_are_escaped_as_django_escapes_them(
    records_with_markup_in_their_names,
):
    from observance.filters import ObservanceProcessFilter

    expected, ours = renderings(ObservanceProcessFilter, {})
    assert "Agua &amp; &quot;Saneamiento&quot; &lt;EP&gt; l&#x27;Oeste</option>" in ours["policy"]
    assert ours == expected


class Unusual(forms.Form):
    """What filter forms may come to use: every attribute kind, groups, several choices."""

    number = forms.IntegerField(
        initial=12345, widget=forms.NumberInput(attrs={"min": 0, "step": 1, "data-x": '"<&'})
    )
    hidden = forms.CharField(widget=forms.HiddenInput, initial="a&b")
    text = forms.CharField(
        max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "readonly": False, "title": "x"}),
    )
    marked_safe = forms.CharField(
        widget=forms.TextInput(attrs={"data-raw": mark_safe("<b>&amp;</b>")}),
        initial=mark_safe("&amp;"),
    )
    grouped = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("Costa & Sierra", [("gye", "Guayaquil"), ("uio", 'Quito "DM"')]),
            ("ams", "Amazonía <oriente>"),
            (3, 1234567),
            ("today", datetime.date(2021, 3, 1)),
        ],
        initial="uio",
    )
    several = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B"), ("c", "C")], initial=["a", "c"], required=False
    )
    yes_no = forms.NullBooleanField(initial=True)
    lazy = forms.ChoiceField(choices=[("1", _("Search")), ("2", _("Filters"))], disabled=True)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), initial='<p>"a" & b</p>')
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    agreed = forms.BooleanField(initial=True, required=False)
    refused = forms.BooleanField(required=True)
    many = forms.MultipleChoiceField(
        choices=[("a", "A & <b>"), ("b", "B")], initial=["b"], widget=forms.SelectMultiple
    )
    when = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        initial=datetime.datetime(2021, 3, 1, 10, 30),
    )


@pytest.mark.parametrize("bound", [False, True], ids=["unbound", "bound"])
def test_every_kind_of_attribute_option_and_group_renders_as_django_renders_it(bound):
    data = {
        "number": "-3",
        "text": "<b>",
        "grouped": "ams",
        "several": ["b", "c"],
        "yes_no": "",
        "notes": "\n<script>é</script>",
        "agreed": "on",
        "many": ["a", "x"],
    }
    with translation.override("es"):
        theirs, ours = (Unusual(data=data if bound else None) for _ in range(2))
        for name in theirs.fields:
            assert render_widget(ours[name]) == str(theirs[name]), name


def test_widgets_it_does_not_reproduce_are_left_to_django():
    class OwnOptions(forms.Select):
        option_template_name = "django/forms/widgets/attrs.html"

    class Others(forms.Form):
        notes = forms.CharField(widget=forms.Textarea, initial="<p>")
        own = forms.ChoiceField(choices=[("a", "A")], widget=OwnOptions)
        radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    theirs, ours = Others(), Others()
    for name in theirs.fields:
        assert render_widget(ours[name]) == str(theirs[name]), name
    assert render_widget(ours["notes"]).startswith("<textarea")
