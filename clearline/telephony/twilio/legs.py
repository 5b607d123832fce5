"""Queue-shaped waves on Twilio: the provider legs Clearline starts and ends itself through the REST API.

With ``CLEARLINE_TWILIO_WAVES = "queue"`` a wave is not one ``<Dial>``: each provider gets a call of its own
(``client.create_call``: ``url`` the whisper, a status callback per leg, ``timeout`` the wave's ring time) while
the caller waits in ``<Enqueue>`` (``twiml.queue``). No leg ends another; the first provider to press 1 is bridged
(``<Dial><Queue>``) and the others are hung up here. The hold loop (the ``waitUrl``) answers ``<Leave/>`` once
every leg has ended without acceptance, and the ``<Enqueue action>`` reports the wave's end to the call flow, as
the ``<Dial action>`` does in the other shape. The call flow is the same for both shapes; this module only asks
``services.waves`` read-only questions and records which leg is which (``Attempt.leg_sid``).

Requests to Twilio that nobody waits for (hanging up the losing legs, deleting an emptied queue) run on a
short-lived thread after the webhook answers, so the winner is bridged without waiting for them. Nothing here
logs a phone number: legs are named by attempt id.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.utils import timezone

from clearline.routing import Dial
from clearline.telephony import flow, journal
from clearline.telephony.answers import Answer
from clearline.telephony.faults import deadline_paused
from clearline.telephony.models import Call
from clearline.telephony.services import DialEnd
from clearline.telephony.services import legs as leg_state
from clearline.telephony.twilio import client
from clearline.telephony.twilio.action_urls import call_urls, queue_waves
from clearline.telephony.twilio.twiml import ATTEMPT_PARAM, check_dialable, with_query

logger = logging.getLogger(__name__)

# After a wave's ring time, how long the hold loop still waits for legs that have not reported their end (a
# person may have answered at the last second and be hearing the whisper: twice, then 8 s to press 1). Only a
# lost status callback ever makes this matter.
WAVE_GRACE_S = 60
# At most this many waves are started in one webhook (each one whose legs could not start ends at once).
MAX_WAVES_PER_ANSWER = 10
# Legs started at once; Twilio's webhooks wait 15 s, the REST client 10 s per request.
MAX_PARALLEL_LEGS = 10

__all__ = [
    "hang_up_legs",
    "hang_up_others",
    "leg_reported",
    "may_accept",
    "queue_ending",
    "queue_waves",
    "ring",
    "wave_over",
]


def _wave_to_ring(answer: Answer) -> Dial | None:
    """The wave ``answer`` rings now through the REST API, if it is one (not a listing's facility, not a wave
    still to be announced: its legs start after the announcement)."""
    step = answer.step
    if isinstance(step, Dial) and not answer.listing and answer.attempt_ids and not step.announce:
        return step
    return None


def ring(answer: Answer, origin: str, helpline_number: str) -> Answer:
    """Start the legs of the wave ``answer`` rings (once per leg, however often the webhook comes) and return
    the answer to render: the same one (the caller is enqueued), or, when none of its legs could be started
    and none rings from before, what the call flow says after that wave (the next wave is started in turn)."""
    started: list[str] = []
    try:
        for _round in range(MAX_WAVES_PER_ANSWER):
            step = _wave_to_ring(answer) if queue_waves() else None
            if step is None:
                return answer
            _start_legs(answer, step, origin, helpline_number, started)
            call = flow.load_call(answer.call_sid)
            legs = leg_state.wave_legs(call, step.index)
            if legs.ringing or legs.accepted:
                return answer
            answer = flow.wave_ended(call_sid=answer.call_sid, step_index=step.index, ending=_ending(legs))
        return answer
    except BaseException:
        # The webhook fails (the caller gets the fallback): no provider's phone may ring for a caller no longer
        # waiting in the queue.
        hang_up_legs(started)
        raise


def _start_legs(answer: Answer, step: Dial, origin: str, helpline_number: str, started: list[str]) -> None:
    """Start the wave's legs not started yet (``started`` gets each new leg's CallSid as soon as Twilio gave
    it). The REST requests do not count against the webhook's deadline (``faults.deadline_paused``): each has
    the REST client's own timeout, and the database connection waits idle meanwhile."""
    urls = call_urls(origin, answer.call_sid, step.index)
    phones = {t.id: t.phone for t in step.targets}
    legs = {int(attempt): phones.get(provider, "") for provider, attempt in answer.attempt_ids.items()}
    claimed = leg_state.claim_legs(sorted(legs))
    if not claimed:
        return

    def start(attempt_id: int) -> str | None:
        try:
            return client.create_call(
                to=check_dialable(legs[attempt_id]),
                from_=check_dialable(helpline_number),
                url=with_query(urls.whisper, **{ATTEMPT_PARAM: str(attempt_id)}),
                status_callback=with_query(urls.wave_leg_status, **{ATTEMPT_PARAM: str(attempt_id)}),
                timeout_s=step.ring_timeout_s,
            )
        except (client.TwilioApiError, ValueError) as error:
            logger.warning("Could not start the leg of attempt %s: %s", attempt_id, type(error).__name__)
            return None

    with deadline_paused(), ThreadPoolExecutor(max_workers=min(len(claimed), MAX_PARALLEL_LEGS)) as pool:
        sids = list(pool.map(start, claimed))
    started.extend(sid for sid in sids if sid)
    for attempt_id, sid in zip(claimed, sids, strict=True):
        if sid:
            leg_state.record_leg_sid(attempt_id, sid)
        else:  # as if Twilio had reported it: the line goes back, the rest of the wave rings on
            flow.status_changed(
                journal.status_event(
                    call_sid=answer.call_sid,
                    status="failed",
                    attempt=str(attempt_id),
                    duration=None,
                    received_at=timezone.now(),
                )
            )


def _ending(legs: leg_state.WaveLegs) -> DialEnd:
    """How a wave whose legs all ended (or were given up) ended, in the words Twilio's ``<Dial>`` used: answered
    when a leg was answered (nobody pressed 1), busy or failed when every leg was, else no answer."""
    if legs.declined:
        return DialEnd.ANSWERED
    if legs.ended and not legs.ringing and all(s == "busy" for s in legs.ended):
        return DialEnd.BUSY
    if legs.ended and not legs.ringing and all(s == "failed" for s in legs.ended):
        return DialEnd.FAILED
    return DialEnd.NO_ANSWER


@dataclass(frozen=True)
class Hold:
    """The hold loop's answer for one turn: leave the queue, or hold on (listening for 9 and 0 when ``keys``)."""

    over: bool
    keys: bool


def hold(call_sid: str, step_index: int, now: dt.datetime | None = None) -> Hold:
    """Where the caller holding in the queue stands: whether the wave is over (``wave_over``) and whether its
    keys work while it rings (``flow.wave_hears_keys``), from one read of the call."""
    call = flow.load_call(call_sid)
    return Hold(wave_over(call, step_index, now), flow.wave_hears_keys(call, step_index))


def wave_over(call: Call, step_index: int, now: dt.datetime | None = None) -> bool:
    """The hold loop's question: should the caller leave the queue? Yes once every leg of the wave ended without
    anyone pressing 1 (or the wave already ended), or its ring time and the grace after it have passed. Never
    once someone accepted: the winner's ``<Dial><Queue>`` takes the caller out."""
    if call.connected_provider_id is not None:
        return False
    if call.step_index > step_index:
        return True
    legs = leg_state.wave_legs(call, step_index)
    if legs.accepted:
        return False
    if not legs.ringing:
        return True
    deadline = flow.wave_ring_time(call, step_index) + WAVE_GRACE_S
    started = legs.started_at or call.started_at
    return (now or timezone.now()) - started > dt.timedelta(seconds=deadline)


# Twilio's QueueResult, for a caller who was bridged: the wave ended answered (the call flow knows by whom).
BRIDGED_RESULTS = {"bridged", "bridging-in-process", "redirected-from-bridged"}


def queue_ending(call_sid: str, step_index: int, queue_result: str, queue_sid: str = "") -> DialEnd:
    """The caller left the queue (Twilio's ``QueueResult``): how the wave ended, for ``flow.wave_ended``. Unless
    the caller was bridged, the wave's legs still up are hung up (the caller hung up, or the wave was given up).
    The emptied queue is deleted (each call makes its own; a later wave makes it again)."""
    call = flow.load_call(call_sid)
    if queue_result in BRIDGED_RESULTS:
        ending = DialEnd.ANSWERED
    else:
        legs = leg_state.wave_legs(call, step_index)
        if queue_result == "hangup":
            ending = DialEnd.CANCELED
        elif queue_result == "leave":
            ending = _ending(legs)
        else:  # error, system-error, queue-full, redirected: the wave could not go on
            ending = DialEnd.FAILED
        hang_up_legs(leg_state.open_legs(call, None if queue_result == "hangup" else step_index))
    if queue_sid.startswith("QU"):
        _in_background(_delete_queue, [queue_sid])
    return ending


def leg_reported(attempt_id: int, leg_sid: str, status: str) -> None:
    """A started leg's status callback, after the usual status webhook applied it: a leg answered and hung up
    without a 1 is over for its wave; a leg whose attempt can no longer take the call is hung up (the caller
    hung up, another provider won, or the request that started it timed out and it was counted failed)."""
    if leg_sid.startswith("CA"):
        leg_state.record_leg_sid(attempt_id, leg_sid)
    if status == "completed":
        leg_state.record_leg_end(attempt_id)
    elif status in {
        "initiated",
        "queued",
        "ringing",
        "in-progress",
        "answered",
    } and not leg_state.attempt_open(attempt_id):
        hang_up_legs([leg_sid])


def may_accept(attempt_id: int) -> bool:
    """Whether this leg's 1 may still go to the call flow: not once its wave is over, another provider won or
    the caller hung up (in the ``<Dial>`` shape Twilio itself ends such legs)."""
    return leg_state.attempt_open(attempt_id)


def hang_up_others(attempt_id: int) -> None:
    """The attempt's provider pressed 1 and won: hang up every other leg of the call still up."""
    call = Call.objects.only("pk").get(attempts__pk=attempt_id)
    hang_up_legs(leg_state.open_legs(call, besides=attempt_id))


def hang_up_wave(call_sid: str, step_index: int) -> None:
    """The caller chose the crisis line or the free helpline while the wave rang: every leg of it still up is
    hung up (ringing, or hearing the whisper)."""
    hang_up_legs(leg_state.open_legs(flow.load_call(call_sid), step_index))


def hang_up_legs(leg_sids: Iterable[str]) -> None:
    """Hang up these legs through the REST API, on a thread of its own: nobody waits for it."""
    sids = [sid for sid in leg_sids if sid.startswith("CA")]
    if sids:
        _in_background(_end_calls, sids)


def _in_background(work: Callable[[list[str]], None], items: list[str]) -> None:
    threading.Thread(target=work, args=(items,), name="clearline-twilio-legs", daemon=True).start()


def _end_calls(sids: list[str]) -> None:
    with ThreadPoolExecutor(max_workers=min(len(sids), MAX_PARALLEL_LEGS)) as pool:
        for sid, error in zip(sids, pool.map(_end_call, sids), strict=True):
            if error:
                logger.info("Leg %s was not hung up (%s); it may have ended already", sid, error)


# A leg left ringing rings a provider for a caller who is gone: a hang-up that failed for a passing reason (Twilio
# not reached, 429, 5xx) is tried again, this many times, this long apart.
END_CALL_TRIES = 3
END_CALL_PAUSE_S = 0.5


def _end_call(sid: str) -> str:
    for attempt in range(END_CALL_TRIES):
        try:
            client.end_call(sid)
        except client.TwilioNotConfigured as error:
            return type(error).__name__
        except client.TwilioApiError as error:
            passing = error.status is None or error.status == 429 or error.status >= 500
            if not passing or attempt == END_CALL_TRIES - 1:
                return type(error).__name__ if error.status is None else str(error.status)
            time.sleep(END_CALL_PAUSE_S)
        else:
            return ""
    return ""


def _delete_queue(sids: list[str]) -> None:
    for sid in sids:
        try:
            client.delete_queue(sid)
        except client.TwilioApiError as error:
            logger.info("Queue %s was not deleted (%s)", sid, type(error).__name__)
