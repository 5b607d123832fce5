"""What the SIP controller does with one answer of the call flow: a short script of verbs. No pjsua2 here.

The Twilio adapter renders each ``Answer`` as TwiML (``twiml.render_answer``). The SIP controller reads that very
document, rendered with this module's own callback "URLs" (``event:menu?step=3``), and plays it: so both
adapters say the same sentences, from the same renderers, collect the same keys with the same timeouts, and call
the same flow event with them, and nothing about a call is decided twice. The verbs:

- ``Say``: a prompt nobody can interrupt;
- ``Gather``: a prompt during which keys are collected (up to ``max_digits``, ended early by ``finish_on_key``),
  then ``timeout_s`` of silence; keys go to ``event``; no key: the next verb;
- ``NoInput``: ``event`` with no digits (TwiML's ``<Redirect>`` to ``?no_input=1``): the caller heard it all;
- ``Ring``: a wave of legs (each leg's ``attempt`` hears the whisper when ``whisper``), or a single transfer;
  ``event`` (a ``<Dial action>``) gets how it ended; without one, a failed transfer goes on to the next verb;
- ``Pause``, ``Hangup``.

A wave in Twilio's queue shape is never used here: the controller rings every leg itself and keeps them ringing
until a person presses 1 (TELEPHONY.md: self-hosted SIP has no first-pick-up limit).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # only for the Element type; parsing goes through defusedxml
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlsplit

from defusedxml.ElementTree import fromstring

from clearline.routing import Dial
from clearline.telephony.answers import Answer
from clearline.telephony.sip.prompts import Phrase
from clearline.telephony.twilio import twiml

SCHEME = "event"
# The flow events a script can lead to (the Twilio webhook each stands for, ``telephony/views.py``).
EVENTS = (
    "place",
    "menu",
    "dial",
    "wave_keys",
    "whisper_accept",
    "callback",
    "number",
    "options",
    "fallback_crisis",  # the fallback's "press 9": a fixed script, no database
)
# Twilio's <Gather> defaults, where a renderer leaves one out.
GATHER_TIMEOUT_S = 5
FINISH_ON_KEY = "#"


@dataclass(frozen=True)
class Event:
    """A flow event to call: its name (``EVENTS``), and the wave step or provider attempt it is about."""

    name: str
    step: int | None = None
    attempt: int | None = None


@dataclass(frozen=True)
class Say:
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class Gather:
    phrases: tuple[Phrase, ...]
    event: Event
    max_digits: int
    timeout_s: float
    finish_on_key: str


@dataclass(frozen=True)
class NoInput:
    event: Event


@dataclass(frozen=True)
class Leg:
    """One destination of a ``Ring``: an E.164 number or a SIP URI; ``attempt``: the provider attempt's id."""

    destination: str
    attempt: int | None = None
    whisper: bool = False


@dataclass(frozen=True)
class Ring:
    legs: tuple[Leg, ...]
    timeout_s: float
    event: Event | None
    caller_keys: bool = False  # the caller's 9 and 0 work while it rings (``Dial.caller_keys``)


@dataclass(frozen=True)
class Pause:
    seconds: float


@dataclass(frozen=True)
class Hangup:
    pass


Verb = Say | Gather | NoInput | Ring | Pause | Hangup


def urls_for(step: int | None) -> twiml.Urls:
    """The callback "URLs" the renderers need, one per event, with the answer's step where it has one."""
    query = "" if step is None else f"?step={step}"
    return twiml.Urls(**{field: f"{SCHEME}:{event}{query}" for field, event in _URL_FIELDS.items()})


_URL_FIELDS = {
    "place_action": "place",
    "menu_action": "menu",
    "dial_action": "dial",
    "wave_keys": "wave_keys",
    "whisper": "whisper",
    "whisper_accept": "whisper_accept",
    "callback_action": "callback",
    "number_action": "number",
    "options_action": "options",
    "status_callback": "status",
}


def script_for(answer: Answer) -> tuple[Verb, ...]:
    """The verbs that say and do ``answer``, read from the TwiML the Twilio adapter would answer. A wave whose
    keys work while it rings says so on its ``Ring`` (a TwiML ``<Dial>`` cannot hear keys; this controller can)."""
    verbs = read_twiml(twiml.render_answer(answer, urls_for(answer.index)))
    if isinstance(answer.step, Dial) and answer.step.caller_keys:
        verbs = tuple(replace(v, caller_keys=True) if isinstance(v, Ring) else v for v in verbs)
    return verbs


def fallback_script(language: str = "en") -> tuple[Verb, ...]:
    """The safe answer when the flow fails (database down): a short disclosure, 9 for the crisis line,
    otherwise the free national helpline. Reads nothing."""
    return read_twiml(twiml.render_fallback(language))


def fallback_crisis_script(language: str = "en") -> tuple[Verb, ...]:
    """The fallback's 9: the crisis line, then the free helpline if it fails."""
    return read_twiml(twiml.render_fallback_crisis(language))


def read_twiml(document: str) -> tuple[Verb, ...]:
    """The verbs of a TwiML document rendered by ``twiml`` (only the verbs those renderers write)."""
    root = fromstring(document)
    verbs: list[Verb] = []
    for node in root:
        verb = _verb(node)
        if verb is not None:
            verbs.append(verb)
    return tuple(verbs)


def _verb(node: ET.Element) -> Verb | None:
    if node.tag == "Say":
        return Say(_phrases([node]))
    if node.tag == "Gather":
        return Gather(
            phrases=_phrases([child for child in node if child.tag == "Say"]),
            event=_event(node.get("action", "")),
            max_digits=int(node.get("numDigits", "0") or 0) or 64,
            timeout_s=float(node.get("timeout", GATHER_TIMEOUT_S)),
            finish_on_key=node.get("finishOnKey", FINISH_ON_KEY),
        )
    if node.tag == "Redirect":
        return NoInput(_event((node.text or "").strip()))
    if node.tag == "Dial":
        return _ring(node)
    if node.tag == "Pause":
        return Pause(float(node.get("length", "1")))
    if node.tag == "Hangup":
        return Hangup()
    raise ValueError(f"the SIP controller cannot play <{node.tag}>")


def _phrases(says: list[ET.Element]) -> tuple[Phrase, ...]:
    phrases: list[Phrase] = []
    for say in says:
        text = (say.text or "").strip()
        if text:
            phrases.extend([Phrase(text, say.get("language", "en-US"))] * max(int(say.get("loop", "1")), 1))
    return tuple(phrases)


def _ring(node: ET.Element) -> Ring:
    legs: list[Leg] = []
    numbers = [child for child in node if child.tag in ("Number", "Sip")]
    for number in numbers:
        url = number.get("url", "")
        attempt = _query(url).get("attempt") or _query(number.get("statusCallback", "")).get("attempt")
        legs.append(Leg((number.text or "").strip(), int(attempt) if attempt else None, bool(url)))
    if not numbers and (node.text or "").strip():
        legs.append(Leg(node.text.strip()))  # type: ignore[union-attr]
    action = node.get("action")
    return Ring(tuple(legs), float(node.get("timeout", "30")), _event(action) if action else None)


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _event(url: str) -> Event:
    parts = urlsplit(url)
    if parts.scheme != SCHEME:
        if parts.path.endswith(twiml.FALLBACK_CRISIS_DOCUMENT):
            return Event("fallback_crisis")
        raise ValueError(f"not an event of the SIP controller: {url!r}")
    query = _query(url)
    step, attempt = query.get("step"), query.get("attempt")
    return Event(parts.path, int(step) if step else None, int(attempt) if attempt else None)


def destination_uri(destination: str, trunk: str | None) -> str:
    """Where a leg is sent: a SIP URI as it is; an E.164 number through the trunk (``sip:+1…@host:port``).
    Only E.164 numbers are dialled (``twiml.check_dialable`` already refused 911 and short codes)."""
    if destination.startswith(("sip:", "sips:")):
        return destination
    if not twiml.E164.fullmatch(destination):
        raise ValueError(f"refusing to dial {destination!r}: not an E.164 number or a SIP URI")
    if not trunk:
        raise ValueError("CLEARLINE_SIP_TRUNK is not set: E.164 legs have nowhere to go")
    return f"sip:{destination}@{trunk}"
