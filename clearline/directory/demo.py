"""Fictional facilities for `make run`: invented names, 555-01xx numbers, real-looking places. Idempotent."""

from __future__ import annotations

import uuid

from django.db import transaction

from .models import SAMHSA_2022, Facility, Organization, Phone, TaxonomyTerm, pad_codes
from .taxonomy import NAMESPACE, PLAIN_NAMES, term_uuid

# Terms the demo uses, in Clearline's own words; a real SAMHSA import replaces them with SAMHSA's wording.
DEMO_CATEGORIES = {
    "TC": ("Type of care", ["SA", "DT", "SUMH"]),
    "SET": ("Service setting", ["OP", "OIT", "ODT", "RES", "RS", "RL", "HID"]),
    "OM": ("Medications for opioid use disorder", ["MU", "BU", "NU"]),
    "OT": ("Type of opioid treatment", ["OTP"]),
    "PAY": ("Payment accepted", ["MD", "MC", "PI", "SF", "NP", "MI"]),
    "PYAS": ("Payment assistance", ["SS"]),
    "SG": ("Special programs", ["VET", "GL", "PW", "AD"]),
    "AGE": ("Age groups accepted", ["ADLT", "CHLD", "YAD", "SNR"]),
    "SL": ("Language services", ["SP", "AH"]),
    "AS": ("Other services", ["MHS", "CM", "TA"]),
}
DEMO_NAMES = {
    "OP": "Outpatient", "OIT": "Intensive outpatient", "RES": "Residential", "RS": "Residential, short term",
    "RL": "Residential, long term", "HID": "Hospital inpatient detox", "MD": "Medicaid", "MC": "Medicare",
    "PI": "Private health insurance", "VET": "Veterans", "PW": "Pregnant or postpartum women",
    "AD": "Adolescents", "ADLT": "Adults", "CHLD": "Children and adolescents", "YAD": "Young adults",
    "SNR": "Seniors", "SP": "Spanish", "MHS": "Mental health services", "CM": "Case management",
    "TA": "Transportation assistance",
}  # fmt: skip

DEMO_FACILITIES = [
    (
        "Cedar Hollow Recovery Center",
        "1450 Larimer Street",
        "Denver",
        "CO",
        "80202",
        "Denver",
        39.7486,
        -104.9990,
        "303-555-0101",
        "SA DT OP OIT MU BU NU OTP MD MC PI SF SS ADLT YAD SP MHS",
    ),
    (
        "Bluebird Outpatient Services",
        "2300 East Colfax Avenue",
        "Denver",
        "CO",
        "80206",
        "Denver",
        39.7402,
        -104.9577,
        "303-555-0102",
        "SA OP OIT BU NU MD PI SF ADLT YAD SNR GL AH CM",
    ),
    (
        "Front Range Family Residence",
        "7800 West Alameda Avenue",
        "Lakewood",
        "CO",
        "80226",
        "Jefferson",
        39.7107,
        -105.0830,
        "303-555-0103",
        "SA RES RS RL PW AD CHLD ADLT PI SS SP MHS TA",
    ),
    (
        "Mesa Vista Veterans Program",
        "9100 East Hampden Avenue",
        "Denver",
        "CO",
        "80231",
        "Denver",
        39.6530,
        -104.8820,
        "303-555-0104",
        "SA SUMH OP VET MI MD MC ADLT SNR MHS CM",
    ),
    (
        "Riverside Bridge Clinic",
        "450 West Broad Street",
        "Columbus",
        "OH",
        "43215",
        "Franklin",
        39.9570,
        -83.0090,
        "614-555-0105",
        "SA OP MU BU OTP MD MC SF NP ADLT SP CM",
    ),
    (
        "Oak & Lantern Treatment House",
        "1200 North High Street",
        "Columbus",
        "OH",
        "43201",
        "Franklin",
        39.9830,
        -83.0050,
        "614-555-0106",
        "SA DT RES RS HID BU NU PI SF SS ADLT YAD GL MHS",
    ),
    (
        "Harbor Light Youth Services",
        "3500 Cleveland Avenue",
        "Columbus",
        "OH",
        "43224",
        "Franklin",
        40.0250,
        -82.9650,
        "614-555-0107",
        "SA SUMH OP OIT ODT AD CHLD MD PI SS SP AH MHS",
    ),
    (
        "Northgate Community Counseling",
        "5800 North Meridian Street",
        "Indianapolis",
        "IN",
        "46208",
        "Marion",
        39.8600,
        -86.1590,
        "317-555-0108",
        "SA OP NU MD MC PI NP ADLT SNR VET CM TA",
    ),
]


def _demo_terms() -> None:
    for position, (category, (name, codes)) in enumerate(DEMO_CATEGORIES.items()):
        parent, _ = TaxonomyTerm.objects.get_or_create(
            code=category,
            defaults={"name": name, "uuid": term_uuid(category, True), "position": position * 20},
        )
        for offset, code in enumerate(codes, start=1):
            label = PLAIN_NAMES.get(code) or DEMO_NAMES.get(code, code)
            TaxonomyTerm.objects.get_or_create(
                code=code,
                defaults={
                    "name": label,
                    "plain_name": label,
                    "parent": parent,
                    "uuid": term_uuid(code, False),
                    "position": position * 20 + offset,
                },
            )


@transaction.atomic
def load_demo_facilities() -> int:
    """Create or refresh the fictional facilities; returns how many exist afterwards."""
    _demo_terms()
    # Corrected through a reviewed edit or the admin: reloading the demo keeps the correction.
    corrected = set(
        Facility.objects.filter(source="demo")
        .exclude(corrected_fields=[])
        .values_list("source_id", flat=True)
    )
    for number, (name, street, city, state, postal, county, lat, lon, phone, codes) in enumerate(
        DEMO_FACILITIES, start=1
    ):
        key = f"demo-{number}"
        if key in corrected:
            continue
        organization, _ = Organization.objects.update_or_create(
            uuid=uuid.uuid5(NAMESPACE, f"demo:{key}:organization"), defaults={"name": name}
        )
        facility, _ = Facility.objects.update_or_create(
            source="demo",
            source_id=key,
            defaults={
                "uuid": uuid.uuid5(NAMESPACE, f"demo:{key}:location"),
                "service_uuid": uuid.uuid5(NAMESPACE, f"demo:{key}:service"),
                "organization": organization,
                "name": name,
                "street1": street,
                "city": city,
                "state": state,
                "postal_code": postal,
                "county": county,
                "latitude": lat,
                "longitude": lon,
                "geo_source": "demo",
                "service_codes": pad_codes(codes.split()),
            },
        )
        Phone.objects.update_or_create(
            facility=facility, kind=Phone.Kind.MAIN, defaults={"number": "+1" + phone.replace("-", "")}
        )
    return Facility.objects.filter(source="demo").count()


def load_samhsa_directory() -> int:
    """The real directory in the demo: SAMHSA's 2022 facilities from the committed snapshot, imported once
    with a progress bar (`snapshot.load_snapshot`); returns how many SAMHSA facilities exist afterwards."""
    from .snapshot import load_snapshot

    load_snapshot()
    return Facility.objects.filter(source=SAMHSA_2022).count()
