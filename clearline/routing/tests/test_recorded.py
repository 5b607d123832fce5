"""A decision's recorded inputs plan the same call again, exactly."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time, timedelta

from clearline.routing import plan_call
from clearline.routing.recorded import read_inputs, record_inputs
from clearline.routing.schedule import Schedule, TimeRange, weekly_from_lists
from clearline.routing.tests.factories import NOW, POLICY, call, provider
from clearline.routing.types import Intent


def roster():
    weekdays = weekly_from_lists({d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})
    return [
        provider("p1", share_credit=0.5, last_offered_at=NOW - timedelta(minutes=3)),
        provider("p2", schedule=Schedule("America/Chicago", weekly=weekdays), states=frozenset({"TX"})),
        provider(
            "p3",
            schedule=Schedule(
                "America/Denver",
                weekly=weekdays,
                holidays=frozenset({date(2026, 3, 5), date(2025, 1, 1)}),
                exceptions={date(2026, 3, 4): (TimeRange(time(9, 0), time(9, 30)),)},
            ),
            unanswered_offers=(NOW - timedelta(minutes=5),),
            daily_cap=4,
            delivered_today=2,
            delivered_on=date(2026, 3, 4),
            languages=frozenset({"en", "es"}),
            intents=frozenset({Intent.DETOX}),
        ),
        provider("p4", active_calls=2, open_callbacks=1, zip_prefixes=frozenset({"981"})),
        provider("p5", paused=True),
        provider("p6"),
    ]


def test_recorded_inputs_plan_the_same_decision_byte_for_byte():
    context = call(call_id="CA9", caller_state="TX", intent=Intent.DETOX, caller_zip="981")
    decision = plan_call(context, roster(), POLICY, NOW, seed=77)
    stored = json.loads(json.dumps(record_inputs(context, roster(), POLICY, NOW)))
    again = read_inputs(stored, "CA9")
    replanned = plan_call(again.call, again.providers, again.policy, NOW, seed=77)
    assert replanned.trace.to_json() == decision.trace.to_json()
    rows = [dict(zip(stored["provider_fields"], row, strict=True)) for row in stored["providers"]]
    assert rows[2]["schedule"]["holidays"] == ["2026-03-05"]  # the old one is not kept
    assert "name" not in rows[0] and "phone" not in rows[0]
    assert [p.id for p in again.providers] == [p.id for p in roster()]


def test_inputs_recorded_in_the_first_format_still_read():
    stored = {
        "format": 1,
        "call": {"language": "en", "state": "TX"},
        "policy": {"version": "settings-v3", "wave_size": 1},
        "providers": [
            {
                "id": "p1",
                "schedule": {"tz": "America/New_York", "always_open": True},
                "lines": 2,
                "license_expires": "2030-01-01",
                "certification_expires": "2030-01-01",
            },
            {
                "id": "p2",
                "schedule": {"tz": "America/Chicago", "weekly": [["08:00-20:00"]] * 7},
                "paused": True,
            },
        ],
    }
    inputs = read_inputs(stored, "CA1")
    assert (inputs.policy.wave_size, inputs.call.caller_state) == (1, "TX")
    assert [(p.id, p.lines, p.paused) for p in inputs.providers] == [("p1", 2, False), ("p2", 1, True)]
    decision = plan_call(inputs.call, inputs.providers, inputs.policy, NOW, seed=1)
    assert decision.trace.waves[0] == ("p1",)


def test_a_repeat_callers_earlier_answer_is_kept_as_whole_days_not_the_instant():
    earlier = NOW - timedelta(days=2, hours=6)
    context = call(call_id="CA7", previous_provider_id="p1", previous_answered_at=earlier)
    stored = json.loads(json.dumps(record_inputs(context, roster(), POLICY, NOW)))
    assert stored["call"]["previous_age_days"] == 3 and earlier.isoformat() not in json.dumps(stored)
    again = read_inputs(stored, "CA7").call
    assert again.previous_provider_id == "p1" and again.previous_answered_at == NOW - timedelta(days=3)
    for days in (2, 3):  # continuity within 2 days: no (2.25 days ago); within 3: yes, as at the time
        policy = replace(POLICY, continuity_days=days)
        replayed = plan_call(again, roster(), policy, NOW, seed=5).trace.continuity_id
        assert replayed == plan_call(context, roster(), policy, NOW, seed=5).trace.continuity_id
        assert replayed == ("p1" if days == 3 else None)
