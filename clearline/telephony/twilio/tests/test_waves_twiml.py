"""The queue-shaped wave's TwiML: what the caller and the winning provider get (pure rendering, no database)."""

from __future__ import annotations

import pytest

from clearline.routing import Dial, DialTarget, ListingTarget
from clearline.telephony.answers import Answer, WhisperResult
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.action_urls import call_urls
from clearline.telephony.twilio.tests.twiml_helpers import dialled, parse, spoken, verbs
from clearline.telephony.twilio.twiml import QueueUrls

CALL = "CA" + "7" * 32
BASE = "https://help.example.org/telephony/twilio"
URLS = QueueUrls(
    dial_action=f"{BASE}/dial?call={CALL}&step=2",
    wave_keys=f"{BASE}/wave-keys?call={CALL}&step=3",
    whisper=f"{BASE}/whisper",
    whisper_accept=f"{BASE}/whisper/accept",
    status_callback=f"{BASE}/status",
    wave_hold=f"{BASE}/wave-hold?call={CALL}&step=2",
    wave_left=f"{BASE}/wave-left?call={CALL}&step=2",
    wave_leg_status=f"{BASE}/wave-leg-status",
)
DIAL_SHAPE = QueueUrls(**{**URLS.__dict__, "wave_hold": "", "wave_left": "", "wave_leg_status": ""})
HARBOR = DialTarget("p1", "Harbor Light Recovery", "+15555550111")
MESA = DialTarget("p2", "Mesa Verde Treatment", "+15555550112")
FIRST_WAVE = Dial(2, 1, (HARBOR, MESA), 13, whisper=True, require_accept=True, announce="")
SECOND_WAVE = Dial(3, 2, (MESA,), 13, whisper=True, require_accept=True, announce="Now also trying Mesa.")
ATTEMPTS = {"p1": "101", "p2": "102"}


def wave(step: Dial, language: str = "en") -> Answer:
    return Answer(CALL, language, step, attempt_ids=ATTEMPTS)


def test_the_caller_waits_in_a_queue_of_their_own_while_the_legs_ring():
    root = parse(twiml.render_answer(wave(FIRST_WAVE), URLS))
    assert verbs(root) == ["Enqueue"]
    enqueue = root.find("Enqueue")
    assert enqueue.text == CALL  # the queue is named after the caller's CallSid: only this caller is in it
    assert enqueue.attrib == {
        "action": URLS.wave_left,
        "method": "POST",
        "waitUrl": URLS.wave_hold,
        "waitUrlMethod": "POST",
    }
    assert dialled(root) == []  # nobody is dialled by the caller's TwiML: the legs are REST calls


def test_a_later_wave_is_announced_with_9_and_0_and_rings_through_the_wave_keys_webhook():
    root = parse(twiml.render_answer(wave(SECOND_WAVE, "es"), URLS))
    assert verbs(root) == ["Gather", "Redirect"]
    gather = root.find("Gather")
    assert gather.attrib == {"action": URLS.wave_keys, "method": "POST", "numDigits": "1", "timeout": "1"}
    assert "Mesa Verde Treatment" in spoken(root)
    assert gather.find("Say").get("language") == "es-US"
    redirect = root.find("Redirect")
    assert redirect.text == URLS.wave_keys and redirect.get("method") == "POST"
    assert root.find(".//Enqueue") is None  # the legs start only after the announcement, without a key


def test_the_hold_loop_is_silence_that_listens_for_no_key():
    root = parse(twiml.render_hold())
    assert verbs(root) == ["Pause"]
    assert int(root.find("Pause").get("length")) <= 3  # how late the caller may learn that the wave is over
    assert root.find(".//Gather") is None


def test_the_wave_over_takes_the_caller_out_of_the_queue():
    assert verbs(parse(twiml.render_leave())) == ["Leave"]


def test_the_provider_who_presses_1_takes_the_caller_out_of_the_callers_queue():
    root = parse(twiml.render_answer(Answer(CALL, "en", WhisperResult(True)), URLS))
    assert verbs(root) == ["Dial", "Hangup"]
    queue = root.find("Dial/Queue")
    assert queue is not None and queue.text == CALL
    assert root.find("Dial/Number") is None


def test_a_refused_or_late_1_hangs_up_that_leg():
    root = parse(twiml.render_answer(Answer(CALL, "en", WhisperResult(False)), URLS))
    assert verbs(root) == ["Hangup"]


def test_without_the_queue_urls_a_wave_is_one_dial_as_before():
    root = parse(twiml.render_answer(wave(FIRST_WAVE), DIAL_SHAPE))
    assert root.find("Enqueue") is None
    assert dialled(root) == [HARBOR.phone, MESA.phone]
    assert verbs(parse(twiml.render_answer(Answer(CALL, "en", WhisperResult(True)), DIAL_SHAPE))) == []


def test_a_listing_number_keeps_its_plain_dial_in_the_queue_shape():
    facility = ListingTarget("f1", "Harbor Light", "+15555550120")
    listing = Dial(1, 1, (facility,), 20, whisper=False, require_accept=False, announce="")
    root = parse(twiml.render_answer(Answer(CALL, "en", listing, listing=True), URLS))
    assert root.find("Enqueue") is None
    assert dialled(root) == ["+15555550120"]


def test_the_enqueue_needs_its_hold_loop_and_action():
    with pytest.raises(ValueError, match="wave_hold"):
        twiml.render_enqueue(CALL, QueueUrls(wave_left=URLS.wave_left))


@pytest.mark.parametrize(("setting", "queued"), [("dial", False), ("queue", True)])
def test_the_call_urls_ask_for_the_queue_shape_only_when_the_setting_says_so(settings, setting, queued):
    settings.CLEARLINE_TWILIO_WAVES = setting
    urls = call_urls("https://help.example.org", CALL, 2)
    assert twiml.queue_shaped(urls) is queued
    if queued:
        assert urls.wave_hold == f"{BASE}/wave-hold?call={CALL}&step=2"
        assert urls.wave_left == f"{BASE}/wave-left?call={CALL}&step=2"
        assert urls.wave_leg_status == f"{BASE}/wave-leg-status"
