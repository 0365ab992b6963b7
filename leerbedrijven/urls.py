from django.urls import path

from leerbedrijven import views

app_name = "leerbedrijven"

urlpatterns = [
    path("leerbanen/", views.leerbaan_list, name="leerbaan_list"),
    path("leerbedrijf/erkenningen/", views.erkenning_list, name="erkenning_list"),
]
