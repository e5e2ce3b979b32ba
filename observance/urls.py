from django.urls import path

from .views import dashboard, meetings, observatory, processes, requests, results

app_name = "observance"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    # Step 2: meetings.
    path("reuniones/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("reuniones/nueva/", meetings.MeetingCreateView.as_view(), name="meeting-create"),
    path("reuniones/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting-detail"),
    path("reuniones/<int:pk>/editar/", meetings.MeetingUpdateView.as_view(), name="meeting-update"),
    path("compromisos/", meetings.CommitmentListView.as_view(), name="commitment-list"),
    path(
        "compromisos/<int:pk>/cerrar/",
        meetings.CommitmentCloseView.as_view(),
        name="commitment-close",
    ),
    # Step 4: information requests.
    path("solicitudes/", requests.InformationRequestListView.as_view(), name="request-list"),
    path(
        "solicitudes/nueva/",
        requests.InformationRequestCreateView.as_view(),
        name="request-create",
    ),
    path(
        "solicitudes/<int:pk>/",
        requests.InformationRequestDetailView.as_view(),
        name="request-detail",
    ),
    path(
        "solicitudes/<int:pk>/editar/",
        requests.InformationRequestUpdateView.as_view(),
        name="request-update",
    ),
    path("solicitudes/<int:pk>/eventos/", requests.request_event_create, name="request-event"),
    path(
        "solicitudes/<int:pk>/eventos/<int:requestevent_pk>/resultado/",
        requests.escalation_outcome_create,
        name="escalation-outcome",
    ),
    # Policies and their processes through the seven steps.
    path("politicas/", processes.PublicPolicyListView.as_view(), name="policy-list"),
    path("politicas/nueva/", processes.PublicPolicyCreateView.as_view(), name="policy-create"),
    path("politicas/<int:pk>/", processes.PublicPolicyDetailView.as_view(), name="policy-detail"),
    path(
        "politicas/<int:pk>/editar/",
        processes.PublicPolicyUpdateView.as_view(),
        name="policy-update",
    ),
    path("procesos/", processes.ObservanceProcessListView.as_view(), name="process-list"),
    path("procesos/nuevo/", processes.ObservanceProcessCreateView.as_view(), name="process-create"),
    path(
        "procesos/<int:pk>/",
        processes.ObservanceProcessDetailView.as_view(),
        name="process-detail",
    ),
    path(
        "procesos/<int:pk>/editar/",
        processes.ObservanceProcessUpdateView.as_view(),
        name="process-update",
    ),
    path(
        "procesos/<int:pk>/pasos/<int:step>/iniciar/",
        processes.process_step_action,
        {"action": "start"},
        name="process-step-start",
    ),
    path(
        "procesos/<int:pk>/pasos/<int:step>/completar/",
        processes.process_step_action,
        {"action": "complete"},
        name="process-step-complete",
    ),
    # Steps 5 to 7.
    path("evaluaciones/", results.EvaluationListView.as_view(), name="evaluation-list"),
    path("evaluaciones/nueva/", results.EvaluationCreateView.as_view(), name="evaluation-create"),
    path(
        "evaluaciones/<int:pk>/",
        results.EvaluationDetailView.as_view(),
        name="evaluation-detail",
    ),
    path(
        "evaluaciones/<int:pk>/editar/",
        results.EvaluationUpdateView.as_view(),
        name="evaluation-update",
    ),
    path("publicaciones/", results.PublicationListView.as_view(), name="publication-list"),
    path(
        "publicaciones/nueva/",
        results.PublicationCreateView.as_view(),
        name="publication-create",
    ),
    path(
        "publicaciones/<int:pk>/",
        results.PublicationDetailView.as_view(),
        name="publication-detail",
    ),
    path(
        "publicaciones/<int:pk>/editar/",
        results.PublicationUpdateView.as_view(),
        name="publication-update",
    ),
    path("recomendaciones/", results.RecommendationListView.as_view(), name="recommendation-list"),
    path(
        "recomendaciones/nueva/",
        results.RecommendationCreateView.as_view(),
        name="recommendation-create",
    ),
    path(
        "recomendaciones/<int:pk>/",
        results.RecommendationDetailView.as_view(),
        name="recommendation-detail",
    ),
    path(
        "recomendaciones/<int:pk>/editar/",
        results.RecommendationUpdateView.as_view(),
        name="recommendation-update",
    ),
    path(
        "recomendaciones/<int:pk>/seguimiento/",
        results.recommendation_follow_up,
        name="recommendation-follow-up",
    ),
    # The observatory itself.
    path("observatorio/", observatory.ProfileView.as_view(), name="profile"),
    path("observatorio/editar/", observatory.ProfileUpdateView.as_view(), name="profile-update"),
    path("observatorio/equipo/", observatory.TeamView.as_view(), name="team"),
    path(
        "observatorio/equipo/nuevo/",
        observatory.TeamMemberCreateView.as_view(),
        name="team-member-create",
    ),
    path(
        "observatorio/equipo/<int:pk>/editar/",
        observatory.TeamMemberUpdateView.as_view(),
        name="team-member-update",
    ),
]
