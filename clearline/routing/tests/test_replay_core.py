"""What-if replay in the routing core: the recorded settings reproduce every offer; a change shows."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from clearline.routing import plan_call
from clearline.routing.recorded import read_inputs, record_inputs
from clearline.routing.replay import RecordedCall, Ring, observed_behaviour, replay
from clearline.routing.replay_figures import summarise
from clearline.routing.tests.factories import NOW, POLICY, call, provider


def recorded(n: int, providers, answers: dict[str, float | None]) -> list[RecordedCall]:
    """``n`` calls a minute apart, ringing wave after wave until someone accepts: ``answers`` says who accepts
    after how long (the others ring out); nobody: the caller declines the callback."""
    out, state = [], list(providers)
    for i in range(n):
        at = NOW + timedelta(minutes=i)
        context = call(call_id=f"CA{i}")
        decision = plan_call(context, state, POLICY, at, seed=i)
        inputs = read_inputs(json.loads(json.dumps(record_inputs(context, state, POLICY, at))), f"CA{i}")
        rings: list[Ring] = []
        for number, wave in enumerate(decision.trace.waves, start=1):
            start = 20.0 + (number - 1) * 16.0
            rings += [Ring(pid, number, start, answers.get(pid), True) for pid in wave]
            if any(answers.get(pid) for pid in wave):
                break
        out.append(
            RecordedCall(
                f"CA{i}",
                at,
                i,
                inputs,
                "2026-03",
                decision.trace.waves,
                decision.trace.eligible_ids,
                decision.trace.callback_provider_id,
                rings=tuple(rings),
                callback_answer=None if any(r.answered_after_s for r in rings) else "declined",
            )
        )
        offered = {r.provider_id: at + timedelta(seconds=r.after_s) for r in rings}
        state = [replace(p, last_offered_at=offered.get(p.id, p.last_offered_at)) for p in state]
    return out


def test_replay_under_the_recorded_settings_reproduces_every_offer_and_a_change_shows():
    providers = [provider(f"p{i}") for i in range(4)]
    calls = recorded(8, providers, {"p0": 5.0, "p2": 7.0})
    behaviour = observed_behaviour(calls)
    same = summarise(calls, replay(calls, POLICY, behaviour), len(calls), {})
    assert (same.same_plans, same.same_offers) == (8, 8)
    assert dict(same.what_if.offers) == dict(same.actual.offers)
    assert same.what_if.answered == same.actual.answered
    assert same.what_if.human_after_s == same.actual.human_after_s

    serial = summarise(calls, replay(calls, replace(POLICY, wave_size=1), behaviour), len(calls), {})
    assert serial.same_plans == 0
    assert sum(serial.what_if.first_rings.values()) == 8  # one provider first per call

    paused = summarise(calls, replay(calls, POLICY, behaviour, paused={"p0", "p2"}), len(calls), {})
    assert paused.what_if.offers.get("p0", 0.0) == paused.what_if.offers.get("p2", 0.0) == 0.0
    assert paused.what_if.answered == 0.0
    # Nobody was offered a callback in reality, so half accept it (no observation: even odds).
    assert (paused.what_if.callbacks, paused.what_if.free_line) == (4.0, 4.0)


def test_a_provider_busy_in_one_wave_still_rings_in_the_others():
    providers = [provider("a"), provider("b"), provider("c")]
    context = call(call_id="CA1")
    decision = plan_call(context, providers, POLICY, NOW, seed=3)
    first, second = decision.trace.waves[:2]
    again = next(pid for pid in second if pid in first)  # rung in wave 1, its line still held in wave 2
    rings = tuple(Ring(pid, 1, 20.0, None, True) for pid in first) + tuple(
        Ring(pid, 2, 36.0, None, True) for pid in second if pid != again
    )
    inputs = read_inputs(record_inputs(context, providers, POLICY, NOW), "CA1")
    recorded_call = RecordedCall(
        "CA1",
        NOW,
        3,
        inputs,
        "2026-03",
        decision.trace.waves,
        decision.trace.eligible_ids,
        decision.trace.callback_provider_id,
        rings=rings,
        skipped=frozenset({(again, 2)}),
        left_after_s=50.0,
    )
    [result] = replay([recorded_call], POLICY, observed_behaviour([recorded_call]))
    assert result.offers[again] == 1.0  # its wave-1 ring, not the wave-2 skip
    assert [(w, p) for w, p, _ in result.likely_offers] == [(g.wave, g.provider_id) for g in rings]
    assert result.left == 1.0
