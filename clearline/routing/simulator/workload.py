"""Workload files (``docs/simulation.md``): parsed and checked with the standard library only.

The JSON schema in ``docs/simulation.schema.json`` says the same thing for other tools; a test keeps the two in
step. Unknown keys are an error, so a typo cannot silently fall back to a default.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from clearline.routing.schedule import WEEKDAYS, Schedule, weekly_from_lists, zone


class WorkloadError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    id: str
    schedule: Schedule
    lines: int
    answer_prob: float
    answer_delay_s: float
    handle_time_s: float
    daily_cap: int | None
    states: frozenset[str]
    languages: frozenset[str]
    callback_return_min: float
    callback_on_time_prob: float


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    seed: int
    days: float
    start: datetime
    arrivals_per_hour: tuple[float, ...]
    caller_patience_s: float
    callback_accept_rate: float
    caller_states: tuple[tuple[str, float], ...]
    providers: tuple[ProviderSpec, ...]


_TOP_REQUIRED = {
    "name",
    "seed",
    "days",
    "start",
    "arrivals_per_hour",
    "caller_patience_s",
    "callback_accept_rate",
    "providers",
}
_TOP_OPTIONAL = {"caller_states", "description"}
_PROVIDER_REQUIRED = {"id", "timezone", "hours", "lines", "answer_prob", "answer_delay_s", "handle_time_s"}
_PROVIDER_OPTIONAL = {
    "daily_cap",
    "states",
    "languages",
    "callback_return_min",
    "callback_on_time_prob",
    "description",
}
DEFAULT_CALLBACK_RETURN_MIN = 10.0


def _keys(obj: Any, required: set[str], optional: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise WorkloadError(f"{where}: expected an object")
    missing = required - set(obj)
    unknown = set(obj) - required - optional
    if missing:
        raise WorkloadError(f"{where}: missing {sorted(missing)}")
    if unknown:
        raise WorkloadError(f"{where}: unknown keys {sorted(unknown)}")
    return obj


def _number(
    value: Any, where: str, low: float, high: float = float("inf"), *, integer: bool = False
) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (integer and not isinstance(value, int))
    ):
        raise WorkloadError(f"{where}: expected {'an integer' if integer else 'a number'}, got {value!r}")
    if not low <= value <= high:
        raise WorkloadError(f"{where}: {value!r} is outside [{low}, {high}]")
    return float(value)


def _strings(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WorkloadError(f"{where}: expected a list of strings")
    return frozenset(value)


_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = dict(zip(_FULL_NAMES, WEEKDAYS, strict=True)) | {d: d for d in WEEKDAYS}
_GROUPS = {"daily": WEEKDAYS, "weekdays": WEEKDAYS[:5], "weekends": WEEKDAYS[5:], "weekend": WEEKDAYS[5:]}


def _ranges(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise WorkloadError(f"{where}: expected a list of [start, end] ranges")
    if len(value) == 2 and all(isinstance(v, str) for v in value):
        return [value]  # a single range written without the outer list
    return value


def _schedule(hours: Any, tz: str, where: str) -> Schedule:
    """``"24/7"``; or weekday keys (``mon``..``sun``, full English names, any case, or ``daily``, ``weekdays``,
    ``weekends``) mapping to lists of ["HH:MM", "HH:MM"]; or a list of 7 such lists, Monday first."""
    if isinstance(hours, str) and hours.strip().lower() in ("24/7", "24x7"):
        return Schedule(tz, always_open=True)
    if isinstance(hours, list) and len(hours) == 7:
        hours = dict(zip(WEEKDAYS, hours, strict=True))
    if not isinstance(hours, Mapping):
        raise WorkloadError(f'{where}: "24/7" or an object of weekday lists')
    days: dict[str, list[Any]] = {}
    for key, value in hours.items():
        name = str(key).strip().lower()
        targets = _GROUPS.get(name) or ((_DAY_NAMES[name],) if name in _DAY_NAMES else None)
        if targets is None:
            raise WorkloadError(f"{where}: unknown weekday key {key!r}")
        for day in targets:
            days.setdefault(day, []).extend(_ranges(value, f"{where}.{key}"))
    try:
        return Schedule(tz, weekly=weekly_from_lists(days))
    except (ValueError, TypeError, AttributeError) as error:
        raise WorkloadError(f"{where}: {error}") from error


def _provider(obj: Any, index: int) -> ProviderSpec:
    where = f"providers[{index}]"
    p = _keys(obj, _PROVIDER_REQUIRED, _PROVIDER_OPTIONAL, where)
    if not isinstance(p["id"], str) or not p["id"]:
        raise WorkloadError(f"{where}.id: expected a non-empty string")
    tz = p["timezone"]
    try:
        zone(tz)
    except Exception as error:
        raise WorkloadError(f"{where}.timezone: unknown time zone {tz!r}") from error
    cap = p.get("daily_cap")
    return ProviderSpec(
        id=p["id"],
        schedule=_schedule(p["hours"], tz, f"{where}.hours"),
        lines=int(_number(p["lines"], f"{where}.lines", 1, integer=True)),
        answer_prob=_number(p["answer_prob"], f"{where}.answer_prob", 0, 1),
        # Zero means "at once"; the exponential draws need a positive mean, so a hundredth of a second stands in.
        answer_delay_s=max(0.01, _number(p["answer_delay_s"], f"{where}.answer_delay_s", 0)),
        handle_time_s=max(0.01, _number(p["handle_time_s"], f"{where}.handle_time_s", 0)),
        daily_cap=None if cap is None else int(_number(cap, f"{where}.daily_cap", 0, integer=True)),
        states=_strings(p.get("states", []), f"{where}.states"),
        languages=_strings(p.get("languages", ["en"]), f"{where}.languages"),
        callback_return_min=max(
            0.001,
            _number(
                p.get("callback_return_min", DEFAULT_CALLBACK_RETURN_MIN), f"{where}.callback_return_min", 0
            ),
        ),
        callback_on_time_prob=_number(
            p.get("callback_on_time_prob", 1), f"{where}.callback_on_time_prob", 0, 1
        ),
    )


def parse_workload(data: Any) -> Workload:
    w = _keys(data, _TOP_REQUIRED, _TOP_OPTIONAL, "workload")
    if not isinstance(w["name"], str):
        raise WorkloadError("name: expected a string")
    try:
        start = datetime.fromisoformat(w["start"])
    except (TypeError, ValueError) as error:
        raise WorkloadError(f"start: not an ISO 8601 date-time: {w['start']!r}") from error
    if start.tzinfo is None:
        raise WorkloadError("start: needs a UTC offset, e.g. 2026-03-02T00:00:00-05:00")
    arrivals = w["arrivals_per_hour"]
    if not isinstance(arrivals, Sequence) or isinstance(arrivals, str) or len(arrivals) != 24:
        raise WorkloadError("arrivals_per_hour: expected 24 numbers")
    states = w.get("caller_states", {})
    if not isinstance(states, Mapping):
        raise WorkloadError("caller_states: expected an object of weights")
    providers = w["providers"]
    if not isinstance(providers, list) or not providers:
        raise WorkloadError("providers: expected a non-empty list")
    specs = tuple(_provider(p, i) for i, p in enumerate(providers))
    if len({s.id for s in specs}) != len(specs):
        raise WorkloadError("providers: ids must be unique")
    return Workload(
        name=w["name"],
        seed=int(_number(w["seed"], "seed", float("-inf"), integer=True)),
        days=_number(w["days"], "days", 0.01, 366),
        start=start,
        arrivals_per_hour=tuple(_number(a, f"arrivals_per_hour[{i}]", 0) for i, a in enumerate(arrivals)),
        caller_patience_s=_number(w["caller_patience_s"], "caller_patience_s", 1),
        callback_accept_rate=_number(w["callback_accept_rate"], "callback_accept_rate", 0, 1),
        caller_states=tuple(sorted((str(k), _number(v, f"caller_states.{k}", 0)) for k, v in states.items())),
        providers=specs,
    )


def load_workload(path: str | Path) -> Workload:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise WorkloadError(f"{path}: not valid JSON: {error}") from error
    return parse_workload(data)
