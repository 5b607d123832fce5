"""Retention of per-call detail (DESIGN.md rule 7): what a call record keeps after the retention period.

After ``CLEARLINE_CALL_DETAIL_RETENTION_DAYS`` (default 90) a call keeps only what the published figures and the
evidence of fairness in aggregate need: when it started and ended, the helpline and kind of number, the outcome,
the connected provider, the disclosure version played, the language, the routing seed and its attempts (which
provider was rung, when, with what result: no caller data). It loses:

- ``plan`` (the plan JSON);
- ``caller_hmac`` (the keyed hash that links a caller's calls together: after the period, calls are no longer
  linkable to one another or to a caller);
- ``caller_state`` and ``caller_zip3`` (the first three digits of a ZIP code the caller typed);
- the trace's ``inputs`` (what the plan was made from, kept for ``clearline replay``: the caller's state, ZIP
  prefix, language and intent among them). The routing log does not hash them, so erasing them leaves a
  published month verifiable.

The decision ``trace`` (every filter each provider passed or failed for this caller) is kept longer, for
``CLEARLINE_TRACE_RETENTION_DAYS`` after its routing-log month (``clearline.reports.routing_log``): a published
month's digest is recomputed from the traces. Once ``caller_hmac`` and ``caller_state`` are gone nothing links a
trace to a caller. The encrypted number of a callback request is emptied much sooner, by
``purge_callback_numbers``.

This module only erases. Which days may be erased is the caller's decision: the worker job
(``clearline.reports.tasks.purge_call_details``) erases a day only once that day's figures are computed and
complete, so the figures never change after a purge (they do not read these fields anyway). Every function is a
conditional UPDATE that leaves the same rows whether it runs once, twice or in two workers at once (the trace's
inputs: one UPDATE per call that still has them, which writes the trace without them).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate

from clearline.telephony.models import Call
from clearline.telephony.services.calls import INPUTS_KEY

PURGED_DETAIL = {"plan": {}, "caller_hmac": "", "caller_state": "", "caller_zip3": ""}


def with_details() -> QuerySet[Call]:
    """Calls that still hold any of the details the purge erases."""
    return Call.objects.filter(
        ~Q(plan={})
        | ~Q(caller_hmac="")
        | ~Q(caller_state="")
        | ~Q(caller_zip3="")
        | Q(trace__has_key=INPUTS_KEY)
    )


def retention_cutoff(now: dt.datetime) -> dt.datetime:
    """Calls started before this moment are past the retention period."""
    return now - dt.timedelta(days=settings.CLEARLINE_CALL_DETAIL_RETENTION_DAYS)


def days_with_details(before: dt.datetime, zone: zoneinfo.ZoneInfo) -> list[dt.date]:
    """The local days (in ``zone``) of calls started before ``before`` that still hold details, oldest first."""
    days = (
        with_details()
        .filter(started_at__lt=before)
        .annotate(day=TruncDate("started_at", tzinfo=zone))
        .values_list("day", flat=True)
        .distinct()
    )
    return sorted(set(days))


def purge_call_details(start: dt.datetime, end: dt.datetime) -> int:
    """Erase the details of calls started in [start, end); returns how many calls lost details now."""
    calls = with_details().filter(started_at__gte=start, started_at__lt=end)
    with_inputs = calls.filter(trace__has_key=INPUTS_KEY)
    for pk, trace in with_inputs.values_list("pk", "trace").iterator(chunk_size=500):
        without = {key: value for key, value in trace.items() if key != INPUTS_KEY}
        Call.objects.filter(pk=pk, trace__has_key=INPUTS_KEY).update(trace=without)
    return calls.update(**PURGED_DETAIL)
