"""Callbacks: the named provider is told, a missed deadline moves the request on, numbers are purged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from clearline.telephony import callback_actions, callback_deadlines, callbacks, services
from clearline.telephony.models import CallbackRequest, CallbackStatus, LineSlot
from clearline.telephony.tests.conftest import CALLER
from clearline.telephony.tests.test_services import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def callback(helpline, providers, django_capture_on_commit_callbacks):
    for provider in providers:
        provider.notify_email = f"{provider.slug}@example.org"
        provider.save()
    call = start().call
    due = timezone.now() + dt.timedelta(minutes=15)
    with django_capture_on_commit_callbacks(execute=True):
        return services.record_callback(call, str(providers[0].pk), due, CALLER)


def test_the_named_provider_is_emailed_without_the_callers_number(callback):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [callback.provider.notify_email]
    assert "portal" in message.body
    assert CALLER not in message.body and CALLER[2:] not in message.body


def test_a_missed_deadline_reassigns_to_another_provider_and_notifies_them(
    callback, django_capture_on_commit_callbacks
):
    first = callback.provider
    late = callback.due_at + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):  # the notice is a task enqueued on commit
        assert callback_deadlines.enforce_callback_deadlines(late) == 1
    callback.refresh_from_db()
    assert callback.provider != first and callback.reassignments == 1
    assert callback.due_at > late and callback.status == CallbackStatus.OPEN
    assert mail.outbox[-1].to == [callback.provider.notify_email]
    assert callback_deadlines.enforce_callback_deadlines(late) == 0  # running the job again changes nothing


def test_only_the_current_assignee_can_record_the_return(callback):
    late = callback.due_at + dt.timedelta(minutes=1)
    callback_deadlines.enforce_callback_deadlines(late)
    callback.refresh_from_db()
    with pytest.raises(callback_actions.CallbackError):
        callback_actions.mark_callback_returned(callback.pk, callback.provider_id + 1000, "reached")
    with pytest.raises(callback_actions.CallbackError):
        callback_actions.mark_callback_returned(callback.pk, callback.provider_id, "teleported")
    callback_actions.mark_callback_returned(callback.pk, callback.provider_id, "reached")
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.RETURNED and callback.outcome == "reached"


def test_the_number_is_purged_some_days_after_the_callback_closes(callback, settings):
    settings.CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS = 3
    closed_at = timezone.now()
    callback_actions.mark_callback_returned(callback.pk, callback.provider_id, "reached", now=closed_at)
    assert callbacks.purge_callback_numbers(closed_at + dt.timedelta(days=2)) == 0
    assert callbacks.purge_callback_numbers(closed_at + dt.timedelta(days=3, minutes=1)) == 1
    assert CallbackRequest.objects.get().encrypted_number == ""


def test_open_callbacks_keep_their_number(callback):
    assert callbacks.purge_callback_numbers(timezone.now() + dt.timedelta(days=30)) == 0


def test_the_reaper_frees_lines_of_ended_and_forgotten_calls(helpline, providers, settings):
    settings.CLEARLINE_LINE_SLOT_TTL_MINUTES = 120
    ended, forgotten, live = (start(f"CA-{n}").call for n in range(3))
    for call, provider in zip((ended, forgotten, live), providers, strict=True):
        services.reserve_lines(call, [str(provider.pk)])
    services.advance_call_status(ended.call_sid, "ringing")
    ended.ended_at = timezone.now()
    ended.save()
    LineSlot.objects.filter(call=forgotten).update(reserved_at=timezone.now() - dt.timedelta(hours=3))
    assert callbacks.reap_line_slots() == 2
    assert list(LineSlot.objects.filter(released_at__isnull=True).values_list("call_id", flat=True)) == [
        live.pk
    ]


def test_an_overdue_callback_nobody_else_can_take_is_reported_to_operators_once(
    callback, providers, settings
):
    from clearline.lib.models import AuditEntry

    settings.CLEARLINE_OPERATOR_EMAILS = ["ops@example.org"]
    for provider in providers[1:]:
        provider.paused = True
        provider.save()
    late = callback.due_at + dt.timedelta(minutes=1)
    sent = len(mail.outbox)
    assert callback_deadlines.enforce_callback_deadlines(late) == 0
    assert callback_deadlines.enforce_callback_deadlines(late + dt.timedelta(minutes=1)) == 0
    report = mail.outbox[sent:]
    assert [m.to for m in report] == [["ops@example.org"]]
    assert f"callback request {callback.pk}, assigned to {providers[0].name}," in report[0].body
    assert CALLER not in report[0].body and CALLER[2:] not in report[0].body
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.OPEN and callback.provider == providers[0]
    assert callback.escalated_at == late
    assert AuditEntry.objects.filter(action="telephony.callback.escalated").count() == 1


def test_a_callback_still_open_after_the_give_up_time_closes_as_not_returned_and_loses_its_number(
    callback, settings
):
    settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS = 48
    settings.CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS = 3
    almost = callback.created_at + dt.timedelta(hours=47)
    callback_deadlines.enforce_callback_deadlines(almost)
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.OPEN
    after = callback.created_at + dt.timedelta(hours=48, minutes=1)
    callback_deadlines.enforce_callback_deadlines(after)
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.EXPIRED and callback.closed_at == after
    with pytest.raises(callback_actions.CallbackError):
        callback_actions.reveal_callback_number(callback.pk, callback.provider_id, None)
    assert callbacks.purge_callback_numbers(after + dt.timedelta(days=3, minutes=1)) == 1
    assert CallbackRequest.objects.get().encrypted_number == ""
