"""When a helpline call asks the caller for a ZIP code, and how three ZIP digits meet providers' prefixes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clearline.routing import plan_call
from clearline.routing.eligibility import evaluate_all
from clearline.routing.place import for_zip3, needs_place, zip3_prefixes
from clearline.routing.schedule import Schedule
from clearline.routing.tests.factories import NOW, POLICY, call, provider
from clearline.routing.types import NumberKind

TEXAS = provider("tx", states=frozenset({"TX"}))
SEATTLE = provider("sea", zip_prefixes=frozenset({"981"}))
EVERYWHERE = provider("all")
CLOSED = Schedule("America/New_York")  # no opening hours


def asks(c, providers, policy=POLICY):
    return needs_place(c, providers, evaluate_all(providers, c, policy, NOW), policy)


def test_unknown_area_with_a_regional_provider_asks():
    assert asks(call(), [TEXAS])
    assert asks(call(), [EVERYWHERE, SEATTLE])


def test_unknown_area_with_providers_serving_everywhere_does_not_ask():
    assert not asks(call(), [EVERYWHERE, provider("b")])


def test_unknown_area_asks_only_about_providers_who_could_take_the_call():
    paused = replace(TEXAS, paused=True)
    assert not asks(call(), [EVERYWHERE, paused])
    # Closed now but able to return a callback: the place decides who would call back.
    closed = replace(TEXAS, schedule=CLOSED)
    assert asks(call(), [closed])
    assert not asks(call(), [closed], replace(POLICY, callbacks=False))


def test_known_area_nobody_serves_but_someone_serves_elsewhere_asks():
    assert asks(call(caller_state="OH"), [TEXAS, SEATTLE])


def test_known_area_someone_serves_does_not_ask():
    assert not asks(call(caller_state="TX"), [TEXAS, SEATTLE])
    assert not asks(call(caller_state="OH"), [TEXAS, EVERYWHERE])


def test_known_area_that_elsewhere_is_no_help_does_not_ask():
    # The only provider elsewhere is paused: a ZIP code could not change anything.
    assert not asks(call(caller_state="OH"), [replace(TEXAS, paused=True)])
    assert not asks(call(caller_state="OH"), [])


def test_a_caller_is_asked_once_and_listing_numbers_are_never_asked():
    assert not asks(call(caller_zip="787"), [SEATTLE])
    assert not asks(call(number_kind=NumberKind.LISTING), [TEXAS])


def test_three_zip_digits_meet_longer_and_shorter_prefixes():
    assert zip3_prefixes({"98052", "98", "981"}) == {"980", "98", "981"}
    narrowed = for_zip3([provider("a", zip_prefixes=frozenset({"98052"})), SEATTLE, EVERYWHERE])
    assert narrowed[1] is SEATTLE and narrowed[2] is EVERYWHERE
    seattle_caller = call(caller_zip="980")
    decision = plan_call(seattle_caller, narrowed, POLICY, NOW, seed=1)
    assert set(decision.trace.eligible_ids) == {"a", "all"}
    short = provider("b", zip_prefixes=frozenset({"98"}))
    assert plan_call(seattle_caller, for_zip3([short]), POLICY, NOW, seed=1).trace.eligible_ids == ("b",)


@pytest.mark.parametrize("state", [None, "TX", "OH"])
def test_the_rule_reads_the_decision_trace_verdicts(state):
    c = call(caller_state=state)
    decision = plan_call(c, [TEXAS, SEATTLE], POLICY, NOW, seed=3)
    assert needs_place(c, [TEXAS, SEATTLE], decision.trace.verdicts, POLICY) == (state != "TX")
