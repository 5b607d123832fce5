"""The legs Clearline starts itself, for Twilio's queue-shaped waves (the SIP controller and a ``<Dial>`` track
their own): which may still be up, which may start, and where a wave's legs stand. A leg is over for its wave
once its attempt is no longer ringing, or still "ringing" with ``ended_at`` set: it was answered and hung up
without anyone pressing 1 (voicemail); the wave's end then marks it declined."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from clearline.telephony.models import Attempt, AttemptStatus, Call

LEG_STARTING = "starting"  # ``leg_sid`` while the request that starts the leg is under way


@dataclass(frozen=True)
class WaveLegs:
    """Where one wave's legs stand (read only): the adapter asks whether the wave is over and how it ended."""

    ringing: int  # legs not over yet (ringing, or answered and hearing the whisper)
    declined: int  # answered, then hung up without pressing 1
    ended: tuple[str, ...]  # the final statuses of the other legs (busy, no-answer, failed, canceled, ...)
    accepted: bool
    started_at: dt.datetime | None


def wave_legs(call: Call, step_index: int) -> WaveLegs:
    rows = Attempt.objects.filter(call=call, step_index=step_index).values_list(
        "status", "ended_at", "started_at"
    )
    ringing = declined = 0
    ended: list[str] = []
    for status, ended_at, _started in rows:
        if status == AttemptStatus.RINGING:
            if ended_at is None:
                ringing += 1
            else:
                declined += 1
        else:
            ended.append(status)
    return WaveLegs(
        ringing=ringing,
        declined=declined,
        ended=tuple(ended),
        accepted=AttemptStatus.ACCEPTED in ended,
        started_at=min((started for *_rest, started in rows), default=None),
    )


def attempt_open(attempt_id: int) -> bool:
    """Whether this attempt's leg may still take the call (read only): ringing and not over, or the winner's
    own (a repeated press of 1). False once its wave ended, another provider won, or the caller hung up."""
    return (
        Attempt.objects.filter(pk=attempt_id, call__ended_at__isnull=True)
        .filter(Q(status=AttemptStatus.ACCEPTED) | Q(status=AttemptStatus.RINGING, ended_at__isnull=True))
        .exists()
    )


def open_legs(call: Call, step_index: int | None = None, *, besides: int | None = None) -> list[str]:
    """The CallSids of the legs that may still be up (read only): every started leg that has not reported its
    own end, except the accepted one's and ``besides``; of one wave, or with ``step_index`` None of the call."""
    attempts = Attempt.objects.filter(call=call, leg_sid__startswith="CA").exclude(
        status__in=[
            AttemptStatus.ACCEPTED,
            AttemptStatus.BUSY,
            AttemptStatus.NO_ANSWER,
            AttemptStatus.FAILED,
        ]
    )
    attempts = attempts.exclude(status=AttemptStatus.RINGING, ended_at__isnull=False)
    if step_index is not None:
        attempts = attempts.filter(step_index=step_index)
    if besides is not None:
        attempts = attempts.exclude(pk=besides)
    return list(attempts.order_by("pk").values_list("leg_sid", flat=True))


def claim_legs(attempt_ids: list[int]) -> list[int]:
    """The attempts whose leg this request may start: still ringing and not started by anyone (a repeated
    webhook, or two at once, start each leg once: the conditional update lets only one request claim it)."""
    claimed = []
    for attempt_id in attempt_ids:
        if Attempt.objects.filter(
            pk=attempt_id, leg_sid="", status=AttemptStatus.RINGING, ended_at__isnull=True
        ).update(leg_sid=LEG_STARTING):
            claimed.append(attempt_id)
    return claimed


def record_leg_sid(attempt_id: int, leg_sid: str) -> None:
    """The leg's CallSid, from Twilio's answer to the request that started it (or from its first status)."""
    Attempt.objects.filter(pk=attempt_id, leg_sid__in=["", LEG_STARTING]).update(leg_sid=leg_sid)


def record_leg_end(attempt_id: int, now: dt.datetime | None = None) -> bool:
    """The leg was answered and ended without anyone pressing 1 (voicemail, or a person who hung up): over for
    its wave, which marks it declined when it ends. An attempt no longer ringing is left as it is."""
    return bool(
        Attempt.objects.filter(pk=attempt_id, status=AttemptStatus.RINGING, ended_at__isnull=True).update(
            ended_at=now or timezone.now()
        )
    )
