"""Portal-wide URLs; global names (no app namespace): ``home``, ``login``, ``logout``,
``session_keep_alive``, ``favicon``."""

from django.urls import path

from praktijkleren.ui import sessions, views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("sessie/verlengen/", sessions.keep_alive, name="session_keep_alive"),
    path("favicon.ico", views.favicon, name="favicon"),
]
