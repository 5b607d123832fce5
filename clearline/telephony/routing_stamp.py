"""The routing stamp: a ``ContentGeneration`` row that every change to a routing input sets to a fresh random value,
in the same transaction as the change, so every process's cached roster (``roster_inputs``) knows it is stale.

Saves and deletes of the watched models bump it through their signals (``connect_signals``); code that changes
a routing input with a queryset ``update()`` (which sends no signal) calls ``bump_routing_stamp()`` itself. The
stamp is random rather than a count, so a rolled-back change (the call simulator rolls back everything it did)
can never bring an old value, and with it an old roster, back.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.test.signals import setting_changed

from clearline.content.models import DisclosureVersion, Helpline
from clearline.lib.models import ContentGeneration
from clearline.providers.models import ClosureDay, Contract, OpeningHours, Provider, RoutingSettings

STAMP_NAME = "telephony-routing"
# The models whose saves and deletes change what the cached part holds.
WATCHED_MODELS: tuple[type[Model], ...] = (
    Provider,
    Contract,
    OpeningHours,
    ClosureDay,
    RoutingSettings,
    Helpline,
    DisclosureVersion,
)


# --- the stamp --------------------------------------------------------------------------------------------------


def bump_routing_stamp(**_kwargs: Any) -> None:
    """Mark every process's cached roster stale. Call it in the transaction that changes a routing input."""
    value = secrets.randbits(62) + 1
    if not ContentGeneration.objects.filter(name=STAMP_NAME).update(value=value):
        ContentGeneration.objects.update_or_create(name=STAMP_NAME, defaults={"value": value})


def read_routing_stamp() -> int:
    return ContentGeneration.objects.filter(name=STAMP_NAME).values_list("value", flat=True).first() or 0


def connect_signals() -> None:
    for model in WATCHED_MODELS:
        uid = f"telephony.roster.{model._meta.label_lower}"
        post_save.connect(bump_routing_stamp, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(bump_routing_stamp, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
    # Tests change settings the routing defaults are read from (CLEARLINE_ROUTING_WAVE_SIZE): start afresh.
    setting_changed.connect(_forget_on_setting_change, dispatch_uid="telephony.roster.settings", weak=False)


def _forget_on_setting_change(**_kwargs: Any) -> None:
    from clearline.telephony.roster_inputs import forget

    forget()
