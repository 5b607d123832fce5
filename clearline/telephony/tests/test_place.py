"""The ZIP prompt: a caller whose area decides who can answer types a ZIP code (or skips) before the greeting."""

from __future__ import annotations

import json
import logging

import pytest

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER, share_credit_changes
from clearline.telephony.models import Call, CallOutcome, RotationCredit
from clearline.telephony.tests.test_webhooks import ACCOUNT, TOKEN, Twilio, action_of, dialled, is_wave, parse

pytestmark = pytest.mark.django_db

VOICE = "/telephony/twilio/voice"
AUSTIN = "78701"
BELLEVUE = "98004"  # 980: Cedar serves 98052, compared on its first three digits


@pytest.fixture(autouse=True)
def twilio_on(settings):
    settings.TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.CLEARLINE_PUBLIC_URL = ""


def spoken(root) -> str:
    return " ".join(s.text or "" for s in root.iter("Say"))


def is_zip_prompt(root) -> bool:
    gather = root.find("Gather")
    return (
        gather is not None
        and gather.get("numDigits") == "5"
        and "/telephony/twilio/place" in gather.get("action")
    )


def credits() -> dict[str, float]:
    return {
        str(c.provider_id): round(c.credit, 6) for c in RotationCredit.objects.all() if round(c.credit, 6)
    }


def expected_credits(call: Call) -> dict[str, float]:
    eligible = [str(p["id"]) for p in call.trace["providers"] if p["eligible"]]
    first_wave = [str(p) for p in call.trace["waves"][0]] if call.trace["waves"] else []
    changes = share_credit_changes(eligible, first_wave)
    return {pid: round(c, 6) for pid, c in changes.items() if round(c, 6)}


def test_a_caller_of_unknown_area_whose_providers_are_regional_hears_the_zip_prompt(
    client, helpline, regional_providers
):
    prompt = parse(Twilio(client).post(VOICE))
    assert is_zip_prompt(prompt)
    text = spoken(prompt)
    assert "five-digit ZIP code" in text and "pound" in text
    assert "press 9" in text and "press 0" in text  # the crisis and free lines work here too
    gather = prompt.find("Gather")
    assert gather.get("finishOnKey") == "#" and gather.get("timeout") == "6"
    assert "no_input=1" in prompt.find("Redirect").text  # silence skips: never a dead end
    # Nobody is rung yet, so no rotation credit is given for a plan that may change.
    assert not RotationCredit.objects.exists()


def test_typing_a_served_zip_rings_the_provider_serving_it_and_keeps_only_three_digits(
    client, helpline, regional_providers, caplog
):
    cedar = regional_providers[2]
    twilio = Twilio(client)
    prompt = parse(twilio.post(VOICE))
    with caplog.at_level(logging.DEBUG):
        greeting = parse(twilio.post(action_of(prompt, "Gather"), Digits=BELLEVUE))
    assert "Cedar Care" in spoken(greeting)
    assert "Alder" not in spoken(greeting) and "Birch" not in spoken(greeting)
    wave = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    assert is_wave(wave) and dialled(wave) == [cedar.phone]

    call = Call.objects.get()
    assert call.caller_zip3 == "980" and call.caller_state == "WA"
    assert call.trace["place"] == {"asked": True, "answer": "zip"}
    row = json.dumps(Call.objects.filter(pk=call.pk).values().get(), default=str)
    assert BELLEVUE not in row and "98004" not in row
    assert BELLEVUE not in caplog.text
    assert credits() == expected_credits(call)


def test_a_typed_zip_gives_the_state_a_state_only_provider_serves(client, helpline, regional_providers):
    alder, birch, _cedar = regional_providers
    twilio = Twilio(client)
    prompt = parse(twilio.post(VOICE, FromState="OH"))  # the number's state: nobody serves Ohio
    assert is_zip_prompt(prompt)
    greeting = parse(twilio.post(action_of(prompt, "Gather"), Digits=AUSTIN + "#"))
    wave = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    assert sorted(dialled(wave)) == sorted([alder.phone, birch.phone])
    call = Call.objects.get()
    assert (call.caller_state, call.caller_zip3) == ("TX", "787")
    assert AUSTIN not in json.dumps(Call.objects.filter(pk=call.pk).values().get(), default=str)


def test_a_repeated_answer_re_plans_and_credits_the_rotation_once(client, helpline, regional_providers):
    twilio = Twilio(client)
    prompt = parse(twilio.post(VOICE))
    first = parse(twilio.post(action_of(prompt, "Gather"), Digits=AUSTIN))
    call = Call.objects.get()
    after_first = credits()
    assert after_first == expected_credits(call)
    again = parse(twilio.post(action_of(prompt, "Gather"), Digits=AUSTIN))
    assert spoken(again) == spoken(first)
    assert credits() == after_first
    # A repeated first webhook does not ask again once the caller answered.
    assert not is_zip_prompt(parse(twilio.post(VOICE)))


def test_skipping_goes_on_as_before(client, helpline, regional_providers):
    twilio = Twilio(client)
    prompt = parse(twilio.post(VOICE))
    planned = Call.objects.get().plan
    # The pound key alone (Twilio posts no digits), or silence (the <Redirect>).
    greeting = parse(twilio.post(action_of(prompt, "Gather"), Digits=""))
    call = Call.objects.get()
    assert call.plan == planned and call.caller_zip3 == ""
    assert call.trace["place"] == {"asked": True, "answer": "skip"}
    names = [t["name"] for t in planned["steps"][0]["targets"]]
    assert names and all(name in spoken(greeting) for name in names)
    assert credits() == expected_credits(call)
    parse(twilio.post(prompt.find("Redirect").text, Digits=""))  # the redirect after it, too: credited once
    assert credits() == expected_credits(call)
    wave = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    assert is_wave(wave)


@pytest.mark.parametrize("digits", ["9", "9#"])
def test_9_at_the_zip_prompt_reaches_the_crisis_line(client, helpline, regional_providers, digits):
    twilio = Twilio(client)
    prompt = parse(twilio.post(VOICE))
    answer = parse(twilio.post(action_of(prompt, "Gather"), Digits=digits))
    assert dialled(answer) == [CRISIS_NUMBER]
    assert Call.objects.get().outcome == CallOutcome.TRANSFERRED_CRISIS


def test_0_at_the_zip_prompt_reaches_the_free_helpline(client, helpline, regional_providers):
    twilio = Twilio(client)
    prompt = parse(twilio.post(VOICE))
    answer = parse(twilio.post(action_of(prompt, "Gather"), Digits="0"))
    assert dialled(answer) == [FREE_HELPLINE_NUMBER]
    assert Call.objects.get().outcome == CallOutcome.TRANSFERRED_FREE


def test_2_at_the_zip_prompt_asks_again_in_spanish(client, helpline, regional_providers):
    twilio = Twilio(client)
    prompt = parse(twilio.post(VOICE))
    again = parse(twilio.post(action_of(prompt, "Gather"), Digits="2"))
    assert is_zip_prompt(again)
    assert {s.get("language") for s in again.find("Gather").iter("Say")} >= {"es-US"}
    assert "código postal" in spoken(again)
    assert Call.objects.get().language == "es"


def test_a_caller_from_a_served_state_is_not_asked(client, helpline, regional_providers):
    greeting = parse(Twilio(client).post(VOICE, FromState="TX"))
    assert not is_zip_prompt(greeting)
    assert "Alder Recovery" in spoken(greeting) or "Birch Health" in spoken(greeting)
    assert "place" not in Call.objects.get().trace


def test_a_caller_is_not_asked_when_every_provider_serves_everywhere(client, helpline, providers):
    greeting = parse(Twilio(client).post(VOICE))
    assert not is_zip_prompt(greeting)
    assert RotationCredit.objects.exists()  # credited at once, as before
