"""A listing page groups services under plain headings, most asked first, in English and Spanish, and states
where its listing and its location come from."""

from __future__ import annotations

import csv
import json
import re

import pytest
from django.utils import translation

from clearline.directory.listing import SERVICE_GROUPS, service_groups
from clearline.directory.models import Facility, TaxonomyTerm
from clearline.directory.taxonomy import SPANISH

from .conftest import CODES_CSV

FIRST_GROUPS = ["care", "payment", "ages", "languages"]
# SAMHSA's code list is read from ../shared/data, which a clean clone outside the workplace does not have.
needs_codes = pytest.mark.skipif(not CODES_CSV.exists(), reason="SAMHSA's service code list is missing")


def headings(text: str) -> list[tuple[str, str]]:
    return re.findall(r'<h3 id="services-(\w+)">([^<]+)</h3>', text)


@needs_codes
def test_the_spanish_file_names_every_samhsa_code_category_and_group():
    spanish = json.loads(SPANISH.read_text(encoding="utf-8"))
    with CODES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["service_code"] for r in rows} == set(spanish["services"])
    assert len(spanish["services"]) == 225
    assert {r["category_code"] for r in rows} == set(spanish["categories"])
    assert {key for key, _, _ in SERVICE_GROUPS} | {"other"} == set(spanish["groups"])
    assert all(value.strip() and value == value.strip() for value in spanish["services"].values())


@needs_codes
def test_every_category_people_read_belongs_to_a_group():
    with CODES_CSV.open(newline="", encoding="utf-8") as handle:
        categories = {r["category_code"] for r in csv.DictReader(handle)}
    grouped = {c for _, _, members in SERVICE_GROUPS for c in members}
    assert categories - grouped == {"OMSC", "SMAT", "SMP", "FVP"}  # survey bookkeeping, not shown


@pytest.mark.django_db
def test_services_come_under_plain_headings_most_asked_first(client, real_slice):
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    text = client.get(f"/treatment/{shelby.pk}/").content.decode()
    found = headings(text)
    keys = [key for key, _ in found]
    assert keys[:4] == FIRST_GROUPS
    assert [key for key, _, _ in SERVICE_GROUPS if key in keys] == keys  # the groups' own order
    assert found[:4] == [("care", "Type of care"), ("payment", "Payment and insurance"), ("ages", "Ages"),
                         ("languages", "Languages")]  # fmt: skip
    for term in TaxonomyTerm.objects.filter(parent__isnull=True):
        assert f"<h3>{term.name}</h3>" not in text  # no raw SAMHSA heading
    assert "Service Setting (e.g." not in text
    assert "Outpatient" in text and "Medicaid" in text
    # The less asked groups fold, so the page is not a 6,000 px list.
    assert '<h3 id="services-medications">Medications</h3>\n<ul class=' in text
    assert re.search(
        r'<h3 id="services-detox">[^<]+</h3>\n<details class="services-group">\n<summary>Services \(6\)', text
    )


@pytest.mark.django_db
def test_a_service_named_twice_by_samhsa_is_listed_once(real_slice):
    facility = (
        Facility.objects.filter(service_codes__contains=" MU ")
        .filter(service_codes__contains=" METH ")
        .first()
    )
    with translation.override("en"):
        medications = next(g for g in service_groups(facility) if g.key == "medications")
    assert medications.services.count("Methadone") == 1


@pytest.mark.django_db
def test_the_spanish_listing_names_every_service_and_heading_in_spanish(client, real_slice):
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    text = client.get(f"/es/treatment/{shelby.pk}/").content.decode()
    spanish = json.loads(SPANISH.read_text(encoding="utf-8"))
    found = headings(text)
    assert found[:4] == [("care", "Tipo de atención"), ("payment", "Pago y seguro médico"), ("ages", "Edades"),
                         ("languages", "Idiomas")]  # fmt: skip
    services = re.findall(r'<ul class="services services-\w+">(.*?)</ul>', text, re.S)
    names = [n for block in services for n in re.findall(r"<li>([^<]+)</li>", block)]
    assert names and all(name in spanish["services"].values() for name in names)
    english = {t.display_name for t in TaxonomyTerm.objects.filter(code__in=shelby.codes)}
    english -= set(spanish["services"].values())  # the same word in both languages ("Medicaid")
    assert not [name for name in english if f"<li>{name}</li>" in text]


@pytest.mark.django_db
def test_the_listing_states_where_its_location_comes_from(client, real_slice):
    matched = Facility.objects.filter(geo_source="geoda_name_addr").first()
    centroid = Facility.objects.filter(geo_source="zip_centroid").first()
    text = client.get(f"/treatment/{matched.pk}/").content.decode()
    assert (
        "Sources: Substance Abuse and Mental Health Services Administration, National Directory of Drug and "
        in text
    )
    assert "2022; Opioid Environment Policy Scan (OEPS), GeoDa Center, University of Chicago." in text
    text = client.get(f"/treatment/{centroid.pk}/").content.decode()
    assert (
        f"2022; location: the centre of ZIP code {centroid.postal_code[:5]}, from GeoNames (CC BY 4.0)"
        in text
    )
    assert (
        "Sources: Substance Abuse and Mental Health Services Administration, National Directory of Drug and "
        in text
    )


@pytest.mark.django_db
def test_the_schema_org_data_describes_the_real_facility(client, real_slice):
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    text = client.get(f"/treatment/{shelby.pk}/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))
    assert data["name"] == "Shelby County Treatment Center"
    assert data["telephone"] == "+12052160200"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 33.2129116, "longitude": -86.787917}
    assert data["address"]["addressLocality"] == shelby.city
