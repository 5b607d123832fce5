"""Every finished call checked against what its caller was told (DESIGN.md rule 4: "the disclosure checks itself").

A call records the disclosure version it was made under (``Call.disclosure_version``), and that version stores the
typed claims its sentences were rendered from (``DisclosureVersion.claims``: per general helpline number, and one
list for listing numbers). Once a call is over (and its callback, if any, closed), ``check_call`` turns its
records into ``routing.claims.CallFacts`` (``facts_for``), takes the claims it was made under (``claims_for``: the
number's claims plus what this call's greeting said) and stores the ones the call contradicted on the call
(``claim_violations``, with ``claims_checked_at``). The transparency page counts them per month; operators see
each contradicting call with its decision trace (``call_story.call_story``) in the Wagtail admin.

Each call is checked once: the write is one UPDATE conditional on ``claims_checked_at`` being empty, so the worker
job (``check_finished_calls``) can run twice at once or again later without checking anything twice. A call
whose records cannot be checked (no disclosure version, a version stored before claims were, a plan already
erased by the retention purge, a number its version says nothing about) is left unchecked and counted as not
checkable; it is never marked as contradicting anything.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from clearline.lib.pagecache import bump_generation
from clearline.routing import CallbackOffer, Disclosure
from clearline.routing.claim_builders import call_claims
from clearline.routing.claims import CallFacts, Claim, violations
from clearline.telephony import disclosed
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus

logger = logging.getLogger(__name__)

# A call is checked this long after it ended: a leg's last status callback may still be on its way.
SETTLE = dt.timedelta(minutes=2)
# Calls read per query, and at most this many checked per run (the next run, minutes later, goes on).
BATCH_SIZE = 500
MAX_PER_RUN = 20_000


class NotCheckable(Exception):
    """The call's records cannot be checked against claims; the message says why (for logs and operators)."""


class CheckResult(StrEnum):
    KEPT = "kept"  # checked: every claim held
    CONTRADICTED = "contradicted"  # checked: at least one claim did not hold
    NOT_FINISHED = "not_finished"  # still going, or its callback is still open: checked later
    NOT_CHECKABLE = "not_checkable"
    ALREADY_CHECKED = "already_checked"  # another run checked it first


# --- From records to facts -------------------------------------------------------------------------------------


def callback_of(call: Call) -> CallbackRequest | None:
    try:
        return call.callback
    except CallbackRequest.DoesNotExist:
        return None


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def _waves(call: Call) -> tuple[tuple[str, ...], ...]:
    """Providers actually rung, wave by wave: the plan's dials in order, each with the providers that have an
    attempt at its step; attempts at a step the plan has no dial for (which should never happen) are kept, as
    waves of their own in step order, so they cannot escape the check."""
    rung: dict[int, list[str]] = defaultdict(list)
    for attempt in sorted(call.attempts.all(), key=lambda a: a.pk):
        rung[attempt.step_index].append(str(attempt.provider_id))
    steps = {d.index for d in call.routing_plan.dials} if call.plan else set()
    return tuple(tuple(rung.get(index, ())) for index in sorted(steps | set(rung)))


def _callback_minutes(call: Call, callback: CallbackRequest) -> float | None:
    """The deadline the caller was given, in minutes from the request. A reassignment moves ``due_at`` to the
    new provider's deadline (the caller agreed to that in the consent), so for a reassigned request the first
    deadline is the offer's, from the plan."""
    due = callback.due_at
    if callback.reassignments and call.plan:
        offer = next((s for s in call.routing_plan.steps if isinstance(s, CallbackOffer)), None)
        if offer is None:
            return None
        due = offer.deadline
    return (due - callback.created_at).total_seconds() / 60


def facts_for(call: Call, now: dt.datetime | None = None) -> CallFacts:
    """What happened on ``call``, from its records (load it with ``checkable_calls()`` to avoid a query per
    relation): the decision's eligible providers, the providers named by the greeting and rung wave by wave,
    who took it, the callback (its assignees in order, what the caller consented to, its deadline and how long it
    stayed open: until it closed, or ``now``) and the keys pressed."""
    moment = now or timezone.now()
    trace = call.trace if isinstance(call.trace, dict) else {}
    eligible = tuple(str(p["id"]) for p in trace.get("providers", ()) if p.get("eligible"))
    named: tuple[str, ...] = ()
    if call.plan and call.number_kind == "helpline":
        disclosure = next((s for s in call.routing_plan.steps if isinstance(s, Disclosure)), None)
        named = tuple(t.id for t in disclosure.targets) if disclosure else ()
    callback = callback_of(call)
    assignees: tuple[str, ...] = ()
    consent: tuple[str, ...] = ()
    minutes = open_hours = None
    if callback is not None:
        assignees = callback.assignee_ids()
        given = callback.consent if isinstance(callback.consent, dict) else {}
        consent = tuple(str(p) for p in given.get("provider_ids") or ())
        minutes = _callback_minutes(call, callback)
        open_hours = _hours((callback.closed_at or moment) - callback.created_at)
    presses = tuple(
        (str(press[0]), str(press[1]))
        for press in call.key_presses or ()
        if isinstance(press, list | tuple) and len(press) == 2
    )
    return CallFacts(
        kind=call.number_kind,
        outcome=call.outcome,
        at=call.routing_started_at,
        caller_state=call.caller_state or None,
        caller_zip3=call.caller_zip3 or None,
        language=call.language,
        eligible=eligible,
        waves=_waves(call),
        named=named,
        connected=str(call.connected_provider_id) if call.connected_provider_id else None,
        callback_assignees=assignees,
        callback_consent=consent,
        callback_minutes=minutes,
        callback_open_hours=open_hours,
        key_presses=presses,
    )


def claims_for(call: Call) -> list[Claim]:
    """The claims ``call`` was made under: for a general helpline number, what its disclosure version said about
    that number plus what this call's greeting said (``call_claims``); for a listing number, the version's listing
    claims. Raises NotCheckable when the records cannot say."""
    version = call.disclosure_version
    if version is None:
        raise NotCheckable("the call has no disclosure version")
    stored = version.claims if isinstance(version.claims, dict) else {}
    if not stored:
        raise NotCheckable(f"disclosure v{version.number} was stored before claims were")
    if not call.plan:
        raise NotCheckable("the call's plan was erased after the retention period")
    made_under = list(disclosed.number_claims_of(call))
    if not made_under:
        kind = "listing numbers" if call.number_kind == "listing" else "this call's number"
        raise NotCheckable(f"disclosure v{version.number} has no claims for {kind}")
    if call.number_kind == "listing":
        return made_under
    claims: list[Claim] = []
    for claim in (*made_under, *call_claims(call.routing_plan, made_under)):
        if claim not in claims:  # the greeting repeats the number's fee and keys claims: one check each
            claims.append(claim)
    return claims


def violation_records(claims: Iterable[Claim], facts: CallFacts) -> list[dict[str, Any]]:
    """What is stored on the call: each contradicted claim's kind and the claim itself (its values)."""
    return [{"kind": c.kind, "claim": c.as_dict()} for c in violations(claims, facts)]


# --- Checking -----------------------------------------------------------------------------------------------------


def is_finished(call: Call) -> bool:
    """Over, and with its callback (if any) closed: nothing that a claim speaks of can change any more."""
    if call.ended_at is None:
        return False
    callback = callback_of(call)
    return callback is None or callback.status != CallbackStatus.OPEN


def check_call(call: Call, now: dt.datetime | None = None) -> CheckResult:
    """Check one finished call against its claims and store the result, once (a conditional UPDATE: a call
    already checked, by this run or another, is left as it is)."""
    moment = now or timezone.now()
    if call.claims_checked_at is not None:
        return CheckResult.ALREADY_CHECKED
    if not is_finished(call):
        return CheckResult.NOT_FINISHED
    try:
        claims = claims_for(call)
    except NotCheckable as reason:
        logger.info("Call %s cannot be checked against claims: %s", call.pk, reason)
        return CheckResult.NOT_CHECKABLE
    found = violation_records(claims, facts_for(call, moment))
    won = Call.objects.filter(pk=call.pk, claims_checked_at__isnull=True).update(
        claims_checked_at=moment, claim_violations=found
    )
    if not won:
        return CheckResult.ALREADY_CHECKED
    call.claims_checked_at, call.claim_violations = moment, found
    if found:
        logger.warning(
            "Call %s contradicted what its caller was told: %s", call.pk, ", ".join(v["kind"] for v in found)
        )
        return CheckResult.CONTRADICTED
    return CheckResult.KEPT


def checkable_calls(now: dt.datetime) -> QuerySet[Call]:
    """Calls to check now: not checked yet, ended a moment ago, with no open callback, made under a disclosure
    version that stores claims, plan not erased. With what ``facts_for`` and ``claims_for`` read, in one query
    plus one for the attempts."""
    return (
        Call.objects.filter(claims_checked_at__isnull=True, ended_at__lte=now - SETTLE)
        .exclude(callback__status=CallbackStatus.OPEN)
        .exclude(Q(disclosure_version__isnull=True) | Q(disclosure_version__claims={}) | Q(plan={}))
        .select_related("disclosure_version", "callback")
        .prefetch_related("attempts")
        .order_by("pk")
    )


@dataclass
class RunCounts:
    checked: int = 0
    contradicted: int = 0
    not_checkable: int = 0
    published_months_changed: bool = False

    def as_dict(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "contradicted": self.contradicted,
            "not_checkable": self.not_checkable,
        }


def check_finished_calls(now: dt.datetime | None = None, *, limit: int = MAX_PER_RUN) -> dict[str, int]:
    """Check every finished call not checked yet (up to ``limit`` per run), in batches by primary key. Returns
    how many were checked by this run, how many of those contradicted a claim and how many could not be checked.
    When a call of a month already published on the transparency page is checked, the public page cache is
    renewed (the page shows the month's counts)."""
    moment = now or timezone.now()
    counts = RunCounts()
    current_month = _local_month_start(moment)
    last_pk, seen = 0, 0
    while seen < limit:
        batch = list(checkable_calls(moment).filter(pk__gt=last_pk)[: min(BATCH_SIZE, limit - seen)])
        if not batch:
            break
        for call in batch:
            result = check_call(call, moment)
            if result in (CheckResult.KEPT, CheckResult.CONTRADICTED):
                counts.checked += 1
                counts.contradicted += result is CheckResult.CONTRADICTED
                if call.started_at < current_month:
                    counts.published_months_changed = True
            elif result is CheckResult.NOT_CHECKABLE:
                counts.not_checkable += 1
        last_pk, seen = batch[-1].pk, seen + len(batch)
    if counts.published_months_changed:
        bump_generation()
    if counts.checked or counts.not_checkable:
        logger.info(
            "Checked %s finished calls against their claims: %s contradicted one; %s could not be checked",
            counts.checked,
            counts.contradicted,
            counts.not_checkable,
        )
    return counts.as_dict()


def _local_month_start(moment: dt.datetime) -> dt.datetime:
    """The first instant of ``moment``'s month in the operator's time zone (the transparency page's months)."""
    local = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
