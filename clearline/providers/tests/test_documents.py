"""Expiring documents: operators are warned two weeks ahead, a lapse is recorded once, routing sees it the same day."""

import datetime as dt

import pytest
from django.core import mail

from clearline.lib.models import AuditEntry
from clearline.providers.documents import check_document_expiry
from clearline.providers.models import Provider

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)
NOON = dt.datetime(2026, 11, 28, 18, 0, tzinfo=dt.UTC)  # noon in Chicago, the provider's zone


@pytest.fixture
def provider(db) -> Provider:
    return Provider.objects.create(
        name="Alder Recovery",
        slug="alder",
        public_description="Care.",
        timezone="America/Chicago",
        license_expires_on=TODAY + dt.timedelta(days=10),
        certification_expires_on=TODAY + dt.timedelta(days=400),
    )


def test_operators_are_warned_two_weeks_before_a_license_expires(provider, settings):
    settings.CLEARLINE_OPERATOR_EMAILS = ["ops@example.org"]
    assert check_document_expiry(NOON) == {"expired": 0, "warned": 1}
    assert mail.outbox[0].to == ["ops@example.org"] and "license" in mail.outbox[0].subject
    assert check_document_expiry(NOON) == {"expired": 0, "warned": 0}  # once, however often the job runs
    assert len(mail.outbox) == 1


def test_a_lapsed_license_is_recorded_once_in_the_audit_log(provider):
    later = NOON + dt.timedelta(days=11)
    assert check_document_expiry(later)["expired"] == 1
    assert check_document_expiry(later)["expired"] == 0
    entry = AuditEntry.objects.get(action="providers.provider.license_expired")
    assert (
        entry.target_id == str(provider.pk)
        and entry.data["expires"] == provider.license_expires_on.isoformat()
    )


def test_routing_refuses_the_provider_the_day_after_its_license_lapses(provider):
    from clearline.routing import CallContext, RoutingPolicy, evaluate
    from clearline.routing.schedule import Schedule
    from clearline.routing.types import ProviderSnapshot

    snapshot = ProviderSnapshot(
        id=str(provider.pk),
        name=provider.name,
        schedule=Schedule(timezone=provider.timezone, always_open=True),
        license_expires=provider.license_expires_on,
        certification_expires=provider.certification_expires_on,
    )
    last_valid = dt.datetime.combine(provider.license_expires_on, dt.time(23, 0), tzinfo=dt.UTC).replace(
        hour=23
    )
    assert evaluate(
        snapshot, CallContext(call_id="a"), RoutingPolicy(), last_valid - dt.timedelta(hours=12)
    ).eligible
    lapsed = last_valid + dt.timedelta(days=1)
    verdict = evaluate(snapshot, CallContext(call_id="b"), RoutingPolicy(), lapsed)
    assert not verdict.eligible and "license" in " ".join(verdict.failed)
