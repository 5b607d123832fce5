from django.urls import URLPattern, URLResolver

app_name = "hsds"
urlpatterns: list[URLPattern | URLResolver] = []
