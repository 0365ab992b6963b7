from django.urls import path

from opleidingen import views

app_name = "opleidingen"

urlpatterns = [
    path("opleidingsaanbod/", views.aanbod_search, name="aanbod_search"),
]
