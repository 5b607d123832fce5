"""The routing log (DESIGN.md rules 3 and 9): every call's decision trace, chained in order, with a digest per month.

Each entry holds one call: its sequence number, the call's id and CallSid, and ``entry_hash`` = SHA-256 of the
previous entry's hash (64 hex digits; 64 zeros before the first entry), a newline, and the canonical JSON
(``canonical``: sorted keys, no spaces, ASCII) of ``payload(call)``: the decision trace and the call's identifying
fields that no later job changes (id, CallSid, kind of number, start, seed, disclosure version). A month's digest is
the hash of its last entry; it commits to every trace chained that month and, through the chain, to every earlier
one. The transparency page publishes it once the month is over (``RoutingLogMonth``).

Only the worker appends (``append``, the job ``append_routing_log``), under a lock of the chain's head row, so two
workers (or a job and the command) never fork the chain: the second waits, then finds the calls chained. Calls are
appended once they have ended (and ``SETTLE`` has passed: a leg's last status may still be arriving), or once they
are ``STALE`` without ever reporting an end, ordered by (end or start, id). A call appended after its month was
sealed (its end arrived late, from the event journal after an outage) goes into the open month: a sealed month's
digest never changes. Each entry's month is never earlier than the entry before it, so a month's entries are one
run of sequence numbers.

``verify_month`` recomputes a month from the calls' stored traces and names the first call whose trace (or
identifying fields) was edited, or whose record or trace was deleted; ``purge_old_traces`` erases traces only of
months past ``CLEARLINE_TRACE_RETENTION_DAYS``, so a month within retention always verifies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from clearline.lib.pagecache import bump_generation
from clearline.reports.figures import day_start, operator_zone
from clearline.reports.models import RoutingLogEntry, RoutingLogHead, RoutingLogMonth
from clearline.telephony.models import Call
from clearline.telephony.services.calls import INPUTS_KEY

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# A call is chained this long after it ended (its last leg's status may still arrive), or this long after it
# started when it never reported an end (twilio_reconcile ends such calls nightly; their trace is long final).
SETTLE = dt.timedelta(minutes=1)
STALE = dt.timedelta(days=1)
# A month is sealed this long after it ended: every call that ended in it is chained by then (SETTLE, one run).
SEAL_DELAY = dt.timedelta(minutes=15)
BATCH_SIZE = 1000
# At most this many calls a run (the first run after an upgrade chains every stored call, over several runs);
# months are sealed only by a run that found nothing more to chain.
MAX_PER_RUN = 50_000
# Appends look this many call ids below the low-water mark, for a call inserted by a transaction that committed
# after a later one (ids are handed out at insert, rows become visible at commit).
LOOKBACK_IDS = 1000
# What ``payload`` reads of a call.
CALL_FIELDS = ("pk", "call_sid", "number_kind", "started_at", "seed", "disclosure_version_id", "trace")


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def payload(call: Mapping[str, Any]) -> dict[str, Any]:
    """What an entry hashes of a call (a ``CALL_FIELDS`` mapping): its trace and identifying fields.

    The retention purge of call details (plan, caller HMAC, state, the trace's inputs) touches none of these, and
    the caller appears in none of them."""
    return {
        "call": {
            "id": call["pk"],
            "sid": call["call_sid"],
            "number_kind": call["number_kind"],
            "started_at": _instant(call["started_at"]),
            "seed": call["seed"],
            "disclosure_version": call["disclosure_version_id"],
        },
        "trace": _decision(call["trace"]),
    }


def _decision(trace: object) -> dict[str, Any]:
    """The trace without its ``inputs`` (the caller's state and ZIP prefix among them, for replay): the retention
    purge erases those with the other call details, and a published month must stay verifiable after it."""
    if not isinstance(trace, dict):
        return {}
    return {key: value for key, value in trace.items() if key != INPUTS_KEY}


def chain_hash(previous: str, call: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(payload(call))).hexdigest()


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, operator_zone()).date().replace(day=1)


def month_after(first_day: dt.date) -> dt.date:
    return (first_day + dt.timedelta(days=31)).replace(day=1)


def month_end(first_day: dt.date) -> dt.datetime:
    """The first instant after the month (operator's time zone)."""
    return day_start(month_after(first_day))


def _unchained() -> Any:
    return ~Exists(RoutingLogEntry.objects.filter(call_pk=OuterRef("pk")))


def _head() -> RoutingLogHead:
    RoutingLogHead.objects.get_or_create(pk=1)
    return RoutingLogHead.objects.select_for_update().get(pk=1)


# --- Appending ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppendResult:
    appended: int
    sealed: tuple[dt.date, ...]


def append(now: dt.datetime | None = None) -> AppendResult:
    """Chain every call ready for the log, then seal the months that are over. One transaction, under the head's
    lock; running it twice (or in two workers at once) appends each call once."""
    moment = now or timezone.now()
    with transaction.atomic():
        head = _head()
        last_sealed = RoutingLogMonth.objects.aggregate(last=Max("period"))["last"]
        floor = month_after(last_sealed) if last_sealed is not None else None
        appended = 0
        while True:
            batch = _ready(head, moment)
            entries = []
            for call in batch:
                period = max(p for p in (month_of(call["key"]), head.period, floor) if p is not None)
                head.sequence += 1
                head.entry_hash = chain_hash(head.entry_hash, call)
                head.period = period
                entries.append(
                    RoutingLogEntry(
                        sequence=head.sequence,
                        call_pk=call["pk"],
                        call_sid=call["call_sid"],
                        ordered_at=call["key"],
                        period=period,
                        entry_hash=head.entry_hash,
                        appended_at=moment,
                    )
                )
            RoutingLogEntry.objects.bulk_create(entries)
            appended += len(entries)
            caught_up = len(batch) < BATCH_SIZE
            if caught_up or appended >= MAX_PER_RUN:
                break
        head.low_water = _low_water(head.low_water)
        head.save()
        sealed = _seal(head, last_sealed, moment) if caught_up else []
        if sealed:
            bump_generation()  # the transparency pages of those months now show their digests
    if appended or sealed:
        logger.info("Routing log: %s calls chained, months sealed: %s", appended, [str(s) for s in sealed])
    return AppendResult(appended, tuple(sealed))


def _ready(head: RoutingLogHead, moment: dt.datetime) -> list[dict[str, Any]]:
    return list(
        Call.objects.filter(pk__gte=max(0, head.low_water - LOOKBACK_IDS))
        .filter(
            Q(ended_at__lte=moment - SETTLE) | Q(ended_at__isnull=True, started_at__lte=moment - STALE),
            _unchained(),
        )
        .annotate(key=Coalesce("ended_at", "started_at"))
        .order_by("key", "pk")
        .values(*CALL_FIELDS, "key")[:BATCH_SIZE]
    )


def _low_water(previous: int) -> int:
    """The lowest call id not chained yet (calls in progress), or the next id when every call is chained."""
    calls = Call.objects.filter(pk__gte=max(0, previous - LOOKBACK_IDS))
    first = calls.filter(_unchained()).order_by("pk").values_list("pk", flat=True).first()
    if first is not None:
        return int(first)
    last = calls.aggregate(last=Max("pk"))["last"]
    return previous if last is None else int(last) + 1


def _seal(head: RoutingLogHead, last_sealed: dt.date | None, moment: dt.datetime) -> list[dt.date]:
    """Seal every month that is over (plus ``SEAL_DELAY``), from the first with an entry."""
    if last_sealed is not None:
        month = month_after(last_sealed)
        previous = RoutingLogMonth.objects.get(period=last_sealed)
        next_sequence, start_hash = previous.last_sequence + 1, previous.digest
    else:
        first = RoutingLogEntry.objects.order_by("sequence").first()
        if first is None:
            return []
        month, next_sequence = first.period, first.sequence
        before = RoutingLogEntry.objects.filter(sequence=first.sequence - 1).first()
        start_hash = before.entry_hash if before is not None else GENESIS
    sealed = []
    while month_end(month) + SEAL_DELAY <= moment:
        last = RoutingLogEntry.objects.filter(period=month).order_by("-sequence").first()
        digest = last.entry_hash if last is not None else start_hash
        last_sequence = last.sequence if last is not None else next_sequence - 1
        RoutingLogMonth.objects.create(
            period=month,
            first_sequence=next_sequence,
            last_sequence=last_sequence,
            start_hash=start_hash,
            digest=digest,
            sealed_at=moment,
        )
        sealed.append(month)
        month, next_sequence, start_hash = month_after(month), last_sequence + 1, digest
    return sealed


# --- Verifying ----------------------------------------------------------------------------------------------------


class Problem:
    EDITED = "edited"  # the call's trace or identifying fields differ from what was chained
    DELETED = "deleted"  # the call's record is gone
    ERASED = "erased"  # the call's trace was emptied
    ENTRY_MISSING = "entry_missing"  # a log entry is gone
    WRONG_START = "wrong_start"  # the month's chain does not start at the previous month's digest
    WRONG_DIGEST = "wrong_digest"  # the recomputed chain does not end at the published digest


@dataclass(frozen=True)
class Verification:
    month: dt.date
    published: str | None  # the digest compared with (None: the month is not sealed yet)
    computed: str
    entries: int
    problem: str | None = None
    sequence: int | None = None
    call_pk: int | None = None
    call_sid: str = ""
    past_retention: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.past_retention

    def message(self) -> str:
        where = f"entry #{self.sequence}, call {self.call_pk} ({self.call_sid})"
        return {
            None: "",
            Problem.EDITED: f"{where}: its trace or identifying fields were edited after it was chained",
            Problem.DELETED: f"{where}: the call's record was deleted",
            Problem.ERASED: f"{where}: the call's decision trace was deleted (emptied)",
            Problem.ENTRY_MISSING: f"entry #{self.sequence} is missing from the log",
            Problem.WRONG_START: "the month's chain does not start at the previous month's digest",
            Problem.WRONG_DIGEST: (
                f"every entry matches its call, but the chain ends at {self.computed}, not at the published "
                f"digest {self.published}: the log itself was rewritten, or the digest is not this month's"
            ),
        }[self.problem]


def past_retention(month: dt.date, now: dt.datetime | None = None) -> bool:
    """Whether the month's traces may have been erased (``CLEARLINE_TRACE_RETENTION_DAYS`` after it ended)."""
    days = settings.CLEARLINE_TRACE_RETENTION_DAYS
    return month_end(month) + dt.timedelta(days=days) <= (now or timezone.now())


def verify_month(month: dt.date, digest: str | None = None, now: dt.datetime | None = None) -> Verification:
    """Recompute ``month``'s chain from the stored traces; compare each entry and the end with the digest
    (``digest``, e.g. a copy taken from the public page, or else the one sealed in the database)."""
    sealed = RoutingLogMonth.objects.filter(period=month).first()
    published: str | None
    if sealed is not None:
        first, last, start_hash = sealed.first_sequence, sealed.last_sequence, sealed.start_hash
        published = (digest or sealed.digest).lower()
    else:
        bounds = RoutingLogEntry.objects.filter(period=month).aggregate(
            first=Min("sequence"), last=Max("sequence")
        )
        if bounds["first"] is None:
            raise LookupError(f"the routing log has no entries for {month:%Y-%m}")
        first, last = bounds["first"], bounds["last"]
        before = RoutingLogEntry.objects.filter(sequence=first - 1).first()
        start_hash = before.entry_hash if before is not None else GENESIS
        published = digest.lower() if digest else None
    result: dict[str, Any] = {"month": month, "published": published, "entries": last - first + 1}
    if past_retention(month, now):
        return Verification(computed="", past_retention=True, **result)
    # The chain must start where the one before it ended: the previous entry, and any sealed month ending there.
    anchors = [GENESIS] if first == 1 else []
    if first > 1:
        before = RoutingLogEntry.objects.filter(sequence=first - 1).first()
        anchors += [before.entry_hash] if before is not None else []
        anchors += RoutingLogMonth.objects.filter(period__lt=month, last_sequence=first - 1).values_list(
            "digest", flat=True
        )
    if any(anchor != start_hash for anchor in anchors):
        return Verification(computed="", problem=Problem.WRONG_START, **result)
    computed = start_hash
    for entry, call in _entries_with_calls(first, last):
        if isinstance(entry, int):
            return Verification(computed=computed, problem=Problem.ENTRY_MISSING, sequence=entry, **result)
        named: dict[str, Any] = {
            "sequence": entry.sequence,
            "call_pk": entry.call_pk,
            "call_sid": entry.call_sid,
        }
        if call is None:
            return Verification(computed=computed, problem=Problem.DELETED, **named, **result)
        computed = chain_hash(computed, call)
        if computed != entry.entry_hash:
            kind = Problem.ERASED if call["trace"] in ({}, None) else Problem.EDITED
            return Verification(computed=computed, problem=kind, **named, **result)
    if published is not None and computed != published:
        return Verification(computed=computed, problem=Problem.WRONG_DIGEST, **result)
    return Verification(computed=computed, **result)


def _entries_with_calls(
    first: int, last: int, chunk: int = 500
) -> Iterable[tuple[RoutingLogEntry | int, dict[str, Any] | None]]:
    """Entries ``first``..``last`` in order with their calls' fields (None: the call is gone); a missing entry is
    yielded as its sequence number."""
    expected = first
    for start in range(first, last + 1, chunk):
        entries = list(
            RoutingLogEntry.objects.filter(
                sequence__gte=start, sequence__lt=min(start + chunk, last + 1)
            ).order_by("sequence")
        )
        calls = {
            row["pk"]: row
            for row in Call.objects.filter(pk__in=[e.call_pk for e in entries]).values(*CALL_FIELDS)
        }
        for entry in entries:
            if entry.sequence != expected:
                yield expected, None
                return
            expected += 1
            yield entry, calls.get(entry.call_pk)
    if expected <= last:
        yield expected, None


# --- Retention and publishing ------------------------------------------------------------------------------------


def purge_old_traces(now: dt.datetime | None = None) -> int:
    """Erase the decision traces of calls chained in sealed months past ``CLEARLINE_TRACE_RETENTION_DAYS``; a month
    still within retention keeps every trace, so it still verifies. Conditional UPDATEs: safe twice or at once."""
    moment = now or timezone.now()
    erased = 0
    for month in RoutingLogMonth.objects.values_list("period", flat=True):
        if not past_retention(month, moment):
            break
        chained = RoutingLogEntry.objects.filter(period=month).values("call_pk")
        erased += Call.objects.filter(pk__in=chained).exclude(trace={}).update(trace={})
    if erased:
        logger.info("Erased the decision traces of %s calls past the trace retention period", erased)
    return erased


def published_digest(month: dt.date) -> RoutingLogMonth | None:
    return RoutingLogMonth.objects.filter(period=month).first()
