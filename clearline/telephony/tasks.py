"""Worker jobs of the telephony app (enqueued on a timer by `clearline worker`; see CLEARLINE_PERIODIC_TASKS)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from clearline.telephony import callback_deadlines, callbacks, claim_checks, journal

logger = logging.getLogger(__name__)


@task()
def enforce_callback_deadlines() -> int:
    return callback_deadlines.enforce_callback_deadlines()


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


@task()
def notify_callback_provider(callback_id: int, assignment: int, attempt: int = 1) -> bool:
    """Tell a callback's provider it is theirs (``callbacks.send_callback_notice``): enqueued when the request
    is stored or reassigned, with its id and which assignment it is (never the caller's number). django-tasks
    does not retry, so a failed send enqueues the next attempt itself, after ``NOTIFY_RETRY_DELAYS_S``, up to
    ``NOTIFY_ATTEMPTS`` in all; each failed attempt is recorded as a failed task result, the last one logged as
    an error. The request stays in the provider's queue whatever happens, and the deadline job reassigns it if
    nobody returns it."""
    try:
        return callbacks.send_callback_notice(callback_id, assignment)
    except Exception:
        if attempt >= callbacks.NOTIFY_ATTEMPTS:
            logger.exception(
                "Gave up notifying the provider of callback %s after %s attempts", callback_id, attempt
            )
            raise
        delays = callbacks.NOTIFY_RETRY_DELAYS_S
        delay = dt.timedelta(seconds=delays[min(attempt, len(delays)) - 1])
        logger.warning(
            "Could not notify the provider of callback %s (attempt %s); trying again in %s s",
            callback_id,
            attempt,
            int(delay.total_seconds()),
            exc_info=True,
        )
        retry = notify_callback_provider
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + delay)
        retry.enqueue(callback_id, assignment, attempt + 1)
        raise


@task()
def replay_event_journal() -> int:
    """Apply the call events kept on disk while the database was failing (``journal.replay``), in order."""
    return journal.replay(timezone.now())
