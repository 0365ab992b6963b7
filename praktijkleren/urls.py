"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from praktijkleren.health import health, readiness

urlpatterns = [
    path("", include("praktijkleren.ui.urls")),
    path("", include("candidates.urls")),
    path("", include("trajecten.urls")),
    path("", include("leerbedrijven.urls")),
    path("", include("opleidingen.urls")),
    path("", include("praktijkleren.notifications.urls")),
    path("", include("praktijkleren.accounts.urls")),
    path("beheer/", admin.site.urls),
    path("gezondheid/", health, name="health"),
    path("gezondheid/gereed/", readiness, name="readiness"),
]
