from django import forms
from django.utils.translation import gettext_lazy as _

from oppms.forms import use_browser_date_inputs

from .models import Contact, Institution, ResponsibilityArea


class InstitutionForm(forms.ModelForm):
    website = Institution._meta.get_field("website").formfield(assume_scheme="https")

    class Meta:
        model = Institution
        fields = [
            "name",
            "acronym",
            "role",
            "branch",
            "level",
            "sector",
            "province",
            "website",
            "mapped_on",
            "active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_browser_date_inputs(self)


class ContactForm(forms.ModelForm):
    """A contact of the institution given by the page's URL."""

    class Meta:
        model = Contact
        fields = ["name", "position", "email", "phone"]


class ResponsibilityAreaForm(forms.ModelForm):
    """An area of the institution given by the page's URL."""

    class Meta:
        model = ResponsibilityArea
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        # The institution is not a field of the form, so Django's own uniqueness check skips
        # the (institution, name) constraint; without this a duplicate would reach the database.
        name = self.cleaned_data["name"]
        duplicates = ResponsibilityArea.objects.filter(
            institution=self.instance.institution, name=name
        ).exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                _("This institution already has an area with this name."), code="duplicate"
            )
        return name
