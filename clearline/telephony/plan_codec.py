"""Store a routing Plan as JSON on the call record and read it back for the next webhook of the same call.

The one thing storing adds to the plan: a callback offer's terms that are deployment settings rather than routing
policy (``CLEARLINE_CALLBACK_GIVE_UP_HOURS`` as ``open_hours``, ``CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS`` as
``number_kept_days``). They are fixed when the call is planned, so the offer the caller hears and the consent
stored when they press 1 state the same terms even if a setting changes in between. Plans stored before a field
existed decode with its default.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings

from clearline.routing import steps as routing_steps
from clearline.routing.steps import CallbackOffer, MenuOption, Plan, Step

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


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for any other type), read once per type: the plan is encoded on every call
    set-up (bench/webhooks.py --in-process-only --profile: ~0.1 ms of the voice webhook went to asking again)."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = (
            tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
        )
    return _FIELD_NAMES[cls]


def _encode(value: Any) -> Any:
    names = _field_names(type(value))
    if names is not None:
        return {"_type": type(value).__name__, **{name: _encode(getattr(value, name)) for name in names}}
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


def with_callback_terms(step: Step) -> Step:
    """A callback offer with the deployment's open hours and number-keeping days filled in (once)."""
    if not isinstance(step, CallbackOffer) or step.open_hours is not None:
        return step
    return dataclasses.replace(
        step,
        open_hours=int(settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS),
        number_kept_days=int(settings.CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS),
    )


def encode_plan(plan: Plan) -> dict[str, Any]:
    return {
        "call_id": plan.call_id,
        "kind": plan.kind,
        "steps": _encode([with_callback_terms(s) for s in plan.steps]),
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
