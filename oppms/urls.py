from django.contrib import admin
from django.urls import include, path

from oppms.health import healthz
from oppms.history import record_history
from oppms.views import protected_file

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("cuentas/", include("django.contrib.auth.urls")),
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
    path("", include("observance.urls")),
]
