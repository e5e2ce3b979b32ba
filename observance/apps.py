from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservanceConfig(AppConfig):
    name = "observance"
    verbose_name = _("Observance")

    def ready(self):
        from oppms import write_log
        from oppms.protection import register_change_guard

        from . import reminders, signals  # noqa: F401  (registering them is the point)
        from .dates import date_refusals, no_update_check
        from .models import Meeting

        # The trend's semesters already over hold while the meetings logged are of another
        # semester (reports.trend).
        write_log.log_dates(Meeting, "held_at")

        # Plausible dates, checked wherever a record is validated (observance.dates).
        register_change_guard(date_refusals, before_update=no_update_check)
