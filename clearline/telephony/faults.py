"""Faults on the call path, for every adapter: the database's timeouts while a call waits, the webhook's own
deadline (for a database that does not answer at all), and telling operators when a caller got the fallback
instead of a provider (counted, logged, e-mailed at a limited rate)."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

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
            "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false), "
            # lz4 where the server has it: the call's plan and trace (~6 kB of JSON) are compressed on every voice
            # webhook; the call's INSERT, 1,100 alternating runs: PostgreSQL CPU 399 -> 318 us, wall 885 -> 810 us.
            "(SELECT set_config(name, 'lz4', false) FROM pg_settings "
            "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))",
            [
                f"{settings.CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS}ms",
                f"{settings.CLEARLINE_WEBHOOK_LOCK_TIMEOUT_MS}ms",
            ],
        )
    # Inside a transaction (a test's) the setting ends with it: remembered only when it is the session's.
    setattr(conn, _TIMEOUTS_ON, None if conn.in_atomic_block else conn.connection)


def run_reconnecting(work: Callable[[], T]) -> T:
    """Run a webhook's database work on a kept PostgreSQL connection with its first statement as the health check:
    if that statement finds the connection dead (the server restarted since), nothing was written on it, so the
    connection is closed and ``work`` runs once more on a new one (within the webhook's deadline).

    In place of Django's health check (``CONN_HEALTH_CHECKS``: a ``SELECT 1`` round trip before the first query
    of every request), which cost each voice webhook ~0.1 ms (bench/webhooks.py --in-process-only: CPU 97 us,
    wall ~0.12 ms of ~3 ms). Only a dead connection is retried: a statement or lock timeout (a live connection)
    and a deadline cut (no time left) are not. Elsewhere (SQLite, a new connection, health checks off or done)
    ``work`` just runs."""
    conn: Any = connections[DEFAULT_DB_ALIAS]  # health_check_* are not in django-stubs
    if (
        conn.vendor != "postgresql"
        or conn.connection is None
        or conn.in_atomic_block
        or not conn.health_check_enabled
        or conn.health_check_done
    ):
        return work()
    conn.health_check_done = True  # the work's first statement is the check
    answered = False

    def note_answer(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal answered
        result = execute(*args)
        answered = True
        return result

    try:
        with conn.execute_wrapper(note_answer):
            return work()
    except (OperationalError, InterfaceError):
        left = time_left()
        dead = conn.connection is None or conn.connection.closed
        if answered or not dead or (left is not None and left <= 0):
            raise
    logger.warning("The database connection was dead (a server restart?); reconnecting once")
    conn.close()
    return work()


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
                "WHERE name IN ('statement_timeout', 'lock_timeout', 'default_toast_compression')"
            )
    except Exception:
        logger.warning("Could not put the database's timeouts back; reconnecting", exc_info=True)
        conn.close()


request_started.connect(_page_timeouts, dispatch_uid="clearline.telephony.page_timeouts")
request_finished.connect(_request_over, dispatch_uid="clearline.telephony.request_over")

# --- the webhook's deadline ---------------------------------------------------------------------------------
#
# A frozen server (processes stopped, a hung host or network) fires no server-side timeout, and libpq's (and
# psycopg's) connect timeout is 2 s at least. So the webhook path keeps its own deadline: a watchdog thread (one
# per process, started on first use) wakes when the earliest deadline passes and shuts down the socket of the
# connection that webhook is still using, which makes the blocked call raise at once (the fallback then answers);
# the connection is closed when the webhook ends. A connect made under a deadline gets the time left as its
# timeout (``_connect_timeout``). After a cut, or a connect that timed out, the process is in doubt: its webhooks
# get ``DOUBT_DEADLINE_S`` until one finishes with the database answering, so a frozen server costs each web
# process one full deadline, not one per caller (with sync workers, a deadline per caller would queue the callers
# behind one another: bench/faults.py, "hung server"). Page requests and the worker have no deadline.

DOUBT_DEADLINE_S = 0.1


class Deadline:
    """One webhook's deadline on this thread's connection; ``cut`` once the watchdog has cut it."""

    __slots__ = ("at", "conn", "cut")

    def __init__(self, at: float, conn: Any) -> None:
        self.at = at
        self.conn = conn
        self.cut = False

    def time_left(self) -> float:
        return self.at - time.monotonic()


_watch = threading.Condition()
_armed: set[Deadline] = set()
_wake_at: float | None = None  # when the watchdog wakes next (None: not started)
_watchdog_started = False  # in this process (a forked child starts its own: ``_forked``)
_current = threading.local()
_in_doubt = False


def in_doubt() -> bool:
    return _in_doubt


@contextlib.contextmanager
def webhook_deadline() -> Iterator[Deadline | None]:
    """Run a webhook's database work under ``CLEARLINE_WEBHOOK_DEADLINE_MS`` (PostgreSQL only). Yields the
    deadline; when it was cut, the connection is closed on the way out (its socket is dead)."""
    global _in_doubt, _wake_at
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "postgresql":
        yield None
        return
    seconds = settings.CLEARLINE_WEBHOOK_DEADLINE_MS / 1000
    deadline = Deadline(time.monotonic() + (min(seconds, DOUBT_DEADLINE_S) if _in_doubt else seconds), conn)
    with _watch:
        if not _watchdog_started:
            _start_watchdog()
        _armed.add(deadline)
        if _wake_at is None or deadline.at < _wake_at:
            _wake_at = deadline.at
            _watch.notify()
    _current.deadline = deadline
    failed = True
    try:
        yield deadline
        failed = False
    finally:
        _current.deadline = None
        with _watch:
            _armed.discard(deadline)
        if deadline.cut:
            logger.error("A webhook's database work passed its deadline; its connection was cut")
            with contextlib.suppress(Exception):
                conn.close()
        database_failed = failed or conn.connection is None or conn.errors_occurred
        if deadline.cut or (database_failed and deadline.time_left() <= 0):
            _in_doubt = True  # cut, or a connect that failed after taking all the time left
        elif not database_failed:
            _in_doubt = False  # the database answered this webhook (however slowly the rest of it ran)


@contextlib.contextmanager
def deadline_paused() -> Iterator[None]:
    """Time spent inside does not count against this thread's webhook deadline: work that is not the database's
    and has its own timeout (REST requests to Twilio). The deadline is taken off the watchdog meanwhile and armed
    again afterwards with the time it had left."""
    global _wake_at
    deadline = getattr(_current, "deadline", None)
    if deadline is None:
        yield
        return
    with _watch:
        left = deadline.time_left()
        watched = deadline in _armed
        _armed.discard(deadline)
    try:
        yield
    finally:
        with _watch:
            deadline.at = time.monotonic() + max(left, 0.0)
            if watched and not deadline.cut:
                _armed.add(deadline)
                if _wake_at is None or deadline.at < _wake_at:
                    _wake_at = deadline.at
                    _watch.notify()


def time_left() -> float | None:
    """Seconds left to this thread's webhook deadline, or None outside one."""
    deadline = getattr(_current, "deadline", None)
    return None if deadline is None else deadline.time_left()


def _start_watchdog() -> None:
    global _watchdog_started
    _watchdog_started = True
    threading.Thread(target=_watchdog, name="clearline-webhook-deadline", daemon=True).start()


def _forked() -> None:
    global _watch, _watchdog_started, _wake_at
    _watch, _watchdog_started, _wake_at = threading.Condition(), False, None
    _armed.clear()


os.register_at_fork(after_in_child=_forked)


def _watchdog() -> None:
    global _wake_at
    with _watch:
        while True:
            now = time.monotonic()
            for deadline in [d for d in _armed if d.at <= now]:
                _armed.discard(deadline)
                deadline.cut = True
                _cut(deadline.conn)
            # Until the earliest deadline, or a whole deadline from now when none is armed: a webhook armed meanwhile
            # ends no sooner, so it need not wake the watchdog (only a shorter one, in doubt, does).
            idle = now + settings.CLEARLINE_WEBHOOK_DEADLINE_MS / 1000
            _wake_at = min((d.at for d in _armed), default=idle)
            _watch.wait(max(0.0, _wake_at - time.monotonic()))


def _cut(conn: Any) -> None:
    """Shut down the socket under another thread's connection, so the call it is blocked in returns with an
    error. Through a duplicate of the descriptor, so the connection's own stays open until it is closed."""
    raw = conn.connection
    if raw is None:
        return  # connecting: bounded by the time left (``_connect_timeout``)
    try:
        with socket.socket(fileno=os.dup(raw.pgconn.socket)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception:
        logger.warning("Could not cut a webhook's database connection", exc_info=True)


def _install_connect_timeout() -> None:
    """psycopg enforces ``connect_timeout`` itself (``psycopg.connection.timeout_from_conninfo``, at least 2 s); a
    connect under a webhook deadline gets the time left instead (bench/faults.py, "hung server": 2 s without)."""
    try:
        import psycopg.connection as psycopg_connection
    except ImportError:
        return
    timeout_of = getattr(psycopg_connection, "timeout_from_conninfo", None)
    if timeout_of is None or getattr(timeout_of, "clearline", False):
        return

    def _connect_timeout(params: Any) -> float:
        timeout = timeout_of(params)
        left = time_left()
        return timeout if left is None or left >= timeout else max(left, 0.001)

    _connect_timeout.clearline = True  # type: ignore[attr-defined]
    psycopg_connection.timeout_from_conninfo = _connect_timeout  # type: ignore[assignment]


_install_connect_timeout()
