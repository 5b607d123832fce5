"""Plan-time benchmark: ``plan_call`` for 5, 50 and 500 providers, against a naive planner in the same run.

Run: ``.venv/bin/python bench/routing.py [--rounds N]``. Goal: p99 <= 200 µs at 50 providers.

The naive planner is the straightforward first version of the same rules: it hashes every provider for the
tie-break (not only actual ties), builds the trace dictionary eagerly, and looks up the next opening of every
provider when choosing the callback assignee. Both planners see identical, realistic rosters: a mix of 24/7 and
weekday providers in four time zones, some with daily caps, regions, Spanish, recent offers and share credit.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from clearline.routing import CallContext, ProviderSnapshot, RoutingPolicy, plan_call
from clearline.routing.eligibility import FILTERS, evaluate
from clearline.routing.schedule import Schedule, next_opening, weekly_from_lists

ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
NOW = datetime(2026, 3, 4, 14, 0, tzinfo=ZoneInfo("America/New_York"))
POLICY = RoutingPolicy()


def roster(n: int, rng: random.Random) -> list[ProviderSnapshot]:
    weekdays = weekly_from_lists({d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})
    out = []
    for i in range(n):
        tz = ZONES[i % 4]
        schedule = Schedule(tz, always_open=True) if i % 2 else Schedule(tz, weekly=weekdays)
        out.append(
            ProviderSnapshot(
                id=f"provider-{i:04d}",
                name=f"Provider {i}",
                schedule=schedule,
                license_expires=date(2027, 1, 1),
                certification_expires=date(2027, 1, 1),
                lines=rng.randint(1, 4),
                active_calls=rng.randint(0, 2),
                daily_cap=rng.choice([None, None, 30]),
                delivered_today=rng.randint(0, 20),
                delivered_on=date(2026, 3, 4),
                states=frozenset({"CA", "TX"}) if i % 7 == 0 else frozenset(),
                languages=frozenset({"en", "es"}) if i % 3 == 0 else frozenset({"en"}),
                last_offered_at=NOW - timedelta(seconds=rng.randint(0, 3600)) if rng.random() < 0.8 else None,
                share_credit=round(rng.uniform(-1, 1), 3),
            )
        )
    return out


def naive_plan(call: CallContext, providers: Sequence[ProviderSnapshot], seed: int) -> object:
    verdicts = [evaluate(p, call, POLICY, NOW) for p in providers]
    eligible = [p for p, v in zip(providers, verdicts, strict=True) if v.eligible]

    def key(p: ProviderSnapshot) -> tuple[float, float, str]:
        digest = hashlib.sha256(f"{seed}:{p.id}".encode()).hexdigest()
        offered = p.last_offered_at.timestamp() if p.last_offered_at else float("-inf")
        return (-p.share_credit, offered, digest)

    order = sorted(eligible, key=key)
    waves = [order[i : i + POLICY.wave_size] for i in range(0, len(order), POLICY.wave_size)]
    deadline = NOW + timedelta(minutes=POLICY.callback_deadline_min)
    openings = [(next_opening(p.schedule, NOW, deadline - NOW), p) for p in providers]
    callback = min(((o, p.id) for o, p in openings if o is not None), default=None)
    trace = {
        "providers": [
            {"id": v.provider_id, "filters": dict(zip(FILTERS, v.results, strict=True))} for v in verdicts
        ],
        "order": [p.id for p in order],
    }
    return waves[:3], callback, trace


def measure(fn: Callable[[int], object], rounds: int) -> tuple[float, float]:
    for seed in range(min(200, rounds)):  # warm caches (zoneinfo, lru) like a long-running process
        fn(seed)
    samples = []
    for seed in range(rounds):
        start = time.perf_counter_ns()
        fn(seed)
        samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3000)
    args = parser.parse_args()
    rng = random.Random(2026)
    call = CallContext(call_id="bench", caller_state="TX")
    print(f"plan_call timing, {args.rounds} plans per row (µs)")
    print(
        f"{'providers':>9}  {'engine p50':>10}  {'engine p99':>10}  {'naive p50':>9}  {'naive p99':>9}  speed-up"
    )
    for n in (5, 50, 500):
        providers = roster(n, rng)
        rounds = args.rounds if n < 500 else max(200, args.rounds // 5)
        e50, e99 = measure(lambda s, ps=providers: plan_call(call, ps, POLICY, NOW, s), rounds)
        n50, n99 = measure(lambda s, ps=providers: naive_plan(call, ps, s), rounds)
        print(f"{n:>9}  {e50:>10.1f}  {e99:>10.1f}  {n50:>9.1f}  {n99:>9.1f}  {n99 / e99:>7.1f}x")
    print("goal: engine p99 <= 200 µs at 50 providers")


if __name__ == "__main__":
    main()
