"""Store a routing Plan as JSON on the call record and read it back for the next webhook of the same call."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from clearline.routing import steps as routing_steps
from clearline.routing.steps import MenuOption, Plan

STEP_TYPES = {
    cls.__name__: cls
    for cls in (
        routing_steps.Disclosure,
        routing_steps.Menu,
        routing_steps.Dial,
        routing_steps.CallbackOffer,
        routing_steps.ListingOptions,
        routing_steps.Transfer,
        routing_steps.Connect,
        routing_steps.CallbackConfirmed,
        routing_steps.Goodbye,
        routing_steps.Ended,
    )
}


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"_type": type(value).__name__, **data}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dt.datetime):
        return {"_datetime": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        if "_datetime" in value:
            return dt.datetime.fromisoformat(value["_datetime"])
        kind = value.get("_type")
        fields = {k: _decode(v) for k, v in value.items() if k != "_type"}
        if kind == "MenuOption":
            return MenuOption(**fields)
        if kind == "DialTarget":
            return routing_steps.DialTarget(**fields)
        if kind in STEP_TYPES:
            return STEP_TYPES[kind](**fields)
        return fields
    return value


def encode_plan(plan: Plan) -> dict[str, Any]:
    return {
        "call_id": plan.call_id,
        "kind": plan.kind,
        "steps": _encode(list(plan.steps)),
        "ring_budget_s": plan.ring_budget_s,
        "policy_version": plan.policy_version,
    }


def decode_plan(data: dict[str, Any]) -> Plan:
    return Plan(
        call_id=data["call_id"],
        kind=data["kind"],
        steps=_decode(data["steps"]),
        ring_budget_s=data["ring_budget_s"],
        policy_version=data["policy_version"],
    )
