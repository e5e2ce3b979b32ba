from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OppmsConfig(AppConfig):
    """The project package is an app too: it owns the roles' data migration, and removes
    uploaded files that no row refers to any more (oppms.uploads)."""

    name = "oppms"
    verbose_name = _("OPPMS")

    def ready(self):
        from oppms.uploads import connect_file_removal

        connect_file_removal()
