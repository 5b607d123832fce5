"""What a listing page shows: services grouped by category, phones, directions, and schema.org JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import Facility, TaxonomyTerm

# Categories that are survey bookkeeping rather than something a person choosing care needs to read.
HIDDEN_CATEGORIES = {"OMSC", "SMAT", "SMP", "FVP"}


@dataclass(frozen=True)
class ServiceGroup:
    name: str
    services: list[str]


def service_groups(facility: Facility) -> list[ServiceGroup]:
    codes = set(facility.codes)
    terms = TaxonomyTerm.objects.select_related("parent").filter(code__in=codes, parent__isnull=False)
    groups: dict[int, tuple[TaxonomyTerm, list[TaxonomyTerm]]] = {}
    for term in terms:
        assert term.parent is not None
        if term.parent.code in HIDDEN_CATEGORIES:
            continue
        groups.setdefault(term.parent.pk, (term.parent, []))[1].append(term)
    ordered = sorted(groups.values(), key=lambda group: group[0].position)
    return [
        ServiceGroup(parent.name, [t.display_name for t in sorted(children, key=lambda t: t.position)])
        for parent, children in ordered
    ]


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
        "json_ld": json_ld(facility, phones),
        "organization": facility.organization,
        "hours": [s.description for s in facility.schedules.all() if s.description],
    }
