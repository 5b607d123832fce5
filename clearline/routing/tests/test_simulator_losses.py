"""The simulator says where callers are lost, by cause: each cause made to happen by a tiny workload."""

import pytest

from clearline.routing.simulator import LOSS_CAUSES, parse_workload, run_strategy, simulate
from clearline.routing.simulator.metrics import metrics


def tiny(provider=None, **changes):
    data = {
        "name": "tiny",
        "seed": 11,
        "days": 0.25,
        "start": "2026-03-04T09:00:00-05:00",
        "arrivals_per_hour": [20] * 24,
        "caller_patience_s": 120,
        "callback_accept_rate": 1.0,
        "caller_states": {"OH": 1},
        "providers": [
            {
                "id": "p0",
                "timezone": "America/New_York",
                "hours": "24/7",
                "lines": 1,
                "answer_prob": 0.0,
                "answer_delay_s": 5,
                "handle_time_s": 300,
                "callback_return_min": 3,
            }
            | (provider or {})
        ],
    }
    return parse_workload(data | changes)


CASES = {
    # The only provider serves Washington; every caller is in Ohio.
    "nobody_eligible": tiny({"states": ["WA"]}),
    # It answers, slowly; callers give up within a few seconds.
    "hung_up_ringing": tiny({"answer_prob": 1.0, "answer_delay_s": 12}, caller_patience_s=2),
    # Nobody answers, and its one line's worth of callbacks stays taken: returns take hours.
    "no_callback_capacity": tiny({"callback_return_min": 600}),
    # Nobody answers; every caller turns the callback down.
    "callback_declined": tiny(callback_accept_rate=0.0),
    # A provider quick to call back (so its record lets it be promised callbacks) answers half its calls and
    # talks for an hour: a callback taken while its line was free waits for the line past its deadline.
    "callback_late": tiny({"answer_prob": 0.5, "handle_time_s": 3600, "callback_return_min": 3}),
}


@pytest.mark.parametrize("cause", LOSS_CAUSES)
def test_each_cause_is_counted_when_it_happens(cause):
    figures = metrics(run_strategy(CASES[cause], "clearline"))
    assert figures["losses"][cause] > 0, figures["losses"]


@pytest.mark.parametrize("cause", LOSS_CAUSES)
@pytest.mark.parametrize("strategy", ["clearline", "clearline_serial", "priority", "round_robin"])
def test_every_call_is_answered_returned_on_time_or_lost_once(cause, strategy):
    result = run_strategy(CASES[cause], strategy)
    figures = metrics(result)
    answered = sum(1 for r in result.records if r.time_to_human is not None)
    on_time = sum(1 for c in result.callbacks if c.returned is not None and c.returned <= c.deadline)
    assert set(figures["losses"]) == set(LOSS_CAUSES)
    assert answered + on_time + sum(figures["losses"].values()) == figures["calls"] > 0


def test_the_baselines_lose_callers_when_nobody_answers_for_want_of_callbacks():
    figures = simulate(CASES["callback_declined"], ["priority"])["strategies"]["priority"]
    # Rang out with no callback to offer (or busy: nobody to ring; or the caller hung up while it rang).
    losses = figures["losses"]
    assert losses["no_callback_capacity"] > figures["calls"] / 2
    assert losses["callback_declined"] == losses["callback_late"] == 0


def test_the_json_output_follows_the_schema_with_losses_for_every_strategy():
    import json
    from pathlib import Path

    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[3] / "docs" / "simulation.schema.json").read_text())
    output = simulate(CASES["callback_late"], ["clearline", "clearline_serial", "priority", "round_robin"])
    jsonschema.validate(output, {"$ref": "#/$defs/output", "$defs": schema["$defs"]})
    for figures in output["strategies"].values():
        assert list(figures["losses"]) == list(LOSS_CAUSES)
