"""What-if replay against the database: the recorded general helpline calls of a period, planned again under
proposed routing settings (``clearline replay``, the "What if?" button of the routing settings admin).

The routing core does the replay (``routing.replay``, ``routing.replay_figures``); this module reads the calls,
their attempts and callbacks into ``RecordedCall`` values, and reads and checks the proposed settings, with the
same rules and messages as the admin form (``RoutingSettings.clean``). Calls that cannot be planned again are
counted by reason, never left out silently.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from clearline.providers.models import Provider
from clearline.providers.routing_settings import SETTING_FIELDS, RoutingSettings, current_routing_settings
from clearline.routing import CallbackOffer, RoutingPolicy
from clearline.routing.recorded import read_inputs
from clearline.routing.replay import RecordedCall, Ring, observed_behaviour, past_the_waves, replay
from clearline.routing.replay_figures import Comparison, summarise
from clearline.telephony.models import (
    Attempt,
    AttemptStatus,
    Call,
    CallbackRequest,
    CallbackStatus,
    CallOutcome,
)
from clearline.telephony.roster_counts import rotation_period
from clearline.telephony.services.calls import INPUTS_KEY, PLACE_KEY

# Besides the settings, a file may name providers to treat as paused ("what if X were paused?").
PAUSED_KEY = "paused_providers"
WHAT_IF_VERSION = "what-if"

_DECIDED = {AttemptStatus.ACCEPTED, AttemptStatus.NO_ANSWER, AttemptStatus.BUSY, AttemptStatus.DECLINED}
_DECIDED |= {AttemptStatus.FAILED}


class SettingsError(ValueError):
    """The proposed settings cannot be used; the message says why, in words an operator can act on."""


@dataclass(frozen=True)
class Proposal:
    policy: RoutingPolicy
    paused: frozenset[str] = frozenset()  # provider ids


@dataclass(frozen=True)
class ReplayReport:
    start: dt.datetime
    end: dt.datetime
    comparison: Comparison
    names: Mapping[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            **self.comparison.as_dict(self.names),
        }


# --- the proposed settings ---------------------------------------------------------------------------------------


def read_settings_file(path: str | Path) -> Proposal:
    """A JSON or TOML file of routing settings (the admin form's fields, by name; those left out keep the values in
    force) and, optionally, ``paused_providers``: ids, slugs or names."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise SettingsError(f"Cannot read {file}: {error.strerror or error}.") from error
    try:
        data = tomllib.loads(text) if file.suffix.lower() == ".toml" else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        kind = "TOML" if file.suffix.lower() == ".toml" else "JSON"
        raise SettingsError(f"{file} is not valid {kind}: {error}.") from error
    if not isinstance(data, dict):
        raise SettingsError(f'{file} must hold one object of settings, like {{"wave_size": 1}}.')
    return proposal_from(data)


def proposal_from(data: Mapping[str, Any]) -> Proposal:
    unknown = sorted(set(data) - set(SETTING_FIELDS) - {PAUSED_KEY})
    if unknown:
        raise SettingsError(
            f"Unknown setting(s): {', '.join(unknown)}. Known: {', '.join((*SETTING_FIELDS, PAUSED_KEY))}."
        )
    current = current_routing_settings()
    values = {name: data.get(name, getattr(current, name)) for name in SETTING_FIELDS}
    proposed = RoutingSettings(**values, note="what-if")
    try:
        proposed.clean_fields(exclude=["note", "created_by"])
        proposed.clean()
    except ValidationError as error:
        raise SettingsError(_explain(error)) from error
    return Proposal(policy_of(proposed), _paused(data.get(PAUSED_KEY, [])))


def policy_of(settings: RoutingSettings) -> RoutingPolicy:
    """The settings as the engine's policy, labelled as a what-if (never a version in force)."""
    return replace(settings.to_policy(), version=WHAT_IF_VERSION)


def _explain(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for name, errors in error.message_dict.items():
            label = name if name != "__all__" else "settings"
            parts.append(f"{label}: {' '.join(errors)}")
        return "; ".join(parts)
    return " ".join(error.messages)


def _paused(names: Any) -> frozenset[str]:
    if not isinstance(names, list) or not all(isinstance(n, str | int) for n in names):
        raise SettingsError(f"{PAUSED_KEY} must be a list of provider ids, slugs or names.")
    found: set[str] = set()
    for name in names:
        text = str(name)
        match = Provider.objects.filter(slug=text) | Provider.objects.filter(name=text)
        if text.isdigit():
            match = match | Provider.objects.filter(pk=int(text))
        ids = list(match.values_list("pk", flat=True))
        if len(ids) != 1:
            raise SettingsError(f"{PAUSED_KEY}: no single provider is called {text!r}.")
        found.add(str(ids[0]))
    return frozenset(found)


# --- the recorded calls ------------------------------------------------------------------------------------------


def period(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``first`` to the end of ``last``, in the operator's time zone."""
    if last < first:
        raise SettingsError("--to is before --from.")
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)


def recorded_calls(start: dt.datetime, end: dt.datetime) -> tuple[list[RecordedCall], int, Counter[str]]:
    """The general helpline calls that started in [start, end): those that can be replayed, how many there were,
    and the others by reason."""
    in_period = {"number_kind": "helpline", "started_at__gte": start, "started_at__lt": end}
    calls = list(Call.objects.filter(**in_period).order_by("started_at", "pk"))
    # The attempts and callbacks of those calls, selected by the same condition (not a list of ids, which a long
    # period would make longer than a database allows).
    of_calls = {f"call__{name}": value for name, value in in_period.items()}
    attempts: dict[int, list[Any]] = {}
    for row in Attempt.objects.filter(**of_calls).values_list(
        "call_id", "step_index", "provider_id", "status", "started_at", "answered_at"
    ):
        attempts.setdefault(row[0], []).append(row)
    callbacks = {c.call_id: c for c in CallbackRequest.objects.filter(**of_calls)}
    out: list[RecordedCall] = []
    skipped: Counter[str] = Counter()
    for call in calls:
        reason = _unreplayable(call)
        if reason is None:
            try:
                out.append(_recorded(call, attempts.get(call.pk, []), callbacks.get(call.pk)))
            except (KeyError, TypeError, ValueError):
                reason = "recorded inputs unreadable"
        if reason is not None:
            skipped[reason] += 1
    return out, len(calls), skipped


def _unreplayable(call: Call) -> str | None:
    if call.outcome == CallOutcome.PENDING:
        return "still in progress"
    if call.outcome == CallOutcome.FALLBACK or call.routing_started_at is None:
        return "no routing decision (fallback)"
    if not isinstance(call.trace, dict) or not call.trace:
        return "decision trace purged"
    if INPUTS_KEY not in call.trace:
        return "inputs not recorded (planned before replay existed)"
    return None


def _recorded(call: Call, attempts: Iterable[Any], callback: CallbackRequest | None) -> RecordedCall:
    trace = call.trace
    at = dt.datetime.fromisoformat(trace["at"])
    inputs = read_inputs(trace[INPUTS_KEY], call.call_sid)
    waves = tuple(tuple(str(p) for p in w) for w in trace["waves"])
    rings = []
    for _call, step_index, provider_id, status, started_at, answered_at in attempts:
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
    heard_terminal = not any(r.caller_left for r in rings) and _heard_terminal(call)
    if heard_terminal:
        reached = len(waves)
    rung = {(r.provider_id, r.wave) for r in rings}
    skipped = frozenset(
        (pid, n) for n, wave in enumerate(waves[:reached], start=1) for pid in wave if (pid, n) not in rung
    )
    answer, left_after = _caller(call, rings, at, heard_terminal, callback, inputs.policy.ring_timeout_s)
    place = trace.get(PLACE_KEY)
    return RecordedCall(
        call_id=call.call_sid,
        at=at,
        seed=int(trace["seed"]),
        inputs=inputs,
        period=rotation_period(at),
        waves=waves,
        eligible=tuple(str(p["id"]) for p in trace["providers"] if p.get("eligible")),
        callback_provider=trace.get("callback_provider"),
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


def _heard_terminal(call: Call) -> bool:
    """Whether the call got past its waves (to the callback offer or the free helpline)."""
    return bool(call.plan) and past_the_waves(call.routing_plan, call.step_index, call.ring_elapsed_s)


def _caller(
    call: Call,
    rings: list[Ring],
    at: dt.datetime,
    heard_terminal: bool,
    callback: CallbackRequest | None,
    ring_timeout_s: int,
) -> tuple[str | None, float | None]:
    """(what the caller answered at the callback offer, or None; seconds after which they left, or None)."""
    moments = [moment for _digit, moment in call.key_presses or ()]
    offer = bool(call.plan) and isinstance(call.routing_plan.terminal, CallbackOffer)
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
    if "wave_announcement" in moments:  # pressed 9 or 0 as the next wave was announced, before it rang
        return None, max(r.after_s for r in rings) + ring_timeout_s
    ended = call.ended_at or max(at + dt.timedelta(seconds=r.after_s) for r in rings)
    return None, max(0.0, (ended - at).total_seconds())


# --- the replay --------------------------------------------------------------------------------------------------


def run_replay(start: dt.datetime, end: dt.datetime, proposal: Proposal) -> ReplayReport:
    """Replay the period's recorded calls under ``proposal``, beside what happened."""
    calls, total, skipped = recorded_calls(start, end)
    if proposal.policy.continuity_days > 0:
        calls = with_previous_providers(calls, start, end, proposal.policy.continuity_days)
    behaviour = observed_behaviour(calls)
    results = replay(calls, proposal.policy, behaviour, proposal.paused)
    comparison = summarise(calls, results, total, dict(skipped))
    ids = [int(pid) for pid in comparison.providers if pid.isdigit()]
    names = {str(pk): name for pk, name in Provider.objects.filter(pk__in=ids).values_list("pk", "name")}
    return ReplayReport(start, end, comparison, names)


def with_previous_providers(
    calls: list[RecordedCall], start: dt.datetime, end: dt.datetime, days: int
) -> list[RecordedCall]:
    """Continuity proposed: each call planned without it gets the provider that answered its caller's latest call
    within ``days`` before it, as the live flow would have looked it up (by the caller's keyed hash; a withheld
    number, or one purged by retention, has none)."""
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
    out = []
    for c in calls:
        if c.inputs.call.previous_provider_id is not None:  # looked up when it was planned: kept
            out.append(c)
            continue
        earlier = [
            (at, provider)
            for at, provider in answered.get(hmacs.get(c.call_id, ""), ())
            if c.at - dt.timedelta(days=days) <= at < c.at
        ]
        if earlier:
            at, provider = max(earlier)
            context = replace(c.inputs.call, previous_provider_id=str(provider), previous_answered_at=at)
            c = replace(c, inputs=replace(c.inputs, call=context))
        out.append(c)
    return out


def what_if_last_days(
    settings: RoutingSettings, days: int = 30, now: dt.datetime | None = None
) -> ReplayReport:
    """The admin's "What if?": the last ``days`` days up to today, under unsaved ``settings`` (already valid)."""
    today = timezone.localdate(now)
    start, end = period(today - dt.timedelta(days=days - 1), today)
    return run_replay(start, end, Proposal(policy_of(settings)))
