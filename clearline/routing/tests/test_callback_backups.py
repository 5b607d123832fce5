"""The callback offer names who may take the request over: the providers passing this caller's callback filters,
other than the assignee, in the order the core would choose them (issue 10, item 8)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clearline.routing import plan_call
from clearline.routing.callback_choice import (
    CALLBACK_BACKUPS_MAX,
    callback_order,
    choose_callback_provider,
)
from clearline.routing.eligibility import evaluate_all
from clearline.routing.schedule import Schedule, weekly_from_lists
from clearline.routing.steps import CallbackOffer, DialTarget
from clearline.routing.tests.factories import NOW, POLICY, call, provider, providers
from clearline.routing.types import Intent, RoutingPolicy


def offer_of(caller, roster, policy=POLICY, seed=1) -> CallbackOffer:
    offer = plan_call(caller, roster, policy, NOW, seed).plan.terminal
    assert isinstance(offer, CallbackOffer)
    return offer


def test_the_offer_names_the_other_providers_that_pass_the_callers_callback_filters():
    roster = [
        provider("a"),
        provider("b"),
        provider("spanish-only", languages=frozenset({"es"})),
        provider("texas-only", states=frozenset({"TX"})),
        provider("no-detox", intents=frozenset(Intent) - {Intent.DETOX}),
        provider("lapsed", license_expires=None),
        provider("paused", paused=True),
        provider("capped", daily_cap=0),
        provider("c"),
    ]
    offer = offer_of(call(caller_state="WA", intent=Intent.DETOX), roster)
    assert offer.provider_id in {"a", "b", "c"}
    assert {b.id for b in offer.backups} == {"a", "b", "c"} - {offer.provider_id}
    assert offer.provider_ids == (offer.provider_id, *(b.id for b in offer.backups))
    assert all(
        isinstance(b, DialTarget) and b.name == f"Provider {b.id}" and not b.phone for b in offer.backups
    )
    for backup in offer.backups:
        assert backup.name in offer.text
    assert "does not call you in time" in offer.text and "to nobody else" in offer.text


def test_the_backups_are_in_the_order_the_core_would_choose_them():
    roster = [
        provider("loaded", active_calls=1),  # one of two lines in use
        provider("ignored-offers", unanswered_offers=(NOW,)),
        provider("idle-1"),
        provider("idle-2"),
    ]
    offer = offer_of(call(), roster, RoutingPolicy(wave_size=1, ring_budget_s=13), seed=7)
    verdicts = evaluate_all(roster, call(), POLICY, NOW)
    order = [p.id for p in callback_order(roster, verdicts, POLICY, NOW, 7)]
    assert offer.provider_ids == tuple(order)
    assert set(offer.provider_ids[:2]) == {"idle-1", "idle-2"}
    assert offer.provider_ids[2:] == ("loaded", "ignored-offers")


def test_providers_without_a_line_now_or_opening_after_the_deadline_come_last_as_backups():
    later = Schedule("America/New_York", weekly=weekly_from_lists({"wed": [["16:00", "18:00"]]}))
    roster = [
        provider("full", lines=1, open_callbacks=1),
        provider("opens-later", schedule=later),
        provider("open"),
    ]
    offer = offer_of(call(), roster)
    assert offer.provider_id == "open"
    assert {b.id for b in offer.backups} == {"full", "opens-later"}


def test_no_other_eligible_provider_means_no_backups_and_no_second_sentence():
    roster = [provider("only"), provider("elsewhere", states=frozenset({"TX"}))]
    offer = offer_of(call(caller_state="WA"), roster)
    assert offer.provider_id == "only" and offer.backups == ()
    assert "in time" not in offer.text


def test_at_most_a_few_backups_are_named():
    offer = offer_of(call(), providers(9))
    assert len(offer.backups) == CALLBACK_BACKUPS_MAX
    assert len(set(offer.provider_ids)) == 1 + CALLBACK_BACKUPS_MAX


@settings(max_examples=60, deadline=None)
@given(
    loads=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2), st.booleans()),
        min_size=1,
        max_size=7,
    ),
    seed=st.integers(0, 2**32),
)
def test_the_assignee_is_the_first_of_the_cores_order_and_never_a_backup(loads, seed):
    soon = Schedule("America/New_York", weekly=weekly_from_lists({"wed": [["14:05", "18:00"]]}))
    roster = [
        provider(
            f"p{i}",
            active_calls=calls,
            open_callbacks=owed,
            unanswered_offers=(NOW,) * missed,
            **({"schedule": soon} if closed else {}),
        )
        for i, (calls, owed, missed, closed) in enumerate(loads)
    ]
    verdicts = evaluate_all(roster, call(), POLICY, NOW)
    chosen = choose_callback_provider(roster, verdicts, POLICY, NOW, seed)
    order = callback_order(roster, verdicts, POLICY, NOW, seed)
    assert (chosen is None) == (not order)
    terminal = plan_call(call(), roster, POLICY, NOW, seed).plan.terminal
    if chosen is None:
        assert not isinstance(terminal, CallbackOffer)
        return
    assert chosen == order[0]
    assert isinstance(terminal, CallbackOffer) and terminal.provider_id == chosen.id
    assert chosen.id not in {b.id for b in terminal.backups}
    able = [p.id for p in order[1:]]
    assert [b.id for b in terminal.backups][: len(able)] == able[:CALLBACK_BACKUPS_MAX]
