"""What happens next: the adapters report each attempt's result and render the step returned here."""

from __future__ import annotations

from clearline.routing.plans import FREE_HELPLINE_SPOKEN, free_helpline_transfer
from clearline.routing.steps import (
    CRISIS_OPTION,
    FREE_OPTION,
    CallbackConfirmed,
    CallbackOffer,
    Connect,
    Dial,
    Disclosure,
    Ended,
    Goodbye,
    ListingOptions,
    Menu,
    Outcome,
    Plan,
    Progress,
    Result,
    Step,
    Transfer,
)

_RING_FAILURES = frozenset({Outcome.NO_ANSWER, Outcome.BUSY, Outcome.DECLINED, Outcome.FAILED})


def crisis_transfer() -> Transfer:
    return Transfer(
        CRISIS_OPTION.number, CRISIS_OPTION.label, "Connecting you to the 988 Suicide and Crisis Lifeline."
    )


def free_transfer() -> Transfer:
    return Transfer(
        FREE_OPTION.number,
        FREE_OPTION.label,
        f"Connecting you to the free, confidential SAMHSA National Helpline, {FREE_HELPLINE_SPOKEN}.",
    )


def next_step(plan: Plan, progress: Progress, result: Result) -> Step:
    """The step after ``plan.steps[progress.at]`` ended with ``result``. Pure and total: every combination
    yields a step, and no path ends in silence while the caller is on the line."""
    if not 0 <= progress.at < len(plan.steps):
        raise ValueError(f"progress.at={progress.at} is outside the plan")
    current = plan.steps[progress.at]
    outcome = result.outcome
    if outcome is Outcome.CALLER_HUNG_UP:
        return Ended()
    if outcome is Outcome.PRESSED_CRISIS:
        return crisis_transfer()
    if outcome is Outcome.PRESSED_FREE:
        return free_transfer()

    if isinstance(current, Disclosure | Menu):
        return plan.steps[progress.at + 1]

    if isinstance(current, Dial):
        if outcome is Outcome.ACCEPTED:
            accepted = result.provider_id
            if accepted is None or accepted not in {t.id for t in current.targets}:
                raise ValueError("ACCEPTED must name one of the dialled targets")
            return Connect(accepted)
        if outcome in _RING_FAILURES:
            following = plan.steps[progress.at + 1]
            if isinstance(following, Dial) and progress.ring_elapsed_s + following.ring_timeout_s > (
                plan.ring_budget_s + following.ring_timeout_s / 2
            ):
                return plan.terminal  # the ring budget is spent: skip to the callback offer / free line
            return following
        return plan.steps[progress.at + 1]  # NO_INPUT / CALLBACK_ACCEPTED make no sense here: move on

    if isinstance(current, CallbackOffer):
        if outcome is Outcome.CALLBACK_ACCEPTED:
            return CallbackConfirmed(
                current.provider_id,
                current.deadline,
                f"Thank you. {current.provider_name} will call you back within {current.minutes} minutes. "
                f"If you need help sooner, the free SAMHSA National Helpline is {FREE_HELPLINE_SPOKEN}, and "
                "988 is there for a crisis.",
            )
        return free_helpline_transfer("No problem.")

    if isinstance(current, ListingOptions):
        return Goodbye(
            f"Thank you for calling. The free SAMHSA National Helpline is {FREE_HELPLINE_SPOKEN}, and for a "
            "crisis you can call or text 988. Goodbye."
        )

    # Terminal steps (Transfer, Connect, ...) have no successor; repeating them keeps the caller served.
    return current
