"""Planning a call: eligibility, rotation, waves, the callback assignee and the steps the adapters render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from clearline.routing.callback_choice import (
    CALLBACK_BACKUPS_MAX,
    callback_backups,
    callback_order,
    callback_refusals,
)
from clearline.routing.eligibility import evaluate_all
from clearline.routing.ordering import order_eligible, waves
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
_MENU = Menu(index=1)  # the same in every plan (steps are immutable)
_HELPLINE = NumberKind.HELPLINE.value  # read once: an enum member's ``.value`` is a Python-level property


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
    wave_providers = waves(ordering.providers, policy)  # the waves of ``ordering.order``, as providers
    planned = tuple(tuple([p.id for p in w]) for w in wave_providers)

    steps: list[Step] = []
    wave_targets = [tuple([DialTarget(p.id, p.name, p.phone) for p in w]) for w in wave_providers]
    first = wave_targets[0] if wave_targets else ()
    steps.append(Disclosure(policy.disclosure_version, first, disclosure_text(first), index=0))
    steps.append(_MENU)
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
                caller_keys=policy.keys_while_ringing,
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
            [
                DialTarget(b.id, b.name)
                for b in callback_backups(providers, verdicts, callback, candidates, seed, now)
            ]
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

    plan = Plan(call.call_id, _HELPLINE, tuple(steps), policy.ring_budget_s, policy.version)
    trace = Trace(
        call_id=call.call_id,
        number_kind=_HELPLINE,
        at=now,
        seed=seed,
        policy_version=policy.version,
        verdicts=verdicts,
        order=ordering.order,
        waves=planned,
        continuity_id=ordering.continuity_id,
        callback_provider_id=callback.id if callback is not None else None,
        terminal=terminal,
        callback_refused=tuple(callback_refusals(providers, verdicts).items()) if policy.callbacks else (),
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
