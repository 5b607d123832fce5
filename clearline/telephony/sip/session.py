"""One caller's call in the SIP controller, from INVITE to BYE: the back-to-back user agent's logic. No pjsua2.

The caller's leg plays the script of each answer of the call flow (``script.py``, ``runner.py``); a key or the
end of a prompt calls the next flow event (``events.py``) on a flow thread; a ``Ring`` with an action is a wave
(``wave.py``), one without is a transfer (to the crisis line or the free helpline): a new leg bridged to the
caller, and if it fails the script goes on (both numbers, goodbye). When the caller hangs up, everything still
up is hung up, the wave (if any) ends as canceled, and the call's final status goes to the flow with its
duration.

If the flow fails (the database is down), the caller hears the fallback (``script.fallback_script``: the crisis
line on 9, otherwise the free national helpline), which needs nothing but the trunk: never silence.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DatabaseError, InterfaceError

from clearline.routing import Transfer
from clearline.telephony.answers import Answer
from clearline.telephony.services import DialEnd
from clearline.telephony.sip import events
from clearline.telephony.sip.legs import Leg, Runtime
from clearline.telephony.sip.runner import ScriptRunner, Timer
from clearline.telephony.sip.script import (
    Event,
    Ring,
    Verb,
    destination_uri,
    fallback_crisis_script,
    fallback_script,
    script_for,
)
from clearline.telephony.sip.wave import Wave

logger = logging.getLogger(__name__)
# One line per call: how long after its INVITE the caller's first prompt started (bench/sip_load.py reads it).
timing = logging.getLogger("clearline.telephony.sip.timing")

Prepared = tuple[Answer, tuple[Verb, ...]]


class Session:
    def __init__(self, facts: events.CallFacts, caller: Leg, runtime: Runtime) -> None:
        self.facts, self.caller, self.runtime = facts, caller, runtime
        self.runner = ScriptRunner(caller, runtime.clock, runtime.prompt_files, self)
        self.language = "en"
        self.media_up = False
        self.waiting: tuple[Verb, ...] | None = None  # the first script, until the caller's audio flows
        self.wave: Wave | None = None
        self.transfer: _Transfer | None = None
        self.bridged: Leg | None = None
        self.ended = False
        self.started_at = time.monotonic()
        self.prompted = False
        self.line_chosen = (
            False  # a transfer after a wave is playing: a 9 or 0 pressed as it rang plays no other
        )

    # --- the caller's leg ---

    def start(self) -> None:
        """The INVITE was answered: the call's record and first answer, on a flow thread."""
        facts = self.facts
        self.runtime.submit(self, self.prepared(lambda: events.call_started(facts)), self._first)

    def media_ready(self) -> None:
        self.media_up = True
        if self.waiting is not None and not self.ended:
            verbs, self.waiting = self.waiting, None
            self._run(verbs)

    def digit(self, key: str) -> None:
        if self.ended:
            return
        wave = self.wave
        if wave is not None and wave.hears_keys() and key in ("9", "0"):
            # While the wave rings, where its keys work: the flow ends it for the line the caller chose.
            facts, step = self.facts, wave.step
            self.runtime.submit(
                self, self.prepared(lambda: events.ringing_keys(facts, step, key)), self._after_keys
            )
            return
        self.runner.digit(key)

    def caller_ended(self) -> None:
        """The caller's leg is over (they hung up, or the script did)."""
        logger.debug("SIP call %s: the caller's leg ended", self.facts.call_sid)
        if self.ended:
            return
        self.ended = True
        self.runner.stop()
        if self.transfer is not None:
            self.transfer.hang_up()
        if self.wave is not None and not self.wave.done:
            self.wave.caller_gone()
        elif self.bridged is not None:
            self.bridged.hang_up()
        sid, seconds = self.facts.call_sid, int(time.monotonic() - self.started_at)
        self.runtime.submit(self, lambda: events.report_status(sid, "completed", duration_s=seconds), _ignore)

    # --- what the runner hands over ---

    def on_event(self, event: Event, digits: str) -> None:
        logger.debug("SIP call %s: event %s", self.facts.call_sid, event.name)
        if event.name == "fallback_crisis":
            self._play(fallback_crisis_script(self.language))
            return
        facts = self.facts
        self.runtime.submit(
            self, self.prepared(lambda: events.caller_event(facts, event, digits)), self._next
        )

    def on_ring(self, ring: Ring) -> None:
        if ring.event is None:
            self.transfer = _Transfer(self, ring)
            self.transfer.start()
            return
        self.wave = Wave(self, ring)
        self._ringback()
        self.wave.start()

    def on_hangup(self) -> None:
        logger.debug("SIP call %s: hanging up", self.facts.call_sid)
        self.caller.hang_up()

    # --- the wave's and the transfer's ---

    def bridge(self, leg: Leg) -> None:
        """A provider accepted (or a transfer answered): the caller and that leg hear each other."""
        self.runner.stop()
        self.caller.stop_playing()
        self.bridged = leg
        self.caller.connect(leg)

    def wave_over(self, step: int, ending: DialEnd, caller_gone: bool = False) -> None:
        facts = self.facts
        self.runtime.submit(
            self, self.prepared(lambda: events.wave_ended(facts, step, ending)), self._after_wave
        )

    # --- flow answers, applied on the SIP thread ---

    def prepared(self, work: Callable[[], Answer]) -> Callable[[], Prepared]:
        """``work`` (a flow event), then its script with its prompts rendered: all on the flow thread."""
        runtime = self.runtime

        def run() -> Prepared:
            answer = work()
            verbs = script_for(answer)
            runtime.render(verbs)
            return answer, verbs

        return run

    def _first(self, result: Prepared | BaseException) -> None:
        if isinstance(result, (DatabaseError, InterfaceError)):
            # As the Twilio voice webhook: the call is kept in the journal, the worker stores it later.
            facts = self.facts
            self.runtime.submit(self, lambda: events.keep_fallback_call(facts), _ignore)
        self._next(result)

    def _after_keys(self, result: Prepared | BaseException) -> None:
        """The flow's answer to a 9 or 0 pressed while the wave rang: the transfer (every leg is hung up and the
        caller hears it), or the wave again when the key came too late (a provider accepted: nothing changes)."""
        if isinstance(result, BaseException) or not isinstance(result[0].step, Transfer):
            if isinstance(result, BaseException):
                logger.error("SIP call: a key while phones rang failed (%s)", type(result).__name__)
            return
        if self.line_chosen:
            return  # the wave's own end got there first (its answer is this same transfer)
        self.line_chosen = True
        if self.wave is not None:
            self.wave.caller_chose_line()
        self.wave = None
        self._next(result)

    def _after_wave(self, result: Prepared | BaseException) -> None:
        self.wave = None
        self.bridged = None
        if self.line_chosen:
            return  # a 9 or 0 pressed as it rang led the caller on already
        if not isinstance(result, BaseException) and isinstance(result[0].step, Transfer):
            self.line_chosen = True
        self._next(result)

    def _next(self, result: Prepared | BaseException) -> None:
        if self.ended:
            return
        if isinstance(result, BaseException):
            logger.error(
                "SIP call: the call flow failed (%s: %s); the caller gets the fallback",
                type(result).__name__,
                result,
                exc_info=result,
            )
            self._play(fallback_script(self.language))
            return
        answer, verbs = result
        logger.debug("SIP call %s: %s", self.facts.call_sid, type(answer.step).__name__)
        self.language = answer.language
        self._play(verbs)

    def _play(self, verbs: Sequence[Verb]) -> None:
        if self.ended:
            return
        self.caller.stop_playing()
        if not self.media_up:
            self.waiting = tuple(verbs)
            return
        self._run(verbs)

    def _run(self, verbs: Sequence[Verb]) -> None:
        if not self.prompted:
            self.prompted = True
            timing.info(
                "SIP call %s: first prompt %.1f ms after the INVITE (at %s)",
                self.facts.call_sid,
                (time.monotonic() - self.started_at) * 1000,
                dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            )
        self.runner.run(verbs)

    def _ringback(self) -> None:
        tone = self.runtime.ringback()
        if tone is not None:
            self.caller.play(tone, loop=True)


class _Transfer:
    """A transfer to the crisis line or the free helpline: one leg, bridged when it answers; if it cannot be
    placed, is refused or rings out, the caller's script goes on (the numbers to call, goodbye)."""

    def __init__(self, session: Session, ring: Ring) -> None:
        self.session, self.ring = session, ring
        self.leg: Leg | None = None
        self.answered = False
        self.over = False
        self.timer: Timer | None = None

    def start(self) -> None:
        runtime = self.session.runtime
        try:
            uri = destination_uri(self.ring.legs[0].destination, runtime.trunk)
            self.leg = runtime.dial(uri, self, self.session.facts.to_number)
        except (ValueError, IndexError):
            logger.exception("A transfer cannot be dialled")
        if self.leg is None:
            self._failed()
            return
        self.session._ringback()
        self.timer = runtime.clock.after(self.ring.timeout_s, self._rang_out)

    def hang_up(self) -> None:
        self.over = True
        self._stop_timer()
        if self.leg is not None:
            self.leg.hang_up()

    def on_leg_ringing(self, leg: Leg) -> None:
        return None

    def on_leg_answered(self, leg: Leg) -> None:
        logger.debug("SIP transfer answered")
        if self.over or self.session.ended:
            leg.hang_up()
            return
        self.answered = True
        self._stop_timer()
        self.session.bridge(leg)

    def on_leg_digit(self, leg: Leg, digit: str) -> None:
        return None

    def on_leg_ended(self, leg: Leg, code: int, answered: bool) -> None:
        logger.debug("SIP transfer ended (%s)", code)
        self._stop_timer()
        if self.over:
            return
        self.over = True
        if self.answered:
            self.session.on_hangup()  # the conversation is over: so is the call
        else:
            self._failed()

    def _rang_out(self) -> None:
        self.timer = None
        if self.leg is not None:
            self.leg.hang_up()  # its end (487) goes on with the script

    def _failed(self) -> None:
        self.over = True
        session = self.session
        session.transfer = None
        if not session.ended:
            session.caller.stop_playing()
            session.runner.resume()

    def _stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def _ignore(_result: Any) -> None:
    return None
