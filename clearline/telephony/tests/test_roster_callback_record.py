"""Each provider's callback record (routing's ``keeps_callbacks``) is read from its callback requests when the roster
is loaded: returned in time, returned late, never returned, open past the deadline, moved on by the deadline job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearline.telephony import roster
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus
from clearline.telephony.roster_inputs import load_inputs

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)  # a Wednesday, 10:00 in New York
MIN = dt.timedelta(minutes=1)


def callback(provider, sid: str, created: dt.datetime, due_min: int = 15, **fields) -> CallbackRequest:
    call = Call.objects.create(call_sid=sid, number_kind="helpline")
    request = CallbackRequest.objects.create(call=call, provider=provider, due_at=created + due_min * MIN)
    CallbackRequest.objects.filter(pk=request.pk).update(created_at=created, **fields)
    return request


def record(provider_id: int, now: dt.datetime) -> tuple[int, int]:
    roster.forget()
    inputs = load_inputs(now.date())
    return next(p for p in inputs.providers if p.id == provider_id).callback_record(now)


def test_the_record_counts_settled_callbacks_and_the_late_ones(helpline, providers):
    alder, birch, cedar = providers
    hour = dt.timedelta(hours=1)
    returned = CallbackStatus.RETURNED
    callback(alder, "CA1", NOW - 5 * hour, status=returned, closed_at=NOW - 5 * hour + 10 * MIN)  # in time
    callback(alder, "CA2", NOW - 4 * hour, status=returned, closed_at=NOW - 4 * hour + 20 * MIN)  # late
    callback(alder, "CA3", NOW - 3 * hour, status=CallbackStatus.EXPIRED, closed_at=NOW - hour)  # never
    callback(alder, "CA4", NOW - 30 * MIN)  # open past its deadline: late already
    callback(alder, "CA5", NOW - 5 * MIN)  # open, not due yet: not judged
    callback(alder, "CA6", NOW - dt.timedelta(days=8), status=CallbackStatus.EXPIRED)  # outside the 7 days
    callback(birch, "CA7", NOW - 2 * hour, status=returned, closed_at=NOW - 2 * hour + 5 * MIN)
    assert record(alder.pk, NOW) == (4, 3)
    assert record(birch.pk, NOW) == (1, 0)
    assert record(cedar.pk, NOW) == (0, 0)
    # Earlier the same day only what had happened by then counts: CA1 returned, CA2 not yet due.
    assert record(alder.pk, NOW - 4 * hour + 5 * MIN) == (1, 0)


def test_a_callback_moved_on_by_the_deadline_job_was_late_for_each_provider_it_left(helpline, providers):
    alder, birch, cedar = providers
    created = NOW - dt.timedelta(hours=2)
    callback(
        cedar,
        "CA1",
        created,
        due_min=40,
        reassignments=2,
        assignees=[str(alder.pk), str(birch.pk), str(cedar.pk)],
        status=CallbackStatus.RETURNED,
        closed_at=created + 35 * MIN,
    )
    assert record(alder.pk, NOW) == (1, 1)
    assert record(birch.pk, NOW) == (1, 1)
    assert record(cedar.pk, NOW) == (1, 0)  # returned by its own deadline


def test_the_record_costs_one_query_per_roster_load(helpline, providers):
    for n, provider in enumerate(providers):
        callback(provider, f"CA{n}", NOW - dt.timedelta(hours=n + 1))
    roster.forget()
    with CaptureQueriesContext(connection) as queries:
        load_inputs(NOW.date())
    assert sum("telephony_callbackrequest" in q["sql"] for q in queries.captured_queries) == 1
