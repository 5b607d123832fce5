"""The callback record (issue 13, item 4): a provider that let more than one in ten of its recent callbacks go past
the deadline is not promised new ones (nor named as a backup, nor given one that another provider missed), and is
still rung live. The rule reads the record and nothing else, and the trace names whom it left out."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from clearline.routing import callback_successor, plan_call
from clearline.routing.callback_choice import (
    CALLBACK_LATE_PER_TEN,
    callback_order,
    callback_refusals,
    keeps_callbacks,
)
from clearline.routing.eligibility import evaluate_all
from clearline.routing.steps import CallbackOffer
from clearline.routing.tests.factories import NOW, POLICY, call, provider, providers


def test_one_late_in_ten_is_kept_one_in_nine_is_not():
    assert CALLBACK_LATE_PER_TEN == 1
    assert keeps_callbacks(provider())  # no record yet
    assert keeps_callbacks(provider(recent_callbacks=10, late_callbacks=1))
    assert not keeps_callbacks(provider(recent_callbacks=9, late_callbacks=1))
    assert not keeps_callbacks(provider(recent_callbacks=1, late_callbacks=1))
    assert keeps_callbacks(provider(recent_callbacks=20, late_callbacks=2))


def test_a_provider_late_with_its_callbacks_is_still_rung_live_but_not_promised_one():
    late = provider("late", recent_callbacks=4, late_callbacks=1, share_credit=5.0)  # owed the most rings
    roster = [late, provider("steady", recent_callbacks=4)]
    decision = plan_call(call(), roster, POLICY, NOW, 1)
    assert decision.trace.eligible_ids == ("late", "steady")
    assert decision.plan.first_dial().targets[0].id == "late"  # the live rotation does not look at the record
    offer = decision.plan.terminal
    assert isinstance(offer, CallbackOffer)
    assert offer.provider_ids == ("steady",)  # neither named nor a backup
    verdicts = evaluate_all(roster, call(), POLICY, NOW)
    assert callback_refusals(roster, verdicts) == {"late": "keeps_callbacks"}


def test_nobody_with_a_good_record_means_the_free_helpline_not_a_promise_likely_broken():
    roster = [
        provider("a", recent_callbacks=2, late_callbacks=1),
        provider("b", recent_callbacks=3, late_callbacks=2),
    ]
    decision = plan_call(call(), roster, POLICY, NOW, 1)
    assert not isinstance(decision.plan.terminal, CallbackOffer)
    assert decision.trace.terminal == "free_helpline"
    assert decision.trace.callback_provider_id is None


def test_a_missed_callback_does_not_move_to_a_backup_whose_record_has_gone_bad():
    roster = [provider("named"), provider("first", recent_callbacks=1, late_callbacks=1), provider("second")]
    consent = ("named", "first", "second")
    assert callback_successor(call(), roster, POLICY, NOW, 1, consent, ("named",)).id == "second"
    only_bad = roster[:2]
    assert callback_successor(call(), only_bad, POLICY, NOW, 1, consent, ("named",)) is None


def test_the_refusals_name_only_providers_the_record_alone_left_out():
    roster = [
        provider("paused", paused=True, recent_callbacks=1, late_callbacks=1),  # a filter already left it out
        provider("late", recent_callbacks=1, late_callbacks=1),
        provider("fine"),
    ]
    verdicts = evaluate_all(roster, call(), POLICY, NOW)
    assert callback_refusals(roster, verdicts) == {"late": "keeps_callbacks"}


records = st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda r: (max(r), min(r)))


@settings(max_examples=200, deadline=None)
@given(
    record=records,
    credit=st.floats(-5, 5),
    calls=st.integers(0, 1),
    owed=st.integers(0, 1),
    name=st.text(min_size=1, max_size=8),
)
def test_the_rule_reads_the_record_and_nothing_else(record, credit, calls, owed, name):
    recent, late = record
    base = provider("x", recent_callbacks=recent, late_callbacks=late)
    other = replace(base, id="y", name=name, share_credit=credit, active_calls=calls, open_callbacks=owed)
    assert keeps_callbacks(base) == keeps_callbacks(other) == (late * 10 <= recent * CALLBACK_LATE_PER_TEN)


@settings(max_examples=100, deadline=None)
@given(record=records, seed=st.integers(0, 2**32))
def test_the_same_record_under_another_name_gets_the_same_answer(record, seed):
    recent, late = record
    roster = providers(3)
    marked = [replace(roster[0], recent_callbacks=recent, late_callbacks=late), *roster[1:]]
    renamed = [marked[2], marked[1], replace(marked[0], id="zz", name="Another")]
    order = [
        p.id for p in callback_order(marked, evaluate_all(marked, call(), POLICY, NOW), POLICY, NOW, seed)
    ]
    again = [
        p.id for p in callback_order(renamed, evaluate_all(renamed, call(), POLICY, NOW), POLICY, NOW, seed)
    ]
    assert ("p0" in order) == ("zz" in again) == keeps_callbacks(marked[0])
