"""Listing edits: members propose, operators approve or reject; nothing public changes before approval.

Every state change is one conditional update inside a transaction with its audit entry (rule 9), so a double
click, or a withdrawal racing a review, changes an edit once and logs it once. Approval goes through
`clearline.directory.edits.apply_listing_changes`, which keeps the directory's rules (a changed phone is
unverified again; the page cache is invalidated).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.directory.edits import (
    FIELD_KEYS,
    LABELS,
    apply_listing_changes,
    check_changes,
    display_value,
    listing_values,
    stale_fields,
    term_names,
)
from clearline.directory.models import Facility
from clearline.directory.services import DirectoryError
from clearline.lib.audit import log_action
from clearline.providers.models import Provider

from .models import ListingEdit, ProviderListing

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class ListingEditError(Exception):
    """An edit that cannot be submitted, withdrawn or reviewed, with a reason a person can act on."""


def listing_facilities() -> QuerySet[Facility]:
    """Facilities with the relations ``listing_values`` reads."""
    return Facility.objects.select_related("organization").prefetch_related("phones", "schedules")


def managed_facilities(provider: Provider) -> QuerySet[Facility]:
    return listing_facilities().filter(provider_listing__provider=provider).order_by("name", "pk")


def managed_facility(provider: Provider, facility_id: int) -> Facility | None:
    """The facility, if this provider manages it; None for anyone else's facility or an unknown id."""
    return managed_facilities(provider).filter(pk=facility_id).first()


def _username(user: AbstractBaseUser | None) -> str:
    return user.get_username() if user is not None else "system"


@transaction.atomic
def submit_edit(
    provider: Provider, user: AbstractBaseUser, facility_id: int, proposed: dict[str, Any], note: str = ""
) -> ListingEdit:
    """Record a proposal: only the fields that differ from the facility now, with the values they replace."""
    facility = managed_facilities(provider).select_for_update().filter(pk=facility_id).first()
    if facility is None:
        raise ListingEditError(_("Your organisation does not manage this listing."))
    current = listing_values(facility)
    changes = {key: proposed[key] for key in FIELD_KEYS if key in proposed and proposed[key] != current[key]}
    if not changes:
        raise ListingEditError(_("Nothing was changed, so there is nothing to review."))
    problems = check_changes(changes)
    if problems:
        raise ListingEditError(" ".join(problems))
    if ListingEdit.objects.filter(facility=facility, status=ListingEdit.Status.PENDING).exists():
        raise ListingEditError(
            _("A change to this listing is already waiting for review. Withdraw it first to propose another.")
        )
    try:
        with transaction.atomic():
            edit = ListingEdit.objects.create(
                provider=provider,
                facility=facility,
                changes=changes,
                before={key: current[key] for key in changes},
                submitter_note=note.strip(),
                submitted_by=user,  # type: ignore[misc]
                submitted_at=timezone.now(),
            )
    except IntegrityError as exc:  # a simultaneous proposal won the one-pending-edit constraint
        raise ListingEditError(_("A change to this listing is already waiting for review.")) from exc
    log_action(
        "portal.listing_edit.submitted",
        actor=_username(user),
        target=edit,
        data={"facility": facility.pk, "provider": provider.pk, "fields": sorted(changes)},
    )
    return edit


@transaction.atomic
def withdraw_edit(provider: Provider, user: AbstractBaseUser, edit_id: int) -> ListingEdit:
    """The member takes back a pending edit of their own organisation."""
    edit = ListingEdit.objects.select_for_update().filter(pk=edit_id, provider=provider).first()
    if edit is None:
        raise ListingEdit.DoesNotExist
    if not edit.is_pending:
        raise ListingEditError(_("Only a change waiting for review can be withdrawn."))
    edit.status = ListingEdit.Status.WITHDRAWN
    edit.withdrawn_by, edit.withdrawn_at = user, timezone.now()  # type: ignore[assignment]
    edit.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
    log_action(
        "portal.listing_edit.withdrawn",
        actor=_username(user),
        target=edit,
        data={"facility": edit.facility_id, "provider": provider.pk},
    )
    return edit


def _pending_for_review(edit_id: int) -> ListingEdit:
    edit = ListingEdit.objects.select_for_update().filter(pk=edit_id).first()
    if edit is None:
        raise ListingEdit.DoesNotExist
    if not edit.is_pending:
        raise ListingEditError(f"This edit is already {edit.get_status_display().lower()}.")
    return edit


@transaction.atomic
def approve_edit(
    edit_id: int, reviewer: AbstractBaseUser, note: str = "", confirm_stale: bool = False
) -> ListingEdit:
    """Apply the edit to the public listing. A stale edit (the facility changed since) needs ``confirm_stale``."""
    edit = _pending_for_review(edit_id)
    if not ProviderListing.objects.filter(
        provider_id=edit.provider_id, facility_id=edit.facility_id
    ).exists():
        raise ListingEditError("This provider no longer manages the facility: reject the edit instead.")
    facility = listing_facilities().select_for_update().get(pk=edit.facility_id)
    current = listing_values(facility)
    stale = stale_fields(edit.before, current)
    if stale and not confirm_stale:
        raise ListingEditError(
            "The listing has changed since this edit was proposed ("
            + ", ".join(str(LABELS[k]) for k in stale)
            + "). Check the differences and confirm to apply it anyway."
        )
    try:
        applied = apply_listing_changes(facility, edit.changes)
    except DirectoryError as exc:
        raise ListingEditError(str(exc)) from exc
    edit.status = ListingEdit.Status.APPROVED
    edit.reviewed_by, edit.reviewed_at, edit.review_note = reviewer, timezone.now(), note.strip()  # type: ignore[assignment]
    edit.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    log_action(
        "portal.listing_edit.approved",
        actor=_username(reviewer),
        target=edit,
        data={
            "facility": facility.pk,
            "provider": edit.provider_id,
            "changes": {k: {"before": current[k], "after": v} for k, v in edit.changes.items()},
            "stale_fields": stale,
            "unverified_phones": applied.unverified_phones,
            "moved": applied.moved,
            "note": edit.review_note,
        },
    )
    return edit


@transaction.atomic
def reject_edit(edit_id: int, reviewer: AbstractBaseUser, note: str) -> ListingEdit:
    """Refuse the edit; the note tells the provider why (it is shown to them)."""
    if not note.strip():
        raise ListingEditError("Say why the edit is rejected: the provider reads this note.")
    edit = _pending_for_review(edit_id)
    edit.status = ListingEdit.Status.REJECTED
    edit.reviewed_by, edit.reviewed_at, edit.review_note = reviewer, timezone.now(), note.strip()  # type: ignore[assignment]
    edit.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    log_action(
        "portal.listing_edit.rejected",
        actor=_username(reviewer),
        target=edit,
        data={"facility": edit.facility_id, "provider": edit.provider_id, "note": edit.review_note},
    )
    return edit


@dataclass(frozen=True)
class DiffRow:
    key: str
    label: StrPromise
    before: str  # when the edit was submitted
    now: str  # on the facility today
    proposed: str
    stale: bool  # the facility's value is no longer ``before``
    added: tuple[str, ...] = ()  # services only
    removed: tuple[str, ...] = ()


def edit_diff(edit: ListingEdit, current: dict[str, Any] | None = None) -> list[DiffRow]:
    """One row per changed field: the value it replaced, today's value, the proposal, and whether it is stale."""
    if current is None:
        current = listing_values(listing_facilities().get(pk=edit.facility_id))
    names = term_names() if "services" in edit.changes else {}
    rows = []
    for key in FIELD_KEYS:
        if key not in edit.changes:
            continue
        before, proposed = edit.before.get(key), edit.changes[key]
        added: tuple[str, ...] = ()
        removed: tuple[str, ...] = ()
        if key == "services":
            added = tuple(names.get(c, c) for c in proposed if c not in (before or []))
            removed = tuple(names.get(c, c) for c in (before or []) if c not in proposed)
        rows.append(
            DiffRow(
                key=key,
                label=LABELS[key],
                before=display_value(key, before, names),
                now=display_value(key, current.get(key), names),
                proposed=display_value(key, proposed, names),
                stale=current.get(key) != before,
                added=added,
                removed=removed,
            )
        )
    return rows
