from dataclasses import fields, replace
from datetime import date, datetime, timedelta

import pytest

from clearline.routing.eligibility import FILTERS, auto_pause_due, evaluate
from clearline.routing.schedule import Schedule, weekly_from_lists
from clearline.routing.tests.factories import NEW_YORK, NOW, POLICY, call, provider
from clearline.routing.types import INPUT_TYPES, Intent, RoutingPolicy

MONEY_WORDS = ("fee", "price", "bid", "revenue", "cost", "payout", "commission", "amount")


def failed(p, c=None, policy=POLICY, now=NOW):
    return evaluate(p, c or call(), policy, now).failed


def test_no_input_type_has_a_money_field():
    for cls in INPUT_TYPES:
        for f in fields(cls):
            assert not any(word in f.name.lower() for word in MONEY_WORDS), (cls.__name__, f.name)


def test_a_provider_with_everything_in_order_is_eligible():
    assert failed(provider()) == ()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"contract_active": False}, "contract_active"),
        ({"license_expires": date(2026, 3, 3)}, "license_current"),
        ({"license_expires": None}, "license_current"),
        ({"certification_expires": date(2026, 3, 3)}, "certification_current"),
        ({"schedule": Schedule("America/New_York")}, "open_now"),
        ({"paused": True}, "not_paused"),
        ({"auto_paused": True}, "not_auto_paused"),
        ({"active_calls": 2}, "free_slot"),
        ({"daily_cap": 5, "delivered_today": 5, "delivered_on": date(2026, 3, 4)}, "under_daily_cap"),
        (
            {"daily_cap": 5, "delivered_today": 4, "delivered_on": date(2026, 3, 4), "ringing": 1},
            "under_daily_cap",
        ),
        ({"states": frozenset({"CA"})}, "serves_area"),
        ({"languages": frozenset({"es"})}, "speaks_language"),
        ({"intents": frozenset({Intent.HOTLINE})}, "offers_intent"),
    ],
)
def test_each_filter_excludes_and_is_named_in_the_verdict(changes, reason):
    c = call(caller_state="NY", intent=Intent.DETOX)
    assert failed(provider(**changes), c) == (reason,)


def test_it_reports_every_failed_filter_not_only_the_first():
    assert failed(provider(contract_active=False, paused=True)) == ("contract_active", "not_paused")
    assert len(evaluate(provider(), call(), POLICY, NOW).results) == len(FILTERS)


def test_a_licence_is_valid_through_its_expiry_date_in_the_providers_zone():
    p = provider(license_expires=date(2026, 3, 4), schedule=Schedule("Pacific/Honolulu", always_open=True))
    # 00:30 on the 5th in New York is still the 4th in Honolulu.
    assert "license_current" not in failed(p, now=datetime(2026, 3, 5, 0, 30, tzinfo=NEW_YORK))
    assert "license_current" in failed(p, now=datetime(2026, 3, 5, 6, 0, tzinfo=NEW_YORK))


def test_the_daily_cap_resets_at_the_providers_local_midnight():
    p = provider(
        daily_cap=3,
        delivered_today=3,
        delivered_on=date(2026, 3, 4),
        schedule=Schedule("America/Los_Angeles", always_open=True),
    )
    late_evening_ny = datetime(2026, 3, 5, 1, 0, tzinfo=NEW_YORK)  # 22:00 on the 4th in Los Angeles
    assert "under_daily_cap" in failed(p, now=late_evening_ny)
    assert "under_daily_cap" not in failed(p, now=late_evening_ny + timedelta(hours=3))


def test_it_serves_the_callers_state_or_zip_and_everyone_when_location_is_unknown():
    regional = provider(states=frozenset({"TX"}), zip_prefixes=frozenset({"100"}))
    assert failed(regional, call(caller_state="TX")) == ()
    assert failed(regional, call(caller_zip="10001")) == ()
    assert failed(regional, call(caller_state="NY", caller_zip="12401")) == ("serves_area",)
    assert failed(regional, call()) == ()


def test_it_auto_pauses_after_repeated_unanswered_offers_within_the_window():
    policy = RoutingPolicy(auto_pause_after=3, auto_pause_window_min=60)
    recent = tuple(NOW - timedelta(minutes=m) for m in (5, 20, 50))
    assert auto_pause_due(provider(unanswered_offers=recent), policy, NOW)
    assert failed(provider(unanswered_offers=recent), policy=policy) == ("not_auto_paused",)
    spread = tuple(NOW - timedelta(minutes=m) for m in (5, 20, 70))
    assert not auto_pause_due(provider(unanswered_offers=spread), policy, NOW)
    assert failed(provider(unanswered_offers=spread), policy=policy) == ()


def test_it_stays_auto_paused_until_resumed_even_after_the_window_passes():
    assert failed(provider(auto_paused=True, unanswered_offers=())) == ("not_auto_paused",)


def test_it_respects_weekly_hours():
    business = Schedule("America/New_York", weekly=weekly_from_lists({"wed": [["09:00", "13:00"]]}))
    assert failed(replace(provider(), schedule=business)) == ("open_now",)
