"""The situations issue 10 found, each once false on main: what callers are told is now true for each of them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import Helpline
from clearline.providers.models import Contract
from clearline.providers.routing_settings import RoutingSettings
from clearline.telephony.claim_checks import CheckResult, check_call
from clearline.telephony.models import Call, CallOutcome
from clearline.telephony.tests.conftest import HELPLINE
from clearline.telephony.tests.test_webhooks import Twilio, parse, twilio_on  # noqa: F401

pytestmark = pytest.mark.django_db

TREATMENT = "+12065550109"


def said(root) -> str:
    return " ".join(say.text or "" for say in root.iter("Say"))


def paragraph_for(label: str, text: str) -> str:
    return next(p for p in text.split("\n\n") if p.startswith(label))


def finish(twilio: Twilio) -> Call:
    twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="40")
    return Call.objects.get(call_sid=twilio.call_sid)


def test_1_a_caller_no_provider_serves_was_told_only_what_happened(client, helpline, regional_providers):
    """Was: "answered or returned by one of 3 providers" for a caller from a state none of them serves."""
    text = ensure_current_disclosure().text_en
    assert "Alder Recovery (callers in TX, or whose area we cannot tell;" in text
    assert "Cedar Care (callers in ZIP codes starting 98052, or whose area we cannot tell;" in text

    twilio = Twilio(client)
    prompt = parse(twilio.post("/telephony/twilio/voice", FromState="OH"))
    assert "type your five-digit ZIP code" in said(prompt)  # nobody serves Ohio: the caller may give a place
    answer = parse(twilio.post(prompt.find("Gather").get("action"), Digits=""))  # skipped
    greeting = said(answer)
    assert "No participating treatment provider can take your call right now." in greeting
    assert "paid advertiser" not in greeting
    transfer = parse(twilio.post(answer.find("Redirect").text))
    assert "SAMHSA" in said(transfer)
    call = finish(twilio)
    assert call.outcome == CallOutcome.TRANSFERRED_FREE
    assert check_call(call) is CheckResult.KEPT


def test_2_the_greeting_says_nobody_first_and_never_the_fee_when_nobody_will_ring(
    client, helpline, providers
):
    for provider in providers:
        provider.paused = True
        provider.save()
    greeting = said(parse(Twilio(client).post("/telephony/twilio/voice")))
    assert greeting.index(
        "No participating treatment provider can take your call right now."
    ) < greeting.index("press 9")
    assert "flat fee" not in greeting and "paid advertiser" not in greeting


def test_2_with_fees_made_unequal_behind_the_apps_back_nobody_hears_of_one_flat_fee(
    client, helpline, providers
):
    Contract.objects.filter(provider=providers[0]).update(amount=Decimal("10.00"))
    greeting = said(parse(Twilio(client).post("/telephony/twilio/voice")))
    assert "We will now try" in greeting
    assert "flat fee" not in greeting
    assert "same flat" not in ensure_current_disclosure().text_en


def test_3_a_provider_is_listed_only_beside_numbers_it_can_answer(helpline, providers):
    Helpline.objects.create(label="Treatment Helpline", intent="hotline", number=TREATMENT)
    alder = providers[0]
    alder.intents = ["hotline"]
    alder.save()
    text = ensure_current_disclosure().text_en
    assert "Alder Recovery (" not in paragraph_for("Heroin Detox", text)
    assert "Alder Recovery (" in paragraph_for("Treatment Helpline", text)


def test_3_the_order_sentence_names_every_rule_that_decides_who_rings(helpline, providers):
    text = ensure_current_disclosure().text_en
    for rule in (
        "open",
        "free line",
        "daily limit",
        "not paused",
        "your area",
        "your language",
        "kind of call",
    ):
        assert rule in text


def test_4_later_waves_of_another_size_are_said_as_such(helpline, providers):
    RoutingSettings.objects.create(wave_size=1, later_wave_size=3, note="test")
    text = ensure_current_disclosure().text_en
    assert "First one rings, then up to 3 at a time in each later round" in text
    assert "They are rung one at a time" not in text


def test_5_with_callbacks_off_no_call_back_is_promised(helpline, providers):
    RoutingSettings.objects.create(callbacks=False, note="test")
    text = ensure_current_disclosure().text_en
    assert "you are offered a call back" not in text
    assert "No call back is offered on this number." in text


def test_7_a_provider_whose_licence_lapsed_is_no_longer_named(client, helpline, providers):
    alder = providers[0]
    alder.license_expires_on = dt.date.today() - dt.timedelta(days=2)
    alder.save()
    version = ensure_current_disclosure()
    assert "Alder Recovery" not in version.text_en and "Alder Recovery" not in version.text_es
    page_labels = version.claims["numbers"][str(Helpline.objects.get(number=HELPLINE).pk)]
    assert all("Alder" not in str(claim) for claim in page_labels)


def test_a_crisis_transfer_from_the_greeting_is_recorded_and_keeps_the_keys_claim(
    client, helpline, providers
):
    twilio = Twilio(client)
    first = parse(twilio.post("/telephony/twilio/voice"))
    action = first.find("Gather").get("action")
    twilio.post(action, Digits="9")
    call = finish(twilio)
    assert call.outcome == CallOutcome.TRANSFERRED_CRISIS
    assert call.key_presses == [["9", "greeting"]]
    assert check_call(call) is CheckResult.KEPT
