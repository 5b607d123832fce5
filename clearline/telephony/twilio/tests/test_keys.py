"""Keys 9 and 0 work at exactly the moments ``KEY_MOMENTS`` names: every caller-facing answer, rendered.

At a key moment every sentence the caller hears before the call moves on (a ``<Dial>`` rings, a ``<Redirect>``
follows) plays inside a one-digit ``<Gather>`` whose action reads 9 as the crisis line and 0 as the free helpline;
only a closing goodbye may follow it. Every other answer must fail that test, so the list the disclosure is made
from cannot claim a moment the TwiML does not keep, nor leave out one it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from xml.etree.ElementTree import Element

import pytest

from clearline.routing import (
    CRISIS_NUMBER,
    FREE_HELPLINE_NUMBER,
    Dial,
    DialTarget,
    Outcome,
    plan_call,
)
from clearline.routing.steps import KEY_MOMENTS, RINGING, key_moments
from clearline.routing.tests.factories import NOW, POLICY, call, providers
from clearline.telephony import keys
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.tests.twiml_helpers import assert_never_silent, dialled, parse, verbs
from clearline.telephony.twilio.twiml import Urls
from clearline.telephony.twilio.twiml.queue import HOLD_PAUSE_S

BASE = "https://help.example.org/telephony/twilio"
URLS = Urls(
    menu_action=f"{BASE}/menu?call=7",
    dial_action=f"{BASE}/dial?call=7&step=3",
    wave_keys=f"{BASE}/wave-keys?call=7&step=3",
    whisper=f"{BASE}/whisper",
    whisper_accept=f"{BASE}/whisper/accept",
    callback_action=f"{BASE}/callback?call=7&step=5",
    number_action=f"{BASE}/number?call=7&step=5",
    options_action=f"{BASE}/options?call=7&step=5",
    status_callback=f"{BASE}/status",
)
# The actions whose views read 9 as the crisis line and 0 as the free helpline (``read_menu_digits`` for the menu,
# the wave's keys and the callback offer; ``render_option_choice`` for the options). The webhook tests post them.
KEY_ACTIONS = {URLS.menu_action, URLS.wave_keys, URLS.callback_action, URLS.options_action}
HARBOR = DialTarget("p1", "Harbor Light Recovery", "+15555550111")
MESA = DialTarget("p2", "Mesa Verde Treatment", "+15555550112")
FIRST_WAVE = Dial(2, 1, (HARBOR,), 13, whisper=True, require_accept=True, announce="")
LATER_WAVE = Dial(3, 2, (MESA,), 13, whisper=True, require_accept=True, announce="Now also trying Mesa.")
ATTEMPTS = {"p1": "101", "p2": "102"}
CLOSING = {"Hangup"}  # what may follow a goodbye said after the keys' prompt


def caller_answers(language: str) -> dict[str, Callable[[], str]]:
    """Every TwiML answer a caller can hear during a call the app serves, by the moment it is heard.

    The provider's whisper is left out: the caller never hears it. The fallbacks are in: served when the app
    fails, they are not a key moment (only 9 is offered there, and any key reaches the crisis line).
    """
    return {
        "greeting": lambda: twiml.render_greeting(
            ["We will now ring Harbor Light Recovery."], language, URLS
        ),
        "first_wave": lambda: twiml.render_dial(FIRST_WAVE, language, URLS, ATTEMPTS),
        "wave_announcement": lambda: twiml.render_dial(LATER_WAVE, language, URLS, ATTEMPTS),
        "callback_offer": lambda: twiml.render_callback_offer("Harbor Light Recovery", 15, language, URLS),
        "ask_for_number": lambda: twiml.render_ask_for_number(language, URLS),
        "callback_confirmed": lambda: twiml.render_callback_confirmed(
            "Harbor Light Recovery", 15, language, URLS
        ),
        "listing_dial": lambda: twiml.render_listing_dial("Harbor Light", "+15555550120", 20, language, URLS),
        "listing_options": lambda: twiml.render_listing_options(language, URLS, "Harbor Light"),
        "crisis_transfer": lambda: twiml.render_transfer(CRISIS_NUMBER, "", language),
        "free_transfer": lambda: twiml.render_transfer(FREE_HELPLINE_NUMBER, "", language),
        "goodbye": lambda: twiml.render_goodbye(language),
        "fallback": lambda: twiml.render_fallback(language),
        "fallback_crisis": lambda: twiml.render_fallback_crisis(language),
    }


def keys_work_throughout(root: Element) -> bool:
    """Every sentence before the call moves on plays inside one-digit ``<Gather>``s whose actions handle 9 and 0."""
    children = list(root)
    gathers = [i for i, child in enumerate(children) if child.tag == "Gather"]
    if not gathers:
        return False
    for index in gathers:
        gather = children[index]
        if gather.get("numDigits") != "1" or gather.get("action") not in KEY_ACTIONS:
            return False
        if gather.find("Say") is None:
            return False
    for index, child in enumerate(children):
        if child.tag == "Say" and any(later.tag not in {"Say", *CLOSING} for later in children[index + 1 :]):
            return False  # spoken outside the keys' prompt, and something other than goodbye follows
    return True


@pytest.mark.parametrize("language", ["en", "es"])
def test_key_moments_are_exactly_the_answers_that_listen_for_9_and_0(language):
    answers = caller_answers(language)
    assert set(KEY_MOMENTS) <= set(answers), "every key moment has a rendering in this test"
    listening = {name for name, render in answers.items() if keys_work_throughout(parse(render()))}
    assert listening == set(KEY_MOMENTS)


def test_the_key_actions_read_9_as_the_crisis_line_and_0_as_the_free_helpline():
    assert keys.read_menu_digits("9").outcome is Outcome.PRESSED_CRISIS
    assert keys.read_menu_digits("0").outcome is Outcome.PRESSED_FREE
    assert dialled(parse(twiml.render_option_choice("9", "en"))) == [CRISIS_NUMBER]
    assert dialled(parse(twiml.render_option_choice("0", "en"))) == [FREE_HELPLINE_NUMBER]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_later_wave_is_announced_inside_the_keys_prompt_then_rings_if_no_key_is_pressed(language):
    root = assert_never_silent(twiml.render_dial(LATER_WAVE, language, URLS, ATTEMPTS))
    assert verbs(root) == ["Gather", "Dial"]
    gather = root.find("Gather")
    assert gather.get("numDigits") == "1"
    assert gather.get("timeout") == "1"  # a short pause: no key falls through to the <Dial>
    assert gather.get("action") == URLS.wave_keys
    assert gather.get("method") == "POST"
    assert "Mesa Verde Treatment" in gather.find("Say").text
    assert root.find("Dial").get("action") == URLS.dial_action
    assert dialled(root) == [MESA.phone]


def test_the_first_wave_says_nothing_of_its_own_and_claims_no_keys():
    # The greeting just named it, inside the menu's prompt; while it rings the keys do nothing.
    root = parse(twiml.render_dial(FIRST_WAVE, "en", URLS, ATTEMPTS))
    assert verbs(root) == ["Dial"]
    assert root.find(".//Say") is None


def test_an_announced_wave_cannot_be_rendered_without_the_keys_action():
    with pytest.raises(ValueError, match="wave_keys"):
        twiml.render_dial(LATER_WAVE, "en", replace(URLS, wave_keys=""), ATTEMPTS)
    twiml.render_dial(FIRST_WAVE, "en", replace(URLS, wave_keys=""), ATTEMPTS)  # nothing to announce


@pytest.mark.parametrize("count", [2, 3, 5])
def test_every_later_wave_of_a_real_plan_is_announced_inside_the_keys_prompt(count):
    roster = [replace(p, phone=f"+1555555{i:04d}") for i, p in enumerate(providers(count))]
    plan = plan_call(call(), roster, replace(POLICY, wave_size=1), NOW, seed=7).plan
    later = [d for d in plan.dials if d.wave > 1]
    assert later, "the plan has waves after the first"
    for wave in later:
        assert wave.announce
        attempts = {t.id: f"a-{t.id}" for t in wave.targets}
        root = parse(twiml.render_step(wave, "en", URLS, attempts))
        assert keys_work_throughout(root)
        assert verbs(root) == ["Gather", "Dial"]


HOLD_KEYS = f"{BASE}/wave-hold-keys?call=7&step=2"


def test_while_phones_ring_only_the_queue_shapes_hold_loop_listens_and_only_where_the_wave_says_so():
    assert set(key_moments(True)) - set(KEY_MOMENTS) == {RINGING}
    hold = parse(twiml.render_hold(HOLD_KEYS))
    assert verbs(hold) == ["Gather"]  # silence that hears one key; no key: Twilio asks the waitUrl again
    gather = hold.find("Gather")
    assert gather.get("numDigits") == "1" and gather.get("action") == HOLD_KEYS
    assert gather.get("method") == "POST" and gather.get("timeout") == str(HOLD_PAUSE_S)
    assert parse(twiml.render_hold()).find(".//Gather") is None
    # A <Dial> hears no key whatever the wave says: the policy may claim the moment only in the queue shape.
    root = parse(twiml.render_dial(replace(FIRST_WAVE, caller_keys=True), "en", URLS, ATTEMPTS))
    assert root.find(".//Gather") is None


@pytest.mark.django_db
@pytest.mark.parametrize("keys_while_ringing", [False, True])
def test_the_routing_policy_and_its_keys_claim_follow_the_setting(settings, keys_while_ringing):
    from clearline.providers.routing_settings import current_routing_settings

    settings.CLEARLINE_KEYS_WHILE_RINGING = keys_while_ringing
    policy = current_routing_settings().to_policy()
    assert policy.keys_while_ringing is keys_while_ringing
    plan = plan_call(call(), providers(2), policy, NOW, seed=3).plan
    assert {d.caller_keys for d in plan.dials} == {keys_while_ringing}
