"""``clearline replay`` on the demo's calls (made through the real call flow by ``load_demo_calls``): the shipped
settings reproduce what happened, offer for offer; a provider paused shows the differences. Here, outside the app
packages, because it needs both the demo (the top layer) and telephony."""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.demo.calls import load_demo_calls
from clearline.demo.tests.conftest import _demo_loaded_for_the_module, demo  # noqa: F401 (fixtures)
from clearline.providers.models import Provider
from clearline.telephony.replay import period, proposal_from, run_replay

WITH_SAMHSA_DIRECTORY = False  # the demo site without the real directory's listings
NOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
SINCE = NOW - dt.timedelta(days=2)


@pytest.fixture
def demo_calls(demo):  # noqa: F811
    made = load_demo_calls(now=NOW, since=SINCE, calls_per_day=60)
    assert made.created > 50
    return period(dt.date(2026, 11, 29), dt.date(2026, 12, 2))


def test_the_shipped_settings_reproduce_the_demo_calls(demo_calls):
    data = run_replay(*demo_calls, proposal_from({})).as_dict()
    assert data["replayed"] == data["calls"] > 50 and data["not_replayable"] == {}
    assert data["same_plans"] == data["same_offers"] == data["replayed"]
    assert data["what_if"] == data["actual"]
    assert all(p["offers"]["what_if"] == p["offers"]["actual"] for p in data["providers"])


def test_pausing_the_busiest_provider_shows_the_differences(demo_calls):
    busiest = max(
        run_replay(*demo_calls, proposal_from({})).as_dict()["providers"], key=lambda p: p["offers"]["actual"]
    )
    slug = Provider.objects.get(pk=int(busiest["id"])).slug
    paused = run_replay(*demo_calls, proposal_from({"paused_providers": [slug]})).as_dict()
    row = next(p for p in paused["providers"] if p["id"] == busiest["id"])
    assert row["offers"]["what_if"] == 0 < row["offers"]["actual"]
    assert paused["same_plans"] < paused["replayed"]
    assert paused["what_if"] != paused["actual"]
