"""The demo's listing number: a number that rings one demo facility and nobody else (DESIGN.md rule 1)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from clearline.content.models import Helpline, HelplineIntent, HelplineKind
from clearline.directory.models import Facility, ListingConsent, Phone
from clearline.directory.services import record_listing_consent, verify_phone

# The demo's listing number: it rings the first demo facility (Cedar Hollow) and nobody else.
LISTING_NUMBER = "+12065550131"
LISTING_FACILITY = "demo-1"


def ensure_listing_number() -> None:
    """A listing number for the first demo facility, with what one needs: the facility's written consent (a
    fictional person's) and its main phone verified, both recorded before the demo's calls begin."""
    facility = Facility.objects.filter(source="demo", source_id=LISTING_FACILITY).first()
    phone = facility.phones.filter(kind=Phone.Kind.MAIN).first() if facility else None
    if facility is None or phone is None:
        return
    recorded = timezone.now() - dt.timedelta(days=70)
    if not ListingConsent.objects.filter(facility=facility, withdrawn_at__isnull=True).exists():
        consent = record_listing_consent(
            facility.pk, "Robin Ames (fictional)", "Intake director", "Clearline demo", "A demo consent."
        )
        ListingConsent.objects.filter(pk=consent.pk).update(recorded_at=recorded)
    if phone.verified_at is None:
        verify_phone(phone.pk, "Clearline demo")
        Phone.objects.filter(pk=phone.pk).update(verified_at=recorded)
    Helpline.objects.get_or_create(
        number=LISTING_NUMBER,
        defaults={
            "label": facility.name,
            "label_es": facility.name,
            "intent": HelplineIntent.REHABILITATION,
            "kind": HelplineKind.LISTING,
            "facility": facility,
        },
    )
