from django.urls import path

from leerbedrijven import views

app_name = "leerbedrijven"

urlpatterns = [
    path("leerbanen/", views.leerbaan_list, name="leerbaan_list"),
    # The werkgever's leerbedrijf; its profile page is candidates:leerbedrijf_detail.
    path("leerbedrijf/", views.leerbedrijf_list, name="leerbedrijf_list"),
    path("leerbedrijf/<int:pk>/wijzigen/", views.leerbedrijf_edit, name="leerbedrijf_edit"),
    path(
        "leerbedrijf/<int:pk>/vestigingen/nieuw/",
        views.vestiging_create,
        name="vestiging_create",
    ),
    path(
        "leerbedrijf/vestigingen/<int:pk>/wijzigen/",
        views.vestiging_edit,
        name="vestiging_edit",
    ),
    path(
        "leerbedrijf/<int:pk>/contactpersonen/nieuw/",
        views.contactperson_create,
        name="contactperson_create",
    ),
    path(
        "leerbedrijf/contactpersonen/<int:pk>/wijzigen/",
        views.contactperson_edit,
        name="contactperson_edit",
    ),
    path(
        "leerbedrijf/contactpersonen/<int:pk>/verwijderen/",
        views.contactperson_delete,
        name="contactperson_delete",
    ),
    path(
        "leerbedrijf/<int:pk>/praktijkopleiders/nieuw/",
        views.praktijkopleider_create,
        name="praktijkopleider_create",
    ),
    path(
        "leerbedrijf/praktijkopleiders/<int:pk>/wijzigen/",
        views.praktijkopleider_edit,
        name="praktijkopleider_edit",
    ),
    path(
        "leerbedrijf/praktijkopleiders/<int:pk>/deactiveren/",
        views.praktijkopleider_deactivate,
        name="praktijkopleider_deactivate",
    ),
    path(
        "leerbedrijf/praktijkopleiders/<int:pk>/activeren/",
        views.praktijkopleider_activate,
        name="praktijkopleider_activate",
    ),
    path("leerbedrijf/erkenningen/", views.erkenning_list, name="erkenning_list"),
]
