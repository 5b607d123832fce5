"""Callback promises: a caller who pressed 1 is given a provider with room for the callback now, checked under
that provider's lock, or told that nobody can take it."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from clearline.lib.phone import encrypt_number
from clearline.telephony import statements
from clearline.telephony.models import (
    Call,
    CallbackRequest,
    CallOutcome,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def record_callback(
    call: Call, provider_id: str, deadline: dt.datetime, caller_number: str, now: dt.datetime | None = None
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
    request and changes nothing. ``now``: the moment the caller pressed 1 (default: the clock)."""
    from clearline.telephony.callbacks import callback_consent, notify_callback_assigned

    stored = CallbackRequest.objects.filter(call=call).select_related("provider").first()
    if stored is not None:
        return stored
    if Call.objects.filter(pk=call.pk, outcome=CallOutcome.TRANSFERRED_FREE).exists():
        return None  # refused already (a retried webhook): the same answer, though a place may be free now
    consent = callback_consent(call)
    candidates = list(dict.fromkeys([str(provider_id), *(str(p) for p in consent.get("provider_ids", []))]))
    moment = now or timezone.now()
    taker = callback_taker(call, candidates, moment)
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
            "created_at": moment,
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


def callback_taker(call: Call, provider_ids: list[str], now: dt.datetime | None = None) -> str | None:
    """The first of ``provider_ids`` (in their order) with room for this call's callback now, by the routing
    core's rule (``callbacks.with_room_for_a_callback``: calls in progress plus open callbacks below
    ``lines x callback_max_per_line``), or None. Call inside a transaction: the providers' rows are locked
    first (in id order, as ``_hold_lines`` does; SQLite's IMMEDIATE transaction locks the database), so two
    callers pressing 1 at once are counted one after the other and never both get a provider's last place."""
    from clearline.telephony.callbacks import with_room_for_a_callback

    statements.lock_provider_lines([int(p) for p in provider_ids])
    able = with_room_for_a_callback(provider_ids, now or timezone.now(), call.seed)
    return next((p for p in provider_ids if p in able), None)
