"""A wave: the ``<Dial>`` ringing its providers at once, and what each provider hears (the whisper, press 1)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import override
from twilio.twiml.voice_response import VoiceResponse

from clearline.routing import Dial
from clearline.telephony.keys import ACCEPT_DIGIT
from clearline.telephony.twilio.twiml.speech import (
    ATTEMPT_PARAM,
    STATUS_EVENTS,
    Urls,
    _base_language,
    _join_names,
    _need,
    _Speaker,
    check_dialable,
    with_query,
)


def render_dial(dial: Dial, language: str, urls: Urls, attempt_ids: Mapping[str, str]) -> str:
    """One wave: ring every ``dial.targets`` at once; the first to press 1 after the whisper is connected.

    ``attempt_ids`` maps each target's id to the id of the attempt record the caller created (and whose
    capacity slot it reserved) before rendering; it goes into each leg's whisper and status callback URLs as
    ``?attempt=ID``. Waves after the first (``dial.announce`` set) first say who is rung now, inside
    ``<Gather numDigits=1 timeout=1 action=urls.wave_keys>``: while our voice speaks, 9 and 0 work (the wave's
    lines are already held; the action gives them back and transfers). With no key Twilio falls through to the
    ``<Dial>``, which hears no key while phones ring: a wave whose keys work then (``Dial.caller_keys``) rings
    in the queue shape instead (``queue.render_hold``).
    Needs ``urls.dial_action``, ``urls.status_callback``, when the dial whispers ``urls.whisper``, and when it
    announces ``urls.wave_keys``.
    """
    if not dial.targets:
        raise ValueError("a Dial needs at least one target")
    screen = dial.whisper or dial.require_accept
    _need(
        urls,
        "dial_action",
        "status_callback",
        *(("whisper",) if screen else ()),
        *(("wave_keys",) if dial.announce else ()),
    )
    with override(_base_language(language)):
        speaker = _Speaker(language)
        if dial.announce:
            gather = speaker.response.gather(num_digits=1, timeout=1, action=urls.wave_keys, method="POST")
            speaker.say(
                _("Now trying %(names)s.") % {"names": _join_names([t.name for t in dial.targets])}, gather
            )
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
                check_dialable(target.phone),
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


def render_whisper_result(accepted: bool) -> str:
    """The whisper's ``<Gather action>`` answer: empty when accepted (Twilio bridges), else hang up that leg."""
    response = VoiceResponse()
    if not accepted:
        response.hangup()
    return str(response.to_xml())
