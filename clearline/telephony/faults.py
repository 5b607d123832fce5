"""Faults on the call path, for every adapter: the database's timeouts while a call waits, and telling operators
when a caller got the fallback instead of a provider (counted, logged, e-mailed at a limited rate)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# The raw connection that already carries the webhook timeouts, on this thread's connection wrapper.
_TIMEOUTS_ON = "_clearline_webhook_timeouts_on"


def use_webhook_timeouts() -> None:
    """Give this thread's PostgreSQL connection the webhook's statement and lock timeouts (settings
    ``CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS`` and ``..._LOCK_TIMEOUT_MS``), so a held lock or a stuck statement
    ends in an error, and the fallback, well within Twilio's patience. One statement per connection, not per
    webhook: the setting stays on the session (``set_config(..., false)``) until a page request on the same
    connection puts the defaults back (``_page_timeouts``). The worker, migrations and imports never get it."""
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "postgresql":
        return
    conn.close_if_health_check_failed()
    if conn.connection is not None and getattr(conn, _TIMEOUTS_ON, None) is conn.connection:
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
            [
                f"{settings.CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS}ms",
                f"{settings.CLEARLINE_WEBHOOK_LOCK_TIMEOUT_MS}ms",
            ],
        )
    # Inside a transaction (a test's) the setting ends with it: remembered only when it is the session's.
    setattr(conn, _TIMEOUTS_ON, None if conn.in_atomic_block else conn.connection)


def _page_timeouts(environ: dict[str, Any] | None = None, **_kwargs: Any) -> None:
    """A request other than a webhook on a connection that carries the webhook timeouts: the defaults again."""
    conn = connections[DEFAULT_DB_ALIAS]
    if getattr(conn, _TIMEOUTS_ON, None) is None:
        return
    if (environ or {}).get("PATH_INFO", "").startswith(tuple(settings.CLEARLINE_LEAN_PATHS)):
        return
    _default_timeouts(conn)


def _request_over(**_kwargs: Any) -> None:
    """A connection that should close after each request (``CONN_MAX_AGE`` 0) but is kept, as Django's test client
    keeps it: the defaults again, so what runs next on it (a test's teardown) is not cut short."""
    conn = connections[DEFAULT_DB_ALIAS]
    if getattr(conn, _TIMEOUTS_ON, None) is not None and conn.settings_dict.get("CONN_MAX_AGE") == 0:
        _default_timeouts(conn)


def _default_timeouts(conn: Any) -> None:
    setattr(conn, _TIMEOUTS_ON, None)
    if conn.connection is None:
        return
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(name, reset_val, false) FROM pg_settings "
                "WHERE name IN ('statement_timeout', 'lock_timeout')"
            )
    except Exception:
        logger.warning("Could not put the database's timeouts back; reconnecting", exc_info=True)
        conn.close()


request_started.connect(_page_timeouts, dispatch_uid="clearline.telephony.page_timeouts")
request_finished.connect(_request_over, dispatch_uid="clearline.telephony.request_over")

FALLBACK_COUNT_KEY = "clearline:telephony:fallbacks"
FALLBACK_ALERT_KEY = "clearline:telephony:fallback-alerted"
_fallbacks_lock = threading.Lock()
_fallbacks = 0


def fallbacks_in_this_process() -> int:
    return _fallbacks


def note_fallback(path: str, error: BaseException) -> int:
    """Count a fallback answer (in this process, and in the cache ``FALLBACK_COUNT_KEY``) and e-mail
    ``CLEARLINE_OPERATOR_EMAILS`` at most once per ``CLEARLINE_FALLBACK_ALERT_MINUTES``. Never raises and never
    waits: the e-mail goes from a short-lived thread, not a task, because a task is queued in the very database
    that is likely failing, and the alert must reach operators while it fails. No caller number is written."""
    global _fallbacks
    with _fallbacks_lock:
        _fallbacks += 1
        count = _fallbacks
    try:
        cache.add(FALLBACK_COUNT_KEY, 0, timeout=None)
        total = cache.incr(FALLBACK_COUNT_KEY)
        if not cache.add(FALLBACK_ALERT_KEY, True, timeout=settings.CLEARLINE_FALLBACK_ALERT_MINUTES * 60):
            return count
        if settings.CLEARLINE_OPERATOR_EMAILS:
            threading.Thread(
                target=_send_fallback_alert,
                args=(path, type(error).__name__, total),
                name="clearline-fallback-alert",
                daemon=True,
            ).start()
    except Exception:
        logger.exception("Could not count or report a fallback answer")
    return count


def _send_fallback_alert(path: str, error: str, total: int) -> None:
    minutes = settings.CLEARLINE_FALLBACK_ALERT_MINUTES
    try:
        send_mail(
            "Clearline: callers are getting the fallback",
            f"A Twilio webhook ({path}) failed with {error} and the caller got the fallback: the disclosure, "
            f"press 9 for the crisis line and the free national helpline, but no provider.\n\n"
            f"Fallback answers so far: {total}. The error is in the web server's log (level ERROR). "
            f"You will get at most one of these e-mails every {minutes} minutes; see docs/operations.md, "
            f'"When the database fails".',
            None,
            list(settings.CLEARLINE_OPERATOR_EMAILS),
        )
    except Exception:
        logger.exception("Could not e-mail operators about fallback answers")
