"""Eligibility documents: warn before a license or certification expires, and record when one has.

Routing already refuses a provider whose document expired (it reads the dates in every snapshot); this job makes
the moment visible: an audit entry the day a document lapses, and a warning e-mail to operators two weeks before.
Safe to run any number of times a day: each fact is recorded once.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clearline.lib.audit import log_action
from clearline.lib.models import AuditEntry
from clearline.providers.models import Provider

logger = logging.getLogger(__name__)

WARN_DAYS = 14
DOCUMENTS = (("license_expires_on", "license"), ("certification_expires_on", "certification"))


def _recorded(provider: Provider, action: str, expires: dt.date) -> bool:
    return AuditEntry.objects.filter(
        action=action, target_type="Provider", target_id=str(provider.pk), data__expires=expires.isoformat()
    ).exists()


def _record_once(provider: Provider, action: str, expires: dt.date) -> bool:
    """Append the entry unless it exists; the provider row lock makes a second worker wait, then see it."""
    with transaction.atomic():
        list(Provider.objects.select_for_update().filter(pk=provider.pk).values_list("pk"))
        if _recorded(provider, action, expires):
            return False
        log_action(action, target=provider, data={"expires": expires.isoformat()})
        return True


def check_document_expiry(now: dt.datetime | None = None) -> dict[str, int]:
    """Record lapsed documents and warn about those lapsing within two weeks; returns counts of new facts.

    "Lapsed" uses the provider's own date, as routing does (a document is valid through its expiry date in the
    provider's zone), so the entry is written when routing stops offering the provider calls, not hours before.
    """
    moment = now or timezone.now()
    # No zone is more than 14 hours ahead of UTC: nobody's date is later than this one.
    latest_day = (moment.astimezone(dt.UTC) + dt.timedelta(hours=14)).date()
    soon = Q(license_expires_on__lte=latest_day + dt.timedelta(days=WARN_DAYS)) | Q(
        certification_expires_on__lte=latest_day + dt.timedelta(days=WARN_DAYS)
    )
    counts = {"expired": 0, "warned": 0}
    for provider in Provider.objects.filter(active=True).filter(soon):
        day = moment.astimezone(ZoneInfo(provider.timezone)).date()
        horizon = day + dt.timedelta(days=WARN_DAYS)
        for field, label in DOCUMENTS:
            expires = getattr(provider, field)
            if expires is None:
                continue
            if expires < day:
                action = f"providers.provider.{label}_expired"
                if _record_once(provider, action, expires):
                    logger.warning("Provider %s: %s expired on %s; not eligible", provider.pk, label, expires)
                    counts["expired"] += 1
            elif expires <= horizon:
                action = f"providers.provider.{label}_expiring"
                if _record_once(provider, action, expires):
                    _warn_operators(provider, label, expires)
                    counts["warned"] += 1
    return counts


def _warn_operators(provider: Provider, label: str, expires: dt.date) -> None:
    recipients = settings.CLEARLINE_OPERATOR_EMAILS
    if not recipients:
        return
    try:
        send_mail(
            f"Clearline: {provider.name}'s {label} expires on {expires:%Y-%m-%d}",
            f"{provider.name}'s {label} is valid through {expires:%Y-%m-%d}. After that day the provider receives "
            "no calls until a new expiry date is entered.",
            None,
            recipients,
        )
    except Exception:
        logger.exception("Could not e-mail operators about provider %s", provider.pk)
