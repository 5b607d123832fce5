"""TwiML for every moment of a call: pure functions from plain values (and routing steps) to XML strings.

Nothing here touches the database or a request. ``telephony/views.py`` decides *what* happens (with
``clearline.routing.next_step``) and calls one ``render_*`` function to say it in Twilio's wire format, passing the
absolute callback URLs it computed in a ``Urls``. Every response ends in a verb that keeps the call going
(``<Dial>`` with an action, ``<Redirect>``) or says goodbye before ``<Hangup/>``: no caller is left in silence
(DESIGN.md §3 rule 5). Only the crisis line and the free helpline are ever transferred to; never 911.

Spoken text is marked for translation and rendered in the call's language (``"en"`` or ``"es"``), with Twilio's
``<Say language="en-US|es-US">`` and its default voice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _
from django.utils.translation import override
from twilio.twiml.voice_response import VoiceResponse

from clearline.routing import (
    CRISIS_NUMBER,
    FREE_HELPLINE_NUMBER,
    CallbackOffer,
    Dial,
    Ended,
    Goodbye,
    ListingOptions,
    Menu,
    Outcome,
    Result,
    Step,
    Transfer,
)

SAY_LANGUAGES = {"en": "en-US", "es": "es-US"}
CRISIS_SPOKEN = "988"
FREE_HELPLINE_SPOKEN = "1-800-662-4357"
# The one digit that switches the greeting to the other language (English <-> Spanish).
SWITCH_LANGUAGE_DIGIT = "2"
# Added to ``Urls.menu_action`` by the greeting's ``<Redirect>``: the caller heard everything and pressed nothing.
NO_INPUT_PARAM = "no_input"
# The digit a provider presses to take the call, after the whisper.
ACCEPT_DIGIT = "1"
# The digit a caller presses to accept a callback offer.
CALLBACK_DIGIT = "1"
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

    menu_action: str = ""  # greeting <Gather>: Digits 9/0/2, or ?no_input=1 after the menu timed out
    dial_action: str = ""  # <Dial action>: Twilio posts DialCallStatus when a wave ends
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


def _check_dialable(number: str) -> str:
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
    speaker.response.dial(_check_dialable(number), answer_on_bridge=True)
    # Reached only if the free line is busy or fails: the caller still hears the numbers to call themselves.
    speaker.say(_goodbye_line())
    speaker.response.hangup()


def _option_line(digit: str, number: str, label: str) -> str:
    if number == CRISIS_NUMBER:
        return _("For the 988 Suicide and Crisis Lifeline, press %(digit)s.") % {"digit": digit}
    if number == FREE_HELPLINE_NUMBER:
        return _("For the free national helpline, press %(digit)s.") % {"digit": digit}
    return _("For %(label)s, press %(digit)s.") % {"label": label, "digit": digit}


def render_greeting(
    disclosure_sentence: str, provider_names: Sequence[str], menu: Menu, language: str, urls: Urls
) -> str:
    """The first answer to a helpline call: the disclosure, who is about to be rung, and the menu.

    ``disclosure_sentence`` is the current disclosure version's spoken text (``compose_spoken`` in
    ``content/disclosure.py``, already in ``language``); this function adds the sentence naming
    ``provider_names`` (the first ``Dial``'s targets) and the menu from ``menu.options`` (9 crisis, 0 free
    helpline), then ``SWITCH_LANGUAGE_DIGIT`` for the other language. All of it plays inside one
    ``<Gather numDigits=1 timeout=4 action=urls.menu_action>`` so a caller in crisis can press 9 at once.
    If no key is pressed, ``<Redirect>`` to ``menu_action?no_input=1``: the caller heard it all; dial.
    Needs ``urls.menu_action``.
    """
    _need(urls, "menu_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=4, action=urls.menu_action, method="POST")
        if disclosure_sentence:
            speaker.say(disclosure_sentence, gather)
        names = [n for n in provider_names if n]
        if len(names) == 1:
            speaker.say(
                _("We will now ring %(name)s, a participating treatment provider.") % {"name": names[0]},
                gather,
            )
        elif names:
            speaker.say(
                _("We will now ring %(names)s at the same time. The first of them to accept takes your call.")
                % {"names": _join_names(names)},
                gather,
            )
        else:
            speaker.say(_("No participating provider can take your call right now."), gather)
        for option in menu.options:
            speaker.say(_option_line(option.digit, option.number, option.label), gather)
        # The offer of the other language is spoken in that language, whatever the call's language is.
        if _base_language(language) == "en":
            gather.say(f"Para español, oprima {SWITCH_LANGUAGE_DIGIT}.", language=SAY_LANGUAGES["es"])
        else:
            gather.say(f"For English, press {SWITCH_LANGUAGE_DIGIT}.", language=SAY_LANGUAGES["en"])
        speaker.response.redirect(with_query(urls.menu_action, **{NO_INPUT_PARAM: "1"}), method="POST")
        return speaker.xml()


def read_menu_digits(digits: str, menu: Menu | None = None) -> Result:
    """What a menu digit means for ``next_step``: 9 crisis, 0 free helpline, anything else carry on (no input).

    Check ``digits == SWITCH_LANGUAGE_DIGIT`` first: that re-renders the greeting in the other language.
    """
    for option in (menu or Menu()).options:
        if digits == option.digit:
            if option.number == CRISIS_NUMBER:
                return Result(Outcome.PRESSED_CRISIS)
            if option.number == FREE_HELPLINE_NUMBER:
                return Result(Outcome.PRESSED_FREE)
    return Result(Outcome.NO_INPUT)


def render_dial(dial: Dial, language: str, urls: Urls, attempt_ids: Mapping[str, str]) -> str:
    """One wave: ring every ``dial.targets`` at once; the first to press 1 after the whisper is connected.

    ``attempt_ids`` maps each target's id to the id of the attempt record the caller created (and whose
    capacity slot it reserved) before rendering; it goes into each leg's whisper and status callback URLs as
    ``?attempt=ID``. Waves after the first (``dial.announce`` set) first say who is rung now.
    Needs ``urls.dial_action``, ``urls.status_callback`` and, when the dial whispers, ``urls.whisper``.
    """
    if not dial.targets:
        raise ValueError("a Dial needs at least one target")
    screen = dial.whisper or dial.require_accept
    _need(urls, "dial_action", "status_callback", *(("whisper",) if screen else ()))
    with override(_base_language(language)):
        speaker = _Speaker(language)
        if dial.announce:
            speaker.say(_("Now trying %(names)s.") % {"names": _join_names([t.name for t in dial.targets])})
        verb = speaker.response.dial(
            timeout=dial.ring_timeout_s, action=urls.dial_action, method="POST", answer_on_bridge=True
        )
        for target in dial.targets:
            attempt = attempt_ids.get(target.id)
            if not attempt:
                raise ValueError(
                    f"no attempt id for target {target.id!r}: create the attempts before dialling"
                )
            verb.number(
                _check_dialable(target.phone),
                url=with_query(urls.whisper, **{ATTEMPT_PARAM: attempt}) if screen else None,
                method="POST" if screen else None,
                status_callback=with_query(urls.status_callback, **{ATTEMPT_PARAM: attempt}),
                status_callback_event=STATUS_EVENTS,
                status_callback_method="POST",
            )
        return speaker.xml()


def render_whisper(
    provider_name: str,
    language: str,
    urls: Urls,
    attempt_id: str,
    *,
    require_accept: bool = True,
    caller_language: str = "en",
) -> str:
    """What the provider hears on answering, before the caller is bridged.

    ``language`` is the provider's; when ``caller_language`` is Spanish the provider is told so first.
    With ``require_accept`` (the default): "Clearline helpline call. Press 1 to accept." inside
    ``<Gather numDigits=1 timeout=8 action=urls.whisper_accept?attempt=ID>``, said twice so an answering machine
    cannot take it; no key means ``<Hangup/>`` on the provider's leg (the caller keeps ringing the others).
    Without it, the announcement alone; Twilio bridges when this TwiML ends. Needs ``urls.whisper_accept``.
    """
    with override(_base_language(language)):
        speaker = _Speaker(language)
        if _base_language(caller_language) == "es":
            speaker.say(_("The caller speaks Spanish."))
        if not require_accept:
            speaker.say(_("Clearline helpline call for %(provider)s.") % {"provider": provider_name})
            return speaker.xml()
        _need(urls, "whisper_accept")
        gather = speaker.response.gather(
            num_digits=1,
            timeout=8,
            action=with_query(urls.whisper_accept, **{ATTEMPT_PARAM: attempt_id}),
            method="POST",
        )
        line = _("Clearline helpline call for %(provider)s. Press %(digit)s to accept.") % {
            "provider": provider_name,
            "digit": ACCEPT_DIGIT,
        }
        gather.say(line, language=speaker.language, loop=2)
        speaker.response.hangup()
        return speaker.xml()


def is_whisper_accepted(digits: str) -> bool:
    """Whether the digits Twilio posted to ``whisper_accept`` accept the call."""
    return digits == ACCEPT_DIGIT


def render_whisper_result(accepted: bool) -> str:
    """The whisper's ``<Gather action>`` answer: empty when accepted (Twilio bridges), else hang up that leg."""
    response = VoiceResponse()
    if not accepted:
        response.hangup()
    return str(response.to_xml())


def render_transfer(number: str, spoken: str, language: str) -> str:
    """Transfer to the crisis line or the free helpline (``clearline.routing`` constants); never anywhere else.

    ``spoken`` is said first (for instance a ``Transfer`` step's text); empty means the standard translated
    sentence. If the line is busy or fails, the caller hears both numbers and goodbye.
    """
    with override(_base_language(language)):
        speaker = _Speaker(language)
        _append_transfer(speaker, number, spoken)
        return speaker.xml()


def render_callback_offer(provider_name: str, minutes: int, language: str, urls: Urls) -> str:
    """After the last wave: "press 1 and PROVIDER will call you back within N minutes", or 0 / 9.

    ``<Gather numDigits=1 action=urls.callback_action>``; with no input, ``<Redirect>`` to the same action with
    ``no_input=1``, where the engine's next step (the free helpline) is recorded and rendered. The callback is
    promised only after the request is stored: on Digits=1 the
    view stores it, then answers with ``render_callback_confirmed`` (or ``render_ask_for_number``).
    Needs ``urls.callback_action``.
    """
    _need(urls, "callback_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=6, action=urls.callback_action, method="POST")
        speaker.say(
            _(
                "Nobody could take your call just now. Press %(digit)s and %(provider)s will call you back "
                "within %(minutes)s minutes. Or press 0 for the free national helpline, or 9 for the crisis line."
            )
            % {"digit": CALLBACK_DIGIT, "provider": provider_name, "minutes": minutes},
            gather,
        )
        speaker.response.redirect(with_query(urls.callback_action, **{NO_INPUT_PARAM: "1"}), method="POST")
        return speaker.xml()


def render_ask_for_number(language: str, urls: Urls) -> str:
    """Caller ID withheld: ask for a 10-digit callback number ending with #, posted to ``urls.number_action``.

    With no input, transfer to the free helpline rather than promise a callback nobody can make.
    Needs ``urls.number_action``.
    """
    _need(urls, "number_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(
            num_digits=10, timeout=8, finish_on_key="#", action=urls.number_action, method="POST"
        )
        speaker.say(
            _(
                "Your number is hidden, so we cannot call you back yet. Please enter your 10-digit phone "
                "number, then press the pound key."
            ),
            gather,
        )
        speaker.say(_("We did not get a number."))
        _append_transfer(speaker, FREE_HELPLINE_NUMBER)
        return speaker.xml()


def render_callback_confirmed(provider_name: str, minutes: int, language: str, urls: Urls) -> str:
    """Said once the callback request is stored: who calls back and how soon, the free helpline, then options.

    ``<Gather numDigits=1 action=urls.options_action>`` offers 0 (free helpline now) and 9 (crisis line); with
    no input the caller hears goodbye and the call ends. Needs ``urls.options_action``.
    """
    _need(urls, "options_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        speaker.say(
            _("Thank you. %(provider)s will call you back within %(minutes)s minutes.")
            % {"provider": provider_name, "minutes": minutes}
        )
        gather = speaker.response.gather(num_digits=1, timeout=5, action=urls.options_action, method="POST")
        speaker.say(
            _free_helpline_line()
            + " "
            + _(
                "To be connected to it now, press 0. For the crisis line, press 9. Otherwise, you can hang up."
            ),
            gather,
        )
        speaker.say(_("Goodbye."))
        speaker.response.hangup()
        return speaker.xml()


def render_listing_dial(
    facility_name: str, phone: str, timeout: int, language: str, urls: Urls, attempt_id: str | None = None
) -> str:
    """A listing number: ring the listed facility and nobody else; ``urls.dial_action`` gets the result.

    When ``DialCallStatus`` is not ``completed``, answer with ``render_listing_options``. With ``attempt_id``,
    the facility's leg reports to ``urls.status_callback?attempt=ID`` like a provider's. Needs
    ``urls.dial_action`` (and ``urls.status_callback`` with an attempt id).
    """
    _need(urls, "dial_action", *(("status_callback",) if attempt_id else ()))
    with override(_base_language(language)):
        speaker = _Speaker(language)
        speaker.say(
            _("Connecting you to %(facility)s. This number rings only %(facility)s.")
            % {"facility": facility_name}
        )
        verb = speaker.response.dial(
            timeout=timeout, action=urls.dial_action, method="POST", answer_on_bridge=True
        )
        if attempt_id:
            verb.number(
                _check_dialable(phone),
                status_callback=with_query(urls.status_callback, **{ATTEMPT_PARAM: attempt_id}),
                status_callback_event=STATUS_EVENTS,
                status_callback_method="POST",
            )
        else:
            verb.number(_check_dialable(phone))
        return speaker.xml()


def render_listing_options(language: str, urls: Urls, facility_name: str = "", *, rang: bool = True) -> str:
    """The listed facility did not answer (or, with ``rang=False``, cannot be rung right now): call again later,
    or 0 free helpline, 9 crisis line; never a provider.

    ``<Gather numDigits=1 action=urls.options_action>``; with no input, goodbye with both free numbers.
    Needs ``urls.options_action``.
    """
    _need(urls, "options_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=5, action=urls.options_action, method="POST")
        if not rang:
            missed = _("We cannot connect you to %(facility)s right now.") % {
                "facility": facility_name or _("this facility")
            }
        elif facility_name:
            missed = _("%(facility)s did not answer.") % {"facility": facility_name}
        else:
            missed = _("The facility did not answer.")
        speaker.say(
            missed
            + " "
            + _(
                "Please try again later, or press 0 for the free national helpline. For the crisis line, press 9."
            ),
            gather,
        )
        speaker.say(_goodbye_line())
        speaker.response.hangup()
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


FALLBACK_CRISIS_DOCUMENT = "fallback-crisis.xml"


def render_fallback(language: str = "en", crisis_document: str | None = None) -> str:
    """The safe answer when the app fails: no URL into the app's logic, nothing that needs the database.

    A short disclosure, press 9 for the crisis line, otherwise the free SAMHSA helpline. The 9 is read by a
    ``<Gather method="GET">`` whose action is ``crisis_document``, a path *relative* to the URL this TwiML was
    fetched from, answered with ``render_fallback_crisis``:

    - exported as the number's static fallback URL, the second static file next to it (the export command
      passes its name; static hosts answer GET);
    - returned by a failing view under ``/telephony/twilio/``, ``/telephony/twilio/fallback-crisis.xml``, which
      ``clearline.telephony.views.fallback_crisis`` serves without touching the database. That is the
      default, with ``?lang=es`` for Spanish.

    Any key goes to the crisis line; that is the safe mistake.
    """
    if crisis_document is None:
        spanish = _base_language(language) == "es"
        crisis_document = FALLBACK_CRISIS_DOCUMENT + ("?lang=es" if spanish else "")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        # Everything plays inside the <Gather>, so a caller in crisis can press 9 without waiting.
        gather = speaker.response.gather(num_digits=1, timeout=4, action=crisis_document, method="GET")
        speaker.say(
            _("This is the Clearline helpline. We cannot connect you to a treatment provider right now.")
            + " "
            + _("For the 988 Suicide and Crisis Lifeline, press 9 now.")
            + " "
            + _("Otherwise, stay on the line for the free, confidential SAMHSA National Helpline."),
            gather,
        )
        _append_transfer(speaker, FREE_HELPLINE_NUMBER)
        return speaker.xml()


def render_fallback_crisis(language: str = "en") -> str:
    """The fallback's second static file: the crisis line, then the free helpline if it fails; no URLs at all."""
    with override(_base_language(language)):
        speaker = _Speaker(language)
        speaker.say(_transfer_line(CRISIS_NUMBER))
        speaker.response.dial(_check_dialable(CRISIS_NUMBER), answer_on_bridge=True)
        _append_transfer(speaker, FREE_HELPLINE_NUMBER)
        return speaker.xml()


def render_hangup() -> str:
    """``<Hangup/>`` alone: only for a call whose caller already hung up (``Ended``), or a provider's leg."""
    response = VoiceResponse()
    response.hangup()
    return str(response.to_xml())


def render_step(step: Step, language: str, urls: Urls, attempt_ids: Mapping[str, str] | None = None) -> str:
    """Render what ``clearline.routing.next_step`` returned, for the steps that need nothing but the step.

    ``Dial`` (with ``attempt_ids``), ``CallbackOffer``, ``Transfer``, ``ListingOptions``, ``Goodbye`` and
    ``Ended``. The others need values the step does not carry: ``Disclosure``/``Menu`` → ``render_greeting``
    (the disclosure version's sentence), ``CallbackConfirmed`` → ``render_callback_confirmed`` (the provider's
    name and minutes, after the request is stored); ``Connect`` happens inside Twilio (the whisper accepted).
    """
    if isinstance(step, Dial):
        if attempt_ids is None:
            raise ValueError("a Dial needs the attempt ids created for its targets")
        return render_dial(step, language, urls, attempt_ids)
    if isinstance(step, CallbackOffer):
        return render_callback_offer(step.provider_name, step.minutes, language, urls)
    if isinstance(step, Transfer):
        return render_transfer(step.number, "", language)
    if isinstance(step, ListingOptions):
        return render_listing_options(language, urls, step.facility_name)
    if isinstance(step, Goodbye):
        return render_goodbye(language)
    if isinstance(step, Ended):
        return render_hangup()
    raise TypeError(f"render {type(step).__name__} with its own function (see render_step's docstring)")
