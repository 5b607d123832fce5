"""Enqueue periodic jobs (settings.CLEARLINE_PERIODIC_TASKS) exactly once per interval across all workers."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from clearline.lib.models import PeriodicJob

logger = logging.getLogger(__name__)


def claim_due_job(name: str, interval_s: int, now: dt.datetime) -> bool:
    """Atomically mark the job as enqueued now if it is due; False if it is not due or another worker won."""
    PeriodicJob.objects.get_or_create(name=name)
    due_before = now - dt.timedelta(seconds=interval_s)
    claimed = PeriodicJob.objects.filter(
        Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=due_before), name=name
    ).update(last_enqueued_at=now)
    return claimed == 1


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """One scheduler step: enqueue every periodic job that is due; return the names enqueued."""
    moment = now or timezone.now()
    enqueued = []
    for dotted_path, interval_s in settings.CLEARLINE_PERIODIC_TASKS:
        if claim_due_job(dotted_path, interval_s, moment):
            task: Any = import_string(dotted_path)
            task.enqueue()
            enqueued.append(dotted_path)
            logger.info("Enqueued periodic job %s", dotted_path)
    return enqueued
