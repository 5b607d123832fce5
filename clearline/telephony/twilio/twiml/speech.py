"""What every TwiML answer shares: the callback URLs, the constants, one ``<Say>`` builder per language, the
sentences several answers say (the free numbers, goodbye, transfers) and the answers that need nothing else
(transfer, goodbye, hang up, and the options prompt's choice). Pure: plain values in, XML strings out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _
from django.utils.translation import override
from twilio.twiml.voice_response import VoiceResponse

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER

SAY_LANGUAGES = {"en": "en-US", "es": "es-US"}
CRISIS_SPOKEN = "988"
FREE_HELPLINE_SPOKEN = "1-800-662-4357"
# Added to ``Urls.menu_action`` by the greeting's ``<Redirect>``: the caller heard everything and pressed nothing.
NO_INPUT_PARAM = "no_input"
# The query parameter naming the dial attempt in whisper and per-leg status callback URLs.
ATTEMPT_PARAM = "attempt"
TRANSFER_NUMBERS = frozenset({CRISIS_NUMBER, FREE_HELPLINE_NUMBER})
E164 = re.compile(r"\+[1-9]\d{7,14}")
STATUS_EVENTS = "initiated ringing answered completed"


@dataclass(frozen=True)
class Urls:
    """Absolute URLs of the app's Twilio callbacks, as the caller of a ``render_*`` function computed them.

    Each function names the ones it needs and raises ``ValueError`` when one of them is empty. Where a URL must
    identify a dial attempt, the renderer adds ``?attempt=ID`` itself (``ATTEMPT_PARAM``).
    """

    place_action: str = ""  # the ZIP prompt's <Gather>: Digits a ZIP code, or 9/0/2 then pound
    menu_action: str = ""  # greeting <Gather>: Digits 9/0/2, or ?no_input=1 after the menu timed out
    dial_action: str = ""  # <Dial action>: Twilio posts DialCallStatus when a wave ends
    wave_keys: str = ""  # a later wave's announcement <Gather> (?call=&step=): Digits 9/0 before it rings
    whisper: str = ""  # <Number url>: the provider's leg asks for the whisper TwiML (?attempt=ID)
    whisper_accept: str = ""  # the whisper's <Gather action> (?attempt=ID): Digits=1 accepts
    callback_action: str = ""  # callback offer <Gather>: Digits 1 (call me back), 0, 9
    number_action: str = ""  # caller ID withheld: Digits = the callback number the caller typed
    options_action: str = ""  # options prompts (listing no-answer, after a callback): Digits 0, 9
    status_callback: str = ""  # <Number statusCallback> for each provider leg (?attempt=ID)


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` added to (or replacing) its query string."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def say_language(language: str) -> str:
    """Twilio's ``<Say language>`` for a Clearline language code (``"es"``, ``"es-us"``, ...); English otherwise."""
    return SAY_LANGUAGES.get(_base_language(language), "en-US")


def _base_language(language: str) -> str:
    base = (language or "en").split("-")[0].split("_")[0].lower()
    return base if base in SAY_LANGUAGES else "en"


def _need(urls: Urls, *names: str) -> None:
    missing = [name for name in names if not getattr(urls, name)]
    if missing:
        raise ValueError(f"Urls needs {', '.join(missing)} for this response")


def check_dialable(number: str) -> str:
    """Only E.164 numbers are dialled: that rules out 911, 112 and other short codes by construction."""
    digits = re.sub(r"\D", "", number)
    if digits in {"911", "1911", "112", "933"} or not E164.fullmatch(number):
        raise ValueError(f"refusing to dial {number!r}: not an E.164 number")
    return number


def _join_names(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " " + _("and") + " " + names[-1]


class _Speaker:
    """Builds one response in one language: every ``<Say>`` carries the language attribute."""

    def __init__(self, language: str) -> None:
        self.language = say_language(language)
        self.response = VoiceResponse()

    def say(self, text: str, parent: Any = None) -> None:
        (parent if parent is not None else self.response).say(text, language=self.language)

    def xml(self) -> str:
        return str(self.response.to_xml())


def _free_helpline_line() -> str:
    return _("The free, confidential SAMHSA National Helpline is %(free)s, any time.") % {
        "free": FREE_HELPLINE_SPOKEN
    }


def _goodbye_line() -> str:
    return _(
        "Thank you for calling. The free SAMHSA National Helpline is %(free)s, and the Suicide and Crisis "
        "Lifeline is %(crisis)s. Goodbye."
    ) % {"free": FREE_HELPLINE_SPOKEN, "crisis": CRISIS_SPOKEN}


def _transfer_line(number: str) -> str:
    if number == CRISIS_NUMBER:
        return _("Connecting you to the 988 Suicide and Crisis Lifeline.")
    return _("Connecting you to the free, confidential SAMHSA National Helpline.")


def _append_transfer(speaker: _Speaker, number: str, spoken: str = "") -> None:
    """Say ``spoken`` (or the standard sentence), dial the free line, and say goodbye if that fails."""
    if number not in TRANSFER_NUMBERS:
        raise ValueError(f"transfers go only to the crisis line or the free helpline, not {number!r}")
    speaker.say(spoken or _transfer_line(number))
    speaker.response.dial(check_dialable(number), answer_on_bridge=True)
    # Reached only if the free line is busy or fails: the caller still hears the numbers to call themselves.
    speaker.say(_goodbye_line())
    speaker.response.hangup()


def _option_line(digit: str, number: str, label: str) -> str:
    if number == CRISIS_NUMBER:
        return _("For the 988 Suicide and Crisis Lifeline, press %(digit)s.") % {"digit": digit}
    if number == FREE_HELPLINE_NUMBER:
        return _("For the free national helpline, press %(digit)s.") % {"digit": digit}
    return _("For %(label)s, press %(digit)s.") % {"label": label, "digit": digit}


def render_transfer(number: str, spoken: str, language: str) -> str:
    """Transfer to the crisis line or the free helpline (``clearline.routing`` constants); never anywhere else.

    ``spoken`` is said first (for instance a ``Transfer`` step's text); empty means the standard translated
    sentence. If the line is busy or fails, the caller hears both numbers and goodbye.
    """
    with override(_base_language(language)):
        speaker = _Speaker(language)
        _append_transfer(speaker, number, spoken)
        return speaker.xml()


def render_option_choice(digits: str, language: str) -> str:
    """The answer to ``urls.options_action``: 0 transfers to the free helpline, 9 to the crisis line, else goodbye."""
    if digits == "0":
        return render_transfer(FREE_HELPLINE_NUMBER, "", language)
    if digits == "9":
        return render_transfer(CRISIS_NUMBER, "", language)
    return render_goodbye(language)


def render_goodbye(language: str) -> str:
    """The polite end: both free numbers, then ``<Hangup/>``."""
    with override(_base_language(language)):
        speaker = _Speaker(language)
        speaker.say(_goodbye_line())
        speaker.response.hangup()
        return speaker.xml()


def render_hangup() -> str:
    """``<Hangup/>`` alone: only for a call whose caller already hung up (``Ended``), or a provider's leg."""
    response = VoiceResponse()
    response.hangup()
    return str(response.to_xml())
