"""What-if replay: plan recorded calls again under other settings, and what would likely have happened.

Pure: the telephony side reads the calls (``RecordedCall``: the decision's recorded inputs, the rings, what the
caller did) and the command or admin page prints ``replay_figures.summarise``. For each call, in order:

1. **The plan** is ``plan_call`` on the call's recorded inputs (``recorded.read_inputs``) with the proposed
   policy (the call's own disclosure version), its recorded time and seed; providers named in ``paused`` are
   paused. The rotation state is carried over: each provider's share credit is its recorded credit plus what the
   replayed decisions earlier in the same rotation period changed differently from the recorded ones, and its
   last offer is the later of its latest replayed offer and any recorded offer outside the replay. With the
   recorded settings nothing differs, so every plan is the recorded one, offer for offer.
2. **Who answers.** A provider rung in the same call in reality answers as it did (accepted after the recorded
   delay, within the wave's ring time; or not); one that had no free line is busy again (in the same wave, or, if
   it never rang on that call, in any). Any other ring is answered with the provider's observed chance in the
   replayed period of accepting within the ring time (``Behaviour``), after its average accepted delay. A wave is
   answered when any of its providers answers.
3. **The caller.** One who left (hung up, or pressed 9 or 0) after some seconds leaves after as many again; one who
   reached a human or a callback offer waits as long as it takes. At a callback offer the caller decides as they
   did, or, if they never heard one, with the period's observed acceptance rate; the callback is returned on time
   as it was (same provider) or with the provider's observed on-time rate.

Results are expectations (probabilities summed over calls), so an unchanged setting reproduces the recorded
figures exactly and a change shows the expected difference. Lines in use, daily counts and pauses are those
recorded: a change that would have kept providers busier is not fed back into later calls.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from clearline.routing.ordering import share_credit_changes
from clearline.routing.outcomes import next_step
from clearline.routing.plans import plan_call
from clearline.routing.recorded import PlanInputs
from clearline.routing.steps import (
    CallbackOffer,
    Dial,
    DialTarget,
    Disclosure,
    Menu,
    Outcome,
    Plan,
    Progress,
    Result,
    Step,
    Transfer,
)
from clearline.routing.types import RoutingPolicy

# Seconds between one wave's end and the next wave's ringing (its announcement), when not recorded.
WAVE_GAP_S = 3.0
# Seconds a provider who picked up before the ring time ran out may take to hear the whisper and press 1: the
# recorded acceptance delays run from ringing to pressing 1.
WHISPER_S = 8.0


@dataclass(frozen=True, slots=True)
class Ring:
    """One provider rung in one wave of a recorded call (an attempt)."""

    provider_id: str
    wave: int  # 1-based, in the recorded plan
    after_s: float  # when it started ringing, seconds after the call's routing started
    answered_after_s: float | None  # it accepted this long after it started ringing; None: it did not
    decided: bool  # the answer is known (not stopped because another accepted, or the caller left)
    caller_left: bool = False  # still ringing when the caller left: it did not answer in the time it rang


@dataclass(frozen=True, slots=True)
class RecordedCall:
    call_id: str
    at: datetime
    seed: int
    inputs: (
        PlanInputs | None
    )  # None: not loaded (yet); enough for ``observed_behaviour`` and the recorded figures
    period: str  # the rotation-credit period (credit carry-over starts again with a new one)
    waves: tuple[tuple[str, ...], ...]  # the recorded plan's waves
    eligible: tuple[str, ...]
    callback_provider: str | None  # the recorded plan's callback assignee
    credited: bool = (
        True  # the recorded decision changed the rotation credit (not when the caller left at the ZIP
    )
    # prompt, before any plan was final)
    rings: tuple[Ring, ...] = ()
    skipped: frozenset[tuple[str, int]] = (
        frozenset()
    )  # (provider, wave) planned, reached, not rung: no free line
    left_after_s: float | None = None  # the caller left before a human or a callback offer, after this long
    # At the recorded callback offer: "accepted", "declined" (or pressed 9/0), "left" (hung up); None: never heard one
    callback_answer: str | None = None
    callback_by: str | None = None  # who had the recorded callback
    callback_on_time: bool | None = None  # returned before its deadline; None: still open


@dataclass(frozen=True, slots=True)
class ProviderBehaviour:
    answer_rate: float  # accepted / rings whose answer is known
    delays: tuple[float, ...]  # seconds to accept, sorted
    callback_on_time: float


@dataclass(frozen=True)
class Behaviour:
    providers: Mapping[str, ProviderBehaviour]
    overall: ProviderBehaviour
    callback_accept_rate: float
    greeting_s: float  # from routing start to the first wave ringing (the greeting), median of the period

    def of(self, provider_id: str) -> ProviderBehaviour:
        return self.providers.get(provider_id, self.overall)


@dataclass
class Replayed:
    """One call replayed: the plan, and what was expected of it (probabilities, summed over calls in figures)."""

    call_id: str
    waves: tuple[tuple[str, ...], ...]
    eligible: tuple[str, ...]
    callback_provider: str | None
    offers: dict[str, float] = field(default_factory=dict)  # expected rings per provider
    likely_offers: list[tuple[int, str, float]] = field(default_factory=list)  # (wave, provider, after_s)
    answered: float = 0.0  # chance a human accepted live
    human_after_s: float = 0.0  # expected seconds from routing start to that human, given one accepted
    callback: float = 0.0  # chance of a callback request
    returned: float = 0.0  # ... returned on time
    free_line: float = 0.0  # ended at the free helpline (callback declined or none offered)
    left: float = 0.0  # the caller left before a human or a callback


def observed_behaviour(calls: Sequence[RecordedCall]) -> Behaviour:
    """Each provider's answers and callbacks in the period, and everyone's together for providers not seen."""
    rings: dict[str, list[float | None]] = {}
    callbacks: dict[str, list[bool]] = {}
    offered = accepted = 0
    for c in calls:
        for r in c.rings:
            if r.decided:
                rings.setdefault(r.provider_id, []).append(r.answered_after_s)
        if c.callback_answer is not None:
            offered += 1
            accepted += c.callback_answer == "accepted"
        if c.callback_by is not None and c.callback_on_time is not None:
            callbacks.setdefault(c.callback_by, []).append(c.callback_on_time)
    every_ring = [a for answers in rings.values() for a in answers]
    every_callback = [ok for results in callbacks.values() for ok in results]
    overall = _behaviour(every_ring, every_callback, None)
    ids = set(rings) | set(callbacks)
    firsts = sorted(
        min(r.after_s for r in c.rings if r.wave == 1) for c in calls if any(r.wave == 1 for r in c.rings)
    )
    return Behaviour(
        {pid: _behaviour(rings.get(pid, []), callbacks.get(pid, []), overall) for pid in ids},
        overall,
        accepted / offered if offered else 0.5,
        firsts[len(firsts) // 2] if firsts else 0.0,
    )


def _behaviour(
    answers: Sequence[float | None], on_time: Sequence[bool], fallback: ProviderBehaviour | None
) -> ProviderBehaviour:
    """From a provider's own rings and callbacks; what it has none of comes from ``fallback`` (everyone's)."""
    delays = tuple(sorted(a for a in answers if a is not None))
    rate = len(delays) / len(answers) if answers else (fallback.answer_rate if fallback else 0.0)
    if not delays and fallback is not None:
        delays = fallback.delays  # how fast it would answer, if it ever does: as everyone
    returned = sum(on_time) / len(on_time) if on_time else (fallback.callback_on_time if fallback else 1.0)
    return ProviderBehaviour(rate, delays, returned)


def replay_call(
    call: RecordedCall,
    inputs: PlanInputs,
    policy: RoutingPolicy,
    behaviour: Behaviour,
) -> Replayed:
    """Plan ``call`` from ``inputs`` (its recorded inputs, perhaps adjusted) under ``policy`` and follow it."""
    policy = replace(policy, disclosure_version=inputs.policy.disclosure_version)
    decision = plan_call(inputs.call, inputs.providers, policy, call.at, call.seed)
    plan, trace = decision.plan, decision.trace
    out = Replayed(call.call_id, trace.waves, trace.eligible_ids, trace.callback_provider_id)
    known = {(r.provider_id, r.wave): r for r in call.rings}
    by_provider = {r.provider_id: r for r in call.rings if r.decided}
    leaves = call.left_after_s
    busy = {pid for pid, _wave in call.skipped} - {r.provider_id for r in call.rings}
    step: Step = plan.first_dial() or plan.terminal
    reach, elapsed, same = 1.0, 0.0, True
    clock = reached = behaviour.greeting_s  # when the next wave rings / the terminal step is reached
    while isinstance(step, Dial) and reach > 0 and (leaves is None or clock < leaves):
        targets = [t.id for t in step.targets]
        same = same and step.wave <= len(call.waves) and set(targets) == set(call.waves[step.wave - 1])
        recorded = [r for r in call.rings if r.wave == step.wave] if same else []
        if recorded:
            clock = min(r.after_s for r in recorded)
        if same:  # the recorded wave: who had no free line then has none now
            ringing = [pid for pid in targets if (pid, step.wave) not in call.skipped]
        else:  # another wave: busy if it had no free line in this call and never rang in it
            ringing = [pid for pid in targets if pid not in busy]
        if ringing:
            timeout = float(step.ring_timeout_s)
            window = timeout if leaves is None else min(timeout, leaves - clock)
            chances = []
            for pid in ringing:
                out.offers[pid] = out.offers.get(pid, 0.0) + reach
                ring = known.get((pid, step.wave)) if same else None
                if reach >= 0.5:
                    out.likely_offers.append((step.wave, pid, ring.after_s if ring else clock))
                was = ring if ring is not None and ring.decided else by_provider.get(pid)
                full = ring is not None and window >= inputs.policy.ring_timeout_s
                chances.append(_answer(was, ring, behaviour.of(pid), clock, window, full))
            none = math.prod(1.0 - p for p, _ in chances)
            sure = [at for p, at in chances if p == 1.0]
            if none < 1.0:
                at = min(sure) if sure else sum(p * at for p, at in chances) / sum(p for p, _ in chances)
                out.human_after_s += reach * (1.0 - none) * at
                out.answered += reach * (1.0 - none)
            reach *= none
            elapsed += timeout
            reached = clock + timeout
            clock = reached + WAVE_GAP_S
        step = next_step(plan, Progress(at=step.index, ring_elapsed_s=elapsed), Result(Outcome.NO_ANSWER))
    if out.answered:
        out.human_after_s /= out.answered
    if reach <= 0:
        return out
    if isinstance(step, Dial) or (leaves is not None and reached >= leaves):
        out.left = reach  # gone before the waves were over
    elif isinstance(step, CallbackOffer):
        answer = call.callback_answer if step.provider_id == call.callback_provider else None
        if answer == "left":
            out.left = reach
            return out
        accept = float(answer == "accepted") if answer is not None else behaviour.callback_accept_rate
        if answer is not None:
            # The offer the caller heard: returned as it was (one still open counts as not returned yet).
            on_time = float(bool(call.callback_on_time))
        else:
            on_time = behaviour.of(step.provider_id).callback_on_time
        out.callback = reach * accept
        out.returned = reach * accept * on_time
        out.free_line = reach * (1.0 - accept)
    else:
        out.free_line = reach
    return out


def past_the_waves(
    waves: Sequence[Sequence[str]],
    policy: RoutingPolicy,
    terminal: str,
    step_index: int,
    ring_elapsed_s: float,
) -> bool:
    """Whether a recorded call got past its waves to the terminal step (the callback offer or the free helpline):
    ``step_index`` is the step after the last wave that ended, as the call record keeps it. Told by ``next_step``
    over the plan's shape as the trace records it (the stored plan itself is erased after a while; the trace is
    kept): greeting 0, menu 1, one ``Dial`` per wave, then ``terminal``."""
    if not waves:
        return True
    if step_index <= FIRST_DIAL:
        return False
    plan = _plan_shape(waves, policy, terminal)
    after = next_step(plan, Progress(step_index - 1, ring_elapsed_s), Result(Outcome.NO_ANSWER))
    return after is plan.terminal


FIRST_DIAL = 2  # the index of a helpline plan's first Dial: after the greeting (0) and the menu (1)


def _plan_shape(waves: Sequence[Sequence[str]], policy: RoutingPolicy, terminal: str) -> Plan:
    steps: list[Step] = [Disclosure(policy.disclosure_version, (), "", index=0), Menu(index=1)]
    for number, wave in enumerate(waves, start=1):
        targets = tuple(DialTarget(pid, pid) for pid in wave)
        steps.append(Dial(len(steps), number, targets, policy.ring_timeout_s, True, True, ""))
    if terminal == "callback_offer":
        steps.append(CallbackOffer(len(steps), "", "", datetime.min, policy.callback_deadline_min, ""))
    else:
        steps.append(Transfer("", "", ""))
    return Plan("", "helpline", tuple(steps), policy.ring_budget_s, policy.version)


def _answer(
    known: Ring | None, here: Ring | None, b: ProviderBehaviour, clock: float, window: float, full: bool
) -> tuple[float, float]:
    """(chance of accepting a ring at ``clock`` that lasts ``window`` seconds, seconds after routing start when it
    does). ``known``: how the provider answered this call in reality; ``here``: its ring in this very wave, which
    gives the moment, and ``full``: that ring lasts at least as long as the recorded one did."""
    if here is not None and here.caller_left:
        return (0.0, 0.0)
    start = here.after_s if here is not None else clock
    if known is not None and known.decided:
        took = known.answered_after_s
        if took is not None and ((full and known is here) or took <= window + WHISPER_S):
            return (1.0, start + took)
        return (0.0, 0.0)
    within = [d for d in b.delays if d <= window + WHISPER_S]
    if not within:
        return (0.0, 0.0)
    return (b.answer_rate * len(within) / len(b.delays), start + sum(within) / len(within))


def replay_order(call: RecordedCall) -> tuple[datetime, str]:
    """The order calls are replayed in: the order they were planned."""
    return (call.at, call.call_id)


class Replayer:
    """Replays calls one by one, in ``replay_order``, carrying the rotation state over from each replayed decision
    to the next (so a long period can be read and replayed a few calls at a time)."""

    def __init__(self, policy: RoutingPolicy, behaviour: Behaviour, paused: Collection[str] = ()) -> None:
        self.policy, self.behaviour, self.paused = policy, behaviour, frozenset(paused)
        self.credit_delta: dict[str, float] = {}
        # Offers by moment, applied once a later call is planned: (moment, provider, replayed?) of each ring.
        self.pending: list[tuple[datetime, str, bool]] = []
        self.last: tuple[dict[str, datetime], dict[str, datetime]] = ({}, {})  # recorded, replayed
        self.outside: dict[
            str, datetime
        ] = {}  # offers the replay does not cover: before the period, not replayed
        self.period: str | None = None

    def replay(self, call: RecordedCall) -> Replayed:
        if call.inputs is None:
            raise ValueError(f"call {call.call_id}: its recorded inputs are not loaded")
        if call.period != self.period:
            self.period, self.credit_delta = call.period, {}
        while self.pending and self.pending[0][0] < call.at:
            moment, pid, replayed = heapq.heappop(self.pending)
            self.last[replayed][pid] = moment
        providers = []
        for p in call.inputs.providers:
            offered = p.last_offered_at
            recorded = self.last[False].get(p.id)
            if offered is not None and (recorded is None or offered > recorded):
                self.outside[p.id] = offered
            candidates = [t for t in (self.outside.get(p.id), self.last[True].get(p.id)) if t is not None]
            providers.append(
                replace(
                    p,
                    share_credit=p.share_credit + self.credit_delta.get(p.id, 0.0),
                    last_offered_at=max(candidates) if candidates else None,
                    paused=p.paused or p.id in self.paused,
                )
            )
        inputs = replace(call.inputs, providers=tuple(providers))
        result = replay_call(call, inputs, self.policy, self.behaviour)
        if call.credited:
            delta = self.credit_delta
            first = result.waves[0] if result.waves else ()
            for pid, change in share_credit_changes(result.eligible, first).items():
                delta[pid] = delta.get(pid, 0.0) + change
            recorded_first = call.waves[0] if call.waves else ()
            for pid, change in share_credit_changes(call.eligible, recorded_first).items():
                delta[pid] = delta.get(pid, 0.0) - change
        for _wave, pid, after in result.likely_offers:
            heapq.heappush(self.pending, (call.at + timedelta(seconds=after), pid, True))
        for ring in call.rings:
            heapq.heappush(self.pending, (call.at + timedelta(seconds=ring.after_s), ring.provider_id, False))
        return result


def replay(
    calls: Sequence[RecordedCall],
    policy: RoutingPolicy,
    behaviour: Behaviour,
    paused: Collection[str] = (),
) -> list[Replayed]:
    """Every call, in ``replay_order``, carrying the rotation state over (``Replayer``)."""
    replayer = Replayer(policy, behaviour, paused)
    return [replayer.replay(call) for call in sorted(calls, key=replay_order)]
