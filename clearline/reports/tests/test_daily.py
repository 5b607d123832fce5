"""Daily figures stored by the worker, and the call-detail purge that only follows them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from clearline.reports.daily import compute_daily_figures, days_to_compute, purge_old_call_details
from clearline.reports.figures import monthly_figures
from clearline.reports.models import DailyProviderFigures, DailyTotals
from clearline.reports.tests.conftest import make_call, make_callback
from clearline.telephony.models import Attempt, Call

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def t(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def rows() -> list[tuple]:
    return sorted(
        DailyProviderFigures.objects.values_list(
            "provider_id",
            "date",
            "offered",
            "answered",
            "answer_seconds",
            "callbacks_open",
            "helpline_connected",
        )
    )


def test_default_run_stores_yesterday_and_today_and_is_idempotent(providers):
    alder, birch, _ = providers
    make_call(t(19, 15), [(alder, "no-answer", None), (birch, "accepted", 7)])
    make_call(t(20, 15), [(alder, "accepted", 3)])
    now = t(20, 18)
    assert compute_daily_figures(now=now) == [dt.date(2026, 11, 19), dt.date(2026, 11, 20)]
    first = rows()
    assert first == [
        (alder.pk, dt.date(2026, 11, 19), 1, 0, [], 0, 0),
        (alder.pk, dt.date(2026, 11, 20), 1, 1, [3], 0, 1),
        (birch.pk, dt.date(2026, 11, 19), 1, 1, [7], 0, 1),
    ]
    compute_daily_figures(now=now + dt.timedelta(minutes=1))
    assert rows() == first
    assert DailyTotals.objects.get(date=dt.date(2026, 11, 19)).complete
    assert not DailyTotals.objects.get(date=dt.date(2026, 11, 20)).complete


def test_monthly_figures_read_final_days_from_the_stored_rows(providers):
    alder = providers[0]
    make_call(t(10, 15), [(alder, "accepted", 4)])
    make_call(t(20, 15), [(alder, "accepted", 6)])
    now = t(20, 18)
    live = monthly_figures(alder.pk, 2026, 11, now=now)
    compute_daily_figures(dt.date(2026, 11, 10), now=now)
    assert monthly_figures(alder.pk, 2026, 11, now=now) == live
    # Once a day is final, its stored row is what counts (the records below could be purged or edited).
    Attempt.objects.filter(call__started_at__lt=t(11, 0)).delete()
    assert monthly_figures(alder.pk, 2026, 11, now=now) == live


def test_days_not_final_are_computed_again(providers):
    alder = providers[0]
    call = make_call(t(5, 15), [(alder, "no-answer", None)])
    callback = make_callback(call, alder, created_at=t(5, 15, 1), due_in_min=30, closed_after_min=None)
    compute_daily_figures(dt.date(2026, 11, 5), now=t(6, 12))
    assert DailyTotals.objects.get(date=dt.date(2026, 11, 5)).callbacks_open == 1
    assert dt.date(2026, 11, 5) in days_to_compute(t(20, 18))
    type(callback).objects.filter(pk=callback.pk).update(status="returned", closed_at=t(5, 16))
    compute_daily_figures(now=t(20, 18))
    totals = DailyTotals.objects.get(date=dt.date(2026, 11, 5))
    assert totals.final
    assert DailyProviderFigures.objects.get(date=dt.date(2026, 11, 5)).callbacks_late == 1
    assert dt.date(2026, 11, 5) not in days_to_compute(t(20, 18))


def test_purge_erases_details_only_past_the_retention_period_and_after_figures(providers, settings):
    settings.CLEARLINE_CALL_DETAIL_RETENTION_DAYS = 90
    alder = providers[0]
    old = make_call(t(1, 15, month=8), [(alder, "accepted", 5)], caller_zip3="981")  # 1 August
    kept = make_call(t(20, 15, month=9), [(alder, "accepted", 5)])  # 20 September
    now = t(20, 18)  # 20 November: the cutoff is 22 August
    before = monthly_figures(alder.pk, 2026, 8, now=now)
    assert not DailyTotals.objects.exists()

    assert purge_old_call_details(now) == 1
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.plan, old.caller_hmac, old.caller_state, old.caller_zip3) == ({}, "", "", "")
    assert old.trace  # kept for the routing log (CLEARLINE_TRACE_RETENTION_DAYS, test_routing_log.py)
    assert old.connected_provider_id == alder.pk and old.outcome == "connected"
    assert Attempt.objects.filter(call=old).count() == 1
    assert kept.trace and kept.caller_hmac
    # The day was computed before it was erased, and the figures are the same.
    assert DailyTotals.objects.get(date=dt.date(2026, 8, 1)).final
    assert monthly_figures(alder.pk, 2026, 8, now=now) == before
    assert purge_old_call_details(now) == 0  # safe twice


def test_purge_takes_whole_local_days(providers, settings):
    settings.CLEARLINE_CALL_DETAIL_RETENTION_DAYS = 10
    alder = providers[0]
    # 10 November 23:30 New York time is 11 November 04:30 UTC.
    late_evening = make_call(t(11, 4, 30), [(alder, "accepted", 5)])
    purge_old_call_details(t(21, 3))  # 20 November 22:00 in New York: the cutoff falls on 10 November
    late_evening.refresh_from_db()
    assert late_evening.caller_hmac  # 10 November is not wholly past the period yet
    purge_old_call_details(t(21, 6))  # 21 November 01:00 in New York
    late_evening.refresh_from_db()
    assert late_evening.caller_hmac == "" and Call.objects.filter(plan={}).count() == 1


@pytest.mark.parametrize("value", ["ninety", "3", "-1", "99999"])
def test_bad_retention_setting_fails_loudly(value):
    env = dict(os.environ, CLEARLINE_ENV="test", CLEARLINE_CALL_DETAIL_RETENTION_DAYS=value)
    result = subprocess.run(
        [sys.executable, "-c", "import clearline.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "CLEARLINE_CALL_DETAIL_RETENTION_DAYS" in result.stderr and "ImproperlyConfigured" in result.stderr
