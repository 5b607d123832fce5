"""SAMHSA's service-code reference as taxonomy terms, with plain-language names for the listing pages."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import get_language

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
    "HI": "Hospital inpatient (24-hour)",
    "RES": "Residential (24-hour)",
    "ACMA": "Welcomes clients taking medication for alcohol use disorder prescribed elsewhere",
    "DU": "Program for people with a DUI/DWI",
    "CO": "People with both mental health and substance use disorders",
}
SPANISH = Path(__file__).resolve().parent / "data" / "services_es.json"


@cache
def _spanish() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(SPANISH.read_text(encoding="utf-8"))
    return data


def in_spanish() -> bool:
    return (get_language() or "").startswith("es")


def service_name(code: str, english: str) -> str:
    """A service code's name in the active language: Clearline's own Spanish (data/services_es.json) on
    Spanish pages, else the plain English name given."""
    return _spanish()["services"].get(code, english) if in_spanish() else english


def category_name(code: str, english: str) -> str:
    return _spanish()["categories"].get(code, english) if in_spanish() else english


def group_name(key: str, english: str) -> str:
    """A listing page's heading for a group of services (listing.SERVICE_GROUPS) in the active language."""
    return _spanish()["groups"].get(key, english) if in_spanish() else english


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
