"""Waves and lines: holding a provider's line before its phone rings (never more than it has), the attempts of
each wave, the first provider to press 1 winning the call, a wave ending, and each leg's own status."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from clearline.lib.audit import log_action
from clearline.providers.models import Provider
from clearline.routing import (
    Outcome,
    Progress,
    Result,
    auto_pause_due,
)
from clearline.telephony import roster, statements
from clearline.telephony.models import (
    Attempt,
    AttemptStatus,
    Call,
    CallOutcome,
    LineSlot,
)
from clearline.telephony.roster import bump_routing_stamp
from clearline.telephony.services.errors import TelephonyError

logger = logging.getLogger(__name__)


def reserve_lines(call: Call, provider_ids: list[str], now: dt.datetime | None = None) -> list[str]:
    """Hold one line of each provider before dialling; return the providers whose line could be held."""
    return list(_hold_lines(call, provider_ids, step_index=None, now=now))


def ring_wave(
    call: Call, step_index: int, provider_ids: list[str], now: dt.datetime | None = None
) -> dict[str, str]:
    """``reserve_lines`` and ``record_attempts`` for the providers whose line was held, in one transaction:
    returns provider id -> attempt id of each provider about to be rung (empty when none has a free line).

    A wave rings once per call: when its attempts are recorded already (a repeated webhook, however late; even
    after the wave ended and gave its lines back) they are returned as they are and nothing is held again."""
    return wave_attempts(call, step_index, provider_ids) or _hold_lines(
        call, provider_ids, step_index=step_index, now=now
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


def _hold_lines(
    call: Call, provider_ids: list[str], step_index: int | None, now: dt.datetime | None = None
) -> dict[str, str]:
    """Hold the lines (and, with ``step_index``, record the attempts) of a wave; provider id -> attempt id ("" when
    no attempt was asked for).

    The count check and the insert run in one transaction that locks the provider rows (PostgreSQL) or the whole
    database (SQLite's IMMEDIATE transactions), so two calls can never both take a provider's last line.
    """
    held: dict[str, str] = {}
    moment = now or timezone.now()
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
    slots = LineSlot.objects.filter(call=call)
    if provider_ids is not None:
        slots = slots.filter(provider_id__in=[int(p) for p in provider_ids])
    return slots.release(now or timezone.now())


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


# How a wave's dial ended, in the words every adapter maps its own to (Twilio: ``DialCallStatus``).
class DialEnd(StrEnum):
    ANSWERED = "answered"  # a leg answered: connected, or (nobody pressed 1) voicemail
    BUSY = "busy"
    NO_ANSWER = "no-answer"  # rang for the whole ring time
    FAILED = "failed"
    CANCELED = "canceled"  # the caller hung up while it rang


WAVE_OUTCOMES = {
    DialEnd.ANSWERED: (Outcome.DECLINED, AttemptStatus.DECLINED),  # answered, but nobody pressed 1
    DialEnd.BUSY: (Outcome.BUSY, AttemptStatus.BUSY),
    DialEnd.NO_ANSWER: (Outcome.NO_ANSWER, AttemptStatus.NO_ANSWER),
    DialEnd.FAILED: (Outcome.FAILED, AttemptStatus.FAILED),
    # Still ringing when the caller hung up: not an offer the provider left unanswered (no auto-pause count).
    DialEnd.CANCELED: (Outcome.NO_ANSWER, AttemptStatus.CALL_ENDED),
}


@dataclass(frozen=True)
class WaveEnd:
    """What the engine needs to choose the next step after a wave: the call's progress and the wave's result."""

    progress: Progress
    result: Result
    # A repeated event: the wave had ended already and nothing was written (the flow renders the same answer).
    repeated: bool


def end_wave(
    call: Call, step_index: int, ending: DialEnd, ring_s: int, now: dt.datetime | None = None
) -> WaveEnd:
    """A wave's dial ended. Connected: the call is done. Otherwise the first end of the wave frees its lines,
    marks its attempts and moves the call's ``step_index`` past it; a later one for the same wave (a retried
    event) writes nothing, not even a line given back (the next wave may have taken the same provider's line
    again), and gets what the first one got: the stored ``ring_elapsed_s`` already counts this wave."""
    moment = now or timezone.now()
    call.refresh_from_db(fields=["connected_provider", "step_index", "ring_elapsed_s", "outcome"])
    if call.connected_provider_id is not None:
        accepted = Result(Outcome.ACCEPTED, str(call.connected_provider_id))
        return WaveEnd(Progress(at=step_index), accepted, repeated=False)
    outcome, status = WAVE_OUTCOMES[ending]
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
        return WaveEnd(progress, Result(outcome), repeated=True)
    # As stored: the waves that come next count from here.
    call.step_index, call.ring_elapsed_s = step_index + 1, elapsed
    if status == AttemptStatus.NO_ANSWER:
        pause_unresponsive_providers(list(wave.values_list("provider_id", flat=True)), moment)
    return WaveEnd(Progress(at=step_index, ring_elapsed_s=elapsed), Result(outcome), repeated=False)


def ringing_providers(call: Call, step_index: int) -> set[int]:
    """The providers of a wave whose attempts still ring (lines held, nobody answered yet)."""
    ringing = Attempt.objects.filter(call=call, step_index=step_index, status=AttemptStatus.RINGING)
    return set(ringing.values_list("provider_id", flat=True))


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


def leave_ringing_wave(call: Call, step_index: int, crisis: bool, now: dt.datetime | None = None) -> bool:
    """The caller pressed 9 (``crisis``) or 0 while the wave rang, where its keys work (``Dial.caller_keys``).

    One gate: only while nobody has accepted, the call is still pending and the wave is the current one. Then
    the call is marked transferred (so a provider's 1 arriving now is refused: ``accept_attempt`` needs a pending
    call), moved past the wave, every line goes back and the wave's ringing attempts read ``call-ended``: rung,
    but no provider left the offer unanswered (no auto-pause count). Returns False, writing nothing, when the key
    came too late (a provider won first) or is a repeat; the adapter hangs up the legs itself."""
    moment = now or timezone.now()
    outcome = CallOutcome.TRANSFERRED_CRISIS if crisis else CallOutcome.TRANSFERRED_FREE
    with transaction.atomic():
        left = Call.objects.filter(
            pk=call.pk,
            connected_provider__isnull=True,
            outcome=CallOutcome.PENDING,
            step_index__lte=step_index,
        ).update(outcome=outcome, step_index=step_index + 1)
        if left:
            Attempt.objects.filter(call=call, step_index=step_index, status=AttemptStatus.RINGING).update(
                status=AttemptStatus.CALL_ENDED, ended_at=moment
            )
            release_lines(call, now=moment)
    if left:
        call.outcome, call.step_index = outcome, step_index + 1
    return bool(left)


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
    # A leg's own final status wins over the wave's ``call-ended`` (it may say busy or no answer), except its
    # "canceled": that is only the hang-up the caller's leaving caused, and ``call-ended`` says why.
    open_statuses = [AttemptStatus.RINGING]
    if leg_status != "canceled":
        open_statuses.append(AttemptStatus.CALL_ENDED)
    if Attempt.objects.filter(pk=attempt.pk, status__in=open_statuses).update(
        status=ended[leg_status], ended_at=attempt.ended_at or moment
    ):
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
