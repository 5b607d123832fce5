"""Directory fixtures: small slices of SAMHSA's real 2022 file, read from ../shared/data (never copied here)."""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from clearline.directory.importers.samhsa import import_samhsa

DATA = Path(os.environ.get("CLEARLINE_DATA_DIR", settings.BASE_DIR.parent / "shared" / "data"))
SAMHSA = DATA / "samhsa"
GEOCODED_CSV = SAMHSA / "samhsa_su_directory_2022_geocoded.csv"
CODES_CSV = SAMHSA / "samhsa_su_directory_2022_service_codes.csv"
XLSX = SAMHSA / "National_Directory_SA_Facilities_2022.xlsx"
CA_DHCS = DATA / "ca-dhcs" / "facilities.csv"
HSDS = DATA / "hsds-3.0"
# Alabama and Mississippi (dense and rural), Alaska (the antimeridian) and the Pacific territories.
SLICE_STATES = {"AL", "MS", "AK", "GU", "FM", "MP", "PW"}


@cache
def _all_rows() -> tuple[list[str], list[dict[str, str]]]:
    with GEOCODED_CSV.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def real_rows(states: set[str] = SLICE_STATES) -> tuple[list[str], list[dict[str, str]]]:
    """Fresh copies of the real rows of these states (tests may change them)."""
    if not GEOCODED_CSV.exists():
        pytest.skip(f"{GEOCODED_CSV} is missing (see docs/directory.md)")
    fieldnames, rows = _all_rows()
    return list(fieldnames), [dict(row) for row in rows if row["state"] in states]


def write_csv(path: Path, fieldnames: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def slice_csv(tmp_path: Path) -> Path:
    """The real rows of a few states, as SAMHSA's CSV form with coordinates."""
    fieldnames, rows = real_rows()
    return write_csv(tmp_path / "slice.csv", fieldnames, rows)


@pytest.fixture
def real_slice(slice_csv: Path, db: None) -> int:
    """The slice imported; returns how many facilities it made."""
    report = import_samhsa(slice_csv, CODES_CSV)
    assert not report.rejected
    return report.created
