"""Routing strategies the simulator compares.

``clearline`` drives the production engine (``plan_call`` and ``next_step``) with snapshots built from the
simulated state, and says what the caller is told: each route carries the claims in force for its call (the
number's, from ``claim_builders.number_claims``, and the greeting's, from ``claim_builders.call_claims``). ``priority``
(Ringba-style fixed priority) and ``round_robin`` stand for common commercial routers: the same hours, caps and
line filters, one target at a time, 30 s rings, no callbacks, and nothing said to the caller about any of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from clearline.routing.claim_builders import call_claims
from clearline.routing.claims import Claim
from clearline.routing.eligibility import auto_pause_due
from clearline.routing.outcomes import next_step
from clearline.routing.plans import plan_call
from clearline.routing.schedule import is_open
from clearline.routing.simulator.disclosure import NumberClaims, in_force
from clearline.routing.simulator.state import FAR_FUTURE, Caller, ProviderState
from clearline.routing.steps import (
    CallbackConfirmed,
    CallbackOffer,
    Connect,
    Dial,
    Ended,
    Outcome,
    Plan,
    Progress,
    Result,
    Step,
)
from clearline.routing.types import CallContext, ProviderSnapshot, RoutingPolicy


@dataclass(frozen=True, slots=True)
class DialAction:
    targets: tuple[str, ...]
    timeout_s: float


@dataclass(frozen=True, slots=True)
class CallbackAction:
    provider_id: str
    minutes: int
    consent: tuple[str, ...] = ()  # everyone the offer names: the provider first, then its backups


@dataclass(frozen=True, slots=True)
class FreeLineAction:
    pass


@dataclass(frozen=True, slots=True)
class ConnectAction:
    provider_id: str


@dataclass(frozen=True, slots=True)
class EndAction:
    pass


Action = DialAction | CallbackAction | FreeLineAction | ConnectAction | EndAction


class Route(Protocol):
    eligible: tuple[str, ...]
    named: tuple[str, ...]  # the first wave the greeting names
    claims: tuple[Claim, ...] | None  # the claims in force for this call; None: the strategy makes none

    def first(self) -> Action: ...

    def after(self, outcome: Outcome, elapsed_s: float, provider_id: str | None) -> Action: ...


class Strategy(Protocol):
    name: str
    offers_callbacks: bool

    def route(
        self, caller: Caller, providers: Sequence[ProviderState], now: datetime, seed: int
    ) -> Route: ...

    def unanswered(self, provider: ProviderState, now: datetime) -> None: ...


def snapshot(state: ProviderState, now: datetime) -> ProviderSnapshot:
    spec = state.spec
    recent, late = state.callback_record(now)
    return ProviderSnapshot(
        id=spec.id,
        name=spec.id,
        schedule=spec.schedule,
        license_expires=FAR_FUTURE,
        certification_expires=FAR_FUTURE,
        auto_paused=state.auto_paused,
        unanswered_offers=tuple(state.unanswered),
        lines=spec.lines,
        active_calls=state.busy,
        ringing=state.ringing,
        daily_cap=spec.daily_cap,
        delivered_today=state.delivered,
        delivered_on=state.delivered_on,
        open_callbacks=state.open_callbacks,
        recent_callbacks=recent,
        late_callbacks=late,
        states=spec.states,
        languages=spec.languages,
        last_offered_at=state.last_offered,
        share_credit=state.first_wave_expected - state.first_wave_rings,
    )


class ClearlineRoute:
    def __init__(
        self, plan: Plan, eligible: tuple[str, ...], claims: tuple[Claim, ...] | None = None
    ) -> None:
        self.plan = plan
        self.eligible = eligible
        first = plan.first_dial()
        self.named = tuple(t.id for t in first.targets) if first is not None else ()
        self.claims = claims
        self.at = 1  # the menu: the simulation starts the clock when routing starts

    def first(self) -> Action:
        return self._act(next_step(self.plan, Progress(self.at), Result(Outcome.NO_INPUT)))

    def after(self, outcome: Outcome, elapsed_s: float, provider_id: str | None) -> Action:
        return self._act(next_step(self.plan, Progress(self.at, elapsed_s), Result(outcome, provider_id)))

    def _act(self, step: Step) -> Action:
        if isinstance(step, Dial):
            self.at = step.index
            return DialAction(tuple(t.id for t in step.targets), step.ring_timeout_s)
        if isinstance(step, CallbackOffer):
            self.at = step.index
            return CallbackAction(step.provider_id, step.minutes, step.provider_ids)
        if isinstance(step, Connect):
            return ConnectAction(step.provider_id)
        if isinstance(step, CallbackConfirmed | Ended):
            return EndAction()
        return FreeLineAction()  # a Transfer to the free helpline


class ClearlineStrategy:
    name = "clearline"
    offers_callbacks = True

    def __init__(self, policy: RoutingPolicy | None = None, name: str = "clearline") -> None:
        self.policy = policy or RoutingPolicy()
        self.name = name
        self.number_claims = NumberClaims(self.policy)

    def route(self, caller: Caller, providers: Sequence[ProviderState], now: datetime, seed: int) -> Route:
        call = CallContext(call_id=f"sim-{caller.index}", caller_state=caller.state)
        snapshots = [snapshot(p, now) for p in providers]
        decision = plan_call(call, snapshots, self.policy, now, seed)
        number = self.number_claims(tuple(p.spec for p in providers), snapshots, now)
        claims = in_force(number, call_claims(decision.plan, number))
        return ClearlineRoute(decision.plan, decision.trace.eligible_ids, claims)

    def unanswered(self, provider: ProviderState, now: datetime) -> None:
        provider.unanswered.append(now)
        del provider.unanswered[: -self.policy.auto_pause_after]  # older entries can never matter
        if not provider.auto_paused and auto_pause_due(snapshot(provider, now), self.policy, now):
            provider.auto_paused = True


class SerialRoute:
    """The baselines' route: they say nothing about where calls go, so there is nothing to check."""

    named: tuple[str, ...] = ()
    claims: tuple[Claim, ...] | None = None

    def __init__(self, order: tuple[str, ...], ring_s: float) -> None:
        self.eligible = order
        self.order = order
        self.ring_s = ring_s
        self.next = 0

    def first(self) -> Action:
        return self._dial()

    def after(self, outcome: Outcome, elapsed_s: float, provider_id: str | None) -> Action:
        if outcome is Outcome.ACCEPTED and provider_id is not None:
            return ConnectAction(provider_id)
        return self._dial()

    def _dial(self) -> Action:
        if self.next >= len(self.order):
            return FreeLineAction()
        self.next += 1
        return DialAction((self.order[self.next - 1],), self.ring_s)


def _baseline_eligible(p: ProviderState, caller: Caller, now: datetime) -> bool:
    spec = p.spec
    serves = not spec.states or caller.state is None or caller.state in spec.states
    return serves and "en" in spec.languages and is_open(spec.schedule, now) and p.can_reserve(now)


class PriorityStrategy:
    """Fixed priority order (the workload's provider order), 30 s per target, serial failover."""

    name = "priority"
    offers_callbacks = False
    ring_s = 30.0

    def route(self, caller: Caller, providers: Sequence[ProviderState], now: datetime, seed: int) -> Route:
        return SerialRoute(
            tuple(p.spec.id for p in providers if _baseline_eligible(p, caller, now)), self.ring_s
        )

    def unanswered(self, provider: ProviderState, now: datetime) -> None:
        return None


class RoundRobinStrategy:
    """Classic rotation: each call starts one provider further along the list; 30 s per target."""

    name = "round_robin"
    offers_callbacks = False
    ring_s = 30.0

    def __init__(self) -> None:
        self.turn = 0

    def route(self, caller: Caller, providers: Sequence[ProviderState], now: datetime, seed: int) -> Route:
        n = len(providers)
        start = self.turn % n
        self.turn += 1
        rotated = [providers[(start + i) % n] for i in range(n)]
        return SerialRoute(
            tuple(p.spec.id for p in rotated if _baseline_eligible(p, caller, now)), self.ring_s
        )

    def unanswered(self, provider: ProviderState, now: datetime) -> None:
        return None


def make_strategy(name: str) -> Strategy:
    if name == "clearline":
        return ClearlineStrategy()
    if name == "clearline_serial":  # the engine with waves of 1, to measure what waves are worth
        return ClearlineStrategy(RoutingPolicy(wave_size=1, ring_timeout_s=20, ring_budget_s=60), name)
    if name == "priority":
        return PriorityStrategy()
    if name == "round_robin":
        return RoundRobinStrategy()
    raise ValueError(f"unknown strategy {name!r} (clearline, clearline_serial, priority, round_robin)")


STRATEGIES = ("clearline", "clearline_serial", "priority", "round_robin")
