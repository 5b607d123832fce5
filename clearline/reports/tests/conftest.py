"""Records for the figures tests: providers, and calls/attempts/callbacks placed at chosen moments."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from clearline.content.tests.conftest import add_provider
from clearline.providers.models import Provider
from clearline.telephony.models import Attempt, Call, CallbackRequest, CallOutcome

_sids = itertools.count(1)


@pytest.fixture
def providers(db) -> list[Provider]:
    made = []
    for name in ("Alder Recovery", "Birch Health", "Cedar Care"):
        provider = add_provider(name)
        provider.open_24_7, provider.lines = True, 2
        provider.license_expires_on = provider.certification_expires_on = dt.date(
            dt.date.today().year + 5, 1, 1
        )
        provider.save()
        made.append(provider)
    return made


def make_call(
    started_at: dt.datetime,
    rings: list[tuple[Provider, str, float | None]],
    *,
    number_kind: str = "helpline",
    ring_offset_s: float = 10,
    **fields: object,
) -> Call:
    """A call started at started_at, ringing each (provider, status, seconds to answer or None) in turn."""
    call = Call.objects.create(
        call_sid=f"CA-report-{next(_sids):05d}",
        number_kind=number_kind,
        caller_hmac="f" * 64,
        caller_state="WA",
        plan={"steps": ["..."]},
        trace={"seed": 1},
        **fields,
    )
    connected = None
    answered_at = None
    for step, (provider, status, seconds) in enumerate(rings):
        ring_start = started_at + dt.timedelta(seconds=ring_offset_s * (step + 1))
        attempt = Attempt.objects.create(call=call, step_index=step, provider=provider, status=status)
        answer = ring_start + dt.timedelta(seconds=seconds) if seconds is not None else None
        Attempt.objects.filter(pk=attempt.pk).update(started_at=ring_start, answered_at=answer)
        if status == "accepted":
            connected, answered_at = provider, answer
    updates: dict[str, object] = {"started_at": started_at}
    if connected is not None:
        updates.update(
            connected_provider=connected,
            answered_at=answered_at,
            outcome=CallOutcome.CONNECTED,
            status="completed",
        )
    Call.objects.filter(pk=call.pk).update(**updates)
    call.refresh_from_db()
    return call


def make_callback(
    call: Call, provider: Provider, *, created_at: dt.datetime, due_in_min: int, closed_after_min: int | None
) -> CallbackRequest:
    callback = CallbackRequest.objects.create(
        call=call, provider=provider, encrypted_number="token", due_at=created_at
    )
    updates: dict[str, object] = {
        "created_at": created_at,
        "due_at": created_at + dt.timedelta(minutes=due_in_min),
    }
    if closed_after_min is not None:
        updates.update(
            status="returned",
            outcome="reached",
            closed_at=created_at + dt.timedelta(minutes=closed_after_min),
        )
    CallbackRequest.objects.filter(pk=callback.pk).update(**updates)
    Call.objects.filter(pk=call.pk).update(outcome=CallOutcome.CALLBACK)
    callback.refresh_from_db()
    return callback
