from django.urls import path

from leerbedrijven import profile_views, views

app_name = "leerbedrijven"

urlpatterns = [
    path("leerbanen/", views.leerbaan_list, name="leerbaan_list"),
    # The werkgever's leerbedrijf; its profile page is candidates:leerbedrijf_detail.
    path("leerbedrijf/", profile_views.leerbedrijf_list, name="leerbedrijf_list"),
    path("leerbedrijf/<int:pk>/wijzigen/", profile_views.leerbedrijf_edit, name="leerbedrijf_edit"),
    path(
        "leerbedrijf/<int:pk>/vestigingen/nieuw/",
        profile_views.vestiging_create,
        name="vestiging_create",
    ),
    path(
        "leerbedrijf/vestigingen/<int:pk>/wijzigen/",
        profile_views.vestiging_edit,
        name="vestiging_edit",
    ),
    path(
        "leerbedrijf/<int:pk>/contactpersonen/nieuw/",
        profile_views.contactperson_create,
        name="contactperson_create",
    ),
    path(
        "leerbedrijf/contactpersonen/<int:pk>/wijzigen/",
        profile_views.contactperson_edit,
        name="contactperson_edit",
    ),
    path(
        "leerbedrijf/contactpersonen/<int:pk>/verwijderen/",
        profile_views.contactperson_delete,
        name="contactperson_delete",
    ),
    path(
        "leerbedrijf/<int:pk>/praktijkopleiders/nieuw/",
        profile_views.praktijkopleider_create,
        name="praktijkopleider_create",
    ),
    path(
        "leerbedrijf/praktijkopleiders/<int:pk>/wijzigen/",
        profile_views.praktijkopleider_edit,
        name="praktijkopleider_edit",
    ),
    path(
        "leerbedrijf/praktijkopleiders/<int:pk>/deactiveren/",
        profile_views.praktijkopleider_deactivate,
        name="praktijkopleider_deactivate",
    ),
    path(
        "leerbedrijf/praktijkopleiders/<int:pk>/activeren/",
        profile_views.praktijkopleider_activate,
        name="praktijkopleider_activate",
    ),
    path("leerbedrijf/erkenningen/", views.erkenning_list, name="erkenning_list"),
    path("leerbanen/nieuw/", views.leerbaan_create, name="leerbaan_create"),
    path("leerbanen/uploaden/", views.leerbaan_upload, name="leerbaan_upload"),
    # Not "leerbanen/<pk>/<word>/": that is a transition of the leerbaan (candidates.urls).
    path("leerbanen/wijzigen/<int:pk>/", views.leerbaan_edit, name="leerbaan_edit"),
]
