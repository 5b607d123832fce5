"""What-if replay against the database: the recorded general helpline calls of a period, planned again under
proposed routing settings (``clearline replay``, the "What if?" button of the routing settings admin).

The routing core does the replay (``routing.replay``, ``routing.replay_figures``); this module reads the calls,
their attempts and callbacks into ``RecordedCall`` values (``replay_settings`` reads the proposed settings). Calls
that cannot be planned again are counted by reason, never left out silently.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import F
from django.utils import timezone

from clearline.providers.models import Provider
from clearline.providers.routing_settings import SETTING_FIELDS, RoutingSettings
from clearline.routing import RoutingPolicy
from clearline.routing.recorded import read_inputs
from clearline.routing.replay import (
    RecordedCall,
    Replayer,
    Ring,
    observed_behaviour,
    past_the_waves,
    replay_order,
)
from clearline.routing.replay_figures import Comparison, Tally
from clearline.routing.steps import RINGING
from clearline.telephony.models import (
    Attempt,
    AttemptStatus,
    Call,
    CallbackRequest,
    CallbackStatus,
    CallOutcome,
)
from clearline.telephony.replay_settings import (
    PAUSED_KEY,
    Proposal,
    SettingsError,
    period,
    policy_of,
    proposal_from,
    read_settings_file,
)
from clearline.telephony.roster_counts import rotation_period
from clearline.telephony.services.calls import INPUTS_KEY, PLACE_KEY

__all__ = [
    "PAUSED_KEY",
    "Proposal",
    "ReplayReport",
    "SettingsError",
    "period",
    "proposal_from",
    "read_settings_file",
    "recorded_calls",
    "run_replay",
    "what_if_last_days",
    "with_inputs",
]

_DECIDED = {AttemptStatus.ACCEPTED, AttemptStatus.NO_ANSWER, AttemptStatus.BUSY, AttemptStatus.DECLINED}
_DECIDED |= {AttemptStatus.FAILED}


@dataclass(frozen=True)
class ReplayReport:
    start: dt.datetime
    end: dt.datetime
    comparison: Comparison
    names: Mapping[str, str]
    proposal: Proposal | None = None

    def as_dict(self) -> dict[str, Any]:
        settings = {}
        if self.proposal is not None:  # what was replayed, so a saved output says what it answers
            settings = {name: getattr(self.proposal.policy, name) for name in SETTING_FIELDS}
            settings[PAUSED_KEY] = sorted(self.proposal.paused, key=int)
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "settings": settings,
            **self.comparison.as_dict(self.names),
        }


# --- the recorded calls ------------------------------------------------------------------------------------------


# What the first pass reads of a call's trace (by key, in the database): everything but its inputs, which the
# second pass reads a few calls at a time.
TRACE_PARTS = {
    "t_at": F("trace__at"),
    "t_seed": F("trace__seed"),
    "t_waves": F("trace__waves"),
    "t_order": F("trace__order"),
    "t_callback": F("trace__callback_provider"),
    "t_place": F(f"trace__{PLACE_KEY}"),
    "t_format": F(f"trace__{INPUTS_KEY}__format"),
    "t_ring_s": F(f"trace__{INPUTS_KEY}__policy__ring_timeout_s"),
    "t_budget": F(f"trace__{INPUTS_KEY}__policy__ring_budget_s"),
    "t_terminal": F("trace__terminal"),
}
CHUNK = 200


def recorded_calls(start: dt.datetime, end: dt.datetime) -> tuple[list[RecordedCall], int, Counter[str]]:
    """The general helpline calls that started in [start, end), in ``replay_order`` and without their inputs
    (``with_inputs`` adds them): those that can be replayed, how many there were, and the others by reason."""
    in_period = {"number_kind": "helpline", "started_at__gte": start, "started_at__lt": end}
    # The attempts and callbacks of those calls, selected by the same condition (not a list of ids, which a long
    # period would make longer than a database allows).
    of_calls = {f"call__{name}": value for name, value in in_period.items()}
    attempts: dict[int, list[Any]] = {}
    for row in Attempt.objects.filter(**of_calls).values_list(
        "call_id", "step_index", "provider_id", "status", "started_at", "answered_at", "ended_at"
    ):
        attempts.setdefault(row[0], []).append(row)
    callbacks = {c.call_id: c for c in CallbackRequest.objects.filter(**of_calls)}
    out: list[RecordedCall] = []
    skipped: Counter[str] = Counter()
    total = 0
    calls = (
        Call.objects.filter(**in_period)
        .defer("trace", "plan")
        .annotate(**TRACE_PARTS)
        .order_by("started_at", "pk")
    )
    for call in calls.iterator(chunk_size=CHUNK):
        total += 1
        reason = _unreplayable(call)
        if reason is None:
            try:
                out.append(_recorded(call, attempts.get(call.pk, []), callbacks.get(call.pk)))
            except (KeyError, TypeError, ValueError):
                reason = "decision trace unreadable"
        if reason is not None:
            skipped[reason] += 1
    out.sort(key=replay_order)
    return out, total, skipped


def with_inputs(calls: list[RecordedCall], skipped: Counter[str]) -> Iterator[RecordedCall]:
    """``calls`` with their recorded inputs, read and decoded ``CHUNK`` calls at a time (a month of them, each with
    every provider's snapshot, would not fit in memory at once). A record that cannot be read is counted in
    ``skipped`` and left out."""
    for first in range(0, len(calls), CHUNK):
        chunk = calls[first : first + CHUNK]
        stored = dict(
            Call.objects.filter(call_sid__in=[c.call_id for c in chunk]).values_list(
                "call_sid", f"trace__{INPUTS_KEY}"
            )
        )
        for call in chunk:
            try:
                inputs = read_inputs(stored[call.call_id], call.call_id)
            except (KeyError, TypeError, ValueError, AttributeError):
                skipped["recorded inputs unreadable"] += 1
                continue
            yield replace(call, inputs=inputs)


def _unreplayable(call: Any) -> str | None:
    if call.outcome == CallOutcome.PENDING:
        return "still in progress"
    if call.outcome == CallOutcome.FALLBACK or call.routing_started_at is None:
        return "no routing decision (fallback)"
    if call.t_at is None:
        return "decision trace purged"
    if call.t_format is None:
        return "inputs not kept (planned before replay existed, or erased with the call details)"
    return None


def _recorded(call: Any, attempts: Iterable[Any], callback: CallbackRequest | None) -> RecordedCall:
    """A call annotated with ``TRACE_PARTS``, without its inputs."""
    at = dt.datetime.fromisoformat(call.t_at)
    waves = tuple(tuple(str(p) for p in w) for w in call.t_waves)
    rings = []
    stopped: list[dt.datetime] = []  # when legs stopped ringing because the caller left or chose a line
    for _call, step_index, provider_id, status, started_at, answered_at, ended_at in attempts:
        if status in (AttemptStatus.CALL_ENDED, AttemptStatus.CANCELED) and ended_at is not None:
            stopped.append(ended_at)
        accepted = status == AttemptStatus.ACCEPTED and answered_at is not None
        rings.append(
            Ring(
                provider_id=str(provider_id),
                wave=step_index - 1,  # a helpline plan: greeting 0, menu 1, then one Dial per wave
                after_s=(started_at - at).total_seconds(),
                answered_after_s=(answered_at - started_at).total_seconds() if accepted else None,
                decided=status in _DECIDED,
                caller_left=status == AttemptStatus.CALL_ENDED,
            )
        )
    reached = max((r.wave for r in rings), default=0)
    heard_terminal = not any(r.caller_left for r in rings) and _heard_terminal(call, waves)
    if heard_terminal:
        reached = len(waves)
    rung = {(r.provider_id, r.wave) for r in rings}
    skipped = frozenset(
        (pid, n) for n, wave in enumerate(waves[:reached], start=1) for pid in wave if (pid, n) not in rung
    )
    chose_at = min(stopped) if RINGING in {m for _d, m in call.key_presses or ()} and stopped else None
    answer, left_after = _caller(call, rings, at, heard_terminal, callback, int(call.t_ring_s), chose_at)
    place = call.t_place
    return RecordedCall(
        call_id=call.call_sid,
        at=at,
        seed=int(call.t_seed),
        inputs=None,
        period=rotation_period(at),
        waves=waves,
        eligible=tuple(str(p) for p in call.t_order),  # the eligible providers, in rotation order
        # (str(): SQLite's JSON_EXTRACT gives the string "7" back as the number 7)
        callback_provider=str(call.t_callback) if call.t_callback is not None else None,
        credited=not (isinstance(place, dict) and "answer" not in place),
        rings=tuple(sorted(rings, key=lambda r: (r.after_s, r.provider_id))),
        skipped=skipped,
        left_after_s=left_after,
        callback_answer=answer,
        callback_by=str(callback.assignees[0] if callback.assignees else callback.provider_id)
        if callback
        else None,
        callback_on_time=(
            callback.status == CallbackStatus.RETURNED
            and callback.closed_at is not None
            and callback.closed_at <= callback.due_at
        )
        if callback is not None and callback.status != CallbackStatus.OPEN
        else None,
    )


def _heard_terminal(call: Any, waves: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the call got past its waves (to the callback offer or the free helpline)."""
    policy = RoutingPolicy(
        ring_timeout_s=int(call.t_ring_s), ring_budget_s=int(call.t_budget), version="recorded"
    )
    return past_the_waves(waves, policy, call.t_terminal, call.step_index, call.ring_elapsed_s)


def _caller(
    call: Any,
    rings: list[Ring],
    at: dt.datetime,
    heard_terminal: bool,
    callback: CallbackRequest | None,
    ring_timeout_s: int,
    chose_at: dt.datetime | None = None,
) -> tuple[str | None, float | None]:
    """(what the caller answered at the callback offer, or None; seconds after which they left, or None).
    ``chose_at``: when a 9 or 0 pressed while phones rang stopped them (the caller left then)."""
    moments = [moment for _digit, moment in call.key_presses or ()]
    offer = call.t_terminal == "callback_offer"
    if callback is not None:
        return "accepted", None
    if call.outcome == CallOutcome.CONNECTED:
        return None, None
    if "callback_offer" in moments:
        return "declined", None
    if any(m in ("greeting", "place_prompt") for m in moments):
        return None, 0.0  # chose the crisis line or the free helpline before anyone rang
    if heard_terminal:
        if call.outcome == CallOutcome.ABANDONED:
            return ("left", None) if offer else (None, None)
        return ("declined" if offer else None), None
    if not rings:
        return None, 0.0  # left during the greeting
    if chose_at is not None:
        return None, max(0.0, (chose_at - at).total_seconds())
    if "wave_announcement" in moments:  # pressed 9 or 0 as the next wave was announced, before it rang
        return None, max(r.after_s for r in rings) + ring_timeout_s
    ended = call.ended_at or max(at + dt.timedelta(seconds=r.after_s) for r in rings)
    return None, max(0.0, (ended - at).total_seconds())


# --- the replay --------------------------------------------------------------------------------------------------


def run_replay(start: dt.datetime, end: dt.datetime, proposal: Proposal) -> ReplayReport:
    """Replay the period's recorded calls under ``proposal``, beside what happened. Two passes: the calls without
    their inputs (for the providers' and callers' observed behaviour), then each call with them, a few at a time."""
    calls, total, skipped = recorded_calls(start, end)
    replayer = Replayer(proposal.policy, observed_behaviour(calls), proposal.paused)
    previous = previous_providers(start, end, proposal.policy.continuity_days)
    tally = Tally()
    for call in with_inputs(calls, skipped):
        call = previous(call)
        tally.add(call, replayer.replay(call))
    comparison = tally.comparison(total, dict(skipped))
    ids = [int(pid) for pid in comparison.providers if pid.isdigit()]
    names = {str(pk): name for pk, name in Provider.objects.filter(pk__in=ids).values_list("pk", "name")}
    return ReplayReport(start, end, comparison, names, proposal)


def previous_providers(
    start: dt.datetime, end: dt.datetime, days: int
) -> Callable[[RecordedCall], RecordedCall]:
    """Continuity proposed (``days`` > 0): a function giving each call planned without it the provider that answered
    its caller's latest call within ``days`` before it, as the live flow would have looked it up (by the caller's
    keyed hash; a withheld number, or one purged by retention, has none). Otherwise calls are left as they are."""
    if days <= 0:
        return lambda call: call
    # Selected by period, not by lists of ids or callers (a month would make them longer than a database allows).
    hmacs = dict(
        Call.objects.filter(number_kind="helpline", started_at__gte=start, started_at__lt=end)
        .exclude(caller_hmac="")
        .values_list("call_sid", "caller_hmac")
    )
    answered: dict[str, list[tuple[dt.datetime, int]]] = {}
    rows = (
        Call.objects.filter(
            connected_provider__isnull=False,
            answered_at__gte=start - dt.timedelta(days=days),
            answered_at__lt=end,
        )
        .exclude(caller_hmac="")
        .values_list("caller_hmac", "answered_at", "connected_provider_id")
    )
    for caller, at, provider in rows:
        if at is not None and provider is not None:
            answered.setdefault(caller, []).append((at, provider))

    def fill(call: RecordedCall) -> RecordedCall:
        if call.inputs is None or call.inputs.call.previous_provider_id is not None:
            return call  # looked up when it was planned: kept
        earlier = [
            (at, provider)
            for at, provider in answered.get(hmacs.get(call.call_id, ""), ())
            if call.at - dt.timedelta(days=days) <= at < call.at
        ]
        if not earlier:
            return call
        at, provider = max(earlier)
        context = replace(call.inputs.call, previous_provider_id=str(provider), previous_answered_at=at)
        return replace(call, inputs=replace(call.inputs, call=context))

    return fill


def what_if_last_days(
    settings: RoutingSettings, days: int = 30, now: dt.datetime | None = None
) -> ReplayReport:
    """The admin's "What if?": the last ``days`` days up to today, under unsaved ``settings`` (already valid)."""
    today = timezone.localdate(
        now, timezone.get_default_timezone()
    )  # the operator's day, not the admin user's
    start, end = period(today - dt.timedelta(days=days - 1), today)
    return run_replay(start, end, Proposal(policy_of(settings)))
