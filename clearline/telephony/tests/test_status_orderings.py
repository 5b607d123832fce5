"""Out-of-order and repeated status events converge on one final call record (DESIGN.md §3 rule 8).

A call goes through a wave (``start_call``, ``reserve_lines``, ``record_attempts``), then receives its status
events: the caller's call (``ringing``, ``in-progress``, ``completed``) and each provider leg's own statuses
(``record_leg_status``). Twilio retries and reorders webhooks, so hypothesis draws any duplication and any
permutation of those events; the final record must be the same as when they arrive in their natural order.

Examples run inside one test (one transaction). ``start_call`` plans the call once per test (planning costs
~50 ms on SQLite, and it is not what this property is about); each example then resets the rows (previous calls,
their attempts and slots), copies that planned call under a CallSid of its own, and takes it through
``reserve_lines`` and ``record_attempts``, so examples never see each other. An example costs 25-45 ms on a
shared 2-core machine (about 40 queries), so 1000 examples (25-45 s) run only when ``CI`` is set, and then in the
PostgreSQL pass (the production database; `make test` runs the suite on both); 200 otherwise (5-9 s).
"""

from __future__ import annotations

import itertools
import os

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearline.telephony import services
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallOutcome, LineSlot
from clearline.telephony.plan_codec import decode_plan
from clearline.telephony.tests.conftest import CALLER, HELPLINE

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 1000 if os.environ.get("CI") and connection.vendor == "postgresql" else 200
DURATION_S = 42
# The one final record every history of these events must reach: the caller hung up after one unanswered wave.
ABANDONED_AFTER_ONE_WAVE = {
    "status": "completed",
    "outcome": CallOutcome.ABANDONED,
    "ended": True,
    "duration_s": DURATION_S,
    "connected_provider": None,
    "step_index": 0,
    "open_slots": 0,
}
CALL_EVENTS = ("ringing", "in-progress", "completed")
# What a provider leg may report: it rang, maybe was answered, then ended one way or another.
LEG_ENDINGS = ("completed", "no-answer", "busy", "failed", "canceled")

_sids = itertools.count()

Event = tuple[str, int | None, str]  # ("call", None, status) or ("leg", leg number, status)

_template: Call | None = None
_references: dict[tuple[Event, ...], dict[str, object]] = {}


def call_record(call: Call) -> dict[str, object]:
    """What must not depend on the order: the call's own fields (times only as set/unset), and its lines."""
    call.refresh_from_db()
    return {
        "status": call.status,
        "outcome": call.outcome,
        "ended": call.ended_at is not None,
        "duration_s": call.duration_s,
        "connected_provider": call.connected_provider_id,
        "step_index": call.step_index,
        "open_slots": LineSlot.objects.filter(call=call, released_at__isnull=True).count(),
    }


PLANNED_FIELDS = (
    "helpline",
    "number_kind",
    "language",
    "caller_hmac",
    "disclosure_version",
    "seed",
    "plan",
    "trace",
)


def planned_call() -> Call:
    return services.start_call(
        call_sid=f"CA-order-{next(_sids):06d}", to_number=HELPLINE, caller_number=CALLER
    ).call


def call_through_a_wave(template: Call | None = None) -> tuple[Call, list[str]]:
    """A fresh call whose first wave is ringing: lines held and one attempt per provider; returns attempt ids.
    With ``template``, the call is a copy of that planned call under a new CallSid (no re-planning)."""
    if template is None:
        call = planned_call()
    else:
        call = Call.objects.create(
            call_sid=f"CA-order-{next(_sids):06d}",
            routing_started_at=template.routing_started_at,
            **{name: getattr(template, name) for name in PLANNED_FIELDS},
        )
    dial = decode_plan(call.plan).first_dial()
    assert dial is not None
    held = services.reserve_lines(call, [t.id for t in dial.targets])
    assert held, "the personas' providers are always open with a free line"
    attempts = services.record_attempts(call, dial.index, held)
    return call, [attempts[p] for p in held]


def apply(call: Call, attempt_ids: list[str], events: list[Event]) -> None:
    for kind, leg, status in events:
        if kind == "call":
            services.advance_call_status(
                call.call_sid, status, duration_s=DURATION_S if status == "completed" else None
            )
        else:
            assert leg is not None
            services.record_leg_status(attempt_ids[leg % len(attempt_ids)], status)


@st.composite
def event_histories(draw: st.DrawFn) -> tuple[list[Event], list[Event]]:
    """(the events in their natural order, the same events duplicated and shuffled)."""
    natural: list[Event] = [("call", None, s) for s in CALL_EVENTS]
    for leg in range(2):  # waves ring two providers at once (the default policy)
        statuses = ["ringing"]
        ending = draw(st.sampled_from(LEG_ENDINGS))
        if ending == "completed":
            statuses.append("in-progress")
        natural += [("leg", leg, s) for s in [*statuses, ending]]
    repeats = draw(st.lists(st.sampled_from(natural), max_size=6))
    shuffled = draw(st.permutations(natural + repeats))
    return natural, shuffled


def test_the_natural_order_ends_the_call_frees_its_lines_and_ends_every_attempt(helpline, providers):
    call, attempt_ids = call_through_a_wave()
    assert LineSlot.objects.filter(call=call, released_at__isnull=True).count() == len(attempt_ids) == 2
    natural = [("call", None, s) for s in CALL_EVENTS] + [
        ("leg", leg, s) for leg in range(2) for s in ("ringing", "no-answer")
    ]
    apply(call, attempt_ids, natural)
    assert call_record(call) == ABANDONED_AFTER_ONE_WAVE
    assert not Attempt.objects.filter(call=call, status=AttemptStatus.RINGING).exists()


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=event_histories())
def test_any_duplication_and_order_of_status_events_gives_the_same_final_record(helpline, providers, history):
    natural, shuffled = history
    global _template
    if _template is None or not Call.objects.filter(pk=_template.pk).exists():
        _template = planned_call()  # once per test (its transaction), not per example
    # Reset: the previous example's calls, attempts and slots go; the planned template stays.
    LineSlot.objects.all().delete()
    Attempt.objects.all().delete()
    Call.objects.exclude(pk=_template.pk).delete()

    key = tuple(natural)
    if key not in _references:  # the natural order's final record, computed once per distinct history
        reference, reference_attempts = call_through_a_wave(_template)
        apply(reference, reference_attempts, natural)
        _references[key] = call_record(reference)
        LineSlot.objects.filter(call=reference).delete()
        Attempt.objects.filter(call=reference).delete()
        reference.delete()
    call, attempt_ids = call_through_a_wave(_template)
    apply(call, attempt_ids, shuffled)

    final = call_record(call)
    assert final == _references[key]
    assert final == ABANDONED_AFTER_ONE_WAVE
    # Every attempt of the wave has ended, whatever arrived first; none is left ringing.
    assert not Attempt.objects.filter(call=call, status=AttemptStatus.RINGING).exists()
    assert not Attempt.objects.filter(call=call, ended_at__isnull=True).exists()


def test_a_legs_own_final_status_does_not_depend_on_when_the_callers_call_ended(helpline, providers):
    finals = []
    for leg_first in (True, False):
        call, attempt_ids = call_through_a_wave()
        leg = [("leg", 0, "ringing"), ("leg", 0, "no-answer")]
        caller = [("call", None, s) for s in CALL_EVENTS]
        apply(call, attempt_ids, leg + caller if leg_first else caller + leg)
        finals.append(Attempt.objects.get(pk=int(attempt_ids[0])).status)
    assert finals[0] == finals[1] == AttemptStatus.NO_ANSWER


def test_lines_are_not_reserved_for_a_call_that_has_already_ended(helpline, providers):
    call = planned_call()
    services.advance_call_status(call.call_sid, "completed", duration_s=DURATION_S)
    dial = decode_plan(call.plan).first_dial()
    services.reserve_lines(call, [t.id for t in dial.targets])
    assert not LineSlot.objects.filter(call=call, released_at__isnull=True).exists()
