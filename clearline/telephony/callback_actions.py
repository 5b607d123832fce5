"""What provider staff do with a callback in the portal: claim it, reveal the caller's number, record the outcome.

Each action is conditional on the callback being open and assigned to the acting provider at that moment (and,
when the page said which, not reassigned since it was drawn), so a provider who lost a callback to a
reassignment (``callback_deadlines``) can neither see the number nor close it. Every action is audited; the
number itself goes nowhere but the reveal's return value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearline.lib.audit import log_action
from clearline.lib.phone import decrypt_number
from clearline.telephony.models import CallbackOutcome, CallbackRequest, CallbackStatus

RETURN_OUTCOMES = tuple(CallbackOutcome.values)


class CallbackError(Exception):
    """A callback action that cannot happen; the message is fit to show the provider's staff."""


NOT_YOURS = gettext_lazy(
    "This callback is closed, or it has been reassigned to another provider. Reload the page to see your "
    "current callbacks."
)


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
