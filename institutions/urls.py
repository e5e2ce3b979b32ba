from django.urls import path

from . import views

app_name = "institutions"

urlpatterns = [
    path("", views.InstitutionListView.as_view(), name="institution-list"),
    path("nueva/", views.InstitutionCreateView.as_view(), name="institution-create"),
    path("buscar/", views.institution_search, name="institution-search"),
    path("<int:pk>/", views.InstitutionDetailView.as_view(), name="institution-detail"),
    path("<int:pk>/editar/", views.InstitutionUpdateView.as_view(), name="institution-update"),
    path(
        "<int:institution_pk>/contactos/nuevo/",
        views.ContactCreateView.as_view(),
        name="contact-create",
    ),
    path("contactos/<int:pk>/editar/", views.ContactUpdateView.as_view(), name="contact-update"),
    path("<int:institution_pk>/areas/nueva/", views.AreaCreateView.as_view(), name="area-create"),
    path("areas/<int:pk>/editar/", views.AreaUpdateView.as_view(), name="area-update"),
]
