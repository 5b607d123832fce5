"""No call event is lost (issue 11, "Faults"): a status callback the database refuses is kept on local disk and
applied by the worker later, in order and idempotently, leaving the call and its lines as if it had been applied
at once."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError
from django.utils import timezone

from clearline.telephony import journal, services, tasks
from clearline.telephony.models import Attempt, Call, CallOutcome, LineSlot
from clearline.telephony.tests.conftest import CALLER
from clearline.telephony.tests.test_webhooks import Twilio, action_of, parse, twilio_on  # noqa: F401

pytestmark = pytest.mark.django_db

CONTROL_SID = "CA" + "a" * 32
KEPT_SID = "CA" + "b" * 32
REAL_ADVANCE = services.advance_call_status
REAL_LEG = services.record_leg_status


@pytest.fixture(autouse=True)
def journal_dir(settings, tmp_path):
    settings.CLEARLINE_EVENT_JOURNAL_DIR = tmp_path / "journal"
    return settings.CLEARLINE_EVENT_JOURNAL_DIR


def database_down(*_args, **_kwargs):
    raise OperationalError("connection refused")


def ringing_call(client, sid: str):
    """A general helpline call through the voice webhook and its first wave: two providers ringing, two lines."""
    twilio = Twilio(client, call_sid=sid)
    wave = parse(twilio.post(action_of(parse(twilio.post("/telephony/twilio/voice")), "Gather"), Digits=""))
    call = Call.objects.get(call_sid=sid)
    assert LineSlot.objects.filter(call=call, released_at__isnull=True).count() == 2
    return twilio, wave, call


def record(call: Call) -> dict[str, object]:
    """The call, its attempts and its lines, with times as they relate to the call's end."""
    call.refresh_from_db()
    attempts = Attempt.objects.filter(call=call).order_by("pk")
    slots = LineSlot.objects.filter(call=call).order_by("pk")
    return {
        "status": call.status,
        "outcome": call.outcome,
        "duration_s": call.duration_s,
        "ended": call.ended_at is not None,
        "attempts": [(a.status, a.ended_at is not None and a.ended_at == call.ended_at) for a in attempts],
        "slots": [s.released_at is not None and s.released_at == call.ended_at for s in slots],
        "open_slots": sum(1 for s in slots if s.released_at is None),
    }


def kept_lines(folder) -> list[str]:
    if not folder.exists():
        return []
    return [line for path in sorted(folder.glob("*.jsonl")) for line in path.read_text().splitlines()]


def test_a_final_status_the_database_refuses_is_kept_and_replayed_as_if_applied_at_once(
    client, helpline, providers, monkeypatch, journal_dir
):
    control, _wave, control_call = ringing_call(client, CONTROL_SID)
    assert (
        control.post("/telephony/twilio/status", CallStatus="completed", CallDuration="41").status_code == 204
    )
    expected = record(control_call)
    assert expected["status"] == "completed" and expected["open_slots"] == 0

    twilio, _wave, call = ringing_call(client, KEPT_SID)
    before = record(call)
    monkeypatch.setattr(services, "advance_call_status", database_down)
    received = timezone.now()
    # Twilio retries: the same callback twice while the database is down.
    for _ in range(2):
        response = twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="41")
        assert response.status_code == 204
    assert record(call) == before  # nothing written yet, both lines still held
    assert len(kept_lines(journal_dir)) == 2

    monkeypatch.setattr(services, "advance_call_status", REAL_ADVANCE)  # the database is back
    replayed_at = timezone.now()
    assert tasks.replay_event_journal.call() == 2
    assert record(call) == expected
    call.refresh_from_db()
    assert received <= call.ended_at < replayed_at  # the moment Twilio told us, not the moment we caught up
    assert kept_lines(journal_dir) == []

    # Replaying again (and the same event applied once more) changes nothing.
    ended = list(LineSlot.objects.filter(call=call).values_list("released_at", flat=True))
    assert journal.replay() == 0
    again = {"call_sid": KEPT_SID, "status": "completed", "attempt": None, "duration": "41"}
    journal.apply(journal.status_event(**again, received_at=timezone.now()))
    assert record(call) == expected
    assert list(LineSlot.objects.filter(call=call).values_list("released_at", flat=True)) == ended


def test_a_leg_status_the_database_refuses_frees_that_line_after_recovery(
    client, helpline, providers, monkeypatch, journal_dir
):
    _twilio, wave, call = ringing_call(client, KEPT_SID)
    leg = Twilio(client, call_sid="CA" + "3" * 32)
    first_leg = wave.findall(".//Dial/Number")[0].get("statusCallback")
    monkeypatch.setattr(services, "record_leg_status", database_down)
    assert leg.post(first_leg, CallStatus="busy").status_code == 204
    assert LineSlot.objects.filter(call=call, released_at__isnull=True).count() == 2
    monkeypatch.setattr(services, "record_leg_status", REAL_LEG)
    assert journal.replay() == 1
    assert LineSlot.objects.filter(call=call, released_at__isnull=True).count() == 1
    assert sorted(Attempt.objects.filter(call=call).values_list("status", flat=True)) == ["busy", "ringing"]
    assert journal.replay() == 0
    assert LineSlot.objects.filter(call=call, released_at__isnull=True).count() == 1


@pytest.mark.parametrize("order", [("ringing", "completed"), ("completed", "ringing")])
def test_kept_events_apply_in_order_and_a_late_ringing_never_reopens_a_call(
    client, helpline, providers, order
):
    _twilio, _wave, call = ringing_call(client, KEPT_SID)
    for status in order:
        journal.keep(
            journal.status_event(
                call_sid=KEPT_SID, status=status, attempt=None, duration="12", received_at=timezone.now()
            )
        )
    assert journal.replay() == 2
    call.refresh_from_db()
    assert call.status == "completed" and call.ended_at is not None and call.duration_s == 12
    assert call.outcome == CallOutcome.ABANDONED
    assert not LineSlot.objects.filter(call=call, released_at__isnull=True).exists()


def test_events_wait_on_disk_while_the_database_is_still_down(client, helpline, providers, monkeypatch):
    _twilio, _wave, call = ringing_call(client, KEPT_SID)
    for status in ("in-progress", "completed"):
        journal.keep(
            journal.status_event(
                call_sid=KEPT_SID, status=status, attempt=None, duration=None, received_at=timezone.now()
            )
        )
    monkeypatch.setattr(services, "advance_call_status", database_down)
    assert journal.replay() == 0
    assert journal.replay() == 0
    monkeypatch.setattr(services, "advance_call_status", REAL_ADVANCE)
    assert journal.replay() == 2
    call.refresh_from_db()
    assert call.status == "completed" and call.ended_at is not None


def test_a_journal_line_never_holds_the_callers_number(client, helpline, providers, monkeypatch, journal_dir):
    twilio, _wave, _call = ringing_call(client, KEPT_SID)
    monkeypatch.setattr(services, "advance_call_status", database_down)
    assert (
        twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="9").status_code == 204
    )
    event = journal.status_event(
        call_sid=KEPT_SID, status="completed", attempt=None, duration="9", received_at=timezone.now()
    )
    journal.keep(
        {**event, "From": CALLER, "Caller": CALLER}
    )  # whatever a caller passes, only the kind's fields
    text = "\n".join(kept_lines(journal_dir))
    assert len(kept_lines(journal_dir)) == 2
    assert CALLER not in text and CALLER[2:] not in text and "From" not in text


def test_a_corrupt_line_is_reported_and_skipped_without_blocking_the_rest(
    client, helpline, providers, journal_dir, caplog
):
    _twilio, _wave, call = ringing_call(client, KEPT_SID)
    journal.keep(
        journal.status_event(
            call_sid=KEPT_SID, status="in-progress", attempt=None, duration=None, received_at=timezone.now()
        )
    )
    with open(journal_dir / journal.ACTIVE, "ab") as out:
        out.write(b'{"v": 1, "kind": "call_status", "call_s\n')
    journal.keep(
        journal.status_event(
            call_sid=KEPT_SID, status="completed", attempt=None, duration="5", received_at=timezone.now()
        )
    )
    with caplog.at_level(logging.ERROR, logger="clearline.telephony.journal"):
        assert journal.replay() == 2
    assert [r.levelno for r in caplog.records if "line 2" in r.getMessage()] == [logging.ERROR]
    call.refresh_from_db()
    assert call.status == "completed" and call.duration_s == 5
    assert kept_lines(journal_dir) == []


def test_a_status_that_cannot_be_kept_either_answers_500(
    client, helpline, providers, monkeypatch, settings, tmp_path, caplog
):
    twilio, _wave, call = ringing_call(client, KEPT_SID)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.CLEARLINE_EVENT_JOURNAL_DIR = blocker / "journal"
    monkeypatch.setattr(services, "advance_call_status", database_down)
    with caplog.at_level(logging.ERROR):
        response = twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="9")
    assert response.status_code == 500
    assert any(r.levelno == logging.ERROR and "could not be kept" in r.getMessage() for r in caplog.records)
    assert CALLER not in caplog.text
    call.refresh_from_db()
    assert call.ended_at is None


def test_a_failure_that_is_not_the_database_still_answers_500_and_keeps_nothing(
    client, helpline, providers, monkeypatch, journal_dir
):
    twilio, _wave, _call = ringing_call(client, KEPT_SID)

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "advance_call_status", broken)
    assert twilio.post("/telephony/twilio/status", CallStatus="completed").status_code == 500
    assert kept_lines(journal_dir) == []
