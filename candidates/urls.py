from django.urls import path

from candidates import views

app_name = "candidates"

urlpatterns = [
    path("kandidaten/", views.candidate_list, name="candidate_list"),
    path("kandidaten/aanmelden/", views.candidate_create, name="candidate_create"),
    path("kandidaten/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path(
        "kandidaten/<int:pk>/voordragen/<int:leerbaan_pk>/",
        views.match_propose,
        name="match_propose",
    ),
    path("matches/<int:pk>/status/", views.match_status, name="match_status"),
    path("leerbanen/<int:pk>/", views.leerbaan_detail, name="leerbaan_detail"),
    path("inschrijvingen/", views.enrolment_list, name="enrolment_list"),
]
