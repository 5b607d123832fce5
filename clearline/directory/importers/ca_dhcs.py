"""`clearline import_ca_dhcs`: California DHCS license and bed-capacity data onto facilities.

A row matches a facility already holding its license number, else a facility at the same street address and
ZIP code (the SAMHSA file has no license numbers); unmatched rows become new facilities (source "ca-dhcs").
Beds are recorded for residential settings only: an outpatient program's "capacity" counts slots, not beds.
"""

from __future__ import annotations

import difflib
import re
import uuid
from datetime import date
from pathlib import Path

from django.db import transaction

from clearline.lib.phone import InvalidPhoneNumber

from ..geo import ZIP_RE, zip_centroid
from ..models import Facility, Organization, Phone, pad_codes
from ..taxonomy import NAMESPACE, clean
from .files import read_csv
from .report import ImportReport, Problem
from .samhsa import parse_phone, replace_phones

SOURCE = "ca-dhcs"
ABBREVIATIONS = {
    "STREET": "ST", "AVENUE": "AVE", "ROAD": "RD", "BOULEVARD": "BLVD", "DRIVE": "DR", "LANE": "LN",
    "COURT": "CT", "PLACE": "PL", "HIGHWAY": "HWY", "PARKWAY": "PKWY", "SUITE": "STE", "NORTH": "N",
    "SOUTH": "S", "EAST": "E", "WEST": "W", "CIRCLE": "CIR", "WAY": "WAY", "TERRACE": "TER",
}  # fmt: skip


def street_key(street: str, postal: str) -> str:
    words = re.sub(r"[^A-Z0-9 ]", " ", street.upper()).split()
    words = [ABBREVIATIONS.get(w, w) for w in words]
    if "STE" in words:  # the suite is often missing on one side
        words = words[: words.index("STE")]
    return f"{postal[:5]}|{' '.join(words)}"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def import_ca_dhcs(path: Path) -> ImportReport:
    report = ImportReport()
    with transaction.atomic():
        facilities = list(Facility.objects.filter(state="CA").prefetch_related("phones"))
        by_license = {f.license_number: f for f in facilities if f.license_number}
        by_street: dict[str, list[Facility]] = {}
        for f in facilities:
            by_street.setdefault(street_key(f.street1, f.postal_code), []).append(f)
        for line, row in read_csv(path):
            report.rows += 1
            _import_row(line, row, by_license, by_street, report)
    return report


def _import_row(
    line: int,
    row: dict[str, str],
    by_license: dict[str, Facility],
    by_street: dict[str, list[Facility]],
    report: ImportReport,
) -> None:
    license_number, name, postal = (
        clean(row.get("license_number")),
        clean(row.get("facility_name")),
        clean(row.get("zip")),
    )
    if not license_number:
        report.rejected.append(Problem(line, "no license number", "license_number"))
        return
    if not name:
        report.rejected.append(Problem(line, "the facility has no name", "facility_name"))
        return
    if not ZIP_RE.match(postal):
        report.rejected.append(Problem(line, f"{postal!r} is not a ZIP code", "zip"))
        return
    residential = clean(row.get("setting_code")) == "RES"
    values: dict[str, object] = {
        "license_number": license_number,
        "license_expires": _date(row.get("license_expiration", "")),
        "capacity_beds": int(row["treatment_capacity"])
        if residential and row.get("treatment_capacity", "").isdigit()
        else None,
    }
    facility = by_license.get(license_number)
    if facility is None:
        candidates = [
            f
            for f in by_street.get(street_key(clean(row.get("address_line1")), postal), [])
            if not f.license_number
        ]
        if candidates:
            facility = max(
                candidates, key=lambda f: difflib.SequenceMatcher(None, f.name.upper(), name.upper()).ratio()
            )
    if facility is None:
        _create(line, row, values, report)
        return
    if all(getattr(facility, k) == v for k, v in values.items()):
        report.unchanged += 1
        return
    for key, value in values.items():
        setattr(facility, key, value)
    facility.save()
    by_license[license_number] = facility
    report.updated += 1


def _create(line: int, row: dict[str, str], values: dict[str, object], report: ImportReport) -> None:
    postal = clean(row.get("zip"))[:5]
    try:
        point: tuple[float, float] | None = (float(row["latitude"]), float(row["longitude"]))
        geo_source = "ca-dhcs"
    except (KeyError, ValueError):
        point, geo_source = zip_centroid(postal), "zip_centroid"
    if point is None:
        report.rejected.append(
            Problem(line, f"ZIP code {postal} is unknown and the row has no coordinates", "zip")
        )
        return
    codes = ["SA", "RES" if clean(row.get("setting_code")) == "RES" else "OP"]
    if clean(row.get("offers_detox")) == "true":
        codes.append("DT")
    key = clean(row["license_number"])
    organization = Organization.objects.create(
        uuid=uuid.uuid5(NAMESPACE, f"{SOURCE}:{key}:organization"),
        name=clean(row.get("legal_entity")) or clean(row["facility_name"]),
    )
    facility = Facility.objects.create(
        uuid=uuid.uuid5(NAMESPACE, f"{SOURCE}:{key}:location"),
        service_uuid=uuid.uuid5(NAMESPACE, f"{SOURCE}:{key}:service"),
        organization=organization,
        name=clean(row["facility_name"]),
        street1=clean(row.get("address_line1")),
        street2=clean(row.get("address_line2")),
        city=clean(row.get("city")).title(),
        state="CA",
        postal_code=postal,
        county=clean(row.get("county")).removesuffix(" County"),
        latitude=point[0],
        longitude=point[1],
        geo_source=geo_source,
        service_codes=pad_codes(codes),
        source=SOURCE,
        source_id=key,
        **values,
    )
    phone_text = clean(row.get("phone"))
    if phone_text:
        try:
            number, extension = parse_phone(phone_text)
            replace_phones(facility, [(Phone.Kind.MAIN, number, extension)])
        except InvalidPhoneNumber as exc:
            report.warnings.append(Problem(line, str(exc), "phone"))
    report.created += 1
