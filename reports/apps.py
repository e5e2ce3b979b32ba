from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # reports reads the other apps and nothing imports reports: it registers its rule
        # "a record that a finalized report counts stays counted" where they look for it.
        from oppms.protection import register_change_guard, register_deletion_guard

        from . import signals
        from .counted import (
            counted_change_refusals,
            counted_in_finalized_report,
            counted_in_finalized_reports,
        )

        register_deletion_guard(counted_in_finalized_report, many=counted_in_finalized_reports)
        register_change_guard(
            counted_change_refusals, before_update=signals.refuse_updating_counted_records
        )
        signals.connect()

        from oppms.dashboard import dashboard_panel

        from .dashboard import linkage_panel

        dashboard_panel(linkage_panel)
