"""A decision's inputs as plain JSON, so a recorded call can be planned again exactly (``clearline replay``).

``record_inputs`` turns what ``plan_call`` was given (the call, the provider snapshots in the order given, the
policy) into a compact dictionary; the call flow stores it in the call's trace under ``"inputs"``. ``read_inputs``
gives the same values back: ``plan_call(call, providers, policy, trace.at, trace.seed)`` on them returns the plan
and trace that were recorded (``tests/test_recorded.py``). The time and the seed are the trace's own ``at`` and
``seed``.

Compact, since every call stores it: a field equal to its default is left out, and a schedule keeps only the
holidays and one-off hours from the day before the call to ``SCHEDULE_DAYS`` after it (all ``plan_call`` can look
at: whether the provider is open now, and when it opens within the callback deadline or the backups' day). Nothing
about the caller beyond what routing reads (no number, no caller hash), nothing about money (there is none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from clearline.routing.schedule import Schedule, TimeRange
from clearline.routing.types import CallContext, Intent, NumberKind, ProviderSnapshot, RoutingPolicy

FORMAT = 1
SCHEDULE_DAYS = 9  # holidays and exceptions kept: from the day before the call to this many days after it
ALL_INTENTS = frozenset(Intent)

# ProviderSnapshot fields kept when they differ from these defaults (id and schedule are always kept; the name
# and phone are not routing inputs and are looked up again by id).
_PLAIN_DEFAULTS: tuple[tuple[str, Any], ...] = (
    ("contract_active", True),
    ("paused", False),
    ("auto_paused", False),
    ("lines", 1),
    ("active_calls", 0),
    ("ringing", 0),
    ("daily_cap", None),
    ("delivered_today", 0),
    ("open_callbacks", 0),
    ("share_credit", 0.0),
)
_DATES = ("license_expires", "certification_expires", "delivered_on")
_SETS = ("states", "zip_prefixes")
POLICY_FIELDS: tuple[str, ...] = (
    "version",
    "disclosure_version",
    "wave_size",
    "later_wave_size",
    "ring_timeout_s",
    "ring_budget_s",
    "repeat_rounds",
    "whisper",
    "require_accept",
    "callbacks",
    "callback_deadline_min",
    "callback_max_per_line",
    "auto_pause_after",
    "auto_pause_window_min",
    "continuity_days",
)


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What ``plan_call`` needs besides the time and the seed."""

    call: CallContext
    providers: tuple[ProviderSnapshot, ...]
    policy: RoutingPolicy


def record_inputs(
    call: CallContext, providers: Sequence[ProviderSnapshot], policy: RoutingPolicy, now: datetime
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "call": _call(call),
        "policy": {name: getattr(policy, name) for name in POLICY_FIELDS},
        "providers": [_provider(p, now) for p in providers],
    }


def read_inputs(data: Mapping[str, Any], call_id: str) -> PlanInputs:
    """The values ``record_inputs`` stored. Raises ``ValueError`` (or ``KeyError``/``TypeError``) when ``data`` is not
    such a record."""
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown inputs format {data.get('format')!r}")
    c = data["call"]
    call = CallContext(
        call_id=call_id,
        number_kind=NumberKind.HELPLINE,
        intent=Intent(c["intent"]) if c.get("intent") else None,
        language=c.get("language", "en"),
        caller_state=c.get("state"),
        caller_zip=c.get("zip"),
        previous_provider_id=c.get("previous"),
        previous_answered_at=_instant(c.get("previous_at")),
    )
    policy = RoutingPolicy(**{k: v for k, v in data["policy"].items() if k in POLICY_FIELDS})
    return PlanInputs(call, tuple(_read_provider(p) for p in data["providers"]), policy)


# --- the call ----------------------------------------------------------------------------------------------------


def _call(call: CallContext) -> dict[str, Any]:
    out: dict[str, Any] = {"language": call.language}
    if call.intent is not None:
        out["intent"] = call.intent.value
    if call.caller_state is not None:
        out["state"] = call.caller_state
    if call.caller_zip is not None:
        out["zip"] = call.caller_zip
    if call.previous_provider_id is not None:
        out["previous"] = call.previous_provider_id
        out["previous_at"] = _iso(call.previous_answered_at)
    return out


# --- providers ---------------------------------------------------------------------------------------------------


def _provider(p: ProviderSnapshot, now: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {"id": p.id, "schedule": _schedule(p.schedule, now)}
    for name, default in _PLAIN_DEFAULTS:
        value = getattr(p, name)
        if value != default:
            out[name] = value
    for name in _DATES:
        value = getattr(p, name)
        if value is not None:
            out[name] = value.isoformat()
    for name in _SETS:
        value = getattr(p, name)
        if value:
            out[name] = sorted(value)
    if p.languages != frozenset({"en"}):
        out["languages"] = sorted(p.languages)
    if p.intents != ALL_INTENTS:
        out["intents"] = sorted(i.value for i in p.intents)
    if p.unanswered_offers:
        out["unanswered_offers"] = [_iso(t) for t in p.unanswered_offers]
    if p.last_offered_at is not None:
        out["last_offered_at"] = _iso(p.last_offered_at)
    return out


def _read_provider(d: Mapping[str, Any]) -> ProviderSnapshot:
    values: dict[str, Any] = {name: d[name] for name, _ in _PLAIN_DEFAULTS if name in d}
    for name in _DATES:
        if d.get(name):
            values[name] = date.fromisoformat(d[name])
    for name in _SETS:
        values[name] = frozenset(d.get(name, ()))
    values["languages"] = frozenset(d.get("languages", ("en",)))
    values["intents"] = frozenset(Intent(i) for i in d["intents"]) if "intents" in d else ALL_INTENTS
    values["unanswered_offers"] = tuple(_instant(t) for t in d.get("unanswered_offers", ()))
    values["last_offered_at"] = _instant(d.get("last_offered_at"))
    pid = str(d["id"])
    return ProviderSnapshot(id=pid, name=pid, schedule=_read_schedule(d["schedule"]), **values)


# --- schedules ---------------------------------------------------------------------------------------------------


def _clock(t: time) -> str:
    return t.isoformat("minutes" if not t.second and not t.microsecond else "auto")


def _ranges(ranges: Sequence[TimeRange]) -> list[str]:
    return [f"{_clock(r.start)}-{_clock(r.end)}" for r in ranges]


def _read_ranges(texts: Sequence[str]) -> tuple[TimeRange, ...]:
    out = []
    for text in texts:
        start, end = text.split("-")
        out.append(TimeRange(time.fromisoformat(start), time.fromisoformat(end)))
    return tuple(out)


def _schedule(s: Schedule, now: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {"tz": s.timezone}
    if s.always_open:
        out["always_open"] = True
    if any(s.weekly):
        out["weekly"] = [_ranges(day) for day in s.weekly]
    first = now.date() - timedelta(days=2)  # the provider's local date may be a day behind UTC's
    last = now.date() + timedelta(days=SCHEDULE_DAYS)
    holidays = sorted(d.isoformat() for d in s.holidays if first <= d <= last)
    if holidays:
        out["holidays"] = holidays
    if s.exceptions:
        kept = {d.isoformat(): _ranges(r) for d, r in s.exceptions.items() if first <= d <= last}
        if kept:
            out["exceptions"] = kept
    return out


def _read_schedule(d: Mapping[str, Any]) -> Schedule:
    weekly = tuple(_read_ranges(day) for day in d["weekly"]) if "weekly" in d else ((),) * 7
    exceptions = {date.fromisoformat(k): _read_ranges(v) for k, v in d.get("exceptions", {}).items()}
    return Schedule(
        timezone=d["tz"],
        weekly=weekly,
        always_open=bool(d.get("always_open", False)),
        holidays=frozenset(date.fromisoformat(h) for h in d.get("holidays", ())),
        exceptions=exceptions or None,
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
