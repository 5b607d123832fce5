"""Drive one call through its plan: the side effects each next step needs before it is rendered.

Adapters call ``advance`` with the step ``next_step`` returned; it reserves lines and records attempts before a
wave rings (dropping providers whose last line was just taken, and moving on when none is left), and records
transfers. The adapter then renders the returned ``Prepared`` step in its own wire format.

``wave_ended`` is the event "a wave's dial ended": the first report frees the wave and prepares the next step;
a repeated one (Twilio retries a webhook whose answer was slow or lost) prepares the same answer from what the
first one stored, and writes nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from clearline.routing import CRISIS_NUMBER, Dial, Outcome, Plan, Progress, Result, Step, Transfer, next_step
from clearline.telephony import services
from clearline.telephony.models import Call


@dataclass(frozen=True)
class Prepared:
    step: Step
    attempt_ids: dict[str, str] = field(default_factory=dict)
    rang: bool = True  # False when a listing's facility had no verified phone to ring


def advance(call: Call, plan: Plan, step: Step) -> Prepared:
    """Make ``step`` ready to render; a wave whose providers all lost their free line counts as unanswered."""
    if call.number_kind == "listing":
        # A listing number rings its facility: no provider line is held, no provider attempt recorded. Without a
        # verified phone there is nothing to ring: straight to the options (try later, 0 free helpline).
        if isinstance(step, Dial) and not all(t.phone for t in step.targets):
            services.record_listing_result(call, answered=False)
            return Prepared(next_step(plan, Progress(at=step.index), Result(Outcome.FAILED)), rang=False)
        return Prepared(step)
    while isinstance(step, Dial):
        attempts = services.ring_wave(call, step.index, [t.id for t in step.targets])
        if attempts:
            wave = dataclasses.replace(step, targets=tuple(t for t in step.targets if t.id in attempts))
            return Prepared(wave, attempts)
        step = next_step(
            plan, Progress(at=step.index, ring_elapsed_s=call.ring_elapsed_s), Result(Outcome.NO_ANSWER)
        )
    if isinstance(step, Transfer):
        services.record_transfer(call, crisis=step.number == CRISIS_NUMBER)
    return Prepared(step)


def wave_ended(call: Call, plan: Plan, step_index: int, dial_status: str, ring_s: int) -> Prepared:
    """A wave's ``<Dial>`` ended (``dial_status`` as Twilio reports it): the next step, ready to render."""
    ended = services.end_wave(call, step_index, dial_status, ring_s)
    if ended.repeated:
        return _again(call, plan, ended.step)
    return advance(call, plan, ended.step)


def _again(call: Call, plan: Plan, step: Step) -> Prepared:
    """What ``advance`` prepared for ``step`` the first time, read back and not written again: the next wave that
    rang with the attempts it recorded then (the waves it skipped had no free line and recorded none), else the
    step after them. A transfer was recorded the first time; no line is held again, even if one is free now."""
    while isinstance(step, Dial):
        attempts = services.wave_attempts(call, step.index, [t.id for t in step.targets])
        if attempts:
            wave = dataclasses.replace(step, targets=tuple(t for t in step.targets if t.id in attempts))
            return Prepared(wave, attempts)
        step = next_step(
            plan, Progress(at=step.index, ring_elapsed_s=call.ring_elapsed_s), Result(Outcome.NO_ANSWER)
        )
    return Prepared(step)
