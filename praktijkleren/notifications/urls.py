from django.urls import path

from praktijkleren.notifications import views

app_name = "notifications"

urlpatterns = [
    path("meldingen/", views.notification_list, name="list"),
    path("meldingen/voorkeuren/", views.preferences, name="preferences"),
    path("meldingen/alles-gelezen/", views.notifications_mark_all_read, name="mark_all_read"),
    path("meldingen/<int:pk>/", views.notification_open, name="open"),
    path("meldingen/<int:pk>/gelezen/", views.notification_mark_read, name="mark_read"),
    path("organisatie/meldingen/", views.organisation_settings, name="organisation_settings"),
    path("organisatie/meldingen/test/", views.webhook_test, name="webhook_test"),
    path("organisatie/meldingen/geheim/", views.webhook_secret_renew, name="webhook_secret"),
    path("organisatie/meldingen/aanzetten/", views.webhook_enable, name="webhook_enable"),
    path("organisatie/meldingen/uitzetten/", views.webhook_disable, name="webhook_disable"),
    path("organisatie/meldingen/logboek/", views.delivery_log, name="delivery_log"),
    path(
        "organisatie/meldingen/logboek/<int:pk>/opnieuw/",
        views.delivery_resend,
        name="delivery_resend",
    ),
]
