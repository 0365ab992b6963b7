app_name = "opleidingen"

urlpatterns: list = []
