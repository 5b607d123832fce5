"""Call records: a call starts (its plan made and stored, once per CallSid), is placed by a ZIP code, and ends;
the keys its caller pressed, its transfers and its language."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from contextlib import nullcontext
from dataclasses import dataclass, replace

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from clearline.content.models import HelplineKind
from clearline.directory.models import Facility
from clearline.directory.services import verified_destination_for
from clearline.lib.phone import caller_hmac
from clearline.lib.zip3 import state_for_zip3
from clearline.routing import (
    CallContext,
    Decision,
    Intent,
    ListingTarget,
    NumberKind,
    Plan,
    ProviderSnapshot,
    RoutingPolicy,
    plan_call,
    plan_listing_call,
    share_credit_changes,
)
from clearline.routing.place import for_zip3, needs_place
from clearline.routing.recorded import record_inputs
from clearline.telephony import roster, statements
from clearline.telephony.models import (
    CALL_STATUS_RANK,
    Call,
    CallOutcome,
)
from clearline.telephony.plan_codec import encode_plan, with_callback_terms
from clearline.telephony.services.errors import TelephonyError
from clearline.telephony.services.waves import release_lines

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallStart:
    call: Call
    plan: Plan
    created: bool
    ask_place: bool = False  # ask the caller for a ZIP code before the greeting (see ``place_call``)


def seed_for(call_sid: str) -> int:
    """The tie-break seed: derived from the CallSid, logged in the trace, so a decision replays exactly."""
    return int.from_bytes(hashlib.sha256(call_sid.encode()).digest()[:6], "big")


def start_call(
    *,
    call_sid: str,
    to_number: str,
    caller_number: str | None,
    caller_state: str = "",
    language: str = "en",
    now: dt.datetime | None = None,
    caller_zip3: str = "",  # set only by ``place_call``: re-plan this call for a typed ZIP prefix
    adapter: str = "",  # which adapter carries the call (``Call.adapter``): a label on the record, nothing more
) -> CallStart:
    """Create the call record and its routing plan, or return the existing ones for a repeated webhook.

    Reads one statement on the usual call (the roster's stamp and counts; the roster itself, the helpline
    numbers, the disclosure and the routing settings are cached under that stamp, see ``roster.py``) and writes
    one (the call with its rotation credit; two on SQLite). A repeated CallSid is caught by the unique
    constraint, not looked up first: repeats are rare, and the other request's record wins. Only while the
    routing settings turn continuity on does a known caller cost one more read (their last answered call, by the
    caller HMAC index).
    """
    moment = now or timezone.now()
    inputs, counts = roster.current(moment)
    entry = inputs.helplines.get(to_number)
    if entry is None:
        existing = Call.objects.filter(call_sid=call_sid).first()
        if existing is not None:
            return CallStart(existing, existing.routing_plan, created=False)
        raise TelephonyError("The dialled number is not a Clearline number.")
    hmac_value = caller_hmac(caller_number) if caller_number else ""
    seed = seed_for(call_sid)
    disclosure = inputs.disclosure()
    policy = inputs.policy(disclosure.number)
    previous: tuple[int, dt.datetime | None] | None = None
    if policy.continuity_days > 0 and hmac_value and entry.kind != HelplineKind.LISTING:
        # Continuity: the provider who answered this caller's latest connected call within the window.
        previous = (
            Call.objects.filter(
                caller_hmac=hmac_value,
                connected_provider__isnull=False,
                answered_at__gte=moment - dt.timedelta(days=policy.continuity_days),
            )
            .order_by("-answered_at")
            .values_list("connected_provider_id", "answered_at")
            .first()
        )
    context = CallContext(
        call_id=call_sid,
        number_kind=NumberKind.LISTING if entry.kind == HelplineKind.LISTING else NumberKind.HELPLINE,
        intent=Intent(entry.intent) if entry.intent in Intent._value2member_map_ else None,
        language=language,
        caller_hmac=hmac_value or None,
        caller_state=caller_state or None,
        previous_provider_id=str(previous[0]) if previous else None,
        previous_answered_at=previous[1] if previous else None,
    )
    if caller_zip3:
        # The caller typed a ZIP code at the place prompt (``place_call``): the engine sees its first three digits.
        context = replace(context, caller_zip=caller_zip3)
    ask_place = False
    snapshots: list[ProviderSnapshot] | None = None
    if context.number_kind is NumberKind.LISTING:
        decision = _plan_listing(context, entry, policy, moment, seed)
    else:
        snapshots = roster.snapshots(inputs, counts, moment)
        if caller_zip3:
            placed = for_zip3(snapshots)
            decision = plan_call(context, placed, policy, moment, seed)
            recorded = record_inputs(context, placed, policy, moment)
            return _settle_place(call_sid, moment, context, decision, recorded)
        decision = plan_call(context, snapshots, policy, moment, seed)
        ask_place = needs_place(context, snapshots, decision.trace.verdicts, policy)
    first_dial = decision.plan.first_dial()
    credit = None
    if context.number_kind is NumberKind.HELPLINE and first_dial is not None and not ask_place:
        # (When the caller is asked for a place first, the plan may change: ``_settle_place`` credits the final one.)
        credit = share_credit_changes(decision.trace.eligible_ids, [t.id for t in first_dial.targets])
    stored_plan = replace(decision.plan, steps=tuple(with_callback_terms(s) for s in decision.plan.steps))
    try:
        # Outside a transaction a failed INSERT leaves nothing to undo; inside one (the call simulator, tests) it
        # needs a savepoint, or the whole transaction would be lost.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            call = Call(
                call_sid=call_sid,
                helpline_id=entry.id,
                number_kind=context.number_kind.value,
                language=language,
                caller_hmac=hmac_value,
                caller_state=caller_state or "",
                disclosure_version=disclosure,
                seed=seed,
                plan=encode_plan(stored_plan),
                trace=_stored_trace(decision, ask_place, context, snapshots, policy),
                started_at=moment,
                routing_started_at=moment,
                adapter=adapter,
            )
            # The credit is written with the call (one statement on PostgreSQL): a repeat adds none.
            statements.insert_call(call, credit, moment)
            # The plan as the next reader decodes it, so this webhook's greeting does not decode what it just
            # encoded (~50 us of CPU).
            call.__dict__["routing_plan"] = stored_plan
    except IntegrityError:
        # The same CallSid arrived again (a retry, or twice at once): the stored record wins.
        call = Call.objects.get(call_sid=call_sid)
        return CallStart(call, call.routing_plan, created=False, ask_place=place_pending(call))
    logger.info(
        "Call %s planned: %s steps, disclosure v%s", call.pk, len(decision.plan.steps), disclosure.number
    )
    return CallStart(call, decision.plan, created=True, ask_place=ask_place)


# The trace's record of the ZIP prompt: {"asked": true} until the caller answers, then "answer": "zip" or "skip".
PLACE_KEY = "place"
# The trace's record of the decision's inputs (``routing.recorded``); not in listing calls' traces.
INPUTS_KEY = "inputs"


def _stored_trace(
    decision: Decision,
    ask_place: bool,
    context: CallContext,
    snapshots: list[ProviderSnapshot] | None,
    policy: RoutingPolicy,
) -> dict[str, object]:
    trace = decision.trace.as_dict()
    if snapshots is not None:
        # What the decision was made from, so ``clearline replay`` can plan the call again exactly.
        trace[INPUTS_KEY] = record_inputs(context, snapshots, policy, decision.trace.at)
    if ask_place:
        trace[PLACE_KEY] = {"asked": True}
    return trace


def place_pending(call: Call) -> bool:
    """Whether the call is waiting at the ZIP prompt: asked, not answered, nothing else happened yet."""
    place = call.trace.get(PLACE_KEY) if isinstance(call.trace, dict) else None
    return (
        isinstance(place, dict)
        and "answer" not in place
        and call.outcome == CallOutcome.PENDING
        and call.step_index == 0
    )


def place_call(
    *,
    call_sid: str,
    to_number: str,
    caller_number: str | None,
    language: str,
    zip3: str | None,
    now: dt.datetime | None = None,
) -> CallStart:
    """The caller answered the ZIP prompt (``CallStart.ask_place``): re-plan the call for that place, or keep the
    plan when they skipped (``zip3`` None).

    ``zip3`` is the first three digits of the typed ZIP code; the full code never reaches this module. The call is
    planned again exactly as ``start_call`` plans it (same seed, continuity, settings), with the state of that
    prefix (``clearline.lib.zip3``; none when unknown or shared) in place of the caller's number's state and the
    three digits as ``caller_zip``. Idempotent: only the first answer re-plans and credits the rotation; a repeated
    webhook gets the stored plan.
    """
    moment = now or timezone.now()
    if zip3 is None:
        return _settle_place(call_sid, moment)
    return start_call(
        call_sid=call_sid,
        to_number=to_number,
        caller_number=caller_number,
        caller_state=state_for_zip3(zip3) or "",
        language=language,
        now=moment,
        caller_zip3=zip3,
    )


def _settle_place(
    call_sid: str,
    moment: dt.datetime,
    context: CallContext | None = None,
    decision: Decision | None = None,
    inputs: dict[str, object] | None = None,
) -> CallStart:
    """Store the answer to the ZIP prompt (and the new plan, if any) once, and credit the final plan's rotation.

    ``start_call`` leaves the rotation credit of a call that asks for a place to this function, so the decision the
    caller is actually rung by is credited once, and one that was replaced is never credited.
    """
    with transaction.atomic():
        call = Call.objects.select_for_update().get(call_sid=call_sid)
        if not place_pending(call):
            # Never asked, already answered (a repeated webhook) or already moved on: the stored plan stands.
            return CallStart(call, call.routing_plan, created=False)
        if decision is None or context is None:
            plan = call.routing_plan
            eligible = [str(p["id"]) for p in call.trace.get("providers", ()) if p.get("eligible")]
            call.trace = {**call.trace, PLACE_KEY: {"asked": True, "answer": "skip"}}
            call.save(update_fields=["trace"])
        else:
            plan = decision.plan
            eligible = list(decision.trace.eligible_ids)
            call.plan = encode_plan(plan)
            call.trace = {
                **decision.trace.as_dict(),
                **({INPUTS_KEY: inputs} if inputs is not None else {}),
                PLACE_KEY: {"asked": True, "answer": "zip"},
            }
            call.caller_zip3 = context.caller_zip or ""
            call.caller_state = context.caller_state or ""
            call.save(update_fields=["plan", "trace", "caller_zip3", "caller_state"])
            call.__dict__.pop("routing_plan", None)  # the cached decode of the plan replaced just now
        first_dial = plan.first_dial()
        if first_dial is not None:
            statements.apply_share_credit(
                share_credit_changes(eligible, [t.id for t in first_dial.targets]), moment
            )
    logger.info("Call %s placed by the caller: %s steps", call.pk, len(plan.steps))
    return CallStart(call, plan, created=True)


def _plan_listing(
    context: CallContext, entry: roster.HelplineEntry, policy: RoutingPolicy, moment: dt.datetime, seed: int
) -> Decision:
    facility = Facility.objects.filter(pk=entry.facility_id).first() if entry.facility_id else None
    phone = verified_destination_for(facility.pk) if facility else None
    target = ListingTarget(
        facility_id=str(facility.pk) if facility else "",
        name=facility.name if facility else "",
        phone=phone or "",
    )
    return plan_listing_call(context, target, policy, moment, seed)


def record_key(call: Call, digit: str, moment: str) -> None:
    """Note a 9 or 0 the caller pressed and when (a ``KEY_MOMENTS`` name): the keys claim is checked against it.

    A repeated webhook (the same key at the same moment) is noted once: the first press transferred the call."""
    if digit not in ("9", "0"):
        return
    stored = Call.objects.filter(pk=call.pk).values_list("key_presses", flat=True).first() or []
    if [digit, moment] in stored:
        return
    presses = [*stored, [digit, moment]]
    Call.objects.filter(pk=call.pk).update(key_presses=presses)
    call.key_presses = presses


def record_transfer(call: Call, crisis: bool, now: dt.datetime | None = None) -> None:
    outcome = CallOutcome.TRANSFERRED_CRISIS if crisis else CallOutcome.TRANSFERRED_FREE
    Call.objects.filter(pk=call.pk, outcome=CallOutcome.PENDING).update(outcome=outcome)
    release_lines(call, now=now)


def set_call_language(call: Call, language: str) -> None:
    Call.objects.filter(pk=call.pk).update(language=language)
    call.language = language


def record_listing_result(call: Call, answered: bool) -> None:
    outcome = CallOutcome.LISTING_CONNECTED if answered else CallOutcome.LISTING_UNANSWERED
    Call.objects.filter(pk=call.pk, outcome=CallOutcome.PENDING).update(outcome=outcome)


def advance_call_status(
    call_sid: str, status: str, *, duration_s: int | None = None, now: dt.datetime | None = None
) -> bool:
    """Move the call's status forward (never back); on a final status, end the call and free its lines."""
    rank = CALL_STATUS_RANK.get(status)
    if rank is None:
        raise TelephonyError(f"Unknown call status {status!r}.")
    lower = [s for s, r in CALL_STATUS_RANK.items() if r < rank]
    if rank < 3:
        return statements.advance_status(call_sid, status, lower)
    moment = now or timezone.now()
    with transaction.atomic():
        changed = statements.advance_status(call_sid, status, lower)
        if not statements.end_call(
            call_sid, moment, duration_s, CallOutcome.PENDING.value, CallOutcome.ABANDONED.value
        ):
            raise TelephonyError("Unknown call.")
    return changed
