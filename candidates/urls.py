from django.urls import path

from candidates import views

app_name = "candidates"

urlpatterns = [
    path("kandidaten/", views.candidate_list, name="candidate_list"),
    path("kandidaten/aanmelden/", views.candidate_create, name="candidate_create"),
    path(
        "kandidaten/<int:pk>/voordragen/<int:leerbaan_pk>/",
        views.voordracht_make,
        name="voordracht_make",
    ),
    path(
        "kandidaten/<int:pk>/<slug:transition>/",
        views.CandidateTransitionView.as_view(),
        name="candidate_transition",
    ),
    path("voordrachten/<int:pk>/", views.voordracht_detail, name="voordracht_detail"),
    path(
        "voordrachten/<int:pk>/<slug:transition>/",
        views.VoordrachtTransitionView.as_view(),
        name="voordracht_transition",
    ),
    path("leerbanen/<int:pk>/", views.leerbaan_detail, name="leerbaan_detail"),
    # The werkgever's leerbedrijf; its forms are in leerbedrijven.urls (leerbedrijf/...).
    path("leerbedrijf/<int:pk>/", views.leerbedrijf_detail, name="leerbedrijf_detail"),
    path(
        "leerbanen/<int:pk>/<slug:transition>/",
        views.LeerbaanTransitionView.as_view(),
        name="leerbaan_transition",
    ),
]
