"""Webhooks when the database misbehaves (issue 11, "Faults"): every webhook answers valid TwiML within 1 s, the
fallback is counted and reported to operators, and nothing cached outlives a rolled-back transaction.

The held-lock, stuck-statement and restart tests need PostgreSQL (its statement and lock timeouts, a second
server connection); ``make test`` runs them in its PostgreSQL pass.
"""

from __future__ import annotations

import fcntl
import threading
import time
from unittest import mock

import psycopg
import pytest
from django.core import mail
from django.core.cache import cache
from django.db import OperationalError, close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearline.content.models import DisclosureVersion
from clearline.providers.models import Provider
from clearline.telephony import fallback_alerts, roster, services
from clearline.telephony.models import Call
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.tests.test_webhooks import Twilio, dialled, parse, twilio_on  # noqa: F401
from clearline.telephony.twilio.tests.twiml_helpers import verbs

FREE_HELPLINE = "+18006624357"
BUDGET_S = 1.0


@pytest.fixture(autouse=True)
def _fresh_alert_window(settings, tmp_path):
    # The alert's stamp and the journal (voice fallbacks are kept there) in a folder of the test's own.
    settings.CLEARLINE_EVENT_JOURNAL_DIR = tmp_path / "journal"
    cache.delete_many([fallback_alerts.FALLBACK_ALERT_KEY, fallback_alerts.FALLBACK_COUNT_KEY])
    yield
    cache.delete_many([fallback_alerts.FALLBACK_ALERT_KEY, fallback_alerts.FALLBACK_COUNT_KEY])


def is_fallback(response) -> bool:
    root = parse(response)
    spoken = " ".join(say.text or "" for say in root.iter("Say"))
    gather = root.find("Gather")
    return (
        root.find(".//Dial") is not None
        and dialled(root) == [FREE_HELPLINE]
        and "press 9" in spoken
        and gather is not None
        and "fallback-crisis" in gather.get("action", "")
    )


def timed_voice_call(client, sid: str):
    started = time.monotonic()
    response = Twilio(client, call_sid=sid).post("/telephony/twilio/voice")
    return response, time.monotonic() - started


def wait_for_alerts() -> None:
    for thread in threading.enumerate():
        if thread.name == "clearline-fallback-alert":
            thread.join(5)


# --- counting and alerting (any database) -------------------------------------------------------------------


@pytest.mark.django_db
def test_each_fallback_is_counted_logged_and_mailed_once_per_window(
    client, helpline, providers, settings, monkeypatch, caplog
):
    settings.CLEARLINE_OPERATOR_EMAILS = ["ops@example.org"]
    settings.CLEARLINE_FALLBACK_ALERT_MINUTES = 15

    def broken(**_kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services, "start_call", broken)
    before = fallback_alerts.fallbacks_in_this_process()
    for n in range(3):
        assert is_fallback(Twilio(client, call_sid=f"CA{n:032d}").post("/telephony/twilio/voice"))
    wait_for_alerts()

    assert fallback_alerts.fallbacks_in_this_process() == before + 3
    assert cache.get(fallback_alerts.FALLBACK_COUNT_KEY) == 3
    errors = [r for r in caplog.records if r.levelname == "ERROR" and "fallback" in r.getMessage()]
    assert len(errors) == 3
    assert len(mail.outbox) == 1
    (alert,) = mail.outbox
    assert alert.to == ["ops@example.org"] and "fallback" in alert.subject
    assert CALLER not in alert.body and CALLER[2:] not in alert.body
    assert all(CALLER not in r.getMessage() for r in caplog.records)

    # The window over, the next fallback reports again.
    fallback_alerts.alert_stamp().write_text(f"{time.time() - 15 * 60 - 1}\n")
    assert is_fallback(Twilio(client, call_sid="CA" + "9" * 32).post("/telephony/twilio/voice"))
    wait_for_alerts()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_alert_limit_holds_across_web_processes(client, helpline, providers, settings, monkeypatch):
    settings.CLEARLINE_OPERATOR_EMAILS = ["ops@example.org"]

    def broken(**_kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services, "start_call", broken)
    for n in range(3):
        cache.clear()  # each fallback as if answered by another web process (the cache is per process)
        assert is_fallback(Twilio(client, call_sid=f"CA{n:032d}").post("/telephony/twilio/voice"))
    wait_for_alerts()
    assert len(mail.outbox) == 1


def test_deciding_on_an_alert_never_waits_for_another_process(settings):
    settings.CLEARLINE_FALLBACK_ALERT_MINUTES = 15
    now = time.time()
    assert fallback_alerts.alert_due(now)
    assert not fallback_alerts.alert_due(now + 60)
    with open(fallback_alerts.alert_stamp(), "rb") as other:  # another process deciding right now
        fcntl.flock(other, fcntl.LOCK_EX)
        started = time.monotonic()
        assert not fallback_alerts.alert_due(now + 16 * 60)
        assert time.monotonic() - started < 0.05
    assert fallback_alerts.alert_due(now + 16 * 60)  # the window over


@pytest.mark.django_db
def test_a_hung_mail_server_never_holds_up_the_callers_answer(
    client, helpline, providers, settings, monkeypatch
):
    settings.CLEARLINE_OPERATOR_EMAILS = ["ops@example.org"]
    released = threading.Event()

    def hung_mail(*_args, **_kwargs):
        released.wait(10)

    def broken(**_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(fallback_alerts, "send_mail", hung_mail)
    monkeypatch.setattr(services, "start_call", broken)
    try:
        response, elapsed = timed_voice_call(client, "CA" + "2" * 32)
        assert is_fallback(response)
        assert elapsed < BUDGET_S
    finally:
        released.set()
        wait_for_alerts()


def database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server")


@pytest.mark.django_db
def test_the_hold_loop_answers_leave_while_the_database_fails_and_the_queue_action_the_fallback(
    client, helpline, providers, settings
):
    """The <Enqueue waitUrl> may not <Dial>: Twilio allows Play, Say, Pause, Hangup, Redirect, Leave, Gather."""
    settings.CLEARLINE_OPERATOR_EMAILS = ["ops@example.org"]
    twilio = Twilio(client, call_sid="CA" + "7" * 32)
    query = f"?call={twilio.call_sid}&step=1"
    before = fallback_alerts.fallbacks_in_this_process()
    with connection.execute_wrapper(database_down):
        hold = twilio.post(f"/telephony/twilio/wave-hold{query}", QueueSid="QU" + "1" * 32, QueueTime="4")
        root = parse(hold)
        assert verbs(root) == ["Leave"]
        assert root.find(".//Dial") is None
        assert fallback_alerts.fallbacks_in_this_process() == before + 1
        # Twilio then posts the <Enqueue action>, a webhook where the fallback may go: the caller gets it.
        left = twilio.post(
            f"/telephony/twilio/wave-left{query}", QueueResult="leave", QueueSid="QU" + "1" * 32
        )
        assert is_fallback(left)
        assert fallback_alerts.fallbacks_in_this_process() == before + 2
    wait_for_alerts()
    (alert,) = mail.outbox  # one e-mail for the window, about the first failure: the hold loop's
    assert "wave-hold" in alert.body and "taken out of the wave's queue" in alert.body
    assert "the caller got the fallback" not in alert.body


@pytest.mark.django_db
def test_a_provider_legs_failure_is_counted_but_not_worded_as_the_callers_fallback(
    client, helpline, providers, settings
):
    settings.CLEARLINE_OPERATOR_EMAILS = ["ops@example.org"]
    leg = Twilio(client, call_sid="CA" + "2" * 32, caller=HELPLINE)
    with connection.execute_wrapper(database_down):
        assert verbs(parse(leg.post("/telephony/twilio/whisper?attempt=1"))) == ["Hangup"]
        # A caller's fallback in the same window: counted, no second e-mail.
        assert is_fallback(Twilio(client, call_sid="CA" + "3" * 32).post("/telephony/twilio/voice"))
    wait_for_alerts()
    assert cache.get(fallback_alerts.FALLBACK_COUNT_KEY) == 2
    (alert,) = mail.outbox
    assert "callers are getting the fallback" not in alert.subject
    assert "/telephony/twilio/whisper" in alert.body and "OperationalError" in alert.body
    assert "provider's leg" in alert.body and "that provider's leg was hung up" in alert.body
    assert "The caller did not get the fallback" in alert.body
    assert "the caller got the fallback" not in alert.body
    assert "Failed webhooks so far in the web process that sent this: 1, of any kind" in alert.body


def test_the_alert_says_what_the_first_failure_was_and_counts_every_kind(settings):
    settings.CLEARLINE_FALLBACK_ALERT_MINUTES = 15
    path = "/telephony/twilio/voice"
    subject, body = fallback_alerts.alert_text(
        path, "OperationalError", 3, fallback_alerts.ErrorAnswer.FALLBACK
    )
    assert subject == "Clearline: callers are getting the fallback"
    assert body.startswith(
        f"A Twilio webhook ({path}) failed with OperationalError and the caller got the fallback"
    )
    assert "so far in the web process that sent this: 3, of any kind" in body
    assert "this e-mail describes the first" in body and "every 15 minutes" in body
    for kind in (fallback_alerts.ErrorAnswer.HANG_UP_LEG, fallback_alerts.ErrorAnswer.LEAVE_QUEUE):
        subject, body = fallback_alerts.alert_text(path, "OperationalError", 3, kind)
        assert "fallback" not in subject and "the caller got the fallback" not in body
        assert "so far in the web process that sent this: 3, of any kind" in body


# --- the roster cache and rolled-back transactions (any database) -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_disclosure_stored_in_a_rolled_back_transaction_is_not_used_by_the_next_call(helpline, providers):
    DisclosureVersion.objects.all().delete()  # the roster's version is still to be stored
    roster.forget()
    roster.current(timezone.now())  # the roster is cached before the simulator's transaction

    class RolledBack(Exception):
        pass

    # What the call simulator does: a whole call, then roll everything back.
    with pytest.raises(RolledBack), transaction.atomic():
        services.start_call(call_sid="CA" + "5" * 32, to_number=HELPLINE, caller_number=CALLER)
        assert DisclosureVersion.objects.exists()
        raise RolledBack
    assert not DisclosureVersion.objects.exists()

    started = services.start_call(call_sid="CA" + "6" * 32, to_number=HELPLINE, caller_number=CALLER)
    call = Call.objects.get(pk=started.call.pk)
    assert DisclosureVersion.objects.filter(pk=call.disclosure_version_id).exists()
    # Seen outside any transaction, the version is trusted again: later calls do not read it.
    inputs, _counts = roster.current(timezone.now())
    inputs.disclosure()
    with CaptureQueriesContext(connection) as queries:
        assert inputs.disclosure().pk == call.disclosure_version_id
    assert not queries.captured_queries


# --- PostgreSQL: locks, stuck statements, restarts ----------------------------------------------------------


def second_connection() -> psycopg.Connection:
    return psycopg.connect(**connection.get_connection_params())


def hold_for(seconds: float, statement: str) -> threading.Event:
    """Run ``statement`` on another connection inside a transaction kept open ``seconds`` (never forever, so
    the code before the timeouts answers late rather than hanging the suite). Returns once it is held."""
    held = threading.Event()

    def run() -> None:
        with second_connection() as other, other.transaction():
            other.execute(statement)
            held.set()
            time.sleep(seconds)

    threading.Thread(target=run, daemon=True).start()
    assert held.wait(5)
    return held


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_held_lock_gets_the_fallback_within_a_second(client, helpline, providers):
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])  # warm: roster and disclosure cached
    hold_for(3, f"LOCK TABLE {Provider._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    response, elapsed = timed_voice_call(client, "CA" + "3" * 32)
    assert is_fallback(response)
    assert elapsed < BUDGET_S, elapsed


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_locked_provider_rows_get_the_fallback_within_a_second(client, helpline, providers):
    twilio = Twilio(client, call_sid="CA" + "4" * 32)
    menu = parse(twilio.post("/telephony/twilio/voice")).find("Gather").get("action")
    # Ringing the first wave reserves the providers' lines under their rows' lock (reserve_lines).
    hold_for(3, f"SELECT id FROM {Provider._meta.db_table} FOR UPDATE")  # noqa: S608
    started = time.monotonic()
    response = twilio.post(menu, Digits="")
    elapsed = time.monotonic() - started
    assert is_fallback(response)
    assert elapsed < BUDGET_S, elapsed


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_stuck_statement_gets_the_fallback_within_a_second(client, helpline, providers):
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])
    stuck = []

    def hang_first_query(execute, sql, params, many, context):
        if not stuck and "set_config" not in sql:
            stuck.append(sql)
            execute("SELECT pg_sleep(3)", None, False, context)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(hang_first_query):
        response, elapsed = timed_voice_call(client, "CA" + "8" * 32)
    assert stuck
    assert is_fallback(response)
    assert elapsed < BUDGET_S, elapsed


@pytest.fixture
def kept_connections(transactional_db, monkeypatch):
    """Production keeps connections between requests (``DATABASE_CONN_MAX_AGE``); closed again after the test,
    so its teardown runs on a connection without the webhook timeouts."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    yield
    connection.close()


@pytest.mark.postgresql
def test_the_first_call_after_a_database_restart_is_answered(client, kept_connections, helpline, providers):
    # A restart kills the kept connections server-side.
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])
    pid = connection.connection.info.backend_pid
    with second_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    close_old_connections()  # what every request starts with in production (Django's test client skips it)
    response, _elapsed = timed_voice_call(client, "CA" + "3" * 32)
    assert not is_fallback(response)
    assert Call.objects.filter(call_sid="CA" + "3" * 32).exists()


@pytest.mark.postgresql
def test_page_requests_do_not_keep_the_webhook_timeouts(client, kept_connections, helpline, providers):
    timed_voice_call(client, "CA" + "1" * 32)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "500ms"
    client.get("/")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.postgresql
def test_a_server_refusing_connections_gets_the_fallback_at_once(
    client, kept_connections, helpline, providers
):
    assert not is_fallback(timed_voice_call(client, "CA" + "1" * 32)[0])
    connection.close()
    with mock.patch.dict(connection.settings_dict, {"HOST": "/nonexistent-socket-dir", "PORT": "5432"}):
        response, elapsed = timed_voice_call(client, "CA" + "3" * 32)
        connection.close()
    assert is_fallback(response)
    assert elapsed < BUDGET_S, elapsed
