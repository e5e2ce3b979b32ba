from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservanceConfig(AppConfig):
    name = "observance"
    verbose_name = _("Observance")

    def ready(self):
        from oppms.protection import register_change_guard

        from . import reminders, signals  # noqa: F401  (registering them is the point)
        from .dates import date_refusals, no_update_check

        # Plausible dates, checked wherever a record is validated (observance.dates).
        register_change_guard(date_refusals, before_update=no_update_check)
