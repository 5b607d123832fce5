"""SAMHSA's service-code reference as taxonomy terms, with plain-language names for the listing pages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from .models import TaxonomyTerm

NAMESPACE = uuid.UUID("6f1c1d9e-8a53-4a3b-9a56-3c1b2f0e7d11")  # Clearline's uuid5 namespace for HSDS ids
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:samhsa-2022")
TAXONOMY_NAME = "SAMHSA National Directory 2022 service codes"

# Where SAMHSA's wording is survey language, a plainer name for people reading a listing page.
PLAIN_NAMES = {
    "SA": "Substance use treatment",
    "DT": "Detox (medically supervised withdrawal)",
    "SUMH": "Treatment for substance use together with serious mental illness",
    "MU": "Methadone",
    "BU": "Buprenorphine",
    "NU": "Naltrexone",
    "OTP": "Federally certified opioid treatment program (OTP)",
    "ODT": "Day treatment or partial hospitalization",
    "OMB": "Outpatient medication treatment (methadone, buprenorphine or naltrexone)",
    "PMAT": "Prescribes medication for alcohol use disorder",
    "MOA": "Welcomes clients taking medication prescribed elsewhere",
    "NMOA": "Does not use medication for opioid use disorder",
    "SF": "Cash or self-payment",
    "NP": "Free (no payment accepted)",
    "SS": "Sliding fee scale (based on income)",
    "MI": "Military insurance (e.g., TRICARE)",
    "AH": "Sign language (ASL) services",
    "GL": "LGBTQ+ people",
    "CJ": "People involved with the criminal justice system",
    "TELE": "Telehealth",
    "NOE": "Naloxone and overdose education",
}


def term_uuid(code: str, category: bool) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"samhsa-2022:{'category' if category else 'code'}:{code}")


def clean(text: object) -> str:
    return " ".join(str(text or "").split())


@transaction.atomic
def load_service_codes(rows: Iterable[Mapping[str, object]]) -> int:
    """Create or update SAMHSA's categories and codes; returns how many terms changed. Idempotent."""
    categories: dict[str, dict[str, Any]] = {}
    codes: dict[str, dict[str, Any]] = {}
    for row in rows:
        category, code = clean(row.get("category_code")), clean(row.get("service_code"))
        if not category or not code:
            continue
        if category not in categories:
            categories[category] = {
                "name": clean(row.get("category_name")),
                "description": "",
                "parent": None,
            }
        codes[code] = {
            "name": clean(row.get("service_name")),
            "description": clean(row.get("service_description")),
            "parent": category,
        }
    existing = {term.code: term for term in TaxonomyTerm.objects.all()}
    changed = _save_level(existing, categories, 0) + _save_level(existing, codes, len(categories))
    return changed


def _save_level(existing: dict[str, TaxonomyTerm], wanted: dict[str, dict[str, Any]], offset: int) -> int:
    new, updated = [], []
    for position, (code, spec) in enumerate(wanted.items(), start=offset + 1):
        values = {
            "name": spec["name"],
            "description": spec["description"],
            "plain_name": PLAIN_NAMES.get(code, ""),
            "parent_id": existing[spec["parent"]].pk if spec["parent"] else None,
            "position": position,
        }
        term = existing.get(code)
        if term is None:
            new.append(TaxonomyTerm(code=code, uuid=term_uuid(code, spec["parent"] is None), **values))
        elif any(getattr(term, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(term, key, value)
            updated.append(term)
    for term in TaxonomyTerm.objects.bulk_create(new):
        existing[term.code] = term
    TaxonomyTerm.objects.bulk_update(updated, ["name", "description", "plain_name", "parent_id", "position"])
    return len(new) + len(updated)


def known_codes() -> set[str]:
    return set(TaxonomyTerm.objects.filter(parent__isnull=False).values_list("code", flat=True))
