"""Whole calls through the Twilio webhooks, with Twilio's real form fields and real signatures."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # for the Element type; parsing goes through defusedxml
from urllib.parse import parse_qs, urlsplit

import pytest
from defusedxml.ElementTree import fromstring as defused_fromstring
from twilio.request_validator import RequestValidator

from clearline.telephony.models import Attempt, Call, CallAdapter, CallbackRequest, CallOutcome, LineSlot
from clearline.telephony.tests.conftest import CALLER, HELPLINE

pytestmark = pytest.mark.django_db

TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT = "AC" + "0" * 32
UNKNOWN_CALL = "CA" + "f" * 32  # Twilio's format, but no such call (a malformed one gets 400)


@pytest.fixture(autouse=True)
def twilio_on(settings):
    settings.TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.CLEARLINE_PUBLIC_URL = ""


class Twilio:
    """Posts as Twilio does: form fields plus an X-Twilio-Signature over the full URL and the fields."""

    def __init__(self, client, call_sid: str = "CA" + "1" * 32, caller: str = CALLER):
        self.client, self.call_sid, self.caller = client, call_sid, caller

    def post(self, url: str, sign: bool = True, **fields: str):
        if url.startswith("http://testserver"):
            url = url[len("http://testserver") :]
        data = {
            "CallSid": self.call_sid,
            "AccountSid": ACCOUNT,
            "From": self.caller,
            "To": HELPLINE,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **fields,
        }
        headers = {}
        if sign:
            headers["HTTP_X_TWILIO_SIGNATURE"] = RequestValidator(TOKEN).compute_signature(
                "http://testserver" + url, data
            )
        return self.client.post(url, data, **headers)


def parse(response) -> ET.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    return defused_fromstring(response.content)


def dialled(root: ET.Element) -> list[str]:
    """The numbers a <Dial> rings: its <Number> children, or the number written inside it."""
    dial = root.find(".//Dial")
    assert dial is not None, ET.tostring(root)
    numbers = [n.text.strip() for n in dial.findall("Number")]
    return numbers or [dial.text.strip()]


def is_wave(root: ET.Element) -> bool:
    """A provider wave: a <Dial> with an action URL (transfers to free lines have none)."""
    dial = root.find(".//Dial")
    return dial is not None and bool(dial.get("action")) and dial.find("Number") is not None


def action_of(root: ET.Element, tag: str) -> str:
    element = root.find(f".//{tag}")
    assert element is not None, ET.tostring(root)
    return element.get("action")


def test_a_caller_hears_who_will_answer_and_the_first_provider_to_press_1_is_connected(
    client, helpline, providers
):
    twilio = Twilio(client)
    greeting = parse(twilio.post("/telephony/twilio/voice", CallStatus="ringing"))
    spoken = " ".join(s.text for s in greeting.iter("Say"))
    call = Call.objects.get()
    names = [t["name"] for t in call.plan["steps"][0]["targets"]]
    assert all(name in spoken for name in names) and "press 9" in spoken.lower()
    assert call.disclosure_version is not None
    assert call.adapter == CallAdapter.TWILIO

    wave = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    numbers = wave.findall(".//Dial/Number")
    assert len(numbers) == 2
    assert LineSlot.objects.filter(call=call, released_at__isnull=True).count() == 2

    whisper_url = numbers[1].get("url")
    whisper = parse(twilio.post(whisper_url, CallSid="CA" + "2" * 32))
    accept = parse(twilio.post(action_of(whisper, "Gather"), CallSid="CA" + "2" * 32, Digits="1"))
    assert accept.find("Hangup") is None  # accepted: Twilio bridges the caller
    call.refresh_from_db()
    assert call.outcome == CallOutcome.CONNECTED
    attempt_id = parse_qs(urlsplit(whisper_url).query)["attempt"][0]
    assert call.connected_provider_id == Attempt.objects.get(pk=attempt_id).provider_id

    parse(twilio.post(action_of(wave, "Dial"), DialCallStatus="completed", DialCallDuration="300"))
    assert (
        twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="320").status_code == 204
    )
    call.refresh_from_db()
    assert call.status == "completed" and call.duration_s == 320
    assert not LineSlot.objects.filter(released_at__isnull=True).exists()


def test_nobody_answers_then_the_caller_gets_a_named_callback_stored_before_the_confirmation(
    client, helpline, providers
):
    twilio = Twilio(client)
    greeting = parse(twilio.post("/telephony/twilio/voice"))
    root = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    waves = 0
    while is_wave(root):
        waves += 1
        root = parse(twilio.post(action_of(root, "Dial"), DialCallStatus="no-answer"))
    assert waves >= 2
    offer_text = " ".join(s.text for s in root.iter("Say"))
    callback_url = action_of(root, "Gather")
    assert "call you back" in offer_text
    confirmed = parse(twilio.post(callback_url, Digits="1"))
    request = CallbackRequest.objects.get()
    assert request.provider.name in " ".join(s.text for s in confirmed.iter("Say"))
    assert Call.objects.get().outcome == CallOutcome.CALLBACK
    assert CALLER not in str(Call.objects.values().get())


def test_withheld_caller_id_is_asked_for_a_number(client, helpline, providers):
    twilio = Twilio(client, caller="anonymous")
    greeting = parse(twilio.post("/telephony/twilio/voice"))
    root = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    while is_wave(root):
        root = parse(twilio.post(action_of(root, "Dial"), DialCallStatus="busy"))
    ask = parse(twilio.post(action_of(root, "Gather"), Digits="1"))
    assert not CallbackRequest.objects.exists()
    parse(twilio.post(action_of(ask, "Gather"), Digits="2065550177"))
    assert CallbackRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("digit", "number", "outcome"),
    [
        ("9", "+18002738255", CallOutcome.TRANSFERRED_CRISIS),
        ("0", "+18006624357", CallOutcome.TRANSFERRED_FREE),
    ],
)
def test_the_caller_can_choose_the_crisis_line_or_the_free_helpline(
    client, helpline, providers, digit, number, outcome
):
    twilio = Twilio(client)
    greeting = parse(twilio.post("/telephony/twilio/voice"))
    transfer = parse(twilio.post(action_of(greeting, "Gather"), Digits=digit))
    assert dialled(transfer) == [number]
    assert Call.objects.get().outcome == outcome


def test_spanish_is_one_key_away(client, helpline, providers):
    twilio = Twilio(client)
    greeting = parse(twilio.post("/telephony/twilio/voice"))
    spanish = parse(twilio.post(action_of(greeting, "Gather"), Digits="2"))
    assert {s.get("language") for s in spanish.iter("Say")} >= {"es-US"}
    assert Call.objects.get().language == "es"


def test_a_forged_or_missing_signature_is_refused_and_writes_nothing(client, helpline, providers):
    twilio = Twilio(client)
    assert twilio.post("/telephony/twilio/voice", sign=False).status_code == 403
    response = client.post(
        "/telephony/twilio/voice", {"CallSid": "CAx", "To": HELPLINE}, HTTP_X_TWILIO_SIGNATURE="forged"
    )
    assert response.status_code == 403
    assert not Call.objects.exists()


def test_the_webhooks_are_off_without_twilio_settings(client, settings, helpline):
    settings.TWILIO_AUTH_TOKEN = None
    assert Twilio(client).post("/telephony/twilio/voice").status_code == 404


def test_unknown_calls_and_malformed_fields_get_the_fallback_not_an_error(client, helpline, providers):
    twilio = Twilio(client)
    for url, fields in [
        (f"/telephony/twilio/menu?call={UNKNOWN_CALL}", {"Digits": "1"}),
        (f"/telephony/twilio/dial?call={UNKNOWN_CALL}&step=2", {"DialCallStatus": "busy"}),
        ("/telephony/twilio/voice", {"To": "not a number"}),
    ]:
        root = parse(twilio.post(url, **fields))
        assert dialled(root) == ["+18006624357"]
    assert not Call.objects.exists()


def test_replaying_every_webhook_gives_identical_records(client, helpline, providers):
    twilio = Twilio(client)
    first = twilio.post("/telephony/twilio/voice").content
    assert twilio.post("/telephony/twilio/voice").content == first
    gather = action_of(defused_fromstring(first), "Gather")
    wave = twilio.post(gather, Digits="").content
    assert twilio.post(gather, Digits="").content == wave
    snapshot = (list(Call.objects.values()), list(Attempt.objects.values()), list(LineSlot.objects.values()))
    twilio.post("/telephony/twilio/voice")
    twilio.post(gather, Digits="")
    assert (
        list(Call.objects.values()),
        list(Attempt.objects.values()),
        list(LineSlot.objects.values()),
    ) == snapshot


def test_pressing_9_in_the_inline_fallback_reaches_the_crisis_line(client, helpline, providers):
    root = parse(Twilio(client).post(f"/telephony/twilio/menu?call={UNKNOWN_CALL}", Digits="1"))
    crisis_url = "/telephony/twilio/" + action_of(root, "Gather")
    crisis = parse(client.get(crisis_url))
    assert dialled(crisis) == ["+18002738255"]


def test_a_failing_whisper_hangs_up_the_providers_leg_not_the_caller(client, helpline, providers):
    root = parse(Twilio(client).post("/telephony/twilio/whisper?attempt=banana"))
    assert root.find("Hangup") is not None and root.find(".//Dial") is None


def test_a_caller_who_presses_nothing_at_the_callback_offer_is_transferred_and_recorded(
    client, helpline, providers
):
    twilio = Twilio(client)
    root = parse(twilio.post(action_of(parse(twilio.post("/telephony/twilio/voice")), "Gather"), Digits=""))
    while is_wave(root):
        root = parse(twilio.post(action_of(root, "Dial"), DialCallStatus="no-answer"))
    redirect = root.find("Redirect")
    assert redirect is not None and "no_input=1" in redirect.text
    transfer = parse(twilio.post(redirect.text))
    assert dialled(transfer) == ["+18006624357"]
    assert Call.objects.get().outcome == CallOutcome.TRANSFERRED_FREE


def test_a_busy_leg_frees_that_providers_line_while_the_wave_rings_on(client, helpline, providers):
    twilio = Twilio(client)
    wave = parse(twilio.post(action_of(parse(twilio.post("/telephony/twilio/voice")), "Gather"), Digits=""))
    first_leg = wave.findall(".//Dial/Number")[0].get("statusCallback")
    assert LineSlot.objects.filter(released_at__isnull=True).count() == 2
    twilio.post(first_leg, CallSid="CA" + "3" * 32, CallStatus="busy")
    assert LineSlot.objects.filter(released_at__isnull=True).count() == 1
