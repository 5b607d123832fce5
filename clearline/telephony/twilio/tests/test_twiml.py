from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils.translation import override

from clearline.content.claims_text import spoken_sentence
from clearline.routing import (
    CRISIS_NUMBER,
    FREE_HELPLINE_NUMBER,
    CallbackOffer,
    CallContext,
    Connect,
    Dial,
    DialTarget,
    Ended,
    Goodbye,
    ListingOptions,
    ListingTarget,
    NumberKind,
    Outcome,
    RoutingPolicy,
    Transfer,
    plan_listing_call,
)
from clearline.routing.claims import KeysWork, NobodyNow, WillRing
from clearline.telephony import keys
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.tests.twiml_helpers import assert_never_silent, dialled, parse, spoken, verbs
from clearline.telephony.twilio.twiml import Urls

BASE = "https://help.example.org/telephony/twilio"
URLS = Urls(
    menu_action=f"{BASE}/menu?call=7",
    dial_action=f"{BASE}/dial?call=7&step=2",
    wave_keys=f"{BASE}/wave-keys?call=7&step=3",
    whisper=f"{BASE}/whisper",
    whisper_accept=f"{BASE}/whisper/accept",
    callback_action=f"{BASE}/callback?call=7",
    number_action=f"{BASE}/callback/number?call=7",
    options_action=f"{BASE}/options?call=7",
    status_callback=f"{BASE}/attempt-status",
)


def greeting_lines(names: list[str], language: str = "en") -> list[str]:
    """A greeting's spoken claims, as ``telephony.disclosed`` renders them for a call."""
    claims = (WillRing(tuple(names), tuple(names)), KeysWork()) if names else (NobodyNow(), KeysWork())
    with override(language):
        return [spoken_sentence(c) for c in claims]


HARBOR = DialTarget("p1", "Harbor Light Recovery", "+15555550111")
MESA = DialTarget("p2", "Mesa Verde Treatment", "+15555550112")
FIRST_WAVE = Dial(2, 1, (HARBOR, MESA), 13, whisper=True, require_accept=True, announce="")
SECOND_WAVE = Dial(3, 2, (MESA,), 13, whisper=True, require_accept=True, announce="Now also trying Mesa.")
ATTEMPTS = {"p1": "101", "p2": "102"}


def every_rendering(language: str) -> dict[str, str]:
    """Every response a caller can hear (the whisper is the provider's leg, but it too never goes quiet)."""
    return {
        "greeting": twiml.render_greeting(
            greeting_lines(["Harbor Light Recovery"], language), language, URLS
        ),
        "dial": twiml.render_dial(FIRST_WAVE, language, URLS, ATTEMPTS),
        "second wave": twiml.render_dial(SECOND_WAVE, language, URLS, ATTEMPTS),
        "whisper": twiml.render_whisper("Harbor Light Recovery", language, URLS, "101"),
        "crisis transfer": twiml.render_transfer(CRISIS_NUMBER, "", language),
        "free transfer": twiml.render_transfer(FREE_HELPLINE_NUMBER, "", language),
        "callback offer": twiml.render_callback_offer("Harbor Light Recovery", 15, language, URLS),
        "callback confirmed": twiml.render_callback_confirmed("Harbor Light Recovery", 15, language, URLS),
        "ask for number": twiml.render_ask_for_number(language, URLS),
        "listing dial": twiml.render_listing_dial("Harbor Light", "+15555550120", 20, language, URLS),
        "listing options": twiml.render_listing_options(language, URLS, "Harbor Light"),
        "option 0": twiml.render_option_choice("0", language),
        "option 9": twiml.render_option_choice("9", language),
        "option other": twiml.render_option_choice("5", language),
        "goodbye": twiml.render_goodbye(language),
        "fallback": twiml.render_fallback(language),
        "fallback crisis": twiml.render_fallback_crisis(language),
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_response_is_twiml_that_never_ends_in_silence(language):
    for name, rendered in every_rendering(language).items():
        assert rendered.startswith("<?xml"), name
        assert_never_silent(rendered)


@pytest.mark.parametrize("language", ["en", "es"])
def test_only_the_free_lines_and_the_numbers_given_are_ever_dialled(language):
    given = {HARBOR.phone, MESA.phone, "+15555550120"}
    for name, rendered in every_rendering(language).items():
        for number in dialled(parse(rendered)):
            assert number in given | {CRISIS_NUMBER, FREE_HELPLINE_NUMBER}, name


@pytest.mark.parametrize("number", ["911", "+1911", "1-911", "112", "5555550120", "+1 555 555 0120"])
def test_nothing_but_an_e164_number_is_dialled(number):
    with pytest.raises(ValueError, match="refusing to dial"):
        twiml.render_listing_dial("Harbor Light", number, 20, "en", URLS)
    wave = Dial(2, 1, (DialTarget("p9", "Bad", number),), 13, whisper=True, require_accept=True, announce="")
    with pytest.raises(ValueError, match="refusing to dial"):
        twiml.render_dial(wave, "en", URLS, {"p9": "1"})


def test_the_greeting_names_the_providers_and_offers_9_and_0_while_it_speaks():
    root = assert_never_silent(
        twiml.render_greeting(greeting_lines(["Harbor Light Recovery", "Mesa Verde Treatment"]), "en", URLS)
    )
    assert verbs(root) == ["Gather", "Redirect"]
    gather = root.find("Gather")
    assert gather.attrib == {"action": URLS.menu_action, "method": "POST", "numDigits": "1", "timeout": "4"}
    said = [say.text for say in gather.iter("Say")]
    assert said[0] == "Thank you for calling the Clearline helpline."
    assert "Harbor Light Recovery" in said[1] and "Mesa Verde Treatment" in said[1]
    assert "first of them to accept takes your call" in said[1]
    assert any(
        "press 9 for the 988" in line and "or 0 for the free national helpline" in line for line in said
    )
    assert gather.findall("Say")[-1].get("language") == "es-US"
    assert "oprima 2" in said[-1]


def test_the_greeting_with_one_provider_names_it():
    root = parse(twiml.render_greeting(greeting_lines(["Harbor Light Recovery"]), "en", URLS))
    assert "We will now try to reach Harbor Light Recovery, a participating treatment provider." in spoken(
        root
    )


def test_without_a_digit_the_greeting_redirects_to_the_menu_action_marked_no_input():
    root = parse(twiml.render_greeting(greeting_lines(["Harbor Light Recovery"]), "en", URLS))
    redirect = urlsplit(root.find("Redirect").text)
    assert redirect.path == "/telephony/twilio/menu"
    assert parse_qs(redirect.query) == {"call": ["7"], "no_input": ["1"]}


def test_the_spanish_greeting_speaks_spanish_and_offers_english():
    root = parse(twiml.render_greeting(greeting_lines(["Harbor"], "es"), "es", URLS))
    says = list(root.iter("Say"))
    assert {say.get("language") for say in says[:-1]} == {"es-US"}
    assert says[-1].get("language") == "en-US"
    assert says[-1].text == "For English, press 2."


def test_the_greeting_needs_its_menu_action():
    with pytest.raises(ValueError, match="menu_action"):
        twiml.render_greeting(greeting_lines(["Harbor"]), "en", Urls())


@pytest.mark.parametrize(
    ("digits", "outcome"),
    [
        ("9", Outcome.PRESSED_CRISIS),
        ("0", Outcome.PRESSED_FREE),
        ("", Outcome.NO_INPUT),
        ("7", Outcome.NO_INPUT),
    ],
)
def test_menu_digits_read_as_routing_results(digits, outcome):
    assert keys.read_menu_digits(digits).outcome is outcome


def test_a_wave_rings_every_target_at_once_with_a_whisper_per_attempt():
    root = assert_never_silent(twiml.render_dial(FIRST_WAVE, "en", URLS, ATTEMPTS))
    assert verbs(root) == ["Dial"]
    dial = root.find("Dial")
    assert dial.get("timeout") == "13"
    assert dial.get("action") == URLS.dial_action
    assert dial.get("answerOnBridge") == "true"
    numbers = dial.findall("Number")
    assert [n.text for n in numbers] == ["+15555550111", "+15555550112"]
    for number, attempt in zip(numbers, ["101", "102"], strict=True):
        assert number.get("url") == f"{BASE}/whisper?attempt={attempt}"
        assert number.get("statusCallback") == f"{BASE}/attempt-status?attempt={attempt}"
        assert number.get("statusCallbackEvent") == "initiated ringing answered completed"


def test_a_later_wave_first_says_who_is_rung_now():
    root = parse(twiml.render_dial(SECOND_WAVE, "en", URLS, ATTEMPTS))
    assert verbs(root) == ["Gather", "Dial"]  # 9 and 0 work while it is said (test_keys.py)
    assert root.find("Gather/Say").text == "Now trying Mesa Verde Treatment."


def test_a_dial_needs_an_attempt_for_every_target():
    with pytest.raises(ValueError, match="p2"):
        twiml.render_dial(FIRST_WAVE, "en", URLS, {"p1": "101"})


def test_the_whisper_tells_the_provider_when_the_caller_speaks_spanish():
    root = parse(twiml.render_whisper("Harbor", "en", URLS, "101", caller_language="es"))
    assert verbs(root) == ["Say", "Gather", "Hangup"]
    assert root.find("Say").text == "The caller speaks Spanish."
    assert root.find("Say").get("language") == "en-US"


def test_the_whisper_asks_for_a_1_and_hangs_up_without_it():
    root = parse(twiml.render_whisper("Harbor Light Recovery", "en", URLS, "101"))
    assert verbs(root) == ["Gather", "Hangup"]
    gather = root.find("Gather")
    assert gather.get("numDigits") == "1"
    assert gather.get("timeout") == "8"
    assert gather.get("action") == f"{BASE}/whisper/accept?attempt=101"
    assert "Press 1 to accept" in gather.find("Say").text


def test_the_whisper_result_bridges_on_1_and_hangs_up_otherwise():
    assert keys.is_whisper_accepted("1")
    assert not keys.is_whisper_accepted("")
    assert verbs(parse(twiml.render_whisper_result(True))) == []
    assert verbs(parse(twiml.render_whisper_result(False))) == ["Hangup"]


def test_a_transfer_goes_only_to_the_free_lines():
    root = parse(twiml.render_transfer(CRISIS_NUMBER, "", "en"))
    assert root.find("Dial").text == "+18002738255"
    assert "988" in root.find("Say").text
    with pytest.raises(ValueError):
        twiml.render_transfer("+15555550111", "", "en")
    with pytest.raises(ValueError):
        twiml.render_transfer("911", "", "en")


def test_the_callback_offer_names_the_provider_and_goes_on_to_the_free_helpline_without_a_key():
    root = assert_never_silent(twiml.render_callback_offer("Harbor Light Recovery", 15, "en", URLS))
    gather = root.find("Gather")
    assert gather.get("action") == URLS.callback_action
    text = gather.find("Say").text
    assert "Press 1 and Harbor Light Recovery will call you back within 15 minutes" in text
    assert "press 0 for the free national helpline" in text
    # No key: back to the app, which records and renders the engine's next step (the free helpline).
    assert verbs(root) == ["Gather", "Redirect"]
    assert root.find("Redirect").text == twiml.with_query(URLS.callback_action, no_input="1")


def test_the_callback_confirmation_mentions_the_free_helpline_and_offers_it():
    root = assert_never_silent(twiml.render_callback_confirmed("Harbor Light Recovery", 15, "en", URLS))
    assert "Harbor Light Recovery will call you back within 15 minutes" in spoken(root)
    assert "1-800-662-4357" in spoken(root)
    assert root.find("Gather").get("action") == URLS.options_action
    assert verbs(root)[-1] == "Hangup"


def test_a_withheld_number_is_asked_for_with_up_to_10_digits_and_pound():
    root = assert_never_silent(twiml.render_ask_for_number("en", URLS))
    gather = root.find("Gather")
    assert gather.get("numDigits") == "10"
    assert gather.get("finishOnKey") == "#"
    assert gather.get("action") == URLS.number_action


def test_a_listing_call_rings_only_the_facility_then_offers_free_options():
    root = assert_never_silent(twiml.render_listing_dial("Harbor Light", "+15555550120", 20, "en", URLS))
    assert dialled(root) == ["+15555550120"]
    assert root.find("Dial").get("timeout") == "20"
    assert root.find("Dial/Number").get("url") is None  # no whisper: the facility's own staff answer
    tracked = parse(
        twiml.render_listing_dial("Harbor Light", "+15555550120", 20, "en", URLS, attempt_id="55")
    )
    assert tracked.find("Dial/Number").get("statusCallback") == f"{BASE}/attempt-status?attempt=55"
    options = assert_never_silent(twiml.render_listing_options("en", URLS))
    assert "did not answer" in spoken(options)
    assert "press 0 for the free national helpline" in spoken(options)
    assert dialled(options) == []


def test_a_listing_plan_renders_end_to_end():
    call = CallContext(call_id="c1", number_kind=NumberKind.LISTING)
    facility = ListingTarget("f1", "Harbor Light", "+15555550120")
    plan = plan_listing_call(call, facility, RoutingPolicy(), datetime(2026, 11, 28, tzinfo=UTC)).plan
    dial = plan.first_dial()
    rendered = twiml.render_listing_dial(
        dial.targets[0].name, dial.targets[0].phone, dial.ring_timeout_s, "en", URLS
    )
    assert dialled(parse(rendered)) == ["+15555550120"]


@pytest.mark.parametrize(("digits", "number"), [("0", FREE_HELPLINE_NUMBER), ("9", CRISIS_NUMBER)])
def test_an_option_digit_transfers_to_its_free_line(digits, number):
    assert dialled(parse(twiml.render_option_choice(digits, "en")))[0] == number


def test_the_fallback_dials_the_free_helpline_and_points_nowhere_near_the_app():
    rendered = twiml.render_fallback()
    root = assert_never_silent(rendered)
    assert "http" not in rendered
    assert "This is the Clearline helpline." in spoken(root)
    assert dialled(root) == [FREE_HELPLINE_NUMBER]
    gather = root.find("Gather")
    assert gather.get("method") == "GET"
    assert gather.get("action") == "fallback-crisis.xml"
    assert "This is the Clearline helpline." in gather.find("Say").text  # 9 works from the first word
    assert "press 9" in gather.find("Say").text
    crisis = twiml.render_fallback_crisis()
    assert "http" not in crisis
    assert dialled(parse(crisis)) == [CRISIS_NUMBER, FREE_HELPLINE_NUMBER]


def test_spanish_responses_speak_with_the_spanish_voice():
    for name, rendered in every_rendering("es").items():
        if name == "greeting":
            continue  # its last sentence offers English, in English
        for say in parse(rendered).iter("Say"):
            assert say.get("language") == "es-US", name


def test_with_query_keeps_existing_parameters():
    assert twiml.with_query("https://x.org/a?b=1", attempt="9") == "https://x.org/a?b=1&attempt=9"
    assert twiml.with_query("https://x.org/a?attempt=1", attempt="9") == "https://x.org/a?attempt=9"


def test_routing_steps_render_through_one_function():
    when = datetime(2026, 11, 28, 16, tzinfo=UTC)
    offer = CallbackOffer(4, "p1", "Harbor Light Recovery", when, 15, "Press 1 and Harbor Light ...")
    transfer = Transfer(FREE_HELPLINE_NUMBER, "SAMHSA National Helpline", "Nobody could take your call.")
    listing = ListingOptions(3, "Harbor Light", "Harbor Light did not answer.")
    assert dialled(parse(twiml.render_step(FIRST_WAVE, "en", URLS, ATTEMPTS))) == [
        "+15555550111",
        "+15555550112",
    ]
    assert "will call you back within 15 minutes" in spoken(parse(twiml.render_step(offer, "en", URLS)))
    assert dialled(parse(twiml.render_step(transfer, "en", URLS))) == [FREE_HELPLINE_NUMBER]
    assert "Harbor Light did not answer." in spoken(parse(twiml.render_step(listing, "en", URLS)))
    assert verbs(parse(twiml.render_step(Goodbye("Bye."), "en", URLS))) == ["Say", "Hangup"]
    assert verbs(parse(twiml.render_step(Ended(), "en", URLS))) == ["Hangup"]
    with pytest.raises(TypeError, match="Connect"):
        twiml.render_step(Connect("p1"), "en", URLS)
    with pytest.raises(ValueError, match="attempt ids"):
        twiml.render_step(FIRST_WAVE, "en", URLS)


def test_twiml_needs_nothing_from_django_but_translation():
    package = Path(twiml.__file__).parent
    modules = sorted(package.glob("*.py"))
    assert {m.stem for m in modules} >= {
        "__init__",
        "speech",
        "greeting",
        "dial",
        "callback",
        "listing",
        "fallback",
    }
    for module in modules:
        tree = ast.parse(module.read_text())
        imported = {
            node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        imported |= {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        assert {m for m in imported if m.startswith("django")} <= {"django.utils.translation"}, module.name
        # The flow's plain answers and the meaning of keys are shared with the SIP adapter; both are pure.
        own = (
            "clearline.routing",
            "clearline.telephony.twilio.twiml",
            "clearline.telephony.answers",
            "clearline.telephony.keys",
        )
        assert not {m for m in imported if m.startswith("clearline") and not m.startswith(own)}, module.name
