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
    # Before the transitions' pattern, which would take "ervaring" for a transition.
    path("kandidaten/<int:pk>/ervaring/", views.candidate_experience, name="candidate_experience"),
    path(
        "kandidaten/<int:pk>/<slug:transition>/",
        views.CandidateTransitionView.as_view(),
        name="candidate_transition",
    ),
    path("voordrachten/", views.voordracht_list, name="voordracht_list"),
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
        "leerbanen/<int:pk>/kandidaten/<int:candidate_pk>/verzoek/",
        views.voordracht_request_create,
        name="voordracht_request_create",
    ),
    path("verzoeken/", views.voordracht_request_list, name="voordracht_request_list"),
    path(
        "verzoeken/<int:pk>/afwijzen/",
        views.voordracht_request_decline,
        name="voordracht_request_decline",
    ),
    path(
        "leerbanen/<int:pk>/<slug:transition>/",
        views.LeerbaanTransitionView.as_view(),
        name="leerbaan_transition",
    ),
]
