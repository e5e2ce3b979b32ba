from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # reports reads the other apps and nothing imports reports: it registers its rule
        # "a record that a finalized report counts cannot be deleted" where they look for it.
        from oppms.protection import register_deletion_guard

        from . import signals
        from .counted import counted_in_finalized_report, counted_in_finalized_reports

        register_deletion_guard(counted_in_finalized_report, many=counted_in_finalized_reports)
        signals.connect()
