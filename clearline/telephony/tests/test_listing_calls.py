"""Listing numbers ring their facility's verified phone and nobody else, ever (DESIGN.md rule 1)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from clearline.content.models import Helpline, HelplineKind
from clearline.directory.demo import load_demo_facilities
from clearline.directory.models import Facility, ListingConsent, Phone
from clearline.telephony.models import Attempt, Call, CallOutcome, LineSlot
from clearline.telephony.tests.test_webhooks import Twilio, action_of, dialled, parse, twilio_on  # noqa: F401

pytestmark = pytest.mark.django_db

LISTING = "+12065550150"


@pytest.fixture
def facility(db) -> Facility:
    load_demo_facilities()
    facility = Facility.objects.order_by("pk").first()
    Helpline.objects.create(
        label="Listing", intent="rehabilitation", number=LISTING, kind=HelplineKind.LISTING, facility=facility
    )
    return facility


def verify(facility: Facility) -> str:
    phone = facility.phones.exclude(kind=Phone.Kind.HOTLINE).first()
    phone.verified_at, phone.verified_by, phone.extension = timezone.now(), "staff", ""
    phone.save()
    ListingConsent.objects.create(
        facility=facility,
        person_name="A. Director",
        person_role="Director",
        recorded_by="staff",
        recorded_at=timezone.now(),
    )
    return phone.number


def listing_twilio(client) -> Twilio:
    twilio = Twilio(client)
    original = twilio.post

    def post(url: str, sign: bool = True, **fields: str):
        return original(url, sign, **{"To": LISTING, **fields})

    twilio.post = post  # type: ignore[method-assign]
    return twilio


def test_a_listing_call_rings_the_facilitys_verified_phone_only(client, facility, providers):
    number = verify(facility)
    twilio = listing_twilio(client)
    first = parse(twilio.post("/telephony/twilio/voice"))
    assert dialled(first) == [number]
    assert not {p.phone for p in providers} & set(dialled(first))
    assert not LineSlot.objects.exists() and not Attempt.objects.exists()
    parse(twilio.post(action_of(first, "Dial"), DialCallStatus="completed"))
    assert Call.objects.get().outcome == CallOutcome.LISTING_CONNECTED


def test_an_unanswered_listing_call_offers_options_never_a_provider(client, facility, providers):
    verify(facility)
    twilio = listing_twilio(client)
    first = parse(twilio.post("/telephony/twilio/voice"))
    options = parse(twilio.post(action_of(first, "Dial"), DialCallStatus="no-answer"))
    assert options.find(".//Dial/Number") is None
    spoken = " ".join(s.text for s in options.iter("Say"))
    assert "0" in spoken and all(p.name not in spoken for p in providers)
    assert Call.objects.get().outcome == CallOutcome.LISTING_UNANSWERED
    assert not Attempt.objects.exists()


def test_without_a_verified_phone_the_caller_hears_the_options(client, facility, providers):
    twilio = listing_twilio(client)
    root = parse(twilio.post("/telephony/twilio/voice"))
    assert (
        root.find(".//Dial") is None
        or dialled(root) == ["+18006624357"]
        or root.find(".//Gather") is not None
    )
    assert all(p.phone not in root.itertext() for p in providers)
    assert not Attempt.objects.exists()


def test_when_a_listing_webhook_fails_inside_the_app_the_fallback_rings_the_facility(
    client, facility, providers, monkeypatch
):
    """Was: the helpline's fallback ("a treatment provider") and the free helpline instead of the facility."""
    number = verify(facility)
    twilio = listing_twilio(client)
    parse(twilio.post("/telephony/twilio/voice"))  # the roster (and so the number's kind) is now known

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("clearline.telephony.services.record_listing_result", broken)
    call = Call.objects.get()
    root = parse(
        twilio.post(f"/telephony/twilio/dial?call={call.call_sid}&step=2", DialCallStatus="no-answer")
    )
    assert dialled(root) == [number]
    said = " ".join(say.text for say in root.iter("Say"))
    assert f"This number rings only {facility.name}" in said and "treatment provider" not in said
    gathers = [g.get("action") for g in root.iter("Gather")]
    assert gathers == ["fallback-crisis.xml", "fallback-free-helpline.xml"]
    free = client.get("/telephony/twilio/fallback-free-helpline.xml")
    assert "+18006624357" in free.content.decode()
