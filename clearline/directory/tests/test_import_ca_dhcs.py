from __future__ import annotations

import csv

import pytest

from clearline.directory.importers.ca_dhcs import import_ca_dhcs
from clearline.directory.importers.samhsa import import_samhsa
from clearline.directory.models import Facility

from .conftest import CA_DHCS, CODES_CSV, real_rows, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def alameda(tmp_path):
    """SAMHSA's Oakland facilities, and California's licensed facilities in Alameda County."""
    if not CA_DHCS.exists():
        pytest.skip(f"{CA_DHCS} is missing")
    fieldnames, rows = real_rows({"CA"})
    import_samhsa(
        write_csv(tmp_path / "oakland.csv", fieldnames, [r for r in rows if r["city"] == "Oakland"]),
        CODES_CSV,
    )
    with CA_DHCS.open(newline="") as handle:
        reader = csv.DictReader(handle)
        licensed = [row for row in reader if row["county"] == "Alameda County"]
    return write_csv(tmp_path / "dhcs.csv", list(licensed[0].keys()), licensed), licensed


def test_it_adds_license_and_beds_to_matching_facilities_and_creates_the_rest(alameda):
    path, licensed = alameda
    samhsa_before = Facility.objects.count()
    report = import_ca_dhcs(path)
    assert report.updated > 0 and report.created > 0
    assert report.updated + report.created + len(report.rejected) == len(licensed)
    matched = Facility.objects.filter(source="samhsa-2022").exclude(license_number="")
    assert matched.count() == report.updated <= samhsa_before
    residential = Facility.objects.exclude(capacity_beds=None).first()
    assert residential is not None and residential.license_expires is not None
    assert residential.has_code("RES") or residential.source == "samhsa-2022"


def test_a_second_run_changes_nothing(alameda):
    path, _ = alameda
    import_ca_dhcs(path)
    again = import_ca_dhcs(path)
    assert (again.created, again.updated) == (0, 0)


def test_outpatient_capacity_is_not_counted_as_beds(alameda):
    path, licensed = alameda
    import_ca_dhcs(path)
    outpatient = next(r for r in licensed if r["setting_code"] == "NON")
    assert Facility.objects.get(license_number=outpatient["license_number"]).capacity_beds is None
