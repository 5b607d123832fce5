"""``clearline twilio_reconcile``: calls whose final status never arrived are fetched from Twilio and ended.

The REST seam (``client.fetch_call``) is patched with ``autospec=True`` and answers with JSON shaped like
Twilio's Call resource (GET /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clearline.telephony import services
from clearline.telephony.models import Call, CallOutcome, LineSlot
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.twilio.client import TwilioApiError

pytestmark = pytest.mark.django_db

ACCOUNT = "AC" + "0" * 32
FETCH = "clearline.telephony.twilio.client.fetch_call"


@pytest.fixture(autouse=True)
def twilio_on(settings):
    settings.TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TWILIO_AUTH_TOKEN = "test-auth-token-0123456789abcdef"


def twilio_call(call_sid: str, status: str, duration: str | None, end_time: str | None) -> dict:
    """A Call resource as Twilio returns it (fields trimmed of nothing we rely on; numbers are fictional)."""
    return {
        "account_sid": ACCOUNT,
        "annotation": None,
        "answered_by": None,
        "api_version": "2010-04-01",
        "caller_name": None,
        "date_created": "Sat, 28 Nov 2026 14:01:02 +0000",
        "date_updated": "Sat, 28 Nov 2026 14:04:09 +0000",
        "direction": "inbound",
        "duration": duration,
        "end_time": end_time,
        "forwarded_from": HELPLINE,
        "from": CALLER,
        "from_formatted": "(206) 555-0177",
        "group_sid": None,
        "parent_call_sid": None,
        "phone_number_sid": "PN" + "1" * 32,
        "price": "-0.00850" if end_time else None,
        "price_unit": "USD",
        "queue_time": "0",
        "sid": call_sid,
        "start_time": "Sat, 28 Nov 2026 14:01:02 +0000",
        "status": status,
        "subresource_uris": {
            "notifications": f"/2010-04-01/Accounts/{ACCOUNT}/Calls/{call_sid}/Notifications.json",
            "recordings": f"/2010-04-01/Accounts/{ACCOUNT}/Calls/{call_sid}/Recordings.json",
        },
        "to": HELPLINE,
        "to_formatted": "(206) 555-0101",
        "trunk_sid": None,
        "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Calls/{call_sid}.json",
    }


def ringing_call(call_sid: str, minutes_ago: int) -> Call:
    """A call that took its first wave (lines held) and whose final status never came."""
    started = services.start_call(call_sid=call_sid, to_number=HELPLINE, caller_number=CALLER)
    dial = started.plan.first_dial()
    services.reserve_lines(started.call, [t.id for t in dial.targets])
    Call.objects.filter(pk=started.call.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return started.call


def reconcile(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("twilio_reconcile", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_call_whose_final_status_was_lost_is_ended_with_twilios_status_and_frees_its_lines(
    helpline, providers
):
    stale = ringing_call("CA" + "a" * 32, minutes_ago=45)
    fresh = ringing_call("CA" + "b" * 32, minutes_ago=5)  # may still be live: not asked about
    with mock.patch(FETCH, autospec=True) as fetch:
        fetch.return_value = twilio_call(
            stale.call_sid, "completed", "187", "Sat, 28 Nov 2026 14:04:09 +0000"
        )
        out, err = reconcile()
    fetch.assert_called_once_with(stale.call_sid)
    stale.refresh_from_db()
    assert (stale.status, stale.duration_s, stale.outcome) == ("completed", 187, CallOutcome.ABANDONED)
    assert stale.ended_at == dt.datetime(2026, 11, 28, 14, 4, 9, tzinfo=dt.UTC)
    assert not LineSlot.objects.filter(call=stale, released_at__isnull=True).exists()
    assert LineSlot.objects.filter(call=fresh, released_at__isnull=True).exists()
    assert "1 calls without an end older than 30 minutes: 1 ended, 0 still live at Twilio, 0 errors." in out
    assert err == ""
    assert CALLER not in out + err

    # Run again (or a late webhook): nothing left to do, nothing changes.
    with mock.patch(FETCH, autospec=True) as fetch:
        out, _err = reconcile()
    fetch.assert_not_called()
    assert out.startswith("0 calls")
    services.advance_call_status(stale.call_sid, "in-progress")
    stale.refresh_from_db()
    assert stale.status == "completed"


def test_a_twilio_error_is_reported_and_the_next_call_is_still_reconciled(helpline, providers):
    missing = ringing_call("CA" + "c" * 32, minutes_ago=90)
    lost = ringing_call("CA" + "d" * 32, minutes_ago=60)

    def fetch_call(call_sid: str) -> dict:
        if call_sid == missing.call_sid:
            raise TwilioApiError("The requested resource was not found", 404, 20404)
        return twilio_call(call_sid, "no-answer", "0", "Sat, 28 Nov 2026 14:02:00 +0000")

    with mock.patch(FETCH, autospec=True, side_effect=fetch_call) as fetch:
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError, match="1 calls could not be reconciled"):
            call_command("twilio_reconcile", stdout=out, stderr=err)
    assert [c.args[0] for c in fetch.call_args_list] == [missing.call_sid, lost.call_sid]
    assert f"{missing.call_sid}: Twilio error: Twilio API 404" in err.getvalue()
    assert "1 ended, 0 still live at Twilio, 1 errors." in out.getvalue()
    lost.refresh_from_db()
    missing.refresh_from_db()
    assert lost.status == "no-answer" and lost.ended_at is not None
    assert missing.ended_at is None
    assert LineSlot.objects.filter(call=missing, released_at__isnull=True).exists()  # left for the reaper


def test_a_call_still_live_at_twilio_is_not_ended(helpline, providers):
    live = ringing_call("CA" + "e" * 32, minutes_ago=40)
    with mock.patch(FETCH, autospec=True) as fetch:
        fetch.return_value = twilio_call(live.call_sid, "in-progress", None, None)
        out, _err = reconcile()
    live.refresh_from_db()
    assert live.status == "in-progress" and live.ended_at is None
    assert LineSlot.objects.filter(call=live, released_at__isnull=True).exists()
    assert "0 ended, 1 still live at Twilio" in out


def test_dry_run_reports_and_changes_nothing(helpline, providers):
    stale = ringing_call("CA" + "f" * 32, minutes_ago=120)
    before = Call.objects.values().get(pk=stale.pk)
    with mock.patch(FETCH, autospec=True) as fetch:
        fetch.return_value = twilio_call(stale.call_sid, "completed", "64", "Sat, 28 Nov 2026 14:04:09 +0000")
        out, _err = reconcile("--dry-run")
    assert f"{stale.call_sid}: would end as completed, 64 s" in out
    assert "1 would end" in out
    assert Call.objects.values().get(pk=stale.pk) == before
    assert LineSlot.objects.filter(call=stale, released_at__isnull=True).exists()


def test_the_age_threshold_is_an_option(helpline, providers):
    call = ringing_call("CA" + "1" * 32, minutes_ago=10)
    with mock.patch(FETCH, autospec=True) as fetch:
        fetch.return_value = twilio_call(call.call_sid, "busy", "0", "Sat, 28 Nov 2026 14:04:09 +0000")
        reconcile()
        fetch.assert_not_called()
        out, _err = reconcile("--older-than-minutes", "5")
    fetch.assert_called_once_with(call.call_sid)
    assert "older than 5 minutes: 1 ended" in out
    with pytest.raises(CommandError, match="at least 1"):
        reconcile("--older-than-minutes", "0")


def test_the_command_needs_twilio_settings(settings, helpline, providers):
    settings.TWILIO_AUTH_TOKEN = None
    with mock.patch(FETCH, autospec=True) as fetch, pytest.raises(CommandError, match="TWILIO_AUTH_TOKEN"):
        reconcile()
    fetch.assert_not_called()
