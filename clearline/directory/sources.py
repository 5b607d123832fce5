"""What each listing says about where its data comes from: the listing's source, and its location's source.

SAMHSA's listings are public domain; their coordinates come from OEPS (GeoDa Center) or, where no match was
found, from the ZIP code's centroid (GeoNames, CC BY 4.0: attribution required). The demo's own facilities
are fictional and say so. See data/NOTICE.md.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import SAMHSA_2022, Facility

DEMO = "demo"
# The publication's title, a proper name: the same on Spanish pages.
SAMHSA_CITATION = (
    "Substance Abuse and Mental Health Services Administration, National Directory of Drug and Alcohol Abuse "
    "Treatment Facilities 2022"
)
OEPS = "Opioid Environment Policy Scan (OEPS), GeoDa Center, University of Chicago"  # a proper name too


def is_fictional(facility: Facility) -> bool:
    return facility.source == DEMO


def listing_source(facility: Facility) -> str:
    """The listing's source as the page states it ("Clearline demo data (fictional)" for the demo's own)."""
    return SAMHSA_CITATION if facility.source == SAMHSA_2022 else facility.citation


def location_source(facility: Facility) -> str:
    """Where the listing's map position comes from ('' when nothing needs saying)."""
    geo = facility.geo_source
    if is_fictional(facility) or facility.latitude is None:
        return ""
    if geo.startswith("geoda"):
        return OEPS
    if geo == "zip_centroid":
        return _(
            "location: the centre of ZIP code %(zip)s, from GeoNames (CC BY 4.0), so distances are approximate"
        ) % {"zip": facility.postal_code[:5]}
    if geo == "ca-dhcs":
        return str(facility.citation)
    return ""


def results_sources(facilities: list[Facility]) -> dict[str, bool]:
    """Which sources the shown results draw on, for the note under them."""
    return {
        "samhsa": any(f.source == SAMHSA_2022 for f in facilities),
        "oeps": any(f.geo_source.startswith("geoda") for f in facilities),
        "geonames": any(f.geo_source == "zip_centroid" for f in facilities),
        "demo": any(is_fictional(f) for f in facilities),
        "ca_dhcs": any(f.source == "ca-dhcs" for f in facilities),
    }
