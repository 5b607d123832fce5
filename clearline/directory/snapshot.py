"""The demo's copy of SAMHSA's 2022 directory: one xz-compressed JSON file, built from the publisher's files.

`clearline build_directory_snapshot` reads SAMHSA's file (the xlsx as published, or its CSV form with the
coordinates columns) through the importer's own parser, so a snapshot row is exactly what `import_samhsa`
would store: the stable key, the cleaned fields, the coordinates and their source, the phones in E.164. Loading
it (`load_snapshot`, called by `clearline load_demo_data`) skips the parsing (phone numbers cost most of it) and
hands the rows to the importer's `save`, so the facilities, their ids and a later `import_samhsa` of a newer
file behave as if that file had been imported. It loads once: when the database already holds SAMHSA
facilities (an earlier load, or an import), it does nothing.

The attributions the data requires travel with it: `NOTICE.md` next to the file, the `attribution` inside it,
and each listing's source line (`sources.py`).
"""

from __future__ import annotations

import hashlib
import json
import lzma
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from .importers.files import facility_rows, service_code_rows
from .importers.report import ImportReport
from .importers.samhsa import FIELDS, ParsedRow, parse_row, save
from .models import SAMHSA_2022, Facility
from .taxonomy import clean, load_service_codes

FORMAT = 1
DATA_DIR = Path(__file__).resolve().parent / "data"
SNAPSHOT = DATA_DIR / "samhsa-2022.json.xz"
NOTICE = DATA_DIR / "NOTICE.md"
SAMHSA_DIR = settings.BASE_DIR.parent / "shared" / "data" / "samhsa"
DEFAULT_FACILITIES = SAMHSA_DIR / "samhsa_su_directory_2022_geocoded.csv"
DEFAULT_CODES = SAMHSA_DIR / "samhsa_su_directory_2022_service_codes.csv"
CODE_COLUMNS = ("category_code", "category_name", "service_code", "service_name", "service_description")

ATTRIBUTION = {
    "source": (
        "Substance Abuse and Mental Health Services Administration, National Directory of Drug and Alcohol "
        "Abuse Treatment Facilities 2022. U.S. government work, public domain (17 USC 105)."
    ),
    "coordinates": {
        "geoda_name_addr": (
            "Matched by name and address to the Opioid Environment Policy Scan (OEPS), GeoDa Center for "
            "Geospatial Analysis and Computation / Healthy Regions and Policies Lab, University of Chicago."
        ),
        "geoda_addr": (
            "Matched by address to the Opioid Environment Policy Scan (OEPS), GeoDa Center for Geospatial "
            "Analysis and Computation / Healthy Regions and Policies Lab, University of Chicago."
        ),
        "zip_centroid": "ZIP code centroid from GeoNames (geonames.org), CC BY 4.0, via the zipcodes package.",
    },
}


@dataclass(frozen=True)
class BuildResult:
    path: Path
    facilities: int
    report: ImportReport
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_snapshot(
    facilities_path: Path = DEFAULT_FACILITIES, codes_path: Path | None = None, out: Path = SNAPSHOT
) -> BuildResult:
    """Parse SAMHSA's file as `import_samhsa` does and write the rows it would import, xz-compressed."""
    if codes_path is None and facilities_path == DEFAULT_FACILITIES:
        codes_path = DEFAULT_CODES
    reference = service_code_rows(facilities_path, codes_path) or []
    codes = {clean(row.get("service_code")) for row in reference} - {""} or None
    report = ImportReport()
    seen: dict[str, int] = {}
    rows: list[list[Any]] = []
    geo_sources: dict[str, int] = {}
    for line, row in facility_rows(facilities_path):
        report.rows += 1
        item = parse_row(line, row, codes, report)
        if item is None:
            continue
        seen[item.key] = seen.get(item.key, 0) + 1
        key = f"{item.key}-{seen[item.key]}"
        geo = str(item.values["geo_source"])
        geo_sources[geo] = geo_sources.get(geo, 0) + 1
        rows.append([key, *(item.values[f] for f in FIELDS), [list(p) for p in item.phones]])
    report.created = len(rows)
    document = {
        "format": FORMAT,
        "source": SAMHSA_2022,
        "attribution": ATTRIBUTION,
        "built_from": [
            {"file": p.name, "sha256": _sha256(p)} for p in (facilities_path, codes_path) if p is not None
        ],
        "summary": (
            f"{report.rows} rows read, {len(rows)} facilities, {len(report.rejected)} rows rejected, "
            f"{len(report.warnings)} values dropped"
        ),
        "geo_sources": dict(sorted(geo_sources.items())),
        "service_codes": [[clean(row.get(c)) for c in CODE_COLUMNS] for row in reference],
        "columns": ["key", *FIELDS, "phones"],
        "facilities": rows,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # Preset 9 without the extreme flag: ~0.8 MB, and decompressing it takes a tenth of a second.
    out.write_bytes(lzma.compress(text.encode(), preset=9))
    return BuildResult(out, len(rows), report, out.stat().st_size)


def read_snapshot(path: Path = SNAPSHOT) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(lzma.decompress(path.read_bytes()))
    if document.get("format") != FORMAT:
        raise ValueError(f"{path} is a snapshot of format {document.get('format')!r}, not {FORMAT}")
    return document


def snapshot_rows(document: dict[str, Any]) -> Iterator[ParsedRow]:
    columns = document["columns"]
    assert columns == ["key", *FIELDS, "phones"], "the snapshot's columns are not the importer's fields"
    for line, (key, *values, phones) in enumerate(document["facilities"], start=1):
        parsed = dict(zip(FIELDS, values, strict=True))
        geo = parsed["geo_source"]
        yield ParsedRow(
            line, key, parsed, [tuple(p) for p in phones], has_coordinates=geo not in ("zip_centroid", "")
        )


def already_loaded() -> bool:
    return Facility.objects.filter(source=SAMHSA_2022).exists()


def load_snapshot(path: Path = SNAPSHOT, progress: bool | None = None) -> ImportReport | None:
    """Import the snapshot unless SAMHSA facilities already exist; None when it did nothing.

    `progress`: a progress bar on stderr (None: only when stderr is a terminal)."""
    if already_loaded():
        return None
    document = read_snapshot(path)
    load_service_codes(dict(zip(CODE_COLUMNS, row, strict=True)) for row in document["service_codes"])
    parsed = list(snapshot_rows(document))
    report = ImportReport(rows=len(parsed))
    save(parsed, report, progress=progress)
    return report
