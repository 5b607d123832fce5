"""Roster changes queue a disclosure refresh once the transaction that made them commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clearline.providers.models import Contract, Provider


@receiver([post_save, post_delete], sender=Provider, dispatch_uid="content.provider_changed")
@receiver([post_save, post_delete], sender=Contract, dispatch_uid="content.contract_changed")
def queue_disclosure_refresh(sender: type, **kwargs: Any) -> None:
    from clearline.content.tasks import refresh_disclosure_version

    transaction.on_commit(refresh_disclosure_version.enqueue)
