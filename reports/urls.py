from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("<int:year>/<int:half>/", views.report_detail, name="report-detail"),
    path("<int:year>/<int:half>/editar/", views.report_edit, name="report-edit"),
    path("<int:year>/<int:half>/pdf/", views.report_pdf, name="report-pdf"),
    path("<int:year>/<int:half>/finalizar/", views.report_finalize, name="report-finalize"),
]
