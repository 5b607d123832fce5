"""Plans from the real routing engine, rendered step by step, whatever happens on the call."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clearline.routing import (
    CRISIS_NUMBER,
    FREE_HELPLINE_NUMBER,
    CallbackConfirmed,
    CallbackOffer,
    Connect,
    Dial,
    Outcome,
    Progress,
    Result,
    next_step,
    plan_call,
)
from clearline.routing.tests.factories import NOW, POLICY, call, providers
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.tests.test_twiml import URLS, greeting_lines
from clearline.telephony.twilio.tests.twiml_helpers import assert_never_silent, dialled, parse, spoken

CALLER_OUTCOMES = [
    Outcome.NO_ANSWER,
    Outcome.BUSY,
    Outcome.PRESSED_CRISIS,
    Outcome.PRESSED_FREE,
    Outcome.NO_INPUT,
]


def render(step, language: str) -> str:
    if isinstance(step, Dial):
        return twiml.render_step(step, language, URLS, {t.id: f"a-{t.id}" for t in step.targets})
    if isinstance(step, CallbackConfirmed):
        return twiml.render_callback_confirmed("Provider", 15, language, URLS)
    return twiml.render_step(step, language, URLS)


@pytest.mark.parametrize("count", [0, 1, 2, 5])
@pytest.mark.parametrize("callbacks", [True, False])
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_path_through_a_plan_renders_and_never_goes_silent(count, callbacks, language):
    roster = [replace(p, phone=f"+1555555{i:04d}") for i, p in enumerate(providers(count))]
    plan = plan_call(call(), roster, replace(POLICY, callbacks=callbacks), NOW, seed=7).plan
    phones = {p.phone for p in roster} | {CRISIS_NUMBER, FREE_HELPLINE_NUMBER}

    disclosure = plan.steps[0]
    greeting = assert_never_silent(
        twiml.render_greeting(greeting_lines([t.name for t in disclosure.targets], language), language, URLS)
    )
    for target in disclosure.targets:
        assert target.name in spoken(greeting)

    ends: set[str] = set()
    for outcome in CALLER_OUTCOMES:
        # Walk the plan from the menu, answering every prompt with the same outcome, until it ends.
        at, seen = 1, 0
        step = next_step(plan, Progress(at), Result(Outcome.NO_INPUT))
        while seen < 20:
            seen += 1
            if isinstance(step, Connect):
                break
            rendered = render(step, language)
            assert_never_silent(rendered)
            assert set(dialled(parse(rendered))) <= phones
            if not isinstance(step, Dial | CallbackOffer):
                break  # a terminal step: transfer, goodbye, confirmation
            at = step.index
            # Unanswered waves end in a callback offer; the caller who let them ring accepts it.
            said = (
                Outcome.CALLBACK_ACCEPTED
                if isinstance(step, CallbackOffer) and outcome is Outcome.NO_ANSWER
                else outcome
            )
            step = next_step(plan, Progress(at, 13.0 * seen), Result(said))
            ends.add(type(step).__name__)
        else:
            pytest.fail("the plan never ended")
    if count and callbacks:
        assert "CallbackConfirmed" in ends
