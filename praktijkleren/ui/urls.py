"""Portal-wide URLs; global names (no app namespace): ``home``, ``login``, ``logout``."""

from django.urls import path

from praktijkleren.ui import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
]
