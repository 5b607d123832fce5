"""A callback request's shared parts: the consent stored with it, the room re-checked when the caller presses 1,
the provider's notices, and the numbers' purge (plus the line-slot reaper, which runs beside them).

A callback's life is in three modules: this one; ``callback_deadlines`` (the worker's deadline job: reassignment
within the caller's consent by the routing core's rule, escalation to the operators, expiry); and
``callback_actions`` (the portal's claim, reveal of the number and outcome, for the provider it is assigned to).

What the caller agreed to by pressing 1 is stored with the request (``consent``: the offer's exact words, its
version, the named provider and the backups it listed, how long the request stays open). Each function is safe to
run twice and from two workers at once: every change is a conditional UPDATE that only one of them can win.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from clearline.routing import CallbackOffer, room_for_a_callback
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus, LineSlot
from clearline.telephony.snapshots import build_policy, snapshot_providers
from clearline.telephony.twilio.twiml.callback import CONSENT_VERSION, offer_speech

logger = logging.getLogger(__name__)


# How many times the worker tries to send one notification, and how long it waits before each retry.
NOTIFY_ATTEMPTS = 4
NOTIFY_RETRY_DELAYS_S = (60, 300, 900)


def notify_callback_assigned(callback: CallbackRequest) -> None:
    """Tell the provider a callback is theirs: a worker task (``tasks.notify_callback_provider``), enqueued when
    the transaction that assigned it commits, with nothing but the request's id and which assignment it is. The
    webhook that stored the request never waits for a mail or SMS server; the worker sends with a timeout
    (``EMAIL_TIMEOUT``, the Twilio client's own) and retries a failed send (``NOTIFY_ATTEMPTS``)."""
    from clearline.telephony.tasks import notify_callback_provider

    callback_id, assignment = int(callback.pk), int(callback.reassignments)
    transaction.on_commit(lambda: notify_callback_provider.enqueue(callback_id, assignment))


def send_callback_notice(callback_id: int, assignment: int) -> bool:
    """Send the notices of one assignment of a callback (the worker's task); False, sending nothing, when the
    request is closed or has moved on since (its new provider has a notice of its own). The caller's number is
    never in an email or SMS: the provider reveals it in the portal, which logs the reveal. A failed send
    raises: the task retries it."""
    callback = (
        CallbackRequest.objects.select_related("provider")
        .filter(pk=callback_id, status=CallbackStatus.OPEN, reassignments=assignment)
        .first()
    )
    if callback is None:
        return False
    _send_callback_notices(callback)
    return True


def _send_callback_notices(callback: CallbackRequest) -> None:
    provider = callback.provider
    due = timezone.localtime(callback.due_at)
    message = (
        f"Clearline: a caller asked {provider.name} for a call back by {due:%H:%M %Z} (request {callback.pk}). "
        "Open the provider portal to see the number and record the outcome."
    )
    if provider.notify_email:
        send_mail("Clearline callback to return", message, None, [provider.notify_email], fail_silently=False)
    if provider.notify_sms and settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN:
        from clearline.telephony.twilio.client import send_sms

        send_sms(provider.notify_sms, message)


def callback_consent(call: Call) -> dict[str, Any]:
    """What the caller agrees to by pressing 1 at this call's callback offer: the offer's exact words (the same
    function of the same stored values the offer is spoken from), their version and language, the providers it
    names (the assignee first, then the backups in order), the minutes and how long the request stays open
    (absent when the offer did not say). Empty when the call's plan has no callback offer."""
    offer = next((s for s in call.routing_plan.steps if isinstance(s, CallbackOffer)), None)
    if offer is None:
        return {}
    consent: dict[str, Any] = {
        "version": CONSENT_VERSION,
        "language": call.language,
        "text": offer_speech(offer, call.language),
        "provider_ids": list(offer.provider_ids),
        "minutes": offer.minutes,
    }
    if offer.open_hours is not None:
        consent["open_hours"] = offer.open_hours
    return consent


def with_room_for_a_callback(provider_ids: Collection[str], now: dt.datetime, seed: int = 0) -> set[str]:
    """Which of ``provider_ids`` have room for one more callback now, by the routing core's capacity rule
    (``routing.room_for_a_callback``, the one ``callback_order`` applies: calls in progress plus open callbacks
    below ``lines x callback_max_per_line`` of the policy in force). Only that is re-checked when the caller
    presses 1: every other filter was applied when the offer was made (a provider auto-paused for the
    unanswered rings of this very call keeps its promise). ``seed`` changes nothing (room needs no tie-break).
    Counts are read when called: inside a transaction that has locked the providers' rows they cannot change
    before it commits."""
    wanted = {str(p) for p in provider_ids}
    if not wanted:
        return set()
    policy = build_policy()
    snapshots = snapshot_providers(now, policy, only=[int(p) for p in wanted])
    return {s.id for s in snapshots if s.id in wanted and room_for_a_callback(s, policy)}


def purge_callback_numbers(now: dt.datetime | None = None) -> int:
    """Delete the encrypted caller number of callbacks closed more than the retention period ago."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS)
    return (
        CallbackRequest.objects.exclude(status=CallbackStatus.OPEN)
        .filter(closed_at__lt=cutoff)
        .exclude(encrypted_number="")
        .update(encrypted_number="")
    )


def reap_line_slots(now: dt.datetime | None = None) -> int:
    """Release slots of calls that ended, and slots held past the TTL (a final status that never arrived)."""
    moment = now or timezone.now()
    # Ids first, then an UPDATE whose own WHERE says "still held": an UPDATE filtered through the join becomes
    # "id IN (subquery)", which PostgreSQL does not re-check after waiting on a row another reaper just released,
    # so both reapers would release (and count) the same slot.
    ended_ids = list(
        LineSlot.objects.held().filter(call__ended_at__isnull=False).values_list("pk", flat=True)
    )
    ended = LineSlot.objects.filter(pk__in=ended_ids).release(moment) if ended_ids else 0
    stale_before = moment - dt.timedelta(minutes=settings.CLEARLINE_LINE_SLOT_TTL_MINUTES)
    stale = LineSlot.objects.filter(reserved_at__lt=stale_before).release(moment)
    if ended or stale:
        logger.info("Reaped %s line slots of ended calls and %s stale ones", ended, stale)
    return ended + stale
