"""SAMHSA's service-code reference as taxonomy terms, with plain-language names for the listing pages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

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
    existing = {term.code: term for term in TaxonomyTerm.objects.all()}
    changed = 0
    categories: dict[str, TaxonomyTerm] = {}
    position = 0
    for row in rows:
        category_code, code = clean(row.get("category_code")), clean(row.get("service_code"))
        if not category_code or not code:
            continue
        if category_code not in categories:
            position += 1
            term, did = _upsert(existing, category_code, clean(row.get("category_name")), "", None, position)
            categories[category_code], changed = term, changed + did
        position += 1
        _, did = _upsert(
            existing, code, clean(row.get("service_name")), clean(row.get("service_description")),
            categories[category_code], position,
        )  # fmt: skip
        changed += did
    return changed


def _upsert(
    existing: dict[str, TaxonomyTerm],
    code: str,
    name: str,
    description: str,
    parent: TaxonomyTerm | None,
    position: int,
) -> tuple[TaxonomyTerm, int]:
    values = {
        "name": name,
        "description": description,
        "plain_name": PLAIN_NAMES.get(code, ""),
        "parent_id": parent.pk if parent else None,
        "position": position,
    }
    term = existing.get(code)
    if term is None:
        term = TaxonomyTerm.objects.create(code=code, uuid=term_uuid(code, parent is None), **values)
        existing[code] = term
        return term, 1
    if all(getattr(term, key) == value for key, value in values.items()):
        return term, 0
    for key, value in values.items():
        setattr(term, key, value)
    term.save()
    return term, 1


def known_codes() -> set[str]:
    return set(TaxonomyTerm.objects.filter(parent__isnull=False).values_list("code", flat=True))
