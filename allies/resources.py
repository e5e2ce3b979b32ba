"""Spreadsheet columns for allies, keyed by name so a re-import updates, not duplicates, and for
the agreements and work-agenda lists' downloads."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from oppms.admin import OppmsResource

from .models import AgendaItem, Agreement, Ally


class AllyResource(OppmsResource):
    class Meta:
        model = Ally
        import_id_fields = ["name"]
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
        export_order = fields


class AgreementResource(OppmsResource):
    """The agreements list's spreadsheet (export only: the admin imports no agreements)."""

    ally = fields.Field(attribute="ally", widget=widgets.ForeignKeyWidget(Ally, field="name"))

    class Meta:
        model = Agreement
        fields = ["id", "ally", "title", "areas", "signed_on", "ends_on", "status"]
        export_order = fields


class AgendaItemResource(OppmsResource):
    """The work-agenda list's spreadsheet: each activity with its agreement and ally."""

    agreement = fields.Field(
        attribute="agreement", widget=widgets.ForeignKeyWidget(Agreement, field="title")
    )
    ally = fields.Field(
        attribute="agreement__ally__name", column_name=capfirst(_("ally")), readonly=True
    )

    class Meta:
        model = AgendaItem
        fields = ["id", "agreement", "ally", "activity", "due_on", "status"]
        export_order = fields
