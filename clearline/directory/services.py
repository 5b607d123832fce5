"""Directory state changes, and the one question telephony asks: `verified_destination_for`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from clearline.lib.audit import current_actor, log_action

from .models import Facility, ListingConsent, Phone


class DirectoryError(Exception):
    """A directory operation that cannot be done, with a reason a person can act on."""


def verified_destination_for(facility_id: int) -> str | None:
    """The E.164 number a listing number may ring for this facility, or None.

    Only a phone a person has confirmed qualifies (directory phones are unverified, DESIGN.md §7), and only
    while the facility's written consent to a listing number stands. The main line comes before intake lines.
    Extensions are not dialled: a listing number needs a direct line.
    """
    if not ListingConsent.objects.filter(facility_id=facility_id, withdrawn_at__isnull=True).exists():
        return None
    candidates = Phone.objects.filter(
        facility_id=facility_id, verified_at__isnull=False, extension=""
    ).exclude(kind=Phone.Kind.HOTLINE)
    phones = sorted(candidates, key=lambda p: (p.kind != Phone.Kind.MAIN, p.position))
    return phones[0].number if phones else None


def verify_phone(phone_id: int, verified_by: str) -> Phone:
    """Record that a person called this number and confirmed it reaches the facility."""
    if not verified_by.strip():
        raise DirectoryError("Say who verified the phone.")
    phone = Phone.objects.get(pk=phone_id)
    phone.verified_at, phone.verified_by = timezone.now(), verified_by.strip()
    phone.save(update_fields=["verified_at", "verified_by"])
    return phone


@transaction.atomic
def record_listing_consent(
    facility_id: int, person_name: str, person_role: str, recorded_by: str, document_note: str = ""
) -> ListingConsent:
    """The facility's written consent to a listing number: who consented, in what role, who recorded it."""
    if not (person_name.strip() and person_role.strip() and recorded_by.strip()):
        raise DirectoryError("Consent needs the consenting person's name and role, and who recorded it.")
    facility = Facility.objects.select_for_update().get(pk=facility_id)
    return ListingConsent.objects.create(
        facility=facility,
        person_name=person_name.strip(),
        person_role=person_role.strip(),
        recorded_by=recorded_by.strip(),
        recorded_at=timezone.now(),
        document_note=document_note,
    )


@transaction.atomic
def withdraw_listing_consent(facility_id: int) -> int:
    """The facility withdrew its consent: its listing numbers stop ringing it from now on."""
    withdrawn = 0
    for consent in ListingConsent.objects.select_for_update().filter(
        facility_id=facility_id, withdrawn_at__isnull=True
    ):
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])  # an audit entry (directory.listing_consent.updated)
        withdrawn += 1
    return withdrawn


@transaction.atomic
def mark_verified(facility_id: int, verified_by: str) -> None:
    """A person checked the listing's details with the facility today."""
    updated = Facility.objects.filter(pk=facility_id).update(
        last_verified=timezone.localdate(), verified_by=verified_by, status=Facility.Status.VERIFIED
    )
    if updated:
        log_action(
            "directory.facility.verified",
            actor=current_actor(),
            target=Facility(pk=facility_id),
            data={"verified_by": verified_by},
        )
