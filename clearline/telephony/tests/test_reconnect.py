"""A webhook on a kept PostgreSQL connection needs no ping first (``faults.run_reconnecting``): its first
statement is the health check, and a connection found dead there (the server restarted) is replaced and the
webhook's work runs again, so the first call after a restart is answered. A live connection that fails (a held
lock) is never retried."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import close_old_connections, connection

from clearline.providers.models import Provider
from clearline.telephony.models import Call
from clearline.telephony.tests.test_db_faults import (  # noqa: F401 (fixtures)
    BUDGET_S,
    hold_for,
    is_fallback,
    kept_connections,
    second_connection,
    timed_voice_call,
)
from clearline.telephony.tests.test_webhooks import Twilio, parse, twilio_on  # noqa: F401

# Production keeps connections between requests (kept_connections); these tests are about those.
pytestmark = [pytest.mark.postgresql, pytest.mark.usefixtures("kept_connections")]

RECONNECTED = "reconnecting once"


def restart_server_side() -> None:
    """What a database restart does to a kept connection: its server process is gone."""
    pid = connection.connection.info.backend_pid
    with second_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def reconnections(caplog) -> int:
    return sum(RECONNECTED in r.getMessage() for r in caplog.records)


def test_a_webhook_on_a_kept_connection_sends_no_ping(client, helpline, providers):
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])
    close_old_connections()  # what every request starts with in production (Django's test client skips it)
    with mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as ping:
        assert not is_fallback(timed_voice_call(client, "CA" + "2" * 32)[0])
    assert ping.call_count == 0


def test_the_first_call_after_a_restart_is_answered_on_a_new_connection(client, helpline, providers, caplog):
    caplog.set_level(logging.WARNING, logger="clearline.telephony.faults")
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])
    restart_server_side()
    close_old_connections()
    response, _elapsed = timed_voice_call(client, "CA" + "3" * 32)
    assert not is_fallback(response)
    assert Call.objects.filter(call_sid="CA" + "3" * 32).count() == 1
    assert reconnections(caplog) == 1


def test_a_menu_press_after_a_restart_is_answered(client, helpline, providers, caplog):
    caplog.set_level(logging.WARNING, logger="clearline.telephony.faults")
    twilio = Twilio(client, call_sid="CA" + "4" * 32)
    menu = parse(twilio.post("/telephony/twilio/voice")).find("Gather").get("action")
    restart_server_side()
    close_old_connections()
    response = twilio.post(menu, Digits="")
    assert not is_fallback(response) and parse(response).find(".//Dial") is not None
    assert reconnections(caplog) == 1


def test_a_held_lock_on_a_live_connection_is_not_retried(client, helpline, providers, caplog):
    caplog.set_level(logging.WARNING, logger="clearline.telephony.faults")
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])
    close_old_connections()
    hold_for(3, f"LOCK TABLE {Provider._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    response, elapsed = timed_voice_call(client, "CA" + "5" * 32)
    assert is_fallback(response)
    assert elapsed < BUDGET_S, elapsed
    assert reconnections(caplog) == 0


def test_a_webhook_stores_the_call_with_lz4_where_the_server_has_it(client, helpline, providers):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL has no lz4")
    assert not is_fallback(timed_voice_call(client, "CA" + "6" * 32)[0])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pg_column_compression(plan), pg_column_compression(trace) FROM {Call._meta.db_table}"  # noqa: S608
        )
        assert cursor.fetchone() == ("lz4", "lz4")
    client.get("/")  # a page request puts the server's default back
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting = reset_val FROM pg_settings WHERE name = 'default_toast_compression'")
        assert cursor.fetchone()[0]
