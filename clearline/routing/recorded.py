"""A decision's inputs as plain JSON, so a recorded call can be planned again exactly (``clearline replay``).

``record_inputs`` turns what ``plan_call`` was given (the call, the provider snapshots in the order given, the
policy) into a compact dictionary; the call flow stores it in the call's trace under ``"inputs"``. ``read_inputs``
gives the same values back: ``plan_call(call, providers, policy, trace.at, trace.seed)`` on them returns the plan
and trace that were recorded (``tests/test_recorded.py``). The time and the seed are the trace's own ``at`` and
``seed``.

Compact and quick, since every call stores it: each provider is one row of values (the field names once, in
``provider_fields``), a schedule is encoded once per day and kept only with the holidays and one-off hours from the
day before the call to ``SCHEDULE_DAYS`` after it (all ``plan_call`` can look at: whether the provider is open now,
and when it opens within the callback deadline or the backups' day). Nothing about the caller beyond what routing
reads (no number, no caller hash), nothing about money (there is none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from clearline.routing.schedule import Schedule, TimeRange
from clearline.routing.types import CallContext, Intent, NumberKind, ProviderSnapshot, RoutingPolicy

FORMAT = 2  # 1: each provider a dictionary of its non-default values (read still); 2: rows
SCHEDULE_DAYS = 9  # holidays and exceptions kept: from the day before the call to this many days after it
ALL_INTENTS = frozenset(Intent)

# Format 1 kept a ProviderSnapshot field only when it differed from these defaults (id and schedule always).
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
    "keys_while_ringing",
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
        "call": _call(call, now),
        "policy": {name: getattr(policy, name) for name in POLICY_FIELDS},
        "provider_fields": list(PROVIDER_FIELDS),
        "providers": [_row(p, now) for p in providers],
    }


def read_inputs(data: Mapping[str, Any], call_id: str) -> PlanInputs:
    """The values ``record_inputs`` stored. Raises ``ValueError`` (or ``KeyError``/``TypeError``) when ``data`` is not
    such a record."""
    if data.get("format") not in (1, FORMAT):
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
        previous_answered_at=_previous_answered_at(c),
    )
    policy = RoutingPolicy(**{k: v for k, v in data["policy"].items() if k in POLICY_FIELDS})
    if data["format"] == 1:
        providers = tuple(_read_named(p) for p in data["providers"])
    else:
        if list(data["provider_fields"]) not in (list(PROVIDER_FIELDS), list(_BEFORE_CALLBACK_RECORD)):
            raise ValueError("unknown provider fields")
        providers = tuple(_read_row(p) for p in data["providers"])
    return PlanInputs(call, providers, policy)


# --- the call ----------------------------------------------------------------------------------------------------


def _call(call: CallContext, now: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {"language": call.language}
    if call.intent is not None:
        out["intent"] = call.intent.value
    if call.caller_state is not None:
        out["state"] = call.caller_state
    if call.caller_zip is not None:
        out["zip"] = call.caller_zip
    if call.previous_provider_id is not None:
        out["previous"] = call.previous_provider_id
        if call.previous_answered_at is not None:
            # Its age in whole days, begun ones counted (what continuity compares with its whole days), not the
            # instant: that is the earlier call's own answered_at and would tie the caller's calls together.
            age = now - call.previous_answered_at
            out["previous_age_days"] = -(-age // timedelta(days=1))
            out["at"] = _iso(now)
    return out


def _previous_answered_at(c: Mapping[str, Any]) -> datetime | None:
    """When the caller's previous provider answered, as continuity needs it: ``previous_age_days`` before the
    decision (records made on 2026-12-05 before that held the instant, ``previous_at``)."""
    if "previous_age_days" in c:
        return datetime.fromisoformat(c["at"]) - timedelta(days=int(c["previous_age_days"]))
    return _instant(c.get("previous_at"))


# --- providers ---------------------------------------------------------------------------------------------------

# A provider is one row of these values (format 2); the names are stored once with the rows. Every routing input of
# ``ProviderSnapshot`` but its name and phone, which are looked up again by id.
PROVIDER_FIELDS: tuple[str, ...] = (
    "id",
    "schedule",
    "contract_active",
    "license_expires",
    "certification_expires",
    "paused",
    "auto_paused",
    "unanswered_offers",
    "lines",
    "active_calls",
    "ringing",
    "daily_cap",
    "delivered_today",
    "delivered_on",
    "open_callbacks",
    "states",
    "zip_prefixes",
    "languages",
    "intents",  # null: every intent
    "last_offered_at",
    "share_credit",
    "recent_callbacks",
    "late_callbacks",
)
# Rows recorded before the callback record: without its two counts (read as no record).
_BEFORE_CALLBACK_RECORD = PROVIDER_FIELDS[:-2]


def _row(p: ProviderSnapshot, now: datetime) -> list[Any]:
    """One provider as a row (plain attribute reads: this runs for every provider on every call)."""
    licensed, certified, on, offered = (
        p.license_expires,
        p.certification_expires,
        p.delivered_on,
        p.last_offered_at,
    )
    unanswered, states, zips, languages = p.unanswered_offers, p.states, p.zip_prefixes, p.languages
    return [
        p.id,
        _schedule(p.schedule, now),
        p.contract_active,
        _day_text(licensed),
        _day_text(certified),
        p.paused,
        p.auto_paused,
        [t.isoformat() for t in unanswered] if unanswered else [],
        p.lines,
        p.active_calls,
        p.ringing,
        p.daily_cap,
        p.delivered_today,
        _day_text(on),
        p.open_callbacks,
        sorted(states) if states else [],
        sorted(zips) if zips else [],
        sorted(languages) if len(languages) > 1 else list(languages),
        None if p.intents == ALL_INTENTS else sorted(i.value for i in p.intents),
        offered.isoformat() if offered is not None else None,
        p.share_credit,
        p.recent_callbacks,
        p.late_callbacks,
    ]


def _read_row(row: Sequence[Any]) -> ProviderSnapshot:
    (pid, schedule, contract, licensed, certified, paused, auto_paused, unanswered, lines, active, ringing, cap,
     delivered, on, open_callbacks, states, zips, languages, intents, offered, credit, *record) = row  # fmt: skip
    recent, late = record or (0, 0)
    return ProviderSnapshot(
        id=str(pid),
        name=str(pid),
        schedule=_read_schedule(schedule),
        contract_active=bool(contract),
        license_expires=_day(licensed),
        certification_expires=_day(certified),
        paused=bool(paused),
        auto_paused=bool(auto_paused),
        unanswered_offers=tuple(datetime.fromisoformat(t) for t in unanswered),
        lines=int(lines),
        active_calls=int(active),
        ringing=int(ringing),
        daily_cap=cap,
        delivered_today=int(delivered),
        delivered_on=_day(on),
        open_callbacks=int(open_callbacks),
        states=frozenset(states),
        zip_prefixes=frozenset(zips),
        languages=frozenset(languages),
        intents=ALL_INTENTS if intents is None else frozenset(Intent(i) for i in intents),
        last_offered_at=_instant(offered),
        share_credit=float(credit),
        recent_callbacks=int(recent),
        late_callbacks=int(late),
    )


def _read_named(d: Mapping[str, Any]) -> ProviderSnapshot:
    """A provider recorded as a dictionary of the values that differ from the defaults (format 1)."""
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


# Encoded schedules by the identity of the ``Schedule`` (the telephony roster keeps one per provider for as long as
# its hours do not change) and the day: encoding them was half the cost of recording a call's inputs. The entries
# are shared between the records made from them, which are only ever serialised.
_ENCODED: dict[int, tuple[Schedule, date, dict[str, Any]]] = {}
_ENCODED_MAX = 4096


def _schedule(s: Schedule, now: datetime) -> dict[str, Any]:
    day = now.date()
    hit = _ENCODED.get(id(s))
    if hit is not None and hit[0] is s and hit[1] == day:
        return hit[2]
    if len(_ENCODED) >= _ENCODED_MAX:
        _ENCODED.clear()
    encoded = _encode_schedule(s, day)
    _ENCODED[id(s)] = (s, day, encoded)
    return encoded


def _encode_schedule(s: Schedule, day: date) -> dict[str, Any]:
    out: dict[str, Any] = {"tz": s.timezone}
    if s.always_open:
        out["always_open"] = True
    if any(s.weekly):
        out["weekly"] = [_ranges(day) for day in s.weekly]
    first = day - timedelta(days=2)  # the provider's local date may be a day behind the call's
    last = day + timedelta(days=SCHEDULE_DAYS)
    holidays = sorted(d.isoformat() for d in s.holidays if first <= d <= last)
    if holidays:
        out["holidays"] = holidays
    if s.exceptions:
        kept = {d.isoformat(): _ranges(r) for d, r in s.exceptions.items() if first <= d <= last}
        if kept:
            out["exceptions"] = kept
    return out


# Decoded schedules by their recorded form: the calls of a period share a handful of them, and decoding every
# provider's hours again for every call cost four times planning it (a replay decodes every call of a month).
_DECODED: dict[tuple[Any, ...], Schedule] = {}


def _read_schedule(d: Mapping[str, Any]) -> Schedule:
    weekly_text = d.get("weekly")
    exceptions_text = d.get("exceptions") or {}
    key = (
        d["tz"],
        bool(d.get("always_open", False)),
        tuple(tuple(day) for day in weekly_text) if weekly_text else None,
        tuple(d.get("holidays", ())),
        tuple(sorted((k, tuple(v)) for k, v in exceptions_text.items())),
    )
    schedule = _DECODED.get(key)
    if schedule is None:
        if len(_DECODED) >= _ENCODED_MAX:
            _DECODED.clear()
        weekly = tuple(_read_ranges(day) for day in weekly_text) if weekly_text else ((),) * 7
        exceptions = {date.fromisoformat(k): _read_ranges(v) for k, v in exceptions_text.items()}
        schedule = _DECODED[key] = Schedule(
            timezone=d["tz"],
            weekly=weekly,
            always_open=key[1],
            holidays=frozenset(date.fromisoformat(h) for h in key[3]),
            exceptions=exceptions or None,
        )
    return schedule


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


_DAY_TEXTS: dict[date, str] = {}


def _day_text(day: date | None) -> str | None:
    """``day.isoformat()``, remembered (licence dates and the provider's date repeat on every call)."""
    if day is None:
        return None
    text = _DAY_TEXTS.get(day)
    if text is None:
        if len(_DAY_TEXTS) >= _ENCODED_MAX:
            _DAY_TEXTS.clear()
        text = _DAY_TEXTS[day] = day.isoformat()
    return text


_DAYS: dict[str, date] = {}


def _day(text: str | None) -> date | None:
    """``date.fromisoformat``, remembered (the same licence dates and days come back in every call)."""
    if not text:
        return None
    day = _DAYS.get(text)
    if day is None:
        if len(_DAYS) >= _ENCODED_MAX:
            _DAYS.clear()
        day = _DAYS[text] = date.fromisoformat(text)
    return day
