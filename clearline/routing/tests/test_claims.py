"""Claims: built from the policy, the roster and the fee terms; each one checked against finished calls."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import time, timedelta

from clearline.routing.claim_builders import UNCLAIMED_POLICY_FIELDS, FeeTerms, call_claims, number_claims
from clearline.routing.claims import (
    AnsweredBy,
    CallbackPromise,
    CallFacts,
    FlatEqualFee,
    KeysWork,
    NobodyNow,
    NoCallback,
    NoProvider,
    RingsAtOnce,
    WillRing,
    claim_from_dict,
    violations,
)
from clearline.routing.plans import plan_call
from clearline.routing.schedule import Schedule, TimeRange
from clearline.routing.steps import Dial
from clearline.routing.tests.factories import NOW, POLICY, call, provider
from clearline.routing.types import Intent, RoutingPolicy

FEE = FeeTerms("monthly", frozenset({"p0", "p1", "p2"}))


def kinds(claims: object) -> list[str]:
    return [c.kind for c in claims]  # type: ignore[attr-defined]


def answered_by(claims: tuple) -> AnsweredBy:
    return next(c for c in claims if isinstance(c, AnsweredBy))


def test_a_provider_whose_licence_lapsed_is_not_named() -> None:
    lapsed = provider("p1", license_expires=NOW.date() - timedelta(days=1))
    claims = number_claims([provider("p0"), lapsed], POLICY, FEE, NOW)
    assert [p.id for p in answered_by(claims).providers] == ["p0"]


def test_a_provider_that_never_takes_this_call_type_is_not_named_beside_the_number() -> None:
    detox_only = provider("p1", intents=frozenset({Intent.DETOX}))
    claims = number_claims([provider("p0"), detox_only], POLICY, FEE, NOW, intent=Intent.HOTLINE)
    assert [p.id for p in answered_by(claims).providers] == ["p0"]


def test_a_provider_closed_for_the_next_day_is_not_named_but_one_opening_tonight_is() -> None:
    monday_only = Schedule("America/New_York", weekly=((TimeRange(time(9), time(17)),),) + ((),) * 6)
    tonight = Schedule("America/New_York", weekly=((),) * 2 + ((TimeRange(time(22), time(23)),),) + ((),) * 4)
    claims = number_claims(
        [provider("p0", schedule=monday_only), provider("p1", schedule=tonight)], POLICY, FEE, NOW
    )
    assert [p.id for p in answered_by(claims).providers] == ["p1"]


def test_later_waves_of_another_size_are_claimed_as_such() -> None:
    policy = RoutingPolicy(wave_size=1, later_wave_size=3)
    rings = next(c for c in number_claims([provider("p0")], policy, FEE, NOW) if isinstance(c, RingsAtOnce))
    assert (rings.first, rings.later) == (1, 3)


def test_with_callbacks_off_no_callback_is_promised() -> None:
    claims = number_claims([provider("p0")], RoutingPolicy(callbacks=False), FEE, NOW)
    assert "no_callback" in kinds(claims) and "callback" not in kinds(claims)


def test_with_nobody_able_the_number_claims_only_the_free_line() -> None:
    claims = number_claims([provider("p0", paused=True)], POLICY, FEE, NOW)
    assert kinds(claims) == ["no_provider", "otherwise_free", "keys"]


def test_the_fee_is_claimed_only_when_every_named_provider_is_on_the_shared_fee() -> None:
    assert "flat_fee" in kinds(number_claims([provider("p0")], POLICY, FEE, NOW))
    assert "flat_fee" not in kinds(number_claims([provider("p9")], POLICY, FEE, NOW))
    assert "flat_fee" not in kinds(number_claims([provider("p0")], POLICY, None, NOW))


def test_every_claim_survives_storage() -> None:
    claims = number_claims([provider("p0", states=frozenset({"TX"}))], POLICY, FEE, NOW)
    assert tuple(claim_from_dict(c.as_dict()) for c in claims) == claims


def test_the_greeting_names_the_first_wave_or_says_nobody_can_take_the_call() -> None:
    providers = [provider("p0"), provider("p1"), provider("p2")]
    claims = number_claims(providers, POLICY, FEE, NOW)
    plan = plan_call(call(), providers, POLICY, NOW, seed=1).plan
    spoken = call_claims(plan, claims)
    ring = spoken[0]
    assert isinstance(ring, WillRing) and len(ring.provider_ids) == POLICY.wave_size
    assert any(isinstance(c, FlatEqualFee) for c in spoken)

    nobody = plan_call(call(), [provider("p0", paused=True)], POLICY, NOW, seed=1).plan
    assert kinds(call_claims(nobody, claims)) == ["nobody_now", "keys"]


def facts(**changes: object) -> CallFacts:
    base = {"kind": "helpline", "outcome": "connected", "at": NOW, "eligible": ("p0", "p1")}
    return CallFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_a_call_rung_to_a_provider_not_named_contradicts_the_claim() -> None:
    claims = number_claims([provider("p0")], POLICY, FEE, NOW)
    kept = facts(waves=(("p0",),), connected="p0", named=("p0",))
    broken = facts(waves=(("p0", "p1"),), connected="p1")
    assert violations(claims, kept) == []
    assert {c.kind for c in violations(claims, broken)} == {"answered_by", "flat_fee"}


def test_a_regional_provider_rung_for_a_caller_from_elsewhere_contradicts_where_it_takes_calls_from() -> None:
    claims = (answered_by(number_claims([provider("p0", states=frozenset({"CA"}))], POLICY, FEE, NOW)),)
    assert violations(claims, facts(waves=(("p0",),), connected="p0", caller_state="CA")) == []
    assert violations(claims, facts(waves=(("p0",),), connected="p0", caller_state=None)) == []
    assert violations(claims, facts(waves=(("p0",),), connected="p0", caller_state="TX")) == list(claims)


def test_a_provider_rung_outside_its_stated_hours_contradicts_the_claim() -> None:
    nine_to_five = Schedule("America/New_York", weekly=((TimeRange(time(9), time(17)),),) * 7)
    claims = (answered_by(number_claims([provider("p0", schedule=nine_to_five)], POLICY, FEE, NOW)),)
    late = NOW.replace(hour=20)
    assert violations(claims, facts(waves=(("p0",),), connected="p0")) == []
    assert violations(claims, facts(waves=(("p0",),), connected="p0", at=late)) == list(claims)


def test_wave_sizes_beyond_the_claim_contradict_it() -> None:
    claim = RingsAtOnce(first=1, later=3, ring_s=13, budget_s=40)
    assert claim.holds(facts(waves=(("p0",), ("p1", "p2", "p3"))))
    assert not claim.holds(facts(waves=(("p0", "p1"),)))
    assert not claim.holds(facts(waves=(("p0",),) * 4))


def test_a_callback_beyond_the_consent_or_the_promise_contradicts_it() -> None:
    promise = CallbackPromise(minutes=15, open_hours=48)
    ok = facts(
        outcome="callback",
        callback_assignees=("p0", "p1"),
        callback_consent=("p0", "p1"),
        callback_minutes=15,
    )
    assert promise.holds(ok)
    assert not promise.holds(
        facts(outcome="callback", callback_assignees=("p0", "p2"), callback_consent=("p0", "p1"))
    )
    assert not promise.holds(facts(outcome="callback", callback_assignees=("p0",), callback_minutes=30))
    assert not promise.holds(facts(outcome="callback", callback_assignees=("p0",), callback_open_hours=60))
    assert not NoCallback().holds(ok)


def test_keys_claim_is_checked_against_what_the_caller_pressed() -> None:
    keys = KeysWork()
    assert keys.holds(facts(outcome="transferred_crisis", key_presses=(("9", "greeting"),)))
    assert not keys.holds(facts(outcome="connected", connected="p0", key_presses=(("9", "greeting"),)))
    assert not keys.holds(facts(outcome="transferred_crisis"))


def test_keys_while_ringing_are_claimed_only_under_a_policy_whose_adapters_hear_them() -> None:
    said = {c.kind: c for c in number_claims([provider("p0")], POLICY, FEE, NOW)}["keys"]
    assert isinstance(said, KeysWork) and "ringing" not in said.moments
    # Not claimed: a 9 while phones ring that was not obeyed contradicts nothing the caller was told.
    assert said.holds(facts(outcome="connected", connected="p0", key_presses=(("9", "ringing"),)))
    policy = replace(POLICY, keys_while_ringing=True)
    claims = number_claims([provider("p0")], policy, FEE, NOW)
    keys = next(c for c in claims if isinstance(c, KeysWork))
    assert "ringing" in keys.moments
    assert keys.holds(facts(outcome="transferred_crisis", key_presses=(("9", "ringing"),)))
    assert not keys.holds(facts(outcome="connected", connected="p0", key_presses=(("9", "ringing"),)))
    plan = plan_call(call(), [provider("p0")], policy, NOW, seed=1).plan
    assert any(isinstance(d, Dial) for d in plan.steps) and all(
        d.caller_keys for d in plan.steps if isinstance(d, Dial)
    )
    assert call_claims(plan, claims)[-1] == keys, "the greeting says what the number's claims say"


def test_saying_nobody_can_take_the_call_and_then_ringing_someone_contradicts_it() -> None:
    assert NobodyNow().holds(facts(outcome="transferred_free"))
    assert not NobodyNow().holds(facts(waves=(("p0",),), connected="p0"))
    assert not NoProvider().holds(facts(outcome="callback", callback_assignees=("p0",)))


def test_a_call_that_ended_without_a_safe_ending_contradicts_the_otherwise_claim() -> None:
    claims = number_claims([provider("p0")], POLICY, FEE, NOW)
    broken = violations(claims, facts(outcome="pending"))
    assert [c.kind for c in broken] == ["otherwise_free"]


def test_every_policy_setting_that_changes_a_call_changes_a_claim() -> None:
    """A setting that changes what happens to calls must change what is said about them; the few that do not say
    why in ``UNCLAIMED_POLICY_FIELDS``."""
    changed = {
        "wave_size": 3,
        "later_wave_size": 1,
        "ring_timeout_s": 20,
        "ring_budget_s": 60,
        "repeat_rounds": False,
        "require_accept": False,
        "callbacks": False,
        "callback_deadline_min": 30,
        "continuity_days": 7,
        "keys_while_ringing": True,
    }
    base = number_claims([provider("p0")], POLICY, FEE, NOW)
    for f in fields(RoutingPolicy):
        if f.name in UNCLAIMED_POLICY_FIELDS:
            continue
        assert f.name in changed, f"RoutingPolicy.{f.name} is neither claimed nor in UNCLAIMED_POLICY_FIELDS"
        other = number_claims([provider("p0")], replace(POLICY, **{f.name: changed[f.name]}), FEE, NOW)
        assert other != base, f"changing RoutingPolicy.{f.name} changes no claim"


def test_with_repeat_rounds_off_a_provider_rung_twice_contradicts_the_waves_claim() -> None:
    claim = RingsAtOnce(first=1, later=1, ring_s=13, budget_s=40, again=False)
    assert claim.holds(facts(waves=(("p0",), ("p1",))))
    assert not claim.holds(facts(waves=(("p0",), ("p0",))))
