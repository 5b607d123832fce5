"""Telephony service functions: the one place where database rows meet the routing engine.

The Twilio and SIP adapters call these with plain values (no request objects) and render what they return.
Every function is idempotent for repeated webhooks: calls are keyed by CallSid, statuses only move forward,
slots are reserved with a conditional insert and released with a conditional update (exactly once).
"""

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
from clearline.lib.audit import log_action
from clearline.lib.phone import caller_hmac, encrypt_number
from clearline.lib.zip3 import state_for_zip3
from clearline.providers.models import Provider
from clearline.routing import (
    CallContext,
    Decision,
    Intent,
    ListingTarget,
    NumberKind,
    Outcome,
    Plan,
    Progress,
    Result,
    RoutingPolicy,
    Step,
    auto_pause_due,
    next_step,
    plan_call,
    plan_listing_call,
    share_credit_changes,
)
from clearline.routing.place import for_zip3, needs_place
from clearline.telephony import roster, statements
from clearline.telephony.models import (
    CALL_STATUS_RANK,
    Attempt,
    AttemptStatus,
    Call,
    CallbackRequest,
    CallOutcome,
    LineSlot,
)
from clearline.telephony.plan_codec import encode_plan
from clearline.telephony.roster import bump_routing_stamp

logger = logging.getLogger(__name__)


class TelephonyError(Exception):
    """A webhook named something we do not know (number, call); the adapter answers with the safe fallback."""


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
) -> CallStart:
    """Create the call record and its routing plan, or return the existing ones for a repeated webhook.

    Reads one statement on the usual call (the roster's stamp and counts; the roster itself, the helpline
    numbers, the disclosure and the routing settings are cached under that stamp, see ``roster.py``) and writes
    two (the call, the rotation credit). A repeated CallSid is caught by the unique constraint, not looked up
    first: repeats are rare, and the other request's record wins. Only while the routing settings turn continuity
    on does a known caller cost one more read (their last answered call, by the caller HMAC index).
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
    if context.number_kind is NumberKind.LISTING:
        decision = _plan_listing(context, entry, policy, moment, seed)
    else:
        snapshots = roster.snapshots(inputs, counts, moment)
        if caller_zip3:
            decision = plan_call(context, for_zip3(snapshots), policy, moment, seed)
            return _settle_place(call_sid, moment, context, decision)
        decision = plan_call(context, snapshots, policy, moment, seed)
        ask_place = needs_place(context, snapshots, decision.trace.verdicts, policy)
    try:
        # Outside a transaction a failed INSERT leaves nothing to undo; inside one (the call simulator, tests) it
        # needs a savepoint, or the whole transaction would be lost.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            call = Call.objects.create(
                call_sid=call_sid,
                helpline_id=entry.id,
                number_kind=context.number_kind.value,
                language=language,
                caller_hmac=hmac_value,
                caller_state=caller_state or "",
                disclosure_version=disclosure,
                seed=seed,
                plan=encode_plan(decision.plan),
                trace=_stored_trace(decision, ask_place),
                routing_started_at=moment,
            )
    except IntegrityError:
        # The same CallSid arrived again (a retry, or twice at once): the stored record wins.
        call = Call.objects.get(call_sid=call_sid)
        return CallStart(call, call.routing_plan, created=False, ask_place=place_pending(call))
    first_dial = decision.plan.first_dial()
    if context.number_kind is NumberKind.HELPLINE and first_dial is not None and not ask_place:
        # (When the caller is asked for a place first, the plan may change: ``_settle_place`` credits the final one.)
        statements.apply_share_credit(
            share_credit_changes(decision.trace.eligible_ids, [t.id for t in first_dial.targets]), moment
        )
    logger.info(
        "Call %s planned: %s steps, disclosure v%s", call.pk, len(decision.plan.steps), disclosure.number
    )
    return CallStart(call, decision.plan, created=True, ask_place=ask_place)


# The trace's record of the ZIP prompt: {"asked": true} until the caller answers, then "answer": "zip" or "skip".
PLACE_KEY = "place"


def _stored_trace(decision: Decision, ask_place: bool) -> dict[str, object]:
    trace = decision.trace.as_dict()
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
    call_sid: str, moment: dt.datetime, context: CallContext | None = None, decision: Decision | None = None
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
            call.trace = {**decision.trace.as_dict(), PLACE_KEY: {"asked": True, "answer": "zip"}}
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


def reserve_lines(call: Call, provider_ids: list[str]) -> list[str]:
    """Hold one line of each provider before dialling; return the providers whose line could be held."""
    return list(_hold_lines(call, provider_ids, step_index=None))


def ring_wave(call: Call, step_index: int, provider_ids: list[str]) -> dict[str, str]:
    """``reserve_lines`` and ``record_attempts`` for the providers whose line was held, in one transaction:
    returns provider id -> attempt id of each provider about to be rung (empty when none has a free line).

    A wave rings once per call: when its attempts are recorded already (a repeated webhook, however late; even
    after the wave ended and gave its lines back) they are returned as they are and nothing is held again."""
    return wave_attempts(call, step_index, provider_ids) or _hold_lines(
        call, provider_ids, step_index=step_index
    )


def wave_attempts(call: Call, step_index: int, provider_ids: list[str]) -> dict[str, str]:
    """The attempts already recorded for this wave (provider id -> attempt id, in ``provider_ids``' order), read
    only: the answer a repeated webhook renders again."""
    stored = dict(
        Attempt.objects.filter(
            call_id=call.pk, step_index=step_index, provider_id__in=[int(p) for p in provider_ids]
        ).values_list("provider_id", "pk")
    )
    return {p: str(stored[int(p)]) for p in provider_ids if int(p) in stored}


def _hold_lines(call: Call, provider_ids: list[str], step_index: int | None) -> dict[str, str]:
    """Hold the lines (and, with ``step_index``, record the attempts) of a wave; provider id -> attempt id ("" when
    no attempt was asked for).

    The count check and the insert run in one transaction that locks the provider rows (PostgreSQL) or the whole
    database (SQLite's IMMEDIATE transactions), so two calls can never both take a provider's last line.
    """
    held: dict[str, str] = {}
    moment = timezone.now()
    with transaction.atomic():
        # Lock the call first: its final status (advance_call_status) and this reservation serialize, so no line
        # is ever held for a call that has already ended. Providers are locked in id order (no deadlocks).
        if not statements.lock_live_call(call.pk):
            return held
        lines = statements.lock_provider_lines([int(p) for p in provider_ids])
        # Counted after the locks, in a statement of its own: it sees every slot committed before them.
        usage = statements.open_lines(list(lines), call.pk)
        new_slots = []
        for provider_id in provider_ids:
            pk = int(provider_id)
            in_use, mine = usage.get(pk, (0, 0))
            if mine:
                held[provider_id] = ""  # a repeated webhook: the line is already ours
            elif pk in lines and in_use < lines[pk]:
                new_slots.append(pk)
                usage[pk] = (in_use + 1, 1)
                held[provider_id] = ""
        statements.insert_line_slots(call.pk, new_slots, moment)
        if step_index is not None and held:
            held = record_attempts(call, step_index, list(held), now=moment)
    return held


def release_lines(call: Call, provider_ids: list[str] | None = None, now: dt.datetime | None = None) -> int:
    """Release the call's open slots (all, or those of some providers); each slot is released exactly once."""
    slots = LineSlot.objects.filter(call=call, released_at__isnull=True)
    if provider_ids is not None:
        slots = slots.filter(provider_id__in=[int(p) for p in provider_ids])
    return slots.update(released_at=now or timezone.now())


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


def record_attempts(
    call: Call, step_index: int, provider_ids: list[str], now: dt.datetime | None = None
) -> dict[str, str]:
    """One attempt per provider rung in this wave; returns provider id -> attempt id (for the leg's URLs).

    One statement: new attempts are inserted, a repeated webhook's existing ones are found by the unique
    constraint (``ON CONFLICT``), and both come back with their ids.
    """
    ids = statements.upsert_attempts(
        call.pk, step_index, [int(p) for p in provider_ids], now or timezone.now()
    )
    return {provider_id: str(ids[int(provider_id)]) for provider_id in provider_ids}


def accept_attempt(call: Call, step_index: int, provider_id: str, now: dt.datetime | None = None) -> bool:
    """A provider pressed 1: the first acceptance wins the call; later ones are refused (returns False).

    The winner's repeated webhook (Twilio retrying the whisper's answer) wins again and writes nothing: its
    attempt is the accepted one, so it gets the same answer, the one that bridges it to the caller."""
    moment = now or timezone.now()
    with transaction.atomic():
        won = (
            Call.objects.filter(
                pk=call.pk, connected_provider__isnull=True, outcome=CallOutcome.PENDING
            ).update(
                connected_provider_id=int(provider_id), answered_at=moment, outcome=CallOutcome.CONNECTED
            )
            == 1
        )
        if won:
            Attempt.objects.filter(call=call, step_index=step_index, provider_id=int(provider_id)).update(
                status=AttemptStatus.ACCEPTED, answered_at=moment
            )
            # Everyone else in the wave stops ringing and gives back the line.
            others = Attempt.objects.filter(call=call, status=AttemptStatus.RINGING).exclude(
                provider_id=int(provider_id)
            )
            release_lines(call, [str(p) for p in others.values_list("provider_id", flat=True)], now=moment)
            others.update(status=AttemptStatus.CANCELED, ended_at=moment)
    if won:
        return True
    return Attempt.objects.filter(
        call=call, step_index=step_index, provider_id=int(provider_id), status=AttemptStatus.ACCEPTED
    ).exists()


DIAL_OUTCOMES = {
    "no-answer": Outcome.NO_ANSWER,
    "busy": Outcome.BUSY,
    "failed": Outcome.FAILED,
    "canceled": Outcome.NO_ANSWER,
}


@dataclass(frozen=True)
class WaveEnd:
    step: Step  # what the engine says comes next
    # A repeated webhook: the wave had ended already and nothing was written (see ``flow.wave_ended``).
    repeated: bool


def finish_wave(
    call: Call, step_index: int, dial_status: str, ring_s: int, now: dt.datetime | None = None
) -> Step:
    """The wave's <Dial> ended. Connected: the call is done. Otherwise free the wave's lines, mark the attempts
    and ask the engine for the next step. Repeated webhooks for the same wave return the same step."""
    return end_wave(call, step_index, dial_status, ring_s, now).step


def end_wave(
    call: Call, step_index: int, dial_status: str, ring_s: int, now: dt.datetime | None = None
) -> WaveEnd:
    """``finish_wave``, telling a repeated webhook apart. The first end of a wave moves the call's ``step_index``
    past it; a later one for the same wave (Twilio retrying the dial action) writes nothing, not even a line
    given back (the next wave may have taken the same provider's line again), and gets the step the first one
    got: the stored ``ring_elapsed_s`` already counts this wave."""
    moment = now or timezone.now()
    plan = call.routing_plan
    call.refresh_from_db()
    if call.connected_provider_id is not None:
        step = next_step(
            plan, Progress(at=step_index), Result(Outcome.ACCEPTED, str(call.connected_provider_id))
        )
        return WaveEnd(step, repeated=False)
    outcome = DIAL_OUTCOMES.get(dial_status, Outcome.NO_ANSWER)
    if dial_status == "completed":
        outcome = Outcome.DECLINED  # answered (e.g. voicemail) but nobody pressed 1
    status = {
        Outcome.BUSY: AttemptStatus.BUSY,
        Outcome.FAILED: AttemptStatus.FAILED,
        Outcome.DECLINED: AttemptStatus.DECLINED,
    }.get(outcome, AttemptStatus.NO_ANSWER)
    wave = Attempt.objects.filter(call=call, step_index=step_index)
    elapsed = call.ring_elapsed_s + max(ring_s, 0)
    with transaction.atomic():
        # The gate: only the first end of this wave moves the call past it, and only that one writes.
        first = Call.objects.filter(pk=call.pk, step_index__lte=step_index).update(
            step_index=step_index + 1, ring_elapsed_s=elapsed
        )
        if first:
            # Every line of the wave goes back, including those whose leg already reported busy or no answer.
            release_lines(call, [str(p) for p in wave.values_list("provider_id", flat=True)], now=moment)
            wave.filter(status=AttemptStatus.RINGING).update(status=status, ended_at=moment)
    if not first:
        call.refresh_from_db(fields=["step_index", "ring_elapsed_s"])
        progress = Progress(at=step_index, ring_elapsed_s=call.ring_elapsed_s)
        return WaveEnd(next_step(plan, progress, Result(outcome)), repeated=True)
    # As stored: the waves that come next count from here.
    call.step_index, call.ring_elapsed_s = step_index + 1, elapsed
    if status == AttemptStatus.NO_ANSWER:
        pause_unresponsive_providers(list(wave.values_list("provider_id", flat=True)), moment)
    step = next_step(plan, Progress(at=step_index, ring_elapsed_s=elapsed), Result(outcome))
    return WaveEnd(step, repeated=False)


def leave_unrung_wave(call: Call, step_index: int, now: dt.datetime | None = None) -> int:
    """The caller pressed 9 or 0 while a later wave was announced: its lines were held and its attempts recorded
    before the announcement, but its ``<Dial>`` never ran, so nobody was rung.

    Each line goes back exactly once and the wave's attempts are removed: an attempt records a provider that was
    rung (reports count it as an offer, the rotation as the provider's last offer), and these never were. Only
    attempts still ``ringing`` and never answered are touched, so an attempt that did ring cannot be erased; a
    repeated webhook changes nothing. Returns the number of lines released. The transfer itself is recorded
    separately (``record_transfer``, through ``flow.advance``)."""
    moment = now or timezone.now()
    with transaction.atomic():
        wave = Attempt.objects.filter(
            call=call, step_index=step_index, status=AttemptStatus.RINGING, answered_at__isnull=True
        )
        provider_ids = [str(p) for p in wave.values_list("provider_id", flat=True)]
        if not provider_ids:
            return 0
        wave.delete()
        return release_lines(call, provider_ids, now=moment)


@transaction.atomic
def record_callback(
    call: Call, provider_id: str, deadline: dt.datetime, caller_number: str
) -> CallbackRequest | None:
    """Store the callback request durably, given to a provider with room for it now; only after this returns
    may the caller hear the confirmation, naming that provider (``callback.provider``). None when nobody the
    caller agreed to can take it now: nothing is stored, the call is marked transferred to the free helpline,
    and the caller must be told so and transferred.

    The promise is checked when it is given, not when the plan was made: the named provider, then the backups
    the caller heard (the consent, in order), each locked and counted in this transaction (``callback_taker``).
    The caller's consent is stored in the same row: the exact words of the offer they accepted (its version,
    the providers it named, how long the request stays open), from the call's stored plan; a reassignment never
    goes beyond it. ``assignees`` starts with the provider given it. A repeated webhook finds the stored
    request and changes nothing."""
    from clearline.telephony.callbacks import callback_consent, notify_callback_assigned

    stored = CallbackRequest.objects.filter(call=call).select_related("provider").first()
    if stored is not None:
        return stored
    consent = callback_consent(call)
    candidates = list(dict.fromkeys([str(provider_id), *(str(p) for p in consent.get("provider_ids", []))]))
    taker = callback_taker(call, candidates)
    if taker is None:
        logger.warning("Call %s: no provider the caller agreed to can take a callback now", call.pk)
        Call.objects.filter(pk=call.pk, outcome=CallOutcome.PENDING).update(
            outcome=CallOutcome.TRANSFERRED_FREE
        )
        return None
    callback, created = CallbackRequest.objects.get_or_create(
        call=call,
        defaults={
            "provider_id": int(taker),
            "due_at": deadline,
            "encrypted_number": encrypt_number(caller_number),
            "consent": consent,
            "assignees": [taker],
        },
    )
    Call.objects.filter(pk=call.pk, outcome=CallOutcome.PENDING).update(outcome=CallOutcome.CALLBACK)
    if created:
        if taker != str(provider_id):
            logger.info(
                "Call %s: callback given to backup provider %s (the one named is full)", call.pk, taker
            )
        notify_callback_assigned(callback)
    return callback


def callback_taker(call: Call, provider_ids: list[str]) -> str | None:
    """The first of ``provider_ids`` (in their order) with room for this call's callback now, by the routing
    core's rule (``callbacks.with_room_for_a_callback``: calls in progress plus open callbacks below
    ``lines x callback_max_per_line``), or None. Call inside a transaction: the providers' rows are locked
    first (in id order, as ``_hold_lines`` does; SQLite's IMMEDIATE transaction locks the database), so two
    callers pressing 1 at once are counted one after the other and never both get a provider's last place."""
    from clearline.telephony.callbacks import with_room_for_a_callback

    statements.lock_provider_lines([int(p) for p in provider_ids])
    able = with_room_for_a_callback(provider_ids, timezone.now(), call.seed)
    return next((p for p in provider_ids if p in able), None)


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


def record_transfer(call: Call, crisis: bool) -> None:
    outcome = CallOutcome.TRANSFERRED_CRISIS if crisis else CallOutcome.TRANSFERRED_FREE
    Call.objects.filter(pk=call.pk, outcome=CallOutcome.PENDING).update(outcome=outcome)
    release_lines(call)


def set_call_language(call: Call, language: str) -> None:
    Call.objects.filter(pk=call.pk).update(language=language)
    call.language = language


def record_listing_result(call: Call, answered: bool) -> None:
    outcome = CallOutcome.LISTING_CONNECTED if answered else CallOutcome.LISTING_UNANSWERED
    Call.objects.filter(pk=call.pk, outcome=CallOutcome.PENDING).update(outcome=outcome)


def record_leg_status(attempt_id: str, leg_status: str, now: dt.datetime | None = None) -> None:
    """A provider leg's own status callback: an unanswered or busy leg ends its ringing attempt."""
    ended = {
        "no-answer": AttemptStatus.NO_ANSWER,
        "busy": AttemptStatus.BUSY,
        "failed": AttemptStatus.FAILED,
        "canceled": AttemptStatus.CANCELED,
    }
    if leg_status not in ended:
        return
    moment = now or timezone.now()
    attempt = Attempt.objects.filter(pk=int(attempt_id)).first()
    if attempt is None:
        raise TelephonyError("Unknown attempt.")
    if Attempt.objects.filter(
        pk=attempt.pk, status__in=[AttemptStatus.RINGING, AttemptStatus.CALL_ENDED]
    ).update(status=ended[leg_status], ended_at=attempt.ended_at or moment):
        # That provider's phone is free again for other callers, even while the rest of the wave rings on.
        release_lines(attempt.call, [str(attempt.provider_id)], now=moment)
        if leg_status == "no-answer":
            pause_unresponsive_providers([attempt.provider_id], moment)


def pause_unresponsive_providers(provider_ids: list[int], now: dt.datetime) -> list[int]:
    """Persist routing's auto-pause for providers who left too many offers unanswered (until someone resumes
    them in the admin, which also restarts their count). Returns the providers paused now."""
    wanted = {int(p) for p in provider_ids}
    inputs, counts = roster.current(now, only=wanted)
    policy = inputs.policy()
    paused = []
    for snapshot in roster.snapshots(inputs, counts, now, only=wanted):
        due = not snapshot.auto_paused and auto_pause_due(snapshot, policy, now)
        if due and Provider.objects.filter(pk=int(snapshot.id), auto_paused=False).update(auto_paused=True):
            bump_routing_stamp()  # an update() sends no post_save: tell every process's cached roster
            logger.warning("Provider %s auto-paused after unanswered offers", snapshot.id)
            log_action(
                "providers.provider.auto_paused",
                target=Provider(pk=int(snapshot.id)),
                data={"unanswered_offers": len(snapshot.unanswered_offers)},
            )
            paused.append(int(snapshot.id))
    return paused
