from django.urls import path

from praktijkleren.accounts import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("organisatie/toegang/", views.access_log, name="access_log"),
    path("inloggen/tweede-stap/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path(
        "inloggen/tweede-stap/instellen/",
        two_factor_views.two_factor_setup,
        name="two_factor_setup",
    ),
    path("inloggen/tweede-stap/qr-code.svg", two_factor_views.two_factor_qr, name="two_factor_qr"),
    path(
        "inloggen/tweede-stap/herstelcodes/",
        two_factor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
]
