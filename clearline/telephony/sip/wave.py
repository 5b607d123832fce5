"""A wave of provider legs, rung at once by the SIP controller, and how it ends. No pjsua2 here.

Every leg rings until a person accepts: a leg that answers hears the whisper (``flow.provider_answered``) and
its key goes to ``flow.provider_pressed``; the first accepted is bridged to the caller and every other leg is
hung up (CANCEL while ringing, BYE while hearing the whisper). A voicemail that answers hears the whisper,
presses nothing and is hung up; the other legs ring on (unlike one Twilio ``<Dial>``, TELEPHONY.md).

Each leg's own end is reported as its status (busy, no-answer, failed, canceled, completed) through the journal's
status event, as Twilio's per-leg status callbacks are. The wave's end goes to ``flow.wave_ended``:

- a leg accepted: when the bridged conversation ends, ``ANSWERED`` (the flow answers ``Connect``: hang up);
- the ring time passed: ringing legs are cancelled; once no leg is still hearing the whisper, ``NO_ANSWER``
  (``ANSWERED`` if a leg answered and pressed nothing: declined, as a voicemail);
- every leg ended first: ``ANSWERED`` if one answered, else ``NO_ANSWER`` if one rang out, else ``BUSY`` if
  one was busy, else ``FAILED``;
- the caller hung up: every leg is cancelled, ``CANCELED``;
- the caller pressed 9 or 0, where the wave's keys work while it rings (``Ring.caller_keys``): the flow ends the
  wave itself (``flow.ringing_keys_pressed``), every leg is cancelled and the caller hears the transfer.

A listing's facility (a ``Ring`` leg without whisper) is bridged as soon as it answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clearline.telephony.answers import Answer, WhisperResult
from clearline.telephony.services import DialEnd
from clearline.telephony.sip import events
from clearline.telephony.sip.legs import Leg, Runtime, unanswered_status
from clearline.telephony.sip.runner import ScriptRunner, Timer
from clearline.telephony.sip.script import Event, Ring, destination_uri
from clearline.telephony.sip.script import Leg as Destination

if TYPE_CHECKING:
    from clearline.telephony.sip.session import Session

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class WaveLeg:
    destination: Destination
    leg: Leg | None = None
    state: str = "calling"  # calling, ringing, answered (hearing the whisper), accepted, ended
    status: str = ""  # the final status reported for it
    runner: ScriptRunner | None = None
    owner: Any = field(default=None, repr=False)
    early: str = ""  # keys pressed before the whisper was ready to listen: given to it when it starts


class Wave:
    def __init__(self, session: Session, ring: Ring) -> None:
        self.session, self.ring = session, ring
        self.runtime: Runtime = session.runtime
        self.step = ring.event.step if ring.event is not None and ring.event.step is not None else 0
        self.legs = [WaveLeg(d) for d in ring.legs]
        self.winner: WaveLeg | None = None
        self.timed_out = False
        self.done = False
        self.timer: Timer | None = None

    # --- start, and the caller's side ---

    def start(self) -> None:
        for wave_leg in self.legs:
            try:
                uri = destination_uri(wave_leg.destination.destination, self.runtime.trunk)
                wave_leg.leg = self.runtime.dial(uri, _Listener(self, wave_leg), self.session.facts.to_number)
            except ValueError:
                logger.exception("A wave leg cannot be dialled")
            if wave_leg.leg is None:
                self._ended(wave_leg, "failed")
        self.timer = self.runtime.clock.after(self.ring.timeout_s, self._ring_time_over)
        self._check_over()

    def caller_gone(self) -> None:
        """The caller hung up: the wave ends as canceled (unless bridged), then every leg still up is hung up (in
        that order, so the attempts say the caller left, not that another provider accepted)."""
        self._stop_timer()
        if not self.done:
            self.done = True
            ending = DialEnd.ANSWERED if self.winner is not None else DialEnd.CANCELED
            self.session.wave_over(self.step, ending, caller_gone=True)
        for wave_leg in self.legs:
            if wave_leg.state in ("calling", "ringing", "answered"):
                self._hang_up(wave_leg, "canceled")
        if self.winner is not None and self.winner.state == "accepted":
            self._hang_up(self.winner, "completed")

    def hears_keys(self) -> bool:
        """Whether the caller's 9 and 0 work now: while it rings, where the wave says so, and nobody accepted."""
        return self.ring.caller_keys and not self.done and self.winner is None

    def caller_chose_line(self) -> None:
        """The caller pressed 9 or 0 while it rang, and the flow ended the wave for that line: every leg still
        up is hung up (reported canceled); the wave's end is not reported again."""
        self._stop_timer()
        self.done = True
        for wave_leg in self.legs:
            if wave_leg.state in ("calling", "ringing", "answered"):
                self._hang_up(wave_leg, "canceled")

    # --- each leg ---

    def leg_ringing(self, wave_leg: WaveLeg) -> None:
        if wave_leg.state == "calling":
            wave_leg.state = "ringing"

    def leg_answered(self, wave_leg: WaveLeg) -> None:
        logger.debug("SIP wave %s: attempt %s answered", self.step, wave_leg.destination.attempt)
        if wave_leg.state not in ("calling", "ringing"):
            return
        if self.done or self.winner is not None:
            self._hang_up(wave_leg, "completed")  # too late: someone took the call
            return
        wave_leg.state = "answered"
        attempt = wave_leg.destination.attempt
        if not wave_leg.destination.whisper or attempt is None:
            self._accept(wave_leg)
            return
        owner = _WhisperOwner(self, wave_leg)
        wave_leg.owner = owner
        assert wave_leg.leg is not None
        wave_leg.runner = ScriptRunner(wave_leg.leg, self.runtime.clock, self.runtime.prompt_files, owner)
        self.runtime.submit(
            self.session, self.session.prepared(lambda: events.provider_answered(attempt)), owner.whisper
        )

    def leg_digit(self, wave_leg: WaveLeg, digit: str) -> None:
        logger.debug("SIP wave %s: attempt %s pressed a key", self.step, wave_leg.destination.attempt)
        if wave_leg.runner is not None and wave_leg.state == "answered":
            if wave_leg.runner.gather is None and not wave_leg.runner.verbs:
                wave_leg.early += digit  # the whisper is still being fetched
                return
            wave_leg.runner.digit(digit)

    def leg_ended(self, wave_leg: WaveLeg, code: int, answered: bool) -> None:
        logger.debug("SIP wave %s: attempt %s ended (%s)", self.step, wave_leg.destination.attempt, code)
        if wave_leg.runner is not None:
            wave_leg.runner.stop()
        if wave_leg.state == "ended":
            return  # ended by us: reported then
        if wave_leg is self.winner:
            wave_leg.state = "ended"
            self._report(wave_leg, "completed")
            if not self.done:
                self.done = True
                self.session.wave_over(self.step, DialEnd.ANSWERED)
            return
        self._ended(wave_leg, "completed" if answered else unanswered_status(code))

    # --- how the wave ends ---

    def _accept(self, wave_leg: WaveLeg) -> None:
        if self.done or self.winner is not None or self.session.ended:
            self._hang_up(wave_leg, "completed")
            return
        self.winner = wave_leg
        wave_leg.state = "accepted"
        self._stop_timer()
        for other in self.legs:
            if other is not wave_leg and other.state in ("calling", "ringing", "answered"):
                self._hang_up(other, "canceled")
        assert wave_leg.leg is not None
        self.session.bridge(wave_leg.leg)

    def _ring_time_over(self) -> None:
        self.timer = None
        self.timed_out = True
        for wave_leg in self.legs:
            if wave_leg.state in ("calling", "ringing"):
                self._hang_up(wave_leg, "no-answer")
        self._check_over()

    def _check_over(self) -> None:
        if self.done or self.winner is not None:
            return
        if any(w.state in ("calling", "ringing", "answered") for w in self.legs):
            return
        self.done = True
        self._stop_timer()
        self.session.wave_over(self.step, self.ending())

    def ending(self) -> DialEnd:
        statuses = {w.status for w in self.legs}
        if "completed" in statuses:
            return DialEnd.ANSWERED  # a leg answered and nobody pressed 1: declined (voicemail)
        if self.timed_out or "no-answer" in statuses:
            return DialEnd.NO_ANSWER
        if "busy" in statuses:
            return DialEnd.BUSY
        return DialEnd.FAILED

    def _hang_up(self, wave_leg: WaveLeg, status: str) -> None:
        if wave_leg.runner is not None:
            wave_leg.runner.stop()
        was_up = wave_leg.state != "ended"
        wave_leg.state = "ended"
        if was_up:
            wave_leg.status = status
            self._report(wave_leg, status)
        if wave_leg.leg is not None:
            wave_leg.leg.hang_up()

    def _ended(self, wave_leg: WaveLeg, status: str) -> None:
        wave_leg.state, wave_leg.status = "ended", status
        self._report(wave_leg, status)
        self._check_over()

    def _report(self, wave_leg: WaveLeg, status: str) -> None:
        attempt = wave_leg.destination.attempt
        if attempt is None:
            return
        sid = self.session.facts.call_sid
        self.runtime.submit(self.session, lambda: events.report_status(sid, status, attempt=attempt), _ignore)

    def _stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def _ignore(_result: Any) -> None:
    return None


class _Listener:
    def __init__(self, wave: Wave, wave_leg: WaveLeg) -> None:
        self.wave, self.wave_leg = wave, wave_leg

    def on_leg_ringing(self, leg: Leg) -> None:
        self.wave.leg_ringing(self.wave_leg)

    def on_leg_answered(self, leg: Leg) -> None:
        self.wave.leg_answered(self.wave_leg)

    def on_leg_digit(self, leg: Leg, digit: str) -> None:
        self.wave.leg_digit(self.wave_leg, digit)

    def on_leg_ended(self, leg: Leg, code: int, answered: bool) -> None:
        self.wave.leg_ended(self.wave_leg, code, answered)


class _WhisperOwner:
    """The provider's leg's script: the whisper, its key to ``flow.provider_pressed``, its hang-up."""

    def __init__(self, wave: Wave, wave_leg: WaveLeg) -> None:
        self.wave, self.wave_leg = wave, wave_leg

    def whisper(self, prepared: Any) -> None:
        runner = self.wave_leg.runner
        if self.wave_leg.state != "answered" or runner is None:
            return
        if isinstance(prepared, BaseException):
            logger.error("The whisper failed (%s); that leg is hung up", type(prepared).__name__)
            self.wave._hang_up(self.wave_leg, "completed")
            self.wave._check_over()
            return
        runner.run(prepared[1])
        early, self.wave_leg.early = self.wave_leg.early, ""
        for digit in early:
            runner.digit(digit)

    def on_event(self, event: Event, digits: str) -> None:
        attempt = self.wave_leg.destination.attempt
        if event.name != "whisper_accept" or attempt is None:
            self.on_hangup()
            return
        self.wave.runtime.submit(
            self.wave.session,
            lambda: events.provider_pressed(attempt, digits),
            self.pressed,
        )

    def pressed(self, answered: Answer | BaseException) -> None:
        if self.wave_leg.state != "answered":
            return
        if (
            isinstance(answered, Answer)
            and isinstance(answered.step, WhisperResult)
            and answered.step.accepted
        ):
            self.wave._accept(self.wave_leg)
            return
        if isinstance(answered, BaseException):
            logger.error(
                "A provider's key could not be applied (%s); that leg is hung up", type(answered).__name__
            )
        self.on_hangup()  # refused, or too late: the refusal's TwiML is a hang-up too

    def on_ring(self, ring: Ring) -> None:
        self.on_hangup()

    def on_hangup(self) -> None:
        self.wave._hang_up(self.wave_leg, "completed")
        self.wave._check_over()
