"""Operators' call pages: the calls list, a call's decision trace in plain words, live calls and their JSON.
Staff only; no page or JSON shows the caller's number or keyed hash."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from clearline.content.models import Helpline
from clearline.telephony.models import Call, CallAdapter, CallOutcome
from clearline.telephony.tests.conftest import CALLER
from clearline.telephony.tests.test_claim_checks import claims_document, end, made_under, ring, start

pytestmark = pytest.mark.django_db

URLS = ["telephony_calls", "telephony_live_calls", "telephony_live_calls_json", "telephony_call"]


@pytest.fixture
def staff(client, django_user_model, login_verified):
    user = django_user_model.objects.create_superuser("olivia", "olivia@example.invalid", "x")
    login_verified(user)
    return user


@pytest.fixture
def calls(helpline, providers) -> dict[str, Call]:
    """One call connected in its second wave, one still ringing its first."""
    answered = made_under(start("CA-console-1"), claims_document(helpline, providers))
    first, second = answered.routing_plan.dials[:2]
    ring(answered, first, "no-answer")
    ring(answered, second, "accept")
    answered = end(answered)
    ringing = start("CA-console-2")
    dial = ringing.routing_plan.first_dial()
    from clearline.telephony import services

    services.reserve_lines(ringing, [t.id for t in dial.targets])
    services.record_attempts(ringing, dial.index, [t.id for t in dial.targets])
    return {"answered": answered, "ringing": Call.objects.get(pk=ringing.pk)}


def url(name: str, call: Call) -> str:
    return reverse(name, args=[call.pk] if name == "telephony_call" else [])


def assert_no_caller(content: bytes, *calls: Call) -> None:
    text = content.decode()
    assert CALLER not in text and CALLER[2:] not in text and CALLER[-7:] not in text
    for call in calls:
        assert call.caller_hmac and call.caller_hmac not in text
        assert call.caller_hmac[:16] not in text  # only the 8-character tag, never more of the hash


def test_the_calls_list_newest_first_with_tags_never_the_caller(client, staff, calls):
    answered, ringing = calls["answered"], calls["ringing"]
    response = client.get(reverse("telephony_calls"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(url("telephony_call", ringing)) < page.index(url("telephony_call", answered))
    assert answered.caller_hmac[:8] in page and "Heroin Detox" in page
    assert str(CallOutcome.CONNECTED.label) in page
    assert_no_caller(response.content, answered, ringing)


def test_the_calls_list_filters_by_outcome_and_number(client, staff, calls, helpline):
    answered, ringing = calls["answered"], calls["ringing"]
    page = client.get(reverse("telephony_calls"), {"outcome": "connected"}).content.decode()
    assert url("telephony_call", answered) in page and url("telephony_call", ringing) not in page
    other = Helpline.objects.create(label="Alcohol Rehab", intent="rehab", number="+12065550102")
    page = client.get(reverse("telephony_calls"), {"helpline": other.pk}).content.decode()
    assert url("telephony_call", answered) not in page and "No call matches these filters." in page
    page = client.get(reverse("telephony_calls"), {"helpline": helpline.pk, "since": "1h"}).content.decode()
    assert url("telephony_call", answered) in page


def test_a_calls_page_tells_its_whole_decision_in_plain_words(client, staff, calls, providers):
    answered = calls["answered"]
    response = client.get(url("telephony_call", answered))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 providers were considered; 3 passed every rule." in page
    assert "Order: 1." in page and "fair-rotation order" in page and f"seed, {answered.seed}" in page
    assert "Wave 1 (planned:" in page and ": no answer" in page
    assert "Wave 2 (planned:" in page and "accepted (pressed 1) after" in page
    assert f"Disclosure version v{answered.disclosure_version.number}" in page
    assert "Not checked against its claims (yet)." in page and "answered_by" in page
    assert_no_caller(response.content, answered)


def test_a_calls_page_says_which_adapter_carried_it(client, staff, calls):
    answered = calls["answered"]
    assert "Carried by</dt><dd>—" in client.get(url("telephony_call", answered)).content.decode()
    Call.objects.filter(pk=answered.pk).update(adapter=CallAdapter.SIP)
    assert "Carried by</dt><dd>SIP" in client.get(url("telephony_call", answered)).content.decode()


def test_a_filtered_out_provider_is_named_with_its_rule(client, staff, helpline, providers):
    alder = providers[0]
    alder.paused = True
    alder.save()
    call = start("CA-console-3")
    page = client.get(url("telephony_call", call)).content.decode()
    assert "Alder Recovery was filtered out: paused by staff or by the provider (rule: Pause)." in page
    assert client.get(reverse("telephony_call", args=[call.pk + 999])).status_code == 404


def test_live_calls_show_who_is_ringing_as_a_page_and_as_json(client, staff, calls):
    answered, ringing = calls["answered"], calls["ringing"]
    ringing_names = [t.name for t in ringing.routing_plan.first_dial().targets]
    page = client.get(reverse("telephony_live_calls"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "telephony/live_calls.js" in html and "<script>" not in html.split('id="main"')[-1]
    assert ", ".join(ringing_names) in html
    assert_no_caller(page.content, answered, ringing)

    response = client.get(reverse("telephony_live_calls_json"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert [row["id"] for row in data["in_progress"]] == [ringing.pk]
    assert data["in_progress"][0]["ringing"] == ringing_names
    assert data["in_progress"][0]["caller_tag"] == ringing.caller_hmac[:8]
    assert [row["id"] for row in data["recent"]] == [answered.pk]
    assert data["recent"][0]["outcome"] == str(CallOutcome.CONNECTED.label)
    assert_no_caller(response.content, answered, ringing)


@pytest.mark.parametrize("name", URLS)
def test_anonymous_and_non_staff_are_refused(non_staff_visits, calls, name):
    refused, member = non_staff_visits(url(name, calls["answered"]))
    assert b"Heroin Detox" not in refused.content and b"caller_tag" not in refused.content
    assert b"Heroin Detox" not in member.content


def test_staff_find_them_in_the_menu(django_user_model):
    from django.test import RequestFactory

    from clearline.telephony.wagtail_hooks import register_calls_menu_item, register_live_calls_menu_item

    request = RequestFactory().get("/")
    for hook, name in (
        (register_calls_menu_item, "telephony_calls"),
        (register_live_calls_menu_item, "telephony_live_calls"),
    ):
        item = hook()
        request.user = django_user_model(username="s", is_staff=True)
        assert item.url == reverse(name) and item.is_shown(request)
        request.user = django_user_model(username="m", is_staff=False)
        assert not item.is_shown(request)
