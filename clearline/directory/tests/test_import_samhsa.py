from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from clearline.directory.importers.samhsa import import_samhsa
from clearline.directory.models import Facility, Phone, TaxonomyTerm
from clearline.directory.services import verify_phone

from .conftest import CODES_CSV, GEOCODED_CSV, XLSX, real_rows, write_csv

pytestmark = pytest.mark.django_db


def test_it_imports_every_row_of_the_slice_with_its_service_codes(slice_csv):
    _, rows = real_rows()
    report = import_samhsa(slice_csv, CODES_CSV)
    assert report.created == len(rows) == Facility.objects.count()
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    assert shelby.codes == sorted(c for c in rows[0]["service_code_info"].split() if c != "*")
    assert (shelby.latitude, shelby.longitude, shelby.county) == (33.2129116, -86.787917, "Shelby")
    assert [p.number for p in shelby.phones.all()] == ["+12052160200"]


def test_it_loads_samhsas_31_categories_and_225_codes(slice_csv):
    import_samhsa(slice_csv, CODES_CSV)
    assert TaxonomyTerm.objects.filter(parent__isnull=True).count() == 31
    assert TaxonomyTerm.objects.filter(parent__isnull=False).count() == 225


def test_a_second_run_changes_nothing(slice_csv):
    import_samhsa(slice_csv, CODES_CSV)
    before = list(Facility.objects.order_by("pk").values())
    again = import_samhsa(slice_csv, CODES_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, again.rows)
    assert list(Facility.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_its_facility_and_keeps_a_verified_phone(tmp_path):
    fieldnames, rows = real_rows({"AL"})
    import_samhsa(write_csv(tmp_path / "a.csv", fieldnames, rows), CODES_CSV)
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    verify_phone(shelby.phones.get().pk, "Dana at Clearline")
    rows[0] = rows[0] | {"service_code_info": "SA * OP", "intake1": "205-216-0299"}
    report = import_samhsa(write_csv(tmp_path / "b.csv", fieldnames, rows), CODES_CSV)
    assert (report.created, report.updated) == (0, 1)
    shelby.refresh_from_db()
    assert shelby.codes == ["OP", "SA"]
    phones = list(shelby.phones.all())
    assert [(p.number, p.is_verified) for p in phones] == [("+12052160200", True), ("+12052160299", False)]


def test_it_reports_corrupted_rows_with_line_numbers_and_imports_the_rest(tmp_path):
    fieldnames, rows = real_rows({"AL"})
    rows[1]["name1"] = " "
    rows[2]["zip"] = "35A07"
    rows[3] |= {"zip": "00001", "latitude": "", "longitude": ""}
    rows[4]["state"] = "XX"
    rows[5]["phone"] = "205-555-12"
    report = import_samhsa(write_csv(tmp_path / "bad.csv", fieldnames, rows), CODES_CSV)
    assert [(p.line, p.field) for p in report.rejected] == [
        (3, "name1"),
        (4, "zip"),
        (5, "zip"),
        (6, "state"),
    ]
    assert "00001 is unknown" in report.rejected[2].reason
    assert (7, "phone") in [(p.line, p.field) for p in report.warnings]  # line 90 is a real bad number
    assert report.created == Facility.objects.count() == len(rows) - 4
    assert "line 3: rejected: the facility has no name" in report.lines()[0]


def test_it_uses_the_zip_centroid_when_a_row_has_no_coordinates(tmp_path):
    fieldnames, rows = real_rows({"AL"})
    rows = [rows[0] | {"latitude": "", "longitude": "", "geo_source": ""}]
    import_samhsa(write_csv(tmp_path / "a.csv", fieldnames, rows), CODES_CSV)
    shelby = Facility.objects.get()
    assert (shelby.latitude, shelby.longitude, shelby.geo_source) == (33.1934, -86.7944, "zip_centroid")


def test_it_reads_samhsas_xlsx_and_finds_the_same_facilities_as_the_csv(tmp_path, slice_csv):
    import openpyxl

    fieldnames, rows = real_rows({"AL", "GU"})
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Facilities List"
    columns = fieldnames[: fieldnames.index("service_code_info") + 1]
    sheet.append(columns)
    for row in rows:
        sheet.append([row[c] or None for c in columns])
    codes = workbook.create_sheet("Service Code Reference")
    import csv

    with CODES_CSV.open(newline="") as handle:
        for values in csv.reader(handle):
            codes.append(values)
    workbook.save(tmp_path / "directory.xlsx")

    from_xlsx = import_samhsa(tmp_path / "directory.xlsx")
    assert from_xlsx.created == len(rows)
    after_csv = import_samhsa(write_csv(tmp_path / "same.csv", fieldnames, rows), CODES_CSV)
    assert after_csv.created == 0  # the same facilities: the CSV only adds coordinates and counties
    assert after_csv.updated + after_csv.unchanged == len(rows)
    xlsx_again = import_samhsa(tmp_path / "directory.xlsx")
    assert xlsx_again.unchanged == len(rows)  # and the xlsx keeps the better coordinates


def test_the_command_prints_the_rejected_rows(tmp_path, capsys):
    fieldnames, rows = real_rows({"GU"})
    rows[0]["name1"] = ""
    call_command("import_samhsa", str(write_csv(tmp_path / "gu.csv", fieldnames, rows)), "--no-progress")
    out = capsys.readouterr().out
    assert "line 2: rejected: the facility has no name" in out
    assert "1 rejected" in out


@pytest.mark.skipif(
    not os.environ.get("CLEARLINE_FULL_DATA")
    and not (os.environ.get("CI") and connection.vendor == "postgresql"),
    reason="the full file is imported under CI in the PostgreSQL pass (or with CLEARLINE_FULL_DATA=1)",
)
@pytest.mark.skipif(not XLSX.exists(), reason="the real SAMHSA file is missing")
def test_the_full_2022_directory_imports_12176_facilities_from_the_xlsx_and_the_csv():
    from_csv = import_samhsa(Path(GEOCODED_CSV))
    assert from_csv.created == Facility.objects.count() == 12176
    assert not from_csv.rejected
    codes = dict(Facility.objects.values_list("source_id", "service_codes"))
    from_xlsx = import_samhsa(Path(XLSX))
    assert (from_xlsx.created, from_xlsx.updated, from_xlsx.unchanged) == (0, 0, 12176)
    assert dict(Facility.objects.values_list("source_id", "service_codes")) == codes
    assert Phone.objects.filter(verified_at__isnull=False).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics are refreshed on PostgreSQL only")
def test_an_import_leaves_the_planner_statistics_of_the_tables_it_filled_current(slice_csv):
    import_samhsa(slice_csv, CODES_CSV)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN ('directory_facility', 'directory_phone')"
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {
        "directory_facility": Facility.objects.count(),
        "directory_phone": Phone.objects.count(),
    }
