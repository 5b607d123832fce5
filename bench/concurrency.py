"""Concurrency benchmark: whole calls through the telephony services from many threads, on PostgreSQL.

Run: ``.venv/bin/python bench/concurrency.py [--calls 10000] [--threads 8] [--baseline-calls 1000]
[--providers 3] [--lines 2] [--max-seconds 150]``.
Goals: 0 line overruns and 0 leaked slots (DESIGN.md §3 rule 8); calls/s printed against a 1-thread baseline.

A benchmark, not a test: it prints figures and PASS/MISS, and exits 0 either way.

How: without ``DATABASE_URL`` this script re-runs itself under ``tools/with_postgres.py`` (a throw-away
PostgreSQL on a Unix socket, no TCP port). Tables are built straight from the models (``migrate --run-syncdb``
with migrations disabled, as the test suite's ``--no-migrations`` does): applying every migration costs half a
minute and measures nothing here. A few providers open 24/7 with small line limits, so the waves of two
providers contend for the same lines. Each call is what the webhooks do to the database: ``start_call``
(plan, disclosure, share credit), ``flow.menu_pressed`` (no key: its first wave) (``services.ring_wave``: lines held and
attempts recorded together), a count of every provider's open slots (an overrun is a count above the
provider's lines), then ``advance_call_status(..., "completed")``, which frees the lines. Each worker thread
keeps one database connection, as a web process does with ``CONN_MAX_AGE``, and closes it when it stops.

Baseline: the same load from 1 thread (fewer calls: a rate needs no more), with the telephony tables emptied
before each run so both runs plan against the same amount of history. The run stops taking new calls after
``--max-seconds`` and says how many it ran. Throughput is also printed per tenth of the run: planning reads
history (last offers, ringing attempts, unanswered offers), so a drop from the first tenth to the last shows
cost that grows with the number of stored calls.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPLINE = "+12065550101"


def rerun_under_postgres(argv: list[str]) -> None:
    helper = str(ROOT / "tools" / "with_postgres.py")
    os.execv(sys.executable, [sys.executable, helper, "--", sys.executable, str(Path(__file__)), *argv])  # noqa: S606


def setup_django() -> None:
    os.environ["CLEARLINE_ENV"] = "test"  # DEBUG off: no query log growing in memory
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # services log one line per call at INFO
    os.environ["CLEARLINE_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    started = time.perf_counter()
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    print(f"tables built from the models in {time.perf_counter() - started:.1f} s")


def create_roster(providers: int, lines: int) -> dict[int, int]:
    from decimal import Decimal

    from clearline.content.disclosure import ensure_current_disclosure
    from clearline.content.models import Helpline
    from clearline.providers.models import Contract, Provider

    Helpline.objects.create(label="Heroin Detox", intent="detox", number=HELPLINE)
    limits = {}
    for n in range(providers):
        provider = Provider.objects.create(
            name=f"Bench Provider {n}",
            slug=f"bench-provider-{n}",
            public_description="A fictional provider for the benchmark.",
            phone=f"+1206555{130 + n:04d}",
            open_24_7=True,
            lines=lines,
            license_expires_on=dt.date(2030, 1, 1),
            certification_expires_on=dt.date(2030, 1, 1),
        )
        Contract.objects.create(
            provider=provider, amount=Decimal("1500.00"), period="monthly", starts_on=dt.date(2026, 1, 1)
        )
        limits[provider.pk] = provider.lines
    ensure_current_disclosure()
    return limits


def empty_call_tables() -> None:
    from django.db import connection

    from clearline.telephony.models import Attempt, Call, CallbackRequest, LineSlot, RotationCredit

    tables = [m._meta.db_table for m in (LineSlot, Attempt, CallbackRequest, RotationCredit, Call)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    connection.close()


@dataclass
class Run:
    label: str
    threads: int
    planned_calls: int
    done: int = 0
    overruns: int = 0
    peak_in_use: int = 0
    rang: int = 0
    errors: list[str] = field(default_factory=list)
    finished_at: list[float] = field(default_factory=list)
    seconds: float = 0.0
    leaked_slots: int = 0
    unended_calls: int = 0


def drive(label: str, calls: int, threads: int, limits: dict[int, int], deadline_s: float, tag: str) -> Run:
    from django.db import connection
    from django.db.models import Count

    from clearline.routing import Dial
    from clearline.telephony import flow, services
    from clearline.telephony.models import Call, LineSlot

    run = Run(label, threads, calls)
    lock = threading.Lock()
    counter = iter(range(calls))
    start = time.perf_counter()
    stop_at = start + deadline_s

    def open_slots() -> dict[int, int]:
        rows = (
            LineSlot.objects.filter(released_at__isnull=True)
            .values_list("provider_id")
            .annotate(n=Count("id"))
            .values_list("provider_id", "n")
        )
        return dict(rows)

    def worker() -> None:
        try:
            while time.perf_counter() < stop_at:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                try:
                    sid = f"CA{tag}{n:030d}"
                    started = services.start_call(
                        call_sid=sid, to_number=HELPLINE, caller_number=f"+1206555{n % 10000:04d}"
                    )
                    first = started.plan.first_dial()
                    rang = False
                    overruns, peak = 0, 0
                    if first is not None:
                        prepared = flow.menu_pressed(call_sid=started.call.call_sid, digits="")
                        rang = isinstance(prepared.step, Dial)
                        in_use = open_slots()
                        overruns = sum(1 for p, k in in_use.items() if k > limits[p])
                        peak = max(in_use.values(), default=0)
                    services.advance_call_status(sid, "completed", duration_s=30)
                except Exception as error:  # a benchmark counts failures; it must not hide them
                    with lock:
                        run.errors.append(f"{type(error).__name__}: {error}")
                    continue
                done_at = time.perf_counter() - start
                with lock:
                    run.done += 1
                    run.rang += rang
                    run.overruns += overruns
                    run.peak_in_use = max(run.peak_in_use, peak)
                    run.finished_at.append(done_at)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, name=f"bench-{i}") for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    run.seconds = time.perf_counter() - start
    run.leaked_slots = LineSlot.objects.filter(released_at__isnull=True).count()
    run.unended_calls = Call.objects.filter(call_sid__startswith=f"CA{tag}", ended_at__isnull=True).count()
    connection.close()
    return run


def tenths(run: Run) -> list[float]:
    """Calls/s in each tenth of the calls run (by completion order)."""
    times = sorted(run.finished_at)
    if len(times) < 20:
        return []
    size = len(times) // 10
    rates, previous = [], 0.0
    for i in range(10):
        end = times[(i + 1) * size - 1]
        rates.append(size / max(end - previous, 1e-9))
        previous = end
    return rates


def report(run: Run, limits: dict[int, int]) -> None:
    rate = run.done / run.seconds if run.seconds else 0.0
    cut = (
        "" if run.done == run.planned_calls else f" (stopped at the time limit: {run.planned_calls} planned)"
    )
    print(f"\n{run.label}: {run.threads} threads, {run.done} calls in {run.seconds:.1f} s{cut}")
    print(f"  {rate:8.1f} calls/s; {run.rang} rang a wave, {run.done - run.rang} found every line taken")
    print(
        f"  peak open slots of one provider: {run.peak_in_use} (lines per provider: {set(limits.values())})"
    )
    print(f"  line overruns observed: {run.overruns}; leaked slots after the run: {run.leaked_slots}")
    print(f"  calls left without an end: {run.unended_calls}; errors: {len(run.errors)}")
    for error in sorted(set(run.errors))[:5]:
        print(f"    {error}")
    rates = tenths(run)
    if rates:
        print("  calls/s per tenth of the run: " + " ".join(f"{r:.0f}" for r in rates))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--baseline-calls", type=int, default=1_000)
    parser.add_argument("--providers", type=int, default=3)
    parser.add_argument("--lines", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=150.0, help="time limit for both runs together")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        rerun_under_postgres(argv)
    began = time.perf_counter()
    setup_django()
    from django.db import connection

    print(f"PostgreSQL {connection.cursor().connection.info.server_version}; {os.cpu_count()} CPUs")
    limits = create_roster(args.providers, args.lines)
    connection.close()
    print(
        f"{args.providers} providers x {args.lines} lines, waves of 2; {args.calls} calls from {args.threads} "
        f"threads; baseline {args.baseline_calls} calls from 1 thread"
    )

    budget = args.max_seconds
    baseline_budget = budget * 0.25
    empty_call_tables()
    baseline = drive("baseline", args.baseline_calls, 1, limits, baseline_budget, "b")
    empty_call_tables()
    remaining = max(budget - (time.perf_counter() - began), 10.0)
    concurrent = drive("concurrent", args.calls, args.threads, limits, remaining, "c")
    report(baseline, limits)
    report(concurrent, limits)

    base_rate = baseline.done / baseline.seconds if baseline.seconds else 0.0
    rate = concurrent.done / concurrent.seconds if concurrent.seconds else 0.0
    print(f"\nspeed-up over 1 thread: x{rate / base_rate:.2f}" if base_rate else "")
    clean = concurrent.errors == [] and baseline.errors == []
    print(
        f"goal: 0 line overruns ({concurrent.overruns + baseline.overruns}): "
        f"{verdict(concurrent.overruns + baseline.overruns == 0)}"
    )
    print(
        f"goal: 0 leaked slots ({concurrent.leaked_slots + baseline.leaked_slots}): "
        f"{verdict(concurrent.leaked_slots + baseline.leaked_slots == 0)}"
    )
    print(
        f"goal: every call ran without an error ({len(concurrent.errors) + len(baseline.errors)}): "
        f"{verdict(clean)}"
    )
    print(f"total {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
