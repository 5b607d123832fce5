from django.urls import URLPattern, URLResolver, include, path

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    # Listing edits (staff-reviewed) live in their own module; their names are in this namespace too.
    path("listings/", include("clearline.portal.listing_urls")),
]
