"""The operators' callback queue: open requests by deadline with the time left or how late, reassignments and
escalations, how closed ones ended, the figures above the table. Staff only; never the caller's number or hash."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clearline.providers.models import Provider
from clearline.telephony.admin_callbacks import minutes_words
from clearline.telephony.models import CallbackRequest, CallbackStatus, RotationCredit
from clearline.telephony.tests.test_admin_calls import assert_no_caller, staff  # noqa: F401 (fixture)
from clearline.telephony.tests.test_callback_reassign import missed, promised
from clearline.telephony.tests.test_services import start

pytestmark = pytest.mark.django_db

QUEUE = "telephony_callbacks"


@pytest.fixture
def queue(helpline, providers) -> dict[str, CallbackRequest]:
    """Four requests: one due later, one reassigned after its deadline, one returned on time, one late."""
    now = timezone.now()
    requests = {}
    # The closed ones first: a provider's open callbacks count against its capacity for the next offers.
    for name, closed_at, due_at in (
        ("on_time", now - dt.timedelta(hours=2), now - dt.timedelta(hours=1)),
        ("late", now, now - dt.timedelta(minutes=90)),
    ):
        requests[name] = promised(start(f"CA-queue-{name}").call)
        CallbackRequest.objects.filter(pk=requests[name].pk).update(
            status=CallbackStatus.RETURNED, closed_at=closed_at, due_at=due_at, outcome="reached"
        )
        RotationCredit.objects.all().delete()
    requests["reassigned"] = promised(start("CA-queue-reassigned").call)
    RotationCredit.objects.all().delete()
    reassigned = missed(requests["reassigned"])  # given to the next provider, with a new deadline
    assert reassigned.reassignments == 1
    CallbackRequest.objects.filter(pk=reassigned.pk).update(due_at=now - dt.timedelta(minutes=7))
    requests["due"] = promised(start("CA-queue-due").call)
    CallbackRequest.objects.filter(pk=requests["due"].pk).update(
        due_at=now + dt.timedelta(minutes=12, seconds=30)
    )
    return {name: CallbackRequest.objects.get(pk=r.pk) for name, r in requests.items()}


def call_link(callback: CallbackRequest) -> str:
    return reverse("telephony_call", args=[callback.call_id])


def test_open_requests_most_urgent_first_with_time_left_or_late(client, staff, queue):  # noqa: F811
    page = client.get(reverse(QUEUE)).content.decode()
    reassigned, due = queue["reassigned"], queue["due"]
    assert page.index(call_link(reassigned)) < page.index(call_link(due))
    assert "overdue by 7 min" in page and "due in 12 min" in page
    assert call_link(queue["on_time"]) not in page  # closed: not in the default view
    first = Provider.objects.get(pk=reassigned.assignees[0]).name
    assert reassigned.provider.name in page and f"before: {first} (1 reassignment)" in page
    assert_no_caller(page.encode(), *(r.call for r in queue.values()))
    for callback in queue.values():
        assert not callback.encrypted_number or callback.encrypted_number not in page


def test_the_figures_count_open_overdue_and_how_the_week_ended(client, staff, queue):  # noqa: F811
    counts = client.get(reverse(QUEUE)).context["counts"]
    assert counts == {
        "open": 2,
        "overdue": 1,
        "escalated": 0,
        "on_time": 1,
        "late": 1,
        "not_returned": 0,
        "reassigned": 1,
    }


def test_filters_show_overdue_escalated_closed_and_one_provider(client, staff, queue):  # noqa: F811
    page = client.get(reverse(QUEUE), {"show": "overdue"}).content.decode()
    assert call_link(queue["reassigned"]) in page and call_link(queue["due"]) not in page
    page = client.get(reverse(QUEUE), {"show": "escalated"}).content.decode()
    assert "No callback request matches these filters." in page
    CallbackRequest.objects.filter(pk=queue["due"].pk).update(escalated_at=timezone.now())
    page = client.get(reverse(QUEUE), {"show": "escalated"}).content.decode()
    assert call_link(queue["due"]) in page and "escalated " in page
    page = client.get(reverse(QUEUE), {"show": "closed"}).content.decode()
    assert "returned on time" in page and "returned 1 h 30 min late" in page
    assert page.index(call_link(queue["late"])) < page.index(
        call_link(queue["on_time"])
    )  # newest closed first
    assert "Reached the caller" in page
    page = client.get(reverse(QUEUE), {"provider": queue["due"].provider_id}).content.decode()
    assert call_link(queue["due"]) in page
    assert (
        call_link(queue["reassigned"]) not in page
        or queue["reassigned"].provider_id == queue["due"].provider_id
    )


def test_a_bad_filter_value_shows_the_default_queue(client, staff, queue):  # noqa: F811
    response = client.get(reverse(QUEUE), {"show": "everything", "provider": "x"})
    assert response.status_code == 200
    assert call_link(queue["due"]) in response.content.decode()


def test_anonymous_and_non_staff_are_refused(non_staff_visits, queue):
    for answer in non_staff_visits(reverse(QUEUE)):
        assert b"overdue by" not in answer.content


def test_durations_read_at_a_glance():
    assert minutes_words(dt.timedelta(seconds=59)) == "0 min"
    assert minutes_words(dt.timedelta(minutes=125)) == "2 h 05 min"
    assert minutes_words(dt.timedelta(days=3, hours=4, minutes=1)) == "3 days 4 h"


def test_staff_find_it_in_the_menu(django_user_model):
    from django.test import RequestFactory

    from clearline.telephony.wagtail_hooks import register_callback_queue_menu_item

    item = register_callback_queue_menu_item()
    request = RequestFactory().get("/")
    request.user = django_user_model(username="s", is_staff=True)
    assert item.url == reverse(QUEUE) and item.is_shown(request)
    request.user = django_user_model(username="m", is_staff=False)
    assert not item.is_shown(request)
