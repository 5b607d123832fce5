"""The demo's month of calls: made through the real call flow and records, then the worker's jobs.

``load_demo_calls`` places simulated calls (``clearline.demo.callers``) to the demo's numbers from the first day of
the last finished month until an hour ago, each event at its simulated moment (the flow and its services take
``now``), interleaved in time order so that calls overlap and hold lines as live calls do. Staff resume
auto-paused providers within the hour, and the worker's deadline job runs when callbacks fall due. Then it
runs what the worker would at the end of that time: the callback deadlines, the claim checks, every day's
figures, and the routing log (which seals the finished month). So the transparency page publishes the last
finished month, the portal and the console show a month of calls, and ``routing_log_verify`` passes.

Idempotent: the demo's calls are known by their CallSid prefix (``DEMO_SID_PREFIX``); once any exists, nothing is
made again. Everything happens in one transaction: a failure leaves no half month behind.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import random
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count

from django.db import transaction
from django.utils import timezone

from clearline.content.models import Helpline, HelplineKind
from clearline.demo.callers import DEFAULT_STAFF, STAFF, Caller, Calls, Script, Staff, new_caller
from clearline.demo.content.providers import PROVIDERS
from clearline.demo.loader import refuse_in_production
from clearline.providers.models import Contract, Provider
from clearline.providers.routing_inputs import build_schedule
from clearline.reports import daily, routing_log
from clearline.reports.figures import day_start, local_today
from clearline.routing.schedule import is_open
from clearline.telephony import claim_checks, roster
from clearline.telephony.callback_deadlines import enforce_callback_deadlines
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus

# Twilio's CallSid shape (CA and 32 hex digits); the demo's all start with this, which is how a re-run knows them.
DEMO_SID_PREFIX = "CAde30de30"
DEMO_SEED = 2026
CALLS_PER_DAY = 20.0
# Share of the day's calls in each hour of the operator's day (quiet nights, busy afternoons and evenings).
HOURLY = (
    1.4, 1.1, 0.9, 0.8, 0.8, 1.0, 1.6, 2.6, 3.8, 4.6, 5.2, 5.5,
    5.6, 5.6, 5.5, 5.5, 5.7, 6.0, 6.2, 6.2, 5.8, 4.9, 3.6, 2.3,
)  # fmt: skip
STAFF_ROUND = dt.timedelta(hours=1)  # staff resume auto-paused providers within the hour (the admin's action)
JOB_ROUNDS = 6  # staff rounds between the deadline job's runs for callbacks nobody can take (6 hours)
QUIET_END = dt.timedelta(hours=1)  # no call starts in the last hour, so every call has ended by ``now``


@dataclass
class DemoCalls:
    """What ``load_demo_calls`` did (with ``skipped``: nothing, and why)."""

    created: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    callbacks: int = 0
    checks: dict[str, int] = field(default_factory=dict)
    chained: int = 0
    sealed: tuple[dt.date, ...] = ()
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time (the wall time also counts other processes' turns)
    skipped: str = ""  # why nothing was made

    def summary(self) -> str:
        if self.skipped:
            return f"Demo calls: {self.skipped} (nothing made)."
        sealed = ", ".join(f"{m:%Y-%m}" for m in self.sealed) or "none"
        return (
            f"Demo calls: {self.created} calls from {self.first_day} to {self.last_day} ({self.callbacks} callbacks) "
            f"in {self.seconds} s ({self.cpu_seconds} s CPU); claims checked {self.checks.get('checked', 0)}, "
            f"contradicted {self.checks.get('contradicted', 0)}; {self.chained} chained in the routing log, "
            f"sealed: {sealed}."
        )


def demo_calls_exist() -> bool:
    return Call.objects.filter(call_sid__startswith=DEMO_SID_PREFIX).exists()


def last_finished_month(now: dt.datetime) -> dt.date:
    return (local_today(now).replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def load_demo_calls(
    *,
    now: dt.datetime | None = None,
    since: dt.datetime | None = None,
    seed: int = DEMO_SEED,
    calls_per_day: float = CALLS_PER_DAY,
    staff: Mapping[str, Staff] = STAFF,
) -> DemoCalls:
    """Make the demo's calls from ``since`` (default: the start of the last finished month) until an hour before
    ``now`` (default: the clock), then run the worker's jobs at ``now``. Nothing when they exist already.
    ``staff``: how each provider's staff behave, by provider slug (others: ``DEFAULT_STAFF``)."""
    refuse_in_production()
    if demo_calls_exist():
        return DemoCalls(skipped="already there")
    if not Helpline.objects.exclude(kind=HelplineKind.LISTING).exists():
        return DemoCalls(skipped="no helpline numbers to call; run load_demo_data first")
    began, began_cpu = time.monotonic(), time.process_time()
    end = now or timezone.now()
    start = since or day_start(last_finished_month(end))
    first_day = timezone.localdate(start)
    result = DemoCalls(first_day=first_day, last_day=local_today(end))
    with transaction.atomic(), _quiet():
        _contracts_from(first_day)
        rng = random.Random(seed)
        result.created = _Run(rng, end, staff).run(_arrivals(rng, start, end - QUIET_END, calls_per_day))
        result.callbacks = Call.objects.filter(
            call_sid__startswith=DEMO_SID_PREFIX, callback__isnull=False
        ).count()
        _worker(result, end)
    result.seconds = round(time.monotonic() - began, 1)
    result.cpu_seconds = round(time.process_time() - began_cpu, 1)
    return result


@contextmanager
def _quiet() -> Iterator[None]:
    """The month's calls are simulated: what the services log about each one (plans, auto-pauses, overdue
    callbacks) would bury ``make run``'s output, so only errors show while they are made; the summary says the
    rest."""
    loggers = [
        logging.getLogger(name) for name in ("clearline.telephony", "clearline.content", "clearline.reports")
    ]
    levels = [each.level for each in loggers]
    for each in loggers:
        each.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for each, level in zip(loggers, levels, strict=True):
            each.setLevel(level)


def _contracts_from(first_day: dt.date) -> None:
    """The demo providers' flat-fee contracts run from the first simulated day (a database loaded before the
    demo had calls started them this month)."""
    slugs = [p["key"] for p in PROVIDERS]
    if Contract.objects.filter(provider__slug__in=slugs, starts_on__gt=first_day).update(starts_on=first_day):
        roster.bump_routing_stamp()  # an update() sends no signal: the cached roster must reload


def _arrivals(
    rng: random.Random, start: dt.datetime, stop: dt.datetime, per_day: float
) -> Iterator[dt.datetime]:
    """Poisson arrivals, hour by hour of the operator's clock."""
    total = sum(HOURLY)
    hour = start
    while hour < stop:
        following = min(stop, hour + dt.timedelta(hours=1))
        rate = per_day * HOURLY[timezone.localtime(hour).hour] / total / 3600.0
        t = hour + dt.timedelta(seconds=rng.expovariate(rate))
        while t < following:
            yield t
            t += dt.timedelta(seconds=rng.expovariate(rate))
        hour = following


class _Run:
    """The event loop: every script's next moment in a heap, earliest first."""

    def __init__(self, rng: random.Random, end: dt.datetime, staff: Mapping[str, Staff]) -> None:
        self.rng = rng
        self.end = end
        self.heap: list[tuple[dt.datetime, int, Script]] = []
        self.seq = count()
        self.clock = dt.datetime.min.replace(tzinfo=dt.UTC)
        providers = list(Provider.objects.prefetch_related("opening_hours", "closures"))
        self.staff = {str(p.pk): staff.get(p.slug, DEFAULT_STAFF) for p in providers}
        self.schedules = {str(p.pk): build_schedule(p) for p in providers}
        self.calls = Calls(rng, self.staff_of, self.spawn, lambda: self.clock, self.open_at)
        helplines = list(Helpline.objects.values_list("number", "kind", "intent"))
        self.general = {n: intent for n, kind, intent in helplines if kind != HelplineKind.LISTING}
        self.listing = sorted(n for n, kind, _intent in helplines if kind == HelplineKind.LISTING)

    def staff_of(self, provider_id: str) -> Staff:
        return self.staff.get(provider_id, DEFAULT_STAFF)

    def open_at(self, provider_id: str, moment: dt.datetime) -> bool:
        schedule = self.schedules.get(provider_id)
        return schedule is None or is_open(schedule, moment)

    def spawn(self, script: Script) -> None:
        heapq.heappush(self.heap, (self.clock, next(self.seq), script))

    def run(self, arrivals: Iterator[dt.datetime]) -> int:
        made = 0
        following = next(arrivals, None)
        if following is not None:
            self.spawn_at(following, self.staff_rounds(following))
        while self.heap or following is not None:
            if following is not None and (not self.heap or following <= self.heap[0][0]):
                sid = f"{DEMO_SID_PREFIX}{self.rng.getrandbits(96):024x}"
                caller: Caller = new_caller(self.rng, sid, self.general, self.listing)
                self.spawn_at(following, self.calls.call_script(caller, following))
                made += 1
                following = next(arrivals, None)
                continue
            moment, _seq, script = heapq.heappop(self.heap)
            if moment > self.end:
                continue  # after now: it has not happened yet (a callback still open)
            self.clock = moment
            after = next(script, None)
            if after is not None:
                self.spawn_at(after, script)
        return made

    def spawn_at(self, moment: dt.datetime, script: Script) -> None:
        heapq.heappush(self.heap, (moment, next(self.seq), script))

    def staff_rounds(self, start: dt.datetime) -> Script:
        """Every hour: staff resume providers the engine auto-paused (as the admin does: the unanswered count
        starts afresh); every few hours, the deadline job closes callbacks nobody can return any more
        (each callback's own script runs it when its deadline passes)."""
        t = start
        for rounds in count(1):
            t += STAFF_ROUND
            if t > self.end:
                return
            yield t
            if Provider.objects.filter(auto_paused=True).update(auto_paused=False, offers_counted_since=t):
                roster.bump_routing_stamp()
            overdue = CallbackRequest.objects.filter(status=CallbackStatus.OPEN, due_at__lt=t)
            if rounds % JOB_ROUNDS == 0 and overdue.exists():
                enforce_callback_deadlines(now=t)  # closes those nobody can return any more


def _worker(result: DemoCalls, now: dt.datetime) -> None:
    """The worker's jobs, as they would have run by ``now``: deadlines, claim checks, figures, routing log."""
    enforce_callback_deadlines(now=now)
    # Staff resume a provider paused in the last hour too: the demo starts with the whole roster.
    if Provider.objects.filter(auto_paused=True).update(auto_paused=False, offers_counted_since=now):
        roster.bump_routing_stamp()
    result.checks = claim_checks.check_finished_calls(now=now)
    day = result.first_day
    while day is not None and result.last_day is not None and day <= result.last_day:
        daily.compute_day(day, now)
        day += dt.timedelta(days=1)
    appended = routing_log.append(now=now)
    result.chained, result.sealed = appended.appended, appended.sealed
