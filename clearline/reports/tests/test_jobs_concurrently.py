"""Every periodic job, run twice at the same moment by two workers, has its effect exactly once (PostgreSQL).

Each job in ``settings.CLEARLINE_PERIODIC_TASKS`` is set up with one piece of work, then run from two threads at
once, each with its own database connection (as two ``clearline worker`` processes would), released together by
a barrier. The scheduler already enqueues a periodic job once per interval across workers; this covers the case
where two runs still overlap (a slow run and the next one, a job also enqueued by hand or by a signal).

SQLite serialises every write transaction, so nothing can race there; ``make test`` runs the suite a second time on
a throw-away PostgreSQL (or: ``tools/with_postgres.py -- .venv/bin/pytest clearline/reports``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import DisclosureVersion, Helpline
from clearline.lib.audit import verify_chain
from clearline.lib.models import AuditEntry
from clearline.lib.scheduler import claim_due_job
from clearline.providers.models import Provider
from clearline.reports.figures import local_today, operator_zone
from clearline.reports.models import DailyProviderFigures, DailyTotals, RoutingLogEntry
from clearline.reports.routing_log import verify_month
from clearline.reports.tests.conftest import make_call
from clearline.telephony.models import CallbackRequest, LineSlot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,
]


def twice_at_once(func: Callable[[], Any]) -> list[Any]:
    """Run func in two threads released together; each thread uses and then closes its own connection."""
    barrier = threading.Barrier(2)

    def run(_: int) -> Any:
        try:
            barrier.wait(timeout=10)
            return func()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, range(2)))


def run_job(path: str) -> list[Any]:
    task = import_string(path)
    return twice_at_once(task.call)


@pytest.fixture
def helpline(db) -> Helpline:
    return Helpline.objects.create(label="Heroin Detox", intent="detox", number="+12065550101")


@pytest.fixture
def reachable(providers) -> list[Provider]:
    for n, provider in enumerate(providers):
        provider.phone = f"+1206555013{n + 1}"
        provider.notify_email = f"intake{n + 1}@example.org"
        provider.save()
    return providers


def test_every_periodic_job_is_covered():
    covered = {
        "clearline.content.tasks.refresh_disclosure_version",
        "clearline.telephony.tasks.enforce_callback_deadlines",
        "clearline.telephony.tasks.reap_line_slots",
        "clearline.telephony.tasks.purge_callback_numbers",
        "clearline.telephony.tasks.check_finished_calls",
        "clearline.telephony.tasks.replay_event_journal",
        "clearline.providers.tasks.check_documents",
        "clearline.reports.tasks.compute_daily_figures",
        "clearline.reports.tasks.purge_call_details",
        "clearline.reports.tasks.append_routing_log",
    }
    assert {path for path, _interval in django_settings.CLEARLINE_PERIODIC_TASKS} == covered


def test_refresh_disclosure_version(reachable):
    ensure_current_disclosure()
    before = DisclosureVersion.objects.count()
    # The roster changes without a signal (as when a contract starts at midnight).
    Provider.objects.filter(pk=reachable[0].pk).update(active=False)
    numbers = run_job("clearline.content.tasks.refresh_disclosure_version")
    assert DisclosureVersion.objects.count() == before + 1
    assert numbers[0] == numbers[1] == DisclosureVersion.objects.order_by("-number").first().number
    assert verify_chain().first_broken_id is None


def test_enforce_callback_deadlines(reachable, helpline):
    alder = reachable[0]
    mail.outbox.clear()
    now = timezone.now()
    call = make_call(now - dt.timedelta(hours=1), [(alder, "no-answer", None)], helpline=helpline)
    # The caller agreed that any of the three may call back (a request without consent is never reassigned).
    callback = CallbackRequest.objects.create(
        call=call,
        provider=alder,
        encrypted_number="token",
        due_at=now - dt.timedelta(minutes=5),
        consent={"provider_ids": [str(p.pk) for p in reachable], "minutes": 15, "open_hours": 48},
        assignees=[str(alder.pk)],
    )
    results = run_job("clearline.telephony.tasks.enforce_callback_deadlines")
    callback.refresh_from_db()
    assert sorted(results) == [0, 1]
    assert callback.reassignments == 1 and callback.provider_id != alder.pk
    assert callback.due_at > now
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [callback.provider.notify_email]


def test_reap_line_slots(reachable):
    alder = reachable[0]
    now = timezone.now()
    call = make_call(now - dt.timedelta(minutes=3), [(alder, "accepted", 4)])
    type(call).objects.filter(pk=call.pk).update(ended_at=now - dt.timedelta(minutes=1))
    slot = LineSlot.objects.create(provider=alder, call=call)
    results = run_job("clearline.telephony.tasks.reap_line_slots")
    assert sum(results) == 1
    released = LineSlot.objects.get(pk=slot.pk).released_at
    assert released is not None
    run_job("clearline.telephony.tasks.reap_line_slots")
    assert LineSlot.objects.get(pk=slot.pk).released_at == released  # released exactly once


def test_purge_callback_numbers(reachable):
    alder = reachable[0]
    now = timezone.now()
    call = make_call(now - dt.timedelta(days=5), [(alder, "no-answer", None)])
    callback = CallbackRequest.objects.create(
        call=call, provider=alder, encrypted_number="token", due_at=now - dt.timedelta(days=5)
    )
    CallbackRequest.objects.filter(pk=callback.pk).update(
        status="returned", outcome="reached", closed_at=now - dt.timedelta(days=4)
    )
    results = run_job("clearline.telephony.tasks.purge_callback_numbers")
    assert sum(results) == 1
    assert CallbackRequest.objects.get(pk=callback.pk).encrypted_number == ""


def test_check_finished_calls(reachable, helpline):
    from clearline.routing import Dial, DialTarget, Plan
    from clearline.routing.claims import AnsweredBy, ProviderScope
    from clearline.telephony.plan_codec import encode_plan

    alder, birch, _ = reachable
    now = timezone.now()
    named = AnsweredBy((ProviderScope(str(alder.pk), alder.name, "America/New_York", always_open=True),))
    version = DisclosureVersion.objects.create(
        number=900,
        template_version="t",
        roster=[],
        content_hash="h",
        text_en="",
        text_es="",
        spoken_en="",
        spoken_es="",
        claims={"numbers": {str(helpline.pk): [named.as_dict()]}, "listing": []},
    )
    kept = make_call(now - dt.timedelta(minutes=30), [(alder, "accepted", 4)], helpline=helpline)
    broken = make_call(now - dt.timedelta(minutes=20), [(birch, "accepted", 4)], helpline=helpline)
    # The greeting named Alder and the first wave rang it; Birch, in the same wave, was never named anywhere.
    wave = Dial(0, 1, (DialTarget(str(alder.pk), alder.name),), 13, True, True, "")
    plan = encode_plan(Plan("x", "helpline", (wave,), 40, "1"))
    type(kept).objects.filter(pk__in=[kept.pk, broken.pk]).update(
        disclosure_version=version, plan=plan, ended_at=now - dt.timedelta(minutes=10)
    )
    results = run_job("clearline.telephony.tasks.check_finished_calls")
    assert sorted(r["checked"] for r in results) in ([0, 2], [1, 1])
    assert sum(r["contradicted"] for r in results) == 1  # each call checked, and counted, once
    kept.refresh_from_db()
    broken.refresh_from_db()
    assert kept.claims_checked_at is not None and kept.claim_violations == []
    assert [v["kind"] for v in broken.claim_violations] == ["answered_by", "will_ring"]


def test_replay_event_journal(reachable, settings, tmp_path):
    from clearline.telephony import journal

    settings.CLEARLINE_EVENT_JOURNAL_DIR = tmp_path / "journal"
    alder = reachable[0]
    now = timezone.now()
    call = make_call(now - dt.timedelta(minutes=3), [(alder, "ringing", None)])
    slot = LineSlot.objects.create(provider=alder, call=call)
    received = now - dt.timedelta(minutes=1)
    journal.keep(
        journal.status_event(
            call_sid=call.call_sid, status="completed", attempt=None, duration="60", received_at=received
        )
    )
    results = run_job("clearline.telephony.tasks.replay_event_journal")
    assert sorted(results) == [0, 1]  # the event applied once, by one of the two
    call.refresh_from_db()
    assert call.status == "completed" and call.ended_at == received and call.duration_s == 60
    assert LineSlot.objects.get(pk=slot.pk).released_at == received


def test_check_documents(reachable, settings):
    settings.CLEARLINE_OPERATOR_EMAILS = ["ops@example.org"]
    mail.outbox.clear()
    alder = reachable[0]
    Provider.objects.filter(pk=alder.pk).update(
        license_expires_on=timezone.localdate() + dt.timedelta(days=5)
    )
    results = run_job("clearline.providers.tasks.check_documents")
    assert sorted(r["warned"] for r in results) == [0, 1]
    entries = AuditEntry.objects.filter(action="providers.provider.license_expiring", target_id=str(alder.pk))
    assert entries.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ops@example.org"]
    assert verify_chain().first_broken_id is None


def test_compute_daily_figures(reachable):
    alder, birch, _ = reachable
    now = timezone.now()
    make_call(now - dt.timedelta(minutes=10), [(alder, "no-answer", None), (birch, "accepted", 6)])
    make_call(now - dt.timedelta(days=1), [(alder, "accepted", 3)])
    run_job("clearline.reports.tasks.compute_daily_figures")
    today = local_today()
    assert DailyTotals.objects.filter(date__in=[today, today - dt.timedelta(days=1)]).count() == 2
    assert DailyTotals.objects.count() == 2
    first = sorted(DailyProviderFigures.objects.values_list("provider_id", "date", "offered", "answered"))
    assert sum(row[2] for row in first) == 3  # alder twice, birch once
    assert len(first) == len({(row[0], row[1]) for row in first})
    run_job("clearline.reports.tasks.compute_daily_figures")
    again = sorted(DailyProviderFigures.objects.values_list("provider_id", "date", "offered", "answered"))
    assert again == first


def test_purge_call_details(reachable, settings):
    settings.CLEARLINE_CALL_DETAIL_RETENTION_DAYS = 90
    alder = reachable[0]
    now = timezone.now()
    old = make_call(now - dt.timedelta(days=120), [(alder, "accepted", 5)])
    recent = make_call(now - dt.timedelta(days=10), [(alder, "accepted", 5)])
    results = run_job("clearline.reports.tasks.purge_call_details")
    assert sum(results) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.plan, old.caller_hmac, old.caller_state) == ({}, "", "")
    assert old.trace  # kept for the routing log, CLEARLINE_TRACE_RETENTION_DAYS
    assert recent.caller_hmac
    day = timezone.localtime(old.started_at, operator_zone()).date()
    assert DailyTotals.objects.filter(date=day, complete=True).count() == 1


def test_append_routing_log(reachable):
    """Two workers appending at once make one chain: each call once, sequence numbers without gaps."""
    alder = reachable[0]
    now = timezone.now()
    calls = [make_call(now - dt.timedelta(minutes=30 - n), [(alder, "accepted", 5)]) for n in range(6)]
    for call in calls:
        type(call).objects.filter(pk=call.pk).update(ended_at=now - dt.timedelta(minutes=10))
    results = run_job("clearline.reports.tasks.append_routing_log")
    assert sorted(r["appended"] for r in results) == [0, 6]
    entries = list(RoutingLogEntry.objects.order_by("sequence").values_list("sequence", "call_pk"))
    assert entries == [(n + 1, call.pk) for n, call in enumerate(calls)]
    month = timezone.localtime(now, operator_zone()).date().replace(day=1)
    assert verify_month(month).ok


def test_the_scheduler_claims_each_due_run_once(db):
    now = timezone.now()
    results = twice_at_once(lambda: claim_due_job("clearline.reports.tasks.compute_daily_figures", 900, now))
    assert sorted(results) == [False, True]


def test_two_jobs_writing_the_audit_log_at_once_keep_its_chain(reachable, settings):
    """Different jobs append to the one hash chain (a lapsed license and a new disclosure version, say)."""
    from clearline.lib.audit import log_action

    ensure_current_disclosure()
    for _round in range(5):
        twice_at_once(lambda: log_action("reports.test.concurrent_append", data={"n": 1}))
    report = verify_chain()
    assert report.first_broken_id is None, report
