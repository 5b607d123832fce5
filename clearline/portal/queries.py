"""What the portal reads, always scoped to one provider: its calls, its callbacks, today's numbers, its status.

Caller privacy (DESIGN.md rule 7): a call is shown by a short tag derived from the caller's keyed hash and the
provider's id, so one provider can recognise a repeat caller in its own list, but two providers comparing lists
cannot match their callers by tag. The number itself is only ever read by ``reveal_callback_number``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearline.providers.models import Provider
from clearline.routing.schedule import is_open, next_opening
from clearline.telephony.models import (
    Attempt,
    AttemptStatus,
    Call,
    CallbackRequest,
    CallbackStatus,
)
from clearline.telephony.snapshots import build_schedule

MISSED = (
    AttemptStatus.NO_ANSWER,
    AttemptStatus.BUSY,
    AttemptStatus.DECLINED,
    AttemptStatus.FAILED,
    AttemptStatus.CALL_ENDED,
)

# The call list's outcome filter, from the provider's point of view.
OUTCOME_FILTERS = {
    "answered": gettext_lazy("Answered by your team"),
    "missed": gettext_lazy("Rang, not answered"),
    "callback": gettext_lazy("Callback to you"),
}


def caller_tag(provider_id: int, caller_hmac: str) -> str:
    """'caller #a1b2c3', or 'number withheld'. Per provider, see the module docstring."""
    if not caller_hmac:
        return _("number withheld")
    digest = hashlib.sha256(f"{provider_id}:{caller_hmac}".encode()).hexdigest()
    return _("caller #%(tag)s") % {"tag": digest[:6]}


def provider_zone(provider: Provider) -> ZoneInfo:
    return ZoneInfo(provider.timezone)


def local_day_bounds(provider: Provider, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = provider_zone(provider)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def provider_calls(provider: Provider) -> QuerySet[Call]:
    """Calls that rang this provider, were connected to it, or left it a callback: nothing else."""
    return (
        Call.objects.filter(
            Q(pk__in=Attempt.objects.filter(provider=provider).values("call_id"))
            | Q(connected_provider=provider)
            | Q(callback__provider=provider)
        )
        .select_related("disclosure_version", "callback")
        .prefetch_related(
            Prefetch(
                "attempts",
                queryset=Attempt.objects.filter(provider=provider).order_by("started_at"),
                to_attr="own_attempts",
            )
        )
        .order_by("-started_at", "-pk")
    )


def filter_calls(
    calls: QuerySet[Call], provider: Provider, *, first: dt.date | None, last: dt.date | None, outcome: str
) -> QuerySet[Call]:
    if first is not None:
        calls = calls.filter(started_at__gte=local_day_bounds(provider, first)[0])
    if last is not None:
        calls = calls.filter(started_at__lt=local_day_bounds(provider, last)[1])
    if outcome == "answered":
        calls = calls.filter(connected_provider=provider)
    elif outcome == "missed":
        calls = calls.filter(
            pk__in=Attempt.objects.filter(provider=provider, status__in=MISSED).values("call_id")
        ).exclude(connected_provider=provider)
    elif outcome == "callback":
        calls = calls.filter(callback__provider=provider)
    return calls


@dataclass(frozen=True)
class CallRow:
    call: Call
    caller: str
    outcome: str
    rang_at: dt.datetime | None
    answered_at: dt.datetime | None
    duration_s: int | None

    @property
    def duration(self) -> str:
        """m:ss, or "" when the call was not connected to this provider."""
        if self.duration_s is None:
            return ""
        return f"{self.duration_s // 60}:{self.duration_s % 60:02d}"


def call_row(call: Call, provider: Provider) -> CallRow:
    attempts: list[Attempt] = getattr(call, "own_attempts", [])
    accepted = next((a for a in attempts if a.status == AttemptStatus.ACCEPTED), None)
    callback = getattr(call, "callback", None)
    if call.connected_provider_id == provider.pk:
        outcome = str(OUTCOME_FILTERS["answered"])
    elif callback is not None and callback.provider_id == provider.pk:
        outcome = (
            _("Callback: %(status)s") % {"status": callback.get_status_display()}
            if not callback.outcome
            else _("Callback returned: %(outcome)s") % {"outcome": callback.get_outcome_display()}
        )
    elif attempts:
        outcome = attempts[-1].get_status_display()
    else:
        outcome = call.get_outcome_display()
    connected_here = call.connected_provider_id == provider.pk
    return CallRow(
        call=call,
        caller=caller_tag(provider.pk, call.caller_hmac),
        outcome=outcome,
        rang_at=attempts[0].started_at if attempts else None,
        answered_at=accepted.answered_at if accepted else (call.answered_at if connected_here else None),
        duration_s=call.duration_s if connected_here else None,
    )


@dataclass(frozen=True)
class Today:
    day: dt.date
    offered: int
    answered: int

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.offered if self.offered else None


def today_figures(provider: Provider, now: dt.datetime) -> Today:
    """Calls that rang the provider on its own local date, and how many of those it answered."""
    day = now.astimezone(provider_zone(provider)).date()
    start, end = local_day_bounds(provider, day)
    offered_calls = Attempt.objects.filter(
        provider=provider, started_at__gte=start, started_at__lt=end
    ).values("call_id")
    offered = offered_calls.distinct().count()
    answered = Call.objects.filter(pk__in=offered_calls, connected_provider=provider).count()
    return Today(day=day, offered=offered, answered=answered)


@dataclass(frozen=True)
class OwedCallback:
    callback: CallbackRequest
    caller: str
    minutes_left: int

    @property
    def overdue(self) -> bool:
        return self.minutes_left < 0

    @property
    def minutes_overdue(self) -> int:
        return -self.minutes_left


def minutes_left(due_at: dt.datetime, now: dt.datetime) -> int:
    """Whole minutes until the deadline, rounded up (59 s left is "1 minute"); negative once it has passed."""
    seconds = (due_at - now).total_seconds()
    return math.ceil(seconds / 60) if seconds >= 0 else -math.ceil(-seconds / 60)


def open_callbacks(provider: Provider, now: dt.datetime) -> list[OwedCallback]:
    rows = (
        CallbackRequest.objects.filter(provider=provider, status=CallbackStatus.OPEN)
        .select_related("call", "claimed_by")
        .order_by("due_at", "pk")
    )
    return [
        OwedCallback(cb, caller_tag(provider.pk, cb.call.caller_hmac), minutes_left(cb.due_at, now))
        for cb in rows
    ]


def recent_closed_callbacks(provider: Provider, now: dt.datetime, days: int = 7) -> QuerySet[CallbackRequest]:
    return (
        CallbackRequest.objects.filter(provider=provider, closed_at__gte=now - dt.timedelta(days=days))
        .exclude(status=CallbackStatus.OPEN)
        .select_related("call", "closed_by")
        .order_by("-closed_at")
    )


def scoped_callback(provider: Provider, callback_id: int) -> CallbackRequest | None:
    return CallbackRequest.objects.filter(pk=callback_id, provider=provider).select_related("call").first()


@dataclass(frozen=True)
class Status:
    paused: bool
    auto_paused: bool
    open_now: bool
    opens_at: dt.datetime | None

    @property
    def taking_calls(self) -> bool:
        return self.open_now and not self.paused and not self.auto_paused


def provider_status(provider: Provider, now: dt.datetime) -> Status:
    schedule = build_schedule(provider)
    opens_at = next_opening(schedule, now)
    return Status(
        paused=provider.paused,
        auto_paused=provider.auto_paused,
        open_now=is_open(schedule, now),
        opens_at=opens_at.astimezone(provider_zone(provider)) if opens_at else None,
    )


def local_now(provider: Provider) -> dt.datetime:
    return timezone.now().astimezone(provider_zone(provider))
