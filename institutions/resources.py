"""Spreadsheet columns for institutions, keyed by name so a re-import updates, not duplicates."""

from oppms.admin import OppmsResource

from .models import Institution


class InstitutionResource(OppmsResource):
    class Meta:
        model = Institution
        import_id_fields = ["name"]
        fields = [
            "name",
            "acronym",
            "branch",
            "level",
            "role",
            "sector",
            "province",
            "website",
            "mapped_on",
            "active",
            "notes",
        ]
        export_order = fields
