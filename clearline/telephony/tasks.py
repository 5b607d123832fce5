"""Worker jobs of the telephony app (enqueued on a timer by `clearline worker`; see CLEARLINE_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task

from clearline.telephony import callbacks, claim_checks


@task()
def enforce_callback_deadlines() -> int:
    return callbacks.enforce_callback_deadlines()


@task()
def reap_line_slots() -> int:
    return callbacks.reap_line_slots()


@task()
def purge_callback_numbers() -> int:
    return callbacks.purge_callback_numbers()


@task()
def check_finished_calls() -> dict[str, int]:
    """Check each finished call against the claims it was made under (``claim_checks``); each call once."""
    return claim_checks.check_finished_calls()
