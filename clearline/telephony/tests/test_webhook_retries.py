"""Twilio retries a webhook when an answer is slow or lost: each replay must get the same TwiML and write nothing.

Also: a CallSid that is not Twilio's shape (``CA`` and 32 hex digits) is refused with 400 before anything is
written, and a status callback that fails answers an error status (it is not caller-facing: Twilio's debugger
must show the failure) instead of the caller's fallback TwiML.
"""

from __future__ import annotations

import logging

import pytest
from twilio.request_validator import RequestValidator

from clearline.telephony import services
from clearline.telephony.models import Attempt, Call, CallOutcome, LineSlot
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.tests.test_webhooks import (
    ACCOUNT,
    TOKEN,
    Twilio,
    action_of,
    is_wave,
    parse,
    twilio_on,
)

pytestmark = pytest.mark.django_db

__all__ = ["twilio_on"]  # the autouse fixture that switches the Twilio webhooks on, imported for this module

LEG = "CA" + "2" * 32


def rows() -> tuple[list[dict], list[dict], list[dict]]:
    return (
        list(Call.objects.order_by("pk").values()),
        list(Attempt.objects.order_by("pk").values()),
        list(LineSlot.objects.order_by("pk").values()),
    )


def first_wave(twilio: Twilio):
    greeting = parse(twilio.post("/telephony/twilio/voice"))
    wave = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    assert is_wave(wave)
    return wave


def test_a_replayed_whisper_accept_by_the_winner_gets_the_same_answer_and_writes_nothing(
    client, helpline, providers
):
    twilio = Twilio(client)
    wave = first_wave(twilio)
    whisper = parse(twilio.post(wave.findall(".//Dial/Number")[0].get("url"), CallSid=LEG))
    accept_url = action_of(whisper, "Gather")
    first = twilio.post(accept_url, CallSid=LEG, Digits="1")
    assert parse(first).find("Hangup") is None  # the winner is bridged
    assert Call.objects.get().outcome == CallOutcome.CONNECTED
    before = rows()

    replay = twilio.post(accept_url, CallSid=LEG, Digits="1")

    assert replay.status_code == 200 and replay.content == first.content
    assert rows() == before


def test_a_replayed_whisper_accept_by_a_loser_still_hangs_up_its_leg(client, helpline, providers):
    twilio = Twilio(client)
    numbers = first_wave(twilio).findall(".//Dial/Number")
    winner = parse(twilio.post(numbers[0].get("url"), CallSid=LEG))
    loser = parse(twilio.post(numbers[1].get("url"), CallSid="CA" + "3" * 32))
    parse(twilio.post(action_of(winner, "Gather"), CallSid=LEG, Digits="1"))
    before = rows()
    for _ in range(2):
        refused = parse(twilio.post(action_of(loser, "Gather"), CallSid="CA" + "3" * 32, Digits="1"))
        assert refused.find("Hangup") is not None
    assert rows() == before


def test_a_replayed_dial_action_gets_the_same_twiml_and_holds_no_new_line(client, helpline, providers):
    twilio = Twilio(client)
    wave = first_wave(twilio)
    dial_action = action_of(wave, "Dial")
    first = twilio.post(dial_action, DialCallStatus="no-answer")
    assert is_wave(parse(first))  # the next wave rings
    slots, attempts = LineSlot.objects.count(), Attempt.objects.count()
    before = rows()

    for _ in range(3):
        replay = twilio.post(dial_action, DialCallStatus="no-answer")
        assert replay.status_code == 200 and replay.content == first.content

    assert LineSlot.objects.count() == slots and Attempt.objects.count() == attempts
    assert rows() == before


def test_a_replayed_dial_action_after_the_next_wave_ended_still_writes_nothing(client, helpline, providers):
    twilio = Twilio(client)
    dial_action = action_of(first_wave(twilio), "Dial")
    first = twilio.post(dial_action, DialCallStatus="busy")
    second = parse(first)
    root = parse(twilio.post(action_of(second, "Dial"), DialCallStatus="no-answer"))
    assert root is not None
    before = rows()

    replay = twilio.post(dial_action, DialCallStatus="busy")

    assert replay.status_code == 200 and replay.content == first.content
    assert rows() == before


BAD_CALL_SIDS = {
    "empty": "",
    "too long": "CA" + "a" * 5000,
    "one digit short": "CA" + "a" * 31,
    "wrong prefix": "PN" + "a" * 32,
    "not hex": "CA" + "g" * 32,
    "lower-case prefix": "ca" + "a" * 32,
    "trailing newline": "CA" + "a" * 32 + "\n",
}


@pytest.mark.parametrize("call_sid", BAD_CALL_SIDS.values(), ids=BAD_CALL_SIDS.keys())
def test_a_call_sid_not_in_twilios_format_is_refused_and_nothing_is_written(
    client, helpline, providers, call_sid
):
    response = Twilio(client, call_sid=call_sid).post("/telephony/twilio/voice")
    assert response.status_code == 400
    assert not Call.objects.exists() and not LineSlot.objects.exists() and not Attempt.objects.exists()


def test_a_missing_call_sid_is_refused(client, helpline, providers):
    # Signed, but without the field Twilio always sends.
    data = {"AccountSid": ACCOUNT, "From": CALLER, "To": HELPLINE}
    signature = RequestValidator(TOKEN).compute_signature("http://testserver/telephony/twilio/voice", data)
    response = client.post("/telephony/twilio/voice", data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 400
    assert not Call.objects.exists()


@pytest.mark.parametrize("call_sid", BAD_CALL_SIDS.values(), ids=BAD_CALL_SIDS.keys())
def test_the_other_webhooks_refuse_a_bad_call_sid_too(client, helpline, providers, call_sid):
    twilio = Twilio(client)
    wave = first_wave(twilio)
    before = rows()
    bad = Twilio(client, call_sid=call_sid)
    assert bad.post("/telephony/twilio/status", CallStatus="completed").status_code == 400
    assert bad.post(action_of(wave, "Dial"), DialCallStatus="no-answer").status_code == 400
    assert rows() == before


def test_a_bad_call_query_parameter_is_refused(client, helpline, providers):
    twilio = Twilio(client)
    first_wave(twilio)
    before = rows()
    for query in ("", "CA" + "a" * 5000, "CAunknown"):
        response = twilio.post(f"/telephony/twilio/dial?call={query}&step=2", DialCallStatus="no-answer")
        assert response.status_code == 400
    assert rows() == before


def test_a_failing_status_callback_answers_500_not_the_callers_fallback(
    client, helpline, providers, monkeypatch, caplog
):
    twilio = Twilio(client)
    twilio.post("/telephony/twilio/voice")

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "advance_call_status", broken)
    with caplog.at_level(logging.ERROR):
        response = twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="30")

    assert response.status_code == 500
    assert b"<Response" not in response.content
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors
    assert all(CALLER not in r.getMessage() and CALLER not in str(r.args) for r in errors)


def test_a_failing_leg_status_callback_answers_500(client, helpline, providers, monkeypatch):
    twilio = Twilio(client)
    twilio.post("/telephony/twilio/voice")

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "record_leg_status", broken)
    response = twilio.post("/telephony/twilio/status?attempt=1", CallSid=LEG, CallStatus="no-answer")
    assert response.status_code == 500


def test_a_voice_webhook_that_fails_still_answers_the_fallback(client, helpline, providers, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "start_call", broken)
    response = Twilio(client).post("/telephony/twilio/voice")
    assert response.status_code == 200 and b"<Dial" in response.content
