"""A new routing settings version reaches both the router (the version named in every call's trace) and the
public disclosure (the sentence about how many providers ring at once).

This crosses layers (providers -> telephony, content), so it lives with a top-layer app's tests: import-linter's
layers contract keeps providers' own tests from importing telephony or content.
"""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import Helpline
from clearline.content.tests.conftest import add_provider
from clearline.providers.routing_settings import RoutingSettings
from clearline.telephony import services
from clearline.telephony.snapshots import build_policy

pytestmark = pytest.mark.django_db

HELPLINE = "+12065550101"


@pytest.fixture
def roster(db):
    Helpline.objects.create(label="Heroin Detox", intent="detox", number=HELPLINE)
    for name, phone in (("Alder Recovery", "+12065550131"), ("Birch Health", "+12065550132")):
        provider = add_provider(name)
        provider.phone, provider.open_24_7, provider.lines = phone, True, 1
        provider.license_expires_on = provider.certification_expires_on = dt.date(
            dt.date.today().year + 5, 1, 1
        )
        provider.save()


def test_a_new_version_changes_the_trace_and_the_disclosure(roster):
    RoutingSettings(wave_size=2, note="two at once").save()
    first = services.start_call(call_sid="CA-1", to_number=HELPLINE, caller_number="+12065550177").call
    assert "Up to 2 of them ring at the same time" in ensure_current_disclosure().text_en

    version = RoutingSettings(wave_size=1, note="one at a time")
    version.save()
    assert build_policy().version == f"settings-v{version.pk}"
    second = services.start_call(call_sid="CA-2", to_number=HELPLINE, caller_number="+12065550178").call
    assert first.trace["policy_version"] != second.trace["policy_version"]
    assert second.trace["policy_version"] == f"settings-v{version.pk}"
    disclosure = ensure_current_disclosure()
    assert "They are rung one at a time," in disclosure.text_en
    assert "Up to 2" not in disclosure.text_en
    assert second.disclosure_version == disclosure
