"""The disclosure checks itself in simulation: every claim in force is checked against every simulated call.

For strategies that make claims (the ``clearline`` ones), each arrival builds what the web says about the number at
that moment (``claim_builders.number_claims`` over the simulated providers' snapshots, the strategy's policy and
one flat fee shared by every simulated provider) and what the greeting says (``claim_builders.call_claims`` over
the call's plan).
Once the run is over, each call's records become ``CallFacts`` and ``claims.violations`` says which claims the
call contradicted. The baselines (``priority``, ``round_robin``) stand for routers that disclose nothing: they make
no claims, and their figures have no ``claims`` key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from clearline.routing.claim_builders import FeeTerms, can_answer_today, number_claims
from clearline.routing.claims import (
    AnsweredBy,
    CallbackPromise,
    CallFacts,
    Claim,
    FairTurns,
    FlatEqualFee,
    KeysWork,
    RingsAtOnce,
    WillRing,
    violations,
)
from clearline.routing.schedule import is_open, next_opening, zone
from clearline.routing.simulator.state import CallRecord
from clearline.routing.types import ProviderSnapshot, RoutingPolicy

FEE_PERIOD = "monthly"  # every simulated provider pays the same flat fee
CALLBACK_OPEN_HOURS = 48  # what the web promises about how long a callback request stays open
MAX_EXAMPLES = 5


class NumberClaims:
    """``number_claims`` for the simulated roster, cached per distinct roster state.

    What ``number_claims`` says depends on ``now`` only through which providers could answer within a day
    (``can_answer_today``) and, in each named provider's scope, the special days (holidays, exceptions) of the
    coming week; everything else it reads is fixed for a run (a simulated provider's hours, area, languages,
    licences and fee never change). So the claims are cached by the set of providers able to answer, plus each
    provider's local date when any schedule has special days. A new roster (another workload) clears the cache.

    ``can_answer_today`` itself is remembered per provider for as long as its answer cannot change: the same
    pause, contract, licence and call-type fields, the same local day, and a stretch of time in which the
    schedule's part of the answer (open now, or opening within a day) is fixed: all day for a provider always
    open; while it stays open, for one open now; until the opening found, for one closed now; otherwise to the
    end of the minute (hours are whole minutes). A test compares the cached claims with ``number_claims`` itself
    at random moments.
    """

    def __init__(self, policy: RoutingPolicy, callback_open_hours: int = CALLBACK_OPEN_HOURS) -> None:
        self.policy = policy
        self.callback_open_hours = callback_open_hours
        self._roster: tuple[object, ...] = ()
        self._fee = FeeTerms(FEE_PERIOD)
        self._dated = False
        self._cache: dict[tuple[Any, ...], tuple[Claim, ...]] = {}
        self._able: dict[str, tuple[tuple[Any, ...], datetime, datetime, bool, bool]] = {}

    def __call__(
        self, roster: tuple[object, ...], snapshots: Sequence[ProviderSnapshot], now: datetime
    ) -> tuple[Claim, ...]:
        """``roster`` identifies the providers' fixed data (the workload's specs), in the snapshots' order."""
        if roster != self._roster:
            self._roster = roster
            self._fee = FeeTerms(FEE_PERIOD, frozenset(p.id for p in snapshots))
            self._dated = any(p.schedule.holidays or p.schedule.exceptions for p in snapshots)
            self._cache.clear()
            self._able.clear()
        able = tuple(p.id for p in snapshots if self._can_answer(p, now))
        key: tuple[Any, ...] = (able,)
        if self._dated:
            key += tuple(now.astimezone(zone(p.schedule.timezone)).date() for p in snapshots)
        claims = self._cache.get(key)
        if claims is None:
            claims = self._cache[key] = number_claims(
                snapshots, self.policy, self._fee, now, callback_open_hours=self.callback_open_hours
            )
        return claims

    def _can_answer(self, p: ProviderSnapshot, now: datetime) -> bool:
        fixed = (
            p.contract_active,
            p.paused,
            p.auto_paused,
            p.license_expires,
            p.certification_expires,
            p.intents,
        )
        memo = self._able.get(p.id)
        fresh = memo is not None and memo[0] == fixed and memo[1] <= now < memo[2]
        if memo is not None and fresh and (not memo[4] or is_open(p.schedule, now)):
            return memo[3]
        value = can_answer_today(p, None, now)
        until, while_open = _answer_fixed(p, now)
        self._able[p.id] = (fixed, now, until, value, while_open)
        return value


def _answer_fixed(p: ProviderSnapshot, now: datetime) -> tuple[datetime, bool]:
    """``(until, while_open)``: for ``now <= t < until`` (and, if ``while_open``, while the provider is open at
    ``t``), ``can_answer_today(p, None, t)`` equals its value at ``now`` when only ``t`` changes."""
    tz = zone(p.schedule.timezone)
    # Licences and certifications are read by the provider's local day.
    until = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(0), tzinfo=tz)
    schedule = p.schedule
    if schedule.always_open and not schedule.holidays and not schedule.exceptions:
        return until, False
    if is_open(schedule, now):
        return until, True  # open at ``t`` is "open now" at ``t``
    opens = next_opening(schedule, now, horizon=timedelta(hours=24))
    if opens is not None:
        return min(until, opens), False  # before ``opens``, that opening is within a day
    # Not opening within a day: hours are whole minutes, so nothing changes before the next minute.
    return min(until, now.replace(second=0, microsecond=0) + timedelta(minutes=1)), False


def in_force(number: Iterable[Claim], spoken: Iterable[Claim]) -> tuple[Claim, ...]:
    """The claims a call was made under: the number's and the greeting's, each distinct claim once (the fee and
    keys sentences are said on the web and on the phone, but they are one claim each)."""
    number = tuple(number)
    return number + tuple(c for c in spoken if c not in number)


def describe(claim: Claim) -> str:
    """A short plain-English rendering for reports (the translated sentences live in ``content``)."""
    if isinstance(claim, AnsweredBy):
        return f"answered_by: {', '.join(p.id for p in claim.providers)}"
    if isinstance(claim, FlatEqualFee):
        return f"flat_fee: {claim.period}, {', '.join(claim.provider_ids)}"
    if isinstance(claim, FairTurns):
        return f"fair_turns: only eligible providers ring (continuity {claim.continuity_days} days)"
    if isinstance(claim, RingsAtOnce):
        return (
            f"rings_at_once: up to {claim.first} at once, then {claim.later} per round, {claim.ring_s} s each, "
            f"{claim.budget_s} s in all, {'the list starting over' if claim.again else 'each provider once'}"
        )
    if isinstance(claim, CallbackPromise):
        return (
            f"callback: within {claim.minutes} min by the named provider or a backup the caller agreed to, "
            f"open at most {claim.open_hours} h"
        )
    if isinstance(claim, WillRing):
        return f"will_ring: {', '.join(claim.provider_ids)}"
    if isinstance(claim, KeysWork):
        return f"keys: 9 and 0 work during {', '.join(claim.moments)}"
    plain = {
        "no_provider": "no provider answers this number now",
        "no_callback": "no callback is offered",
        "otherwise_free": "every call ends with a person, a callback or the free helpline",
        "nobody_now": "no provider can take this call now",
        "listing_only": "this number rings only its facility",
    }
    text = plain.get(claim.kind)
    return f"{claim.kind}: {text}" if text else claim.kind


def facts_of(record: CallRecord, start: datetime) -> CallFacts:
    """What really happened on a simulated call, as the claims read it."""
    callback = record.callback
    minutes = open_hours = None
    assignees: tuple[str, ...] = ()
    consent: tuple[str, ...] = ()
    if callback is not None:
        assignees = (callback.provider_id,)  # the simulator never reassigns a callback
        consent = callback.consent
        minutes = (callback.deadline - callback.created) / 60.0
        closed = callback.closed
        open_hours = None if closed is None else (closed - callback.created) / 3600.0
    return CallFacts(
        kind="helpline",
        outcome=record.outcome,
        at=start + timedelta(seconds=record.arrival),
        caller_state=record.caller_state,
        language="en",  # simulated callers speak English
        eligible=record.eligible,
        waves=tuple(record.waves),
        named=record.named,
        connected=record.connected,
        callback_assignees=assignees,
        callback_consent=consent,
        callback_minutes=minutes,
        callback_open_hours=open_hours,
    )


def _plain(facts: CallFacts) -> dict[str, Any]:
    data = asdict(facts)
    data["at"] = facts.at.isoformat() if facts.at is not None else None
    return data


@dataclass(slots=True)
class ClaimsCheck:
    checked: int = 0  # (claim, call) pairs checked
    violated: int = 0  # of which contradicted by the call
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "violated": self.violated, "examples": list(self.examples)}


def check(records: Iterable[CallRecord], start: datetime) -> ClaimsCheck:
    """Check every call made under claims against them. The examples show the first call contradicting each kind
    of claim, then further calls, up to ``MAX_EXAMPLES``."""
    out = ClaimsCheck()
    first: dict[str, dict[str, Any]] = {}
    more: list[dict[str, Any]] = []
    for record in records:
        if record.claims is None:
            continue
        facts = facts_of(record, start)
        out.checked += len(record.claims)
        broken = violations(record.claims, facts)
        out.violated += len(broken)
        for claim in broken:
            if claim.kind not in first or len(more) < MAX_EXAMPLES:
                example = {"claim": describe(claim), "call": record.index, "facts": _plain(facts)}
                if claim.kind in first:
                    more.append(example)
                else:
                    first[claim.kind] = example
    out.examples = [*first.values(), *more][:MAX_EXAMPLES]
    return out
