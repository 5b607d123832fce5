from django.urls import URLPattern, URLResolver, path

from . import listings

# Included under /portal/listings/ in the "portal" namespace (clearline/portal/urls.py).
urlpatterns: list[URLPattern | URLResolver] = [
    path("", listings.listings, name="listings"),
    path("<int:facility_id>/edit/", listings.propose, name="listing_propose"),
    path("edits/<int:edit_id>/", listings.edit_detail, name="listing_edit"),
    path("edits/<int:edit_id>/withdraw/", listings.withdraw, name="listing_withdraw"),
]
