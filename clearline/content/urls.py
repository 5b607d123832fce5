from django.urls import path

from clearline.content import views

app_name = "content"
urlpatterns = [
    path("where-do-calls-go/", views.where_calls_go, name="where_calls_go"),
    path("search/", views.search, name="search"),
    path("not-translated/<int:page_id>/", views.not_translated, name="not_translated"),
]
