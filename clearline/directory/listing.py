"""What a listing page shows: services grouped by category, phones, directions, and schema.org JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import Facility, TaxonomyTerm
from .sources import is_fictional, listing_source, location_source
from .taxonomy import group_name, service_name

# Categories that are survey bookkeeping rather than something a person choosing care needs to read.
HIDDEN_CATEGORIES = {"OMSC", "SMAT", "SMP", "FVP"}

# SAMHSA's 31 categories under plain headings, in the order people ask about them: what kind of care, how to
# pay, whether they are old enough, whether they will be understood; then the rest. (key, English, categories)
SERVICE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("care", "Type of care", ("TC", "SET", "HOSP")),
    ("payment", "Payment and insurance", ("PAY", "PYAS")),
    ("ages", "Ages", ("AGE",)),
    ("languages", "Languages", ("SL", "OL")),
    ("medications", "Medications", ("OM", "OT", "PHR", "AUT")),
    ("detox", "Detox (supervised withdrawal)", ("DETOX",)),
    ("groups", "Programs for specific groups", ("SG", "GN", "EXCL")),
    ("counseling", "Counseling and therapy", ("TAP", "ECS")),
    ("testing", "Assessment, testing and medical care", ("ASPT", "SCR", "MSRV")),
    ("support", "Support during and after treatment", ("TRSRV", "RSS", "AS", "OTHR")),
    ("operation", "Who runs it, licenses and accreditation", ("FOP", "LCA")),
)
OTHER_GROUP = ("other", "Other services")
OPEN_GROUPS = (
    5  # care, payment, ages, languages, medications show open; the rest fold (the page was 6,000 px)
)
GROUP_OF_CATEGORY = {
    category: n for n, (_, _, categories) in enumerate(SERVICE_GROUPS) for category in categories
}


@dataclass(frozen=True)
class ServiceGroup:
    key: str
    name: str
    services: list[str]
    folded: bool = False


def service_groups(facility: Facility) -> list[ServiceGroup]:
    """The facility's services under plain headings (SERVICE_GROUPS), most asked first, in the page's language."""
    codes = set(facility.codes)
    terms = TaxonomyTerm.objects.select_related("parent").filter(code__in=codes, parent__isnull=False)
    buckets: dict[int, list[TaxonomyTerm]] = {}
    for term in terms:
        assert term.parent is not None
        if term.parent.code in HIDDEN_CATEGORIES:
            continue
        buckets.setdefault(GROUP_OF_CATEGORY.get(term.parent.code, len(SERVICE_GROUPS)), []).append(term)
    groups = []
    for index in sorted(buckets):
        key, english = SERVICE_GROUPS[index][:2] if index < len(SERVICE_GROUPS) else OTHER_GROUP
        ordered = sorted(buckets[index], key=lambda t: (t.parent.position if t.parent else 0, t.position))
        names: list[str] = []
        for term in ordered:
            name = service_name(term.code, term.display_name)
            if name not in names:  # e.g. "Methadone" both as a medication used and as a pharmacotherapy
                names.append(name)
        groups.append(ServiceGroup(key, group_name(key, english), names, folded=index >= OPEN_GROUPS))
    return groups


def address_line(facility: Facility) -> str:
    street = ", ".join(part for part in (facility.street1, facility.street2) if part)
    return f"{street}, {facility.city}, {facility.state} {facility.postal_code}".lstrip(", ")


def directions_url(facility: Facility) -> str:
    # A plain link (no embedded map, no third-party script): the visitor's map app opens it.
    return "https://www.google.com/maps/dir/?" + urlencode({"api": 1, "destination": address_line(facility)})


def json_ld(facility: Facility, phones: list[Any]) -> SafeString:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ["MedicalClinic", "MedicalOrganization"],
        "name": facility.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(p for p in (facility.street1, facility.street2) if p),
            "addressLocality": facility.city,
            "addressRegion": facility.state,
            "postalCode": facility.postal_code,
            "addressCountry": "US",
        },
        "medicalSpecialty": "https://schema.org/Psychiatric",
    }
    if facility.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": facility.latitude,
            "longitude": facility.longitude,
        }
    if facility.alternate_name:
        data["alternateName"] = facility.alternate_name
    if phones:
        data["telephone"] = phones[0].number
    # Escape like Django's json_script so the data cannot close the script element.
    text = json.dumps(data).replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


def listing_context(facility: Facility) -> dict[str, Any]:
    phones = list(facility.phones.all())
    return {
        "facility": facility,
        "phones": phones,
        "groups": service_groups(facility),
        "address": address_line(facility),
        "directions_url": directions_url(facility),
        # A fictional demo facility publishes no structured data: search engines would take it for a clinic.
        "json_ld": "" if is_fictional(facility) else json_ld(facility, phones),
        "organization": facility.organization,
        "hours": [s.description for s in facility.schedules.all() if s.description],
        "listing_source": listing_source(facility),
        "location_source": location_source(facility),
        "fictional": is_fictional(facility),
    }
