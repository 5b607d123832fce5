"""The demo's committed snapshot of SAMHSA's 2022 directory: built from the publisher's files by the importer's own
parser, carrying its attributions, imported once by `make run` (load_demo_data)."""

from __future__ import annotations

import hashlib
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from clearline.directory.demo import load_demo_facilities, load_samhsa_directory
from clearline.directory.importers.samhsa import import_samhsa
from clearline.directory.models import SAMHSA_2022, Facility, Organization, Phone, TaxonomyTerm
from clearline.directory.snapshot import NOTICE, SNAPSHOT, build_snapshot, load_snapshot, read_snapshot

from .conftest import CODES_CSV, GEOCODED_CSV, real_rows

FACILITY_FIELDS = (
    "uuid", "service_uuid", "name", "alternate_name", "street1", "street2", "city", "state", "postal_code",
    "county", "latitude", "longitude", "geo_source", "service_codes", "source", "source_id", "status",
    "corrected_fields",
)  # fmt: skip


def test_the_committed_snapshot_holds_the_12176_facilities_with_their_attributions():
    document = read_snapshot(SNAPSHOT)
    assert len(document["facilities"]) == 12176
    assert len({row[0] for row in document["facilities"]}) == 12176  # stable keys, unique
    assert len(document["service_codes"]) == 225
    assert sum(document["geo_sources"].values()) == 12176
    assert document["geo_sources"]["zip_centroid"] == 1637
    attribution = document["attribution"]
    assert "National Directory of Drug and Alcohol Abuse Treatment Facilities 2022" in attribution["source"]
    assert "Opioid Environment Policy Scan (OEPS)" in attribution["coordinates"]["geoda_name_addr"]
    assert "GeoNames" in attribution["coordinates"]["zip_centroid"]
    assert "CC BY 4.0" in attribution["coordinates"]["zip_centroid"]
    notice = NOTICE.read_text(encoding="utf-8")
    for words in ("public domain", "Substance Abuse and Mental Health Services Administration", "OEPS",
                  "GeoDa", "GeoNames", "CC BY 4.0", "build_directory_snapshot"):  # fmt: skip
        assert words in notice
    assert SNAPSHOT.stat().st_size < 1_500_000


def test_the_committed_snapshot_was_built_from_the_shared_files():
    if not GEOCODED_CSV.exists():
        pytest.skip(f"{GEOCODED_CSV} is missing")
    built_from = {item["file"]: item["sha256"] for item in read_snapshot(SNAPSHOT)["built_from"]}
    for path in (GEOCODED_CSV, CODES_CSV):
        assert built_from[path.name] == hashlib.sha256(path.read_bytes()).hexdigest(), (
            f"{path.name} changed: run `clearline build_directory_snapshot` (docs/directory.md)"
        )


def stored() -> list[tuple]:
    facilities = Facility.objects.order_by("source_id").values_list(*FACILITY_FIELDS, "organization__name")
    phones = Phone.objects.order_by("facility__source_id", "position").values_list(
        "facility__source_id", "uuid", "kind", "number", "extension", "position", "verified_at"
    )
    return [*facilities, *phones]


@pytest.mark.django_db
def test_a_snapshot_imports_exactly_what_import_samhsa_imports(tmp_path, slice_csv):
    result = build_snapshot(slice_csv, CODES_CSV, tmp_path / "slice.json.xz")
    assert result.facilities == len(real_rows()[1])
    report = load_snapshot(result.path, progress=False)
    assert report is not None and report.created == result.facilities
    from_snapshot = stored()
    assert TaxonomyTerm.objects.count() == 256
    Phone.objects.all().delete()
    Facility.objects.all().delete()
    Organization.objects.all().delete()
    import_samhsa(slice_csv, CODES_CSV)
    assert stored() == from_snapshot


@pytest.mark.django_db
def test_a_second_load_does_nothing(tmp_path, slice_csv):
    path = build_snapshot(slice_csv, CODES_CSV, tmp_path / "slice.json.xz").path
    load_snapshot(path, progress=False)
    before = stored()
    assert load_snapshot(path, progress=False) is None
    assert stored() == before
    out = StringIO()
    call_command("load_directory_snapshot", str(path), "--no-progress", stdout=out)
    assert "already imported: nothing to do" in out.getvalue()


@pytest.mark.django_db
def test_a_newer_import_updates_the_snapshots_facilities_instead_of_adding_them(tmp_path, slice_csv):
    load_snapshot(build_snapshot(slice_csv, CODES_CSV, tmp_path / "slice.json.xz").path, progress=False)
    count = Facility.objects.count()
    again = import_samhsa(slice_csv, CODES_CSV)
    assert (again.created, again.updated) == (0, 0)
    assert Facility.objects.count() == count


def test_the_build_command_writes_the_snapshot_and_reports(tmp_path, slice_csv):
    out = StringIO()
    target = tmp_path / "out.json.xz"
    call_command("build_directory_snapshot", str(slice_csv), "--service-codes", str(CODES_CSV), "--out",
                 str(target), stdout=out)  # fmt: skip
    assert target.exists()
    assert f"{len(real_rows()[1])} facilities" in out.getvalue()


@pytest.mark.django_db
def test_the_demo_imports_the_whole_snapshot_once_and_35007_finds_facilities(client):
    load_demo_facilities()
    start = time.perf_counter()
    assert load_samhsa_directory() == 12176
    seconds = time.perf_counter() - start
    assert seconds < 30, f"the snapshot took {seconds:.1f} s to import"
    assert Facility.objects.filter(source="demo").count() == 8
    assert Facility.objects.exclude(source__in=(SAMHSA_2022, "demo")).count() == 0
    page = client.get("/treatment/", {"place": "35007"}).content.decode()
    assert "10 facilities within 25 miles of 35007 (Alabaster, AL)" in page
    assert "Shelby County Treatment Center" in page
    assert load_samhsa_directory() == 12176  # again: nothing imported twice
    assert Phone.objects.filter(facility__source=SAMHSA_2022, verified_at__isnull=False).count() == 0


def test_the_snapshot_path_is_inside_the_directory_app():
    assert SNAPSHOT.parent == Path(__file__).resolve().parent.parent / "data"
