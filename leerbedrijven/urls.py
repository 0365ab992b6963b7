app_name = "leerbedrijven"

urlpatterns: list = []
