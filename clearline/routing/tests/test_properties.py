"""Property-based tests of the routing rules (hypothesis)."""

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from clearline.routing import (
    ListingTarget,
    NumberKind,
    RoutingPolicy,
    evaluate,
    plan_call,
    plan_listing_call,
    share_credit_changes,
)
from clearline.routing.schedule import Schedule, weekly_from_lists
from clearline.routing.simulator import parse_workload, run_strategy
from clearline.routing.simulator.metrics import metrics
from clearline.routing.tests.factories import NOW, call, provider

SCHEDULES = [
    Schedule("America/New_York", always_open=True),
    Schedule("America/Los_Angeles", weekly=weekly_from_lists({"wed": [["08:00", "17:00"]]})),
    Schedule("America/Chicago", weekly=weekly_from_lists({"tue": [["20:00", "08:00"]]})),
    Schedule("America/Denver"),
]

provider_strategy = st.builds(
    lambda i, sched, contract, paused, auto, lines, active, cap, delivered, states, lang, minutes, credit: (
        provider(
            f"p{i}",
            schedule=sched,
            contract_active=contract,
            paused=paused,
            auto_paused=auto,
            lines=lines,
            active_calls=min(active, lines),
            daily_cap=cap,
            delivered_today=delivered,
            delivered_on=date(2026, 3, 4),
            states=states,
            languages=lang,
            last_offered_at=None if minutes is None else NOW - timedelta(minutes=minutes),
            share_credit=credit,
        )
    ),
    st.integers(0, 10_000),
    st.sampled_from(SCHEDULES),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.integers(1, 3),
    st.integers(0, 3),
    st.none() | st.integers(0, 5),
    st.integers(0, 5),
    st.sampled_from([frozenset(), frozenset({"CA"}), frozenset({"TX", "NY"})]),
    st.sampled_from([frozenset({"en"}), frozenset({"es"}), frozenset({"en", "es"})]),
    st.none() | st.integers(0, 600),
    st.sampled_from([0.0, 0.5, -0.5, 1.0]),
)
provider_lists = st.lists(provider_strategy, max_size=12, unique_by=lambda p: p.id)
calls = st.builds(
    lambda state, lang: call(caller_state=state, language=lang),
    st.sampled_from([None, "CA", "TX", "NY"]),
    st.sampled_from(["en", "es"]),
)
policies = st.builds(
    RoutingPolicy, wave_size=st.integers(1, 4), ring_timeout_s=st.integers(5, 20), ring_budget_s=st.just(60)
)


@settings(max_examples=100, deadline=None)
@given(provider_lists, calls, policies, st.integers(0, 2**32))
def test_no_plan_ever_offers_an_ineligible_provider(providers, c, policy, seed):
    decision = plan_call(c, providers, policy, NOW, seed)
    eligible = {p.id for p in providers if evaluate(p, c, policy, NOW).eligible}
    offered = decision.plan.offered_ids
    assert set(offered) <= eligible
    assert all(len(set(d.targets)) == len(d.targets) for d in decision.plan.dials)
    assert all(len(d.targets) <= policy.wave_size for d in decision.plan.dials)
    if decision.trace.callback_provider_id is not None:
        assert decision.trace.callback_provider_id in {p.id for p in providers}


@settings(max_examples=60, deadline=None)
@given(provider_lists, calls, policies, st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_the_same_inputs_and_seed_give_the_same_plan_and_trace(providers, c, policy, seed, rnd):
    first = plan_call(c, providers, policy, NOW, seed)
    again = plan_call(c, list(providers), policy, NOW, seed)
    assert first == again and first.trace.to_json() == again.trace.to_json()
    shuffled = list(providers)
    rnd.shuffle(shuffled)
    assert plan_call(c, shuffled, policy, NOW, seed).plan == first.plan


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=40), st.lists(st.text(max_size=8)))
def test_listing_number_plans_never_contain_a_provider(facility_id, name, provider_ids):
    facility = ListingTarget(facility_id, name, "+15555550123")
    decision = plan_listing_call(call(number_kind=NumberKind.LISTING), facility, RoutingPolicy(), NOW)
    assert decision.plan.offered_ids == (facility_id,)
    assert not (set(provider_ids) - {facility_id}) & set(decision.plan.offered_ids)
    assert decision.trace.verdicts == () and decision.trace.callback_provider_id is None


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 9), st.integers(1, 3), st.integers(0, 2**16))
def test_equal_shares_converge_among_always_eligible_providers(n, k, seed):
    policy = RoutingPolicy(wave_size=k)
    providers = [provider(f"p{i}") for i in range(n)]
    first_rings: Counter[str] = Counter()
    calls_made = 60 * n
    for index in range(calls_made):
        now = NOW + timedelta(seconds=30 * index)
        decision = plan_call(call(), providers, policy, now, seed + index)
        wave = tuple(t.id for t in decision.plan.dials[0].targets)
        first_rings.update(wave)
        changes = share_credit_changes(decision.trace.eligible_ids, wave)
        providers = [
            replace(
                p,
                share_credit=p.share_credit + changes.get(p.id, 0.0),
                last_offered_at=now if p.id in wave else p.last_offered_at,
            )
            for p in providers
        ]
    expected = calls_made * min(k, n) / n
    assert all(abs(first_rings[p.id] - expected) <= 1 for p in providers)


def _workload(providers, rate, seed):
    return parse_workload(
        {
            "name": "prop",
            "seed": seed,
            "days": 0.25,
            "start": "2026-03-04T08:00:00-05:00",
            "arrivals_per_hour": [rate] * 24,
            "caller_patience_s": 90,
            "callback_accept_rate": 0.7,
            "providers": providers,
        }
    )


sim_provider = st.fixed_dictionaries(
    {
        "timezone": st.sampled_from(["America/New_York", "America/Los_Angeles"]),
        "hours": st.sampled_from(["24/7", {"wed": [["09:00", "12:00"]]}, {"wed": [["11:00", "02:00"]]}]),
        "lines": st.integers(1, 3),
        "answer_prob": st.floats(0.1, 1.0),
        "answer_delay_s": st.floats(1, 20),
        "handle_time_s": st.floats(60, 1200),
        "daily_cap": st.integers(0, 15),
        "callback_return_min": st.floats(1, 20),
    }
)


@settings(max_examples=8, deadline=None)
@given(st.lists(sim_provider, min_size=1, max_size=4), st.floats(5, 60), st.integers(0, 1000))
def test_no_simulated_run_overruns_a_line_or_a_daily_cap(providers, rate, seed):
    specs = [dict(p, id=f"p{i}") for i, p in enumerate(providers)]
    workload = _workload(specs, rate, seed)
    for strategy in ("clearline", "priority", "round_robin"):
        result = run_strategy(workload, strategy)
        assert result.cap_overruns == 0
        assert all(p.busy == 0 and p.ringing == 0 for p in result.providers)  # every slot released
        for p in result.providers:
            cap = p.spec.daily_cap
            assert cap is None or p.delivered <= cap
        m = metrics(result)
        assert m["answered_by_human_pct"] <= 100
