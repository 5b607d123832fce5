"""The append-only, hash-chained audit log (DESIGN.md rule 9).

Each entry's hash covers its own fields and the previous entry's hash, so editing or deleting any row breaks the
chain from that row on; ``verify_chain`` names the first broken entry (``clearline audit_verify``). Entries are
written inside the transaction of the change they record, so a rolled-back change leaves no entry.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clearline.lib.locks import hold_lock
from clearline.lib.models import AuditEntry

GENESIS = "0" * 64


def _digest(entry: AuditEntry) -> str:
    payload = json.dumps(
        {
            "created_at": entry.created_at.isoformat(),
            "action": entry.action,
            "actor": entry.actor,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "data": entry.data,
            "prev_hash": entry.prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def log_action(
    action: str, *, actor: str = "system", target: Any = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Append one entry, chained to the latest; one lock for every append (or SQLite's write lock) keeps the chain
    linear."""
    with transaction.atomic():
        # A row lock on the latest entry would not do on PostgreSQL: a second writer waiting on it gets that same
        # row back once the first commits, and chains to it too (a fork). The lock is held until the transaction
        # ends, so the next writer's read below sees this entry committed.
        hold_lock("audit-chain")
        previous = AuditEntry.objects.order_by("-id").first()
        entry = AuditEntry(
            created_at=timezone.now(),
            action=action,
            actor=actor or "system",
            target_type=type(target).__name__ if target is not None else "",
            target_id=str(getattr(target, "pk", "") or "") if target is not None else "",
            data=json.loads(json.dumps(data or {}, default=str)),
            prev_hash=previous.hash if previous else GENESIS,
        )
        entry.hash = _digest(entry)
        entry.save()
        return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_id: int | None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Walk the log in order; report the first entry whose hash or link does not match."""
    expected_prev = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator():
        count += 1
        if entry.prev_hash != expected_prev:
            return ChainReport(
                count, entry.pk, "its link to the previous entry does not match (a row was removed?)"
            )
        if _digest(entry) != entry.hash:
            return ChainReport(count, entry.pk, "its contents do not match its hash (the row was edited)")
        expected_prev = entry.hash
    return ChainReport(count, None)


# Who is acting: set per request by AuditActorMiddleware (the signed-in user), "system" for the worker and
# commands. A context variable, so threads and async tasks each see their own.
_actor: contextvars.ContextVar[str] = contextvars.ContextVar("clearline_audit_actor", default="system")


def current_actor() -> str:
    return _actor.get()


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        token = _actor.set(name)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def snapshot_fields(instance: Any) -> dict[str, Any]:
    """A model row's concrete fields as plain JSON-able values (for before/after data)."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in {"updated_at", "created_at"}
    }


def track_changes(model: type, action_prefix: str) -> None:
    """Write ``<prefix>.created/updated/deleted`` entries, with the fields that changed, for every save/delete."""
    from django.db.models.signals import post_delete, post_save, pre_save

    def before(sender: type, instance: Any, **kwargs: Any) -> None:
        old = sender.objects.filter(pk=instance.pk).first() if instance.pk is not None else None  # type: ignore[attr-defined]
        instance._audit_before = snapshot_fields(old) if old is not None else None

    def after(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
        now = snapshot_fields(instance)
        old = getattr(instance, "_audit_before", None)
        if created or old is None:
            log_action(
                f"{action_prefix}.created", actor=current_actor(), target=instance, data={"after": now}
            )
            return
        changed = {k: {"before": old.get(k), "after": v} for k, v in now.items() if old.get(k) != v}
        if changed:
            log_action(f"{action_prefix}.updated", actor=current_actor(), target=instance, data=changed)

    def deleted(sender: type, instance: Any, **kwargs: Any) -> None:
        log_action(
            f"{action_prefix}.deleted",
            actor=current_actor(),
            target=instance,
            data={"before": snapshot_fields(instance)},
        )

    uid = f"audit.{action_prefix}"
    pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}.pre")
    post_save.connect(after, sender=model, weak=False, dispatch_uid=f"{uid}.post")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}.delete")
