"""The safe answer when the app fails (also exported as static files): no URL into the app, no database.

``render_fallback`` is a general helpline's; ``render_listing_fallback`` a listing number's (it rings the listed
facility and nobody else, DESIGN.md §3 rule 1). Their key presses go to the shared static documents
``render_fallback_crisis`` (``FALLBACK_CRISIS_DOCUMENT``) and ``render_fallback_free_helpline``
(``FALLBACK_FREE_HELPLINE_DOCUMENT``), named by paths relative to the document that links to them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER
from clearline.telephony.twilio.twiml.speech import (
    E164,
    _append_transfer,
    _base_language,
    _goodbye_line,
    _option_line,
    _Speaker,
    _transfer_line,
    check_dialable,
)

FALLBACK_CRISIS_DOCUMENT = "fallback-crisis.xml"
FALLBACK_FREE_HELPLINE_DOCUMENT = "fallback-free-helpline.xml"
# How long a listing's static fallback rings the facility: the same as a listing call (routing.plan_listing_call).
LISTING_FALLBACK_RING_S = 20


def fallback_document_for(number: str) -> str:
    """The file name of one Clearline number's own static fallback: its E.164 digits, ``+12065550101`` ->
    ``12065550101.xml``. ``export_fallback_twiml --per-number`` writes it, ``twilio_sync_numbers --fallback-base``
    points the number at it; both use this function, so the names always agree."""
    if not E164.fullmatch(number):
        raise ValueError(f"{number!r} is not an E.164 number")
    return f"{number[1:]}.xml"


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
        speaker.response.dial(check_dialable(CRISIS_NUMBER), answer_on_bridge=True)
        _append_transfer(speaker, FREE_HELPLINE_NUMBER)
        return speaker.xml()


def render_listing_fallback(
    facility_name: str,
    phone: str | None,
    language: str = "en",
    crisis_document: str = FALLBACK_CRISIS_DOCUMENT,
    free_helpline_document: str = FALLBACK_FREE_HELPLINE_DOCUMENT,
) -> str:
    """A listing number's static fallback: it rings the listed facility and nobody else, never a provider.

    ``phone`` is the facility's *verified* phone (``clearline.directory.services.verified_destination_for``),
    dialled for ``LISTING_FALLBACK_RING_S`` with no ``action``: when that leg ends, Twilio goes on to the next
    verb. With no verified phone (``None`` or ``""``) nothing is dialled and the caller hears that the facility
    cannot be reached right now. Then the options, as two ``<Gather method="GET">`` one after the other, because
    a static document cannot tell which key was pressed: first "press 9" (action ``crisis_document``, answered
    by ``render_fallback_crisis``), then "press 0" (action ``free_helpline_document``, answered by
    ``render_fallback_free_helpline``); both paths are *relative* to this document's URL. Each prompt names only
    its own key, and any key pressed while it plays goes to the line it names (both free lines). With no key,
    both free numbers and goodbye. No sentence says the facility did not answer, since the same words follow a
    call the facility answered and then ended.
    """
    with override(_base_language(language)):
        speaker = _Speaker(language)
        name = facility_name or _("this facility")
        if phone:
            speaker.say(
                _("Connecting you to %(facility)s. This number rings only %(facility)s.") % {"facility": name}
            )
            speaker.response.dial(
                check_dialable(phone), timeout=LISTING_FALLBACK_RING_S, answer_on_bridge=True
            )
            missed = _("If %(facility)s did not answer, please try again later.") % {"facility": name}
        else:
            missed = (
                _("We cannot connect you to %(facility)s right now.") % {"facility": name}
                + " "
                + _("Please try again later.")
            )
        crisis = speaker.response.gather(num_digits=1, timeout=3, action=crisis_document, method="GET")
        speaker.say(missed + " " + _("For the 988 Suicide and Crisis Lifeline, press 9 now."), crisis)
        free = speaker.response.gather(num_digits=1, timeout=5, action=free_helpline_document, method="GET")
        speaker.say(_option_line("0", FREE_HELPLINE_NUMBER, ""), free)
        speaker.say(_goodbye_line())
        speaker.response.hangup()
        return speaker.xml()


def render_fallback_free_helpline(language: str = "en") -> str:
    """The listing fallback's "press 0" static file: the free helpline, then both numbers and goodbye if it fails;
    no URLs at all."""
    with override(_base_language(language)):
        speaker = _Speaker(language)
        _append_transfer(speaker, FREE_HELPLINE_NUMBER)
        return speaker.xml()
