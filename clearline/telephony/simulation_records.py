"""What the call simulator shows: each event and its TwiML, the records a pretend call left, and its decision
trace as rows. Everything here is masked (the caller's number) and safe to show to staff."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from defusedxml.minidom import parseString as defused_parse_string

from clearline.providers.models import Provider
from clearline.routing.eligibility import FILTERS
from clearline.telephony.models import Attempt, Call, CallbackRequest, LineSlot


@dataclass(frozen=True)
class SimulatedStep:
    """One event of the call flow (``flow.<event>``, the Twilio webhook it stands for, its arguments) and the
    TwiML the webhook would answer. ``failed``: the event raised, so the webhook would answer the fallback."""

    label: str
    event: str
    webhook: str
    arguments: tuple[tuple[str, str], ...]
    body: str
    then: str = ""  # what happens with the answer, when it is not another event
    failed: bool = False


@dataclass(frozen=True)
class TraceRow:
    provider_id: str
    name: str
    eligible: bool
    filters: tuple[tuple[str, bool], ...]  # aligned with ``SimulatedCall.filters``
    position: int | None  # 1-based place in the rotation order
    wave: int | None  # 1-based wave the provider is rung in
    callback_assignee: bool


@dataclass(frozen=True)
class SimulatedCall:
    call_sid: str
    steps: tuple[SimulatedStep, ...]
    call: Call | None
    attempts: tuple[Attempt, ...] = ()
    line_slots: tuple[LineSlot, ...] = ()
    callback: CallbackRequest | None = None
    trace_rows: tuple[TraceRow, ...] = ()
    filters: tuple[str, ...] = FILTERS
    masked_caller: str = ""

    @property
    def outcome(self) -> str:
        return self.call.outcome if self.call is not None else ""

    @property
    def seed(self) -> int | None:
        return self.call.trace.get("seed") if self.call is not None else None


def mask_number(number: str) -> str:
    """All but the last two characters hidden: ``+12065550177`` -> ``••••••••••77``."""
    if len(number) <= 2:
        return "•" * len(number)
    return "•" * (len(number) - 2) + number[-2:]


def pretty_xml(body: str) -> str:
    """TwiML indented for reading; anything that does not parse is returned as it is."""
    if not body.strip():
        return ""
    try:
        pretty = defused_parse_string(body).toprettyxml(indent="  ")
    except Exception:
        return body
    return "\n".join(line for line in pretty.splitlines() if line.strip())


def trace_rows(trace: Mapping[str, Any]) -> tuple[TraceRow, ...]:
    """The decision trace as rows: each provider considered, its filters, its place in the order and waves."""
    verdicts = trace.get("providers") or []
    order = [str(p) for p in trace.get("order") or []]
    waves = [[str(p) for p in wave] for wave in trace.get("waves") or []]
    ids = [str(v["id"]) for v in verdicts]
    names = {
        str(pk): name
        for pk, name in Provider.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
            "pk", "name"
        )
    }
    rows = []
    for verdict in verdicts:
        provider_id = str(verdict["id"])
        results = verdict.get("filters", {})
        rows.append(
            TraceRow(
                provider_id=provider_id,
                name=names.get(provider_id, provider_id),
                eligible=bool(verdict.get("eligible")),
                filters=tuple((name, bool(results.get(name))) for name in FILTERS),
                position=order.index(provider_id) + 1 if provider_id in order else None,
                wave=next((i + 1 for i, wave in enumerate(waves) if provider_id in wave), None),
                callback_assignee=str(trace.get("callback_provider")) == provider_id,
            )
        )
    rows.sort(key=lambda r: (r.position is None, r.position or 0, r.name))
    return tuple(rows)


def snapshot(call_sid: str, steps: tuple[SimulatedStep, ...], masked_caller: str) -> SimulatedCall:
    """The records as they are now (unsaved instances: never save them); the callback's number is blanked."""
    call = (
        Call.objects.select_related("helpline", "disclosure_version", "connected_provider")
        .filter(call_sid=call_sid)
        .first()
    )
    if call is None:
        return SimulatedCall(call_sid, steps, None, masked_caller=masked_caller)
    callback = CallbackRequest.objects.select_related("provider", "call").filter(call=call).first()
    if callback is not None:
        callback.encrypted_number = ""  # never shown; this instance is a snapshot and is never saved
    return SimulatedCall(
        call_sid=call_sid,
        steps=steps,
        call=call,
        attempts=tuple(
            Attempt.objects.select_related("provider", "call").filter(call=call).order_by("step_index", "pk")
        ),
        line_slots=tuple(
            LineSlot.objects.select_related("provider", "call").filter(call=call).order_by("pk")
        ),
        callback=callback,
        trace_rows=trace_rows(call.trace),
        masked_caller=masked_caller,
    )
