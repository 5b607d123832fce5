"""Directory fixtures: small slices of SAMHSA's real 2022 file, read from ../shared/data (never copied here)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from clearline.directory.demo import load_demo_facilities
from clearline.directory.importers.samhsa import import_samhsa
from clearline.directory.models import Facility
from clearline.directory.services import record_listing_consent, verify_phone

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


def pytest_collection_modifyitems(items):
    # Within each module, the tests that need no slice run first, on an empty database; the slice is then
    # imported once for the rest of the module (see below), so no test that did not ask for it ever sees it.
    # Every xdist worker collects the same order, as it must.
    first = {}
    for index, item in enumerate(items):
        first.setdefault(item.nodeid.split("::")[0], index)
    items.sort(key=lambda item: (first[item.nodeid.split("::")[0]], "real_slice" in item.fixturenames))


@pytest.fixture(scope="module")
def _slice_imported_for_the_module(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[int]:
    # Importing the slice takes a second or two and two dozen tests only read it (or change it inside their own
    # test transaction), so each module imports it once, inside a transaction of its own that every test's
    # transaction nests in (as a savepoint) and that is rolled back when the module ends: no test sees another
    # test's changes, and no other module sees the slice. Only for modules whose tests are not transactional.
    # Within a module the tests that use the slice run last (pytest_collection_modifyitems above).
    fieldnames, rows = real_rows()
    path = write_csv(tmp_path_factory.mktemp("slice") / "slice.csv", fieldnames, rows)
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            report = import_samhsa(path, CODES_CSV)
            assert not report.rejected
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    yield report.created
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


@pytest.fixture
def real_slice(_slice_imported_for_the_module: int, db: None) -> int:
    """The slice imported; returns how many facilities it made."""
    return _slice_imported_for_the_module


@pytest.fixture
def demo_facility(db: None) -> Facility:
    """The demo directory loaded; its first facility, Cedar Hollow (Denver 80202, main phone +13035550101)."""
    load_demo_facilities()
    return Facility.objects.get(source_id="demo-1")


@pytest.fixture
def facility(demo_facility: Facility) -> Facility:
    """Cedar Hollow with a standing listing consent and its main phone verified: its listing number rings it."""
    record_listing_consent(demo_facility.pk, "Robin Ames", "Director", "Dana at Clearline")
    verify_phone(demo_facility.phones.get(kind="main").pk, "Dana at Clearline")
    return demo_facility


@pytest.fixture
def operator(django_user_model):
    """A Clearline operator: a superuser of the Django admin."""
    return django_user_model.objects.create_superuser("dana", "dana@example.org", "pw")
