from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OppmsConfig(AppConfig):
    """The project package is an app too: it owns the roles' data migration."""

    name = "oppms"
    verbose_name = _("OPPMS")
