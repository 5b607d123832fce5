"""Every claim in force holds on every call, whatever the roster, the settings, the place, the time and what
providers and callers do (hypothesis).

Two ways in: the simulator (random small workloads and policies, the ``clearline`` strategy, its
``claims.checked`` / ``claims.violated``), and ``plan_call`` / ``next_step`` driven directly, which reaches what
the simulator does not model (licences, contracts, staff pauses, call types, ZIP prefixes, Spanish callers,
holidays and one-off hours, continuity, fees that are not all equal, key presses, a callback taken over by a
backup the caller agreed to).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from clearline.routing.callback_choice import callback_successor
from clearline.routing.claim_builders import FeeTerms, call_claims, number_claims
from clearline.routing.claims import CallFacts, violations
from clearline.routing.outcomes import next_step
from clearline.routing.plans import plan_call
from clearline.routing.schedule import Schedule, TimeRange, weekly_from_lists
from clearline.routing.simulator import ClearlineStrategy, parse_workload, run_strategy
from clearline.routing.simulator.disclosure import NumberClaims, describe, in_force
from clearline.routing.simulator.metrics import metrics
from clearline.routing.simulator.state import ProviderState
from clearline.routing.simulator.strategies import snapshot
from clearline.routing.steps import (
    CRISIS_OPTION,
    CallbackConfirmed,
    CallbackOffer,
    Connect,
    Dial,
    Ended,
    Outcome,
    Progress,
    Result,
    Transfer,
)
from clearline.routing.tests.factories import provider
from clearline.routing.types import CallContext, Intent, RoutingPolicy

ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
]
HOURS: list[Any] = [
    "24/7",
    {"weekdays": [["08:00", "18:00"]]},
    {"daily": [["20:00", "08:00"]]},  # overnight
    {"weekends": [["10:00", "16:00"]], "wed": [["00:00", "24:00"]]},
    {"mon": [["09:00", "12:00"], ["13:00", "17:30"]], "fri": [["22:00", "02:00"]]},
    {"sun": [["01:30", "03:30"]]},  # across the spring-forward and fall-back hours
    {},  # never open
]
STATES = [[], ["CA"], ["TX", "NY"], ["OH"], ["CA", "OH", "NY"]]
# Starts around the US clock changes (8 March and 1 November 2026) and on ordinary days, in several offsets.
STARTS = [
    "2026-03-07T18:00:00-05:00",
    "2026-03-04T06:00:00-05:00",
    "2026-10-31T22:00:00-07:00",
    "2026-07-04T12:00:00+00:00",
    "2026-12-31T20:00:00-10:00",
]


def mostly(good: Any, *bad: Any) -> st.SearchStrategy[Any]:
    """``good`` nine times in ten, else one of ``bad``: so that most providers can be rung and the paths past
    the first wave are reached, while every reason to leave a provider out still turns up."""
    return st.sampled_from([good] * (9 * len(bad)) + list(bad))


policies = st.builds(
    lambda wave, later, ring, extra, repeat, callbacks, minutes, per_line, pause, window, continuity: (
        RoutingPolicy(
            wave_size=wave,
            later_wave_size=later,
            ring_timeout_s=ring,
            ring_budget_s=ring + extra,
            repeat_rounds=repeat,
            callbacks=callbacks,
            callback_deadline_min=minutes,
            callback_max_per_line=per_line,
            auto_pause_after=pause,
            auto_pause_window_min=window,
            continuity_days=continuity,
        )
    ),
    st.integers(1, 3),
    st.none() | st.integers(1, 4),
    st.integers(5, 20),
    st.integers(0, 50),
    st.booleans(),
    st.booleans(),
    st.integers(1, 60),
    st.sampled_from([0.5, 1.0, 2.0]),
    st.integers(1, 4),
    st.integers(10, 120),
    st.integers(0, 30),
)

sim_providers = st.lists(
    st.fixed_dictionaries(
        {
            "timezone": st.sampled_from(ZONES),
            "hours": st.sampled_from(HOURS),
            "lines": st.integers(1, 3),
            "answer_prob": st.sampled_from([0.0, 0.2, 0.6, 0.95]),
            "answer_delay_s": st.floats(1, 20),
            "handle_time_s": st.floats(60, 1200),
            "daily_cap": st.none() | st.integers(0, 10),
            "states": st.sampled_from(STATES),
            "languages": st.sampled_from([["en"], ["es"], ["en", "es"]]),
            "callback_return_min": st.floats(1, 30),
            "callback_on_time_prob": st.sampled_from([0.0, 0.7, 1.0]),
        }
    ),
    min_size=1,
    max_size=5,
)
workloads = st.fixed_dictionaries(
    {
        "start": st.sampled_from(STARTS),
        "days": st.sampled_from([0.15, 0.3]),
        "arrivals_per_hour": st.integers(20, 60).map(lambda r: [r] * 24),
        "caller_patience_s": st.integers(20, 200),
        "callback_accept_rate": st.sampled_from([0.0, 0.5, 1.0]),
        "caller_states": st.sampled_from([{}, {"CA": 3, "TX": 2, "other": 1}, {"OH": 1, "NY": 1}]),
    }
)


@settings(max_examples=25, deadline=None)
@given(sim_providers, workloads, policies, st.integers(0, 2**16))
def test_no_simulated_call_contradicts_what_its_caller_was_told(specs, shape, policy, seed):
    workload = parse_workload(
        {
            "name": "prop",
            "seed": seed,
            **shape,
            "providers": [dict(p, id=f"p{i}") for i, p in enumerate(specs)],
        }
    )
    claims = metrics(run_strategy(workload, ClearlineStrategy(policy)))["claims"]
    assert claims["checked"] > 0
    assert claims["violated"] == 0, claims["examples"]


@settings(max_examples=30, deadline=None)
@given(
    sim_providers, st.sampled_from(STARTS), policies, st.lists(st.tuples(st.integers(1, 7200), st.booleans()))
)
def test_the_cached_number_claims_are_the_claims(specs, start, policy, steps):
    # The simulator remembers the claims per roster state; at any moment they must be number_claims' own.
    workload = parse_workload(
        {
            "name": "cache",
            "seed": 1,
            "days": 1,
            "start": start,
            "arrivals_per_hour": [1] * 24,
            "caller_patience_s": 60,
            "callback_accept_rate": 0.5,
            "providers": [dict(p, id=f"p{i}") for i, p in enumerate(specs)],
        }
    )
    states = [ProviderState(spec) for spec in workload.providers]
    roster = tuple(s.spec for s in states)
    cached = NumberClaims(policy)
    now = workload.start
    for seconds, pause in steps:
        now += timedelta(seconds=seconds)
        states[seconds % len(states)].auto_paused = pause
        snapshots = [snapshot(s, now) for s in states]
        fee = FeeTerms("monthly", frozenset(s.spec.id for s in states))
        assert cached(roster, snapshots, now) == number_claims(snapshots, policy, fee, now)


# -- plan_call and next_step, driven directly -----------------------------------------------------------------
BASES = [
    datetime(2026, 3, 8, 1, 30, tzinfo=ZoneInfo("America/New_York")),  # an hour before spring-forward
    datetime(2026, 3, 4, 14, 0, tzinfo=ZoneInfo("America/New_York")),
    datetime(2026, 11, 1, 0, 45, tzinfo=ZoneInfo("America/Los_Angeles")),
    datetime(2026, 12, 24, 23, 50, tzinfo=ZoneInfo("America/Chicago")),
    datetime(2026, 6, 15, 9, 0, tzinfo=ZoneInfo("UTC")),
]


WEEKLY = [weekly_from_lists(h) for h in HOURS if isinstance(h, dict) and not any(len(k) > 3 for k in h)] + [
    weekly_from_lists(
        {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "sat": [["23:00", "07:00"]]}
    ),
    weekly_from_lists({d: [["07:00", "23:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}),
]


def _range(start: int, length: int) -> TimeRange:
    """A range starting at ``start`` minutes after midnight, ``length`` minutes long (past midnight if need be)."""
    end = (start + length) % 1440
    return TimeRange(time(start // 60, start % 60), time(end // 60, end % 60))


ranges = st.lists(st.tuples(st.integers(0, 1439), st.integers(1, 1440)), max_size=2).map(
    lambda pairs: tuple(_range(s, n) for s, n in pairs)
)


@st.composite
def schedules(draw: st.DrawFn, today: date) -> Schedule:
    """Around the clock or weekly hours (fixed patterns or random ranges, some past midnight), in several zones,
    with holidays and one-off hours from two days ago to nine days ahead now and then."""
    tz = draw(st.sampled_from(ZONES))
    always = draw(st.sampled_from([True, True, False]))
    weekly = WEEKLY[0] if always else draw(st.sampled_from(WEEKLY) | st.tuples(*[ranges] * 7))
    days = st.integers(-2, 9).map(lambda k: today + timedelta(days=k))
    special = draw(mostly(False, True))
    holidays = frozenset(draw(st.lists(days, max_size=2))) if special else frozenset()
    exceptions = draw(st.dictionaries(days, ranges, max_size=2)) if special else None
    return Schedule(tz, weekly=weekly, always_open=always, holidays=holidays, exceptions=exceptions)


@st.composite
def rosters(draw: st.DrawFn, now: datetime) -> list[Any]:
    today = now.date()
    expiry = mostly(today + timedelta(days=400), None, today - timedelta(days=1), today)
    out = []
    for i in range(draw(st.sampled_from([0, 1, 2, 2, 3, 3, 4, 5, 6]))):  # none at all now and then
        lines = draw(st.integers(1, 3))
        out.append(
            provider(
                f"p{i}",
                name=f"Provider {i}",
                schedule=draw(schedules(today)),
                contract_active=draw(mostly(True, False)),
                license_expires=draw(expiry),
                certification_expires=draw(expiry),
                paused=draw(mostly(False, True)),
                auto_paused=draw(mostly(False, True)),
                unanswered_offers=tuple(
                    now - timedelta(minutes=m) for m in draw(mostly([], [5], [1, 30, 90], [2, 3, 4, 200]))
                ),
                lines=lines,
                active_calls=draw(mostly(0, 1, lines)),
                ringing=draw(st.integers(0, 1)),
                daily_cap=draw(mostly(None, 0, 2, 6)),
                delivered_today=draw(st.integers(0, 6)),
                delivered_on=draw(st.sampled_from([None, today])),
                open_callbacks=draw(mostly(0, 1, 3)),
                states=frozenset(draw(mostly([], ["CA"], ["TX", "NY"], ["OH"], ["CA", "OH", "NY"]))),
                zip_prefixes=frozenset(draw(mostly([], ["9"], ["98052"], ["100", "43"]))),
                languages=frozenset(draw(mostly(["en"], ["es"], ["en", "es"]))),
                intents=frozenset(
                    draw(mostly(list(Intent), [Intent.DETOX], [Intent.HOTLINE, Intent.REHABILITATION]))
                ),
                share_credit=draw(st.sampled_from([0.0, 0.5, -1.0])),
            )
        )
    return out


@dataclass
class Drive:
    """What the caller and the providers do, step by step, as ``next_step`` sees it."""

    rings: list[tuple[int, str]]  # per dial: how many of its targets could be reserved, and what happened
    presses: list[tuple[str, str]]  # keys pressed at moments (digit, moment), in order, from the start
    callback: str  # "accept", "decline", "hang_up", "9", "0"
    reassign_after_min: int | None  # the deadline job looks for another provider this long after the call


RING = ["accept", "no_answer", "busy", "declined", "failed", "hang_up", "9", "0"]
drives = st.builds(
    Drive,
    st.lists(st.tuples(st.integers(0, 4), st.sampled_from(RING)), min_size=8, max_size=8),
    st.lists(st.tuples(st.sampled_from("90"), st.sampled_from(["ringing", "connected"])), max_size=2),
    st.sampled_from(["accept", "accept", "decline", "hang_up", "9", "0"]),
    st.none() | st.integers(0, 48 * 60),
)


def reassignment(
    offer: CallbackOffer,
    providers: list[Any],
    call: CallContext,
    policy: RoutingPolicy,
    later: datetime,
    seed: int,
) -> str | None:
    """Who the deadline job (``telephony.callback_deadlines.choose_reassignment``) moves a missed callback to at
    ``later``: the core's ``callback_successor`` among the caller's consent but the named provider."""
    best = callback_successor(call, providers, policy, later, seed, offer.provider_ids, (offer.provider_id,))
    return None if best is None else best.id


def run_call(
    decision: Any,
    drive: Drive,
    call: CallContext,
    now: datetime,
    providers: list[Any],
    policy: RoutingPolicy,
) -> CallFacts:
    """Walk the plan with ``next_step`` as the adapters would, and record what happened as ``CallFacts``."""
    plan = decision.plan
    # Keys pressed while providers ring or once connected do nothing (the claim says when they work).
    presses: list[tuple[str, str]] = list(drive.presses)
    waves: list[tuple[str, ...]] = []
    connected = None
    assignees: tuple[str, ...] = ()
    consent: tuple[str, ...] = ()
    minutes = None
    elapsed = 0.0
    step = next_step(plan, Progress(1), Result(Outcome.NO_INPUT))
    at = 1
    rings = iter(drive.rings)
    while True:
        if isinstance(step, Dial):
            reserved, what = next(rings)
            rung = step.targets[: min(reserved, len(step.targets))]
            moment = "greeting" if not waves else "wave_announcement"
            if what in ("9", "0"):  # pressed while hearing the greeting or the next wave's announcement
                presses.append((what, moment))
                step = next_step(plan, Progress(step.index, elapsed), Result(Outcome(f"pressed_{what}")))
                continue
            waves.append(tuple(t.id for t in rung))
            if not rung:
                outcome, who = Outcome.BUSY, None
            elif what == "accept":
                outcome, who = Outcome.ACCEPTED, rung[len(waves) % len(rung)].id
            elif what == "hang_up":
                outcome, who = Outcome.CALLER_HUNG_UP, None
            else:
                outcome, who = Outcome(what), None
                elapsed += step.ring_timeout_s if what == "no_answer" else 1.0
            at = step.index
            step = next_step(plan, Progress(at, elapsed), Result(outcome, who))
        elif isinstance(step, CallbackOffer):
            choice = drive.callback
            if choice in ("9", "0"):
                presses.append((choice, "callback_offer"))
                result = Result(Outcome(f"pressed_{choice}"))
            else:
                result = Result(
                    {"accept": Outcome.CALLBACK_ACCEPTED, "decline": Outcome.NO_INPUT}.get(
                        choice, Outcome.CALLER_HUNG_UP
                    )
                )
            offer = step
            step = next_step(plan, Progress(offer.index, elapsed), result)
            if isinstance(step, CallbackConfirmed):
                consent = offer.provider_ids
                assignees = (offer.provider_id,)
                if drive.reassign_after_min is not None and drive.reassign_after_min >= offer.minutes:
                    later = now + timedelta(minutes=drive.reassign_after_min)
                    other = reassignment(offer, providers, call, policy, later, decision.trace.seed)
                    assignees += (other,) if other is not None else ()
                minutes = (offer.deadline - now).total_seconds() / 60
        else:
            break
    if isinstance(step, Connect):
        outcome_name, connected = "connected", step.provider_id
    elif isinstance(step, CallbackConfirmed):
        outcome_name = "callback"
    elif isinstance(step, Transfer):
        outcome_name = "transferred_crisis" if step.number == CRISIS_OPTION.number else "transferred_free"
    elif isinstance(step, Ended):
        outcome_name = "abandoned"
    else:
        outcome_name = "pending"
    first = plan.first_dial()
    return CallFacts(
        kind="helpline",
        outcome=outcome_name,
        at=now,
        caller_state=call.caller_state,
        caller_zip3=call.caller_zip,
        language=call.language,
        eligible=decision.trace.eligible_ids,
        waves=tuple(waves),
        named=tuple(t.id for t in first.targets) if first is not None else (),
        connected=connected,
        callback_assignees=assignees,
        callback_consent=consent,
        callback_minutes=minutes,
        key_presses=tuple(presses),
    )


@st.composite
def situations(draw: st.DrawFn) -> tuple[Any, ...]:
    now = draw(st.sampled_from(BASES)) + timedelta(minutes=draw(st.integers(0, 3 * 1440)))
    providers = draw(rosters(now))
    ids = [p.id for p in providers]
    call = CallContext(
        call_id="prop",
        intent=draw(st.none() | st.sampled_from(list(Intent))),
        language=draw(mostly("en", "es")),
        caller_state=draw(st.sampled_from([None, "CA", "TX", "NY", "OH"])),
        caller_zip=draw(st.sampled_from([None, "980", "100", "430", "606"])),
        previous_provider_id=draw(st.none() | st.sampled_from(ids)) if ids else None,
        previous_answered_at=now - timedelta(days=draw(st.integers(0, 40))),
    )
    fee = draw(
        st.sampled_from([FeeTerms("monthly", frozenset(ids)), FeeTerms("yearly", frozenset(ids[:1])), None])
    )
    return now, providers, call, fee


@settings(max_examples=300, deadline=None)
@given(situations(), policies, drives, st.integers(0, 2**32))
def test_no_call_driven_through_the_engine_contradicts_its_claims(situation, policy, drive, seed):
    now, providers, call, fee = situation
    decision = plan_call(call, providers, policy, now, seed)
    number = number_claims(providers, policy, fee, now, intent=call.intent)
    claims = in_force(number, call_claims(decision.plan, number))
    facts = run_call(decision, drive, call, now, providers, policy)
    broken = violations(claims, facts)
    assert claims
    assert not broken, ([describe(c) for c in broken], facts)


# -- what the checks found (fixed in 8e6ef21), kept as regressions -----------------------------------------------
def test_one_off_hours_that_began_yesterday_and_run_past_midnight_are_within_the_claim() -> None:
    now = datetime(2026, 3, 5, 3, 0, tzinfo=ZoneInfo("America/New_York"))  # a Thursday, 03:00
    yesterday = now.date() - timedelta(days=1)
    schedule = Schedule("America/New_York", exceptions={yesterday: (TimeRange(time(22), time(6)),)})
    p0 = provider("p0", schedule=schedule)  # no weekly hours: open only by Wednesday's one-off 22:00-06:00
    decision = plan_call(CallContext("gap-1"), [p0], RoutingPolicy(), now, 1)
    assert decision.trace.eligible_ids == ("p0",)  # the engine rings it ...
    claims = number_claims([p0], RoutingPolicy(), FeeTerms("monthly", frozenset({"p0"})), now)
    facts = CallFacts("helpline", "connected", at=now, eligible=("p0",), waves=(("p0",),), connected="p0")
    assert violations(claims, facts) == []  # ... and the web must say it takes calls then


def test_a_callback_is_never_moved_to_a_backup_the_web_did_not_name() -> None:
    now = datetime(2026, 3, 4, 14, 0, tzinfo=ZoneInfo("America/New_York"))  # a Wednesday, 14:00
    opens_soon = Schedule("America/New_York", weekly=weekly_from_lists({"wed": [["14:10", "17:00"]]}))
    thursday = Schedule("America/New_York", weekly=weekly_from_lists({"thu": [["10:00", "17:00"]]}))
    thursday_late = Schedule("America/New_York", weekly=weekly_from_lists({"thu": [["16:00", "17:00"]]}))
    providers = [
        provider("p0", schedule=opens_soon),
        provider("p1", schedule=thursday),  # opens in 20 h: the web names it, and so may the offer
        provider("p2", schedule=thursday_late),  # opens in 26 h: the web does not name it ...
    ]
    policy, call = RoutingPolicy(), CallContext("gap-2")
    decision = plan_call(call, providers, policy, now, 1)
    offer = next(s for s in decision.plan.steps if isinstance(s, CallbackOffer))
    assert offer.provider_ids == ("p0", "p1")  # ... so the offer does not name it as a backup either
    claims = number_claims(providers, policy, FeeTerms("monthly", frozenset({"p0", "p1", "p2"})), now)
    # p0 does not call back; 26 hours later (the request stays open 48 h) the deadline job looks again.
    moved = reassignment(offer, providers, call, policy, now + timedelta(hours=26, minutes=5), 1)
    assert moved == "p1"
    facts = CallFacts(
        "helpline",
        "callback",
        at=now,
        callback_assignees=("p0", moved),
        callback_consent=offer.provider_ids,
        callback_minutes=offer.minutes,
    )
    assert violations(claims, facts) == []
