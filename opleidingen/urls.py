from django.urls import path

from opleidingen import views

app_name = "opleidingen"

urlpatterns = [
    path("opleidingsaanbod/", views.aanbod_search, name="aanbod_search"),
    path("aanbod/", views.aanbod_list, name="aanbod_list"),
    path("aanbod/nieuw/", views.aanbod_create, name="aanbod_create"),
    path("aanbod/<int:pk>/wijzigen/", views.aanbod_edit, name="aanbod_edit"),
    path(
        "aanbod/<int:pk>/startmomenten/nieuw/",
        views.startmoment_create,
        name="startmoment_create",
    ),
    path("startmomenten/<int:pk>/wijzigen/", views.startmoment_edit, name="startmoment_edit"),
    path(
        "startmomenten/<int:pk>/verwijderen/",
        views.startmoment_delete,
        name="startmoment_delete",
    ),
]
