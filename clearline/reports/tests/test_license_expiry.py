"""A lapsed license takes a provider out of routing on the very day it lapses, and the audit log says so that day.

A license's expiry date is its last valid day (in the provider's own time zone): on that day the provider still
receives calls; from the next day ``snapshot_providers`` (what every call reads) makes it ineligible at once,
without waiting for the hourly document job, and that day's run of the job records the lapse once.
"""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.lib.models import AuditEntry
from clearline.providers.documents import check_document_expiry
from clearline.routing import CallContext
from clearline.routing.eligibility import evaluate_all
from clearline.telephony.snapshots import build_policy, snapshot_providers

pytestmark = pytest.mark.django_db

# 28 November 2026, 09:00 in New York (the providers' and the operator's zone).
NOW = dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 28)


def verdicts(now: dt.datetime) -> dict[str, tuple[bool, tuple[str, ...]]]:
    policy = build_policy()
    snapshots = snapshot_providers(now, policy)
    results = evaluate_all(snapshots, CallContext(call_id="license-test"), policy, now)
    return {s.name: (v.eligible, v.failed) for s, v in zip(snapshots, results, strict=True)}


def test_license_lapsing_today_makes_the_provider_ineligible_today_with_an_audit_entry(providers):
    alder = providers[0]
    for provider in providers:
        provider.phone = "+12065550131"
        provider.save()
    assert verdicts(NOW)["Alder Recovery"] == (True, ())

    alder.license_expires_on = TODAY - dt.timedelta(days=1)  # valid through yesterday: lapsed today
    alder.save()
    eligible, failed = verdicts(NOW)["Alder Recovery"]
    assert not eligible and failed == ("license_current",)
    assert verdicts(NOW)["Birch Health"][0]  # the others are untouched

    assert check_document_expiry(NOW)["expired"] == 1
    assert check_document_expiry(NOW)["expired"] == 0
    entry = AuditEntry.objects.get(action="providers.provider.license_expired", target_id=str(alder.pk))
    assert entry.data == {"expires": "2026-11-27"}


def test_a_license_is_still_valid_on_its_expiry_date(providers):
    alder = providers[0]
    alder.phone = "+12065550131"
    alder.license_expires_on = TODAY
    alder.save()
    assert verdicts(NOW)["Alder Recovery"][0]
    last_minute = dt.datetime(2026, 11, 29, 4, 59, tzinfo=dt.UTC)  # 23:59 in New York
    assert verdicts(last_minute)["Alder Recovery"][0]
    next_morning = dt.datetime(2026, 11, 29, 5, 0, tzinfo=dt.UTC)  # midnight in New York
    assert verdicts(next_morning)["Alder Recovery"] == (False, ("license_current",))


def test_the_lapse_is_recorded_on_the_providers_own_date_as_routing_sees_it(providers):
    alder = providers[0]
    alder.phone = "+12065550131"
    alder.license_expires_on = TODAY
    alder.timezone = "America/Los_Angeles"
    alder.save()
    # 06:30 UTC on the 29th: already the 29th in New York, still the 28th (the last valid day) in Los Angeles.
    early = dt.datetime(2026, 11, 29, 6, 30, tzinfo=dt.UTC)
    assert verdicts(early)["Alder Recovery"][0]
    assert check_document_expiry(early)["expired"] == 0
    # 08:30 UTC: the 29th in Los Angeles too. Routing refuses the provider, and the job records it now.
    lapsed = dt.datetime(2026, 11, 29, 8, 30, tzinfo=dt.UTC)
    assert not verdicts(lapsed)["Alder Recovery"][0]
    assert check_document_expiry(lapsed)["expired"] == 1
