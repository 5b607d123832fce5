"""Making claims: what the web says about one general helpline number, and what one call's greeting says.

``number_claims`` reads the routing policy, the providers that could answer the number and the fee terms;
``call_claims`` the call's own plan. Both return ``claims`` values only (see that module for the predicates).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from clearline.routing.claims import (
    AnsweredBy,
    CallbackPromise,
    Claim,
    FairTurns,
    FlatEqualFee,
    KeysWork,
    NobodyNow,
    NoCallback,
    NoProvider,
    OtherwiseFreeHelpline,
    ProviderScope,
    RingsAtOnce,
    WillRing,
)
from clearline.routing.schedule import WEEKDAYS, Schedule, next_opening, zone
from clearline.routing.steps import Plan, key_moments
from clearline.routing.types import Intent, ProviderSnapshot, RoutingPolicy

# Policy fields no sentence speaks of, and why: the claims builder test fails for any other field a change of
# which leaves every claim the same.
UNCLAIMED_POLICY_FIELDS: dict[str, str] = {
    "version": "names the settings version in each trace; changes nothing about a call",
    "disclosure_version": "names the disclosure version in each trace; changes nothing about a call",
    "whisper": "what the provider hears before accepting; nothing the caller is told depends on it",
    "callback_max_per_line": "decides whether a provider can return a call in time, which the callback claim "
    "states as its condition",
    "auto_pause_after": "a provider that leaves offers unanswered is paused; the order claim says paused "
    "providers are not rung",
    "auto_pause_window_min": "as auto_pause_after",
}


@dataclass(frozen=True, slots=True)
class FeeTerms:
    """The one flat fee every running contract shares (``None`` where fees differ: then nothing claims it)."""

    period: str  # "monthly", "quarterly", "yearly"
    provider_ids: frozenset[str] = field(default_factory=frozenset)


def can_answer_today(p: ProviderSnapshot, intent: Intent | None, on: datetime) -> bool:
    """Could ``p`` be rung for this number within a day of ``on``: contract running, licence and certification
    current, not paused, taking this call type, and open now or opening within 24 hours. The test is generous on
    purpose: a claim naming someone who is then not rung stays true; one leaving out someone rung would not."""
    local = on.astimezone(zone(p.schedule.timezone))
    today: date = local.date()
    if not p.contract_active or p.paused or p.auto_paused:
        return False
    if p.license_expires is None or p.license_expires < today:
        return False
    if p.certification_expires is None or p.certification_expires < today:
        return False
    if intent is not None and intent not in p.intents:
        return False
    return next_opening(p.schedule, on, horizon=timedelta(hours=24)) is not None


def scope_of(p: ProviderSnapshot, on: datetime, horizon_days: int = 8) -> ProviderScope:
    schedule: Schedule = p.schedule
    weekly = tuple(
        (WEEKDAYS[day], r.start.strftime("%H:%M"), r.end.strftime("%H:%M"))
        for day, ranges in enumerate(schedule.weekly)
        for r in ranges
    )
    local = on.astimezone(zone(schedule.timezone)).date()
    special = sorted(
        d.isoformat()
        for d in {*schedule.holidays, *(schedule.exceptions or {})}
        if -1 <= (d - local).days < horizon_days  # yesterday's one-off hours may run past midnight
    )
    return ProviderScope(
        id=p.id,
        name=p.name,
        timezone=schedule.timezone,
        states=tuple(sorted(p.states)),
        zip_prefixes=tuple(sorted(p.zip_prefixes)),
        languages=tuple(sorted(p.languages)),
        always_open=schedule.always_open,
        weekly=weekly,
        special_days=tuple(special),
    )


def number_claims(
    providers: Sequence[ProviderSnapshot],
    policy: RoutingPolicy,
    fee: FeeTerms | None,
    now: datetime,
    *,
    intent: Intent | None = None,
    callback_open_hours: int = 48,
    callback_number_days: int = 3,
) -> tuple[Claim, ...]:
    """What the web says about one general helpline number (its call type ``intent``) at ``now``."""
    able = [p for p in providers if can_answer_today(p, intent, now)]
    if not able:
        return (NoProvider(), OtherwiseFreeHelpline(), _keys(policy))
    claims: list[Claim] = [AnsweredBy(tuple(scope_of(p, now) for p in able))]
    ids = {p.id for p in able}
    if fee is not None and ids <= fee.provider_ids:
        claims.append(FlatEqualFee(fee.period, tuple(sorted(ids))))
    claims.append(FairTurns(policy.continuity_days))
    claims.append(
        RingsAtOnce(
            policy.wave_size,
            policy.later_wave_size or policy.wave_size,
            policy.ring_timeout_s,
            policy.ring_budget_s,
            again=policy.repeat_rounds,
            press_to_accept=policy.require_accept,
        )
    )
    claims.append(
        CallbackPromise(policy.callback_deadline_min, callback_open_hours, callback_number_days)
        if policy.callbacks
        else NoCallback()
    )
    claims += [OtherwiseFreeHelpline(), _keys(policy)]
    return tuple(claims)


def _keys(policy: RoutingPolicy) -> KeysWork:
    return KeysWork(key_moments(policy.keys_while_ringing))


def call_claims(plan: Plan, made_under: Iterable[Claim]) -> tuple[Claim, ...]:
    """What this call's greeting says: who will ring now (or that nobody can), the fee sentence only when
    providers will ring and the number's claims include it, and the keys (as the number's claims say them)."""
    first = plan.first_dial()
    under = list(made_under)
    keys = next((c for c in under if isinstance(c, KeysWork)), KeysWork())
    if first is None or not first.targets:
        return (NobodyNow(), keys)
    ring = WillRing(tuple(t.id for t in first.targets), tuple(t.name for t in first.targets))
    fee = [c for c in under if isinstance(c, FlatEqualFee)]
    return (ring, *fee, keys)
