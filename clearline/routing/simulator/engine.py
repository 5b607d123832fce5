"""The discrete-event loop: callers arrive, waves ring, providers answer, talk, hang up and return callbacks.

Modelling choices (documented in ``docs/simulation.md``):
- the clock of a call starts when routing starts (after the disclosure and menu, which every strategy plays);
- a caller hangs up when their patience runs out before a human accepts or a callback is offered;
- a ringing offer holds one of the provider's lines and counts against its daily cap until it resolves, which
  is the reservation the telephony services make atomically before dialling;
- an accepted call holds the line for the handling time; a callback is returned when the provider gets to it
  (exponential delay, from its opening if it is closed) and holds a line too; if no line is free it waits for one;
- an auto-paused provider is resumed by its staff after ``RESUME_AFTER_S``;
- each provider enters the period with a callback record (``PRIOR_CALLBACKS`` callbacks spread over the
  ``CALLBACK_RECORD_DAYS`` before it, each on time as its own callback behaviour makes it, drawn from a generator
  of its own so nothing else changes), as a provider on a running helpline has one;
- every call ends connected, with a callback, at the free helpline or abandoned (``CallRecord.outcome``); for
  strategies that make claims, each call is checked against them once the run is over (``disclosure.check``).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count
from typing import Any

from clearline.routing.callback_choice import CALLBACK_RECORD_DAYS
from clearline.routing.schedule import next_opening
from clearline.routing.simulator.disclosure import ClaimsCheck, check
from clearline.routing.simulator.state import Callback, Caller, CallRecord, ProviderState
from clearline.routing.simulator.strategies import (
    Action,
    CallbackAction,
    ClearlineStrategy,
    ConnectAction,
    DialAction,
    EndAction,
    FreeLineAction,
    Route,
    Strategy,
)
from clearline.routing.simulator.workload import Workload
from clearline.routing.steps import Outcome

RESUME_AFTER_S = 30 * 60.0
# Callbacks each provider has on its record when the period starts (see ``prior_callback_record``).
PRIOR_CALLBACKS = 10


@dataclass(slots=True)
class Wave:
    call: int
    caller: Caller
    route: Route
    targets: tuple[str, ...]
    started: float
    token: int


@dataclass(slots=True)
class Result:
    records: list[CallRecord]
    providers: list[ProviderState]
    cap_overruns: int = 0
    callbacks: list[Callback] = field(default_factory=list)
    claims: ClaimsCheck | None = None  # None: the strategy makes no claims


def generate_callers(workload: Workload, seed: int) -> list[Caller]:
    """Poisson arrivals per hour of the ``start`` offset's clock; the same callers for every strategy."""
    rng = random.Random(seed)
    end = workload.days * 86400.0
    offset_hour = workload.start.hour + workload.start.minute / 60 + workload.start.second / 3600
    states = [s for s, _ in workload.caller_states]
    weights = [w for _, w in workload.caller_states]
    callers: list[Caller] = []
    t = 0.0
    while t < end:
        hour_of_day = int((offset_hour + t / 3600) % 24)
        boundary = min(end, t + 3600 - ((offset_hour * 3600 + t) % 3600))
        rate = workload.arrivals_per_hour[hour_of_day] / 3600.0
        if rate <= 0:
            t = boundary
            continue
        arrival = t + rng.expovariate(rate)
        if arrival >= boundary:
            t = boundary  # memoryless: restarting at the boundary is exact
            continue
        t = arrival
        callers.append(
            Caller(
                index=len(callers),
                arrival=t,
                patience=rng.gammavariate(2.0, workload.caller_patience_s / 2.0),
                state=rng.choices(states, weights)[0] if states else None,
                accepts_callback=rng.random() < workload.callback_accept_rate,
            )
        )
    return callers


def prior_callback_record(
    workload: Workload, providers: Sequence[ProviderState], deadline_min: float, seed: int
) -> None:
    """Give each provider the callback record it brings into the period: ``PRIOR_CALLBACKS`` callbacks assigned
    evenly over the ``CALLBACK_RECORD_DAYS`` before ``start`` (so they age out of the record during the run), each
    returned on time with the provider's own chance: returned at all (``callback_on_time_prob``) and within the
    deadline (its exponential return delay), as with a free line and open hours."""
    rng = random.Random(seed * 7919 + 29)  # its own generator: callers and answers are drawn as without it
    window = timedelta(days=CALLBACK_RECORD_DAYS)
    for p in providers:
        spec = p.spec
        for i in range(PRIOR_CALLBACKS):
            returned = rng.random() < spec.callback_on_time_prob
            on_time = returned and rng.expovariate(1.0 / spec.callback_return_min) <= deadline_min
            p.settled_callbacks.append((workload.start - window * (i + 0.5) / PRIOR_CALLBACKS, not on_time))
        p.settled_callbacks.sort()


class Simulation:
    def __init__(self, workload: Workload, strategy: Strategy, seed: int) -> None:
        self.workload = workload
        self.strategy = strategy
        self.seed = seed
        self.rng = random.Random(seed * 7919 + 17)
        self.providers = [ProviderState(spec) for spec in workload.providers]
        if isinstance(strategy, ClearlineStrategy):  # the baselines offer no callbacks
            prior_callback_record(workload, self.providers, strategy.policy.callback_deadline_min, seed)
        self.by_id = {p.spec.id: p for p in self.providers}
        self.events: list[tuple[float, int, str, Any]] = []
        self.seq = count()
        self.tokens = count(1)
        self.result = Result(records=[], providers=self.providers)

    def at(self, t: float) -> datetime:
        return self.workload.start + timedelta(seconds=t)

    def push(self, t: float, kind: str, payload: Any) -> None:
        heapq.heappush(self.events, (t, next(self.seq), kind, payload))

    def run(self, callers: Sequence[Caller]) -> Result:
        for caller in callers:
            self.push(caller.arrival, "arrival", caller)
        while self.events:
            t, _, kind, payload = heapq.heappop(self.events)
            getattr(self, f"_on_{kind}")(t, payload)
        if any(r.claims is not None for r in self.result.records):
            self.result.claims = check(self.result.records, self.workload.start)
        return self.result

    # -- calls ----------------------------------------------------------------------------------------------
    def _on_arrival(self, t: float, caller: object) -> None:
        assert isinstance(caller, Caller)
        record = CallRecord(caller.index, caller.arrival)
        self.result.records.append(record)
        now = self.at(t)
        route = self.strategy.route(caller, self.providers, now, self.seed * 1_000_003 + caller.index)
        record.eligible = route.eligible
        record.caller_state = caller.state
        record.named = route.named
        record.claims = route.claims
        self._do(t, caller, record, route, route.first(), first=True)

    def _do(
        self, t: float, caller: Caller, record: CallRecord, route: Route, action: Action, first: bool
    ) -> None:
        while isinstance(action, DialAction):
            now = self.at(t)
            reserved = tuple(pid for pid in action.targets if self.by_id[pid].can_reserve(now))
            record.waves.append(reserved)  # an empty wave too: the plan's next wave is still a later one
            if first:
                first = False
                record.first_wave = reserved
                self._count_fairness(record)
            if not reserved:
                action = route.after(Outcome.BUSY, t - caller.arrival, None)
                continue
            self._ring(t, caller, record, route, reserved, action.timeout_s)
            return
        if t - caller.arrival >= caller.patience and not isinstance(action, EndAction):
            record.abandoned = True
        elif isinstance(action, CallbackAction):
            self._offer_callback(t, caller, record, route, action)
        elif isinstance(action, FreeLineAction):
            record.free_line = True
        elif isinstance(action, ConnectAction):
            raise AssertionError("connections come from answered waves")
        else:  # EndAction: the plan says the caller hung up (the engine never reports that to next_step)
            record.abandoned = True

    def _count_fairness(self, record: CallRecord) -> None:
        if not record.eligible:
            return
        share = len(record.first_wave) / len(record.eligible)
        for pid in record.eligible:
            self.by_id[pid].first_wave_expected += share
        for pid in record.first_wave:
            self.by_id[pid].first_wave_rings += 1

    def _ring(
        self,
        t: float,
        caller: Caller,
        record: CallRecord,
        route: Route,
        targets: tuple[str, ...],
        timeout: float,
    ) -> None:
        now = self.at(t)
        best: tuple[float, str] | None = None
        for pid in targets:
            p = self.by_id[pid]
            p.busy += 1
            p.ringing += 1
            p.last_offered = now
            if p.busy > p.spec.lines:
                self.result.cap_overruns += 1
            if self.rng.random() < p.spec.answer_prob:
                delay = self.rng.expovariate(1.0 / p.spec.answer_delay_s)
                if delay < timeout and (best is None or delay < best[0]):
                    best = (delay, pid)
        abandon = caller.arrival + caller.patience
        wave = Wave(record.index, caller, route, targets, t, next(self.tokens))
        if best is not None and t + best[0] < abandon:
            self.push(t + best[0], "answer", (wave, record, best[1]))
        elif abandon < t + timeout:
            self.push(abandon, "abandon", (wave, record))
        else:
            self.push(t + timeout, "timeout", (wave, record))

    def _release_ringing(self, t: float, wave: Wave, keep: str | None) -> None:
        for pid in wave.targets:
            p = self.by_id[pid]
            p.ringing -= 1
            if pid != keep:
                p.busy -= 1
                self._line_freed(t, p)

    def _on_answer(self, t: float, payload: tuple[Wave, CallRecord, str]) -> None:
        wave, record, pid = payload
        p = self.by_id[pid]
        self._release_ringing(t, wave, keep=pid)
        if not p.deliver(self.at(t)):
            self.result.cap_overruns += 1
        p.unanswered.clear()
        record.time_to_human = t - wave.caller.arrival
        record.connected = pid
        wave.route.after(Outcome.ACCEPTED, t - wave.caller.arrival, pid)
        self.push(t + self.rng.expovariate(1.0 / p.spec.handle_time_s), "hangup", pid)

    def _on_abandon(self, t: float, payload: tuple[Wave, CallRecord]) -> None:
        wave, record = payload
        self._release_ringing(t, wave, keep=None)
        record.abandoned = True

    def _on_timeout(self, t: float, payload: tuple[Wave, CallRecord]) -> None:
        wave, record = payload
        self._release_ringing(t, wave, keep=None)
        now = self.at(t)
        for pid in wave.targets:
            if pid in record.missed:
                continue  # one unanswered offer per provider per call, however often it was rung
            record.missed.add(pid)
            p = self.by_id[pid]
            was_paused = p.auto_paused
            self.strategy.unanswered(p, now)
            if p.auto_paused and not was_paused:
                p.auto_pauses += 1
                self.push(t + RESUME_AFTER_S, "resume", pid)
        action = wave.route.after(Outcome.NO_ANSWER, t - wave.caller.arrival, None)
        self._do(t, wave.caller, record, wave.route, action, first=False)

    def _on_resume(self, t: float, pid: object) -> None:
        p = self.by_id[str(pid)]
        p.auto_paused = False
        p.unanswered.clear()

    # -- lines and callbacks ---------------------------------------------------------------------------------
    def _on_hangup(self, t: float, pid: object) -> None:
        p = self.by_id[str(pid)]
        p.busy -= 1
        self._line_freed(t, p)

    def _line_freed(self, t: float, p: ProviderState) -> None:
        while p.waiting_callbacks and p.has_line():
            self._return_callback(t, p, p.waiting_callbacks.popleft())

    def _offer_callback(
        self, t: float, caller: Caller, record: CallRecord, route: Route, action: CallbackAction
    ) -> None:
        record.offered_callback = True
        if not caller.accepts_callback:
            route.after(Outcome.NO_INPUT, t - caller.arrival, None)
            record.free_line = True
            return
        p = self.by_id[action.provider_id]
        now = self.at(t)
        if not p.under_cap(now):  # the services re-check the cap when they store the request
            record.free_line = record.no_room = True
            return
        route.after(Outcome.CALLBACK_ACCEPTED, t - caller.arrival, None)
        if not p.deliver(now):
            self.result.cap_overruns += 1
        callback = Callback(caller.index, p.spec.id, t, t + action.minutes * 60.0, consent=action.consent)
        record.callback = callback
        self.result.callbacks.append(callback)
        p.open_callbacks += 1
        p.held_callbacks[caller.index] = (now, self.at(callback.deadline))
        if self.rng.random() < p.spec.callback_on_time_prob:
            opens = next_opening(p.spec.schedule, now) or now
            start = t + max(0.0, (opens - now).total_seconds())
            self.push(
                start + self.rng.expovariate(1.0 / (p.spec.callback_return_min * 60.0)), "due", callback
            )
        else:
            self.push(callback.deadline, "expire", callback)

    def _on_due(self, t: float, callback: object) -> None:
        assert isinstance(callback, Callback)
        p = self.by_id[callback.provider_id]
        if p.has_line():
            self._return_callback(t, p, callback)
        else:
            p.waiting_callbacks.append(callback)

    def _on_expire(self, t: float, callback: object) -> None:
        assert isinstance(callback, Callback)
        callback.expired = t
        p = self.by_id[callback.provider_id]
        p.open_callbacks -= 1
        self._settle(p, callback, late=True)

    def _return_callback(self, t: float, p: ProviderState, callback: Callback) -> None:
        callback.returned = t
        p.open_callbacks -= 1
        self._settle(p, callback, late=t > callback.deadline)
        p.busy += 1
        if p.busy > p.spec.lines:
            self.result.cap_overruns += 1
        self.push(t + self.rng.expovariate(1.0 / p.spec.handle_time_s), "hangup", p.spec.id)

    def _settle(self, p: ProviderState, callback: Callback, late: bool) -> None:
        """The callback leaves the provider's open ones for its record."""
        assigned, _ = p.held_callbacks.pop(callback.call_index)
        p.settled_callbacks.append((assigned, late))
