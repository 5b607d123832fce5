"""One rule chooses who returns a callback (issue 11, item 4): the offer's assignee and backups and, when a
deadline is missed, the successor (``callback_successor``) come from the same ``callback_order``, with the same
seed, only within the caller's consent and only to a provider with room."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from clearline.routing import callback_successor, plan_call, room_for_a_callback
from clearline.routing.callback_choice import callback_order
from clearline.routing.eligibility import evaluate_all
from clearline.routing.place import for_zip3
from clearline.routing.schedule import Schedule, weekly_from_lists
from clearline.routing.steps import CallbackOffer
from clearline.routing.tests.factories import NOW, POLICY, call, provider, providers
from clearline.routing.types import RoutingPolicy

SOON = Schedule("America/New_York", weekly=weekly_from_lists({"wed": [["14:05", "18:00"]]}))
TONIGHT = Schedule("America/New_York", weekly=weekly_from_lists({"wed": [["20:00", "23:00"]]}))


def offer_of(caller, roster, policy=POLICY, seed=1) -> CallbackOffer:
    offer = plan_call(caller, roster, policy, NOW, seed).plan.terminal
    assert isinstance(offer, CallbackOffer)
    return offer


rosters = st.lists(
    st.tuples(
        st.integers(0, 2),  # calls in progress
        st.integers(0, 3),  # open callbacks
        st.integers(0, 2),  # offers left unanswered
        st.sampled_from(["open", "soon", "tonight"]),
        st.integers(-2, 2),  # fair-share credit
        st.integers(1, 3),  # lines
    ),
    min_size=1,
    max_size=8,
).map(
    lambda rows: [
        provider(
            f"p{i}",
            active_calls=calls,
            open_callbacks=owed,
            unanswered_offers=(NOW,) * missed,
            share_credit=float(credit),
            lines=lines,
            **(
                {"schedule": SOON} if hours == "soon" else {"schedule": TONIGHT} if hours == "tonight" else {}
            ),
        )
        for i, (calls, owed, missed, hours, credit, lines) in enumerate(rows)
    ]
)


@settings(max_examples=150, deadline=None)
@given(roster=rosters, seed=st.integers(0, 2**32), per_line=st.sampled_from([1.0, 1.5, 2.0]))
def test_with_the_same_inputs_reassignment_follows_the_offers_order(roster, seed, per_line):
    policy = RoutingPolicy(callback_max_per_line=per_line)
    decision = plan_call(call(), roster, policy, NOW, seed)
    offer = decision.plan.terminal
    if not isinstance(offer, CallbackOffer):
        return
    consent = offer.provider_ids
    order = [
        p.id for p in callback_order(roster, evaluate_all(roster, call(), policy, NOW), policy, NOW, seed)
    ]
    assert consent[: len(order)] == tuple(order[: len(consent)])  # the offer names its order, assignee first
    for had in range(1, len(consent) + 1):
        successor = callback_successor(call(), roster, policy, NOW, seed, consent, consent[:had])
        # the first of the same order the caller agreed to and that has not had it ...
        expected = next((p for p in order if p in consent[had:]), None)
        assert (successor.id if successor else None) == expected
        # ... which, while the offer's order lasts, is simply the next name the caller heard
        if had < min(len(order), len(consent)):
            assert successor is not None and successor.id == consent[had]


def test_ties_are_broken_as_in_the_offer_by_the_calls_seed():
    roster = providers(4)  # alike in every way: only the seed orders them
    for seed in range(20):
        offer = offer_of(call(), roster, seed=seed)
        successors = [
            callback_successor(call(), roster, POLICY, NOW, seed, offer.provider_ids, offer.provider_ids[:n])
            for n in range(1, len(offer.provider_ids))
        ]
        assert tuple(s.id for s in successors if s) == offer.provider_ids[1:]


@settings(max_examples=150, deadline=None)
@given(
    roster=rosters,
    seed=st.integers(0, 2**32),
    consent=st.lists(st.sampled_from([f"p{i}" for i in range(8)]), unique=True, max_size=5),
    had=st.sets(st.sampled_from([f"p{i}" for i in range(8)]), max_size=3),
    later_min=st.integers(0, 600),
)
def test_the_successor_is_always_one_the_caller_agreed_to_that_has_room(
    roster, seed, consent, had, later_min
):
    policy = RoutingPolicy(callback_max_per_line=1.5)
    later = NOW + timedelta(minutes=later_min)
    successor = callback_successor(call(), roster, policy, later, seed, consent, had)
    if successor is None:
        return
    assert successor.id in consent and successor.id not in had
    assert room_for_a_callback(successor, policy)


def test_nobody_outside_the_consent_even_the_best_placed():
    roster = [provider("named"), provider("backup", open_callbacks=2), provider("outsider", share_credit=9.0)]
    assert callback_successor(call(), roster, POLICY, NOW, 1, ("named", "backup"), ("named",)) is None
    assert callback_successor(call(), roster, POLICY, NOW, 1, (), ("named",)) is None  # no consent: nobody


def test_capacity_is_calls_and_open_callbacks_against_lines_times_the_policys_callbacks_per_line():
    # Two lines each; one at three of four places when two callbacks per line are allowed.
    roster = [provider("named"), provider("full", active_calls=1, open_callbacks=1), provider("room")]
    consent, had = ("named", "full", "room"), ("named",)
    assert not room_for_a_callback(roster[1], POLICY)
    assert callback_successor(call(), roster, POLICY, NOW, 1, consent, had).id == "room"
    roomier = RoutingPolicy(callback_max_per_line=2.0)
    assert room_for_a_callback(roster[1], roomier)
    loaded_room = [*roster[:2], provider("room", active_calls=1, open_callbacks=2)]
    assert callback_successor(call(), loaded_room, roomier, NOW, 1, consent, had).id == "full"
    assert callback_successor(call(), [*roster[:2]], POLICY, NOW, 1, consent, had) is None


def test_the_callers_filters_apply_at_the_moment_of_the_reassignment():
    roster = [provider("named"), provider("closed", schedule=TONIGHT), provider("later", schedule=SOON)]
    consent, had = ("named", "closed", "later"), ("named",)
    assert callback_successor(call(), roster, POLICY, NOW, 1, consent, had).id == "later"  # opens in 5 min
    tonight = NOW + timedelta(hours=6, minutes=5)  # 20:05: "closed" is open now, "later" closed since 18:00
    assert callback_successor(call(), roster, POLICY, tonight, 1, consent, had).id == "closed"
    paused = [roster[0], provider("closed", schedule=TONIGHT, paused=True), roster[2]]
    assert callback_successor(call(), paused, POLICY, tonight, 1, consent, had) is None


def test_a_typed_zip_prefix_is_compared_as_when_the_call_was_planned():
    roster = [
        provider("everywhere"),
        provider("bellevue", zip_prefixes=frozenset({"98052"}), open_callbacks=1),
    ]
    caller = call(caller_state="WA", caller_zip="980")
    offer = offer_of(caller, for_zip3(roster))  # how telephony plans a call whose caller typed a ZIP code
    assert offer.provider_ids == ("everywhere", "bellevue")
    for given_roster in (roster, for_zip3(roster)):
        successor = callback_successor(
            caller, given_roster, POLICY, NOW, 1, offer.provider_ids, ("everywhere",)
        )
        assert successor is not None and successor.id == "bellevue"


def test_callback_order_takes_only_providers_with_room():
    roster = [provider(f"p{i}", lines=2, active_calls=i % 3, open_callbacks=i // 3) for i in range(9)]
    verdicts = evaluate_all(roster, call(), POLICY, NOW)
    ordered = {p.id for p in callback_order(roster, verdicts, POLICY, NOW, 1)}
    assert ordered == {p.id for p in roster if room_for_a_callback(p, POLICY)}
