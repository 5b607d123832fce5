from django.urls import URLPattern, URLResolver, path

from clearline.reports import views

app_name = "reports"
# Any one path segment reaches the views, which answer a clear 404 page for a month that is not YYYY-MM or has no
# figures (a converter would hand bad values to the CMS's generic "page not found" instead).
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.transparency_page, name="transparency"),
    path("<str:month>.csv", views.transparency_csv, name="transparency_csv"),
    path("<str:month>/", views.transparency_month, name="transparency_month"),
    path("<str:month>/claims.csv", views.transparency_claims_csv, name="transparency_claims_csv"),
    path("<str:month>/calls.csv", views.transparency_calls_csv, name="transparency_calls_csv"),
]
