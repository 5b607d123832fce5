"""Simulated callers and provider staff for the demo's month of calls (``clearline.demo.calls``).

Each call is a generator (``call_script``) that drives the call flow (``clearline.telephony.flow``) the way the
staff call simulator does (``clearline.telephony.simulation``), event by event, each at its simulated moment
(``now``), and yields the moment it wants to go on at; ``calls.run`` interleaves every call's events in time
order, so calls overlap, hold lines and count against each other as live calls do. Callbacks have a script too
(``callback_script``): the provider returns them on time, late or never (then the deadline job moves them on).

Everything is drawn from one seeded ``random.Random``: the same seed and moment give the same month.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass

from clearline.routing import CallbackOffer, Dial, ListingOptions, Transfer
from clearline.telephony import flow, journal, keys
from clearline.telephony.answers import Answer, AskNumber, AskPlace, CallbackGiven, Greeting
from clearline.telephony.callback_actions import CallbackError, record_callback_outcome
from clearline.telephony.callback_deadlines import enforce_callback_deadlines
from clearline.telephony.models import CallbackRequest, CallbackStatus

Script = Iterator[dt.datetime]
# A wave: yields moments; returns when it ended, the flow's next answer (None: the call is over), seconds of talk.
Wave = Generator[dt.datetime, None, tuple[dt.datetime, Answer | None, float]]
S = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class Staff:
    """How one provider's staff behave: answering a ring, and returning a callback."""

    answer: float  # chance a ringing offer is accepted (press 1)
    delay_s: float  # mean time to accept
    voicemail: float  # chance voicemail picks up (and never presses 1)
    busy: float  # chance the line reports busy at once
    on_time: float  # chance a callback is returned before its deadline
    late: float  # chance it is returned after it (the rest: never; the deadline job reassigns it)


STAFF = {
    "cedar-harbor": Staff(0.82, 7, 0.03, 0.02, 0.84, 0.08),
    "mesa-verde-health": Staff(0.72, 9, 0.04, 0.03, 0.76, 0.12),
    "riverbend-center": Staff(0.62, 11, 0.06, 0.04, 0.66, 0.16),
}
DEFAULT_STAFF = Staff(0.7, 9, 0.04, 0.03, 0.75, 0.12)
# Callers' states (weights): mostly where the regional demo providers work (Cedar Harbor takes any state).
CALLER_STATES = {
    "WA": 24, "OR": 10, "AZ": 9, "NM": 3, "OH": 14, "KY": 5, "IN": 5, "CA": 1, "TX": 1, "FL": 1, "NY": 1,
}  # fmt: skip
# Which numbers they call, by the number's intent: mostly the topic pages' detox and rehabilitation numbers.
INTENT_WEIGHTS = {"detox": 2.0, "rehabilitation": 3.0, "hotline": 1.0}
AREA_CODES = {
    "WA": "206", "OR": "503", "AZ": "602", "NM": "505", "OH": "614", "KY": "502", "IN": "317", "CA": "213",
    "TX": "512", "FL": "305", "NY": "518",
}  # fmt: skip
# A typical ZIP code of each state, for callers who type one at the ZIP prompt.
ZIP_CODES = {
    "WA": "98101", "OR": "97205", "AZ": "85004", "NM": "87102", "OH": "43215", "KY": "40202", "IN": "46204",
    "CA": "90012", "TX": "78701", "FL": "33130", "NY": "12207",
}  # fmt: skip
UNKNOWN_STATE = 0.15  # callers whose number carries no state (the flow asks them for a ZIP code)
TYPES_ZIP = 0.5  # ... of whom this share types one; the others skip the prompt
CRISIS_PRESS = 0.015  # callers who press 9 during the greeting
FREE_PRESS = 0.025  # ... or 0
CALLBACK_ACCEPT = 0.7
PATIENCE_S = 100.0  # mean (gamma, shape 2), from the end of the greeting
TALK_S = 420.0  # mean conversation (exponential), capped at MAX_TALK_S
MAX_TALK_S = 40 * 60.0
FACILITY_ANSWERS = 0.7  # a listing number's facility picks up


@dataclass
class Caller:
    call_sid: str
    to_number: str
    number: str
    state: str  # where the caller is
    listing: bool
    state_shown: bool = True  # whether the caller ID carries the state (else the flow may ask for a ZIP code)


def new_caller(rng: random.Random, call_sid: str, general: dict[str, str], listing: list[str]) -> Caller:
    """A caller: their state and number, and the number they call (``general``: number -> intent)."""
    state = rng.choices(list(CALLER_STATES), list(CALLER_STATES.values()))[0]
    # Fictional: 555-0170 to 555-0199, above every number the demo gives helplines, providers and facilities.
    number = f"+1{AREA_CODES[state]}555{170 + rng.randrange(100) % 30:04d}"  # one draw, as before: same month
    to_listing = bool(listing) and rng.random() < 0.08
    if to_listing:
        to_number = rng.choice(listing)
    else:
        numbers = sorted(general)
        to_number = rng.choices(numbers, [INTENT_WEIGHTS.get(general[n], 1.0) for n in numbers])[0]
    return Caller(call_sid, to_number, number, state, to_listing, rng.random() >= UNKNOWN_STATE)


class Calls:
    """What every script shares: the random draws, the provider staff, where callbacks are handed on."""

    def __init__(
        self,
        rng: random.Random,
        staff_of: Callable[[str], Staff],
        spawn: Callable[[Script], None],
        clock: Callable[[], dt.datetime],
        open_at: Callable[[str, dt.datetime], bool],
    ) -> None:
        self.rng = rng
        self.staff_of = staff_of
        self.spawn = spawn  # start another script (a callback's) from now on
        self.clock = clock  # the simulated moment now
        self.open_at = open_at  # whether a provider (by id) is open at a moment

    # -- the call ------------------------------------------------------------------------------------------

    def call_script(self, caller: Caller, start: dt.datetime) -> Script:
        rng = self.rng
        t = start
        answer: Answer | None = flow.call_started(
            call_sid=caller.call_sid,
            to_number=caller.to_number,
            caller_number=caller.number,
            caller_state=caller.state if caller.state_shown else "",
            now=t,
        )
        patience = rng.gammavariate(2.0, PATIENCE_S / 2.0)
        hang_up_at: dt.datetime | None = None
        talked = 0.0
        while answer is not None:
            step = answer.step
            if isinstance(step, AskPlace):
                t += 8 * S
                yield t
                answer = flow.place_entered(
                    call_sid=caller.call_sid,
                    digits=ZIP_CODES[caller.state] if rng.random() < TYPES_ZIP else "",
                    to_number=caller.to_number,
                    caller_number=caller.number,
                    now=t,
                )
            elif isinstance(step, Greeting):
                t += rng.uniform(25, 40) * S
                yield t
                hang_up_at = t + patience * S
                draw = rng.random()
                digits = "9" if draw < CRISIS_PRESS else "0" if draw < CRISIS_PRESS + FREE_PRESS else ""
                answer = flow.menu_pressed(call_sid=caller.call_sid, digits=digits, now=t)
            elif isinstance(step, Dial) and answer.listing:
                answered = rng.random() < FACILITY_ANSWERS
                t += (rng.uniform(4, 15) if answered else step.ring_timeout_s) * S
                yield t
                ending = flow.DialEnd.ANSWERED if answered else flow.DialEnd.NO_ANSWER
                answer = flow.wave_ended(
                    call_sid=caller.call_sid, step_index=step.index, ending=ending, now=t
                )
                talked = self.talk() if answered else 0.0
            elif isinstance(step, Dial):
                wave = yield from self.ring(caller, step, answer.attempt_ids, t, hang_up_at)
                t, answer, talked = wave
            elif isinstance(step, CallbackOffer):
                t += rng.uniform(8, 14) * S
                yield t
                accepts = rng.random() < CALLBACK_ACCEPT
                answer = flow.callback_pressed(
                    call_sid=caller.call_sid,
                    digits=keys.CALLBACK_DIGIT if accepts else "",
                    caller_number=caller.number,
                    now=t,
                )
                if isinstance(answer.step, CallbackGiven):
                    self.spawn(self.callback_script(caller.call_sid))
                    answer = None
            elif isinstance(step, ListingOptions):
                t += 10 * S
                yield t
                if rng.random() < 0.2:
                    flow.options_pressed(call_sid=caller.call_sid, digits="0", now=t)
                    talked = rng.uniform(120, 600)  # on the free helpline
                answer = None
            elif isinstance(step, AskNumber):  # not reached: every demo caller's number is shown
                answer = None
            else:
                if isinstance(step, Transfer):
                    talked = rng.uniform(120, 900)  # on the free or crisis line
                answer = None
        t += (talked + 3) * S
        yield t
        self.status(caller.call_sid, "completed", t, duration=int((t - start).total_seconds()))

    def ring(
        self,
        caller: Caller,
        dial: Dial,
        attempt_ids: Mapping[str, str],
        t: dt.datetime,
        hang_up_at: dt.datetime | None,
    ) -> Wave:
        """One wave: each leg accepts, rings out, is busy or reaches voicemail; the caller may hang up first.
        Returns (when the wave ended, the flow's next answer or None, seconds of conversation)."""
        rng = self.rng
        attempts = dict(attempt_ids)
        legs = []
        for target in dial.targets:
            staff = self.staff_of(target.id)
            draw = rng.random()
            delay = rng.expovariate(1.0 / staff.delay_s)
            kind = (
                "busy"
                if draw < staff.busy
                else "voicemail"
                if draw < staff.busy + staff.voicemail
                else "accept"
                if draw < staff.busy + staff.voicemail + staff.answer and delay < dial.ring_timeout_s
                else "no-answer"
            )
            legs.append((attempts[target.id], kind, min(delay, dial.ring_timeout_s - 1)))
        accepting = sorted((delay, attempt) for attempt, kind, delay in legs if kind == "accept")
        end = t + dial.ring_timeout_s * S
        winner = accepting[0] if accepting else None
        if winner is not None and (hang_up_at is None or t + winner[0] * S < hang_up_at):
            end = t + winner[0] * S
        elif hang_up_at is not None and hang_up_at < end:
            yield hang_up_at
            flow.wave_ended(
                call_sid=caller.call_sid, step_index=dial.index, ending=flow.DialEnd.CANCELED, now=hang_up_at
            )
            return hang_up_at, None, 0.0
        else:
            winner = None
        for attempt, kind, delay in legs:
            if kind == "busy":
                self.status(caller.call_sid, "busy", t + S, attempt=attempt)
            elif kind == "voicemail" and t + delay * S < end:
                flow.provider_answered(attempt_id=int(attempt))
                self.status(caller.call_sid, "completed", t + (delay + 4) * S, attempt=attempt)
        yield end
        if winner is not None:
            flow.provider_answered(attempt_id=int(winner[1]))
            # The others stop ringing (their legs' "canceled" statuses would change nothing more).
            flow.provider_pressed(attempt_id=int(winner[1]), digits=keys.ACCEPT_DIGIT, now=end)
            flow.wave_ended(
                call_sid=caller.call_sid, step_index=dial.index, ending=flow.DialEnd.ANSWERED, now=end
            )
            return end, None, self.talk()
        for attempt, kind, _delay in legs:
            if kind in ("accept", "no-answer"):
                self.status(caller.call_sid, "no-answer", end, attempt=attempt)
        everyone_busy = all(kind == "busy" for _attempt, kind, _delay in legs)
        ending = flow.DialEnd.BUSY if everyone_busy else flow.DialEnd.NO_ANSWER
        answer = flow.wave_ended(call_sid=caller.call_sid, step_index=dial.index, ending=ending, now=end)
        return end, answer, 0.0

    def talk(self) -> float:
        return min(MAX_TALK_S, 45 + self.rng.expovariate(1.0 / TALK_S))

    def status(
        self,
        call_sid: str,
        status: str,
        at: dt.datetime,
        *,
        attempt: str | None = None,
        duration: int | None = None,
    ) -> None:
        """A status callback, as the webhook applies it (a leg's with ``attempt``)."""
        event = journal.status_event(
            call_sid=call_sid,
            status=status,
            attempt=attempt,
            duration=None if duration is None else str(duration),
            received_at=at,
        )
        flow.status_changed(event)

    # -- callbacks -----------------------------------------------------------------------------------------

    def callback_script(self, call_sid: str) -> Script:
        """The provider holding the callback returns it on time, late, or never; the deadline job (run by
        ``calls.run`` each minute a deadline passes) moves a forgotten one to a backup, who then gets a turn."""
        rng = self.rng
        seen: tuple[int, int] | None = None
        for _turn in range(8):
            callback = (
                CallbackRequest.objects.select_related("provider").filter(call__call_sid=call_sid).first()
            )
            if callback is None or callback.status != CallbackStatus.OPEN:
                return
            holder = (callback.provider_id, callback.reassignments)
            if holder == seen:  # forgotten: the deadline job moves it on when it runs after the deadline
                job = max(callback.due_at, self.clock()) + 60 * S
                yield job
                enforce_callback_deadlines(now=job)
                continue
            seen = holder
            staff = self.staff_of(str(callback.provider_id))
            draw = rng.random()
            start = callback.created_at
            if callback.reassignments:  # the backup's turn began when the job gave it its own minutes
                start = callback.due_at - callback.provider.callback_minutes * 60 * S
            if draw < staff.on_time:
                span = max(60.0, (callback.due_at - start).total_seconds() - 30)
                when = start + rng.uniform(45, span) * S
            elif draw < staff.on_time + staff.late:  # after the deadline, before the job moves it on
                when = callback.due_at + rng.uniform(20, 55) * S
            else:
                continue  # never returned by this provider
            if not self.open_at(str(callback.provider_id), when):
                continue  # the staff went home first: the deadline job moves it on
            yield when
            try:
                record_callback_outcome(
                    callback.pk,
                    callback.provider_id,
                    rng.choice(("reached", "reached", "reached", "no_answer")),
                    reassignments=callback.reassignments,
                    now=when,
                )
            except CallbackError:  # moved on to a backup meanwhile
                continue
            return
