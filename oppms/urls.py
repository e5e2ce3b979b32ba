from django.contrib import admin
from django.urls import include, path

from oppms.health import healthz
from oppms.history import record_history
from oppms.language import set_language
from oppms.preferences import calendar, reminder_preferences, renew_calendar_secret
from oppms.views import protected_file

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("cuentas/preferencias/", reminder_preferences, name="reminder-preferences"),
    path(
        "cuentas/preferencias/renovar-calendario/",
        renew_calendar_secret,
        name="renew-calendar-secret",
    ),
    path("calendario/<str:secret>.ics", calendar, name="calendar-feed"),
    path("cuentas/", include("django.contrib.auth.urls")),
    path("idioma/", set_language, name="set-language"),
    path(
        "archivos/<slug:app_label>/<slug:model_name>/<int:pk>/<slug:field>/",
        protected_file,
        name="protected-file",
    ),
    path(
        "historial/<slug:app_label>/<slug:model_name>/<int:pk>/",
        record_history,
        name="record-history",
    ),
    path("instituciones/", include("institutions.urls")),
    path("aliados/", include("allies.urls")),
    path("informes/", include("reports.urls")),
    path("publico/", include("portal.urls")),
    path("buscar/", include("search.urls")),
    path("", include("observance.urls")),
]
