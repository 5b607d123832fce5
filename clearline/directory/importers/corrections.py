"""Re-importing a source file keeps the listing corrections staff approved (`Facility.corrected_fields`).

A provider's correction, once reviewed, is newer than the source file it corrects: SAMHSA's 2022 file still has
the old phone or address. An import therefore takes every field a correction touched from the facility as it is,
and everything else from the file. The import report counts the listings where this kept a value that differs
from the file, so staff can see the file disagreeing with a correction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..edits import FACILITY_FIELDS, LOCATING_FIELDS, PHONE_FIELDS
from ..models import Facility, Phone, pad_codes

if TYPE_CHECKING:
    from .samhsa import ParsedRow

# A corrected address also keeps the coordinates and county that came with it.
PLACE_FIELDS = ("latitude", "longitude", "geo_source", "county")


def keep_corrections(item: ParsedRow, facility: Facility, editable: set[str]) -> bool:
    """Overwrite ``item`` with the facility's corrected values; True if that changed what the file said."""
    corrected = set(facility.corrected_fields)
    if not corrected:
        return False
    before = (dict(item.values), list(item.phones))
    for key in FACILITY_FIELDS:
        if key in corrected:
            item.values[key] = getattr(facility, key)
    if corrected.intersection(LOCATING_FIELDS):
        for key in PLACE_FIELDS:
            item.values[key] = getattr(facility, key)
    if "services" in corrected:
        from_file = str(item.values["service_codes"]).split()
        item.values["service_codes"] = pad_codes(
            [c for c in from_file if c not in editable] + [c for c in facility.codes if c in editable]
        )
    kinds = {kind for kind, keys in PHONE_FIELDS.items() if corrected.intersection(keys)}
    if kinds:
        kept = [(p.kind, p.number, p.extension) for p in facility.phones.all() if p.kind in kinds]
        phones = kept + [p for p in item.phones if p[0] not in kinds]
        # Main line first, as the importer lists it; otherwise the order they had.
        item.phones = sorted(phones, key=lambda p: p[0] != Phone.Kind.MAIN)
    return (item.values, item.phones) != before
