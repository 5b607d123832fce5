"""What the SIP controller does with each answer of the call flow: the verbs read from the Twilio renderer's own
document, so both adapters say and collect the same things. No SIP, no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER, Connect, Menu
from clearline.routing.steps import Dial, DialTarget, Transfer
from clearline.telephony.answers import Answer, Greeting, Whisper, WhisperResult
from clearline.telephony.sip.prompts import Phrase
from clearline.telephony.sip.script import (
    Event,
    Gather,
    Hangup,
    Leg,
    NoInput,
    Ring,
    Say,
    destination_uri,
    fallback_crisis_script,
    fallback_script,
    script_for,
)


def test_the_greeting_listens_for_one_key_while_it_plays_then_counts_as_heard() -> None:
    verbs = script_for(Answer("SIP1", "en", Greeting(("Alder Recovery answers this number.",), Menu())))
    gather, heard = verbs
    assert isinstance(gather, Gather) and heard == NoInput(Event("menu"))
    assert (gather.event, gather.max_digits, gather.timeout_s) == (Event("menu"), 1, 4.0)
    assert gather.phrases[1] == Phrase("Alder Recovery answers this number.", "en-US")
    assert gather.phrases[-1] == Phrase("Para español, oprima 2.", "es-US")  # the other language, in it


def test_a_wave_rings_every_provider_with_its_attempt_and_the_wave_s_step() -> None:
    wave = Dial(
        index=3,
        wave=1,
        targets=(DialTarget("1", "Alder", "+12065550131"), DialTarget("2", "Birch", "+12065550132")),
        ring_timeout_s=20,
        whisper=True,
        require_accept=True,
        announce="",
    )
    (ring,) = script_for(Answer("SIP1", "en", wave, attempt_ids={"1": "11", "2": "12"}))
    assert ring == Ring(
        (Leg("+12065550131", 11, True), Leg("+12065550132", 12, True)), 20.0, Event("dial", step=3)
    )
    # A TwiML <Dial> hears no key; the controller listens while it rings only where the wave says keys work.
    assert not ring.caller_keys
    keys = replace(wave, caller_keys=True)
    (listening,) = script_for(Answer("SIP1", "en", keys, attempt_ids={"1": "11", "2": "12"}))
    assert listening.caller_keys and listening.legs == ring.legs


def test_the_whisper_asks_twice_for_1_and_hangs_up_without_it() -> None:
    verbs = script_for(Answer("SIP1", "en", Whisper("Alder Recovery", "11", "en")))
    gather, hang_up = verbs
    assert isinstance(gather, Gather) and hang_up == Hangup()
    assert gather.event == Event("whisper_accept", attempt=11) and gather.max_digits == 1
    assert len(gather.phrases) == 2 and "Press 1 to accept" in gather.phrases[0].text


def test_an_accepted_whisper_has_nothing_to_say_and_a_refused_one_hangs_up() -> None:
    assert script_for(Answer("SIP1", "en", WhisperResult(True))) == ()
    assert script_for(Answer("SIP1", "en", WhisperResult(False))) == (Hangup(),)
    assert script_for(Answer("SIP1", "en", Connect("1"))) == (Hangup(),)


@pytest.mark.parametrize("number", [FREE_HELPLINE_NUMBER, CRISIS_NUMBER])
def test_a_transfer_says_where_rings_it_and_says_both_numbers_if_it_fails(number: str) -> None:
    say, ring, goodbye, hang_up = script_for(Answer("SIP1", "es", Transfer(number, "", "")))
    assert isinstance(say, Say) and say.phrases[0].language == "es-US"
    assert ring == Ring((Leg(number),), 30.0, None)
    assert isinstance(goodbye, Say) and "988" in goodbye.phrases[0].text and hang_up == Hangup()


def test_the_fallback_offers_9_then_the_free_helpline_and_its_9_the_crisis_line() -> None:
    gather, _say, ring, _goodbye, hang_up = fallback_script("en")
    assert isinstance(gather, Gather) and gather.event == Event("fallback_crisis")
    assert ring == Ring((Leg(FREE_HELPLINE_NUMBER),), 30.0, None) and hang_up == Hangup()
    rings = [v for v in fallback_crisis_script("en") if isinstance(v, Ring)]
    assert [r.legs[0].destination for r in rings] == [CRISIS_NUMBER, FREE_HELPLINE_NUMBER]


def test_destinations_go_through_the_trunk_unless_they_are_sip_uris() -> None:
    assert destination_uri("+12065550131", "trunk.example:5060") == "sip:+12065550131@trunk.example:5060"
    assert destination_uri("sip:desk@10.0.0.9:5060", None) == "sip:desk@10.0.0.9:5060"
    for refused in ("911", "+1911", "12065550131"):
        with pytest.raises(ValueError, match="refusing"):
            destination_uri(refused, "trunk.example:5060")
    with pytest.raises(ValueError, match="CLEARLINE_SIP_TRUNK"):
        destination_uri("+12065550131", None)
