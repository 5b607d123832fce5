"""The safe answer when the app fails (also exported as static files): no URL into the app, no database."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER
from clearline.telephony.twilio.twiml.speech import (
    _append_transfer,
    _base_language,
    _check_dialable,
    _Speaker,
    _transfer_line,
)

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
