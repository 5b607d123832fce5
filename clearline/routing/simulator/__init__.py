"""A discrete-event simulator that drives the production routing engine against a workload.

``simulate(workload, strategies, seed)`` returns ``{"workload": name, "strategies": {name: metrics}}``. Every
strategy faces the same callers (arrivals, patience, location, willingness to take a callback); provider
behaviour is drawn from a generator seeded the same way for each strategy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clearline.routing.simulator.engine import Result, Simulation, generate_callers
from clearline.routing.simulator.metrics import metrics
from clearline.routing.simulator.state import LOSS_CAUSES
from clearline.routing.simulator.strategies import STRATEGIES, ClearlineStrategy, Strategy, make_strategy
from clearline.routing.simulator.workload import Workload, WorkloadError, load_workload, parse_workload

DEFAULT_STRATEGIES = ("clearline", "priority", "round_robin")

__all__ = [
    "DEFAULT_STRATEGIES",
    "LOSS_CAUSES",
    "STRATEGIES",
    "ClearlineStrategy",
    "Result",
    "Workload",
    "WorkloadError",
    "load_workload",
    "parse_workload",
    "run_strategy",
    "simulate",
]


def run_strategy(workload: Workload, strategy: str | Strategy, seed: int | None = None) -> Result:
    """Run one strategy, by name or as an object (e.g. ``ClearlineStrategy(policy)`` for another policy)."""
    seed = workload.seed if seed is None else seed
    callers = generate_callers(workload, seed)
    return Simulation(workload, make_strategy(strategy) if isinstance(strategy, str) else strategy, seed).run(
        callers
    )


def simulate(
    workload: Workload, strategies: Sequence[str] = DEFAULT_STRATEGIES, seed: int | None = None
) -> dict[str, Any]:
    for name in strategies:
        make_strategy(name)  # fail before any work on an unknown name
    return {
        "workload": workload.name,
        "strategies": {name: metrics(run_strategy(workload, name, seed)) for name in strategies},
    }
