from django import forms
from django.utils.translation import gettext_lazy as _

from oppms.plain import MAX_SEARCH_LENGTH

MIN_SEARCH_LENGTH = 2


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        min_length=MIN_SEARCH_LENGTH,
        max_length=MAX_SEARCH_LENGTH,
        error_messages={
            "required": _("Type what to look for."),
            "min_length": _("Type at least %(limit_value)d characters."),
            "max_length": _(
                "A search has at most %(limit_value)d characters (this one has %(show_value)d)."
            ),
        },
        help_text=_(
            "Names, acronyms, purposes, subjects, oficio references, titles… "
            "Accents and capitals do not matter."
        ),
    )
