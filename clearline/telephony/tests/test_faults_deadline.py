"""The webhook deadline (issue 11, "Faults"): a database that does not answer at all (a frozen server: no
server-side timeout can fire) still gets the caller the fallback, and a status callback its journal entry, well
within 1 s; a connect to a frozen server too (psycopg's own connect timeout is 2 s at least).

PostgreSQL only (the deadline is PostgreSQL's); ``make test`` runs them in its PostgreSQL pass. The frozen server
is our own backend stopped with SIGSTOP (the test's connection only), or a socket nobody answers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection

from clearline.telephony import fallback_alerts, faults
from clearline.telephony.models import Call
from clearline.telephony.tests.test_db_faults import BUDGET_S, is_fallback, kept_connections, timed_voice_call  # noqa: F401
from clearline.telephony.tests.test_webhooks import Twilio, twilio_on  # noqa: F401

DEADLINE_S = 0.6


@pytest.fixture(autouse=True)
def _deadline(settings, tmp_path):
    settings.CLEARLINE_WEBHOOK_DEADLINE_MS = int(DEADLINE_S * 1000)
    settings.CLEARLINE_EVENT_JOURNAL_DIR = tmp_path / "journal"
    faults._in_doubt = False
    yield
    faults._in_doubt = False


@contextmanager
def frozen_backend():
    """Stop this thread's PostgreSQL backend (SIGSTOP) until the block ends, as a hung server would be."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    os.kill(pid, signal.SIGSTOP)
    try:
        yield pid
    finally:
        os.kill(pid, signal.SIGCONT)


@contextmanager
def frozen_server():
    """A PostgreSQL socket that takes connections and never answers (a stopped postmaster)."""
    folder = tempfile.mkdtemp(prefix="pg-frozen-", dir="/tmp")  # short: a socket path has ~100 characters
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(Path(folder) / ".s.PGSQL.5432"))
    listener.listen(16)
    try:
        with mock.patch.dict(connection.settings_dict, {"HOST": folder, "PORT": "5432"}):
            connection.close()
            yield
            connection.close()
    finally:
        listener.close()
        os.unlink(Path(folder) / ".s.PGSQL.5432")
        os.rmdir(folder)


@pytest.mark.postgresql
@pytest.mark.usefixtures("kept_connections")
def test_a_frozen_server_gets_the_fallback_within_the_deadline(client, helpline, providers):
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])  # warm: the connection is open
    with frozen_backend():
        response, elapsed = timed_voice_call(client, "CA" + "2" * 32)
        assert is_fallback(response)
        assert DEADLINE_S <= elapsed < BUDGET_S, elapsed
        assert connection.connection is None  # the cut connection was closed, not kept
        assert faults.in_doubt()
        assert "CA" + "2" * 32 in (fallback_alerts.alert_stamp().parent / "events.jsonl").read_text()
    # The next webhook reconnects, the database answers, and the process trusts it again.
    assert not is_fallback(timed_voice_call(client, "CA" + "3" * 32)[0])
    assert not faults.in_doubt()


@pytest.mark.postgresql
@pytest.mark.usefixtures("kept_connections")
def test_a_status_callback_to_a_frozen_server_is_kept_within_the_deadline(client, helpline, providers):
    sid = "CA" + "4" * 32
    assert not is_fallback(timed_voice_call(client, sid)[0])
    with frozen_backend():
        started = time.monotonic()
        response = Twilio(client, call_sid=sid).post("/telephony/twilio/status", CallStatus="completed")
        elapsed = time.monotonic() - started
    assert response.status_code == 204
    assert elapsed < BUDGET_S, elapsed
    assert sid in (fallback_alerts.alert_stamp().parent / "events.jsonl").read_text()


@pytest.mark.postgresql
@pytest.mark.usefixtures("kept_connections")
def test_a_connect_to_a_frozen_server_ends_within_the_deadline_then_sooner(client, helpline, providers):
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])
    with frozen_server():
        response, first = timed_voice_call(client, "CA" + "5" * 32)
        assert is_fallback(response)
        assert DEADLINE_S <= first < BUDGET_S, first  # not psycopg's 2 s
        assert faults.in_doubt()
        response, second = timed_voice_call(client, "CA" + "6" * 32)
        assert is_fallback(response)
        assert second < faults.DOUBT_DEADLINE_S + 0.2, (
            second
        )  # in doubt: no caller waits a full deadline again
    assert not is_fallback(timed_voice_call(client, "CA" + "7" * 32)[0])
    assert not faults.in_doubt()
    assert Call.objects.filter(call_sid="CA" + "7" * 32).exists()


@pytest.mark.postgresql
@pytest.mark.django_db
def test_work_outside_a_webhook_waits_for_the_server():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    os.kill(pid, signal.SIGSTOP)
    threading.Timer(DEADLINE_S * 1.5, os.kill, (pid, signal.SIGCONT)).start()
    started = time.monotonic()
    with connection.cursor() as cursor:  # the worker, a page: not cut, however long the server takes
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert time.monotonic() - started >= DEADLINE_S * 1.5 - 0.05


def test_the_deadline_must_be_above_the_server_side_timeouts():
    env = {
        **os.environ,
        "CLEARLINE_WEBHOOK_DEADLINE_MS": "400",
        "CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS": "500",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import clearline.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "CLEARLINE_WEBHOOK_DEADLINE_MS=400 must be above" in result.stderr


@pytest.mark.postgresql
@pytest.mark.django_db
def test_time_spent_with_the_deadline_paused_does_not_count():
    """REST requests to Twilio have their own timeout: the deadline does not cut the database under them."""
    with faults.webhook_deadline() as deadline:
        assert deadline is not None
        with faults.deadline_paused():
            time.sleep(DEADLINE_S + 0.2)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert not deadline.cut and 0 < deadline.time_left() <= DEADLINE_S
    assert not faults.in_doubt()
