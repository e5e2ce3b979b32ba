from django import forms

from oppms.forms import ConstraintErrorsOnFieldsMixin, make_searchable, use_browser_date_inputs

from .models import AgendaItem, Agreement, Ally


class AllyForm(forms.ModelForm):
    website = Ally._meta.get_field("website").formfield(assume_scheme="https")

    class Meta:
        model = Ally
        fields = [
            "name",
            "acronym",
            "kind",
            "province",
            "city",
            "border_region",
            "allied_on",
            "website",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_browser_date_inputs(self)


class AgreementForm(ConstraintErrorsOnFieldsMixin, forms.ModelForm):
    constraint_fields = {
        "allies_agreement_ends_after_signed": "ends_on",
        "allies_agreement_signed_has_date": "signed_on",
    }

    class Meta:
        model = Agreement
        fields = ["ally", "title", "status", "signed_on", "ends_on", "areas", "document"]
        widgets = {
            "areas": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_browser_date_inputs(self)
        make_searchable(self, "ally", "allies:ally-search")


class AgendaItemForm(forms.ModelForm):
    """An activity of the agreement given by the page's URL."""

    class Meta:
        model = AgendaItem
        fields = ["activity", "due_on", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_browser_date_inputs(self)
