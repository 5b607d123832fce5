"""No call is lost when its first webhook fails (issue 11, "Faults"): a voice webhook that answers the fallback
because the database failed keeps the call in the event journal, and the worker stores it later (outcome
``fallback``, never the caller's number), with the status callbacks that followed applied to it."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.utils import timezone

from clearline.telephony import journal, services, tasks
from clearline.telephony.models import Call, CallOutcome
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.tests.test_db_faults import is_fallback
from clearline.telephony.tests.test_webhooks import Twilio, twilio_on  # noqa: F401

pytestmark = pytest.mark.django_db

SID = "CA" + "c" * 32


@pytest.fixture(autouse=True)
def journal_dir(settings, tmp_path):
    settings.CLEARLINE_EVENT_JOURNAL_DIR = tmp_path / "journal"
    return settings.CLEARLINE_EVENT_JOURNAL_DIR


def kept_text(folder) -> str:
    return "".join(path.read_text() for path in sorted(folder.glob("*.jsonl"))) if folder.exists() else ""


def database_down(*_args, **_kwargs):
    raise OperationalError("connection refused")


def test_a_call_that_got_the_fallback_is_stored_later_with_its_final_status(
    client, helpline, providers, monkeypatch, journal_dir
):
    twilio = Twilio(client, call_sid=SID)
    monkeypatch.setattr(services, "start_call", database_down)
    before = timezone.now()
    assert is_fallback(twilio.post("/telephony/twilio/voice"))
    assert not Call.objects.filter(call_sid=SID).exists()
    text = kept_text(journal_dir)
    assert SID in text and HELPLINE in text
    assert CALLER not in text and CALLER[2:] not in text

    # The database is back before the worker replays: the call's final status finds no row, and is kept too.
    monkeypatch.undo()
    response = twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="37")
    assert response.status_code == 204
    assert not Call.objects.filter(call_sid=SID).exists()

    assert tasks.replay_event_journal.call() == 2
    call = Call.objects.get(call_sid=SID)
    assert call.outcome == CallOutcome.FALLBACK
    assert call.status == "completed" and call.duration_s == 37 and call.ended_at is not None
    assert call.helpline_id == helpline.pk and call.number_kind == "helpline"
    assert before <= call.started_at < call.ended_at
    assert call.caller_hmac == "" and call.disclosure_version_id is None
    assert kept_text(journal_dir) == ""

    # Replayed again (at least once), nothing changes.
    journal.apply(journal.fallback_event(call_sid=SID, to=HELPLINE, received_at=timezone.now()))
    assert Call.objects.filter(call_sid=SID).count() == 1
    call.refresh_from_db()
    assert call.outcome == CallOutcome.FALLBACK and call.status == "completed"


def test_a_status_kept_while_the_database_is_down_follows_its_call(client, helpline, providers, monkeypatch):
    twilio = Twilio(client, call_sid=SID)
    monkeypatch.setattr(services, "start_call", database_down)
    monkeypatch.setattr(services, "advance_call_status", database_down)
    assert is_fallback(twilio.post("/telephony/twilio/voice"))
    assert twilio.post("/telephony/twilio/status", CallStatus="completed").status_code == 204
    monkeypatch.undo()
    assert journal.replay() == 2
    call = Call.objects.get(call_sid=SID)
    assert (call.status, call.outcome) == ("completed", CallOutcome.FALLBACK)


def test_a_stored_call_whose_next_webhook_got_the_fallback_is_marked_so(client, helpline, providers):
    # The place prompt's answer fails after the voice webhook stored the call: the replay marks it.
    started = services.start_call(call_sid=SID, to_number=HELPLINE, caller_number=CALLER)
    journal.keep(journal.fallback_event(call_sid=SID, to=HELPLINE, received_at=timezone.now()))
    assert journal.replay() == 1
    call = Call.objects.get(pk=started.call.pk)
    assert call.outcome == CallOutcome.FALLBACK and call.caller_hmac == started.call.caller_hmac


def test_only_database_failures_of_the_voice_webhook_are_kept(
    client, helpline, providers, monkeypatch, journal_dir
):
    def a_bug(**_kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(services, "start_call", a_bug)
    assert is_fallback(Twilio(client, call_sid=SID).post("/telephony/twilio/voice"))
    assert kept_text(journal_dir) == ""


def test_a_status_for_a_call_nobody_kept_still_answers_500(client, helpline, providers, journal_dir):
    response = Twilio(client, call_sid=SID).post("/telephony/twilio/status", CallStatus="completed")
    assert response.status_code == 500
    assert kept_text(journal_dir) == ""
