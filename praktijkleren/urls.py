"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("praktijkleren.ui.urls")),
    path("kandidaten/", include("candidates.urls")),
    path("leerbedrijven/", include("leerbedrijven.urls")),
    path("opleidingen/", include("opleidingen.urls")),
    path("beheer/", admin.site.urls),
]
