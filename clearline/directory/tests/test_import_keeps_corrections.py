"""A reviewed listing correction outlives re-importing the source file it corrects."""

from __future__ import annotations

import pytest

from clearline.directory.demo import load_demo_facilities
from clearline.directory.edits import apply_listing_changes, editable_codes
from clearline.directory.importers.samhsa import import_samhsa
from clearline.directory.models import Facility
from clearline.directory.services import verify_phone

from .conftest import CODES_CSV, real_rows, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    fieldnames, rows = real_rows({"AL"})
    rows = rows[:4]  # Shelby County Treatment Center first
    path = write_csv(tmp_path / "samhsa.csv", fieldnames, rows)
    import_samhsa(path, CODES_CSV)
    return path, fieldnames, rows


def test_a_reimport_keeps_a_corrected_phone_address_and_services_and_says_so(imported):
    path, _, _ = imported
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    editable = sorted(editable_codes() - set(shelby.codes))
    untouched = [c for c in shelby.codes if c not in editable_codes()]
    added = editable[0]
    apply_listing_changes(
        shelby,
        {
            "phone": "+12055550123",
            "street1": "1 Main Street",
            "postal_code": "35124",
            "city": "Pelham",
            "services": sorted([*(c for c in shelby.codes if c in editable_codes()), added]),
        },
    )
    verify_phone(shelby.phones.get(kind="main").pk, "Dana at Clearline")
    corrected = Facility.objects.get(pk=shelby.pk)
    assert corrected.corrected_fields == ["city", "phone", "postal_code", "services", "street1"]

    report = import_samhsa(path, CODES_CSV)

    again = Facility.objects.get(pk=shelby.pk)
    assert (again.street1, again.city, again.postal_code) == ("1 Main Street", "Pelham", "35124")
    assert (again.latitude, again.longitude, again.county) == (
        corrected.latitude,
        corrected.longitude,
        corrected.county,
    )
    assert added in again.codes and set(untouched) <= set(again.codes)
    phone = again.phones.get(kind="main")
    assert (phone.number, phone.is_verified) == ("+12055550123", True)  # still the checked number
    assert report.kept_corrections == 1 and report.updated == 0
    assert "1 listings kept their reviewed corrections" in report.summary()


def test_fields_nobody_corrected_still_follow_the_file(imported, tmp_path):
    _, fieldnames, rows = imported
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    apply_listing_changes(shelby, {"phone": "+12055550123"})
    line = next(i for i, row in enumerate(rows) if row["name1"] == "Shelby County Treatment Center")
    # (Name and address are the row's identity in the file: a new address would be a new facility.)
    rows[line] = rows[line] | {
        "service_code_info": "SA * OP",
        "phone": "205-216-0201",
        "intake1": "205-216-0299",
    }

    report = import_samhsa(write_csv(tmp_path / "b.csv", fieldnames, rows), CODES_CSV)

    again = Facility.objects.get(pk=shelby.pk)
    assert again.codes == ["OP", "SA"]
    assert [(p.kind, p.number) for p in again.phones.all()] == [
        ("main", "+12055550123"),  # the correction, not the file's new main number
        ("intake", "+12052160299"),  # the file's new intake line: nobody corrected intake lines
    ]
    assert not again.phones.get(kind="intake").is_verified
    assert (report.updated, report.kept_corrections) == (1, 1)


def test_an_uncorrected_listing_is_unchanged_by_a_second_run(imported):
    path, _, rows = imported
    report = import_samhsa(path, CODES_CSV)
    assert (report.unchanged, report.kept_corrections) == (len(rows), 0)
    assert "kept their reviewed corrections" not in report.summary()


def test_reloading_the_demo_keeps_a_corrected_demo_facility():
    load_demo_facilities()
    cedar = Facility.objects.get(source_id="demo-1")
    apply_listing_changes(cedar, {"phone": "+13035550199", "name": "Cedar Hollow Recovery"})
    load_demo_facilities()
    cedar.refresh_from_db()
    assert cedar.name == "Cedar Hollow Recovery"
    assert [p.number for p in cedar.phones.all()] == ["+13035550199"]
