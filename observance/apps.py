from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservanceConfig(AppConfig):
    name = "observance"
    verbose_name = _("Observance")

    def ready(self):
        from . import reminders, signals  # noqa: F401  (registering them is the point)
