from django.urls import path

from trajecten import privacy_views, progress_views, views

app_name = "trajecten"

urlpatterns = [
    path("kandidaten/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path(
        "kandidaten/<int:pk>/inzage.json",
        privacy_views.candidate_inzage_json,
        name="candidate_inzage_json",
    ),
    path(
        "kandidaten/<int:pk>/inzage.pdf",
        privacy_views.candidate_inzage_pdf,
        name="candidate_inzage_pdf",
    ),
    path(
        "kandidaten/<int:pk>/gegevens/verwijderen/",
        privacy_views.candidate_erase,
        name="candidate_erase",
    ),
    path("inschrijvingen/", views.enrolment_list, name="enrolment_list"),
    path("inschrijvingen/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path(
        "inschrijvingen/<int:pk>/overeenkomst/<slug:kind>/",
        views.agreement_edit,
        name="agreement_edit",
    ),
    # Before the transitions' pattern, which would take "programma" for a transition.
    path("inschrijvingen/<int:pk>/programma/", progress_views.programme, name="programme"),
    path("inschrijvingen/<int:pk>/voortgang/", progress_views.progress_page, name="progress"),
    path(
        "inschrijvingen/<int:pk>/praktijkverklaring/uitgeven/",
        views.praktijkverklaring_issue,
        name="praktijkverklaring_issue",
    ),
    path(
        "inschrijvingen/<int:pk>/praktijkverklaring.pdf",
        views.praktijkverklaring_pdf,
        name="praktijkverklaring_pdf",
    ),
    path("verificatie/", views.praktijkverklaring_verify, name="verify"),
    path(
        "inschrijvingen/<int:pk>/<slug:transition>/",
        views.EnrolmentTransitionView.as_view(),
        name="enrolment_transition",
    ),
    path(
        "plaatsingen/<int:pk>/<slug:transition>/",
        views.VoordrachtAcceptView.as_view(),
        name="voordracht_accept",
    ),
]
