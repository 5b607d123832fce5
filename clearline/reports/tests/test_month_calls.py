"""Call figures from the records: the rows read (``call_rows``), the worker's stored days (``daily``), the public
month (``month_calls``), the fee statement and the transparency page's new sections, in English and Spanish.

November 2026 in New York: the 1st is the day clocks fall back (01:30 happens twice); one call a second before
midnight and one at midnight; one call of each way of reaching no provider; a listing call; a reassigned callback;
one call just before and one just after the month.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from clearline.providers.models import Contract
from clearline.reports import call_figures
from clearline.reports.call_rows import Period, call_rows, callback_rows
from clearline.reports.daily import compute_daily_figures, days_to_compute
from clearline.reports.fee_statement import fee_terms
from clearline.reports.figures import operator_zone
from clearline.reports.models import DailyTotals
from clearline.reports.month_calls import month_calls
from clearline.reports.tests.conftest import make_call, make_callback
from clearline.telephony.models import Call, CallbackRequest

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
NOVEMBER = dt.date(2026, 11, 1)
HMAC = "5ec7e7" * 10 + "abcd"
EXPECTED_REASONS = {
    "crisis_line": 1,
    "free_line_chosen": 1,
    "hung_up": 1,
    "callback": 1,
    "nobody_eligible": 1,
    "no_callback": 1,
    "fallback": 1,
}


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def utc(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def ended(call: Call, outcome: str, **fields: object) -> Call:
    Call.objects.filter(pk=call.pk).update(outcome=outcome, status="completed", **fields)
    return call


@pytest.fixture
def november(providers):
    alder, birch, cedar = providers
    for call in [
        make_call(utc(11, 1, 5, 30), [(alder, "accepted", 15)]),  # 01:30 EDT
        make_call(utc(11, 1, 6, 30), [(birch, "no-answer", None), (alder, "accepted", 20)]),  # 01:30 EST
    ]:
        Call.objects.filter(pk=call.pk).update(routing_started_at=call.started_at + dt.timedelta(seconds=10))
    ended(make_call(utc(11, 2, 4, 59, 59), [(birch, "no-answer", None)]), "abandoned")  # 23:59:59, 1 Nov
    ended(make_call(utc(11, 2, 5), []), "transferred_crisis", key_presses=[["9", "greeting"]])  # midnight
    ended(make_call(utc(11, 2, 17), []), "transferred_free", key_presses=[["0", "greeting"]])
    ended(make_call(utc(11, 3, 17), []), "transferred_free", trace={"order": [], "seed": 1})
    ended(make_call(utc(11, 4, 17), [(alder, "no-answer", None), (birch, "busy", None)]), "transferred_free")
    call = make_call(utc(11, 5, 17), [(birch, "no-answer", None)])
    callback = make_callback(call, birch, created_at=utc(11, 5, 17, 2), due_in_min=30, closed_after_min=40)
    CallbackRequest.objects.filter(pk=callback.pk).update(provider=cedar, reassignments=1)
    ended(make_call(utc(11, 6, 17), []), "fallback")
    ended(make_call(utc(11, 7, 17), [], number_kind="listing"), "listing_connected")
    ended(make_call(utc(11, 1, 3, 59), []), "abandoned")  # 23:59 EDT on 31 October
    ended(make_call(utc(12, 1, 5), []), "abandoned")  # midnight EST, 1 December
    Call.objects.update(caller_hmac=HMAC)
    return providers


def compute_november() -> None:
    day = dt.date(2026, 10, 31)
    while day <= dt.date(2026, 12, 1):
        compute_daily_figures(day, now=NOW)
        day += dt.timedelta(days=1)


def test_rows_read_from_the_records(november):
    alder, birch, cedar = november
    period = Period(NOVEMBER, dt.date(2026, 11, 30), operator_zone())
    rows = call_rows(period)
    assert len(rows) == 10  # nine helpline calls and the listing call; not the ones either side of the month
    summary = call_figures.summary(rows, callback_rows(period))
    assert (summary.calls, summary.answered, summary.abandoned) == (9, 2, 1)
    assert sorted(summary.waits) == [15, 30]  # from routing start (+10): answered at +25 and at +40
    assert summary.answered_in_level == 1
    assert call_figures.no_provider(rows).counts == EXPECTED_REASONS
    cedar_figures = call_figures.summary(rows, callback_rows(period), cedar.pk)
    assert (cedar_figures.calls, cedar_figures.callbacks, cedar_figures.callbacks_late) == (0, 1, 1)
    assert cedar_figures.callbacks_reassigned == 1
    alder_rows = call_rows(Period(NOVEMBER, dt.date(2026, 11, 30), operator_zone(), provider_id=alder.pk))
    assert sorted(call_figures.summary(alder_rows, [], alder.pk).waits) == [15, 20]  # from its own ring
    days = {v.label: v.helpline for v in call_figures.by_day(rows, operator_zone(), NOVEMBER, NOVEMBER)}
    assert days == {"2026-11-01": 3}
    shares = {s.provider_id: s for s in call_figures.shares(rows)}
    assert shares[alder.pk].answered == 2 and shares[birch.pk].answered == 0 and shares[alder.pk].share == 1.0


def test_month_is_the_same_live_stored_and_half_stored(november):
    live = month_calls(NOVEMBER)
    assert (live.calls, live.abandoned, live.in_progress) == (9, 1, 0)
    assert live.no_provider == EXPECTED_REASONS
    compute_november()
    first = DailyTotals.objects.get(date=NOVEMBER)
    assert (first.helpline_calls, first.abandoned, first.no_provider["hung_up"]) == (3, 1, 1)
    assert DailyTotals.objects.get(date=dt.date(2026, 10, 31)).helpline_calls == 1
    assert month_calls(NOVEMBER) == live
    assert NOVEMBER not in days_to_compute(NOW)  # final
    DailyTotals.objects.filter(date=NOVEMBER).update(helpline_calls=None)  # a row stored before these counts
    assert month_calls(NOVEMBER) == live
    assert NOVEMBER in days_to_compute(NOW)  # computed once more, so its counts are stored
    compute_daily_figures(NOVEMBER, now=NOW)
    assert DailyTotals.objects.get(date=NOVEMBER).helpline_calls == 3 and NOVEMBER not in days_to_compute(NOW)


def test_a_day_with_a_call_in_progress_is_computed_again(november, providers):
    make_call(utc(11, 30, 15), [(providers[0], "ringing", None)])
    compute_november()
    stored = DailyTotals.objects.get(date=dt.date(2026, 11, 30))
    assert stored.calls_in_progress == 1 and stored.final  # final as before; recomputed until the call ends
    assert dt.date(2026, 11, 30) in days_to_compute(NOW)
    assert month_calls(NOVEMBER).in_progress == 1


def test_fee_statement_one_flat_fee_then_a_change(november):
    (terms,) = fee_terms(NOVEMBER)
    assert (terms.amount, terms.currency, terms.period, terms.providers) == (
        Decimal("1500.00"),
        "USD",
        "monthly",
        3,
    )
    assert terms.whole_month
    Contract.objects.update(ends_on=dt.date(2026, 11, 15))
    Contract.objects.bulk_create(
        Contract(
            provider=c.provider, amount=Decimal("1600"), period="monthly", starts_on=dt.date(2026, 11, 16)
        )
        for c in Contract.objects.all()
    )
    before, after = fee_terms(NOVEMBER)
    assert (before.amount, before.first_day, before.last_day) == (
        Decimal("1500.00"),
        NOVEMBER,
        dt.date(2026, 11, 15),
    )
    assert (after.amount, after.first_day, after.last_day) == (
        Decimal("1600.00"),
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 30),
    )
    assert fee_terms(dt.date(2025, 11, 1)) == []


def test_a_provider_that_joined_mid_month_is_not_said_to_have_taken_part_all_month(november):
    alder = november[0]
    Contract.objects.filter(provider=alder).update(starts_on=dt.date(2026, 11, 15))
    joined, whole = sorted(fee_terms(NOVEMBER), key=lambda t: t.providers)
    assert (joined.providers, joined.first_day, joined.whole_month) == (1, dt.date(2026, 11, 15), False)
    assert (whole.providers, whole.first_day, whole.whole_month) == (2, NOVEMBER, True)


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_public_page_shows_where_calls_went_abandonment_and_fees(client, november, prefix):
    compute_november()
    response = client.get(f"{prefix}/transparency/2026-11/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert HMAC not in html and HMAC[:8] not in html
    if prefix:
        assert "Llamadas que no llegaron a ningún proveedor" in html
        assert "1500" in html.replace(".", "").replace(",", "")
    else:
        assert "Calls that reached no provider" in html
        assert "Transferred to the 988 Suicide and Crisis Lifeline (the caller pressed 9)" in html
        assert (
            "each of the 3 providers taking part had a contract for the same flat monthly fee of 1500.00 USD"
            in html
        )
        assert (
            "Abandonment: 1 caller hung up before reaching a person, 11.1% of the calls that ended." in html
        )


def test_public_csv_of_the_month_calls(client, november):
    response = client.get("/transparency/2026-11/calls.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert HMAC not in text
    rows = text.splitlines()
    assert rows[0] == "month,row,where_the_call_went,calls"
    assert "2026-11,ended,,9" in rows and "2026-11,abandoned,,1" in rows
    assert "2026-11,no_provider,nobody_eligible,1" in rows and len(rows) == 4 + 7
    assert client.get("/es/transparency/2026-11/calls.csv").content.decode() == text
    assert client.get("/transparency/2026-12/calls.csv").status_code == 404  # the month in progress


def test_a_provider_answering_its_second_ring_waited_from_that_ring(providers):
    alder = providers[0]
    # Alder's phone rang 10 s in (no answer), again 20 s in, and it answered 8 s into that second ring.
    make_call(utc(11, 9, 17), [(alder, "no-answer", None), (alder, "accepted", 8)])
    rows = call_rows(Period(NOVEMBER, dt.date(2026, 11, 30), operator_zone(), provider_id=alder.pk))
    assert list(call_figures.summary(rows, [], alder.pk).waits) == [8]  # not 18, from its first ring
