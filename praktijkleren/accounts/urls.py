from django.urls import path

from praktijkleren.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisatie/toegang/", views.access_log, name="access_log"),
]
