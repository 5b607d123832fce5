"""The HSDS 3.0 wire format: facilities, organizations and terms as HSDS objects (plain dicts for JSON).

One SAMHSA facility is an HSDS location with one service delivered there, so each Facility yields a service,
a location and the service_at_location joining them. Fields with no value are left out, never null: the HSDS
schemas type them as strings or numbers.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from .models import Facility, Organization, Phone, TaxonomyTerm
from .taxonomy import NAMESPACE, TAXONOMY_ID, TAXONOMY_NAME

Json = dict[str, Any]
TAXONOMY_DESCRIPTION = (
    "Service codes of the Substance Abuse and Mental Health Services Administration's National Directory of "
    "Drug and Alcohol Abuse Treatment Facilities 2022 (N-SUMHSS): 31 categories and 225 codes."
)


def _compact(data: Json) -> Json:
    return {key: value for key, value in data.items() if value not in (None, "")}


# A service_at_location id is its location id XOR this mask: distinct, stable and reversible without a column.
# The mask leaves the version nibble and variant bits alone, so the result is still a well-formed UUID.
SAL_MASK = 0x5A5A5A5A_5A5A_0A5A_3A5A_5A5A5A5A5A5A


def sal_uuid(facility: Facility) -> uuid.UUID:
    return uuid.UUID(int=facility.uuid.int ^ SAL_MASK)


def location_uuid_for_sal(sal_id: uuid.UUID) -> uuid.UUID:
    return uuid.UUID(int=sal_id.int ^ SAL_MASK)


def taxonomy() -> Json:
    return {
        "id": str(TAXONOMY_ID),
        "name": TAXONOMY_NAME,
        "description": TAXONOMY_DESCRIPTION,
        "version": "2022",
    }


def taxonomy_term(term: TaxonomyTerm, parent_uuid: uuid.UUID | None = None) -> Json:
    return _compact(
        {
            "id": str(term.uuid),
            "code": term.code,
            "name": term.name,
            "description": term.description or term.name,
            "parent_id": str(parent_uuid) if parent_uuid else None,
            "taxonomy": TAXONOMY_NAME,
            "taxonomy_id": str(TAXONOMY_ID),
            "language": "en",
        }
    )


def phone(item: Phone, facility: Facility) -> Json:
    data: Json = {
        "id": str(item.uuid),
        "location_id": str(facility.uuid),
        "number": item.number,
        "type": "voice",
        "description": f"{item.get_kind_display()} ({'verified' if item.is_verified else 'unverified'})",
    }
    if item.extension:
        data["extension"] = int(item.extension)
    return data


def organization(org: Organization) -> Json:
    return _compact(
        {
            "id": str(org.uuid),
            "name": org.name,
            "alternate_name": org.alternate_name,
            "description": org.description or org.name,
            "website": org.website,
        }
    )


def address(facility: Facility) -> Json:
    return _compact(
        {
            "id": str(uuid.uuid5(NAMESPACE, f"address:{facility.uuid}")),
            "location_id": str(facility.uuid),
            "address_1": facility.street1 or facility.name,
            "address_2": facility.street2,
            "city": facility.city,
            "region": facility.county,
            "state_province": facility.state,
            "postal_code": facility.postal_code,
            "country": "US",
            "address_type": "physical",
        }
    )


def location(facility: Facility, nested: bool = True) -> Json:
    data = _compact(
        {
            "id": str(facility.uuid),
            "location_type": "physical",
            "organization_id": str(facility.organization.uuid),
            "name": facility.name,
            "alternate_name": facility.alternate_name,
            "latitude": facility.latitude,
            "longitude": facility.longitude,
            "external_identifier": f"{facility.source}:{facility.source_id}",
            "external_identifier_type": facility.source,
        }
    )
    if nested:
        data["addresses"] = [address(facility)]
        data["phones"] = [phone(p, facility) for p in facility.phones.all()]
    return data


def service(facility: Facility, terms: Mapping[str, TaxonomyTerm] | None = None, full: bool = False) -> Json:
    licenses = f"California DHCS license {facility.license_number}" if facility.license_number else ""
    data = _compact(
        {
            "id": str(facility.service_uuid),
            "organization_id": str(facility.organization.uuid),
            "name": facility.name,
            "alternate_name": facility.alternate_name,
            "description": f"Treatment services at {facility.name}, {facility.city}, {facility.state}.",
            "status": "active",
            "licenses": licenses,
            "assured_date": facility.last_verified.isoformat() if facility.last_verified else None,
            "last_modified": facility.updated_at.isoformat().replace("+00:00", "Z"),
        }
    )
    if not full:
        return data
    data["organization"] = organization(facility.organization)
    data["phones"] = [phone(p, facility) for p in facility.phones.all()]
    data["service_at_locations"] = [service_at_location(facility, nested=False)]
    data["attributes"] = attributes(facility, terms or {})
    return data


def attributes(facility: Facility, terms: Mapping[str, TaxonomyTerm]) -> list[Json]:
    out = []
    for code in facility.codes:
        term = terms.get(code)
        if term is None:
            continue
        parent = terms.get(term.parent.code) if term.parent_id and term.parent else None
        out.append(
            {
                "id": str(uuid.uuid5(facility.service_uuid, code)),
                "link_id": str(facility.service_uuid),
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": str(term.uuid),
                "taxonomy_term": taxonomy_term(term, parent.uuid if parent else None),
                "value": "true",
            }
        )
    return out


def service_at_location(facility: Facility, nested: bool = True) -> Json:
    data: Json = {
        "id": str(sal_uuid(facility)),
        "service_id": str(facility.service_uuid),
        "location_id": str(facility.uuid),
    }
    if nested:
        data["location"] = location(facility, nested=False)
        data["service"] = service(facility)
    return data


def page(items: list[Json], total: int, page_number: int, per_page: int) -> Json:
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(items),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": total == 0,
        "contents": items,
    }
