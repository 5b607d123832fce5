from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "directory"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search_page, name="search"),
    path("<int:pk>/", views.facility_page, name="facility"),
]
