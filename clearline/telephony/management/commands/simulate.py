"""``clearline simulate WORKLOAD.json``: run the routing simulator (pure code in ``clearline.routing``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.routing.simulator import (
    DEFAULT_STRATEGIES,
    LOSS_CAUSES,
    STRATEGIES,
    WorkloadError,
    load_workload,
    simulate,
)

COLUMNS = (
    ("calls", "calls"),
    ("answered_by_human_pct", "human %"),
    ("human_within_30s_pct", "≤30 s %"),
    ("answered_or_returned_15min_pct", "ans/ret 15m %"),
    ("abandoned_pct", "abandon %"),
    ("asa_s", "ASA s"),
    ("p90_time_to_human_s", "p90 s"),
    ("max_share_deviation_pts", "share dev"),
    ("cap_overruns", "overruns"),
    ("callbacks_created", "callbacks"),
    ("callbacks_returned_on_time_pct", "cb on time %"),
)


class Command(BaseCommand):
    help = "Simulate a workload against the routing engine and baseline routers (see docs/simulation.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("workload", help="path to a workload JSON file")
        parser.add_argument(
            "--strategies",
            default=",".join(DEFAULT_STRATEGIES),
            help=f"comma-separated, from {', '.join(STRATEGIES)} (default: %(default)s)",
        )
        parser.add_argument("--seed", type=int, default=None, help="override the workload's seed")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        strategies = [s.strip() for s in options["strategies"].split(",") if s.strip()]
        unknown = [s for s in strategies if s not in STRATEGIES]
        if unknown or not strategies:
            raise CommandError(f"unknown strategies {unknown}; choose from {', '.join(STRATEGIES)}")
        try:
            workload = load_workload(options["workload"])
        except (OSError, WorkloadError) as error:
            raise CommandError(str(error)) from error
        result = simulate(workload, strategies, options["seed"])
        if options["json"]:
            self.stdout.write(json.dumps(result, sort_keys=True))
            return
        self.stdout.write(f"Workload {result['workload']}")
        header = f"{'strategy':<17}" + "".join(f"{label:>14}" for _, label in COLUMNS)
        self.stdout.write(header)
        for name, row in result["strategies"].items():
            cells = "".join(f"{'n/a' if row[key] is None else row[key]:>14}" for key, _ in COLUMNS)
            self.stdout.write(f"{name:<17}{cells}")
        self.stdout.write("Callers lost (neither answered live nor called back on time), by cause")
        self.stdout.write(
            f"{'strategy':<17}" + "".join(f"{cause.replace('_', ' '):>22}" for cause in LOSS_CAUSES)
        )
        for name, row in result["strategies"].items():
            cells = "".join(f"{row['losses'][cause]:>22}" for cause in LOSS_CAUSES)
            self.stdout.write(f"{name:<17}{cells}")
        for name, row in result["strategies"].items():
            self.stdout.write(f"{name}: {claims_line(row.get('claims'))}")
            for example in (row.get("claims") or {}).get("examples", []):
                self.stdout.write(f"  call {example['call']} contradicted {example['claim']}")


def claims_line(claims: dict[str, Any] | None) -> str:
    """What the disclosure check found, in one line (the baselines make no claims)."""
    if claims is None:
        return "makes no claims"
    return f"claims checked {claims['checked']}, contradicted {claims['violated']}"
