"""The demo's calls (``clearline.demo.calls``): made through the real call flow at moments in the past, then the
worker's jobs; a short period here (the month takes seconds), and once only."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.db.models import F

from clearline.demo.callers import STAFF, Staff
from clearline.demo.calls import DEMO_SID_PREFIX, load_demo_calls
from clearline.providers.models import Provider
from clearline.reports import routing_log
from clearline.reports.figures import day_start, monthly_figures
from clearline.reports.models import DailyTotals
from clearline.reports.transparency import published_month
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus, CallOutcome

WITH_SAMHSA_DIRECTORY = False  # the demo site without the real directory's 12,000 listings
NOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
SINCE = day_start(dt.date(2026, 11, 30))  # two days and a half, across the end of a month


def test_without_the_demo_site_it_makes_nothing_and_says_why(db):
    # First in the module: it needs a database without the demo (see _demo_loaded_for_the_module).
    result = load_demo_calls(now=NOW, since=NOW - dt.timedelta(days=1))
    assert result.created == 0 and "run load_demo_data first" in result.summary()
    assert not Call.objects.exists()


# Staff who answer less often than the demo's, so that two days have callbacks to return, move on or lose.
SLOW_STAFF = {slug: Staff(0.45, 9, 0.05, 0.05, 0.6, 0.2) for slug in STAFF}


def test_two_days_and_a_half_of_calls_through_the_flow_then_the_workers_jobs(demo):
    # One test for the three checks: making the calls is most of the time (seconds), so it is done once.
    made = load_demo_calls(now=NOW, since=SINCE, calls_per_day=60, staff=SLOW_STAFF)
    calls_go_through_the_flow_at_their_moments_and_all_end(made)
    callbacks_are_assigned_returned_or_moved_on(made)
    the_worker_jobs_ran_at_now(made)


def calls_go_through_the_flow_at_their_moments_and_all_end(made):
    calls = Call.objects.filter(call_sid__startswith=DEMO_SID_PREFIX)
    assert made.created == calls.count() > 80
    assert made.first_day == dt.date(2026, 11, 30) and made.last_day == dt.date(2026, 12, 2)
    starts = sorted(calls.values_list("started_at", flat=True))
    assert SINCE <= starts[0] < SINCE + dt.timedelta(hours=6)
    assert starts[-1] < NOW - dt.timedelta(hours=1)  # nothing starts in the last hour ...
    assert not calls.filter(ended_at__isnull=True).exists()  # ... so every call has ended by now
    assert not calls.filter(outcome=CallOutcome.PENDING).exists()
    assert all(c.routing_started_at == c.started_at for c in calls)
    outcomes = set(calls.values_list("outcome", flat=True))
    assert {CallOutcome.CONNECTED, CallOutcome.TRANSFERRED_FREE} <= outcomes
    assert outcomes & {CallOutcome.LISTING_CONNECTED, CallOutcome.LISTING_UNANSWERED}  # the listing number
    # Each call was planned by the engine (a stored plan and trace) and its rings are real attempts.
    assert not calls.filter(plan={}).exists()
    connected = calls.filter(outcome=CallOutcome.CONNECTED).first()
    assert connected is not None and connected.attempts.filter(status="accepted").count() == 1
    assert connected.answered_at is not None and connected.started_at < connected.answered_at < NOW


def callbacks_are_assigned_returned_or_moved_on(made):
    callbacks = CallbackRequest.objects.filter(call__call_sid__startswith=DEMO_SID_PREFIX)
    assert made.callbacks == callbacks.count() > 0
    assert callbacks.filter(status=CallbackStatus.RETURNED).exists()
    assert (
        callbacks.filter(closed_at__gt=F("due_at")).exists() or callbacks.filter(reassignments__gt=0).exists()
    )
    for callback in callbacks.exclude(status=CallbackStatus.OPEN):
        assert callback.call.started_at <= callback.created_at <= callback.closed_at <= NOW


def the_worker_jobs_ran_at_now(made):
    # Every finished call is checked against its claims (a call whose callback is still open is not finished).
    still_open = CallbackRequest.objects.filter(status=CallbackStatus.OPEN).count()
    assert made.checks["checked"] == made.created - still_open
    assert made.chained == made.created
    assert made.sealed == (dt.date(2026, 11, 1),)  # November is over: sealed, and it verifies
    assert routing_log.verify_month(dt.date(2026, 11, 1), now=NOW).problem is None
    totals = DailyTotals.objects.get(date=dt.date(2026, 11, 30))
    assert totals.complete and totals.offered > 0
    figures = [monthly_figures(p.pk, 2026, 11, now=NOW) for p in Provider.objects.all()]
    assert sum(f.provider.answered for f in figures) > 0


def test_a_whole_month_is_published_final_and_its_routing_log_verifies(demo, capsys):
    # What `make run` shows: from the first of last month (the default), at a few calls a day to stay quick.
    made = load_demo_calls(now=NOW, calls_per_day=3)
    assert made.first_day == dt.date(2026, 11, 1) and made.sealed == (dt.date(2026, 11, 1),)
    month = published_month(2026, 11, now=NOW)
    assert month.final and month.has_calls  # not "not final yet"
    assert (
        DailyTotals.objects.filter(date__gte=dt.date(2026, 11, 1), date__lte=dt.date(2026, 11, 30)).count()
        == 30
    )
    call_command("routing_log_verify", "--month", "2026-11")
    assert "matches" in capsys.readouterr().out


def test_it_runs_once(demo):
    first = load_demo_calls(now=NOW, since=NOW - dt.timedelta(days=1), calls_per_day=30)
    calls = Call.objects.count()
    assert first.created > 0
    again = load_demo_calls(now=NOW + dt.timedelta(days=1), since=NOW - dt.timedelta(days=1))
    assert again.created == 0 and "already there" in again.summary()
    assert Call.objects.count() == calls
    call_command("load_demo_data", verbosity=0)  # with its calls: still nothing new
    assert Call.objects.count() == calls


def test_the_command_makes_a_short_period(demo, capsys):
    call_command("load_demo_calls", "--days", "0.5")
    out = capsys.readouterr().out
    assert "Demo calls:" in out and "claims checked" in out
    assert Call.objects.filter(call_sid__startswith=DEMO_SID_PREFIX).exists()
