"""Telling operators when callers get the fallback: each fallback answer is counted, and operators are e-mailed
at most once per ``CLEARLINE_FALLBACK_ALERT_MINUTES`` from all the web processes of a machine.

Not every failed webhook gives the caller the fallback: a provider's leg (the whisper) is hung up instead, and a
caller on hold in a queue-shaped wave leaves the queue (``ErrorAnswer``). They are counted alike; the e-mail says
which one the failure that sent it was."""

from __future__ import annotations

import enum
import fcntl
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail

logger = logging.getLogger(__name__)

FALLBACK_COUNT_KEY = "clearline:telephony:fallbacks"
FALLBACK_ALERT_KEY = "clearline:telephony:fallback-alerted"
# In CLEARLINE_EVENT_JOURNAL_DIR (local disk, shared by the machine's web processes): when operators were last
# e-mailed, so the alert's limit holds for all of them, not per process (the cache is per process).
ALERT_STAMP = "fallback-alerted"
_fallbacks_lock = threading.Lock()
_fallbacks = 0


class ErrorAnswer(enum.Enum):
    """What a failing webhook answers instead of its own answer."""

    FALLBACK = "the fallback"  # the caller's webhooks: the disclosure, the crisis line, the free helpline
    HANG_UP_LEG = (
        "a hang-up of the provider's leg"  # a provider's leg (the whisper): the caller's call goes on
    )
    LEAVE_QUEUE = "<Leave/>"  # the hold loop of a queue-shaped wave: the caller leaves the queue


# The alert's subject and first paragraph for each: what happened to the call of the failure that sent it.
ALERT_WORDING: dict[ErrorAnswer, tuple[str, str]] = {
    ErrorAnswer.FALLBACK: (
        "Clearline: callers are getting the fallback",
        "A Twilio webhook ({path}) failed with {error} and the caller got the fallback: the disclosure, press 9 "
        "for the crisis line and the free national helpline, but no provider.",
    ),
    ErrorAnswer.HANG_UP_LEG: (
        "Clearline: Twilio webhooks are failing",
        "A Twilio webhook on a provider's leg ({path}) failed with {error}: that provider's leg was hung up, "
        "so this provider was not connected. The caller did not get the fallback: their call went on without "
        "this provider (the wave's other phones, then the call's next step).",
    ),
    ErrorAnswer.LEAVE_QUEUE: (
        "Clearline: Twilio webhooks are failing",
        "A Twilio webhook ({path}), the hold loop of a caller waiting while a wave rang, failed with {error}: "
        "the caller was taken out of the wave's queue, and the wave's phones stopped ringing. The next webhook "
        "answered the call's next step, or the fallback if it failed too (then counted again).",
    ),
}


def fallbacks_in_this_process() -> int:
    return _fallbacks


def note_fallback(path: str, error: BaseException, answered: ErrorAnswer = ErrorAnswer.FALLBACK) -> int:
    """Count a failed webhook's answer (``answered``: the fallback, or what it answered instead) in this process
    and in the cache ``FALLBACK_COUNT_KEY``, and e-mail
    ``CLEARLINE_OPERATOR_EMAILS`` at most once per ``CLEARLINE_FALLBACK_ALERT_MINUTES`` from all the web processes
    of the machine (``alert_due``). Never raises and never waits: the e-mail goes from a short-lived thread, not a
    task, because a task is queued in the very database that is likely failing, and the alert must reach
    operators while it fails. No caller number is written."""
    global _fallbacks
    with _fallbacks_lock:
        _fallbacks += 1
        count = _fallbacks
    try:
        cache.add(FALLBACK_COUNT_KEY, 0, timeout=None)
        total = cache.incr(FALLBACK_COUNT_KEY)
        if settings.CLEARLINE_OPERATOR_EMAILS and alert_due():
            threading.Thread(
                target=_send_fallback_alert,
                args=(path, type(error).__name__, total, answered),
                name="clearline-fallback-alert",
                daemon=True,
            ).start()
    except Exception:
        logger.exception("Could not count or report a fallback answer")
    return count


def alert_stamp() -> Path:
    return Path(settings.CLEARLINE_EVENT_JOURNAL_DIR) / ALERT_STAMP


def alert_due(now: float | None = None) -> bool:
    """Whether this fallback should e-mail operators: no e-mail from any web process on this machine within the
    window. The stamp file holds when the last one was sent; it is read and rewritten under an ``flock`` that is
    never waited for (a process finding it held leaves the alert to the holder). Without the folder, the limit
    falls back to the process's cache."""
    window = settings.CLEARLINE_FALLBACK_ALERT_MINUTES * 60
    moment = time.time() if now is None else now
    try:
        path = alert_stamp()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    except OSError:
        logger.warning(
            "No fallback alert stamp in %s; limiting alerts per process", path.parent, exc_info=True
        )
        return bool(cache.add(FALLBACK_ALERT_KEY, True, timeout=window))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        try:
            last = float(os.pread(fd, 64, 0) or b"0")
        except ValueError:
            last = 0.0
        if last <= moment < last + window:
            return False
        stamp = f"{moment:.3f}\n".encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp, 0)
        return True
    finally:
        os.close(fd)  # also releases the lock


def alert_text(path: str, error: str, total: int, answered: ErrorAnswer) -> tuple[str, str]:
    """The alert's subject and body. It describes the failure that sent it; the count is of every failed
    webhook since (callers given the fallback, provider legs hung up, callers taken out of a queue)."""
    minutes = settings.CLEARLINE_FALLBACK_ALERT_MINUTES
    subject, what = ALERT_WORDING[answered]
    body = (
        f"{what.format(path=path, error=error)}\n\n"
        f"Failed webhooks so far in the web process that sent this: {total}, of any kind (callers given the "
        f"fallback, provider legs hung up, callers taken out of a queue); this e-mail describes the first. The "
        f"errors are in the web server's log (level ERROR). You will get at most one of these e-mails every "
        f'{minutes} minutes from this machine; see docs/operations.md, "When the database fails".'
    )
    return subject, body


def _send_fallback_alert(
    path: str, error: str, total: int, answered: ErrorAnswer = ErrorAnswer.FALLBACK
) -> None:
    try:
        subject, body = alert_text(path, error, total, answered)
        send_mail(
            subject,
            body,
            None,
            list(settings.CLEARLINE_OPERATOR_EMAILS),
        )
    except Exception:
        logger.exception("Could not e-mail operators about fallback answers")
