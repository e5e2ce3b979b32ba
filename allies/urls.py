from django.urls import path

from . import views

app_name = "allies"

urlpatterns = [
    path("", views.AllyListView.as_view(), name="ally-list"),
    path("nuevo/", views.AllyCreateView.as_view(), name="ally-create"),
    path("buscar/", views.ally_search, name="ally-search"),
    path("<int:pk>/", views.AllyDetailView.as_view(), name="ally-detail"),
    path("<int:pk>/editar/", views.AllyUpdateView.as_view(), name="ally-update"),
    path("convenios/", views.AgreementListView.as_view(), name="agreement-list"),
    path("convenios/nuevo/", views.AgreementCreateView.as_view(), name="agreement-create"),
    path("convenios/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path(
        "convenios/<int:pk>/editar/", views.AgreementUpdateView.as_view(), name="agreement-update"
    ),
    path(
        "convenios/<int:pk>/agenda/nueva/",
        views.AgendaItemCreateView.as_view(),
        name="agendaitem-create",
    ),
    path("agenda/", views.AgendaItemListView.as_view(), name="agendaitem-list"),
    path("agenda/<int:pk>/editar/", views.AgendaItemUpdateView.as_view(), name="agendaitem-update"),
    path("agenda/<int:pk>/hecha/", views.agenda_item_done, name="agendaitem-done"),
]
