from django.urls import URLPattern, URLResolver, path

from . import api_views as views

app_name = "hsds"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi_json, name="openapi"),
    path("services", views.services, name="services"),
    path("services/<str:pk>", views.service_detail, name="service"),
    path("service_at_locations", views.service_at_locations, name="service_at_locations"),
    path("service_at_locations/<str:pk>", views.service_at_location_detail, name="service_at_location"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:pk>", views.organization_detail, name="organization"),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:pk>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:pk>", views.taxonomy_term_detail, name="taxonomy_term"),
]
