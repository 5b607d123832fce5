"""The worker's deadline job for callbacks: reassign a request whose provider missed its deadline, tell the
operators when nobody may take it, close it unreturned when the time the caller was told has passed.

A missed deadline moves the request only to a provider in the caller's consent (the offer's named provider and the
backups it listed) who has not had it yet, chosen by the routing core's callback rule
(``routing.callback_successor``: the order the offer was made in, applied now, with the call's seed); when none of
them can take it the operators are told, and it is never moved beyond the consent. A request stored without
consent (before consent was recorded) is never moved. It closes unreturned after the consent's ``open_hours``
(``CLEARLINE_CALLBACK_GIVE_UP_HOURS`` for a request without them).

Each function is safe to run twice and from two workers at once: every change is a conditional UPDATE that only
one of them can win (a reassignment is conditional on the request's provider, deadline and reassignment count).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clearline.lib.audit import log_action
from clearline.providers.models import Provider
from clearline.routing import CallContext, Intent, NumberKind, callback_successor
from clearline.telephony import statements
from clearline.telephony.callbacks import notify_callback_assigned
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus
from clearline.telephony.snapshots import build_policy, snapshot_providers

logger = logging.getLogger(__name__)


def _tried(callback: CallbackRequest) -> set[str]:
    return set(callback.assignee_ids()) | {str(callback.provider_id)}


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
        if _reassign(callback, moment):
            reassigned += 1
    return reassigned


def _reassign(callback: CallbackRequest, moment: dt.datetime) -> bool:
    """Give one overdue callback to its successor, or escalate it. The providers it may go to are locked first,
    as a caller's press 1 locks them (``services.callback_taker``), and counted after the lock: two workers, or a
    worker and a caller, never both give a provider its last place."""
    with transaction.atomic():
        statements.lock_provider_lines([int(p) for p in consented_successors(callback)])
        successor = choose_reassignment(callback, moment)
        if successor is not None:
            return _give(callback, successor, moment)
    # Outside the locks: escalating e-mails operators, and callers' waves must not wait on the providers' rows.
    escalate_callback(callback, moment)
    return False


def _give(callback: CallbackRequest, successor: Provider, moment: dt.datetime) -> bool:
    """The conditional update that moves the request (one worker wins), inside ``_reassign``'s locks."""
    minutes = successor.callback_minutes
    assignees = [*callback.assignee_ids(), str(successor.pk)]
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
        callback.refresh_from_db()
        logger.info("Callback %s reassigned to provider %s", callback.pk, successor.pk)
        notify_callback_assigned(callback)  # the worker sends it once this reassignment is committed
    return bool(won)


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
