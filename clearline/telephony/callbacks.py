"""Callbacks after nobody answered: notify the named provider, enforce the deadline, reassign, purge numbers.

What the caller agreed to by pressing 1 is stored with the request (``consent``: the offer's exact words, its
version, the named provider and the backups it listed, how long the request stays open). A missed deadline moves
the request only to a provider in that consent who has not had it yet, chosen by the routing core's callback rule
(``routing.callback_successor``: the order the offer was made in, applied now, with the call's seed); when none of
them can take it the operators are told, and it is never moved beyond the consent. A request stored
without consent (before consent was recorded) is never moved. It closes unreturned after the consent's
``open_hours`` (``CLEARLINE_CALLBACK_GIVE_UP_HOURS`` for a request without them).

Each function is safe to run twice and from two workers at once: every change is a conditional UPDATE that
only one of them can win. The portal's actions (claim, reveal the number, record the outcome) are conditional on
the callback being open and assigned to the acting provider at that moment, so a provider who lost a callback to
a reassignment can neither see the number nor close it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearline.lib.audit import log_action
from clearline.lib.phone import decrypt_number
from clearline.providers.models import Provider
from clearline.routing import (
    CallbackOffer,
    CallContext,
    Intent,
    NumberKind,
    callback_successor,
    room_for_a_callback,
)
from clearline.telephony.models import Call, CallbackOutcome, CallbackRequest, CallbackStatus, LineSlot
from clearline.telephony.snapshots import build_policy, snapshot_providers
from clearline.telephony.twilio.twiml.callback import CONSENT_VERSION, offer_speech

logger = logging.getLogger(__name__)

RETURN_OUTCOMES = tuple(CallbackOutcome.values)


class CallbackError(Exception):
    """A callback action that cannot happen; the message is fit to show the provider's staff."""


NOT_YOURS = gettext_lazy(
    "This callback is closed, or it has been reassigned to another provider. Reload the page to see your "
    "current callbacks."
)


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


def _tried(callback: CallbackRequest) -> set[str]:
    return {str(p) for p in callback.assignees or []} | {str(callback.provider_id)}


def _consent_ids(callback: CallbackRequest) -> list[str]:
    return [str(p) for p in (callback.consent or {}).get("provider_ids", [])]


def consented_successors(callback: CallbackRequest) -> list[str]:
    """The provider ids the caller agreed to that have not had this request yet, in the consent's order."""
    tried = _tried(callback)
    return [p for p in _consent_ids(callback) if p not in tried]


def callback_context(call: Call) -> CallContext:
    """The routing context of a callback for ``call``: the caller's intent, language and place (the three ZIP
    digits the caller typed, if any, as ``start_call`` planned the call with)."""
    return CallContext(
        call_id=f"{call.call_sid}-callback",
        number_kind=NumberKind.HELPLINE,
        intent=Intent(call.helpline.intent)
        if call.helpline and call.helpline.intent in set(Intent)
        else None,
        language=call.language,
        caller_state=call.caller_state or None,
        caller_zip=call.caller_zip3 or None,
    )


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


def choose_reassignment(callback: CallbackRequest, now: dt.datetime) -> Provider | None:
    """The next provider to return this call, or None: the routing core's ``callback_successor`` (the rule that
    chose the offer's assignee, applied now among the providers in the caller's consent that have not had it,
    with the call's own seed), fed with the providers' snapshots now. Never anyone outside the consent; a
    request without consent is never moved."""
    allowed = consented_successors(callback)
    if not allowed:
        return None
    call = callback.call
    policy = build_policy()
    snapshots = snapshot_providers(now, policy, only=[int(p) for p in allowed])
    best = callback_successor(
        callback_context(call), snapshots, policy, now, call.seed, _consent_ids(callback), _tried(callback)
    )
    return Provider.objects.get(pk=int(best.id)) if best is not None else None


def _open_hours(callback: CallbackRequest) -> int:
    hours = (callback.consent or {}).get("open_hours")
    return int(hours) if hours else int(settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS)


def expire_callbacks(moment: dt.datetime) -> int:
    """Close as not returned every open callback older than the hours its consent said it stays open (the
    setting's hours for a request stored without them). Conditional UPDATEs: running twice closes nothing more."""
    open_rows = CallbackRequest.objects.filter(status=CallbackStatus.OPEN)
    closing = {"status": CallbackStatus.EXPIRED, "closed_at": moment, "claimed_by": None, "claimed_at": None}
    with_hours = open_rows.filter(consent__has_key="open_hours")
    expired = 0
    for hours in set(with_hours.values_list("consent__open_hours", flat=True)):
        if not isinstance(hours, int) or isinstance(hours, bool):
            continue  # never written so; such a request waits for an operator rather than guessing
        expired += with_hours.filter(
            consent__open_hours=hours, created_at__lt=moment - dt.timedelta(hours=int(hours))
        ).update(**closing)
    give_up_before = moment - dt.timedelta(hours=settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS)
    expired += (
        open_rows.exclude(consent__has_key="open_hours")
        .filter(created_at__lt=give_up_before)
        .update(**closing)
    )
    if expired:
        logger.warning("%s callbacks were still open after the hours the callers were told: closed", expired)
    return expired


def enforce_callback_deadlines(now: dt.datetime | None = None) -> int:
    """Reassign every open callback past its deadline, within what the caller agreed to; return how many were
    reassigned. One that no provider in its consent can take is reported to the operators once (and kept
    looking for); one still open after its consent's ``open_hours`` (``CLEARLINE_CALLBACK_GIVE_UP_HOURS`` without
    consent) is closed as not returned (its number is then purged like any closed callback's)."""
    moment = now or timezone.now()
    expire_callbacks(moment)
    reassigned = 0
    overdue = CallbackRequest.objects.filter(status=CallbackStatus.OPEN, due_at__lt=moment).select_related(
        "call__helpline", "provider"
    )
    for callback in overdue:
        successor = choose_reassignment(callback, moment)
        if successor is None:
            escalate_callback(callback, moment)
            continue
        minutes = successor.callback_minutes
        assignees = [*(str(p) for p in callback.assignees or [str(callback.provider_id)]), str(successor.pk)]
        won = CallbackRequest.objects.filter(
            pk=callback.pk,
            status=CallbackStatus.OPEN,
            provider_id=callback.provider_id,
            due_at=callback.due_at,
            reassignments=callback.reassignments,
        ).update(
            provider=successor,
            due_at=moment + dt.timedelta(minutes=minutes),
            reassignments=F("reassignments") + 1,
            assignees=assignees,
            claimed_by=None,
            claimed_at=None,
        )
        if won:
            reassigned += 1
            callback.refresh_from_db()
            logger.info("Callback %s reassigned to provider %s", callback.pk, successor.pk)
            notify_callback_assigned(callback)  # the worker sends it once this reassignment is committed
    return reassigned


def escalate_callback(callback: CallbackRequest, now: dt.datetime) -> bool:
    """Tell the operators, once, that a callback is overdue and no other provider in the caller's consent can
    take it now (the assigned provider keeps it and the deadline job keeps looking within the consent). Never
    includes the caller's number."""
    with transaction.atomic():
        won = CallbackRequest.objects.filter(
            pk=callback.pk, status=CallbackStatus.OPEN, escalated_at__isnull=True
        ).update(escalated_at=now)
        if not won:
            return False
        log_action(
            "telephony.callback.escalated",
            target=callback,
            data={"callback_id": callback.pk, "provider_id": callback.provider_id, "due_at": callback.due_at},
        )
    logger.warning(
        "Callback %s is overdue and no other provider the caller agreed to can take it now; operators told",
        callback.pk,
    )
    recipients = settings.CLEARLINE_OPERATOR_EMAILS
    if recipients:
        due = timezone.localtime(callback.due_at)
        message = (
            f"Clearline: callback request {callback.pk}, assigned to {callback.provider.name}, was due at "
            f"{due:%Y-%m-%d %H:%M %Z} and has not been returned. No other provider the caller agreed to can "
            f"take it now (it is never passed to a provider the caller was not told of). The provider can "
            f"still return it in the portal; it closes as not returned {_open_hours(callback)} hours after the "
            f"caller asked."
        )
        try:
            send_mail("Clearline: overdue callback nobody else can take", message, None, list(recipients))
        except Exception:
            logger.exception("Could not email the operators about callback %s", callback.pk)
    return True


def _open_callback(
    callback_id: int, provider_id: int, reassignments: int | None
) -> QuerySet[CallbackRequest]:
    """The one row a provider may act on: open, assigned to this provider now, and (when the page that sent
    the form said which) not reassigned since that page was drawn. Every write below is conditional on it."""
    rows = CallbackRequest.objects.filter(pk=callback_id, provider_id=provider_id, status=CallbackStatus.OPEN)
    if reassignments is not None:
        rows = rows.filter(reassignments=reassignments)
    return rows


def _actor_name(user: Any) -> str:
    return user.get_username() if user is not None and getattr(user, "pk", None) else "system"


def claim_callback(
    callback_id: int,
    provider_id: int,
    user: Any,
    *,
    reassignments: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Assign an open callback of this provider to ``user`` ("I am calling them back"). A colleague's claim is
    not taken over silently: claiming succeeds only if nobody, or ``user`` already, holds it."""
    with transaction.atomic():
        won = (
            _open_callback(callback_id, provider_id, reassignments)
            .filter(Q(claimed_by__isnull=True) | Q(claimed_by=user))
            .update(claimed_by=user, claimed_at=now or timezone.now())
        )
        if not won:
            if _open_callback(callback_id, provider_id, reassignments).exists():
                raise CallbackError(_("A colleague is already returning this call."))
            raise CallbackError(NOT_YOURS)
        log_action(
            "telephony.callback.claimed",
            actor=_actor_name(user),
            target=CallbackRequest(pk=callback_id),
            data={"callback_id": callback_id, "provider_id": provider_id},
        )


def reveal_callback_number(
    callback_id: int, provider_id: int, user: Any, *, reassignments: int | None = None
) -> str:
    """The caller's number, for this provider's staff to dial, while the callback is open and theirs. Every
    reveal is audited with who and which callback; the number itself goes nowhere but the return value."""
    with transaction.atomic():
        callback = (
            _open_callback(callback_id, provider_id, reassignments)
            .exclude(encrypted_number="")
            .select_for_update()
            .first()
        )
        if callback is None:
            raise CallbackError(NOT_YOURS)
        number = decrypt_number(callback.encrypted_number)
        log_action(
            "telephony.callback.number_revealed",
            actor=_actor_name(user),
            target=callback,
            data={"callback_id": callback.pk, "provider_id": provider_id},
        )
    return number


def record_callback_outcome(
    callback_id: int,
    provider_id: int,
    outcome: str,
    user: Any = None,
    *,
    reassignments: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """The assigned provider records how the call back went, which closes the request. Only the current
    assignee can close it, and not from a page drawn before a reassignment."""
    if outcome not in CallbackOutcome.values:
        raise CallbackError(_("Choose what happened when you called back."))
    with transaction.atomic():
        closed = _open_callback(callback_id, provider_id, reassignments).update(
            status=CallbackStatus.RETURNED,
            outcome=outcome,
            closed_at=now or timezone.now(),
            closed_by=user if user is not None and getattr(user, "pk", None) else None,
        )
        if not closed:
            raise CallbackError(NOT_YOURS)
        log_action(
            "telephony.callback.returned",
            actor=_actor_name(user),
            target=CallbackRequest(pk=callback_id),
            data={"callback_id": callback_id, "provider_id": provider_id, "outcome": outcome},
        )


def mark_callback_returned(
    callback_id: int,
    provider_id: int,
    outcome: str,
    now: dt.datetime | None = None,
    closed_by: Any = None,
) -> None:
    """The assigned provider records the outcome; only the current assignee can close the request."""
    record_callback_outcome(callback_id, provider_id, outcome, closed_by, now=now)


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
