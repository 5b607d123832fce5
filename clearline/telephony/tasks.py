"""Worker jobs of the telephony app (enqueued on a timer by `clearline worker`; see CLEARLINE_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task

from clearline.telephony import callbacks


@task()
def enforce_callback_deadlines() -> int:
    return callbacks.enforce_callback_deadlines()


@task()
def reap_line_slots() -> int:
    return callbacks.reap_line_slots()


@task()
def purge_callback_numbers() -> int:
    return callbacks.purge_callback_numbers()
