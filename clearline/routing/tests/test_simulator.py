import json
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest

from clearline.routing.simulator import (
    WorkloadError,
    load_workload,
    parse_workload,
    run_strategy,
    simulate,
    strategies,
)
from clearline.routing.simulator.metrics import metrics

ROOT = Path(__file__).resolve().parents[3]
WORKLOADS = sorted((ROOT / "bench" / "workloads").glob("*.json"))
SCHEMA = json.loads((ROOT / "docs" / "simulation.schema.json").read_text())
METRICS = {
    "calls",
    "answered_by_human_pct",
    "human_within_30s_pct",
    "answered_or_returned_15min_pct",
    "abandoned_pct",
    "asa_s",
    "p90_time_to_human_s",
    "max_share_deviation_pts",
    "cap_overruns",
    "callbacks_created",
    "callbacks_returned_on_time_pct",
}


def small(**changes):
    data = {
        "name": "small",
        "seed": 3,
        "days": 0.5,
        "start": "2026-03-04T06:00:00-05:00",
        "arrivals_per_hour": [12] * 24,
        "caller_patience_s": 120,
        "callback_accept_rate": 0.7,
        "providers": [
            {
                "id": f"p{i}",
                "timezone": "America/New_York",
                "hours": "24/7",
                "lines": 2,
                "answer_prob": 0.8,
                "answer_delay_s": 8,
                "handle_time_s": 600,
            }
            for i in range(4)
        ],
    }
    data.update(changes)
    return data


def test_the_shipped_workloads_follow_the_schema_and_parse():
    assert len(WORKLOADS) >= 3
    for path in WORKLOADS:
        jsonschema.validate(json.loads(path.read_text()), SCHEMA)
        assert load_workload(path).providers


def test_the_schema_and_the_parser_agree_on_unknown_keys():
    bad = small(surprise=1)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)
    with pytest.raises(WorkloadError, match="unknown keys"):
        parse_workload(bad)
    provider = small()["providers"][0] | {"fee": 10}
    with pytest.raises(WorkloadError, match=r"providers\[0\]: unknown keys \['fee'\]"):
        parse_workload(small(providers=[provider]))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": "2026-03-04T06:00:00"}, "UTC offset"),
        ({"arrivals_per_hour": [1] * 23}, "24 numbers"),
        ({"callback_accept_rate": 1.5}, "outside"),
        ({"providers": []}, "non-empty"),
    ],
)
def test_it_rejects_bad_workloads_with_a_clear_message(changes, message):
    with pytest.raises(WorkloadError, match=message):
        parse_workload(small(**changes))


def test_it_rejects_an_unknown_time_zone_and_bad_hours():
    provider = small()["providers"][0]
    with pytest.raises(WorkloadError, match="time zone"):
        parse_workload(small(providers=[provider | {"timezone": "Mars/Olympus"}]))
    with pytest.raises(WorkloadError, match="weekday"):
        parse_workload(small(providers=[provider | {"hours": {"someday": [["08:00", "09:00"]]}}]))


def test_a_simulation_reports_every_metric_and_replays_exactly():
    workload = parse_workload(small())
    first = simulate(workload, ["clearline", "priority", "round_robin"])
    assert first == simulate(workload, ["clearline", "priority", "round_robin"])
    assert first["workload"] == "small"
    for row in first["strategies"].values():
        assert set(row) >= METRICS
        assert row["cap_overruns"] == 0
    assert first["strategies"]["priority"]["callbacks_created"] == 0
    assert simulate(workload, ["clearline"], seed=4) != simulate(workload, ["clearline"], seed=5)


def test_waves_reach_a_human_faster_than_serial_baselines():
    result = simulate(parse_workload(small(days=2)), ["clearline", "round_robin"])["strategies"]
    assert result["clearline"]["human_within_30s_pct"] > result["round_robin"]["human_within_30s_pct"] + 5
    assert result["clearline"]["max_share_deviation_pts"] <= 3


def test_the_simulate_command_prints_one_json_object(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps(small(days=0.2)))
    out = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "clearline"),
            "simulate",
            str(path),
            "--json",
            "--strategies",
            "clearline,priority",
            "--seed",
            "9",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"CLEARLINE_ENV": "test", "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
    ).stdout
    data = json.loads(out)
    assert data["workload"] == "small" and set(data["strategies"]) == {"clearline", "priority"}


def test_a_provider_that_rarely_answers_is_auto_paused_and_stops_delaying_callers():
    # Rung alone (waves of one), its offers ring out, so the engine pauses it until staff resume it. In waves
    # of two a partner usually answers first, which does not count against it.
    providers = small()["providers"][:3]
    providers[0] = providers[0] | {"answer_prob": 0.05}
    workload = parse_workload(small(days=1, providers=providers))
    result = run_strategy(workload, "clearline_serial")
    by_id = {p.spec.id: p for p in result.providers}
    assert by_id["p0"].auto_pauses > 5 * max(by_id["p1"].auto_pauses, by_id["p2"].auto_pauses, 1)
    assert by_id["p0"].first_wave_rings < 0.75 * min(
        by_id["p1"].first_wave_rings, by_id["p2"].first_wave_rings
    )
    assert metrics(result)["max_share_deviation_pts"] <= 3  # paused means not eligible, so shares stay fair


def test_a_provider_that_leaves_callbacks_unreturned_is_rung_live_but_never_promised_one():
    # Nobody answers, so callers are offered callbacks. p0 never returns one: the record it brings into the
    # period (drawn from that behaviour) keeps every callback away from it, while it is still rung live.
    providers = [p | {"answer_prob": 0.0, "callback_return_min": 3} for p in small()["providers"][:3]]
    providers[0] |= {"callback_on_time_prob": 0.0}
    workload = parse_workload(small(days=1, providers=providers, callback_accept_rate=1.0))
    result = run_strategy(workload, "clearline")
    by_id = {p.spec.id: p for p in result.providers}
    assert result.callbacks and {c.provider_id for c in result.callbacks} <= {"p1", "p2"}
    recent, late = by_id["p0"].callback_record(workload.start + timedelta(days=1))
    assert recent == late >= 9  # the ten late on record at the start, less any aged out of the 7 days
    assert by_id["p0"].first_wave_rings > 0.5 * by_id["p1"].first_wave_rings
    assert metrics(result)["callbacks_returned_on_time_pct"] > 90
    assert metrics(result)["claims"]["violated"] == 0


def test_the_baselines_face_the_same_providers_with_or_without_a_callback_record():
    # The record the engine's providers bring into the period comes from a generator of its own: the
    # baselines, which offer no callbacks and have no record, run exactly as before it existed.
    workload = parse_workload(small(days=1))
    result = run_strategy(workload, "priority")
    assert all(not p.settled_callbacks for p in result.providers)
    assert metrics(result) == metrics(run_strategy(workload, "priority"))


def test_hours_may_use_full_day_names_groups_or_a_list_of_seven_days():
    provider = small()["providers"][0]
    variants = [
        {"Monday": [["08:00", "17:00"]], "weekends": ["10:00", "14:00"]},
        [[["08:00", "17:00"]], [], [], [], [], [["10:00", "14:00"]], [["10:00", "14:00"]]],
    ]
    schedules = []
    for hours in variants:
        data = small(providers=[provider | {"hours": hours}])
        jsonschema.validate(data, SCHEMA)
        schedules.append(parse_workload(data).providers[0].schedule)
    assert schedules[0].weekly == schedules[1].weekly
    assert [len(day) for day in schedules[0].weekly] == [1, 0, 0, 0, 0, 1, 1]


@pytest.mark.parametrize("path", WORKLOADS, ids=lambda p: p.stem)
def test_every_claim_holds_on_every_call_of_the_shipped_workloads(path):
    figures = simulate(load_workload(path), ["clearline"])["strategies"]["clearline"]
    claims = figures["claims"]
    assert claims["checked"] >= 7 * figures["calls"] > 0  # every call is checked against every claim in force
    assert claims["violated"] == 0, claims["examples"]


def test_the_baselines_make_no_claims():
    figures = simulate(parse_workload(small(days=0.1)), ["priority", "round_robin"])["strategies"]
    assert all("claims" not in row for row in figures.values())


def test_every_simulated_call_ends_somewhere_the_claims_allow():
    providers = [p | {"answer_prob": 0.3} for p in small()["providers"]]
    result = run_strategy(parse_workload(small(days=0.5, providers=providers)), "clearline")
    outcomes = {r.outcome for r in result.records}
    assert outcomes <= {"connected", "callback", "transferred_free", "abandoned"}
    assert {"connected", "callback"} <= outcomes


def test_a_broken_engine_that_rings_a_provider_it_may_not_is_caught(monkeypatch):
    # p3 is never open, so it is not eligible and the web does not name it; this engine rings it anyway (the
    # simulated reservation checks only lines and caps, as the telephony services do). It never answers.
    providers = small()["providers"]
    providers[3] = providers[3] | {"hours": {}, "answer_prob": 0.0}
    workload = parse_workload(small(days=0.2, providers=providers))
    ring = strategies.ClearlineRoute._act

    def ring_p3_too(self, step):
        action = ring(self, step)
        if isinstance(action, strategies.DialAction) and "p3" not in action.targets:
            return strategies.DialAction((*action.targets, "p3"), action.timeout_s)
        return action

    monkeypatch.setattr(strategies.ClearlineRoute, "_act", ring_p3_too)
    claims = simulate(workload, ["clearline"])["strategies"]["clearline"]["claims"]
    assert claims["checked"] > 0 and claims["violated"] > 0
    example = claims["examples"][0]
    assert example["claim"].startswith(
        ("answered_by", "flat_fee", "fair_turns", "rings_at_once", "will_ring")
    )
    assert "p3" in {pid for wave in example["facts"]["waves"] for pid in wave}
    assert len(claims["examples"]) == 5 and len({e["claim"].split(":")[0] for e in claims["examples"]}) == 5


def test_a_callback_beyond_the_offer_is_caught(monkeypatch):
    # An engine that assigns the callback to a provider the offer did not name (it names at most four).
    providers = [small()["providers"][0] | {"id": f"p{i}", "answer_prob": 0.0} for i in range(6)]
    workload = parse_workload(small(days=0.3, providers=providers))
    act = strategies.ClearlineRoute._act

    def elsewhere(self, step):
        action = act(self, step)
        if isinstance(action, strategies.CallbackAction):
            other = next(f"p{i}" for i in range(6) if f"p{i}" not in action.consent)
            return strategies.CallbackAction(other, action.minutes, action.consent)
        return action

    monkeypatch.setattr(strategies.ClearlineRoute, "_act", elsewhere)
    claims = simulate(workload, ["clearline"])["strategies"]["clearline"]["claims"]
    assert claims["violated"] > 0
    assert {e["claim"].split(":")[0] for e in claims["examples"]} == {"callback"}


def test_the_simulate_command_says_how_many_claims_it_checked(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps(small(days=0.1)))
    out = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "clearline"),
            "simulate",
            str(path),
            "--strategies",
            "clearline,priority",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"CLEARLINE_ENV": "test", "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
    ).stdout
    assert re.search(r"^clearline: claims checked [1-9]\d*, contradicted 0$", out, re.MULTILINE)
    assert "priority: makes no claims" in out
