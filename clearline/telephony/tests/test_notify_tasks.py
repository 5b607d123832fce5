"""Callback notifications are worker tasks (issue 11): the webhook that stores a request never talks to a mail or
SMS server; it enqueues a task (the request's id, nothing else) when its transaction commits. The worker sends
with a timeout and retries a failed send a few times.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clearline.telephony import callbacks, services, tasks
from clearline.telephony.models import CallbackRequest
from clearline.telephony.tests.conftest import CALLER
from clearline.telephony.tests.test_callback_capacity import to_the_offer
from clearline.telephony.tests.test_services import start
from clearline.telephony.tests.test_webhooks import parse, twilio_on  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def notified(providers):
    for provider in providers:
        provider.notify_email = f"{provider.slug}@example.org"
        provider.save()
    return providers


def run_queued_tasks() -> None:
    """Run each queued task as the worker would, by its stored path and arguments. (The worker command itself
    closes the database connection between tasks, which would end the test's transaction on PostgreSQL.)"""
    from django.utils.module_loading import import_string

    for queued in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"):
        import_string(queued.task_path).call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def test_the_webhook_stores_the_request_and_enqueues_the_notice_without_sending_it(
    client, helpline, notified, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    twilio, callback_url = to_the_offer(client)
    with django_capture_on_commit_callbacks(execute=True):
        parse(twilio.post(callback_url, Digits="1"))

    callback = CallbackRequest.objects.get()
    assert mail.outbox == []  # nothing was sent inside the webhook
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "clearline.telephony.tasks.notify_callback_provider"
    assert queued.args_kwargs["args"][:2] == [callback.pk, 0]
    assert CALLER not in str(queued.args_kwargs) and CALLER[2:] not in str(queued.args_kwargs)

    run_queued_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [callback.provider.notify_email]
    assert str(callback.pk) in message.body
    assert CALLER not in message.body and CALLER[2:] not in message.body


def test_a_failing_send_is_retried_and_then_succeeds(helpline, notified, monkeypatch):
    call = start().call
    due = timezone.now() + dt.timedelta(minutes=15)
    callback = services.record_callback(call, str(notified[0].pk), due, CALLER)
    assert callback is not None
    mail.outbox.clear()
    failures = iter([OSError("mail server down"), OSError("timed out")])
    real_send = callbacks.send_mail

    def flaky_send(*args, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return real_send(*args, **kwargs)

    monkeypatch.setattr(callbacks, "send_mail", flaky_send)
    tasks.notify_callback_provider.enqueue(callback.pk, 0)  # immediate backend: the retries run at once too
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [notified[0].notify_email]


def test_a_send_that_keeps_failing_is_tried_a_few_times_then_given_up(
    helpline, notified, monkeypatch, caplog
):
    callback = services.record_callback(
        start().call, str(notified[0].pk), timezone.now() + dt.timedelta(minutes=15), CALLER
    )
    tries = []

    def down(*args, **kwargs):
        tries.append(1)
        raise OSError("mail server down")

    monkeypatch.setattr(callbacks, "send_mail", down)
    result = tasks.notify_callback_provider.enqueue(callback.pk, 0)
    assert len(tries) == callbacks.NOTIFY_ATTEMPTS > 1
    assert result.status == "FAILED"
    assert "Gave up notifying" in caplog.text
    assert CALLER not in caplog.text


def test_a_retry_is_deferred_on_the_worker_backend(helpline, notified, settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    callback = services.record_callback(
        start().call, str(notified[0].pk), timezone.now() + dt.timedelta(minutes=15), CALLER
    )
    DBTaskResult.objects.all().delete()
    monkeypatch.setattr(callbacks, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
    with pytest.raises(OSError):
        tasks.notify_callback_provider.call(callback.pk, 0)
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["args"] == [callback.pk, 0, 2]
    assert timezone.now() < retry.run_after < timezone.now() + dt.timedelta(hours=1)


def test_a_notice_for_an_assignment_that_moved_on_sends_nothing(helpline, notified):
    callback = services.record_callback(
        start().call, str(notified[0].pk), timezone.now() + dt.timedelta(minutes=15), CALLER
    )
    mail.outbox.clear()
    CallbackRequest.objects.filter(pk=callback.pk).update(reassignments=1)
    assert tasks.notify_callback_provider.call(callback.pk, 0) is False
    assert mail.outbox == []


def test_mail_is_sent_with_a_timeout():
    assert django_settings.EMAIL_TIMEOUT == 10
