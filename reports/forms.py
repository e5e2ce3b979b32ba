from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import NARRATIVE_FIELDS, SemiannualReport
from .periods import FIRST_YEAR, LAST_YEAR, Period


class PeriodForm(forms.Form):
    """The semester picker: a year and a half, checked before any report is built."""

    year = forms.IntegerField(
        label=_("Year"),
        error_messages={
            "required": _("Enter the report's year."),
            "invalid": _("Enter the year as a number, e.g. 2021."),
        },
    )
    half = forms.TypedChoiceField(
        label=_("Semester"),
        choices=SemiannualReport.Half.choices,
        coerce=int,
        error_messages={
            "required": _("Choose the first or the second semester."),
            "invalid_choice": _("Choose the first or the second semester."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "period-form"
        self.helper.add_input(Submit("", _("Open report")))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(
                _("Enter a year between %(first)d and %(last)d."),
                code="year_out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return year


class SemesterChoiceForm(forms.Form):
    """One of the semesters offered, as ``?semester=2021-S1``; ``cleaned_data`` has its Period."""

    semester = forms.ChoiceField(
        label=_("Semester"),
        error_messages={
            "required": _("Choose one of the semesters in the list."),
            "invalid_choice": _("Choose one of the semesters in the list."),
        },
    )

    def __init__(self, data=None, *, semesters):
        super().__init__(data)
        self.fields["semester"].choices = [(period.code, period.label) for period in semesters]

    def clean_semester(self):
        return Period.parse(self.cleaned_data["semester"])


class NarrativeForm(forms.ModelForm):
    """The parts of the report the secretaria writes; the rest is built from the records."""

    class Meta:
        model = SemiannualReport
        fields = NARRATIVE_FIELDS
        widgets = {field: forms.Textarea(attrs={"rows": 8}) for field in NARRATIVE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
