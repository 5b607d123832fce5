"""Planning a call: eligibility, rotation, waves, the callback assignee and the steps the adapters render."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from clearline.routing.eligibility import FILTERS, Verdict, can_return_by, evaluate_all
from clearline.routing.ordering import order_eligible, rotation_order, waves
from clearline.routing.schedule import next_opening
from clearline.routing.steps import (
    CallbackOffer,
    Dial,
    DialTarget,
    Disclosure,
    ListingOptions,
    Menu,
    Plan,
    Step,
    Transfer,
)
from clearline.routing.trace import Trace
from clearline.routing.types import (
    FREE_HELPLINE_NUMBER,
    CallContext,
    ListingTarget,
    NumberKind,
    ProviderSnapshot,
    RoutingPolicy,
)

FREE_HELPLINE_SPOKEN = "1-800-662-4357"


@dataclass(frozen=True, slots=True)
class Decision:
    plan: Plan
    trace: Trace


def _names(targets: Sequence[DialTarget]) -> str:
    names = [t.name for t in targets]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def disclosure_text(targets: Sequence[DialTarget]) -> str:
    menu = (
        "Press 9 at any time for the 988 Suicide and Crisis Lifeline, or 0 for the free, confidential SAMHSA "
        "National Helpline."
    )
    if not targets:
        return "No participating provider can take your call right now. " + menu
    if len(targets) == 1:
        who = f"We are connecting you to {targets[0].name}, a participating treatment provider."
    else:
        who = (
            f"We are ringing {_names(targets)}, participating treatment providers, at the same time; "
            "the first to answer will take your call."
        )
    return (
        who + " Participating providers pay this site a flat fee that does not depend on your call or your "
        "choice; you have no obligation to enter treatment. " + menu
    )


def free_helpline_transfer(reason: str) -> Transfer:
    return Transfer(
        FREE_HELPLINE_NUMBER,
        "SAMHSA National Helpline",
        f"{reason} We are transferring you to the free, confidential SAMHSA National Helpline, "
        f"{FREE_HELPLINE_SPOKEN}.",
    )


# How many other providers a callback offer names as able to take over (the caller hears every name).
CALLBACK_BACKUPS_MAX = 3


def callback_order(
    providers: Sequence[ProviderSnapshot],
    verdicts: Sequence[Verdict],
    policy: RoutingPolicy,
    now: datetime,
    seed: int,
    limit: int | None = None,
) -> list[ProviderSnapshot]:
    """Who could be promised a callback now, in the order the core chooses them (the first is the assignee).

    Among providers passing every filter except "open now" and "free slot", those whose calls in progress plus
    open callbacks are below ``lines * callback_max_per_line`` (a line not yet spoken for): open ones first,
    then those with the fewest offers left unanswered since they last answered, then the least loaded (calls
    and open callbacks per line), then rotation; after them the closed ones able to start before the deadline,
    earliest start first, then the same keys. ``limit`` stops once that many are ordered.
    """
    cap = policy.callback_max_per_line
    opened: list[ProviderSnapshot] = []
    closed: list[ProviderSnapshot] = []
    for p, v in zip(providers, verdicts, strict=True):
        if not v.callback_eligible or p.active_calls + p.open_callbacks >= p.lines * cap:
            continue
        (opened if v.results[_OPEN] else closed).append(p)
    order = _in_groups(opened, _load, seed, limit)
    if not closed or (limit is not None and len(order) >= limit):
        return order
    deadline = now + timedelta(minutes=policy.callback_deadline_min)
    starts = {p.id: start for p in closed if (start := can_return_by(p, now, deadline)) is not None}
    later = [p for p in closed if p.id in starts]
    rest = None if limit is None else limit - len(order)
    return order + _in_groups(later, lambda p: (starts[p.id], _load(p)), seed, rest)


def _in_groups(
    providers: Sequence[ProviderSnapshot],
    key: Callable[[ProviderSnapshot], Any],
    seed: int,
    limit: int | None,
) -> list[ProviderSnapshot]:
    """``providers`` by ``key``; providers with equal keys in rotation order."""
    out: list[ProviderSnapshot] = []
    for _, group in groupby(sorted(providers, key=key), key=key):
        members = list(group)
        out.extend(members if len(members) == 1 else rotation_order(members, seed))
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def choose_callback_provider(
    providers: Sequence[ProviderSnapshot],
    verdicts: Sequence[Verdict],
    policy: RoutingPolicy,
    now: datetime,
    seed: int,
) -> ProviderSnapshot | None:
    """Who would return a callback: the first of ``callback_order`` (None when nobody can be promised it)."""
    order = callback_order(providers, verdicts, policy, now, seed, limit=1)
    return order[0] if order else None


def callback_backups(
    providers: Sequence[ProviderSnapshot],
    verdicts: Sequence[Verdict],
    chosen: ProviderSnapshot,
    order: Sequence[ProviderSnapshot],
    seed: int,
    now: datetime,
    limit: int = CALLBACK_BACKUPS_MAX,
) -> tuple[ProviderSnapshot, ...]:
    """Who may take a callback over from ``chosen`` if it is not returned in time: the others of ``order``
    (``callback_order``), then the other providers passing the callback filters for this caller (area,
    language, call type, licences, caps, pauses) that have no line free or do not open before the deadline
    now but open within ``BACKUP_OPENS_WITHIN``, in rotation order; at most ``limit``. A reassignment later
    chooses among these by the core's rule. The web names only providers open within a day
    (``claims.can_answer_today``), so a backup is always one the caller could have read about."""
    backups = [p for p in order if p.id != chosen.id][:limit]
    if len(backups) < limit:
        taken = {chosen.id, *(p.id for p in backups)}
        others = [
            p
            for p, v in zip(providers, verdicts, strict=True)
            if v.callback_eligible
            and p.id not in taken
            and next_opening(p.schedule, now, horizon=BACKUP_OPENS_WITHIN) is not None
        ]
        backups += rotation_order(others, seed)[: limit - len(backups)]
    return tuple(backups)


_OPEN = FILTERS.index("open_now")
# Within the day the web's claims look ahead (24 h), less the time a cached disclosure version may lag behind.
BACKUP_OPENS_WITHIN = timedelta(hours=23)


def _load(p: ProviderSnapshot) -> tuple[int, float]:
    # Offers left unanswered since the provider last answered first (fewer is better), then calls in progress and
    # open callbacks per line: the callback goes where it is most likely to be returned soon.
    return (len(p.unanswered_offers), (p.active_calls + p.open_callbacks) / max(1, p.lines))


def _either(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def callback_offer_text(provider_name: str, backup_names: Sequence[str], minutes: int) -> str:
    """The offer in plain English (the adapters speak their own translated rendering of the same values)."""
    text = (
        f"Nobody could take your call just now. Press 1 and {provider_name} will call you back within "
        f"{minutes} minutes."
    )
    if backup_names:
        text += (
            f" If {provider_name} does not call you in time, your request may go to {_either(backup_names)} "
            "instead, and to nobody else."
        )
    return text + " Or stay on the line for the free SAMHSA National Helpline."


def plan_call(
    call: CallContext,
    providers: Sequence[ProviderSnapshot],
    policy: RoutingPolicy,
    now: datetime,
    seed: int,
) -> Decision:
    """Plan a general helpline call. Pure: same arguments, same plan and trace."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if call.number_kind is not NumberKind.HELPLINE:
        raise ValueError("listing numbers are planned by plan_listing_call and never reach providers")
    verdicts = evaluate_all(providers, call, policy, now)
    eligible = [p for p, v in zip(providers, verdicts, strict=True) if v.eligible]
    ordering = order_eligible(eligible, call, policy, now, seed)
    planned = waves(ordering.order, policy)
    by_id = {p.id: p for p in eligible}

    steps: list[Step] = []
    wave_targets = [tuple(DialTarget(pid, by_id[pid].name, by_id[pid].phone) for pid in w) for w in planned]
    first = wave_targets[0] if wave_targets else ()
    steps.append(Disclosure(policy.disclosure_version, first, disclosure_text(first), index=0))
    steps.append(Menu(index=1))
    for number, targets in enumerate(wave_targets, start=1):
        announce = "" if number == 1 else f"Now also trying {_names(targets)}."
        steps.append(
            Dial(
                index=len(steps),
                wave=number,
                targets=targets,
                ring_timeout_s=policy.ring_timeout_s,
                whisper=policy.whisper,
                require_accept=policy.require_accept,
                announce=announce,
            )
        )

    candidates = (
        callback_order(providers, verdicts, policy, now, seed, limit=1 + CALLBACK_BACKUPS_MAX)
        if policy.callbacks
        else []
    )
    callback = candidates[0] if candidates else None
    if callback is not None:
        deadline = now + timedelta(minutes=policy.callback_deadline_min)
        minutes = policy.callback_deadline_min
        backups = tuple(
            DialTarget(b.id, b.name)
            for b in callback_backups(providers, verdicts, callback, candidates, seed, now)
        )
        steps.append(
            CallbackOffer(
                index=len(steps),
                provider_id=callback.id,
                provider_name=callback.name,
                deadline=deadline,
                minutes=minutes,
                text=callback_offer_text(callback.name, [b.name for b in backups], minutes),
                backups=backups,
            )
        )
        terminal = "callback_offer"
    else:
        steps.append(free_helpline_transfer("Nobody could take your call just now."))
        terminal = "free_helpline"

    plan = Plan(call.call_id, NumberKind.HELPLINE.value, tuple(steps), policy.ring_budget_s, policy.version)
    trace = Trace(
        call_id=call.call_id,
        number_kind=NumberKind.HELPLINE.value,
        at=now,
        seed=seed,
        policy_version=policy.version,
        verdicts=verdicts,
        order=ordering.order,
        waves=planned,
        continuity_id=ordering.continuity_id,
        callback_provider_id=callback.id if callback is not None else None,
        terminal=terminal,
    )
    return Decision(plan, trace)


def plan_listing_call(
    call: CallContext, facility: ListingTarget, policy: RoutingPolicy, now: datetime, seed: int = 0
) -> Decision:
    """A listing number rings its facility and nobody else; if that fails the caller hears options."""
    if call.number_kind is not NumberKind.LISTING:
        raise ValueError("plan_listing_call is for listing numbers")
    target = DialTarget(facility.facility_id, facility.name, facility.phone)
    steps: tuple[Step, ...] = (
        Disclosure(
            policy.disclosure_version,
            (target,),
            f"Connecting you to {facility.name}. This number rings only {facility.name}. Press 9 at any time "
            "for the 988 Suicide and Crisis Lifeline, or 0 for the free SAMHSA National Helpline.",
            index=0,
        ),
        Menu(index=1),
        Dial(2, 1, (target,), 20, whisper=False, require_accept=False, announce=""),
        ListingOptions(
            3,
            facility.name,
            f"{facility.name} did not answer. Please call again later. Press 0 for the free, confidential SAMHSA "
            f"National Helpline, {FREE_HELPLINE_SPOKEN}, or 9 for the 988 Suicide and Crisis Lifeline.",
        ),
    )
    plan = Plan(call.call_id, NumberKind.LISTING.value, steps, 20, policy.version)
    trace = Trace(
        call_id=call.call_id,
        number_kind=NumberKind.LISTING.value,
        at=now,
        seed=seed,
        policy_version=policy.version,
        verdicts=(),
        order=(),
        waves=(),
        continuity_id=None,
        callback_provider_id=None,
        terminal="listing_options",
    )
    return Decision(plan, trace)
