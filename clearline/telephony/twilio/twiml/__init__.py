"""TwiML for every moment of a call: pure functions from plain values (and routing steps) to XML strings.

Nothing here touches the database or a request. ``telephony/views.py`` decides *what* happens (with
``clearline.routing.next_step``) and calls one ``render_*`` function to say it in Twilio's wire format, passing the
absolute callback URLs it computed in a ``Urls``. Every response ends in a verb that keeps the call going
(``<Dial>`` with an action, ``<Redirect>``) or says goodbye before ``<Hangup/>``: no caller is left in silence
(DESIGN.md §3 rule 5). Only the crisis line and the free helpline are ever transferred to; never 911.

The renderers live in one module per kind of step (``speech``: what they share, transfers, goodbye;
``greeting``; ``place``: the ZIP prompt; ``dial``: waves and the whisper; ``callback``; ``listing``;
``fallback``); this package exports them all under the names they always had, with ``render_step`` for the steps
that need nothing but the step.

Spoken text is marked for translation and rendered in the call's language (``"en"`` or ``"es"``), with Twilio's
``<Say language="en-US|es-US">`` and its default voice.
"""

from __future__ import annotations

from collections.abc import Mapping

from clearline.routing import CallbackOffer, Connect, Dial, Ended, Goodbye, ListingOptions, Step, Transfer
from clearline.telephony.answers import (
    Answer,
    AskNumber,
    AskPlace,
    CallbackGiven,
    CallbackRefused,
    Greeting,
    OptionTaken,
    Whisper,
    WhisperResult,
)
from clearline.telephony.keys import ACCEPT_DIGIT, CALLBACK_DIGIT, SWITCH_LANGUAGE_DIGIT
from clearline.telephony.twilio.twiml.callback import (
    render_ask_for_number,
    render_callback_confirmed,
    render_callback_offer,
    render_callback_offer_step,
    render_callback_unavailable,
)
from clearline.telephony.twilio.twiml.dial import (
    render_dial,
    render_whisper,
    render_whisper_result,
)
from clearline.telephony.twilio.twiml.fallback import (
    FALLBACK_CRISIS_DOCUMENT,
    render_fallback,
    render_fallback_crisis,
    render_fallback_free_helpline,
    render_listing_fallback,
)
from clearline.telephony.twilio.twiml.greeting import render_greeting
from clearline.telephony.twilio.twiml.listing import render_listing_dial, render_listing_options
from clearline.telephony.twilio.twiml.place import render_place_prompt
from clearline.telephony.twilio.twiml.queue import (
    QueueUrls,
    queue_name,
    queue_shaped,
    render_bridge,
    render_enqueue,
    render_hold,
    render_leave,
    render_wave_announcement,
)
from clearline.telephony.twilio.twiml.speech import (
    ATTEMPT_PARAM,
    CRISIS_SPOKEN,
    E164,
    FREE_HELPLINE_SPOKEN,
    NO_INPUT_PARAM,
    SAY_LANGUAGES,
    STATUS_EVENTS,
    TRANSFER_NUMBERS,
    Urls,
    check_dialable,
    render_goodbye,
    render_hangup,
    render_option_choice,
    render_transfer,
    say_language,
    with_query,
)

__all__ = [
    "ACCEPT_DIGIT",
    "ATTEMPT_PARAM",
    "CALLBACK_DIGIT",
    "CRISIS_SPOKEN",
    "E164",
    "FALLBACK_CRISIS_DOCUMENT",
    "FREE_HELPLINE_SPOKEN",
    "NO_INPUT_PARAM",
    "SAY_LANGUAGES",
    "STATUS_EVENTS",
    "SWITCH_LANGUAGE_DIGIT",
    "TRANSFER_NUMBERS",
    "QueueUrls",
    "Urls",
    "check_dialable",
    "queue_name",
    "queue_shaped",
    "render_answer",
    "render_ask_for_number",
    "render_bridge",
    "render_callback_confirmed",
    "render_callback_offer",
    "render_callback_offer_step",
    "render_dial",
    "render_enqueue",
    "render_fallback",
    "render_fallback_crisis",
    "render_fallback_free_helpline",
    "render_goodbye",
    "render_greeting",
    "render_hangup",
    "render_hold",
    "render_leave",
    "render_listing_dial",
    "render_listing_fallback",
    "render_listing_options",
    "render_option_choice",
    "render_place_prompt",
    "render_step",
    "render_transfer",
    "render_wave_announcement",
    "render_whisper",
    "render_whisper_result",
    "say_language",
    "with_query",
]


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
        return render_callback_offer_step(step, language, urls)
    if isinstance(step, Transfer):
        return render_transfer(step.number, "", language)
    if isinstance(step, ListingOptions):
        return render_listing_options(language, urls, step.facility_name)
    if isinstance(step, Goodbye):
        return render_goodbye(language)
    if isinstance(step, Ended):
        return render_hangup()
    raise TypeError(f"render {type(step).__name__} with its own function (see render_step's docstring)")


def render_answer(answer: Answer, urls: Urls) -> str:
    """The call flow's answer (``clearline.telephony.flow``) as TwiML: the one renderer the webhooks and the call
    simulator use. ``urls`` are the call's callback URLs, built with ``answer.index`` where a step has one."""
    step, language = answer.step, answer.language
    if isinstance(step, Greeting):
        return render_greeting(step.sentences, language, urls)
    if isinstance(step, AskPlace):
        return render_place_prompt(language, urls.place_action, step.menu)
    if isinstance(step, AskNumber):
        return render_ask_for_number(language, urls)
    if isinstance(step, CallbackGiven):
        return render_callback_confirmed(step.provider_name, step.minutes, language, urls)
    if isinstance(step, CallbackRefused):
        return render_callback_unavailable(language)
    if isinstance(step, OptionTaken):
        return render_option_choice(step.digits, language)
    if isinstance(step, Whisper):
        return render_whisper(
            step.provider_name, "en", urls, step.attempt_id, caller_language=step.caller_language
        )
    if isinstance(step, WhisperResult):
        if step.accepted and queue_shaped(urls):
            return render_bridge(answer.call_sid)  # the caller waits in their queue: take them out of it
        return render_whisper_result(step.accepted)
    if isinstance(step, Connect):
        return render_hangup()  # the bridged conversation has ended
    if isinstance(step, ListingOptions):
        return render_listing_options(language, urls, step.facility_name, rang=answer.rang)
    if isinstance(step, Dial) and answer.listing:
        target = step.targets[0]
        return render_listing_dial(target.name, target.phone, step.ring_timeout_s, language, urls)
    if isinstance(step, Dial) and isinstance(urls, QueueUrls) and queue_shaped(urls):
        # The queue shape: the legs were started through the REST API (or start after the announcement).
        if step.announce:
            return render_wave_announcement(step, language, urls)
        return render_enqueue(answer.call_sid, urls)
    return render_step(step, language, urls, answer.attempt_ids)
