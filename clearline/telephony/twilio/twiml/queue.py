"""A wave in Twilio's queue shape: the caller waits in ``<Enqueue>`` while Clearline rings each provider with a
call of its own (REST), and the provider who presses 1 takes the caller out of the queue (``<Dial><Queue>``).

Why: in one ``<Dial>`` with several ``<Number>``s the first leg to *pick up* is connected and the rest are hung
up, before the whisper runs; a voicemail that answers first ends the wave although a person was about to answer.
Here no leg ends another; only a provider's 1 does (docs/twilio.md, "How a wave rings").

The caller's side: a later wave's announcement (``<Gather>`` for 9 and 0, then a ``<Redirect>`` to the wave-keys
webhook that rings it), the ``<Enqueue>`` (queue named after the caller's CallSid), the hold loop its ``waitUrl``
answers (silence, no ``<Gather>``: once phones ring keys do nothing) and ``<Leave/>`` when the wave is over. The
provider's side: ``<Dial><Queue>`` for the winner. Pure: plain values in, XML strings out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override
from twilio.twiml.voice_response import VoiceResponse

from clearline.routing import Dial
from clearline.telephony.twilio.twiml.speech import Urls, _base_language, _join_names, _need, _Speaker

# Seconds of silence per turn of the hold loop: how late, at most, the caller learns that a wave is over.
HOLD_PAUSE_S = 2
# How long the winner's <Dial><Queue> waits for the caller to be in the queue (normally: at once).
BRIDGE_TIMEOUT_S = 10


@dataclass(frozen=True)
class QueueUrls(Urls):
    """``Urls`` plus the queue-shaped wave's webhooks; all empty means waves ring as one ``<Dial>``."""

    wave_hold: str = ""  # the <Enqueue waitUrl> (?call=&step=): the hold loop, <Leave/> once the wave is over
    wave_left: str = (
        ""  # the <Enqueue action> (?call=&step=): Twilio posts QueueResult when the caller leaves
    )
    wave_leg_status: str = ""  # each REST-started leg's status callback (?attempt=ID)
    wave_hold_keys: str = ""  # the hold loop's <Gather action> (?call=&step=), where keys work while it rings


def queue_shaped(urls: Urls) -> bool:
    """Whether the call's URLs ask for the queue shape (``call_urls`` fills them when the setting says so)."""
    return isinstance(urls, QueueUrls) and bool(urls.wave_hold)


def queue_name(call_sid: str) -> str:
    """The caller's own queue: one member (the caller), so a ``<Dial><Queue>`` can only reach this caller."""
    return call_sid


def render_enqueue(call_sid: str, urls: QueueUrls) -> str:
    """The caller waits in their own queue while the wave's legs ring (started through the REST API)."""
    _need(urls, "wave_hold", "wave_left")
    response = VoiceResponse()
    response.enqueue(
        queue_name(call_sid),
        action=urls.wave_left,
        method="POST",
        wait_url=urls.wave_hold,
        wait_url_method="POST",
    )
    return str(response.to_xml())


def render_wave_announcement(dial: Dial, language: str, urls: Urls) -> str:
    """A later wave, before it rings: who is tried now, inside ``<Gather numDigits=1 timeout=1>`` (9 and 0 work
    while our voice speaks; the wave's lines are held already), then, with no key, ``<Redirect>`` to the same
    webhook without digits: it rings the wave (its legs start only then, so a 9 or 0 rings nobody)."""
    _need(urls, "wave_keys")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=1, action=urls.wave_keys, method="POST")
        speaker.say(
            _("Now trying %(names)s.") % {"names": _join_names([t.name for t in dial.targets])}, gather
        )
        speaker.response.redirect(urls.wave_keys, method="POST")
        return speaker.xml()


def render_hold(keys_action: str = "") -> str:
    """One turn of the hold loop, then Twilio asks the ``waitUrl`` again: silence, or where the wave's keys work
    while it rings (``Dial.caller_keys``; Twilio's Enqueue page lists ``<Gather>`` among a ``waitUrl``'s verbs)
    the same silence inside ``<Gather numDigits=1>`` posting a key to ``keys_action``."""
    response = VoiceResponse()
    if keys_action:
        response.gather(num_digits=1, timeout=HOLD_PAUSE_S, action=keys_action, method="POST")
    else:
        response.pause(length=HOLD_PAUSE_S)
    return str(response.to_xml())


def render_leave() -> str:
    """The wave is over without anyone accepting: out of the queue; Twilio posts the ``<Enqueue action>``."""
    response = VoiceResponse()
    response.leave()
    return str(response.to_xml())


def render_bridge(call_sid: str) -> str:
    """The provider pressed 1 and won: their leg takes the caller out of the caller's queue."""
    response = VoiceResponse()
    dial = response.dial(timeout=BRIDGE_TIMEOUT_S)
    dial.queue(queue_name(call_sid))
    response.hangup()
    return str(response.to_xml())
