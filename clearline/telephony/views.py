"""Twilio webhooks: each view reads Twilio's form fields, calls one event of the call flow (``flow``) and renders
its answer as TwiML (``twiml.render_answer``). Nothing else: what happens in a call is decided in ``flow``.

Every view answers valid TwiML even when something inside fails: the safe fallback (disclosure, crisis option,
then the free national helpline), so no caller ever hears silence or an error (DESIGN.md rule 8). Signatures
are checked first by ``twilio_webhook``: a forged request gets 403 and changes nothing.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clearline.lib.phone import InvalidPhoneNumber, normalize_e164
from clearline.routing import Connect, Transfer
from clearline.telephony import carried, flow, journal
from clearline.telephony.answers import Answer, WhisperResult
from clearline.telephony.faults import time_left, use_webhook_timeouts
from clearline.telephony.twilio import legs, twiml
from clearline.telephony.twilio.action_urls import call_urls, origin_of
from clearline.telephony.twilio.webhooks import (
    hold_webhook,
    provider_leg_webhook,
    respond,
    status_webhook,
    webhook,
)

logger = logging.getLogger(__name__)

WITHHELD_CALLER_IDS = {"", "anonymous", "restricted", "unknown", "blocked", "+266696687", "+86282452253"}


def caller_number(request: HttpRequest) -> str | None:
    raw = request.POST.get("From", "").strip()
    if raw.lower() in WITHHELD_CALLER_IDS:
        return None
    try:
        return normalize_e164(raw)
    except InvalidPhoneNumber:
        return None


def dialled_number(request: HttpRequest) -> str:
    """The number the caller dialled. It only picks one of our own numbers (the flow refuses any other), so in
    Twilio's E.164 it is taken as it is; bench/webhooks.py --in-process-only: parsing and validating it as a phone
    number cost ~0.2 ms of each voice webhook."""
    raw = request.POST.get("To", "").strip()
    return raw if twiml.E164.fullmatch(raw) else normalize_e164(raw)


def answer(request: HttpRequest, answered: Answer) -> HttpResponse:
    """The flow's answer as TwiML, with this call's action URLs. A wave in Twilio's queue shape has its legs
    started first (``legs.ring``; ``To`` is the helpline number the caller dialled, the legs' caller ID)."""
    origin = origin_of(request)
    if legs.queue_waves():
        answered = legs.ring(answered, origin, request.POST.get("To", ""))
    urls = call_urls(origin, answered.call_sid, answered.index)
    return respond(twiml.render_answer(answered, urls))


def call_sid(request: HttpRequest) -> str:
    """The caller's CallSid, from our own action URL's ``call`` parameter (checked by ``call_sid_checked``)."""
    return request.GET["call"]


@webhook
def voice(request: HttpRequest) -> HttpResponse:
    """A call comes in: the ZIP prompt, the disclosure and menu, or the listing's facility."""
    started = flow.call_started(
        call_sid=request.POST["CallSid"],
        to_number=dialled_number(request),
        caller_number=caller_number(request),
        caller_state=request.POST.get("FromState", "")[:2].upper(),
        adapter=carried.TWILIO,
    )
    return answer(request, started)


@webhook
def place(request: HttpRequest) -> HttpResponse:
    """The caller answered the ZIP prompt (a ZIP code, 9 or 0 then pound, 2, or nothing)."""
    return answer(
        request,
        flow.place_entered(
            call_sid=call_sid(request),
            digits=request.POST.get("Digits", ""),
            to_number=dialled_number(request),
            caller_number=caller_number(request),
        ),
    )


@webhook
def menu(request: HttpRequest) -> HttpResponse:
    """A key during the greeting, or none (the greeting's ``<Redirect>`` after it timed out)."""
    return answer(
        request, flow.menu_pressed(call_sid=call_sid(request), digits=request.POST.get("Digits", ""))
    )


# Twilio's DialCallStatus in the call flow's words ("completed": a leg answered; bridged or not, the flow knows).
DIAL_ENDS = {
    "completed": flow.DialEnd.ANSWERED,
    "answered": flow.DialEnd.ANSWERED,
    "busy": flow.DialEnd.BUSY,
    "no-answer": flow.DialEnd.NO_ANSWER,
    "failed": flow.DialEnd.FAILED,
    "canceled": flow.DialEnd.CANCELED,
}


@webhook
def dial(request: HttpRequest) -> HttpResponse:
    """A wave (or the listing's single dial) ended: connected, or on to the next step."""
    ending = DIAL_ENDS.get(request.POST.get("DialCallStatus", ""), flow.DialEnd.FAILED)
    return answer(
        request,
        flow.wave_ended(call_sid=call_sid(request), step_index=int(request.GET["step"]), ending=ending),
    )


@webhook
def wave_keys(request: HttpRequest) -> HttpResponse:
    """A key pressed while a later wave was announced, before it rang."""
    return answer(
        request,
        flow.wave_keys_pressed(
            call_sid=call_sid(request),
            step_index=int(request.GET["step"]),
            digits=request.POST.get("Digits", ""),
        ),
    )


@provider_leg_webhook
def whisper(request: HttpRequest) -> HttpResponse:
    return answer(request, flow.provider_answered(attempt_id=int(request.GET["attempt"])))


@provider_leg_webhook
def whisper_accept(request: HttpRequest) -> HttpResponse:
    """The provider's key after the whisper. In the queue shape a leg whose wave is over (or whose caller hung
    up) is hung up without asking the flow, and the winner's other legs are hung up through the REST API."""
    attempt_id = int(request.GET["attempt"])
    queued = legs.queue_waves()
    if queued and not legs.may_accept(attempt_id):
        return respond(twiml.render_hangup())
    answered = flow.provider_pressed(attempt_id=attempt_id, digits=request.POST.get("Digits", ""))
    if queued and isinstance(answered.step, WhisperResult) and answered.step.accepted:
        legs.hang_up_others(attempt_id)
    return answer(request, answered)


# --- a wave in Twilio's queue shape (CLEARLINE_TWILIO_WAVES = "queue"; docs/twilio.md, "How a wave rings") ---


@hold_webhook
def wave_hold(request: HttpRequest) -> HttpResponse:
    """The ``<Enqueue waitUrl>``: while the wave's legs ring, silence and ask again (listening for 9 and 0 where
    the wave's keys work while it rings); ``<Leave/>`` once every leg ended without anyone pressing 1 (then
    Twilio posts ``wave_left``). ``<Leave/>`` too when something fails (``hold_webhook``): ``wave_left`` then
    answers, with the fallback if need be, which a ``waitUrl`` may not (no ``<Dial>`` there)."""
    held = legs.hold(call_sid(request), int(request.GET["step"]))
    if held.over:
        return respond(twiml.render_leave())
    return respond(twiml.render_hold(_hold_keys_url(request) if held.keys else ""))


@hold_webhook
def wave_hold_keys(request: HttpRequest) -> HttpResponse:
    """A key the caller pressed in the hold loop. 9 or 0: the wave's legs are hung up and the caller leaves the
    queue; ``wave_left`` then answers the transfer the flow recorded. Any other key (or too late): hold on."""
    sid, step = call_sid(request), int(request.GET["step"])
    answered = flow.ringing_keys_pressed(call_sid=sid, step_index=step, digits=request.POST.get("Digits", ""))
    if isinstance(answered.step, Transfer):
        legs.hang_up_wave(sid, step)
        return respond(twiml.render_leave())
    return respond(twiml.render_hold(_hold_keys_url(request)))


def _hold_keys_url(request: HttpRequest) -> str:
    return call_urls(origin_of(request), call_sid(request), int(request.GET["step"])).wave_hold_keys


@webhook
def wave_left(request: HttpRequest) -> HttpResponse:
    """The ``<Enqueue action>``: the caller left the queue (``QueueResult``: bridged and the conversation over,
    the wave over, or the caller hung up). The wave's end goes to the call flow, as the ``<Dial action>``'s does."""
    sid, step = call_sid(request), int(request.GET["step"])
    result = request.POST.get("QueueResult", "")
    ending = legs.queue_ending(sid, step, result, request.POST.get("QueueSid", ""))
    answered = flow.wave_ended(call_sid=sid, step_index=step, ending=ending)
    if result == "leave" and isinstance(answered.step, Connect):
        # Someone pressed 1 just as the wave was given up: back into the queue, where their <Dial> finds the caller.
        return respond(twiml.render_enqueue(sid, call_urls(origin_of(request), sid, step)))
    return answer(request, answered)


@status_webhook
def wave_leg_status(request: HttpRequest) -> HttpResponse:
    """A leg started through the REST API reports its status: applied as every status callback is (``status``),
    then what the queue shape needs (a leg answered without a 1 is over; a leg too late is hung up). One check of
    the signature and CallSid, and one deadline over both (``status_webhook``): ``leg_reported``'s queries too."""
    applied = _apply_status(request)
    if applied.status_code != 204:
        return applied
    left = time_left()
    if left is not None and left <= 0:
        # The status itself is applied (or kept); the hold loop's deadline ends a wave whose leg went unheard.
        logger.warning(
            "Twilio leg status %s: no time left to note it for the queue-shaped wave", request.path
        )
        return applied
    try:
        use_webhook_timeouts()
        legs.leg_reported(
            int(request.GET["attempt"]),
            request.POST.get("CallSid", ""),
            request.POST.get("CallStatus", ""),
        )
    except Exception:
        logger.exception("Twilio leg status %s: the queue-shaped wave could not note it", request.path)
    return applied


@webhook
def callback(request: HttpRequest) -> HttpResponse:
    return answer(
        request,
        flow.callback_pressed(
            call_sid=call_sid(request),
            digits=request.POST.get("Digits", ""),
            caller_number=caller_number(request),
        ),
    )


@webhook
def number(request: HttpRequest) -> HttpResponse:
    """Caller ID was withheld: the caller typed the number to call back."""
    return answer(
        request, flow.callback_number_typed(call_sid=call_sid(request), digits=request.POST.get("Digits", ""))
    )


@webhook
def options(request: HttpRequest) -> HttpResponse:
    return answer(
        request, flow.options_pressed(call_sid=call_sid(request), digits=request.POST.get("Digits", ""))
    )


def fallback_crisis(request: HttpRequest) -> HttpResponse:
    """Pressing 9 in the fallback (served inline when a webhook fails) leads here: the crisis line. It needs no
    signature check: it reads nothing, writes nothing and says the same to everyone."""
    return respond(twiml.render_fallback_crisis("es" if request.GET.get("lang") == "es" else "en"))


def fallback_free_helpline(request: HttpRequest) -> HttpResponse:
    """Pressing 0 in a listing number's inline fallback leads here: the free helpline; like ``fallback_crisis``
    it reads and writes nothing."""
    return respond(twiml.render_fallback_free_helpline("es" if request.GET.get("lang") == "es" else "en"))


@status_webhook
def status(request: HttpRequest) -> HttpResponse:
    """Status callbacks: the caller's call (CallStatus) or, with ?attempt=, one provider leg.

    Nobody listens to this answer, so a failure is not hidden behind the caller's fallback TwiML: it answers
    500, which Twilio's debugger shows (and the error is logged, by path only: no caller number). When the
    database fails the event is kept in the event journal (``journal.keep``, fsynced) for the worker to apply, and
    the answer is 204; 500 only if it could not be kept either."""
    return _apply_status(request)


def _apply_status(request: HttpRequest) -> HttpResponse:
    """``status`` without its decorator, for ``wave_leg_status`` too: the request is checked already and runs
    under its webhook deadline."""
    try:
        event = journal.status_event(
            call_sid=request.POST["CallSid"],
            status=request.POST.get("CallStatus", ""),
            attempt=request.GET.get("attempt"),
            duration=request.POST.get("CallDuration"),
            received_at=timezone.now(),
        )
        use_webhook_timeouts()
        flow.status_changed(event)
    except journal.DATABASE_FAILURES:
        # The database cannot take it now: kept on local disk, the worker applies it when it can. Safe: 204.
        try:
            journal.keep(event)
        except Exception:
            logger.exception("Twilio status callback %s could not be kept; answering 500", request.path)
            return HttpResponse("Status callback failed", status=500, content_type="text/plain")
        logger.warning("Twilio status callback %s kept in the event journal (database failing)", request.path)
    except Exception:
        logger.exception("Twilio status callback %s failed; answering 500", request.path)
        return HttpResponse("Status callback failed", status=500, content_type="text/plain")
    return HttpResponse(status=204)
