"""Reassignment is checked under the same lock as a caller's press 1: several overdue callbacks reassigned at once
(two workers running the deadline job) never give a provider more callbacks than its places."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from clearline.providers.routing_settings import current_routing_settings
from clearline.telephony import callback_deadlines, services
from clearline.telephony.models import CallbackRequest, CallbackStatus
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.tests.test_callback_capacity import fill

OVERDUE = 8


def _reassign(callback_id: int, moment: dt.datetime, barrier: threading.Barrier) -> bool:
    try:
        callback = CallbackRequest.objects.select_related("call__helpline", "provider").get(pk=callback_id)
        barrier.wait(timeout=30)
        return callback_deadlines._reassign(callback, moment)
    finally:
        connection.close()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_overdue_callbacks_reassigned_at_once_never_overbook_the_successor(helpline, providers):
    named, backup, full = providers
    per_line = current_routing_settings().to_policy("1").callback_max_per_line
    named.lines, backup.lines, full.lines = 20, 1, 1
    for provider in providers:
        provider.save(update_fields=["lines"])
    backup_places, full_places = int(backup.lines * per_line), int(full.lines * per_line)
    fill(str(full.pk), full_places)
    fill(str(backup.pk), backup_places - 1)  # one place left
    callbacks = []
    for n in range(OVERDUE):
        call = services.start_call(call_sid=f"CA-race-{n}", to_number=HELPLINE, caller_number=CALLER).call
        callback = services.record_callback(call, str(named.pk), timezone.now(), CALLER)
        assert callback is not None and callback.provider_id == named.pk
        callbacks.append(callback.pk)
    consented = CallbackRequest.objects.filter(
        pk__in=callbacks, consent__provider_ids__contains=[str(backup.pk)]
    )
    assert consented.count() == OVERDUE  # every caller heard the backup named
    moment = timezone.now() + dt.timedelta(hours=1)
    barrier = threading.Barrier(OVERDUE)

    with ThreadPoolExecutor(max_workers=OVERDUE) as pool:
        moved = list(pool.map(lambda pk: _reassign(pk, moment, barrier), callbacks))

    open_with_backup = CallbackRequest.objects.filter(provider=backup, status=CallbackStatus.OPEN).count()
    assert open_with_backup == backup_places
    assert moved.count(True) == 1
    escalated = CallbackRequest.objects.filter(pk__in=callbacks, escalated_at__isnull=False).count()
    assert escalated == OVERDUE - 1
