"""The public portal: every page here is open to anyone, without an account.

tests/portal/test_public_exposure.py visits every pattern of this list: a page added here is
checked for what it shows to an anonymous visitor without anyone having to remember to.
"""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("resultados/", views.results, name="results"),
    path(
        "resultados/<int:pk>/documento/",
        views.publication_document,
        name="publication-document",
    ),
    path("informes/", views.reports, name="reports"),
    path("informes/<int:year>/<int:half>/pdf/", views.report_pdf, name="report-pdf"),
    path("verificar/", views.verify, name="verify"),
    path("recomendaciones/", views.recommendations, name="recommendations"),
]
