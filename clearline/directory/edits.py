"""Corrections to a listing's public fields, as reviewed changes: what may change, and applying a change.

A change is a dict of field key -> new value over `FIELDS` (strings; `services` is a sorted list of SAMHSA codes
in the categories a facility may correct). `listing_values` gives the same dict for a facility as it is now, so a
caller can keep the values a change was made against and see later whether the facility changed since.

`apply_listing_changes` keeps the directory's rules:
- a phone whose number or extension changes is **unverified** again (``verified_at`` cleared), so a listing
  number never rings a number nobody has checked (`services.verified_destination_for` only returns verified
  phones);
- a moved facility gets the new ZIP code's centroid as coordinates (and its county), like an import without
  coordinates; a ZIP code we cannot place, or one in another state, is refused;
- the organisation's name follows the facility's, as the importers keep it;
- service codes outside the editable categories are never touched;
- the public page cache is invalidated in the same transaction;
- the changed keys are remembered in ``Facility.corrected_fields``, so a later import of the source file keeps
  the corrected values instead of putting the old ones back (`importers.corrections.keep_corrections`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clearline.lib.pagecache import bump_generation
from clearline.lib.phone import validate_e164

from .geo import STATES, ZIP_RE, zip_centroid
from .models import Facility, Phone, Schedule, TaxonomyTerm, pad_codes
from .services import DirectoryError

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# SAMHSA categories a facility may correct: medications, payment, payment assistance, ages, languages.
EDITABLE_CATEGORIES = ("OM", "PAY", "PYAS", "AGE", "SL", "OL")


@dataclass(frozen=True)
class EditableField:
    key: str
    label: StrPromise
    max_length: int = 0


FIELDS: tuple[EditableField, ...] = (
    EditableField("name", _("Name"), 300),
    EditableField("alternate_name", _("Other name"), 300),
    EditableField("street1", _("Street address"), 200),
    EditableField("street2", _("Address line 2"), 200),
    EditableField("city", _("City"), 100),
    EditableField("state", _("State"), 2),
    EditableField("postal_code", _("ZIP code"), 10),
    EditableField("phone", _("Main phone"), 20),
    EditableField("phone_extension", _("Main phone extension"), 10),
    EditableField("intake_phone", _("Intake phone"), 20),
    EditableField("intake_phone_extension", _("Intake phone extension"), 10),
    EditableField("website", _("Website"), 200),
    EditableField("description", _("Description"), 2000),
    EditableField("hours", _("Opening hours"), 300),
    EditableField("services", _("Services, payment and languages")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
LABELS = {f.key: f.label for f in FIELDS}
FACILITY_FIELDS = ("name", "alternate_name", "street1", "street2", "city", "state", "postal_code")
# A change to one of these moves the facility: new coordinates from the ZIP code (street2 is a suite or floor).
LOCATING_FIELDS = ("street1", "city", "state", "postal_code")
PHONE_FIELDS = {
    Phone.Kind.MAIN: ("phone", "phone_extension"),
    Phone.Kind.INTAKE: ("intake_phone", "intake_phone_extension"),
}


@dataclass
class AppliedChanges:
    fields: list[str] = field(default_factory=list)
    unverified_phones: list[str] = field(default_factory=list)  # E.164 numbers now waiting for a check
    moved: bool = False


def editable_terms() -> list[TaxonomyTerm]:
    """The codes a facility may add or remove, in SAMHSA's order, category by category."""
    return list(
        TaxonomyTerm.objects.select_related("parent")
        .filter(parent__code__in=EDITABLE_CATEGORIES)
        .order_by("parent__position", "position")
    )


def editable_codes() -> set[str]:
    return set(
        TaxonomyTerm.objects.filter(parent__code__in=EDITABLE_CATEGORIES).values_list("code", flat=True)
    )


def _first_phone(phones: list[Phone], kind: str) -> Phone | None:
    return next((p for p in phones if p.kind == kind), None)


def _hours(facility: Facility) -> str:
    return "\n".join(s.description for s in facility.schedules.all() if s.weekday is None and s.description)


def listing_values(facility: Facility, codes: set[str] | None = None) -> dict[str, Any]:
    """The facility's current value of every editable field."""
    codes = editable_codes() if codes is None else codes
    phones = list(facility.phones.all())
    values: dict[str, Any] = {key: getattr(facility, key) for key in FACILITY_FIELDS}
    for kind, (number_key, extension_key) in PHONE_FIELDS.items():
        phone = _first_phone(phones, kind)
        values[number_key] = phone.number if phone else ""
        values[extension_key] = phone.extension if phone else ""
    values["website"] = facility.organization.website
    values["description"] = facility.organization.description
    values["hours"] = _hours(facility)
    values["services"] = sorted(c for c in facility.codes if c in codes)
    return values


def stale_fields(before: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Fields of a change whose value on the facility is no longer the one the change was made against."""
    return [key for key in FIELD_KEYS if key in before and current.get(key) != before[key]]


def check_changes(changes: dict[str, Any], codes: set[str] | None = None) -> list[str]:
    """Problems that make a change impossible to apply, in words a person can act on (empty: fine)."""
    problems: list[str] = []
    unknown = sorted(set(changes) - set(FIELD_KEYS))
    if unknown:
        problems.append(f"Unknown fields: {', '.join(unknown)}.")
    for item in FIELDS:
        value = changes.get(item.key)
        if value is None or item.key == "services":
            continue
        if not isinstance(value, str):
            problems.append(f"{item.key} must be text.")
        elif item.max_length and len(value) > item.max_length:
            problems.append(f"{item.key} is longer than {item.max_length} characters.")
    if "name" in changes and not str(changes["name"]).strip():
        problems.append("A listing needs a name.")
    if "city" in changes and not str(changes["city"]).strip():
        problems.append("A listing needs a city.")
    if "state" in changes and changes["state"] not in STATES:
        problems.append(f"{changes['state']!r} is not a U.S. state code.")
    if "postal_code" in changes and not ZIP_RE.match(str(changes["postal_code"])):
        problems.append(f"{changes['postal_code']!r} is not a ZIP code.")
    for key in ("phone", "intake_phone"):
        if changes.get(key):
            try:
                validate_e164(str(changes[key]))
            except ValidationError as exc:
                problems.append(f"{key}: {' '.join(exc.messages)}")
    if "phone" in changes and not changes["phone"]:
        problems.append("A listing needs a main phone number.")
    for key in ("phone_extension", "intake_phone_extension"):
        if changes.get(key) and not str(changes[key]).isdigit():
            problems.append(f"{key} must be digits only.")
    if changes.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(changes["website"])
        except ValidationError:
            problems.append(f"{changes['website']!r} is not a web address.")
    if "services" in changes:
        services = changes["services"]
        allowed = editable_codes() if codes is None else codes
        if not isinstance(services, list) or not all(isinstance(c, str) for c in services):
            problems.append("services must be a list of service codes.")
        elif set(services) - allowed:
            problems.append(f"Codes that cannot be set here: {' '.join(sorted(set(services) - allowed))}.")
    return problems


def zip_problem(postal_code: str, state: str) -> str:
    """Why a facility cannot be placed at this ZIP code in this state ("" when it can)."""
    from .geo import zip_index

    found = zip_index().by_zip.get(postal_code[:5])
    if found is None:
        return f"We cannot place ZIP code {postal_code[:5]} on a map."
    if found[3] != state:
        return f"ZIP code {postal_code[:5]} is in {found[3]}, not {state}."
    return ""


def _county(postal_code: str) -> str:
    import zipcodes

    try:
        rows = zipcodes.matching(postal_code[:5])
    except (TypeError, ValueError):
        return ""
    county = str(rows[0].get("county") or "") if rows else ""
    return county.removesuffix(" County")[:100]


@transaction.atomic
def apply_listing_changes(facility: Facility, changes: dict[str, Any]) -> AppliedChanges:
    """Make the facility's public fields say what ``changes`` says; raises DirectoryError if it cannot."""
    codes = editable_codes()
    problems = check_changes(changes, codes)
    if problems:
        raise DirectoryError(" ".join(problems))
    facility = (
        Facility.objects.select_for_update()
        .select_related("organization")
        .prefetch_related("phones", "schedules")
        .get(pk=facility.pk)
    )
    current = listing_values(facility, codes)
    changed = {key: value for key, value in changes.items() if current[key] != value}
    result = AppliedChanges(fields=[key for key in FIELD_KEYS if key in changed])
    if not changed:
        return result
    new = {**current, **changed}
    moved = any(key in changed for key in LOCATING_FIELDS)
    if moved:
        problem = zip_problem(new["postal_code"], new["state"])
        if problem:
            raise DirectoryError(problem)

    for key in FACILITY_FIELDS:
        setattr(facility, key, new[key])
    if moved:
        point = zip_centroid(new["postal_code"])
        assert point is not None  # zip_problem said the ZIP code is placed
        facility.latitude, facility.longitude = point
        facility.geo_source = "zip_centroid"
        if "postal_code" in changed:
            facility.county = _county(new["postal_code"])
        result.moved = True
    if "services" in changed:
        kept = [c for c in facility.codes if c not in codes]
        facility.service_codes = pad_codes(kept + list(new["services"]))
    facility.corrected_fields = sorted({*facility.corrected_fields, *changed})
    facility.save()

    organization = facility.organization
    organization.name, organization.alternate_name = new["name"], new["alternate_name"]
    organization.website, organization.description = new["website"], new["description"]
    organization.save()

    result.unverified_phones = _apply_phones(facility, changed, new)
    if "hours" in changed:
        Schedule.objects.filter(facility=facility, weekday__isnull=True).delete()
        if new["hours"].strip():
            Schedule.objects.create(facility=facility, description=new["hours"].strip())
    bump_generation()
    return result


def _apply_phones(facility: Facility, changed: dict[str, Any], new: dict[str, Any]) -> list[str]:
    phones = list(facility.phones.all())
    unverified: list[str] = []
    for kind, (number_key, extension_key) in PHONE_FIELDS.items():
        if number_key not in changed and extension_key not in changed:
            continue
        number = new[number_key]
        extension = new[extension_key] if number else ""
        phone = _first_phone(phones, kind)
        if not number:
            if phone is not None:
                phone.delete()
            continue
        if phone is None:
            position = 0 if kind == Phone.Kind.MAIN else max((p.position for p in phones), default=-1) + 1
            if kind == Phone.Kind.MAIN:
                for other in phones:
                    other.position += 1
                    other.save(update_fields=["position"])
            phone = Phone(facility=facility, kind=kind, position=position)
        # Nobody has called the new number yet: a listing number must not ring it until someone does.
        phone.number, phone.extension = number, extension
        phone.verified_at, phone.verified_by = None, ""
        phone.save()
        unverified.append(number + (f" x{extension}" if extension else ""))
    return unverified


def display_value(key: str, value: Any, names: dict[str, str] | None = None) -> str:
    """A field value as a reviewer or member reads it."""
    if key == "services":
        names = names or {}
        return ", ".join(names.get(code, code) for code in value) if value else "—"
    if key in ("phone", "intake_phone") and value:
        import phonenumbers

        from clearline.lib.phone import format_national

        try:
            return format_national(str(value))
        except phonenumbers.NumberParseException:  # shown as it is
            return str(value)
    return str(value) if value not in (None, "") else "—"


def term_names() -> dict[str, str]:
    return {t.code: t.display_name for t in editable_terms()}
