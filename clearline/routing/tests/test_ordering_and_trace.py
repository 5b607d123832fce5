import json
import subprocess
import sys
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from clearline.routing import plan_call, share_credit_changes
from clearline.routing.ordering import rotation_key, rotation_order, tie_key
from clearline.routing.tests.factories import NOW, POLICY, call, provider, providers
from clearline.routing.types import RoutingPolicy


def test_the_least_recently_offered_provider_goes_first():
    ps = [
        provider("a", last_offered_at=NOW - timedelta(minutes=1)),
        provider("b", last_offered_at=NOW - timedelta(minutes=30)),
        provider("c", last_offered_at=NOW - timedelta(minutes=10)),
    ]
    assert [p.id for p in rotation_order(ps, seed=1)] == ["b", "c", "a"]


def test_a_provider_owed_first_rings_goes_before_the_least_recently_offered():
    ps = [
        provider("a", last_offered_at=NOW - timedelta(minutes=30)),
        provider("b", last_offered_at=NOW - timedelta(minutes=1), share_credit=0.8),
    ]
    assert [p.id for p in rotation_order(ps, seed=1)] == ["b", "a"]


def test_ties_are_broken_by_the_seed_and_replay_exactly():
    ps = providers(8)
    first = [p.id for p in rotation_order(ps, seed=42)]
    assert first == [p.id for p in rotation_order(list(reversed(ps)), seed=42)]
    assert any([p.id for p in rotation_order(ps, seed=s)] != first for s in range(5))
    assert tie_key(42, "p1") == tie_key(42, "p1")


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, -0.0, 0.25, -1.0]) | st.floats(-2, 2), st.none() | st.integers(0, 3)),
        max_size=12,
    ),
    st.integers(0, 2**32),
)
def test_the_rotation_is_the_rotation_key_then_the_tie_key_with_or_without_equal_credits(rows, seed):
    ps = [
        provider(
            f"p{i}",
            share_credit=credit,
            last_offered_at=None if minutes is None else NOW - timedelta(minutes=minutes),
        )
        for i, (credit, minutes) in enumerate(rows)
    ]
    expected = sorted(ps, key=lambda p: (rotation_key(p), tie_key(seed, p.id)))
    assert rotation_order(ps, seed) == expected


def test_share_credit_changes_balance_the_fair_share_against_first_rings():
    changes = share_credit_changes(["a", "b", "c", "d"], ["a", "b"])
    assert changes == {"a": -0.5, "b": -0.5, "c": 0.5, "d": 0.5}
    assert abs(sum(changes.values())) < 1e-12
    assert share_credit_changes([], []) == {}


def test_a_repeat_caller_goes_first_to_the_provider_who_answered_last_when_enabled():
    ps = providers(5)
    repeat = call(previous_provider_id="p3", previous_answered_at=NOW - timedelta(days=2))
    on = plan_call(repeat, ps, RoutingPolicy(continuity_days=7), NOW, seed=1)
    assert on.trace.order[0] == "p3" and on.trace.continuity_id == "p3"
    off = plan_call(repeat, ps, RoutingPolicy(continuity_days=7), NOW + timedelta(days=8), seed=1)
    assert off.trace.continuity_id is None
    paused = [provider("p3", paused=True), *providers(2)]
    assert (
        plan_call(repeat, paused, RoutingPolicy(continuity_days=7), NOW, seed=1).trace.continuity_id is None
    )


def test_the_trace_lists_every_provider_with_each_filter_the_order_and_the_seed():
    ps = [*providers(3), provider("closed", paused=True, contract_active=False)]
    trace = plan_call(call(), ps, POLICY, NOW, seed=7).trace
    data = json.loads(trace.to_json())
    assert data["seed"] == 7 and data["policy_version"] == POLICY.version
    assert [p["id"] for p in data["providers"]] == ["p0", "p1", "p2", "closed"]
    closed = data["providers"][3]
    assert closed["eligible"] is False and closed["failed"] == ["contract_active", "not_paused"]
    assert set(closed["filters"]) == set(data["filters"])
    assert sorted(data["order"]) == ["p0", "p1", "p2"] and data["waves"][0] == data["order"][:2]


_SCRIPT = """
from clearline.routing import plan_call
from clearline.routing.tests.factories import NOW, POLICY, call, providers
print(plan_call(call(), providers(12), POLICY, NOW, seed=99).trace.to_json())
"""


def test_the_trace_json_is_identical_across_python_runs():
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(hash_seed), "PATH": ""},
        ).stdout
        for hash_seed in (0, 1, 12345)
    }
    assert len(outputs) == 1
    assert plan_call(call(), providers(12), POLICY, NOW, seed=99).trace.to_json() == outputs.pop().strip()
