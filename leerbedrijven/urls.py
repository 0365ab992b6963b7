from django.urls import path

from leerbedrijven import views

app_name = "leerbedrijven"

urlpatterns = [
    path("leerbanen/", views.leerbaan_list, name="leerbaan_list"),
    path("leerbanen/nieuw/", views.leerbaan_create, name="leerbaan_create"),
    path("leerbanen/uploaden/", views.leerbaan_upload, name="leerbaan_upload"),
    # Not "leerbanen/<pk>/<word>/": that is a transition of the leerbaan (candidates.urls).
    path("leerbanen/wijzigen/<int:pk>/", views.leerbaan_edit, name="leerbaan_edit"),
]
