from datetime import timedelta

import pytest

from clearline.routing import next_step, plan_call, plan_listing_call
from clearline.routing.schedule import Schedule, weekly_from_lists
from clearline.routing.steps import (
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
    Progress,
    Result,
    Transfer,
)
from clearline.routing.tests.factories import NOW, POLICY, call, provider, providers
from clearline.routing.types import (
    CRISIS_NUMBER,
    FREE_HELPLINE_NUMBER,
    ListingTarget,
    NumberKind,
    RoutingPolicy,
)


def test_the_plan_opens_with_a_disclosure_naming_the_first_wave_and_the_menu():
    plan = plan_call(call(), providers(5), POLICY, NOW, seed=1).plan
    disclosure, menu, first = plan.steps[0], plan.steps[1], plan.steps[2]
    assert isinstance(disclosure, Disclosure) and isinstance(menu, Menu) and isinstance(first, Dial)
    assert disclosure.targets == first.targets and len(first.targets) == 2
    for target in first.targets:
        assert target.name in disclosure.text
    assert "first to answer" in disclosure.text
    assert {(o.digit, o.number) for o in menu.options} == {("9", CRISIS_NUMBER), ("0", FREE_HELPLINE_NUMBER)}
    assert "911" not in " ".join(o.number for o in menu.options)


def test_waves_ring_k_providers_within_the_ring_budget_and_timeout():
    policy = RoutingPolicy(wave_size=3, ring_timeout_s=15, ring_budget_s=30)
    plan = plan_call(call(), providers(10), policy, NOW, seed=1).plan
    assert [len(d.targets) for d in plan.dials] == [3, 3]
    assert all(d.ring_timeout_s <= 20 and d.require_accept and d.whisper for d in plan.dials)
    assert plan.dials[1].announce.startswith("Now also trying")


def test_a_wave_size_of_one_is_plain_serial_failover():
    plan = plan_call(call(), providers(4), RoutingPolicy(wave_size=1, ring_budget_s=60), NOW, seed=1).plan
    assert [len(d.targets) for d in plan.dials] == [1, 1, 1, 1]


def test_the_ring_timeout_may_not_exceed_20_seconds():
    with pytest.raises(ValueError, match="ring_timeout_s"):
        RoutingPolicy(ring_timeout_s=30)


def test_it_ends_with_a_callback_offer_from_a_named_eligible_provider_with_a_deadline():
    decision = plan_call(call(), providers(3), POLICY, NOW, seed=1)
    offer = decision.plan.terminal
    assert isinstance(offer, CallbackOffer)
    assert offer.provider_name in offer.text and offer.deadline == NOW + timedelta(minutes=15)
    assert decision.trace.callback_provider_id == offer.provider_id


def test_with_nobody_open_the_callback_goes_to_whoever_opens_before_the_deadline():
    soon = Schedule("America/New_York", weekly=weekly_from_lists({"wed": [["14:10", "18:00"]]}))
    later = Schedule("America/New_York", weekly=weekly_from_lists({"wed": [["16:00", "18:00"]]}))
    decision = plan_call(
        call(), [provider("late", schedule=later), provider("soon", schedule=soon)], POLICY, NOW, 1
    )
    assert decision.plan.dials == ()
    assert isinstance(decision.plan.terminal, CallbackOffer) and decision.plan.terminal.provider_id == "soon"


def test_when_nobody_can_return_the_call_in_time_it_ends_at_the_free_helpline():
    closed = Schedule("America/New_York")
    plan = plan_call(call(), [provider(schedule=closed)], POLICY, NOW, seed=1).plan
    assert isinstance(plan.terminal, Transfer) and plan.terminal.number == FREE_HELPLINE_NUMBER
    assert isinstance(plan.steps[0], Disclosure) and "988" in plan.steps[0].text


def test_a_callback_is_only_promised_by_a_provider_with_a_line_not_spoken_for():
    busy = provider("busy", open_callbacks=1, active_calls=1)  # two lines: one call, one callback owed
    plan = plan_call(call(), [busy], POLICY, NOW, seed=1).plan
    assert isinstance(plan.terminal, Transfer) and plan.terminal.number == FREE_HELPLINE_NUMBER
    room = provider("room", open_callbacks=1, active_calls=0)
    offer = plan_call(call(), [busy, room], POLICY, NOW, seed=1).plan.terminal
    assert isinstance(offer, CallbackOffer) and offer.provider_id == "room"


def test_next_step_connects_the_provider_who_accepted():
    plan = plan_call(call(), providers(4), POLICY, NOW, seed=1).plan
    first = plan.dials[0]
    winner = first.targets[1].id
    assert next_step(plan, Progress(first.index), Result(Outcome.ACCEPTED, winner)) == Connect(winner)


@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.BUSY, Outcome.DECLINED, Outcome.FAILED])
def test_next_step_fails_over_to_the_next_wave_then_the_callback_offer(outcome):
    plan = plan_call(call(), providers(4), RoutingPolicy(repeat_rounds=False), NOW, seed=1).plan
    first, second = plan.dials
    assert next_step(plan, Progress(first.index, 15), Result(outcome)) == second
    assert next_step(plan, Progress(second.index, 30), Result(outcome)) == plan.terminal


def test_while_the_budget_lasts_the_list_is_rung_again_never_twice_in_one_wave():
    plan = plan_call(call(), providers(3), POLICY, NOW, seed=1).plan
    waves = [tuple(t.id for t in d.targets) for d in plan.dials]
    order = plan_call(call(), providers(3), POLICY, NOW, seed=1).trace.order
    assert waves == [order[:2], (order[2], order[0]), order[1:]]
    single = plan_call(call(), providers(1), POLICY, NOW, seed=1).plan
    assert [len(d.targets) for d in single.dials] == [1, 1, 1]


def test_next_step_skips_to_the_terminal_step_when_the_ring_budget_is_spent():
    plan = plan_call(call(), providers(6), POLICY, NOW, seed=1).plan
    assert len(plan.dials) == 3
    assert next_step(plan, Progress(plan.dials[0].index, 44), Result(Outcome.NO_ANSWER)) == plan.terminal


def test_a_callback_accepted_is_confirmed_with_the_free_helpline_and_a_refusal_goes_to_it():
    plan = plan_call(call(), providers(2), POLICY, NOW, seed=1).plan
    offer = plan.terminal
    assert isinstance(offer, CallbackOffer)
    confirmed = next_step(plan, Progress(offer.index), Result(Outcome.CALLBACK_ACCEPTED))
    assert isinstance(confirmed, CallbackConfirmed) and "1-800-662-4357" in confirmed.text
    refused = next_step(plan, Progress(offer.index), Result(Outcome.NO_INPUT))
    assert isinstance(refused, Transfer) and refused.number == FREE_HELPLINE_NUMBER


def test_pressing_9_or_0_transfers_at_any_point_and_never_to_911():
    plan = plan_call(call(), providers(2), POLICY, NOW, seed=1).plan
    for index in range(len(plan.steps)):
        crisis = next_step(plan, Progress(index), Result(Outcome.PRESSED_CRISIS))
        free = next_step(plan, Progress(index), Result(Outcome.PRESSED_FREE))
        assert isinstance(crisis, Transfer) and crisis.number == CRISIS_NUMBER
        assert isinstance(free, Transfer) and free.number == FREE_HELPLINE_NUMBER


def test_no_path_through_a_plan_ends_in_silence():
    plan = plan_call(call(), providers(5), POLICY, NOW, seed=1).plan
    audible = (Connect, Transfer, CallbackConfirmed, Goodbye, Ended)
    for outcome in Outcome:
        for index, current in enumerate(plan.steps):
            accepted = current.targets[0].id if isinstance(current, Dial) else None
            step = next_step(plan, Progress(index), Result(outcome, accepted))
            assert isinstance(step, (*audible, Dial, CallbackOffer, Menu)), (index, outcome, step)


def test_a_listing_number_rings_only_its_facility_then_gives_options():
    listing = call(number_kind=NumberKind.LISTING)
    facility = ListingTarget("fac-1", "Riverbend Treatment Center", "+15555550123")
    decision = plan_listing_call(listing, facility, POLICY, NOW)
    plan = decision.plan
    assert [t.id for d in plan.dials for t in d.targets] == ["fac-1"]
    assert isinstance(plan.terminal, ListingOptions) and "1-800-662-4357" in plan.terminal.text
    after = next_step(plan, Progress(plan.dials[0].index), Result(Outcome.NO_ANSWER))
    assert after == plan.terminal
    assert isinstance(next_step(plan, Progress(plan.terminal.index), Result(Outcome.NO_INPUT)), Goodbye)
    assert decision.trace.verdicts == () and decision.trace.terminal == "listing_options"


def test_plan_call_refuses_a_listing_number():
    with pytest.raises(ValueError, match="listing"):
        plan_call(call(number_kind=NumberKind.LISTING), providers(2), POLICY, NOW, seed=1)
