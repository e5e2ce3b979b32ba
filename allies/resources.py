"""Spreadsheet columns for allies, keyed by name so a re-import updates, not duplicates."""

from oppms.admin import OppmsResource

from .models import Ally


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
