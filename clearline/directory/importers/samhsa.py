"""`clearline import_samhsa`: SAMHSA's national directory into facilities, idempotently.

The stable key of a row is a hash of its name and address plus its occurrence number among identical
name-and-address rows in the file (the 2022 file has six such pairs, differing only in phones or codes).
Rows are rejected for a missing name, a bad state, or a ZIP code that is malformed or unknown when the row has
no coordinates. A bad phone number does not reject the row (five real 2022 rows have one): the number is
dropped and reported, and the facility is listed without it. Fields staff corrected after a provider's reviewed
edit keep their corrected values (`corrections.keep_corrections`).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from clearline.lib.phone import InvalidPhoneNumber, normalize_e164

from ..edits import editable_codes
from ..geo import STATES, ZIP_RE, zip_centroid
from ..models import SAMHSA_2022, Facility, Organization, Phone, pad_codes
from ..taxonomy import NAMESPACE, clean, known_codes, load_service_codes
from ._insert import insert_rows, refresh_statistics
from .corrections import PLACE_FIELDS, keep_corrections
from .files import facility_rows, service_code_rows
from .report import ImportReport, Problem

PHONE_COLUMNS = (
    ("phone", Phone.Kind.MAIN),
    *((c, Phone.Kind.INTAKE) for c in ("intake1", "intake2", "intake1a", "intake2a")),
)
EXTENSION_RE = re.compile(r"\s*(?:x|ext\.?|extension)\s*(\d{1,8})\s*$", re.IGNORECASE)
FIELDS = (
    "name", "alternate_name", "street1", "street2", "city", "state", "postal_code", "county",
    "latitude", "longitude", "geo_source", "service_codes",
)  # fmt: skip
PhoneKey = tuple[str, str, str]  # kind, E.164, extension
BATCH = 1000


@dataclass
class ParsedRow:
    line: int
    key: str
    values: dict[str, object]
    phones: list[PhoneKey]
    has_coordinates: bool


def parse_phone(text: str) -> tuple[str, str]:
    """'205-324-6502 x10' -> ('+12053246502', '10'); raises InvalidPhoneNumber."""
    extension = ""
    found = EXTENSION_RE.search(text)
    if found:
        extension, text = found.group(1), text[: found.start()]
    return normalize_e164(text), extension


def _coordinates(row: dict[str, str]) -> tuple[float, float] | None:
    try:
        lat, lon = float(row.get("latitude") or ""), float(row.get("longitude") or "")
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0) else None


def parse_row(
    line: int, row: dict[str, str], codes: set[str] | None, report: ImportReport
) -> ParsedRow | None:
    name = clean(row.get("name1"))
    state = clean(row.get("state")).upper()
    postal = clean(row.get("zip"))
    if postal.isdigit() and len(postal) < 5:  # a spreadsheet that stored the ZIP as a number lost its zeros
        postal = postal.zfill(5)
    if not name:
        report.rejected.append(Problem(line, "the facility has no name (name1 is empty)", "name1"))
        return None
    if state not in STATES:
        report.rejected.append(
            Problem(line, f"{state or 'an empty state'!r} is not a U.S. state code", "state")
        )
        return None
    if not ZIP_RE.match(postal):
        report.rejected.append(Problem(line, f"{postal or 'an empty ZIP'!r} is not a ZIP code", "zip"))
        return None
    point, geo_source = _coordinates(row), clean(row.get("geo_source")) or "file"
    if point is None:
        point, geo_source = zip_centroid(postal), "zip_centroid"
    if point is None and not _known_zip_without_location(postal):
        report.rejected.append(
            Problem(line, f"ZIP code {postal} is unknown and the row has no coordinates", "zip")
        )
        return None
    if point is None:
        geo_source = ""
        report.warnings.append(
            Problem(line, f"ZIP code {postal} has no location: not found by distance", "zip")
        )
    raw_codes = [c for c in clean(row.get("service_code_info")).split() if c != "*"]
    unknown = sorted({c for c in raw_codes if codes is not None and c not in codes})
    if unknown:
        report.warnings.append(
            Problem(line, f"unknown service codes {' '.join(unknown)}", "service_code_info")
        )
    phones: list[PhoneKey] = []
    for column, kind in PHONE_COLUMNS:
        text = clean(row.get(column))
        if not text:
            continue
        try:
            number, extension = parse_phone(text)
        except InvalidPhoneNumber as exc:
            report.warnings.append(Problem(line, str(exc), column))
            continue
        if not any(p[1:] == (number, extension) for p in phones):
            phones.append((str(kind), number, extension))
    values: dict[str, object] = {
        "name": name[:300],
        "alternate_name": clean(row.get("name2"))[:300],
        "street1": clean(row.get("street1"))[:200],
        "street2": clean(row.get("street2"))[:200],
        "city": clean(row.get("city"))[:100],
        "state": state,
        "postal_code": postal,
        "county": clean(row.get("county"))[:100],
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "geo_source": geo_source[:40],
        "service_codes": pad_codes([c for c in raw_codes if c not in unknown]),
    }
    identity = "|".join(
        str(values[f]).lower() for f in ("name", "alternate_name", "street1", "street2", "city", "state")
    )
    identity += "|" + postal[:5]
    key = hashlib.sha1(identity.encode(), usedforsecurity=False).hexdigest()[:20]
    return ParsedRow(line, key, values, phones, has_coordinates=geo_source not in ("zip_centroid", ""))


def _known_zip_without_location(postal: str) -> bool:
    import zipcodes

    try:
        return bool(zipcodes.matching(postal[:5]))
    except (TypeError, ValueError):
        return False


def stable_uuid(key: str, what: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{SAMHSA_2022}:{key}:{what}")


def import_samhsa(path: Path, codes_path: Path | None = None, progress: bool = False) -> ImportReport:
    report = ImportReport()
    reference = service_code_rows(path, codes_path)
    if reference:
        load_service_codes(reference)
    codes = known_codes() or None
    rows: Iterable[tuple[int, dict[str, str]]] = facility_rows(path)
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, desc="Reading", unit=" rows")
    parsed: list[ParsedRow] = []
    seen: Counter[str] = Counter()
    for line, row in rows:
        report.rows += 1
        item = parse_row(line, row, codes, report)
        if item is None:
            continue
        seen[item.key] += 1
        item.key = f"{item.key}-{seen[item.key]}"
        parsed.append(item)
    save(parsed, report, progress)
    return report


def _phone_keys(facility: Facility) -> list[PhoneKey]:
    return [(p.kind, p.number, p.extension) for p in facility.phones.all()]


def save(parsed: list[ParsedRow], report: ImportReport, progress: bool | None = False) -> None:
    """Create the new facilities and update the changed ones in one transaction, then refresh the planner's
    statistics of the tables written."""
    _save_rows(parsed, report, progress)
    if report.created or report.updated:
        refresh_statistics(Organization, Facility, Phone)


@transaction.atomic
def _save_rows(parsed: list[ParsedRow], report: ImportReport, progress: bool | None) -> None:
    existing = {
        f.source_id: f
        for f in Facility.objects.filter(source=SAMHSA_2022)
        .select_related("organization")
        .prefetch_related("phones")
    }
    editable = editable_codes()
    new: list[ParsedRow] = []
    changed: list[tuple[ParsedRow, Facility]] = []
    for item in parsed:
        facility = existing.get(item.key)
        if facility is None:
            new.append(item)
            continue
        if not item.has_coordinates and facility.postal_code == item.values["postal_code"]:
            # A file without coordinates (SAMHSA's xlsx) keeps the better ones an earlier import found.
            for f in PLACE_FIELDS:
                item.values[f] = (
                    getattr(facility, f) if f != "county" or not item.values[f] else item.values[f]
                )
        if keep_corrections(item, facility, editable):
            report.kept_corrections += 1
        same = (
            all(getattr(facility, f) == item.values[f] for f in FIELDS)
            and _phone_keys(facility) == item.phones
        )
        if same and facility.organization.name == item.values["name"]:
            report.unchanged += 1
        else:
            changed.append((item, facility))
    _create(new, report, progress)
    _update(changed, report)


def _create(items: list[ParsedRow], report: ImportReport, progress: bool | None) -> None:
    """Insert the new facilities with their organizations and phones, in batches, with a progress bar.

    Plain INSERTs through the database cursor (`insert_rows`): building 45,000 model instances for
    bulk_create costs about four times the insert itself (the full 2022 file: ~1.5 s instead of ~6 s of
    inserting; `bench/search.py` prints the whole import's time: 7.4 s with bulk_create, 4.6 s with this)."""
    if not items:
        return
    from tqdm import tqdm

    # progress None: a bar only when stderr is a terminal (tqdm's own rule).
    bar = tqdm(
        total=len(items),
        desc="Importing facilities",
        unit=" facilities",
        disable=None if progress is None else not progress,
    )
    try:
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            insert_rows(
                Organization,
                [
                    {
                        "uuid": stable_uuid(i.key, "organization"),
                        "name": i.values["name"],
                        "alternate_name": i.values["alternate_name"],
                    }
                    for i in batch
                ],
            )
            org_ids = dict(
                Organization.objects.filter(
                    uuid__in=[stable_uuid(i.key, "organization") for i in batch]
                ).values_list("uuid", "id")
            )
            insert_rows(
                Facility,
                [
                    {
                        "uuid": stable_uuid(i.key, "location"),
                        "service_uuid": stable_uuid(i.key, "service"),
                        "organization_id": org_ids[stable_uuid(i.key, "organization")],
                        "source": SAMHSA_2022,
                        "source_id": i.key,
                        **i.values,
                    }
                    for i in batch
                ],
            )
            facility_ids = dict(
                Facility.objects.filter(source=SAMHSA_2022, source_id__in=[i.key for i in batch]).values_list(
                    "source_id", "id"
                )
            )
            insert_rows(
                Phone,
                [
                    {
                        "uuid": stable_uuid(i.key, f"phone:{n}"),
                        "facility_id": facility_ids[i.key],
                        "kind": kind,
                        "number": number,
                        "extension": ext,
                        "position": n,
                    }
                    for i in batch
                    for n, (kind, number, ext) in enumerate(i.phones)
                ],
            )
            bar.update(len(batch))
    finally:
        bar.close()
    report.created += len(items)


def _update(items: list[tuple[ParsedRow, Facility]], report: ImportReport) -> None:
    for item, facility in items:
        for f in FIELDS:
            setattr(facility, f, item.values[f])
        facility.save()
        Organization.objects.filter(pk=facility.organization_id).update(
            name=item.values["name"], alternate_name=item.values["alternate_name"]
        )
        replace_phones(facility, item.phones)
        report.updated += 1


def replace_phones(facility: Facility, wanted: list[PhoneKey]) -> None:
    """Keep the phones still listed (with their verification), drop the others, add the new ones."""
    kept = {}
    for phone in facility.phones.all():
        key = (phone.kind, phone.number, phone.extension)
        if key in wanted and key not in kept:
            kept[key] = phone
        else:
            phone.delete()
    for position, key in enumerate(wanted):
        phone = kept.get(key) or Phone(facility=facility, kind=key[0], number=key[1], extension=key[2])
        if phone.pk is None or phone.position != position:
            phone.position = position
            phone.save()
